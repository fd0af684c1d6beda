"""Authoring service: drafts, validation, review, versions, export/import, roles."""

from __future__ import annotations

import io
import zipfile

import pytest

from learning.content.bundle import (
    MAX_DRAFT_CHARS,
    MAX_UPLOAD_BYTES,
    Kind,
    check_quiz,
    dump_yaml,
    files_on_disk,
    load_data,
    pack_zip,
    quiz_path,
    set_version,
)
from learning.content.diagram import marks, quiz_dot
from learning.content.problems import ContentError
from learning.errors import UserError
from learning.records import Role
from learning.services.authoring import AuthoringService, DraftStatus, ItemStatus, new_quiz_data
from learning.services.authz import PermissionDenied
from learning.services.learning import LearningService, Status
from learning.services.published import VERSIONS, effective_catalog, version_key

from .conftest import FIXTURE_CONTENT
from .helpers import admin_and_accounts, make_user

PROVENANCE = "Råd fra barn i Forandringsfabrikkens arbeid, gjengitt med egne ord."


def quiz_yaml(item_id: str, *, title: str = "Nytt scenario", feedback: str = "Barnet merker at du er der.") -> str:
    return f"""id: {item_id}
title: {title}
intro: Situasjonen er oppdiktet.
setting: skole
pass_percent: 70
steps:
  - id: start
    text: Et barn sitter alene.
    choices:
      - text: Du setter deg ned.
        feedback: {feedback}
        points: 2
        tags: [trygger]
      - text: Du går forbi.
        feedback: Barnet blir alene.
        points: 0
        tags: [unnviker]
"""


MODULE_YAML = """id: ny-modul
title: Ny modul
description: En modul skrevet i appen.
service_areas: [alle]
minutes: 10
quiz: ny-quiz
lessons:
  - id: forste
    title: Første leksjon
sources: |
  Råd fra barn. Alle personer er oppdiktet.
"""
LESSON = "Barn sier at det hjelper å bli sett.\n\n::: råd\nSe meg.\n:::\n"


def write_valid_quiz(service: AuthoringService, author, item_id: str) -> None:
    service.create(author, Kind.QUIZ, item_id, "Nytt scenario")
    service.save(author, Kind.QUIZ, item_id, {quiz_path(item_id): quiz_yaml(item_id)})


def module_files(yaml_text: str = MODULE_YAML, lesson: str = LESSON) -> dict[str, str]:
    return {"modules/ny-modul/module.yaml": yaml_text, "modules/ny-modul/forste.md": lesson}


def publish_module_with_quiz(service: AuthoringService, author, approver) -> None:
    """Module ``ny-modul`` (one lesson) with scenario ``ny-quiz``, both version 1."""
    write_valid_quiz(service, author, "ny-quiz")
    service.submit(author, Kind.QUIZ, "ny-quiz", PROVENANCE)
    service.approve(approver, Kind.QUIZ, "ny-quiz")
    service.create(author, Kind.MODULE, "ny-modul", "Ny modul")
    service.save(author, Kind.MODULE, "ny-modul", module_files())
    service.submit(author, Kind.MODULE, "ny-modul", PROVENANCE)
    service.approve(approver, Kind.MODULE, "ny-modul")


