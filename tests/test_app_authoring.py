"""AppTest flows for authoring, through the real streamlit_app.py.

An author writes a new scenario and a module for it, tries them as a learner would,
sends them to review; another author approves; a learner then takes the module.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from learning.content.bundle import Kind
from learning.records import Role
from learning.services.accounts import AccountService
from learning.services.authoring import AuthoringService, DraftStatus
from learning.services.authz import PermissionDenied
from tests.stores import open_store

from .apptest_helpers import (
    button,
    card_titles,
    catalog_cards,
    click,
    goto,
    menu,
    page_text,
    play_quiz,
    restart_app,
    sign_in,
    values,
)
from .conftest import FIXTURE_CONTENT
from .helpers import admin_and_accounts, make_user
from .test_authoring_service import PROVENANCE, publish_module_with_quiz

NO_ACCESS = "Du har ikke tilgang til denne siden. Logg inn med en bruker som har riktig rolle."
SCENARIO = "mia-i-friminuttet"
MODULE = "se-barnet-i-friminuttet"
EDITOR_PATH = {Kind.QUIZ: "forfatter-scenario", Kind.MODULE: "forfatter-leksjon"}


@pytest.fixture
def people(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    for name, role in (("forf.en", Role.AUTHOR), ("forf.to", Role.AUTHOR), ("kari", Role.LEARNER),
                       ("ola", Role.LEARNER)):
        make_user(accounts, admin, name, role=role)
    return repo


def authoring_service(data_dir) -> AuthoringService:
    from learning.content.catalog import load_catalog
    return AuthoringService(open_store(data_dir), load_catalog(FIXTURE_CONTENT), FIXTURE_CONTENT)


def author_app(name: str = "forf.en"):
    return sign_in(restart_app(), name, "passord123")


def create(at, kind: Kind, title: str, item_id: str):
    """Make a new draft on the Innhold page; it opens in its editor."""
    goto(at, "forfatter")
    at.radio(key="author-new-kind").set_value(kind)
    at.text_input(key="author-new-title").input(title)
    at.text_input(key="author-new-id").input(item_id)
    click(at, "Lag utkast")
    # AppTest keeps running the page goto() chose; follow the switch to the editor.
    return goto(at, EDITOR_PATH[kind])


def errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def nav(at, index: int):
    """Open a part of the scenario in the editor's navigator (-1: «Om scenarioet», 0: the first step)."""
    at.button(key=f"q-nav{index}").click().run()
    assert not at.exception, at.exception
    return at


def write_scenario(at):
    """Two steps: the first choice leads on to the second step, the other ends."""
    at.text_area(key="q-intro").input("Situasjonen og personene er oppdiktet. Du er lærer.")
    at.selectbox(key="q-setting").set_value("skole")
    at.run()
    nav(at, 0)
    at.text_area(key="q-s0-text").input("Mia (9) sitter alene i friminuttet.")
    at.text_input(key="q-s0-c0-text").input("Du setter deg ved siden av henne.")
    at.text_area(key="q-s0-c0-feedback").input("Mia merker at noen ser henne.")
    at.number_input(key="q-s0-c0-points").set_value(2)
    at.multiselect(key="q-s0-c0-tags").set_value(["trygger"])
    at.text_input(key="q-s0-c1-text").input("Du går videre.")
    at.text_area(key="q-s0-c1-feedback").input("Mia blir sittende alene.")
    at.run()
    click(at, "Legg til steg")  # opens the new step
    at.text_area(key="q-s1-text").input("Mia sier at ingen vil leke med henne.")
    at.text_input(key="q-s1-c0-text").input("Du spør hva som har skjedd.")
    at.text_area(key="q-s1-c0-feedback").input("Mia får fortelle med egne ord.")
    at.number_input(key="q-s1-c0-points").set_value(2)
    at.text_input(key="q-s1-c1-text").input("Du sier at hun må spørre noen.")
    at.text_area(key="q-s1-c1-feedback").input("Mia kjenner seg avvist.")
    at.run()
    nav(at, 0)
    at.selectbox(key="q-s0-c0-next").set_value("steg-2")
    return at.run()


def submit(at, key: str):
    at.text_area(key=f"author-provenance-{key}").input(PROVENANCE)
    return click(at, "Send til vurdering")


