"""Server-side role checks; every service calls these, not only the pages."""

from __future__ import annotations

from learning.records import Role, User


class PermissionDenied(Exception):
    """The signed-in user may not do this."""


def require_role(user: User | None, *roles: Role) -> User:
    if user is None or not user.active or user.role not in roles:
        raise PermissionDenied
    return user


def require_municipality(user: User, municipality: str) -> None:
    """Managers see only their own municipality; admins see all."""
    if user.role == Role.ADMIN:
        return
    if user.role != Role.MANAGER or user.municipality != municipality:
        raise PermissionDenied
