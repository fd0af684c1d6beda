"""Lifecycle: withdraw from learners and go back to an earlier version, each approved by a second author;
a new scenario version raises the version of the module that uses it."""

from __future__ import annotations

import pytest

from learning.content.bundle import Kind, load_data
from learning.errors import UserError
from learning.records import Role
from learning.services.authoring import AuthoringService, DraftStatus, ItemStatus
from learning.services.learning import LearningService
from learning.services.published import effective_catalog

from .conftest import FIXTURE_CONTENT
from .helpers import admin_and_accounts, make_user
from .test_authoring_service import LESSON, PROVENANCE, complete, publish_module_with_quiz


@pytest.fixture
def world(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    people = {name: make_user(accounts, admin, name, role=role) for name, role in (
        ("forf1", Role.AUTHOR), ("forf2", Role.AUTHOR), ("kari", Role.LEARNER))}
    return AuthoringService(repo, fixture_content, FIXTURE_CONTENT), people

REASON = "Modulen bygger på et råd vi har fått rettet. Den skal ikke vises før den er skrevet om."


def publish_lesson_change(service, author, approver, text: str) -> None:
    draft = service.edit(author, Kind.MODULE, "ny-modul")
    files = dict(draft.files)
    files["modules/ny-modul/forste.md"] = text
    service.save(author, Kind.MODULE, "ny-modul", files)
    service.submit(author, Kind.MODULE, "ny-modul", PROVENANCE)
    service.approve(approver, Kind.MODULE, "ny-modul")


def test_withdrawal_needs_a_second_author_and_then_learners_no_longer_see_the_module(world, repo, fixture_content):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    publish_module_with_quiz(service, forf1, forf2)
    complete(LearningService(repo, effective_catalog(fixture_content, repo)), people["kari"], "ny-modul")
    with pytest.raises(UserError) as short:
        service.request_withdrawal(forf1, Kind.MODULE, "ny-modul", "Feil")
    assert short.value.key == "lifecycle.reason_required"
    request = service.request_withdrawal(forf1, Kind.MODULE, "ny-modul", REASON)
    assert request.status == DraftStatus.REVIEW and request in service.review_queue(forf2)
    with pytest.raises(UserError) as own:
        service.approve(forf1, Kind.MODULE, "ny-modul")
    assert own.value.key == "author.own_draft"
    assert "ny-modul" in effective_catalog(fixture_content, repo).modules  # nothing happens before approval
    version = service.approve(forf2, Kind.MODULE, "ny-modul")
    assert version.withdrawn and version.version == 2
    assert "ny-modul" not in effective_catalog(fixture_content, repo).modules
    learning = LearningService(repo, effective_catalog(fixture_content, repo))
    assert "ny-modul" not in [e.module.id for e in learning.catalog(people["kari"])]
    item = next(i for i in service.items(forf1) if i.item_id == "ny-modul")
    assert item.status == ItemStatus.WITHDRAWN and item.title == "Ny modul"
    assert service.history(forf1, Kind.MODULE, "ny-modul")[0].withdrawn


def test_a_scenario_a_published_module_uses_cannot_be_withdrawn(world):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    with pytest.raises(UserError) as used:
        service.request_withdrawal(people["forf1"], Kind.QUIZ, "ny-quiz", REASON)
    assert used.value.key == "lifecycle.quiz_in_use" and "Ny modul" in used.value.values["modules"]


def test_rollback_is_a_draft_a_second_author_approves(world, repo, fixture_content):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    publish_module_with_quiz(service, forf1, forf2)
    publish_lesson_change(service, forf1, forf2, LESSON + "\nEn setning som var feil.\n")
    back = service.restore(forf2, Kind.MODULE, "ny-modul", 1)
    assert back.restored_from == 1 and back.files["modules/ny-modul/forste.md"] == LESSON
    service.submit(forf2, Kind.MODULE, "ny-modul", PROVENANCE)
    with pytest.raises(UserError) as own:
        service.approve(forf2, Kind.MODULE, "ny-modul")
    assert own.value.key == "author.own_draft"
    assert service.approve(forf1, Kind.MODULE, "ny-modul").version == 3
    module = effective_catalog(fixture_content, repo).modules["ny-modul"]
    assert module.version == 3 and module.lessons[0].body == LESSON
    with pytest.raises(UserError):
        service.restore(forf1, Kind.MODULE, "ny-modul", 7)  # no such version


def test_a_withdrawn_module_comes_back_by_rollback(world, repo, fixture_content):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    publish_module_with_quiz(service, forf1, forf2)
    service.request_withdrawal(forf1, Kind.MODULE, "ny-modul", REASON)
    service.approve(forf2, Kind.MODULE, "ny-modul")
    with pytest.raises(UserError):
        service.restore(forf1, Kind.MODULE, "ny-modul", 2)  # the withdrawal itself is no version to go back to
    service.restore(forf1, Kind.MODULE, "ny-modul", 1)
    service.submit(forf1, Kind.MODULE, "ny-modul", PROVENANCE)
    assert service.approve(forf2, Kind.MODULE, "ny-modul").version == 3
    assert effective_catalog(fixture_content, repo).modules["ny-modul"].version == 3


def test_taking_back_a_withdrawal_request_drops_it(world):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    service.request_withdrawal(people["forf1"], Kind.MODULE, "ny-modul", REASON)
    service.withdraw(people["forf1"], Kind.MODULE, "ny-modul")
    assert service.draft(people["forf1"], Kind.MODULE, "ny-modul") is None


def test_a_new_scenario_version_raises_its_modules_version(world, repo, fixture_content):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    publish_module_with_quiz(service, forf1, forf2)
    draft = service.edit(forf1, Kind.QUIZ, "ny-quiz")
    text = draft.files["quizzes/ny-quiz.yaml"].replace("Et barn sitter alene.", "Et barn sitter alene ved gjerdet.")
    service.save(forf1, Kind.QUIZ, "ny-quiz", {"quizzes/ny-quiz.yaml": text})
    service.submit(forf1, Kind.QUIZ, "ny-quiz", PROVENANCE)
    units = []
    real = repo.update_docs

    def recorded(changes):
        units.append(sorted(key for _, key in changes))
        return real(changes)

    repo.update_docs = recorded
    try:
        assert service.approve(forf2, Kind.QUIZ, "ny-quiz").version == 2
    finally:
        del repo.update_docs
    # one unit of work: the draft, the scenario's version and the module version it raises, or none
    assert units == [["module:ny-modul:000002", "quiz:ny-quiz", "quiz:ny-quiz:000002"]]
    catalog = effective_catalog(fixture_content, repo)
    assert catalog.modules["ny-modul"].version == 2
    newest = service.history(forf1, Kind.MODULE, "ny-modul")[0]
    assert newest.version == 2 and newest.published_by == forf2.name and newest.raised_by_quiz == 2
    meta = load_data(newest.files["modules/ny-modul/module.yaml"])
    assert meta["version"] == 2 and meta["lessons"] == [{"id": "forste", "title": "Første leksjon"}]


def test_an_authors_kept_copy_is_theirs_in_own_data_and_goes_with_erasure(world, repo):
    from learning.services.gdpr import PersonalDataService

    service, people = world
    forf1 = people["forf1"]
    service.create(forf1, Kind.QUIZ, "kladd", "Kladd")
    service.keep(forf1, Kind.QUIZ, "kladd", revision=1, files={"quizzes/kladd.yaml": "title: Hemmelig kladd\n"},
                 form={"title": "Hemmelig kladd"})
    assert service.kept(people["forf2"], Kind.QUIZ, "kladd") is None  # nobody else's
    own = PersonalDataService(repo).own_data(forf1)
    assert {"collection": "author_autosaves", "item_id": "kladd"}.items() <= next(
        a for a in own["authoring"] if a["collection"] == "author_autosaves").items()
    PersonalDataService(repo).anonymise(repo.find_user("admin"), forf1.id, confirm="forf1")
    assert service.kept(forf1, Kind.QUIZ, "kladd") is None
    assert "Hemmelig kladd" not in str(repo.list_docs("author_autosaves"))
