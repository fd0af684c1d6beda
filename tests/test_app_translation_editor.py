"""AppTest flow: an author writes a nynorsk translation in the app, another approves it, a nynorsk
learner sees it; a new bokmål version shows bokmål until the twin is updated, and the author's list
says the translation is out of date."""

from __future__ import annotations

import pytest

from learning.content.bundle import Kind
from learning.i18n import Language
from learning.records import Role
from tests.stores import open_store

from .apptest_helpers import button, click, goto, page_text, restart_app, sign_in, values
from .helpers import admin_and_accounts, make_user
from .test_app_authoring import authoring_service

pytestmark = pytest.mark.tinydb_only
NN_LESSON = "Born seier at det hjelper når ein vaksen lyttar.\n\n::: råd\nLytt til meg.\n:::\n"


@pytest.fixture
def people(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    for name in ("forf.en", "forf.to"):
        make_user(accounts, admin, name, role=Role.AUTHOR)
    kari = make_user(accounts, admin, "kari", role=Role.LEARNER)
    repo.update_user(kari.id, lambda u: u.model_copy(update={"language": Language.NN}))
    return repo


def lesson_page(name: str = "kari"):
    at = sign_in(restart_app(), name, "passord123")
    at.query_params["modul"] = "prove-modul"
    return goto(at, "modul")


def author_home_states(at) -> dict[str, str]:
    goto(at, "forfatter")
    table = next(d for d in at.dataframe if "Nynorsk" in d.value.columns)
    return dict(zip(table.value["Modul eller scenario"], table.value["Nynorsk"], strict=True))


def test_a_nynorsk_translation_written_in_the_app_reaches_nynorsk_learners_of_that_version(people, data_dir):
    at = sign_in(restart_app(), "forf.en", "passord123")
    assert author_home_states(at)["Prøvemodul"] == "Mangler"
    goto(at, "forfatter-leksjon")
    at.selectbox(key="author-pick-module").set_value("prove-modul").run()
    at.radio(key="author-text-language-module").set_value("nn").run()
    click(at, "Begynn å oversette")
    # The structure is shown, not editable; each text has the bokmål text beside it.
    assert "Id: prove-modul · versjon 1 · 10 minutter · scenario: prove-quiz" in page_text(at)
    assert "Leksjoner i denne rekkefølgen: forste, andre" in page_text(at)
    assert not [w for w in at.number_input] and not [w for w in at.multiselect]
    at.text_input(key="tr-module-nn-title").input("Prøvemodul på nynorsk")
    at.text_area(key="tr-module-nn-description").input("Ein liten modul som testane brukar.")
    at.text_area(key="tr-module-nn-sources").input("Testinnhald. Alle personane er oppdikta.")
    at.text_input(key="tr-module-nn-l-forste-title").input("Første leksjonen")
    at.text_area(key="tr-module-nn-l-forste-body").input(NN_LESSON).run()
    assert "Ikke oversatt ennå" not in values(at.info)
    missing = [line for e in at.expander if e.label.startswith("Dette mangler") for m in e.markdown
               for line in m.value.splitlines()]
    assert missing == ["- Leksjon 2: tittel på leksjonen mangler"], missing  # named in the author's words
    at.selectbox(key="tr-module-nn-current").set_value("andre").run()
    at.text_input(key="tr-module-nn-l-andre-title").input("Andre leksjonen").run()
    assert "Ikke oversatt ennå: deltakere ser bokmålsteksten for denne leksjonen." in values(at.info)
    click(at, "Lagre utkast")
    # The preview is the learner's module page in nynorsk: the translated lesson, nynorsk UI words.
    assert "Prøvemodul på nynorsk" in values(at.title)
    assert "Slik ser en deltaker som har valgt nynorsk, modulen." in page_text(at)
    assert "Born seier at det hjelper" in page_text(at)
    at.text_area(key="author-provenance-module:prove-modul:nn").input("Omsett frå bokmålsversjonen, same innhald.")
    click(at, "Send til vurdering")

    reviewer = sign_in(restart_app(), "forf.to", "passord123")
    goto(reviewer, "forfatter-vurdering")
    assert "Oversettelse til nynorsk" in reviewer.selectbox(key="review-pick").format_func(
        reviewer.selectbox(key="review-pick").value)
    click(reviewer, "Godkjenn og publiser")
    assert values(reviewer.success)[0] == ("Oversettelsen til nynorsk av «Prøvemodul på nynorsk» er publisert "
                                           "for versjon 1.")

    learner = lesson_page()
    assert "Første leksjonen" in [h.value for h in learner.header]
    assert "Born seier at det hjelper" in page_text(learner)

    # Bokmål is raised to version 2: nynorsk learners see bokmål until the twin is updated.
    service = authoring_service(data_dir)
    repo = open_store(data_dir)
    author, approver = (repo.find_user(n) for n in ("forf.en", "forf.to"))
    draft = service.edit(author, Kind.MODULE, "prove-modul")
    lesson = "modules/prove-modul/forste.md"
    service.save(author, Kind.MODULE, "prove-modul", {**draft.files, lesson: draft.files[lesson] + "\nNytt.\n"})
    service.submit(author, Kind.MODULE, "prove-modul", "Et nytt avsnitt fra de samme rådene.")
    service.approve(approver, Kind.MODULE, "prove-modul")
    learner = lesson_page()
    assert "Første leksjon" in [h.value for h in learner.header]
    assert "Born seier" not in page_text(learner)
    assert author_home_states(at)["Prøvemodul"] == "Utdatert"
    goto(at, "forfatter-leksjon")
    assert any("gjelder versjon 1, men bokmål er nå versjon 2" in w for w in values(at.warning))
    assert button(at, "Begynn å oversette")
