"""Single sign-on: who an identity is (issuer + subject), pending accounts, claim rules, placement.

The service is tested directly; AppTest drives the app with ``at.user`` standing in for
``st.user`` (what Streamlit's OpenID Connect flow hands over).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import Role, counts_as_staff
from learning.services.accounts import AccountService
from learning.services.authz import PermissionDenied
from learning.services.sso import SsoService, sso_settings, sso_username

from .apptest_helpers import APP, click, goto, labels, page_text, sign_in

ISSUER = "https://auth.dataporten.no"
SETTINGS = {
    "feide": {"label": "Feide", "municipality": "4601", "rules": [
        {"claim": "org", "value": "bergen-barnehager", "municipality": "4601", "role": "learner",
         "service_area": "barnehage"},
        {"claim": "groups", "value": "ledere-oslo", "municipality": "0301", "role": "manager"},
    ]},
    "idporten": {"label": "ID-porten"},
}


def claims(sub: str = "abc-123", **extra) -> dict:
    return {"iss": ISSUER, "sub": sub, "iat": time.time(), "name": "Siri Sone", "email": "siri@example.invalid",
            "provider": "feide", "is_logged_in": True, **extra}


@pytest.fixture
def admin(repo):
    return AccountService(repo).create_first_admin(username="admin", password="admin-passord", name="Admin",
                                                   email="", municipality="0301")


@pytest.fixture
def sso(repo):
    return SsoService(repo, sso_settings(SETTINGS))


def test_an_unknown_person_gets_a_pending_account_with_their_claims(sso, repo, admin):
    user = sso.sign_in(claims(groups=["a", "b"]))
    assert user.pending and user.municipality == "4601" and user.role == Role.LEARNER
    assert (user.identity_issuer, user.identity_subject) == (ISSUER, "abc-123")
    assert user.identity_claims["groups"] == ["a", "b"] and user.identity_claims["email"] == "siri@example.invalid"
    assert "iat" not in user.identity_claims and "sub" not in user.identity_claims
    assert not counts_as_staff(user)
    assert sso.sign_in(claims()).id == user.id  # the same person again: the same account


def test_matched_by_issuer_and_subject_never_by_email(sso):
    first = sso.sign_in(claims(sub="one"))
    same_mail = sso.sign_in(claims(sub="two"))
    other_issuer = sso.sign_in({**claims(sub="one"), "iss": "https://idporten.no"})
    assert len({first.id, same_mail.id, other_issuer.id}) == 3


def test_a_claim_rule_places_at_once(sso, repo):
    user = sso.sign_in(claims(org="bergen-barnehager"))
    assert not user.pending and user.municipality == "4601" and user.service_area == ServiceArea.BARNEHAGE
    leader = sso.sign_in(claims(sub="leder", groups=["x", "ledere-oslo"]))
    assert (leader.municipality, leader.role, leader.pending) == ("0301", Role.MANAGER, False)


def test_a_rule_added_later_places_a_waiting_account_at_its_next_sign_in(repo):
    waiting = SsoService(repo, sso_settings({"feide": {"municipality": "4601"}})).sign_in(claims(org="bergen-barnehager"))
    assert waiting.pending
    placed = SsoService(repo, sso_settings(SETTINGS)).sign_in(claims(org="bergen-barnehager"))
    assert placed.id == waiting.id and not placed.pending


def test_rules_never_make_an_admin_and_bad_places_are_named():
    with pytest.raises(ValueError, match=r"rules\[0\].*never"):
        sso_settings({"x": {"rules": [{"claim": "g", "value": "v", "municipality": "0301", "role": "admin"}]}})
    with pytest.raises(ValueError, match="kommunenummer"):
        sso_settings({"x": {"rules": [{"claim": "g", "value": "v", "municipality": "9999"}]}})


def test_a_stale_or_revoked_identity_opens_no_session(sso, repo):
    assert sso.sign_in(claims(iat=time.time() - 3600)) is None
    user = sso.sign_in(claims())
    AccountService(repo).end_sessions(user.id)  # signed out: the identity cookie from before must not work
    assert sso.sign_in(claims(iat=time.time() - 2)) is None
    assert sso.sign_in(claims(iat=time.time() + 1)) is not None
    with pytest.raises(UserError):
        sso.sign_in({"iss": ISSUER, "iat": time.time()})


def test_a_local_username_is_never_taken_over(sso, repo, admin):
    AccountService(repo).create_user(admin, username=sso_username(ISSUER, "x"), password="passord-123", name="L",
                                     email="", municipality="0301", role=Role.LEARNER)
    with pytest.raises(UserError):
        sso.sign_in(claims(sub="x"))


def test_placement_by_the_municipal_admin_of_that_municipality_only(sso, repo, admin):
    accounts = AccountService(repo)
    bergen = accounts.create_user(admin, username="kadm", password="passord-123", name="K", email="",
                                  municipality="4601", role=Role.MUNICIPAL_ADMIN)
    oslo = accounts.create_user(admin, username="oadm", password="passord-123", name="O", email="",
                                municipality="0301", role=Role.MUNICIPAL_ADMIN)
    waiting = sso.sign_in(claims())
    assert [u.id for u in sso.pending(bergen)] == [waiting.id]
    assert sso.pending(oslo) == []
    with pytest.raises(PermissionDenied):
        sso.place(oslo, waiting.id, municipality="0301", role=Role.LEARNER, service_area=None, unit="")
    with pytest.raises(PermissionDenied):
        sso.place(bergen, waiting.id, municipality="4601", role=Role.ADMIN, service_area=None, unit="")
    placed = sso.place(bergen, waiting.id, municipality="4601", role=Role.MANAGER,
                       service_area=ServiceArea.SKOLE, unit="")
    assert (placed.pending, placed.role, placed.service_area) == (False, Role.MANAGER, ServiceArea.SKOLE)
    assert sso.pending(admin) == []
    nowhere = SsoService(repo, sso_settings({"idporten": {}})).sign_in(claims(sub="p", provider="idporten"))
    assert nowhere.municipality == "" and [u.id for u in sso.pending(admin)] == [nowhere.id]
    with pytest.raises(PermissionDenied):  # from no municipality: for an admin to place
        sso.place(bergen, nowhere.id, municipality="4601", role=Role.LEARNER, service_area=None, unit="")
    assert not sso.place(admin, nowhere.id, municipality="4601", role=Role.LEARNER, service_area=None,
                         unit="").pending


# --- the app, with at.user standing in for st.user ---------------------------
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 40,
        "feide": {"client_id": "id", "client_secret": "secret",
                  "server_metadata_url": "https://auth.dataporten.no/.well-known/openid-configuration"}}


def sso_app(user: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["sso"] = SETTINGS
    at.user = user or {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    return at


def test_app_offers_the_configured_provider_beside_the_local_form(data_dir, fixture_content, admin):
    at = sso_app(None)
    assert "Logg inn med Feide" in labels(at.button)
    assert "Logg inn" in labels(at.button)  # local accounts stay


def test_app_a_new_person_waits_for_placement_and_sees_nothing_else(data_dir, fixture_content, admin):
    at = sso_app(claims())
    assert at.title[0].value == "Du venter på plassering"
    assert "Siri Sone" in page_text(at)
    assert "Moduler" not in [t.value for t in at.title]
    click(at, "Logg ut")  # st.logout: the browser leaves for /auth/logout and comes back as a new session
    assert not at.user.get("is_logged_in") and at.run().title[0].value == "Logg inn"


def test_app_a_rule_lands_the_person_in_the_catalog(data_dir, fixture_content, admin):
    at = sso_app(claims(sub="leder", groups=["ledere-oslo"]))
    assert at.title[0].value == "Kompetansemoduler"
    assert "Siri Sone" in "\n".join(m.value for m in at.sidebar.markdown)


def test_app_admin_places_a_pending_account(data_dir, fixture_content, repo, admin):
    waiting = SsoService(repo, sso_settings(SETTINGS)).sign_in(claims(sub="ny", iat=time.time()))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    sign_in(at, "admin", "admin-passord")
    goto(at, "brukere")
    assert "Venter på plassering (1)" in [e.label for e in at.expander]
    assert "siri@example.invalid" in str(at.dataframe[0].value.to_dict())
    at.selectbox(key="admin-municipality").set_value("4601").run()
    click(at, "Plasser")
    assert not repo.get_user(waiting.id).pending
    assert repo.get_user(waiting.id).municipality == "4601"
    assert datetime.now(UTC) - repo.get_user(waiting.id).created_at < timedelta(minutes=5)


def test_the_example_secrets_file_is_valid_and_holds_no_secret():
    import tomllib
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    providers = sso_settings(data["sso"])
    assert set(providers) == set(data["auth"]) - {"redirect_uri", "cookie_secret"}
    assert all(v["client_secret"] == "CHANGE-ME" for k, v in data["auth"].items() if isinstance(v, dict))
