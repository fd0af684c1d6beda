"""Translations written in the app: the structure comes from bokmål, review publishes, learners see it
only for the version it translates."""

from __future__ import annotations

import pytest

from learning.content.bundle import Kind, load_data
from learning.content.translation_files import source_texts, twin_main_path
from learning.errors import UserError
from learning.i18n import using_language
from learning.services.authoring import AuthoringService, DraftStatus, TranslationState
from learning.services.authz import PermissionDenied
from learning.services.published import EffectiveCatalogCache, effective_catalog

from .test_authoring_service import PROVENANCE, world  # noqa: F401  (the shared fixture)


def nn_texts(service: AuthoringService, author, kind: Kind, item_id: str) -> dict:
    """Every bokmål text with «(nn)» added: a complete translation."""
    texts = source_texts(service.source(author, kind, item_id))

    def mark(value):
        if isinstance(value, str):
            return f"{value} (nn)" if value.strip() else value
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        return [mark(v) for v in value]

    return mark(texts)


def status(service, user, kind, item_id, language="nn"):
    return next(s for s in service.translation_status(user)
                if (s.kind, s.item_id, s.language) == (kind, item_id, language))


def publish_translation(service, people, kind, item_id, texts):
    author, reviewer = people["forf1"], people["forf2"]
    service.edit_translation(author, kind, item_id, "nn")
    draft, problems = service.save_translation(author, kind, item_id, "nn", texts)
    assert problems == []
    service.submit(author, kind, item_id, PROVENANCE, language="nn")
    return service.approve(reviewer, kind, item_id, language="nn")


def test_a_quiz_translation_keeps_points_next_and_ids_whatever_is_sent(world):  # noqa: F811
    service, people = world
    author = people["forf1"]
    texts = nn_texts(service, author, Kind.QUIZ, "prove-quiz")
    step = next(iter(texts["steps"].values()))
    step["choices"][0].update(points=0, next="somewhere", critical=True, id="x")  # not texts: ignored
    step["id"] = "renamed"
    service.edit_translation(author, Kind.QUIZ, "prove-quiz", "nn")
    draft, problems = service.save_translation(author, Kind.QUIZ, "prove-quiz", "nn", texts)
    assert problems == []
    source = service.source(author, Kind.QUIZ, "prove-quiz")
    saved = load_data(draft.files[twin_main_path(Kind.QUIZ, "prove-quiz", "nn")])
    assert [s["id"] for s in saved["steps"]] == [s.id for s in source.steps]
    assert [[(c.get("points"), c.get("next"), c.get("critical", False)) for c in s["choices"]] for s in saved["steps"]] \
        == [[(c.points, c.next, c.critical) for c in s.choices] for s in source.steps]
    assert saved["steps"][0]["choices"][0]["text"].endswith("(nn)")


def test_twin_files_that_change_the_structure_are_refused(world):  # noqa: F811
    service, people = world
    author, reviewer = people["forf1"], people["forf2"]
    service.edit_translation(author, Kind.QUIZ, "prove-quiz", "nn")
    draft, _ = service.save_translation(author, Kind.QUIZ, "prove-quiz", "nn",
                                        nn_texts(service, author, Kind.QUIZ, "prove-quiz"))
    path = twin_main_path(Kind.QUIZ, "prove-quiz", "nn")
    changed = draft.files[path].replace("points: 2", "points: 1", 1)
    assert changed != draft.files[path]
    draft, problems = service.save(author, Kind.QUIZ, "prove-quiz", {path: changed}, language="nn")
    assert [p.code for p in problems] == ["must_match_source"] and "points" in problems[0].loc
    with pytest.raises(UserError) as refused:
        service.submit(author, Kind.QUIZ, "prove-quiz", PROVENANCE, language="nn")
    assert refused.value.key == "author.has_problems"
    with pytest.raises(PermissionDenied):
        service.save_translation(people["kari"], Kind.QUIZ, "prove-quiz", "nn", {})
    assert reviewer  # the reviewer never got a draft to approve


def test_module_translation_changing_lesson_ids_is_refused(world):  # noqa: F811
    service, people = world
    author = people["forf1"]
    service.edit_translation(author, Kind.MODULE, "prove-modul", "nn")
    draft, _ = service.save_translation(author, Kind.MODULE, "prove-modul", "nn",
                                        nn_texts(service, author, Kind.MODULE, "prove-modul"))
    path = twin_main_path(Kind.MODULE, "prove-modul", "nn")
    files = {**draft.files, path: draft.files[path].replace("id: andre", "id: tredje")}
    _, problems = service.save(author, Kind.MODULE, "prove-modul", files, language="nn")
    assert "must_match_source" in [p.code for p in problems]


