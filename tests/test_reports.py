"""Manager reports: access by role and municipality, figures, exports, assignments."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.services import exports
from learning.services.assignments import AssignmentService, Duty
from learning.services.authz import PermissionDenied
from learning.services.learning import LearningService
from learning.services.reports import ReportService

from .helpers import NOW
from .reports_fixtures import BERGEN, MODULE, OSLO, build_world


@pytest.fixture
def world(repo, fixture_content):
    return build_world(repo)


@pytest.fixture
def reports(world, fixture_content):
    return ReportService(world.repo, fixture_content, clock=lambda: NOW)


@pytest.fixture
def assignments(world, fixture_content):
    return AssignmentService(world.repo, fixture_content, clock=lambda: NOW)


ALLOWED = "allowed"
DENIED = "denied"

# Every cell of role x service call x municipality, asserted.
ACCESS = [
    # actor,              dashboard Oslo, dashboard Bergen, network, insight Oslo, insight network
    ("admin",             ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
    ("leder-oslo",        ALLOWED, DENIED,  ALLOWED, ALLOWED, DENIED),
    ("leder-oslo-skole",  ALLOWED, DENIED,  ALLOWED, ALLOWED, DENIED),
    ("leder-bergen",      DENIED,  ALLOWED, ALLOWED, DENIED,  DENIED),
    ("koordinator",       DENIED,  DENIED,  ALLOWED, DENIED,  ALLOWED),
    ("forfatter",         DENIED,  DENIED,  DENIED,  DENIED,  DENIED),
    ("oslo-skole-0",      DENIED,  DENIED,  DENIED,  DENIED,  DENIED),
    ("anonymous",         DENIED,  DENIED,  DENIED,  DENIED,  DENIED),
]


def outcome(call) -> str:
    try:
        call()
    except PermissionDenied:
        return DENIED
    return ALLOWED


@pytest.mark.parametrize("actor,oslo,bergen,network,insight_oslo,insight_all", ACCESS, ids=[a[0] for a in ACCESS])
def test_access_table(world, reports, actor, oslo, bergen, network, insight_oslo, insight_all):
    user = None if actor == "anonymous" else (world.admin if actor == "admin" else world[actor])
    assert outcome(lambda: reports.dashboard(user, OSLO)) == oslo
    assert outcome(lambda: reports.staff_rows(user, OSLO)) == oslo
    assert outcome(lambda: reports.dashboard(user, BERGEN)) == bergen
    assert outcome(lambda: reports.network(user)) == network
    assert outcome(lambda: reports.quiz_insight(user, OSLO)) == insight_oslo
    assert outcome(lambda: reports.quiz_insight(user, None)) == insight_all
    person = world["oslo-skole-0"]
    assert outcome(lambda: reports.person(user, OSLO, person.id)) == oslo


def test_manager_in_bergen_never_sees_oslo_staff(world, reports):
    board = reports.dashboard(world["leder-bergen"], BERGEN)
    names = {row.name for row in reports.staff_rows(world["leder-bergen"], BERGEN)}
    assert board.headline.staff == len(names)
    assert names == {f"Bergen-{n}" for n in range(7)}  # the leader is a role account, not staff
    with pytest.raises(PermissionDenied):
        reports.person(world["leder-bergen"], BERGEN, world["oslo-skole-0"].id)


def test_manager_limited_to_service_area_sees_only_that_area(world, reports):
    board = reports.dashboard(world["leder-oslo-skole"], OSLO)
    assert {row.service_area for row in reports.staff_rows(world["leder-oslo-skole"], OSLO)} == {ServiceArea.SKOLE}
    assert board.areas == [ServiceArea.SKOLE]
    assert board.headline.staff == 6


def test_dashboard_figures(world, reports):
    board = reports.dashboard(world["leder-oslo"], OSLO)
    h = board.headline
    # Oslo staff: 6 school + 3 kindergarten (leaders without a placement, the author, the admin and
    # the coordinator are role accounts, not staff)
    assert (h.staff, h.started, h.completed, h.overdue) == (9, 6, 5, 0)
    # The module is for schools: 6 school staff, 4 completed (people with no service area are not counted).
    assert h.completion_rate == round(100 * 4 / 6)
    assert board.by_area[MODULE]["skole"].completed == 4 and board.by_area[MODULE]["skole"].staff == 6
    assert board.by_unit[MODULE]["Solsikken barnehage"].completed == 1
    assert sum(n for _, n, _ in board.trend) == 5 and board.trend[-1][2] == 5


def test_network_view_has_no_names_and_hides_small_groups(world, reports):
    view = reports.network(world["koordinator"])
    assert view.municipalities == [OSLO, BERGEN] or view.municipalities == sorted([OSLO, BERGEN])
    text = repr(view)
    assert "Oslo-skole" not in text and "Bjørkelia" not in text and "Bergen-0" not in text
    bergen = view.grid[view.municipalities.index(BERGEN)][0]
    oslo = view.grid[view.municipalities.index(OSLO)][0]
    # Bergen: 6 of 7 staff completed -> 1 did not: a group under 5, so hidden.
    assert (bergen.count, bergen.base, bergen.shown) == (6, 7, False)
    # Oslo: 5 of 9 completed, 4 did not -> hidden as well.
    assert not oslo.shown
    lines = [*zip(view.row_totals, view.grid, strict=True),
             *zip(view.column_totals, [list(c) for c in zip(*view.grid, strict=True)], strict=True)]
    for line_total, cells in lines:  # no shown total leaves exactly one hidden cell to subtract
        assert not (line_total.shown and sum(not c.shown for c in cells) == 1)
    assert not view.row_totals[view.municipalities.index(OSLO)].shown  # it equals the protected cell


def test_exported_csv_and_xlsx_equal_dashboard(world, reports):
    board = reports.dashboard(world["leder-oslo"], OSLO)
    staff = list(reports.staff_rows(world["leder-oslo"], OSLO))
    table = exports.staff_table(board, staff)
    rows = list(csv.reader(io.StringIO(exports.to_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == table.headers and len(rows) == 1 + board.headline.staff
    completed_col = rows[0].index("Fullførte moduler")
    assert sum(int(r[completed_col]) for r in rows[1:]) == sum(r.count("completed") for r in staff)
    assert sum(int(r[completed_col]) for r in rows[1:]) == sum(c.completed for c in board.by_area[MODULE].values())
    area = exports.area_matrix(board)
    area_rows = list(csv.reader(io.StringIO(exports.to_csv(area).decode("utf-8-sig")), delimiter=";"))
    skole = area_rows[0].index("Skole: fullført")
    assert area_rows[0][skole:skole + 3] == ["Skole: fullført", "Skole: ansatte", "Skole: andel (%)"]
    assert area_rows[1][skole:skole + 3] == ["4", "6", "67"]
    assert area.rows[0][skole:skole + 3] == [4, 6, 67]  # numbers, so a spreadsheet can sum and chart them
    book = load_workbook(io.BytesIO(exports.to_xlsx([exports.headline_table(board), table, area])))
    summary = {row[0]: row[1] for row in book["Nøkkeltall"].iter_rows(values_only=True)}
    assert summary["Ansatte"] == board.headline.staff and summary["Forsinket"] == board.headline.overdue
    assert summary["Fullføringsgrad (%)"] == board.headline.completion_rate
    matrix = [list(r) for r in book["Moduler og tjenesteområder"].iter_rows(values_only=True)]
    assert matrix[1][skole:skole + 3] == [4, 6, 67]
    sheet = [list(r) for r in book["Ansatte"].iter_rows(values_only=True)]
    assert sheet[0] == table.headers
    assert [[("" if v is None else str(v)) for v in r] for r in sheet[1:]] == rows[1:]


def test_assignment_reaches_exactly_the_right_learners(world, fixture_content, assignments):
    deadline = date(2026, 12, 24)
    assignments.create(world["leder-oslo"], municipality=OSLO, module_id=MODULE, deadline=deadline,
                       service_area=ServiceArea.BARNEHAGE)
    assignments.create(world["leder-oslo"], municipality=OSLO, module_id=MODULE, deadline=deadline,
                       unit="Bjørkelia skole")
    reached = {name for name, user in world.users.items() if MODULE in assignments.mine(user)}
    expected = {f"oslo-bhg-{n}" for n in range(3)} | {f"oslo-skole-{n}" for n in range(6)}
    assert reached == expected
    duty = assignments.mine(world["oslo-bhg-1"])[MODULE]
    assert (duty.assignment.deadline, duty.duty) == (deadline, Duty.DUE)
    assert assignments.mine(world["oslo-bhg-0"])[MODULE].duty == Duty.DONE


def test_overdue_and_renewal(world, fixture_content, assignments, reports, repo):
    manager = world["leder-oslo"]
    assignment = assignments.create(manager, municipality=OSLO, module_id=MODULE, deadline=NOW.date(),
                                    unit="Bjørkelia skole", renew_months=1, renew_window_days=7)
    # Completed 0, 7, 14 and 21 days ago: with renewal after 1 month all still count (none within 7 days).
    assert {assignments.mine(world[f"oslo-skole-{n}"])[MODULE].duty for n in range(4)} == {Duty.DONE}
    later = ReportService(repo, fixture_content, clock=lambda: NOW + timedelta(days=20))
    board = later.dashboard(manager, OSLO)
    duties = {r.name: r.modules[MODULE].duty for r in later.staff_rows(manager, OSLO) if r.modules[MODULE].duty}
    assert duties["Oslo-Skole-0"] == Duty.DONE       # completed 20 days before: counts
    assert duties["Oslo-Skole-1"] == Duty.EXPIRING   # 27 days before: counts, but expires within 7 days
    assert duties["Oslo-Skole-2"] == Duty.RENEW      # 34 days before: expired; a new duty, 30 days to renew
    assert duties["Oslo-Skole-3"] == Duty.RENEW      # 41 days before
    assert duties["Oslo-Skole-4"] == Duty.OVERDUE    # started, not completed
    assert duties["Oslo-Skole-5"] == Duty.OVERDUE    # never started
    assert board.headline.overdue == 2
    learning = LearningService(repo, fixture_content, clock=lambda: NOW)
    again = learning.restart_module(world["oslo-skole-3"], MODULE)
    assert again.retaking and again.completed_at is not None and again.lessons_read == []
    assignments.delete(manager, assignment.id)
    assert assignments.mine(world["oslo-skole-3"]) == {}


@pytest.mark.parametrize("actor,kwargs,error", [
    ("leder-bergen", {"municipality": OSLO}, PermissionDenied),
    ("koordinator", {"municipality": OSLO}, PermissionDenied),
    ("oslo-skole-0", {"municipality": OSLO}, PermissionDenied),
    ("leder-oslo-skole", {"municipality": OSLO, "service_area": ServiceArea.BARNEHAGE}, UserError),
    ("leder-oslo", {"municipality": OSLO, "deadline": date(2020, 1, 1)}, UserError),
    ("leder-oslo", {"municipality": OSLO, "module_id": "finnes-ikke"}, UserError),
])
def test_assignment_rules(world, assignments, actor, kwargs, error):
    fields = {"module_id": MODULE, "deadline": date(2026, 12, 24), **kwargs}
    with pytest.raises(error):
        assignments.create(world[actor], **fields)


DANGEROUS = ["=HYPERLINK(\"http://example.invalid\",\"Klikk\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_exported_text_that_looks_like_a_formula_stays_text(world, reports, text):
    accounts_repo = world.repo
    accounts_repo.update_user(world["oslo-skole-0"].id, lambda u: u.model_copy(update={"name": text}))
    board = reports.dashboard(world["leder-oslo"], OSLO)
    table = exports.staff_table(board, reports.staff_rows(world["leder-oslo"], OSLO))
    rows = list(csv.reader(io.StringIO(exports.to_csv(table).decode("utf-8-sig")), delimiter=";"))
    names = [r[0] for r in rows[1:]]
    assert "'" + text in names and text not in names
    book = load_workbook(io.BytesIO(exports.to_xlsx([table])))
    stored = text.replace("\r", "\n")  # XML stores a carriage return as a line feed
    cell = next(c for (c,) in book["Ansatte"].iter_rows(min_col=1, max_col=1) if c.value == stored)
    assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(exports.to_xlsx([table]))) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode("utf-8")
