"""Each person's language: stored choice, the sign-in switch, the municipality's, bokmål; t() and lang follow it."""

from __future__ import annotations

import threading

import pytest

from learning.errors import UserError
from learning.i18n import Language, current_language, set_language, t, using_language
from learning.languages import municipality_language, municipality_languages, resolve_language
from learning.municipalities import all_municipalities
from learning.records import User

from .apptest_helpers import create_first_admin, goto, new_app
from .helpers import admin_and_accounts, make_user


def test_resolution_order():
    assert resolve_language() == Language.NB
    assert resolve_language(municipality="4621") == Language.NN  # Voss: nynorsk
    assert resolve_language(session_choice="en", municipality="4621") == Language.EN
    assert resolve_language(chosen="nb", session_choice="en", municipality="4621") == Language.NB
    assert resolve_language(chosen="xx", session_choice="yy", municipality="0301") == Language.NB


def test_municipality_languages_name_real_municipalities_and_known_languages():
    known = all_municipalities()
    table = municipality_languages()
    assert table and set(table) <= set(known)
    assert set(table.values()) <= set(Language)
    assert municipality_language("0301") is None and municipality_language(None) is None


def test_unknown_language_in_the_mapping_is_an_error(tmp_path):
    path = tmp_path / "languages.csv"
    path.write_text("kommunenummer,sprak,navn\n4621,de,Voss\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown language"):
        municipality_languages(path)


def test_env_sets_the_default_and_the_context_overrides_it(monkeypatch):
    monkeypatch.setenv("LEARNING_LANGUAGE", "nn")
    assert current_language() == "nn"
    with using_language("en"):
        assert current_language() == "en"
        with using_language("nb"):
            assert current_language() == "nb"
        assert current_language() == "en"
    assert current_language() == "nn"
    monkeypatch.setenv("LEARNING_LANGUAGE", "klingon")
    assert current_language() == "nb"


def test_the_language_is_per_thread():
    seen: list[str] = []
    with using_language("en"):
        worker = threading.Thread(target=lambda: seen.append(current_language()))
        worker.start()
        worker.join()
        assert current_language() == "en"
    assert seen == ["nb"]


def test_missing_key_falls_back_to_bokmal_and_unknown_key_raises():
    with using_language("nn"):
        assert t("app.title")  # present in every language, or bokmål
        with pytest.raises(KeyError):
            t("no.such.key")


def test_old_user_records_read_without_a_language():
    user = User.model_validate({"id": "u1", "username": "kari", "name": "Kari", "municipality": "0301",
                                "created_at": "2025-01-01T00:00:00+00:00"})
    assert user.language is None
    assert User.model_validate({**user.model_dump(mode="json"), "language": "nn"}).language == Language.NN


def test_language_is_a_self_edit_next_to_name_and_email(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    changed = accounts.update_profile(kari, kari.id, name="Kari", email="", language="nn")
    assert changed.language == Language.NN and repo.get_user(kari.id).language == Language.NN
    unchanged = accounts.update_profile(kari, kari.id, name="Kari N", email="")
    assert unchanged.language == Language.NN and unchanged.name == "Kari N"
    with pytest.raises(UserError) as raised:
        accounts.update_profile(kari, kari.id, name="Kari", email="", language="de")
    assert raised.value.key == "accounts.language_unknown"


def _lang_attribute(at) -> str:
    scripts = [str(h.proto.body) for h in at.get("html") if "documentElement.lang" in str(h.proto.body)]
    return scripts[-1].split('"lang": "')[1].split('"')[0]  # ui/chrome.js's settings, as JSON


def test_page_lang_follows_the_signed_in_person(repo, fixture_content):
    at = new_app()
    assert _lang_attribute(at) == "nb"
    create_first_admin(at)
    admin = repo.find_user("anne")
    repo.update_user(admin.id, lambda u: u.model_copy(update={"language": Language.EN}))
    at.run()
    assert _lang_attribute(at) == "en"


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """AppTest runs the script in the test's thread: leave no language set for the next test."""
    yield
    set_language(None)


def _radio(at, label: str):
    return next(r for r in at.radio if r.label == label)


def test_switch_on_the_sign_in_page_lasts_through_sign_in(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari")
    at = new_app()
    _radio(at, "Språk").set_value("en").run()
    assert [x.value for x in at.title] == ["Sign in"] and _lang_attribute(at) == "en"
    _radio(at, "Language").set_value("nn").run()
    assert "Logg inn for å ta kompetansemodular med kunnskap frå barn." in [m.value for m in at.markdown]
    assert _lang_attribute(at) == "nn"
    next(x for x in at.text_input if x.label == "Brukarnamn").input("kari")
    next(x for x in at.text_input if x.label == "Passord").input("passord123")
    next(b for b in at.button if b.label == "Logg inn").click().run()
    assert [x.value for x in at.title] == ["Kompetansemodular"] and _lang_attribute(at) == "nn"
    assert repo.find_user("kari").language is None  # the switch is the session's, not a stored choice


def test_municipality_default_and_the_profile_choice(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "vossing", municipality="4621", unit="Voss skule")
    at = new_app()
    next(x for x in at.text_input if x.label == "Brukernavn").input("vossing")
    next(x for x in at.text_input if x.label == "Passord").input("passord123")
    next(b for b in at.button if b.label == "Logg inn").click().run()
    assert [x.value for x in at.title] == ["Kompetansemodular"]  # Voss: nynorsk
    at = goto(at, "profil")
    assert _radio(at, "Språk").value == "nn"
    _radio(at, "Språk").set_value("en")
    next(b for b in at.button if b.label == "Lagre profilen").click().run()
    assert [x.value for x in at.success] == ["Your profile is saved."]
    assert [x.value for x in at.title][0] == "Profile" and _lang_attribute(at) == "en"
    assert repo.find_user("vossing").language == Language.EN