def test_a_published_translation_is_seen_only_with_the_version_it_translates(world, repo, fixture_content):  # noqa: F811
    service, people = world
    author, reviewer = people["forf1"], people["forf2"]
    assert status(service, author, Kind.MODULE, "prove-modul").state == TranslationState.MISSING
    texts = nn_texts(service, author, Kind.MODULE, "prove-modul")
    version = publish_translation(service, people, Kind.MODULE, "prove-modul", texts)
    assert (version.language, version.version) == ("nn", 1)
    assert service.translation_draft(author, Kind.MODULE, "prove-modul", "nn") is None
    cache = EffectiveCatalogCache()
    with using_language("nn"):
        seen = cache.get(fixture_content, repo, None).modules["prove-modul"]
    assert seen.meta.title.endswith("(nn)") and seen.lessons[0].body.endswith("(nn)")
    assert status(service, author, Kind.MODULE, "prove-modul").state == TranslationState.PRESENT

    # Bokmål gets a new version: nynorsk learners see bokmål until the twin is brought up to date.
    draft = service.edit(author, Kind.MODULE, "prove-modul")
    lesson = "modules/prove-modul/forste.md"
    service.save(author, Kind.MODULE, "prove-modul", {**draft.files, lesson: draft.files[lesson] + "\nNytt avsnitt.\n"})
    service.submit(author, Kind.MODULE, "prove-modul", PROVENANCE)
    service.approve(reviewer, Kind.MODULE, "prove-modul")
    nb = effective_catalog(fixture_content, repo).modules["prove-modul"]
    assert nb.version == 2
    assert effective_catalog(fixture_content, repo).in_language("nn").modules["prove-modul"].meta.title == nb.meta.title
    row = status(service, author, Kind.MODULE, "prove-modul")
    assert (row.state, row.translated_version, row.source_version) == (TranslationState.OUT_OF_DATE, 1, 2)

    # The update starts from the old translation, on the new structure.
    draft = service.edit_translation(author, Kind.MODULE, "prove-modul", "nn")
    assert load_data(draft.files[twin_main_path(Kind.MODULE, "prove-modul", "nn")])["version"] == 2
    assert draft.title.endswith("(nn)")
    service.submit(author, Kind.MODULE, "prove-modul", PROVENANCE, language="nn")
    assert service.approve(reviewer, Kind.MODULE, "prove-modul", language="nn").version == 2
    assert effective_catalog(fixture_content, repo).in_language("nn").modules["prove-modul"].meta.title \
        .endswith("(nn)")
    assert status(service, author, Kind.MODULE, "prove-modul").state == TranslationState.PRESENT


def test_a_translation_draft_does_not_block_the_bokmal_draft(world):  # noqa: F811
    service, people = world
    author = people["forf1"]
    translation = service.edit_translation(author, Kind.QUIZ, "prove-quiz", "nn")
    source = service.edit(author, Kind.QUIZ, "prove-quiz")
    assert translation.key != source.key and translation.status == source.status == DraftStatus.DRAFT
    assert [i.draft.key for i in service.items(author) if i.draft] == [source.key]
    with pytest.raises(UserError):
        service.edit_translation(author, Kind.QUIZ, "prove-quiz", "se")


def test_anonymising_an_author_renames_them_in_their_translations_in_place(world, repo):  # noqa: F811
    from learning.services.gdpr import PersonalDataService
    from learning.services.published import TRANSLATIONS

    service, people = world
    publish_translation(service, people, Kind.QUIZ, "prove-quiz", nn_texts(service, people["forf1"], Kind.QUIZ,
                                                                           "prove-quiz"))
    PersonalDataService(repo).anonymise(people["admin"], people["forf1"].id, confirm="forf1")
    docs = repo.list_docs(TRANSLATIONS)
    assert len(docs) == 1 and docs[0]["submitted_by_name"] != "Forf1"
    drafts = [d for d in repo.list_docs("author_drafts") if d.get("language") == "nn"]
    assert len(drafts) == 1 and drafts[0]["created_by_name"] != "Forf1"
