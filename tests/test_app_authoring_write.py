"""AppTest flows for writing without programming: checklist, plain problems, steps by name, autosave.

Through the real streamlit_app.py, as an author who has never seen the file format.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.clock import utc_now
from learning.content.bundle import Kind, load_data
from learning.records import Role
from learning.ui.session import SEEN_KEY
from tests.stores import open_store

from .apptest_helpers import click, goto, page_text, restart_app, sign_in, values
from .helpers import admin_and_accounts, make_user
from .test_app_authoring import authoring_service, create

SCENARIO = "mia-i-friminuttet"


@pytest.fixture
def people(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    for name in ("forf.en", "forf.to"):
        make_user(accounts, admin, name, role=Role.AUTHOR)
    return repo


def author_app(name: str = "forf.en"):
    return sign_in(restart_app(), name, "passord123")


def nav(at, index: int | None):
    """Open a part of the scenario in the navigator: None is «Om scenarioet», 0 the first step."""
    at.button(key=f"q-nav{-1 if index is None else index}").click().run()
    assert not at.exception, at.exception
    return at


def checklist(at) -> list[str]:
    boxes = [e for e in at.expander if e.label.startswith("Dette mangler før du kan sende til vurdering")]
    if not boxes:
        return []
    return [line.removeprefix("- ") for m in boxes[0].markdown for line in m.value.splitlines()]


def field_notes(at) -> list[str]:
    return [w for w in values(at.warning) if not w.startswith("Noe mangler")]


def fill_choice(at, i: int, j: int, text: str, feedback: str, points: int = 0):
    at.text_input(key=f"q-s{i}-c{j}-text").input(text)
    at.text_area(key=f"q-s{i}-c{j}-feedback").input(feedback)
    at.number_input(key=f"q-s{i}-c{j}-points").set_value(points)


def write_about(at):
    nav(at, None)
    at.text_area(key="q-intro").input("Situasjonen og personene er oppdiktet. Du er lærer.")
    at.selectbox(key="q-setting").set_value("skole")
    return at.run()


def test_a_new_draft_shows_a_calm_checklist_not_errors(people):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    assert not at.error, values(at.error)
    assert not field_notes(at), field_notes(at)
    missing = checklist(at)
    for line in ("Innledning mangler", "Tjeneste mangler", "Steg 1: hva skjer mangler",
                 "Steg 1, valg 1: hva du gjør mangler", "Steg 1, valg 2: tilbakemelding mangler"):
        assert line in missing, missing
    assert not any("steps[" in line or "kan ikke være tom" in line for line in missing)


def test_a_field_shows_its_problem_in_plain_words_once_touched_or_left(people):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    nav(at, 0)
    assert not field_notes(at)
    at.text_area(key="q-s0-c1-feedback").input("Mia merker det.").run()
    at.text_area(key="q-s0-c1-feedback").input("").run()  # touched and left empty
    assert field_notes(at) == ["Tilbakemelding mangler"]
    # Leaving the step shows what else it misses when the author comes back.
    nav(at, None)
    nav(at, 0)
    notes = field_notes(at)
    assert "Hva skjer mangler" in notes and "Hva du gjør mangler" in notes, notes
    # Trying to send marks every field and points to the list.
    at = author_app()
    goto(at, "forfatter-scenario")
    at.selectbox(key="author-pick-quiz").set_value(SCENARIO).run()
    assert not field_notes(at)
    at.text_area(key=f"author-provenance-quiz:{SCENARIO}").input("Råd fra barn, gjengitt med egne ord.")
    click(at, "Send til vurdering")
    assert any(w.startswith("Noe mangler fortsatt") for w in values(at.warning))
    assert "Innledning mangler" in field_notes(at)


def test_three_steps_written_without_typing_an_id_and_renaming_keeps_ids(people, data_dir):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    write_about(at)
    nav(at, 0)
    at.text_input(key="q-s0-title").input("Mia sitter alene")
    at.text_area(key="q-s0-text").input("Mia (9) sitter alene i friminuttet.")
    fill_choice(at, 0, 0, "Du setter deg ved siden av henne.", "Mia merker at noen ser henne.", 2)
    fill_choice(at, 0, 1, "Du går videre.", "Mia blir sittende alene.")
    at.run()
    at.selectbox(key="q-s0-c0-next").set_value("__new__").run()  # «➕ Nytt steg» opens the new step
    assert [w.key for w in at.text_input if w.key.endswith("-title")] == ["q-s1-title"]  # the new step is shown
    at.text_input(key="q-s1-title").input("Mia forteller")
    at.text_area(key="q-s1-text").input("Mia sier at ingen vil leke med henne.")
    fill_choice(at, 1, 0, "Du spør hva som har skjedd.", "Mia får fortelle med egne ord.", 2)
    fill_choice(at, 1, 1, "Du sier at hun må spørre noen.", "Mia kjenner seg avvist.")
    at.run()
    at.selectbox(key="q-s1-c0-next").set_value("__new__").run()
    at.text_input(key="q-s2-title").input("Etter friminuttet")
    at.text_area(key="q-s2-text").input("Klokka ringer inn.")
    fill_choice(at, 2, 0, "Du avtaler å se Mia igjen i morgen.", "Mia vet at du kommer tilbake.", 2)
    fill_choice(at, 2, 1, "Du glemmer det.", "Mia står alene igjen neste dag.")
    at.run()
    assert at.success and values(at.success)[-1].startswith("Alt er fylt ut"), checklist(at)
    nav(at, 0)
    assert at.selectbox(key="q-s0-c0-next").value == "mia-forteller"
    assert "Steg 2: Mia forteller" in at.selectbox(key="q-s0-c0-next").options
    click(at, "Lagre utkast")
    service = authoring_service(data_dir)
    forf = people.find_user("forf.en")
    steps = load_data(service.draft(forf, Kind.QUIZ, SCENARIO).files[f"quizzes/{SCENARIO}.yaml"])["steps"]
    assert [s["id"] for s in steps] == ["start", "mia-forteller", "etter-friminuttet"]
    assert steps[0]["choices"][0]["next"] == "mia-forteller"
    assert steps[1]["choices"][0]["next"] == "etter-friminuttet"
    # A new name after the save changes what authors see, not the id links use.
    nav(at, 1)
    at.text_input(key="q-s1-title").input("Mia forteller om leken").run()
    click(at, "Lagre utkast")
    steps = load_data(service.draft(forf, Kind.QUIZ, SCENARIO).files[f"quizzes/{SCENARIO}.yaml"])["steps"]
    assert steps[1]["id"] == "mia-forteller" and steps[1]["title"] == "Mia forteller om leken"
    assert steps[0]["choices"][0]["next"] == "mia-forteller"


def test_unsaved_edits_survive_an_idle_sign_out(people, data_dir):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    nav(at, 0)
    at.text_area(key="q-s0-text").input("Mia sitter alene i friminuttet.").run()
    assert "Tatt vare på automatisk" in page_text(at)
    at.session_state[SEEN_KEY] = utc_now() - timedelta(minutes=31)  # 31 idle minutes
    at.run()
    assert "q-s0-text" not in [w.key for w in at.text_area]  # signed out: the form is gone
    sign_in(at, "forf.en", "passord123")
    goto(at, "forfatter-scenario")
    at.selectbox(key="author-pick-quiz").set_value(SCENARIO).run()
    assert any(i.startswith("Vi fant endringer du ikke hadde lagret") for i in values(at.info))
    nav(at, 0)
    assert at.text_area(key="q-s0-text").value == "Mia sitter alene i friminuttet."
    # The stored draft itself was not changed; another author does not see the kept copy.
    forf2 = people.find_user("forf.to")
    service = authoring_service(data_dir)
    assert "Mia sitter alene" not in service.draft(forf2, Kind.QUIZ, SCENARIO).files[f"quizzes/{SCENARIO}.yaml"]
    assert service.kept(forf2, Kind.QUIZ, SCENARIO) is None
    click(at, "Lagre utkast")
    assert service.kept(people.find_user("forf.en"), Kind.QUIZ, SCENARIO) is None


def html(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_rollback_and_withdrawal_each_need_a_second_author(people, data_dir):
    from learning.content.catalog import load_catalog
    from learning.services.published import effective_catalog

    from .conftest import FIXTURE_CONTENT
    from .test_authoring_lifecycle import publish_lesson_change
    from .test_authoring_service import LESSON, PROVENANCE, publish_module_with_quiz

    service = authoring_service(data_dir)
    forf, forf2 = people.find_user("forf.en"), people.find_user("forf.to")
    publish_module_with_quiz(service, forf, forf2)
    publish_lesson_change(service, forf2, forf, LESSON + "\nEn setning som var feil.\n")

    # Roll back to version 1: a draft, sent to review, which the same author cannot approve.
    at = author_app()
    goto(at, "forfatter")
    at.selectbox(key="author-choose").set_value("module:ny-modul").run()
    at.selectbox(key="author-rollback-version").set_value(1).run()
    click(at, "Lag utkast fra denne versjonen")
    goto(at, "forfatter-leksjon")
    assert "Utkastet går tilbake til versjon 1." in page_text(at)
    at.text_area(key="author-provenance-module:ny-modul").input(PROVENANCE)
    click(at, "Send til vurdering")
    goto(at, "forfatter-vurdering")
    shown = html(at)  # the change as text: the lesson, before and after, the removed sentence struck through
    assert "Leksjon 1: Første leksjon" in shown and "Før" in shown and "Nå" in shown
    assert '<del><span class="chg-sr">fjernet: </span>' in shown and "feil." in shown and "+++" not in shown
    assert next(b for b in at.button if b.label == "Godkjenn og publiser").disabled
    at = author_app("forf.to")
    goto(at, "forfatter-vurdering")
    click(at, "Godkjenn og publiser")
    catalog = effective_catalog(load_catalog(FIXTURE_CONTENT), open_store(data_dir))
    assert catalog.modules["ny-modul"].version == 3 and catalog.modules["ny-modul"].lessons[0].body == LESSON

    # Withdraw: asked by one author, approved by another.
    at = author_app()
    goto(at, "forfatter")
    at.selectbox(key="author-choose").set_value("module:ny-modul").run()
    at.text_area(key="author-withdraw-reason").input("Et råd i modulen er rettet. Den skal skrives om først.")
    click(at, "Be om å trekke tilbake")
    assert any("En annen forfatter må godkjenne" in s for s in values(at.success))
    goto(at, "forfatter-vurdering")
    assert next(b for b in at.button if b.label == "Godkjenn: trekk tilbake").disabled
    assert "ny-modul" in effective_catalog(load_catalog(FIXTURE_CONTENT), open_store(data_dir)).modules
    at = author_app("forf.to")
    goto(at, "forfatter-vurdering")
    click(at, "Godkjenn: trekk tilbake")
    assert values(at.success)[0] == "«Ny modul» er trukket tilbake. Deltakerne ser det ikke lenger."
    assert "ny-modul" not in effective_catalog(load_catalog(FIXTURE_CONTENT), open_store(data_dir)).modules
    goto(at, "forfatter")
    assert "Trukket tilbake" in list(at.dataframe[0].value["Status"])


def test_a_new_module_shows_its_checklist_and_a_lesson_shows_its_readability(people):
    at = author_app()
    create(at, Kind.MODULE, "Se barnet", "se-barnet")
    assert not at.error and not field_notes(at), (values(at.error), field_notes(at))
    missing = checklist(at)
    for line in ("Kort beskrivelse mangler", "Kilder og bakgrunn mangler", "Leksjon 1: tittel på leksjonen mangler"):
        assert line in missing, missing
    body = ("Barn sier at de vil bli sett. De vil at voksne spør hvordan de har det. "
            "Når en voksen lytter, blir det lettere å fortelle.\n")
    at.text_input(key="m-l0-title").input("Bli sett")
    at.text_area(key="m-l0-body").input(body).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ord"] == "25" and metrics["Lengste setning (ord)"] == "9" and float(metrics["LIX"]) < 40
    assert "Leksjonen har 25 ord. Den bør ha minst 300." in page_text(at)
    assert "Leksjon 1: tittel på leksjonen mangler" not in checklist(at)