def test_author_writes_scenario_and_module_other_author_publishes_learner_completes(people, data_dir):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    assert values(at.title) == ["Scenarioer"]
    write_scenario(at)
    assert not errors(at), errors(at)
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "steg-2" in dot and "Slutt" in dot and "⚠" not in dot
    click(at, "Lagre utkast")
    assert values(at.success)[0] == "Utkastet er lagret."
    # Preview: the same quiz flow as a learner, nothing recorded.
    assert any(i.startswith("Forhåndsvisning") for i in values(at.info))
    play_quiz(at, [0, 0])
    assert any(s.startswith("Bestått") for s in values(at.success))
    forf = people.find_user("forf.en")
    assert people.progress_for(forf.id) == {} and people.attempts_for(forf.id) == []
    submit(at, f"quiz:{SCENARIO}")
    assert any("Utkastet er sendt til vurdering" in i for i in values(at.info))

    # The module that makes the scenario reachable for learners.
    create(at, Kind.MODULE, "Se barnet i friminuttet", MODULE)
    assert values(at.title) == ["Moduler og leksjoner"]
    at.text_area(key="m-description").input("Om barn som er alene i friminuttet.")
    at.selectbox(key="m-quiz").set_value(SCENARIO)
    at.text_area(key="m-sources").input("Råd fra barn, gjengitt med egne ord. Personene er oppdiktet.")
    at.text_input(key="m-l0-title").input("Se den som er alene")
    at.text_area(key="m-l0-body").input("Barn sier at det hjelper når en voksen ser dem.\n\n"
                                         "::: råd\nKom bort til meg.\n:::\n")
    at.run()
    assert not errors(at), errors(at)
    assert "Råd fra barn" in page_text(at)  # the live preview renders the callout
    click(at, "Lagre utkast")
    submit(at, f"module:{MODULE}")

    # The same author cannot approve; another author can.
    goto(at, "forfatter-vurdering")
    assert button(at, "Godkjenn og publiser").disabled
    at = author_app("forf.to")
    goto(at, "forfatter-vurdering")
    at.selectbox(key="review-pick").set_value(f"quiz:{SCENARIO}").run()
    click(at, "Godkjenn og publiser")
    assert values(at.success)[0] == "Scenario «Mia i friminuttet» er publisert som versjon 1. Deltakerne ser den nå."
    click(at, "Godkjenn og publiser")  # the module is the only one left
    assert "publisert som versjon 1" in values(at.success)[0]

    # A learner finds the module in the catalog and completes it.
    at = sign_in(restart_app(), "kari", "passord123")
    assert "Se barnet i friminuttet" in card_titles(at)
    at.button(key=f"open-{MODULE}").click().run()
    assert values(at.header) == ["Se den som er alene"]
    click(at, "Til scenarioet")
    play_quiz(at, [0, 0])
    assert any("Fullført" in s for s in values(at.success))
    kari = people.find_user("kari")
    assert open_store(data_dir).progress_for(kari.id)[MODULE].completed_version == 1


def test_version_2_keeps_completions_of_version_1(people, data_dir):
    service = authoring_service(data_dir)
    forf, forf2 = people.find_user("forf.en"), people.find_user("forf.to")
    publish_module_with_quiz(service, forf, forf2)
    at = sign_in(restart_app(), "kari", "passord123")
    at.button(key="open-ny-modul").click().run()
    click(at, "Til scenarioet")
    play_quiz(at, [0])
    # Version 2 changes the lesson title.
    draft = service.edit(forf, Kind.MODULE, "ny-modul")
    files = dict(draft.files)
    files["modules/ny-modul/module.yaml"] = files["modules/ny-modul/module.yaml"].replace(
        "title: Første leksjon", "title: Første leksjon, ny utgave")
    service.save(forf, Kind.MODULE, "ny-modul", files)
    service.submit(forf, Kind.MODULE, "ny-modul", PROVENANCE)
    assert service.approve(forf2, Kind.MODULE, "ny-modul").version == 2

    at = sign_in(restart_app(), "kari", "passord123")
    assert "Fullført · 100 % gjort" in [card.progress for card in catalog_cards(at)]
    goto(at, "min-laering")
    assert list(at.dataframe[0].value["Versjon"]) == [1]

    at = sign_in(restart_app(), "ola", "passord123")
    at.button(key="open-ny-modul").click().run()
    assert values(at.header) == ["Første leksjon, ny utgave"]
    click(at, "Til scenarioet")
    play_quiz(at, [0])
    goto(at, "min-laering")
    assert list(at.dataframe[0].value["Versjon"]) == [2]


