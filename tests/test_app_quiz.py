"""AppTest flows of the scenario player: critical mistakes, own tags, shuffled order."""

from __future__ import annotations

from learning.records import Role
from learning.services import quiz_play
from learning.services.accounts import AccountService
from tests.stores import open_store

from .apptest_helpers import click, create_first_admin, labels, new_app, page_text, play_quiz, restart_app, sign_in

PICK = "Hva gjør du?"


def signed_in_learner(data_dir):
    create_first_admin(new_app())
    repo = open_store(data_dir)
    AccountService(repo).create_user(repo.find_user("anne"), username="kari", password="kari-passord",
                                     name="Kari Lærer", email="", municipality="0301", role=Role.LEARNER)
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Start modulen")
    click(at, "Scenario")
    return at, repo


def choose(at, index: int):
    next(r for r in at.radio if r.label == PICK).set_value(index).run()
    return click(at, "Velg")


def test_a_critical_choice_shows_the_consequence_fails_and_says_why(data_dir, fixture_content):
    at, repo = signed_in_learner(data_dir)
    click(at, "Start scenarioet")
    choose(at, 0)
    click(at, "Videre")
    choose(at, 2)  # promises to tell no one
    assert "Barnet stoler på et løfte du ikke kan holde." in page_text(at)
    assert [e.value for e in at.error] == ["Dette var en alvorlig feil. Scenarioet stopper her."]
    assert "Videre" not in labels(at.button)
    click(at, "Se resultatet")
    text = page_text(at)
    assert "Ikke bestått: Du gjorde en alvorlig feil" in text
    assert "**Regelen:** Du kan ikke love et barn hemmelighold." in text
    assert not any(s.value.startswith("Bestått") for s in at.success)
    kari = repo.find_user("kari")
    assert repo.progress_for(kari.id)["prove-modul"].completed_at is None
    (attempt,) = repo.attempts_for(kari.id)
    assert attempt.hit_critical and attempt.finished_at is not None


def test_the_learner_sees_the_tags_of_their_own_choices(data_dir, fixture_content):
    at, _ = signed_in_learner(data_dir)
    click(at, "Start scenarioet")
    choose(at, 0)
    assert "Hva valget ditt gjorde for barnet:" in page_text(at) and "Åpner" in page_text(at)
    click(at, "Videre")
    choose(at, 0)
    click(at, "Se resultatet")
    assert "**Dine valg**" in page_text(at)
    assert "Hjelper barnet: 1 × Åpner, 1 × Lytter" in page_text(at)


def test_shuffled_order_survives_leaving_and_coming_back(data_dir, fixture_content):
    at, repo = signed_in_learner(data_dir)
    click(at, "Start scenarioet")
    choose(at, 0)
    click(at, "Videre")
    shown = next(r for r in at.radio if r.label == PICK).options
    kari = repo.find_user("kari")
    (attempt,) = repo.attempts_for(kari.id)
    step = fixture_content.quizzes["prove-quiz"].step("neste")
    assert attempt.shuffle_seed is not None
    assert shown == [step.choices[i].text for i in quiz_play.choice_order(attempt, step)]
    assert "Svarene står i tilfeldig rekkefølge." in page_text(at)

    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Fortsett der du slapp")
    assert next(r for r in at.radio if r.label == PICK).options == shown
    choose(at, 1)  # recorded by its place in the file, whatever place it was shown in
    assert repo.attempts_for(kari.id)[0].path[-1].choice_index == 1
    assert "Barnet slutter å fortelle." in page_text(at)


def test_each_new_attempt_gets_its_own_order(data_dir, fixture_content):
    at, repo = signed_in_learner(data_dir)
    play_quiz(at, [0, 0])
    for _ in range(3):
        play_quiz(at, [0, 0])
    seeds = {a.shuffle_seed for a in repo.attempts_for(repo.find_user("kari").id)}
    assert len(seeds) == 4