@pytest.fixture
def world(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    people = {name: make_user(accounts, admin, name, role=role) for name, role in (
        ("forf1", Role.AUTHOR), ("forf2", Role.AUTHOR), ("kari", Role.LEARNER), ("ola", Role.LEARNER),
        ("leder", Role.MANAGER))}
    people["admin"] = admin
    service = AuthoringService(repo, fixture_content, FIXTURE_CONTENT)
    return service, people


# --- roles ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["kari", "leder", None])
def test_only_authors_and_admins_may_use_the_service(world, who):
    service, people = world
    user = people.get(who) if who else None
    calls = [
        lambda: service.items(user), lambda: service.create(user, Kind.QUIZ, "x", "X"),
        lambda: service.edit(user, Kind.MODULE, "prove-modul"), lambda: service.review_queue(user),
        lambda: service.save(user, Kind.QUIZ, "x", {}), lambda: service.submit(user, Kind.QUIZ, "x", PROVENANCE),
        lambda: service.approve(user, Kind.QUIZ, "x"), lambda: service.send_back(user, Kind.QUIZ, "x", "nei"),
        lambda: service.withdraw(user, Kind.QUIZ, "x"), lambda: service.discard(user, Kind.QUIZ, "x"),
        lambda: service.history(user, Kind.QUIZ, "prove-quiz"), lambda: service.export_zip(user, Kind.QUIZ, "prove-quiz"),
        lambda: service.import_zip(user, b"", "x.zip"), lambda: service.draft(user, Kind.QUIZ, "x"),
        lambda: service.known_quizzes(user), lambda: service.published_files(user, Kind.QUIZ, "prove-quiz"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_admin_may_author(world):
    service, people = world
    assert service.create(people["admin"], Kind.QUIZ, "fra-admin", "Fra admin").status == DraftStatus.DRAFT


class NoStaffData:
    """A repository that fails on any user, progress or attempt access."""

    def __init__(self, repo):
        self._repo = repo

    def __getattr__(self, name):
        if name in {"get_doc", "put_doc", "update_doc", "update_docs", "list_docs", "append_audit"}:  # the log holds ids only
            return getattr(self._repo, name)
        raise AssertionError(f"authoring touched staff data: {name}")


def test_authoring_never_reads_users_or_progress(world, repo, fixture_content):
    _, people = world
    service = AuthoringService(NoStaffData(repo), fixture_content, FIXTURE_CONTENT)
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    service.items(people["forf1"])
    service.history(people["forf1"], Kind.MODULE, "ny-modul")
    service.import_zip(people["forf2"], service.export_zip(people["forf1"], Kind.MODULE, "prove-modul"), "x.zip")


# --- drafts and validation ------------------------------------------------------------
@pytest.mark.parametrize("item_id", ["Mitt scenario", "æøå", "-start", "a" * 61, ""])
def test_ids_must_be_slugs(world, item_id):
    service, people = world
    with pytest.raises(UserError) as exc:
        service.create(people["forf1"], Kind.QUIZ, item_id, "Tittel")
    assert exc.value.key == "author.bad_slug"


def test_an_existing_id_cannot_be_created_again(world):
    service, people = world
    with pytest.raises(UserError) as exc:
        service.create(people["forf1"], Kind.QUIZ, "prove-quiz", "Kopi")
    assert exc.value.key == "author.exists"
    service.create(people["forf1"], Kind.QUIZ, "ny", "Ny")
    with pytest.raises(UserError) as exc:
        service.create(people["forf2"], Kind.QUIZ, "ny", "Ny igjen")
    assert exc.value.key == "author.draft_open"


def test_invalid_draft_is_saved_with_problems_and_cannot_be_submitted(world):
    service, people = world
    forf = people["forf1"]
    draft = service.create(forf, Kind.QUIZ, "halv", "Halvferdig")
    data = new_quiz_data("halv", "Halvferdig")
    data["steps"][0]["text"] = "Et barn gråter."
    data["steps"][0]["choices"][0]["next"] = "finnes-ikke"
    draft, problems = service.save_quiz(forf, "halv", data, draft.revision)
    messages = [p.message for p in problems]
    assert "steps[0].choices[0].feedback: kan ikke være tom" in messages
    assert "setting: mangler feltet «setting»" in messages
    assert all(p.path == "quizzes/halv.yaml" and p.line for p in problems)
    stored = service.draft(forf, Kind.QUIZ, "halv")
    assert load_data(stored.files["quizzes/halv.yaml"])["steps"][0]["text"] == "Et barn gråter."
    with pytest.raises(UserError) as exc:
        service.submit(forf, Kind.QUIZ, "halv", PROVENANCE)
    assert exc.value.key == "author.has_problems"


def test_branch_problems_use_the_file_validator(world):
    service, people = world
    forf = people["forf1"]
    service.create(forf, Kind.QUIZ, "grener", "Grener")
    text = quiz_yaml("grener").replace("        tags: [trygger]\n", "        next: start\n        tags: [trygger]\n")
    text += "  - id: glemt\n    text: Ingen kommer hit.\n    choices:\n" \
            "      - text: A\n        feedback: B\n        points: 1\n      - text: C\n        feedback: D\n        points: 0\n"
    _, problems = service.save(forf, Kind.QUIZ, "grener", {"quizzes/grener.yaml": text})
    messages = sorted(p.message for p in problems)
    assert messages == ["steps[0].id: steget «start» ligger i en sløyfe, så veien tar aldri slutt",
                        "steps[1].id: ingen vei fører til steget «glemt»"]


def test_stale_edit_is_refused_and_review_locks_the_draft(world):
    service, people = world
    forf = people["forf1"]
    write_valid_quiz(service, forf, "laas")
    revision = service.draft(forf, Kind.QUIZ, "laas").revision
    service.save(forf, Kind.QUIZ, "laas", {"quizzes/laas.yaml": quiz_yaml("laas", title="Ny tittel")}, revision)
    with pytest.raises(UserError) as exc:
        service.save(forf, Kind.QUIZ, "laas", {"quizzes/laas.yaml": quiz_yaml("laas", title="Gammel")}, revision)
    assert exc.value.key == "author.stale"
    service.submit(forf, Kind.QUIZ, "laas", PROVENANCE)
    with pytest.raises(UserError) as exc:
        service.save(forf, Kind.QUIZ, "laas", {"quizzes/laas.yaml": quiz_yaml("laas")})
    assert exc.value.key == "author.in_review"
    service.withdraw(forf, Kind.QUIZ, "laas")
    assert service.draft(forf, Kind.QUIZ, "laas").status == DraftStatus.DRAFT


def test_provenance_is_required(world):
    service, people = world
    write_valid_quiz(service, people["forf1"], "kilde")
    for note in ("", "kort"):
        with pytest.raises(UserError) as exc:
            service.submit(people["forf1"], Kind.QUIZ, "kilde", note)
        assert exc.value.key == "author.provenance_required"


def test_draft_size_is_limited(world):
    service, people = world
    service.create(people["forf1"], Kind.QUIZ, "stor", "Stor")
    with pytest.raises(UserError) as exc:
        service.save(people["forf1"], Kind.QUIZ, "stor", {"quizzes/stor.yaml": "x" * (MAX_DRAFT_CHARS + 1)})
    assert exc.value.key == "author.too_large"


def test_lesson_over_the_limit_is_a_problem_not_a_crash(world):
    service, people = world
    service.create(people["forf1"], Kind.MODULE, "ny-modul", "Ny modul")
    _, problems = service.save(people["forf1"], Kind.MODULE, "ny-modul", module_files(lesson="ord " * 5001))
    assert [str(p) for p in problems if p.path.endswith(".md")] == [
        "modules/ny-modul/forste.md: teksten er for lang (høyst 20000 tegn)"]


# --- review and publishing ------------------------------------------------------------
def test_same_author_cannot_approve_own_draft(world):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    write_valid_quiz(service, forf1, "egen")
    service.submit(forf1, Kind.QUIZ, "egen", PROVENANCE)
    for action in (lambda: service.approve(forf1, Kind.QUIZ, "egen"),
                   lambda: service.send_back(forf1, Kind.QUIZ, "egen", "Ser bra ut")):
        with pytest.raises(UserError) as exc:
            action()
        assert exc.value.key == "author.own_draft"
    # Someone who edited the text cannot approve it either, even if another author submitted it.
    service.withdraw(forf2, Kind.QUIZ, "egen")
    service.save(forf2, Kind.QUIZ, "egen", {"quizzes/egen.yaml": quiz_yaml("egen", title="Endret")})
    service.submit(forf2, Kind.QUIZ, "egen", PROVENANCE)
    with pytest.raises(UserError):
        service.approve(forf2, Kind.QUIZ, "egen")
    with pytest.raises(UserError):
        service.approve(forf1, Kind.QUIZ, "egen")
    assert service.approve(people["admin"], Kind.QUIZ, "egen").version == 1


def test_send_back_keeps_the_comment_for_the_author(world):
    service, people = world
    write_valid_quiz(service, people["forf1"], "kommentar")
    service.submit(people["forf1"], Kind.QUIZ, "kommentar", PROVENANCE)
    with pytest.raises(UserError):
        service.send_back(people["forf2"], Kind.QUIZ, "kommentar", "   ")
    service.send_back(people["forf2"], Kind.QUIZ, "kommentar", "Skriv mer fra barnets side.")
    draft = service.draft(people["forf1"], Kind.QUIZ, "kommentar")
    assert draft.status == DraftStatus.DRAFT
    assert [(c.by_name, c.text) for c in draft.comments] == [("Forf2", "Skriv mer fra barnets side.")]
    service.save(people["forf1"], Kind.QUIZ, "kommentar",
                 {"quizzes/kommentar.yaml": quiz_yaml("kommentar", feedback="Barnet kjenner seg sett.")})
    service.submit(people["forf1"], Kind.QUIZ, "kommentar", PROVENANCE)
    version = service.approve(people["forf2"], Kind.QUIZ, "kommentar")
    assert [c.text for c in version.comments] == ["Skriv mer fra barnets side."]


def test_approval_publishes_immutable_versions_with_history(world, repo, fixture_content):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    write_valid_quiz(service, forf1, "historikk")
    service.submit(forf1, Kind.QUIZ, "historikk", PROVENANCE)
    v1 = service.approve(forf2, Kind.QUIZ, "historikk")
    assert (v1.version, v1.approved_by_name, v1.submitted_by_name, v1.provenance) == (1, "Forf2", "Forf1", PROVENANCE)
    assert service.draft(forf1, Kind.QUIZ, "historikk") is None
    draft = service.edit(forf2, Kind.QUIZ, "historikk")
    assert draft.base_version == 1 and "version: 1" in draft.files["quizzes/historikk.yaml"]
    service.save(forf2, Kind.QUIZ, "historikk",
                 {"quizzes/historikk.yaml": quiz_yaml("historikk", feedback="Barnet ser at du bryr deg.")})
    service.submit(forf2, Kind.QUIZ, "historikk", PROVENANCE)
    v2 = service.approve(forf1, Kind.QUIZ, "historikk")
    assert v2.version == 2 and "version: 2" in v2.files["quizzes/historikk.yaml"]
    assert effective_catalog(fixture_content, repo).quizzes["historikk"].version == 2
    history = service.history(forf1, Kind.QUIZ, "historikk")
    assert [(h.version, h.published_by, h.submitted_by) for h in history] == [(2, "Forf1", "Forf2"),
                                                                            (1, "Forf2", "Forf1")]
    assert "-        feedback: Barnet merker at du er der.\n+        feedback: Barnet ser at du bryr deg." \
        in history[0].diff
    assert "-version: 1\n+version: 2" in history[0].diff
    assert history[1].diff.startswith("--- /dev/null\n+++ b/quizzes/historikk.yaml")
    # Version 1 is stored as it was published.
    stored = {doc["version"]: doc for doc in repo.list_docs(VERSIONS)}
    assert sorted(stored) == [1, 2] and stored[1]["files"] == v1.files and stored[1]["digest"] == v1.digest


def test_unchanged_copy_cannot_be_submitted(world):
    service, people = world
    service.edit(people["forf1"], Kind.QUIZ, "prove-quiz")
    with pytest.raises(UserError) as exc:
        service.submit(people["forf1"], Kind.QUIZ, "prove-quiz", PROVENANCE)
    assert exc.value.key == "author.no_changes"


def test_module_needs_its_scenario_published_first(world):
    service, people = world
    write_valid_quiz(service, people["forf1"], "ny-quiz")
    service.create(people["forf1"], Kind.MODULE, "ny-modul", "Ny modul")
    _, problems = service.save(people["forf1"], Kind.MODULE, "ny-modul", module_files())
    assert problems == []  # the scenario draft is known while editing
    service.submit(people["forf1"], Kind.MODULE, "ny-modul", PROVENANCE)
    with pytest.raises(UserError) as exc:
        service.approve(people["forf2"], Kind.MODULE, "ny-modul")
    assert exc.value.key == "author.quiz_not_published" and exc.value.values == {"quiz": "ny-quiz"}


def test_built_in_module_copied_edited_and_published_overrides_the_file(world, repo, fixture_content):
    service, people = world
    draft = service.edit(people["forf1"], Kind.MODULE, "prove-modul")
    on_disk = (FIXTURE_CONTENT / "modules" / "prove-modul" / "module.yaml").read_text(encoding="utf-8")
    assert draft.files["modules/prove-modul/module.yaml"] == on_disk  # layout and comments kept
    files = dict(draft.files)
    files["modules/prove-modul/forste.md"] += "\nEn ny setning.\n"
    service.save(people["forf1"], Kind.MODULE, "prove-modul", files)
    items = {(i.kind, i.item_id): i for i in service.items(people["forf2"])}
    assert items[(Kind.MODULE, "prove-modul")].status == ItemStatus.DRAFT
    assert items[(Kind.MODULE, "prove-modul")].built_in
    service.submit(people["forf1"], Kind.MODULE, "prove-modul", PROVENANCE)
    assert service.approve(people["forf2"], Kind.MODULE, "prove-modul").version == 2
    module = effective_catalog(fixture_content, repo).modules["prove-modul"]
    assert module.version == 2 and module.lessons[0].body.endswith("En ny setning.\n")
    history = service.history(people["forf1"], Kind.MODULE, "prove-modul")
    assert [(h.version, h.built_in) for h in history] == [(2, False), (1, True)]
    assert "+En ny setning." in history[0].diff and "-version: 1\n+version: 2" in history[0].diff


def test_a_damaged_published_version_is_left_out_and_the_one_before_is_shown(world, repo, fixture_content, caplog):
    service, people = world
    forf1, forf2 = people["forf1"], people["forf2"]
    write_valid_quiz(service, forf1, "skadet")
    service.submit(forf1, Kind.QUIZ, "skadet", PROVENANCE)
    v1 = service.approve(forf2, Kind.QUIZ, "skadet")
    broken = {**v1.model_dump(mode="json"), "version": 2, "published_at": "ikke en dato"}
    repo.put_doc(VERSIONS, version_key(Kind.QUIZ, "skadet", 2), broken)
    with caplog.at_level("WARNING", logger="learning.published"):
        catalog = effective_catalog(fixture_content, repo)
    assert catalog.quizzes["skadet"].version == 1
    assert "quiz:skadet:2 cannot be read" in caplog.text


def test_file_version_higher_than_authored_wins(world, repo, fixture_content):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    from learning.content.catalog import ContentCatalog
    newer = fixture_content.quizzes["prove-quiz"].model_copy(update={"id": "ny-quiz", "version": 5})
    files = ContentCatalog(modules=dict(fixture_content.modules), quizzes={**fixture_content.quizzes, "ny-quiz": newer})
    assert effective_catalog(files, repo).quizzes["ny-quiz"].version == 5
    assert effective_catalog(fixture_content, repo).quizzes["ny-quiz"].version == 1


# --- learners and versions ------------------------------------------------------------
def complete(learning: LearningService, user, module_id: str) -> None:
    for lesson in learning.module(module_id).lesson_ids():
        learning.finish_lesson(user, module_id, lesson)
    attempt = learning.start_attempt(user, module_id)
    quiz = learning.quiz(module_id)
    from learning.services.quiz_play import current_step
    while (step := current_step(quiz, attempt)) is not None:
        attempt = learning.choose(user, module_id, attempt.id, step.id, 0)
        attempt = learning.next_step(user, module_id, attempt.id)


def test_version_2_keeps_version_1_completions_and_new_learners_get_version_2(world, repo, fixture_content):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    complete(LearningService(repo, effective_catalog(fixture_content, repo)), people["kari"], "ny-modul")
    draft = service.edit(people["forf2"], Kind.MODULE, "ny-modul")
    files = dict(draft.files)
    files["modules/ny-modul/forste.md"] = LESSON + "\nEtt råd til.\n"
    service.save(people["forf2"], Kind.MODULE, "ny-modul", files)
    service.submit(people["forf2"], Kind.MODULE, "ny-modul", PROVENANCE)
    assert service.approve(people["forf1"], Kind.MODULE, "ny-modul").version == 2

    learning = LearningService(repo, effective_catalog(fixture_content, repo))
    kari = learning.progress(people["kari"], "ny-modul")
    assert kari.completed_at is not None and kari.completed_version == 1
    assert next(e for e in learning.catalog(people["kari"]) if e.module.id == "ny-modul").status == Status.COMPLETED
    complete(learning, people["ola"], "ny-modul")
    ola = learning.progress(people["ola"], "ny-modul")
    assert ola.content_version == 2 and ola.completed_version == 2


def test_unfinished_attempt_at_an_old_scenario_version_is_not_resumed(world, repo, fixture_content):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    learning = LearningService(repo, effective_catalog(fixture_content, repo))
    old = learning.start_attempt(people["kari"], "ny-modul")
    draft = service.edit(people["forf2"], Kind.QUIZ, "ny-quiz")
    text = draft.files["quizzes/ny-quiz.yaml"].replace("id: start", "id: begynnelse")
    service.save(people["forf2"], Kind.QUIZ, "ny-quiz", {"quizzes/ny-quiz.yaml": text})
    service.submit(people["forf2"], Kind.QUIZ, "ny-quiz", PROVENANCE)
    service.approve(people["forf1"], Kind.QUIZ, "ny-quiz")
    learning = LearningService(repo, effective_catalog(fixture_content, repo))
    assert learning.open_attempt(people["kari"], "ny-modul") is None
    fresh = learning.start_attempt(people["kari"], "ny-modul")
    assert fresh.id != old.id and fresh.quiz_version == 2


# --- export and import ----------------------------------------------------------------
def test_export_then_import_gives_back_equal_content(world, repo, fixture_content, tmp_path):
    service, people = world
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    payload = service.export_zip(people["forf1"], Kind.MODULE, "ny-modul")
    names = zipfile.ZipFile(io.BytesIO(payload)).namelist()
    assert names == ["modules/ny-modul/module.yaml", "quizzes/ny-quiz.yaml", "modules/ny-modul/forste.md"]
    # The zip unpacked is a content folder the file loader accepts, with the same models.
    zipfile.ZipFile(io.BytesIO(payload)).extractall(tmp_path)
    from learning.content.catalog import load_catalog
    from_files = load_catalog(tmp_path)
    published = effective_catalog(fixture_content, repo)
    assert from_files.problems == []
    assert from_files.modules["ny-modul"] == published.modules["ny-modul"]
    assert from_files.quizzes["ny-quiz"] == published.quizzes["ny-quiz"]
    # Imported into another store, the drafts hold the same models.
    from learning.storage.tinydb_repo import TinyDBRepository
    other_repo = TinyDBRepository(tmp_path / "other")
    other = AuthoringService(other_repo, fixture_content, FIXTURE_CONTENT)
    drafts = other.import_zip(people["forf1"], payload, "ny-modul.zip")
    assert sorted((d.kind, d.item_id, d.status) for d in drafts) == [
        (Kind.MODULE, "ny-modul", DraftStatus.DRAFT), (Kind.QUIZ, "ny-quiz", DraftStatus.DRAFT)]
    models = {d.item_id: other.check(people["forf1"], d)[0] for d in drafts}
    assert models["ny-modul"] == published.modules["ny-modul"]
    assert models["ny-quiz"] == published.quizzes["ny-quiz"]


def test_built_in_export_matches_the_repository_files(world, fixture_content):
    service, people = world
    payload = service.export_zip(people["forf1"], Kind.MODULE, "prove-modul")
    archive = zipfile.ZipFile(io.BytesIO(payload))
    for name in archive.namelist():
        assert archive.read(name).decode("utf-8") == (FIXTURE_CONTENT / name).read_text(encoding="utf-8")
    assert pack_zip(files_on_disk(FIXTURE_CONTENT, Kind.QUIZ, fixture_content.quizzes["prove-quiz"])) == \
        service.export_zip(people["forf1"], Kind.QUIZ, "prove-quiz")


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


BAD_IMPORTS = {
    "not a zip": (b"PK nope", ["feil.zip: er ikke en gyldig zip-fil"]),
    "too big": (b"0" * (MAX_UPLOAD_BYTES + 1), ["feil.zip: filen er for stor (høyst 1000 kB)"]),
    "path traversal": (zip_of({"../quizzes/x.yaml": quiz_yaml("x")}), ["../quizzes/x.yaml: ugyldig filsti"]),
    "unknown place": (zip_of({"notes.txt": "hei"}), ["notes.txt: filen må ligge i quizzes/<id>.yaml eller modules/<id>/"]),
    "not utf-8": (zip_of({"quizzes/x.yaml": "tittel: blå".encode("latin-1")}),
                  ["quizzes/x.yaml: filen er ikke lagret som UTF-8"]),
    "yaml error": (zip_of({"quizzes/x.yaml": "id: x\ntitle: [oops\n"}),
                   ["quizzes/x.yaml:3: YAML-feil: expected ',' or ']', but got '<stream end>'"]),
    "id differs from file": (zip_of({"quizzes/x.yaml": quiz_yaml("y")}),
                             ["quizzes/x.yaml:1: id: «y» må være lik filnavnet «x»"]),
    "one good one bad": (zip_of({"quizzes/god.yaml": quiz_yaml("god"),
                                 "quizzes/bad.yaml": quiz_yaml("bad").replace("points: 2", "points: 20")}),
                         ["quizzes/bad.yaml:12: steps[0].choices[0].points: kan være høyst 10"]),
    "module without its quiz": (zip_of({"modules/ny-modul/module.yaml": MODULE_YAML, "modules/ny-modul/forste.md": LESSON}),
                                ["modules/ny-modul/module.yaml:6: quiz: finner ikke scenarioet «ny-quiz»"]),
    "missing lesson file": (zip_of({"modules/ny-modul/module.yaml": MODULE_YAML, "quizzes/ny-quiz.yaml": quiz_yaml("ny-quiz")}),
                            ["modules/ny-modul/module.yaml:8: lessons[0].id: finner ikke filen forste.md"]),
    "unsafe link in lesson": (zip_of({"modules/ny-modul/module.yaml": MODULE_YAML, "quizzes/ny-quiz.yaml": quiz_yaml("ny-quiz"),
                                      "modules/ny-modul/forste.md": "[x](javascript:alert(1))\n"}),
                              ["modules/ny-modul/forste.md:1: lenken «javascript:alert(1» er ikke tillatt"]),
}


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
def test_bad_import_changes_nothing(world, repo, case):
    service, people = world
    payload, expected = BAD_IMPORTS[case]
    before = (repo.list_docs("author_drafts"), repo.list_docs(VERSIONS))
    with pytest.raises(ContentError) as exc:
        service.import_zip(people["forf1"], payload, "feil.zip")
    assert [str(p) for p in exc.value.problems] == expected
    assert (repo.list_docs("author_drafts"), repo.list_docs(VERSIONS)) == before


def test_import_over_an_open_draft_is_refused_whole(world, repo):
    service, people = world
    service.create(people["forf2"], Kind.QUIZ, "opptatt", "Opptatt")
    payload = zip_of({"quizzes/fri.yaml": quiz_yaml("fri"), "quizzes/opptatt.yaml": quiz_yaml("opptatt")})
    with pytest.raises(ContentError) as exc:
        service.import_zip(people["forf1"], payload, "x.zip")
    assert "det finnes allerede et utkast for «opptatt»" in str(exc.value)
    assert service.draft(people["forf1"], Kind.QUIZ, "fri") is None


# --- pure helpers ---------------------------------------------------------------------
def test_yaml_written_from_fields_round_trips_and_validates():
    data = new_quiz_data("rund", "Rund tur")
    data.update(setting="skole", intro="Første linje.\nAndre linje.")
    step = data["steps"][0]
    step["text"] = 'Et «sitat» med: kolon og "anførsel"'
    for n, choice in enumerate(step["choices"]):
        choice.update(text=f"Valg {n}", feedback="Linje én.\n\nLinje tre.  ", points=n, tags=["lytter"])
    text = dump_yaml(data)
    assert "intro: |-\n  Første linje.\n  Andre linje.\n" in text and "tags: [lytter]" in text
    assert load_data(text) == {**data, "steps": [{**step, "choices": [
        {**c, "feedback": "Linje én.\n\nLinje tre."} for c in step["choices"]]}]}
    quiz, problems = check_quiz({"quizzes/rund.yaml": text}, "rund")
    assert problems == [] and quiz.steps[0].text == 'Et «sitat» med: kolon og "anførsel"'


def test_set_version_keeps_the_rest_of_the_text():
    text = "# kommentar\nid: a\ntitle: A\nversion: 1  # hev ved endring\nsteps: []\n"
    assert set_version(text, 3) == "# kommentar\nid: a\ntitle: A\nversion: 3\nsteps: []\n"
    assert set_version("id: a\ntitle: A\n", 2) == "id: a\nversion: 2\ntitle: A\n"


def test_diagram_marks_problems_in_words_and_shapes():
    data = {"steps": [
        {"id": "start", "choices": [{"next": "b", "points": 2}, {"next": "mangler", "points": 0}]},
        {"id": "b", "choices": [{"next": "start", "points": 1}, {"points": 0}]},
        {"id": "alene", "text": 'Et "sitat"', "choices": [{"points": 1}, {"points": 0}]},
    ]}
    found = marks(data)
    assert found.unreachable == {2} and found.looping == {0, 1} and found.unknown_targets == [(0, 1, "mangler")]
    dot = quiz_dot(data)
    assert "ingen vei fører hit" in dot and "style=\"rounded,dashed,filled\"" in dot
    assert "sløyfe: veien tar aldri slutt" in dot and "shape=octagon" in dot
    assert "finnes ikke: mangler" in dot and "shape=note" in dot
    assert 'Et \\"sitat\\"' in dot and "s1 -> end" in dot
    assert quiz_dot({"steps": "ikke en liste"}).startswith("digraph")


def test_branch_problems_show_while_fields_are_still_invalid(world):
    service, people = world
    service.create(people["forf1"], Kind.QUIZ, "uferdig", "Uferdig")
    text = quiz_yaml("uferdig").replace("        feedback: Barnet blir alene.\n", "        feedback: ''\n        next: borte\n")
    _, problems = service.save(people["forf1"], Kind.QUIZ, "uferdig", {"quizzes/uferdig.yaml": text})
    assert [str(p) for p in problems] == [
        "quizzes/uferdig.yaml:15: steps[0].choices[1].feedback: kan ikke være tom",
        "quizzes/uferdig.yaml:16: steps[0].choices[1].next: ukjent steg «borte»"]


def test_draft_warns_when_the_built_in_files_changed_since_it_was_started(world, repo, tmp_path):
    """A developer edits a built-in file (same version) while a draft of it waits: approving would undo that."""
    import shutil

    from learning.content.catalog import load_catalog
    _, people = world
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    service = AuthoringService(repo, load_catalog(root), root)
    draft = service.edit(people["forf1"], Kind.QUIZ, "prove-quiz")
    assert not service.base_changed(people["forf1"], draft)
    path = root / "quizzes" / "prove-quiz.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Barnet føler seg hørt.", "Barnet blir hørt."),
                    encoding="utf-8")
    service = AuthoringService(repo, load_catalog(root), root)
    assert service.base_changed(people["forf1"], draft)
    assert "-        feedback: Barnet blir hørt.\n+        feedback: Barnet føler seg hørt." in \
        service.changes(people["forf1"], draft)


def test_app_content_follows_publications_without_a_restart(world, repo, fixture_content):
    """context.content() is cached on docs.json's identity: cheap on reruns, fresh after a publication."""
    import streamlit as st

    from learning.ui import context
    st.cache_resource.clear()
    service, people = world
    first = context.content()
    assert context.content() is first  # nothing written: the same catalog object
    assert "ny-modul" not in first.modules
    publish_module_with_quiz(service, people["forf1"], people["forf2"])
    after = context.content()
    assert after is not first and after.modules["ny-modul"].version == 1
    assert after.quizzes["ny-quiz"].version == 1 and after.problems == []
    st.cache_resource.clear()


def test_two_lessons_with_one_id_are_refused_before_one_text_overwrites_the_other(world):
    service, people = world
    service.create(people["forf1"], Kind.MODULE, "ny-modul", "Ny modul")
    meta = {"id": "ny-modul", "title": "Ny modul"}
    lessons = [{"id": "samme", "title": "En", "body": "Første tekst."},
               {"id": "samme", "title": "To", "body": "Andre tekst."}]
    with pytest.raises(UserError) as exc:
        service.save_module(people["forf1"], "ny-modul", meta, lessons, None)
    assert (exc.value.key, exc.value.values) == ("author.duplicate_lesson", {"id": "samme"})


def test_draft_export_bundles_the_scenario_draft_only_when_it_validates(world):
    service, people = world
    forf = people["forf1"]
    write_valid_quiz(service, forf, "ny-quiz")
    service.create(forf, Kind.MODULE, "ny-modul", "Ny modul")
    service.save(forf, Kind.MODULE, "ny-modul", module_files())
    assert "quizzes/ny-quiz.yaml" in service.export_files(forf, Kind.MODULE, "ny-modul", draft=True)
    service.save(forf, Kind.QUIZ, "ny-quiz", {"quizzes/ny-quiz.yaml": "id: ny-quiz\n"})
    assert "quizzes/ny-quiz.yaml" not in service.export_files(forf, Kind.MODULE, "ny-modul", draft=True)


def test_the_effective_catalog_is_rebuilt_only_when_something_is_published(world, repo, fixture_content):
    """Every document write changes the store's stamp (autosaves, team sessions, queues); learners'
    catalog (and the caches keyed on it) must survive those and change only on a publication."""
    from learning.services.published import EffectiveCatalogCache

    service, people = world
    author, approver = people["forf1"], people["forf2"]
    cache = EffectiveCatalogCache()
    first = cache.get(fixture_content, repo, repo.docs_version())
    repo.put_doc("author_autosaves", "x", {"draft": "ikke publisert"})
    write_valid_quiz(service, author, "ny-quiz")
    service.submit(author, Kind.QUIZ, "ny-quiz", PROVENANCE)
    assert cache.get(fixture_content, repo, repo.docs_version()) is first
    service.approve(approver, Kind.QUIZ, "ny-quiz")
    published = cache.get(fixture_content, repo, repo.docs_version())
    assert published is not first and "ny-quiz" in published.quizzes and "ny-quiz" not in first.quizzes


# --- units of work: what must happen together -------------------------------------------
class FailingWrite:
    """The store, except that a unit of work fails while writing the document ``fail_on`` matches."""

    def __init__(self, repo, fail_on):
        self._repo, self._fail_on = repo, fail_on

    def __getattr__(self, name):
        return getattr(self._repo, name)

    def update_docs(self, changes):
        def failing(old):
            raise OSError("disk full")

        return self._repo.update_docs({key: failing if self._fail_on(key) else change
                                       for key, change in changes.items()})


def test_a_failed_approval_leaves_the_draft_in_review_and_publishes_nothing(world, repo, fixture_content):
    service, people = world
    write_valid_quiz(service, people["forf1"], "halvt")
    before = service.submit(people["forf1"], Kind.QUIZ, "halvt", PROVENANCE)
    failing = AuthoringService(FailingWrite(repo, lambda key: key[0] == VERSIONS), fixture_content, FIXTURE_CONTENT)
    with pytest.raises(OSError):
        failing.approve(people["forf2"], Kind.QUIZ, "halvt")
    assert service.draft(people["forf1"], Kind.QUIZ, "halvt") == before and repo.list_docs(VERSIONS) == []
    assert service.approve(people["forf2"], Kind.QUIZ, "halvt").version == 1  # and it can be approved again


def test_an_import_that_fails_while_writing_leaves_no_draft(world, repo, fixture_content):
    service, people = world
    payload = zip_of({"quizzes/en.yaml": quiz_yaml("en"), "quizzes/to.yaml": quiz_yaml("to"),
                      "quizzes/tre.yaml": quiz_yaml("tre")})
    failing = AuthoringService(FailingWrite(repo, lambda key: key == ("author_drafts", "quiz:tre")),
                               fixture_content, FIXTURE_CONTENT)
    with pytest.raises(OSError):
        failing.import_zip(people["forf1"], payload, "x.zip")
    assert repo.list_docs("author_drafts") == []
    assert [d.item_id for d in service.import_zip(people["forf1"], payload, "x.zip")] == ["en", "to", "tre"]
