"""Quiz insight: first-attempt choices per step and per tag, with the small-group rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.content.models import Tag
from learning.records import QuizAttempt, Role, StepChoice
from learning.services.accounts import AccountService
from learning.services.privacy import Hidden
from learning.services.reports import ReportService

from .helpers import NOW

OSLO = "0301"


def attempt(path: list[tuple[str, int]], minutes: int = 0) -> QuizAttempt:
    return QuizAttempt(id=f"a{minutes}", quiz_id="prove-quiz", quiz_version=1, module_id="prove-modul",
                       started_at=NOW + timedelta(minutes=minutes), finished_at=NOW + timedelta(minutes=minutes),
                       path=[StepChoice(step_id=s, choice_index=c, points=0, max_points=2) for s, c in path])


def world(repo, first_choices: list[int], last_choices: list[int] | None = None):
    """One person per entry: their first attempt picks that option at the first step, then ends at 'neste'
    (with choice 0, or the matching entry of ``last_choices``)."""
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="A", email="",
                                        municipality=OSLO)
    manager = accounts.create_user(admin, username="leder", password="passord123", name="L", email="",
                                   municipality=OSLO, role=Role.MANAGER)
    state = {}
    for n, choice in enumerate(first_choices):
        user = accounts.create_user(admin, username=f"person{n}", password=None, name=f"P{n}", email="",
                                    municipality=OSLO, role=Role.LEARNER)
        last = last_choices[n] if last_choices else 0
        first = attempt([("start", choice), ("neste" if choice == 0 else "alvor", last)])
        later = attempt([("start", 0), ("neste", 0)], minutes=60)  # only the first attempt counts
        state[user.id] = ([], [later, first])
    repo.bulk_load_state(state)
    return manager


def first_step(repo, fixture_content, manager):
    insight = ReportService(repo, fixture_content).quiz_insight(manager, OSLO)[0]
    return insight, insight.steps[0]


@pytest.mark.parametrize("people_choosing_b,expected", [(4, Hidden.SMALL), (5, Hidden.SHOWN), (6, Hidden.SHOWN)])
def test_option_share_at_4_5_and_6(repo, fixture_content, people_choosing_b, expected):
    manager = world(repo, [0] * 10 + [1] * people_choosing_b)
    _, step = first_step(repo, fixture_content, manager)
    option_a, option_b = (cell for _, _, _, cell in step.options)
    assert (option_a.count, option_b.count) == (10, people_choosing_b)
    assert option_b.hidden == expected
    # With the step's total shown, hiding B alone would give it away: A is hidden too.
    assert option_a.shown == (expected == Hidden.SHOWN)
    assert step.reached.shown and step.reached.count == 10 + people_choosing_b


def test_step_reached_by_fewer_than_5_is_hidden_entirely(repo, fixture_content):
    manager = world(repo, [0] * 8 + [1] * 3)  # three people reached 'alvor'
    insight, _ = first_step(repo, fixture_content, manager)
    alvor = next(s for s in insight.steps if s.step_id == "alvor")
    # Changed on purpose: «skjult», not «<5». 'alvor' is reached only through the hidden start choice B,
    # so even a «<5» there would tell the range of B (and with A + B = 11, of A): a step whose ways in are
    # not all shown shows nothing, whatever its size.
    assert alvor.reached.hidden == Hidden.PROTECTED
    assert all(cell.hidden == Hidden.PROTECTED for _, _, _, cell in alvor.options)
    neste = next(s for s in insight.steps if s.step_id == "neste")   # reached through the hidden A too
    assert not neste.reached.shown and not any(cell.shown for _, _, _, cell in neste.options)


def test_tags_roll_up_first_choices_only(repo, fixture_content):
    manager = world(repo, [0] * 6 + [1] * 6)
    insight, _ = first_step(repo, fixture_content, manager)
    tags = {tag: cell for tag, cell in insight.tags}
    # 24 first-attempt choices: 6 'åpner' + 6 'lytter' (A path), 6 'unnviker' + 6 'tar-ansvar' (B path)
    assert tags[Tag.APNER].count == 6 and tags[Tag.UNNVIKER].count == 6 and tags[Tag.APNER].base == 24
    assert tags[Tag.PRESSER].count == 0 and tags[Tag.PRESSER].shown


def test_coordinator_sees_network_insight_without_names(repo, fixture_content):
    world(repo, [0] * 6)
    accounts = AccountService(repo)
    admin = repo.find_user("admin")
    coordinator = accounts.create_user(admin, username="koord", password="passord123", name="K", email="",
                                       municipality=OSLO, role=Role.COORDINATOR)
    insight = ReportService(repo, fixture_content).quiz_insight(coordinator, None)[0]
    assert "P0" not in repr(insight) and insight.steps[0].reached.count == 6


# At 4 the figure is «skjult», not «<5» (changed on purpose): it adds up a hidden cell, and a total over
# hidden cells never tells its range.
@pytest.mark.parametrize("critical,expected", [(0, Hidden.SHOWN), (4, Hidden.PROTECTED), (5, Hidden.SHOWN)])
def test_first_attempts_that_hit_a_critical_choice(repo, fixture_content, critical, expected):
    # 'neste' choice 2 promises secrecy: a safety-critical mistake
    manager = world(repo, [0] * 12, last_choices=[2] * critical + [0] * (12 - critical))
    insight, _ = first_step(repo, fixture_content, manager)
    assert (insight.critical.count, insight.critical.base) == (critical, 12)
    assert insight.critical.hidden == expected
    neste = next(s for s in insight.steps if s.step_id == "neste")
    assert [is_critical for _, _, is_critical, _ in neste.options] == [False, False, True]


def test_critical_total_is_hidden_when_a_critical_choice_is_hidden(repo, fixture_content):
    # 9 reach 'neste' and 7 of them promise secrecy: the cell hides the 2 who did not.
    # The quiz-wide 7 of 14 passes the primary rule but would give the cell away.
    manager = world(repo, [0] * 9 + [1] * 5, last_choices=[2] * 7 + [0] * 7)
    insight, _ = first_step(repo, fixture_content, manager)
    neste = next(s for s in insight.steps if s.step_id == "neste")
    assert neste.options[2][3].count == 7 and not neste.options[2][3].shown
    assert (insight.critical.count, insight.critical.base) == (7, 14)
    assert insight.critical.hidden == Hidden.PROTECTED