def checklist(at) -> list[str]:
    boxes = [e for e in at.expander if e.label.startswith("Dette mangler før du kan sende til vurdering")]
    return [line.removeprefix("- ") for b in boxes for m in b.markdown for line in m.value.splitlines()]


def test_invalid_draft_is_saved_with_its_checklist_and_keeps_text(people, data_dir):
    at = author_app()
    create(at, Kind.QUIZ, "Halvferdig", "halvferdig")
    nav(at, 0)
    at.text_area(key="q-s0-text").input("Et barn gråter i garderoben.")
    at.text_input(key="q-s0-c0-text").input("Du setter deg ned.")
    at.run()
    click(at, "Legg til steg")
    nav(at, 0)
    at.selectbox(key="q-s0-c0-next").set_value("steg-2").run()
    nav(at, 1)
    click(at, "Fjern steget")  # the choice now leads to a step that is gone
    assert not errors(at), errors(at)
    found = checklist(at)
    for message in ("Innledning mangler", "Steg 1, valg 1: tilbakemelding mangler",
                    "Steg 1, valg 1: neste steg finnes ikke lenger. Velg et annet"):
        assert message in found, found
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "⚠ finnes ikke: steg-2" in dot
    click(at, "Lagre utkast")
    assert values(at.info)[0].startswith("Utkastet er lagret. 1") or "mangler før du kan sende" in values(at.info)[0]
    # Signed out and back in: the invalid draft is still there, text and all.
    at = author_app()
    goto(at, "forfatter-scenario")
    at.selectbox(key="author-pick-quiz").set_value("halvferdig").run()
    nav(at, 0)
    assert at.text_area(key="q-s0-text").value == "Et barn gråter i garderoben."
    assert at.text_input(key="q-s0-c0-text").value == "Du setter deg ned."
    assert at.selectbox(key="q-s0-c0-next").value == "steg-2"
    assert "Steg 1, valg 1: tilbakemelding mangler" in checklist(at)


def test_send_back_comment_is_shown_to_the_author(people, data_dir):
    service = authoring_service(data_dir)
    forf = people.find_user("forf.en")
    from .test_authoring_service import write_valid_quiz
    write_valid_quiz(service, forf, "tilbake")
    service.submit(forf, Kind.QUIZ, "tilbake", PROVENANCE)
    at = author_app("forf.to")
    goto(at, "forfatter-vurdering")
    click(at, "Send tilbake")
    assert errors(at) == ["Skriv en kommentar, så forfatteren vet hva som må endres."]
    at.text_area(key="review-comment-quiz:tilbake").input("Tilbakemeldingen i steg 1 må si mer om barnet.")
    click(at, "Send tilbake")
    assert "sendt tilbake" in values(at.success)[0]
    assert service.draft(forf, Kind.QUIZ, "tilbake").status == DraftStatus.DRAFT

    at = author_app()
    goto(at, "forfatter-scenario")
    at.selectbox(key="author-pick-quiz").set_value("tilbake").run()
    comments = [w for w in values(at.warning) if "Kommentar fra" in w]
    assert comments and "Tilbakemeldingen i steg 1 må si mer om barnet." in comments[0]


def test_lesson_preview_renders_scripts_and_bad_links_inert(people, data_dir):
    at = author_app()
    create(at, Kind.MODULE, "Trygg tekst", "trygg-tekst")
    hostile = ('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
               "[klikk her](javascript:alert(1)) og [også](JaVaScRiPt:alert(2))\n")
    at.text_area(key="m-l0-body").input(hostile).run()
    own = ("/api/session",  # the app's own script that hands the browser its session cookie (ui/session.py)
           "__lmChrome")  # and the page frame's script (ui/chrome.js: lang, focus, Streamlit's words)
    html = "\n".join(str(h.proto.body) for h in at.get("html") if not any(o in str(h.proto.body) for o in own))
    assert "&lt;script&gt;" in html  # shown as text
    assert "<script" not in html.replace("<script>document.documentElement.lang='nb';</script>", "")
    assert "<img" not in html and "href=\"javascript" not in html.lower() and "onerror=alert(1)>" not in html
    assert "Linje 5: lenken «javascript:alert(1» er ikke tillatt" in [w.value.replace("\\", "") for w in at.warning]
    assert at.text_area(key="m-l0-body").value == hostile


PAGE_AS = """
import streamlit as st
from importlib import import_module
from learning.ui.session import USER_KEY
st.session_state[USER_KEY] = st.session_state.get("as_user")
import_module("learning.ui.pages." + st.session_state["page"]).render()
"""


