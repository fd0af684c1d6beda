"""Bulk staff import: a CSV or XLSX of staff, previewed row by row, then imported whole or not at all.

Columns (first row, any order, bokmål, nynorsk or English headings): name, e-mail, service
area, unit, role, and optionally username. A row is matched to an existing user of the
municipality by username, else by e-mail; otherwise it creates one (no password: they sign
in with their employer's sign-in, or an admin gives a one-time password). Units must be on
the municipality's list (``services/units.py``), roles are those a municipal admin may give.
Any rejected row stops the whole import. Mandatory modules need nothing extra: assignments
target a municipality, service area or unit, so they apply to new staff at once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from learning.clock import Clock, utc_now
from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.i18n import Language, catalog, t
from learning.records import AuditAction, Role, User
from learning.services.accounts import EMAIL, USERNAME, new_user_id
from learning.services.audit import record
from learning.services.authz import GIVEN_BY_MUNICIPAL_ADMIN, require_user_admin
from learning.services.units import units_of
from learning.storage.repository import DuplicateUsername, Repository

MAX_BYTES = 5_000_000
MAX_ROWS = 5_000
COLUMNS = {
    "name": {"navn", "name", "fullt navn", "fullt namn"},
    "email": {"e-post", "epost", "email", "e-mail", "e-postadresse"},
    "service_area": {"tjenesteområde", "tenesteområde", "service area", "område"},
    "unit": {"enhet", "eining", "unit", "arbeidssted", "arbeidsstad"},
    "role": {"rolle", "role"},
    "username": {"brukernavn", "brukarnamn", "username"},
}
STAFF_ROLES = [Role.LEARNER, Role.MANAGER, Role.MUNICIPAL_ADMIN]


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass
class Row:
    line: int
    action: Action
    name: str = ""
    email: str = ""
    username: str = ""
    service_area: ServiceArea | None = None
    unit: str = ""
    role: Role = Role.LEARNER
    problems: list[str] = field(default_factory=list)   # messages in the user's language, naming the field
    user_id: str | None = None                         # the existing user an update changes


@dataclass
class Plan:
    municipality: str
    file_name: str
    rows: list[Row]

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.count(Action.REJECT) == 0


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def _lookup(prefix: str, values) -> dict[str, str]:
    """Label (any UI language) or stored value, case-folded -> value."""
    out = {}
    for value in values:
        out[value.casefold()] = value
        for language in Language:
            label = catalog(language.value).get(f"{prefix}.{value}")
            if label:
                out[label.casefold()] = value
    return out


def read_table(file_name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """(line, cells) for every non-empty row, the header first; a clear error for anything unreadable."""
    if len(data) > MAX_BYTES:
        raise UserError("import.too_big", file=file_name, mb=MAX_BYTES // 1_000_000)
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = [(n, [_norm(c) for c in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise UserError("import.unreadable", file=file_name) from None
    elif file_name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        rows = [(n, [_norm(c) for c in row]) for n, row in enumerate(csv.reader(io.StringIO(text),
                                                                                 delimiter=delimiter), 1)]
    else:
        raise UserError("import.file_type", file=file_name)
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if len(rows) > MAX_ROWS + 1:
        raise UserError("import.too_many", file=file_name, max=MAX_ROWS)
    return rows


class StaffImportService:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    def preview(self, actor: User | None, municipality: str, file_name: str, data: bytes) -> Plan:
        require_user_admin(actor, municipality)
        table = read_table(file_name, data)
        if not table:
            raise UserError("import.empty", file=file_name)
        header_line, header = table[0]
        columns: dict[str, int] = {}
        for index, heading in enumerate(header):
            for key, names in COLUMNS.items():
                if heading.casefold() in names and key not in columns:
                    columns[key] = index
        if "name" not in columns or not ({"email", "username"} & columns.keys()):
            raise UserError("import.columns", file=file_name, line=header_line)
        areas = _lookup("area", [a.value for a in ServiceArea if a != ServiceArea.ALLE])
        roles = _lookup("role", [r.value for r in STAFF_ROLES])
        unit_list = {u.name.casefold(): u for u in units_of(self.repo, municipality)}
        everyone = self.repo.list_users()
        by_username = {u.username: u for u in everyone}
        here_by_email = {u.email.casefold(): u for u in everyone if u.municipality == municipality and u.email}
        seen: dict[str, int] = {}
        rows = []
        for line, cells in table[1:]:
            def cell(key: str, cells: list[str] = cells) -> str:
                index = columns.get(key)
                return cells[index] if index is not None and index < len(cells) else ""
            row = Row(line=line, action=Action.CREATE, name=cell("name"), email=cell("email"),
                      username=cell("username").lower())
            problem = row.problems.append
            if not row.name:
                problem(t("import.need_name"))
            elif len(row.name) > 120:
                problem(t("import.too_long", field=t("import.col_name")))
            if row.email and (not EMAIL.match(row.email) or len(row.email) > 200):
                problem(t("import.bad_email", value=row.email))
            area_text = cell("service_area")
            if area_text:
                row.service_area = ServiceArea(areas[area_text.casefold()]) if area_text.casefold() in areas \
                    else None
                if row.service_area is None:
                    problem(t("import.bad_area", value=area_text))
            unit_text = cell("unit")
            if unit_text:
                unit = unit_list.get(unit_text.casefold())
                if unit is None:
                    problem(t("import.bad_unit", value=unit_text))
                else:
                    row.unit = unit.name
                    if row.service_area is None and not area_text:
                        row.service_area = unit.service_area
            role_text = cell("role")
            if role_text:
                if role_text.casefold() in roles:
                    row.role = Role(roles[role_text.casefold()])
                else:
                    problem(t("import.bad_role", value=role_text))
            existing = by_username.get(row.username) if row.username else None
            if existing is None and row.email:
                existing = here_by_email.get(row.email.casefold())
            if existing is not None:
                if existing.municipality != municipality:
                    problem(t("import.other_municipality", username=existing.username))
                elif existing.role not in GIVEN_BY_MUNICIPAL_ADMIN or existing.anonymised_at is not None:
                    problem(t("import.not_staff", username=existing.username))
                row.username, row.user_id = existing.username, existing.id
                changed = (existing.name, existing.email, existing.service_area, existing.unit, existing.role) != \
                    (row.name, row.email or existing.email, row.service_area, row.unit, row.role)
                row.action = Action.UPDATE if changed else Action.UNCHANGED
            else:
                if not row.username:
                    row.username = self._username_from(row.email, by_username, seen)
                if not USERNAME.match(row.username):
                    problem(t("import.bad_username", value=row.username))
            again = [seen[k] for k in (row.username, f"@{row.email.casefold()}") if k in seen and k != "@"]
            if again:
                problem(t("import.duplicate", line=again[0]))
            seen.setdefault(row.username, line)
            if row.email:
                seen.setdefault(f"@{row.email.casefold()}", line)
            if row.problems:
                row.action = Action.REJECT
            rows.append(row)
        return Plan(municipality, file_name, rows)

    @staticmethod
    def _username_from(email: str, taken: dict[str, User], seen: dict[str, int]) -> str:
        base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()) or "ansatt"
        base = base if base[0].isalnum() else f"a{base}"
        base = (base + "xx")[:max(3, len(base))][:36]
        candidate, n = base, 2
        while candidate in taken or candidate in seen:
            candidate, n = f"{base}{n}", n + 1
        return candidate

    def apply(self, actor: User | None, municipality: str, file_name: str, data: bytes) -> Plan:
        """Import the file if every row passes, checked again now; otherwise change nothing."""
        actor = require_user_admin(actor, municipality)
        plan = self.preview(actor, municipality, file_name, data)
        if not plan.ok:
            raise UserError("import.has_rejects", count=plan.count(Action.REJECT))
        now = self.clock()
        updates = [(r.user_id, r) for r in plan.rows if r.action == Action.UPDATE and r.user_id is not None]
        before: dict[str, User] = {}
        try:
            for user_id, row in updates:
                old = self.repo.get_user(user_id)
                if old is None:
                    raise KeyError(user_id)  # removed meanwhile
                before[user_id] = old
                self.repo.update_user(user_id, partial(_placed, row))
            created = [User(id=new_user_id(municipality), username=row.username, name=row.name, email=row.email,
                            municipality=municipality, service_area=row.service_area, unit=row.unit, role=row.role,
                            created_at=now) for row in plan.rows if row.action == Action.CREATE]
            self.repo.add_users(created)          # one atomic batch: all of them or none
        except (DuplicateUsername, KeyError) as exc:
            for user_id, old in before.items():   # put every changed user back as they were
                self.repo.update_user(user_id, partial(_as_before, old))
            raise UserError("import.changed_meanwhile") from exc
        for user in created:
            record(self.repo, actor, AuditAction.USER_CREATED, at=now, target=user.id, municipality=municipality,
                   role=user.role.value, imported=True)
        for user_id, _row in updates:
            record(self.repo, actor, AuditAction.PLACEMENT_CHANGED, at=now, target=user_id,
                   municipality=municipality, imported=True)
        return plan


def _placed(row: Row, user: User) -> User:
    """``user`` with the name, e-mail, placement and role an update row gives."""
    return user.model_copy(update={
        "name": row.name, "email": row.email or user.email, "service_area": row.service_area, "unit": row.unit,
        "role": row.role, "manager_area": user.manager_area if row.role == Role.MANAGER else None})


def _as_before(old: User, _current: User) -> User:
    return old
