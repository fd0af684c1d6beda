"""Server-side role checks; every service calls these, not only the pages."""

from __future__ import annotations

from learning.records import Role, User


class PermissionDenied(Exception):
    """The signed-in user may not do this."""


def require_role(user: User | None, *roles: Role) -> User:
    if user is None or not user.active or user.role not in roles:
        raise PermissionDenied
    return user


LEADER_ROLES = (Role.MANAGER, Role.MUNICIPAL_ADMIN, Role.ADMIN)
"""Who may open a municipality's dashboard and mandatory modules."""
USER_ADMIN_ROLES = (Role.MUNICIPAL_ADMIN, Role.ADMIN)
"""Who may manage users and units (a municipal admin only in their own municipality)."""
GIVEN_BY_MUNICIPAL_ADMIN = frozenset({Role.LEARNER, Role.MANAGER, Role.MUNICIPAL_ADMIN})
"""Roles a municipal admin may give: never one that reaches beyond the municipality."""


def require_municipality(user: User, municipality: str) -> None:
    """Managers and municipal admins see only their own municipality; admins see all."""
    if user.role == Role.ADMIN:
        return
    if user.role not in (Role.MANAGER, Role.MUNICIPAL_ADMIN) or user.municipality != municipality:
        raise PermissionDenied


def require_user_admin(actor: User | None, municipality: str) -> User:
    """An admin anywhere, or a municipal admin acting in their own municipality."""
    actor = require_role(actor, *USER_ADMIN_ROLES)
    if actor.role == Role.MUNICIPAL_ADMIN and actor.municipality != municipality:
        raise PermissionDenied
    return actor
