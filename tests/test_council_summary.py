"""The council summary: figures in sentences, per service area and module, no names; Norwegian number formats."""

from __future__ import annotations

import pytest

from learning.i18n import using_language
from learning.records import QuizAttempt, StepChoice
from learning.services.reports import Headline
from learning.summary import first_words, headline_sentences, number, percent
from tests.stores import open_store

from .apptest_helpers import goto, page_text, restart_app, sign_in, values
from .helpers import NOW
from .reports_fixtures import build_world

NB = "\u00a0"


@pytest.mark.tinydb_only
def test_numbers_are_in_norwegian_format():
    assert (number(1234), number(1234567), number(12)) == (f"1{NB}234", f"1{NB}234{NB}567", "12")
    assert (percent(24, 100), percent(1, 3), percent(0, 0)) == (f"24{NB}%", f"33{NB}%", "–")
    with using_language("en"):
        assert (number(1234), percent(24, 100)) == ("1,234", "24%")
    assert first_words("Et barn ser lei seg ut i friminuttet og vil ikke leke.", 5) == "Et barn ser lei seg …"


@pytest.mark.tinydb_only
def test_headline_in_sentences():
    text = " ".join(headline_sentences(Headline(staff=1234, started=617, completed=300, completion_rate=24,
                                                overdue=0)))
    assert text == (f"1{NB}234 ansatte er med. 617 av dem (50{NB}%) har startet minst én modul. "
                    f"300 (24{NB}%) har fullført minst én modul. Av modulene som gjelder de ansatte, er 24{NB}% "
                    "fullført. Det er påkrevde moduler og moduler for tjenesteområdet deres. "
                    "Ingen ansatte har en påkrevd modul som er forsinket.")


@pytest.fixture
def world(data_dir, fixture_content):
    world = build_world(open_store(data_dir))
    for n in range(6):  # six of Oslo's school staff tried the scenario; the first 5 chose to listen
        user = world[f"oslo-skole-{n}"]
        path = [StepChoice(step_id="start", choice_index=0, points=2, max_points=2),
                StepChoice(step_id="neste", choice_index=0 if n < 5 else 1, points=2 if n < 5 else 0, max_points=2)]
        attempt = QuizAttempt(id=f"a{n}", quiz_id="prove-quiz", quiz_version=1, module_id="prove-modul",
                              started_at=NOW, finished_at=NOW, path=path)
        world.repo.update_attempt(user.id, attempt.id, lambda _, attempt=attempt: attempt)
    return world


def test_summary_page_in_sentences_without_names(world):
    at = goto(sign_in(restart_app(), "leder-oslo", "passord123"), "sammendrag")
    assert values(at.title) == ["Sammendrag: Oslo (0301)"]
    text = page_text(at)
    assert "9 ansatte er med. 6 av dem (67\u00a0%) har startet minst én modul." in text
    assert "Tallene er hentet " in text
    areas = next(f.value for f in at.table if "Tjenesteområde" in f.value.columns).to_dict("records")
    # Skole: 4 of the 6 staff completed the one module; Barnehage has 3 staff: no figures
    assert areas == [{"Tjenesteområde": "Barnehage", "Ansatte": "færre enn 5", "Fullført": "færre enn 5"},
                     {"Tjenesteområde": "Skole", "Ansatte": "6", "Fullført": "67\u00a0%"}]
    assert "De siste 26 ukene er 5 moduler fullført" in text
    assert "**Prøvescenario:** 6 personer har prøvd." in text
    assert "Oftest valgt av det som hjelper barnet: **Åpner**" in text
    everything = text + "".join(f.value.to_csv() for f in at.table)
    assert not any(u.name in everything for name, u in world.users.items() if name.startswith(("oslo-", "bergen-")))
    assert "Sammendrag" in [p.get("page_name") for p in at._registered_pages.values()]


def test_a_learner_has_no_summary(world):
    at = goto(sign_in(restart_app(), "oslo-skole-0", "passord123"), "sammendrag")
    assert "Sammendrag: Oslo (0301)" not in values(at.title)
