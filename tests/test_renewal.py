"""Recertification: a completion expires, a new duty with its own deadline follows, a retake renews it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from learning.errors import UserError
from learning.records import Role
from learning.services.assignments import AssignmentService, Duty, due_date, duty, expires_on
from learning.services.learning import LearningService, Status
from learning.services.reports import ReportService

from .helpers import NOW, admin_and_accounts, make_user

MODULE = "prove-modul"


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


def complete(learning: LearningService, user) -> None:
    from learning.services.quiz_play import current_step
    for lesson in learning.module(MODULE).lesson_ids():
        learning.finish_lesson(user, MODULE, lesson)
    attempt = learning.start_attempt(user, MODULE)
    quiz = learning.quiz(MODULE)
    while (step := current_step(quiz, attempt)) is not None:
        attempt = learning.choose(user, MODULE, attempt.id, step.id, 0)
        attempt = learning.next_step(user, MODULE, attempt.id)


@pytest.fixture
def world(repo, fixture_content):
    clock = Clock()
    accounts, admin = admin_and_accounts(repo)
    manager = make_user(accounts, admin, "leder", role=Role.MANAGER,
                        area=None, unit="")
    kari = make_user(accounts, admin, "kari")
    return (clock, LearningService(repo, fixture_content, clock=clock),
            AssignmentService(repo, fixture_content, clock=clock),
            ReportService(repo, fixture_content, clock=clock), manager, kari)


def test_expired_after_the_deadline_creates_a_new_duty_and_a_retake_clears_it(world, repo):
    clock, learning, assignments, reports, manager, kari = world
    assignments.create(manager, municipality="0301", module_id=MODULE, deadline=NOW.date() + timedelta(days=14),
                       renew_months=12, renew_window_days=30, renew_deadline_days=45)
    complete(learning, kari)
    first = learning.progress(kari, MODULE)
    assert assignments.mine(kari)[MODULE].duty == Duty.DONE
    expiry = expires_on(first.completed_at, 12)
    assert expiry == date(2027, 11, 23)

    clock.now = NOW + timedelta(days=340)            # 25 days before expiry: asked to retake, still counts
    required = assignments.mine(kari)[MODULE]
    assert (required.duty, required.expires) == (Duty.EXPIRING, expiry)
    board = reports.dashboard(manager, "0301")
    assert next(reports.staff_rows(manager, "0301")).modules[MODULE].duty == Duty.EXPIRING
    assert board.headline.overdue == 0
    assert (board.headline.required_staff, board.headline.required_done) == (1, 1)   # an expiring one counts

    clock.now = NOW + timedelta(days=380)            # expired 15 days ago; the first deadline passed a year ago
    required = assignments.mine(kari)[MODULE]
    assert required.duty == Duty.RENEW               # before: OVERDUE for ever, with no way to renew
    assert required.deadline == expiry + timedelta(days=45)
    row = next(reports.staff_rows(manager, "0301")).modules[MODULE]
    assert (row.duty, row.deadline) == (Duty.RENEW, expiry + timedelta(days=45))
    board = reports.dashboard(manager, "0301")          # the store's figures follow the same rules
    assert (board.headline.overdue, board.headline.required_done) == (0, 0)

    retake = learning.restart_module(kari, MODULE)
    assert retake.retaking and retake.lessons_read == [] and retake.completed_at == first.completed_at
    assert learning.restart_module(kari, MODULE).lessons_read == []   # a second click changes nothing
    learning.finish_lesson(kari, MODULE, "forste")
    assert learning.restart_module(kari, MODULE).lessons_read == ["forste"]
    assert learning.catalog(kari)[0].status == Status.IN_PROGRESS
    complete(learning, kari)
    renewed = learning.progress(kari, MODULE)
    assert renewed.completed_at == clock.now and not renewed.retaking
    assert renewed.completed_version == learning.module(MODULE).version
    assert renewed.earlier_completions == [first.completed_at]      # history keeps every completion
    assert assignments.mine(kari)[MODULE].duty == Duty.DONE
    assert next(reports.staff_rows(manager, "0301")).modules[MODULE].duty == Duty.DONE

    clock.now += timedelta(days=430)                 # that one expired 65 days ago: 45 days passed
    assert assignments.mine(kari)[MODULE].duty == Duty.OVERDUE
    assert reports.dashboard(manager, "0301").headline.overdue == 1


def test_duty_by_day(fixture_content):
    from learning.records import Assignment
    assignment = Assignment(id="a", municipality="0301", module_id=MODULE, deadline=date(2026, 1, 31),
                            renew_months=1, renew_window_days=7, renew_deadline_days=10, created_by="x",
                            created_at=NOW)
    done = "2026-01-31T10:00:00+00:00"
    assert expires_on(done, 1) == date(2026, 2, 28)   # no 31 February: the month's last day
    assert [duty(assignment, done, date(2026, 2, d)) for d in (20, 21, 27, 28)] == [
        Duty.DONE, Duty.EXPIRING, Duty.EXPIRING, Duty.RENEW]
    assert due_date(assignment, done) == date(2026, 3, 10)
    assert duty(assignment, done, date(2026, 3, 10)) == Duty.RENEW
    assert duty(assignment, done, date(2026, 3, 11)) == Duty.OVERDUE
    assert duty(assignment, None, date(2026, 1, 31)) == Duty.DUE
    assert duty(assignment, None, date(2026, 2, 1)) == Duty.OVERDUE
    never = assignment.model_copy(update={"renew_months": None})
    assert duty(never, done, date(2036, 1, 1)) == Duty.DONE


def test_renewal_days_are_checked(world):
    _, _, assignments, _, manager, _ = world
    with pytest.raises(UserError):
        assignments.create(manager, municipality="0301", module_id=MODULE, deadline=NOW.date(),
                           renew_months=12, renew_deadline_days=0)


@pytest.mark.tinydb_only  # the page flow; the store is covered by the service tests
def test_expired_completion_after_the_deadline_offers_a_retake_in_the_app(data_dir, fixture_content):
    """The issue's case: deadline long gone, completion expired; the card must offer a retake, not "Se modulen"."""
    from datetime import UTC, datetime

    from learning.records import Assignment, ModuleProgress
    from learning.services.accounts import AccountService
    from tests.apptest_helpers import button, catalog_cards, click, create_first_admin, new_app, restart_app, sign_in
    from tests.stores import open_store

    create_first_admin(new_app())
    repo = open_store(data_dir)
    admin = repo.find_user("anne")
    kari = AccountService(repo).create_user(admin, username="kari", password="kari-passord", name="Kari",
                                            email="", municipality="0301", role=Role.LEARNER)
    now = datetime.now(UTC)
    done = now - timedelta(days=400)
    repo.add_assignment(Assignment(id="a1", municipality="0301", module_id=MODULE, deadline=(now - timedelta(
        days=390)).date(), renew_months=12, renew_deadline_days=60, created_by=admin.id, created_at=done))
    repo.bulk_load_state({kari.id: ([ModuleProgress(
        module_id=MODULE, content_version=1, lessons_read=["forste", "andre"], quiz_passed=True, started_at=done,
        updated_at=done, completed_at=done, completed_version=1)], [])})
    at = sign_in(restart_app(), "kari", "kari-passord")
    assert [(c.tone, "må tas på nytt innen" in c.note) for c in catalog_cards(at)] == [("warning", True)]
    assert "Se modulen" not in [b.label for b in at.button]
    click(at, "Ta modulen på nytt")
    assert any("Du tar modulen på nytt" in i.value for i in at.info)
    assert button(at, "Neste leksjon")


@pytest.mark.tinydb_only  # the form; the store is covered above
def test_the_assignment_form_sets_the_renewal_days(data_dir, fixture_content):
    from tests.apptest_helpers import click, goto, show_view
    from tests.reports_fixtures import build_world
    from tests.stores import open_store
    from tests.test_app_manager import as_user

    repo = open_store(data_dir)
    build_world(repo)
    at = show_view(goto(as_user("leder-oslo"), "leder"), "assign")
    fields = {x.label: x for x in at.number_input}
    fields["Fornyes etter antall måneder (0 = aldri)"].set_value(12)
    fields["Varsel før utløp (dager)"].set_value(14)
    fields["Frist etter utløp (dager)"].set_value(60)
    click(at, "Gjør påkrevd")
    made = repo.list_assignments("0301")
    assert [(a.renew_months, a.renew_window_days, a.renew_deadline_days) for a in made] == [(12, 14, 60)]