def render_as(user_id: str, page: str):
    at = AppTest.from_string(PAGE_AS, default_timeout=30)
    at.session_state["as_user"] = user_id
    at.session_state["page"] = page
    return at.run()


def test_roles_author_sees_no_staff_data_and_learner_cannot_edit(people, data_dir):
    at = author_app()
    assert menu(at) == {"", "modul", "min-laering", "profil", "personvern", "kursbevis", "avmelding", "tilgjengelighet",
                        "forfatter", "forfatter-scenario",
                        "forfatter-leksjon", "forfatter-vurdering"}
    goto(at, "brukere")
    assert "Brukere" not in values(at.title) and not at.dataframe
    forf = people.find_user("forf.en")
    for page in ("admin_users", "manager_dashboard"):
        refused = render_as(forf.id, page)
        assert values(refused.error) == [NO_ACCESS] and not refused.dataframe and not refused.text_input
    with pytest.raises(PermissionDenied):
        AccountService(people).list_users(forf)

    kari = people.find_user("kari")
    at = sign_in(restart_app(), "kari", "passord123")
    # "" is the catalog, the default page
    assert menu(at) == {"", "modul", "min-laering", "profil", "personvern", "kursbevis", "avmelding", "tilgjengelighet"}
    goto(at, "forfatter-scenario")
    assert values(at.title) == ["Kompetansemoduler"] and not at.text_area
    for page in ("author_home", "author_scenario", "author_lesson", "author_review"):
        refused = render_as(kari.id, page)
        assert values(refused.error) == [NO_ACCESS], page
        assert not refused.text_area and not refused.text_input and not refused.dataframe and not refused.button


def test_export_and_import_in_app(people, data_dir):
    service = authoring_service(data_dir)
    forf, forf2 = people.find_user("forf.en"), people.find_user("forf.to")
    publish_module_with_quiz(service, forf, forf2)
    at = author_app("forf.to")
    goto(at, "forfatter")
    at.selectbox(key="author-choose").set_value("module:ny-modul").run()
    assert "Last ned som filer (zip)" in [b.label for b in at.get("download_button")]
    # A bad zip: clear errors, nothing imported.
    before = open_store(data_dir).list_docs("author_drafts")
    at.file_uploader(key="author-import-file").upload("feil.zip", b"ikke en zip", "application/zip").run()
    click(at, "Importer")
    assert "Ingenting ble importert" in errors(at)[0]
    assert "feil.zip: er ikke en gyldig zip-fil" in at.code[-1].value
    assert open_store(data_dir).list_docs("author_drafts") == before
    # A good one becomes drafts.
    payload = service.export_zip(forf, Kind.MODULE, "ny-modul")
    at.file_uploader(key="author-import-file").set_value(("ny-modul.zip", payload, "application/zip")).run()
    click(at, "Importer")
    assert values(at.success) == ["Importert som utkast (2): Modul ny-modul, Scenario ny-quiz. "
                                  "Send dem til vurdering når de er klare."]


def test_author_marks_a_choice_critical_and_preview_and_diagram_show_it(people, data_dir):
    at = author_app()
    create(at, Kind.QUIZ, "Mia i friminuttet", SCENARIO)
    write_scenario(at)
    nav(at, 1)
    at.text_input(key="q-s1-c1-text").input("Du lover Mia at du ikke sier det til noen.").run()
    at.checkbox(key="q-s1-c1-critical").check().run()
    assert "Regelen som brytes mangler" in [w.value for w in at.warning]
    at.text_input(key="q-s1-c1-critical_reason").input("Du kan ikke love et barn hemmelighold.").run()
    assert not errors(at) and not at.warning, [w.value for w in at.warning]
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "Valg 2: alvorlig feil" in dot and "⛔ Alvorlig feil: stopper her" in dot
    click(at, "Lagre utkast")
    files = authoring_service(data_dir).draft(people.find_user("forf.en"), Kind.QUIZ, SCENARIO).files
    saved = files[f"quizzes/{SCENARIO}.yaml"]
    assert "critical: true" in saved and "critical_reason: Du kan ikke love et barn hemmelighold." in saved
    # The preview plays it as a learner would: the mistake ends the scenario and fails whatever the points.
    play_quiz(at, [0, 1])
    assert "Ikke bestått: Du gjorde en alvorlig feil" in page_text(at)
    assert "**Regelen:** Du kan ikke love et barn hemmelighold." in page_text(at)
    assert not any(s.startswith("Bestått") for s in values(at.success))
