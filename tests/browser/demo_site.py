"""A demo installation for whole-site browser tests: fictional staff, one sign-in per role, a draft in review.

Built once per test module; the app runs on the repository's own content (all eight modules,
with their nynorsk twins), as ``run.sh --demo`` would show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from learning.content.bundle import Kind
from learning.content.catalog import load_catalog
from learning.content.models import ServiceArea
from learning.records import Role
from learning.services import passwords
from learning.services.accounts import AccountService
from learning.services.authoring import AuthoringService
from learning.services.demo import seed_demo
from learning.storage.tinydb_repo import TinyDBRepository

from .server import ROOT

# role -> demo username (seed_demo's accounts, plus a municipal admin made here)
USERS = {"learner": "kari.demo", "manager": "leder.oslo", "municipal_admin": "kommuneadmin",
         "coordinator": "koordinator", "author": "forfatter.to", "admin": "admin"}
FRESH = ("tastatur", "spraak")
# Leaders whose own language is not bokmål: every page of their menus is checked in that language.
LANGUAGE_USERS = {"leder.nn": (Role.MANAGER, "nn"), "admin.en": (Role.ADMIN, "en")}


@dataclass
class DemoSite:
    data: Path
    passwords: dict[str, str] = field(default_factory=dict)  # username -> password

    def login(self, role: str) -> tuple[str, str]:
        username = USERS[role]
        return username, self.passwords[username]


def build(data: Path, *, staff: int = 60) -> DemoSite:
    """Fill ``data`` with demo staff and sign-ins (fast password hashes: the stored cost is used to check)."""
    saved = passwords.SCRYPT_N
    passwords.SCRYPT_N = 2**10
    try:
        repo = TinyDBRepository(data)
        catalog = load_catalog(ROOT)
        logins = seed_demo(repo, catalog, staff=staff)
        site = DemoSite(data, {login.username: login.password for login in logins})
        accounts = AccountService(repo)
        admin = next(u for u in repo.list_users() if u.username == "admin")
        accounts.create_user(admin, username="kommuneadmin", password="kommuneadmin-passord",
                             name="Kommuneadministrator", email="", municipality="0301", role=Role.MUNICIPAL_ADMIN)
        site.passwords["kommuneadmin"] = "kommuneadmin-passord"
        for username in FRESH:  # learners with nothing started: the keyboard walk, the language switch
            accounts.create_user(admin, username=username, password=f"{username}-passord", name=username.title(),
                                 email="", municipality="0301", role=Role.LEARNER, service_area=ServiceArea.SKOLE,
                                 unit="Bjørkelia skole")
            site.passwords[username] = f"{username}-passord"
        for username, (role, language) in LANGUAGE_USERS.items():
            made = accounts.create_user(admin, username=username, password=f"{username}-passord",
                                        name=username.title(), email="", municipality="0301", role=role)
            accounts.update_profile(admin, made.id, name=made.name, email="", language=language)
            site.passwords[username] = f"{username}-passord"
        _draft_in_review(repo, catalog)
        return site
    finally:
        passwords.SCRYPT_N = saved


def _draft_in_review(repo: TinyDBRepository, catalog) -> None:
    """One changed scenario waiting for review, so the review page shows a diff."""
    service = AuthoringService(repo, catalog, ROOT)
    writer = next(u for u in repo.list_users() if u.username == "forfatter.en")
    quiz_id = sorted(catalog.quizzes)[0]
    draft = service.edit(writer, Kind.QUIZ, quiz_id)
    files = {path: text.replace("title: ", "title: Ny ", 1) if path.endswith(".yaml") and ".nn." not in path
             else text for path, text in draft.files.items()}
    saved, problems = service.save(writer, Kind.QUIZ, quiz_id, files, draft.revision)
    assert not problems, problems
    service.submit(writer, Kind.QUIZ, quiz_id, "Bygger på rådene fra barn i modulens kilder.", saved.revision)
