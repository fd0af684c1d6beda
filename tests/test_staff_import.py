"""Bulk staff import: preview with line numbers, all-or-nothing, mandatory modules reach new staff."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import AuditAction, Role
from learning.services.assignments import AssignmentService
from learning.services.authz import PermissionDenied
from learning.services.staff_import import Action, StaffImportService

from .helpers import NOW, admin_and_accounts, ensure_unit, make_user
from .stores import stored_bytes

MODULE = "prove-modul"
GOOD = """Navn;E-post;Tjenesteområde;Enhet;Rolle
Åse Bråten;ase.braten@example.invalid;Skole;Bjørkelia skole;Deltaker
Per Ås;per@example.invalid;;Solsikken barnehage;leder
Kari Nordmann;kari@example.invalid;Skole;Bjørkelia skole;Deltaker
"""


@pytest.fixture
def world(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    ensure_unit(repo, "0301", "Solsikken barnehage", ServiceArea.BARNEHAGE)
    kari = make_user(accounts, admin, "kari")            # exists: matched by e-mail below
    kari = repo.update_user(kari.id, lambda u: u.model_copy(update={"email": "kari@example.invalid",
                                                                    "name": "Kari Nordmann"}))
    muni = make_user(accounts, admin, "muni-oslo", role=Role.MUNICIPAL_ADMIN, area=None, unit="")
    bergen = make_user(accounts, admin, "muni-bergen", role=Role.MUNICIPAL_ADMIN, municipality="4601", area=None,
                       unit="")
    return admin, muni, bergen, kari, StaffImportService(repo, clock=lambda: NOW)


def test_preview_says_what_happens_to_each_line_and_stores_nothing(world, data_dir):
    _, muni, _, kari, service = world
    before = stored_bytes(data_dir)
    plan = service.preview(muni, "0301", "ansatte.csv", GOOD.encode("utf-8"))
    assert [(r.line, r.action, r.username) for r in plan.rows] == [
        (2, Action.CREATE, "ase.braten"), (3, Action.CREATE, "per"), (4, Action.UNCHANGED, "kari")]
    assert plan.rows[1].service_area == ServiceArea.BARNEHAGE   # taken from the unit on the list
    assert plan.rows[1].role == Role.MANAGER and plan.ok
    assert stored_bytes(data_dir) == before


def test_a_broken_row_is_named_by_line_and_field_and_nothing_is_imported(world, repo, data_dir):
    _, muni, _, _, service = world
    broken = GOOD + "Ola;ola(at)example;Skole;Finnes ikke skole;Admin\n;uten-navn@example.invalid;;;\n" \
                    "Åse igjen;ase.braten@example.invalid;Skole;;\n"
    plan = service.preview(muni, "0301", "ansatte.csv", broken.encode("utf-8"))
    rejected = {r.line: " ".join(r.problems) for r in plan.rows if r.action == Action.REJECT}
    assert set(rejected) == {5, 6, 7}
    assert "E-post «ola(at)example»" in rejected[5] and "Enhet «Finnes ikke skole»" in rejected[5]
    assert "Rolle «Admin»" in rejected[5]
    assert rejected[6] == "Navn mangler."
    assert "linje 2" in rejected[7]
    before = stored_bytes(data_dir)
    with pytest.raises(UserError) as error:
        service.apply(muni, "0301", "ansatte.csv", broken.encode("utf-8"))
    assert error.value.key == "import.has_rejects"
    assert stored_bytes(data_dir) == before                   # nothing half-imported


def test_import_creates_updates_and_mandatory_modules_apply_to_new_staff(world, repo, fixture_content):
    admin, muni, _, kari, service = world
    assignments = AssignmentService(repo, fixture_content, clock=lambda: NOW)
    assignments.create(admin, municipality="0301", module_id=MODULE, deadline=date(2026, 12, 24),
                       unit="Bjørkelia skole")
    moved = GOOD.replace("Kari Nordmann;kari@example.invalid;Skole;Bjørkelia skole",
                         "Kari Nordmann;kari@example.invalid;Barnehage;Solsikken barnehage")
    plan = service.apply(muni, "0301", "ansatte.csv", moved.encode("utf-8"))
    assert (plan.count(Action.CREATE), plan.count(Action.UPDATE)) == (2, 1)
    ase = repo.find_user("ase.braten")
    assert (ase.name, ase.unit, ase.password_hash, ase.municipality) == ("Åse Bråten", "Bjørkelia skole", None, "0301")
    assert MODULE in assignments.mine(ase)                     # the unit's mandatory module, at once
    assert repo.get_user(kari.id).unit == "Solsikken barnehage" and MODULE not in assignments.mine(
        repo.get_user(kari.id))
    actions = [e.action for e in repo.audit_entries() if e.details.get("imported")]
    assert actions.count(AuditAction.USER_CREATED) == 2 and actions.count(AuditAction.PLACEMENT_CHANGED) == 1
    again = service.preview(muni, "0301", "ansatte.csv", moved.encode("utf-8"))
    assert {r.action for r in again.rows} == {Action.UNCHANGED}   # importing twice changes nothing


def test_xlsx_works_like_csv(world):
    _, muni, _, _, service = world
    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(";"))
    sheet.append([None, None])                                 # empty rows are skipped
    out = io.BytesIO()
    book.save(out)
    plan = service.preview(muni, "0301", "ansatte.xlsx", out.getvalue())
    assert [(r.line, r.action) for r in plan.rows] == [(2, Action.CREATE), (3, Action.CREATE),
                                                       (4, Action.UNCHANGED)]


@pytest.mark.parametrize("name,data,key", [
    ("ansatte.txt", b"x", "import.file_type"),
    ("ansatte.xlsx", b"not a workbook", "import.unreadable"),
    ("ansatte.csv", b"Fornavn;Telefon\nA;1\n", "import.columns"),
    ("ansatte.csv", b"", "import.empty"),
])
def test_unreadable_files_get_a_clear_error_naming_the_file(world, name, data, key):
    _, muni, _, _, service = world
    with pytest.raises(UserError) as error:
        service.preview(muni, "0301", name, data)
    assert error.value.key == key and error.value.values["file"] == name


def test_only_user_admins_of_the_municipality_may_import(world, repo):
    _, _, bergen, kari, service = world
    for actor in (bergen, kari, None):
        with pytest.raises(PermissionDenied):
            service.preview(actor, "0301", "ansatte.csv", GOOD.encode("utf-8"))
    other = GOOD.replace("Kari Nordmann;kari@example.invalid", "Kari Nordmann;kari@example.invalid") \
        + "Bergen-person;b@example.invalid;;;\n"
    make = service.preview(bergen, "4601", "ansatte.csv", other.encode("utf-8"))
    assert all(r.action != Action.UPDATE for r in make.rows)  # Oslo's Kari is not matched from Bergen
