"""The paged staff table: one page read per view, labels without per-option scans, the scope kept."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from learning.content.models import ServiceArea
from learning.formatting import OSLO, local
from learning.records import Assignment, User
from learning.services.assignments import Duty, completion_counts
from learning.services.authz import PermissionDenied
from learning.services.reports import ReportService, StaffRow, counts_from
from learning.ui.pages.manager_tabs import person_choices

from .apptest_helpers import goto, restart_app, show_view, sign_in
from .helpers import NOW
from .reports_fixtures import MODULE, build_world, completed
from .reports_fixtures import OSLO as OSLO_NUMBER


class Counting:
    """The store with a count of every call the service makes on it."""

    def __init__(self, repo):
        self.repo, self.calls = repo, Counter()

    def __getattr__(self, name):
        target = getattr(self.repo, name)
        if not callable(target):
            return target

        def call(*args, **kwargs):
            self.calls[name] += 1
            return target(*args, **kwargs)
        return call


def many_staff(repo, count: int) -> None:
    repo.add_users(User(id=f"extra-{n:03d}", username=f"extra{n}", name=f"Ekstra {n:03d}", municipality=OSLO_NUMBER,
                        service_area=ServiceArea.SKOLE, unit=f"Skole {n % 7}", created_at=NOW) for n in range(count))
    repo.bulk_load_state({f"extra-{n:03d}": ([completed()], []) for n in range(0, count, 3)})


@pytest.fixture
def world(repo, fixture_content):
    return build_world(repo)


def test_a_page_costs_the_same_few_reads_however_many_staff(world, fixture_content):
    calls = []
    for extra in (0, 120):
        if extra:
            many_staff(world.repo, extra)
        counting = Counting(world.repo)
        page = ReportService(counting, fixture_content, clock=lambda: NOW).staff_page(world["leder-oslo"], OSLO_NUMBER,
                                                                                     size=20)
        assert len(page.rows) == min(20, page.total)
        calls.append(dict(counting.calls))
    assert calls[0] == calls[1]  # no read per person, per option or per row
    assert calls[1]["person_records"] == 1 and calls[1]["staff_page"] == 1
    assert sum(calls[1].values()) <= 5


def test_staff_page_filters_sorts_and_pages_through_the_service(world, fixture_content):
    many_staff(world.repo, 60)
    reports = ReportService(world.repo, fixture_content, clock=lambda: NOW)
    manager = world["leder-oslo"]
    first = reports.staff_page(manager, OSLO_NUMBER, size=50)
    second = reports.staff_page(manager, OSLO_NUMBER, page=1, size=50)
    assert first.total == second.total == 69 and first.pages == 2 and len(second.rows) == 19
    names = [r.name for r in first.rows + second.rows]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == 69
    found = reports.staff_page(manager, OSLO_NUMBER, search="bhg")
    assert [r.name for r in found.rows] == ["Oslo-Bhg-0", "Oslo-Bhg-1", "Oslo-Bhg-2"]
    assert found.rows[0].modules[MODULE].status == "completed"
    done = reports.staff_page(manager, OSLO_NUMBER, module_id=MODULE, status="completed", size=100)
    assert done.total == 5 + 20 and all(r.modules[MODULE].status == "completed" for r in done.rows)
    schools = reports.staff_page(world["leder-oslo-skole"], OSLO_NUMBER, areas=[ServiceArea.BARNEHAGE])
    assert schools.total == 0  # a manager limited to schools never sees kindergarten staff, filter or not
    with pytest.raises(PermissionDenied):
        reports.staff_page(world["leder-bergen"], OSLO_NUMBER)


def test_overdue_page_follows_the_binding_assignment(world, fixture_content):
    world.repo.add_assignment(Assignment(id="a", municipality=OSLO_NUMBER, module_id=MODULE, unit="Bjørkelia skole",
                                         deadline=NOW.date() - timedelta(days=1), renew_months=1,
                                         created_by="x", created_at=NOW))
    reports = ReportService(world.repo, fixture_content, clock=lambda: NOW + timedelta(days=20))
    late = reports.staff_page(world["leder-oslo"], OSLO_NUMBER, status="overdue")
    # skole-0/1 completed 20 and 27 days before: within a month; 2 and 3 expired, but their renewal is
    # due 30 days after expiry (Duty.RENEW, not overdue); 4 started; 5 never
    duties = {r.name: r.modules[MODULE].duty for r in reports.staff_rows(world["leder-oslo"], OSLO_NUMBER)}
    assert [duties[f"Oslo-Skole-{n}"] for n in range(6)] == [Duty.EXPIRING] * 2 + [Duty.RENEW] * 2 + [Duty.OVERDUE] * 2
    assert sorted(r.name for r in late.rows) == [f"Oslo-Skole-{n}" for n in (4, 5)]
    board = reports.dashboard(world["leder-oslo"], OSLO_NUMBER)
    assert board.headline.overdue == late.total == 2
    assert (board.headline.required_staff, board.headline.required_done) == (6, 2)
    later = ReportService(world.repo, fixture_content, clock=lambda: NOW + timedelta(days=80))
    assert later.dashboard(world["leder-oslo"], OSLO_NUMBER).headline.overdue == 6   # every renewal now late


def test_drill_down_labels_come_from_one_pass_over_the_page():
    class Rows(list):
        passes = 0

        def __iter__(self):
            Rows.passes += 1
            return super().__iter__()

    rows = Rows(StaffRow(f"u{n}", f"Person {n}", "Enhet", None, {}, None) for n in range(500))
    options, label_of = person_choices(rows)
    labels = [label_of(option) for option in options]
    assert Rows.passes == 1  # labels are looked up, never found by scanning the rows per option
    assert len(options) == 501 and labels[1] == "Person 0 – Enhet" and labels[-1] == "Person 499 – Enhet"


def test_the_drill_down_offers_only_the_page_and_reads_once_per_run(world, monkeypatch):
    many_staff(world.repo, 60)
    counts = Counter()
    for name in ("staff_page", "person", "dashboard"):
        real = getattr(ReportService, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            counts[_name] += 1
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(ReportService, name, counted)
    at = show_view(goto(sign_in(restart_app(), "leder-oslo", "passord123"), "leder"), "staff")
    counts.clear()
    choose = next(s for s in at.selectbox if s.label == "Velg person")
    assert len(choose.options) == 51  # «nobody» and the page's 50 people, not all 69
    assert "Ekstra 001 – Skole 1" in choose.options
    at = choose.set_value("extra-001").run()
    assert not at.exception
    assert any("Beste scenarioresultat" in f.value.columns for f in at.dataframe)
    assert counts == {"person": 1}  # the page itself came from the session; the dashboard was never built
    at.run()
    assert counts == {"person": 1}


@pytest.mark.tinydb_only
def test_counts_from_is_completion_counts_as_a_moment():
    start = datetime(2025, 1, 1, tzinfo=OSLO)
    for today in (date(2026, 3, 30), date(2026, 10, 26), date(2026, 3, 31), date(2024, 2, 29)):
        for renew in (None, 1, 12):
            cut = counts_from(renew, today)
            for hours in range(0, 24 * 800, 7):
                done = start + timedelta(hours=hours)
                assert completion_counts(done, renew, today) == (cut is None or done >= cut), (today, renew, done)
    assert local(counts_from(1, date(2026, 3, 31))).hour == 0
