"""xAPI statements built from stored progress and attempts: what they say, who they name, the export."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from learning.__main__ import main
from learning.interop.export import XapiExportService, statements
from learning.interop.xapi import VERBS, XapiConfig, pseudonym
from learning.records import AuditAction, ModuleProgress, QuizAttempt, StepChoice
from learning.services.accounts import AccountService
from learning.services.authz import PermissionDenied
from learning.services.learning import LearningService

from .helpers import NOW, admin_and_accounts, make_user

CONFIG = XapiConfig(base="https://lrs-test.invalid/xapi", home_page="https://lrs-test.invalid",
                    secret=b"k" * 32)
MODULE = "prove-modul"


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        self.now += timedelta(seconds=7)
        return self.now


def play_module(repo, content, user, clock: Clock | None = None) -> None:
    """Lessons, a failed attempt (a critical mistake), then a passed one: the module is completed."""
    service = LearningService(repo, content, clock=clock or Clock())
    service.open_module(user, MODULE)
    service.finish_lesson(user, MODULE, "forste")
    service.finish_lesson(user, MODULE, "andre")
    for path in ([("start", 0), ("neste", 2)], [("start", 0), ("neste", 0)]):
        attempt = service.start_attempt(user, MODULE)
        for step, choice in path:
            service.choose(user, MODULE, attempt.id, step, choice)
            service.next_step(user, MODULE, attempt.id)


@pytest.fixture
def learner(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    user = make_user(accounts, admin, "kari")
    play_module(repo, fixture_content, user)
    return user


def _verb(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[1]


def ext(name: str) -> str:
    return CONFIG.ext(name)


def test_one_full_module_gives_each_event_in_order(repo, fixture_content, learner):
    found = list(statements(repo, fixture_content, CONFIG))
    assert [(_verb(s), s["object"]["id"].removeprefix(CONFIG.base)) for s in found] == [
        ("launched", "/modules/prove-modul"),
        ("completed", "/modules/prove-modul/lessons/forste"),
        ("completed", "/modules/prove-modul/lessons/andre"),
        ("answered", "/scenarios/prove-quiz/steps/start"),
        ("answered", "/scenarios/prove-quiz/steps/neste"),
        ("failed", "/scenarios/prove-quiz"),
        ("answered", "/scenarios/prove-quiz/steps/start"),
        ("answered", "/scenarios/prove-quiz/steps/neste"),
        ("passed", "/scenarios/prove-quiz"),
        ("completed", "/modules/prove-modul"),
    ]
    assert all(s["verb"]["id"] in VERBS.values() for s in found)
    assert [s["timestamp"] for s in found] == sorted(s["timestamp"] for s in found)
    assert len({s["id"] for s in found}) == len(found)

    critical = found[4]
    assert critical["result"]["response"] == "choice-2"
    assert critical["result"]["success"] is False
    assert critical["result"]["score"] == {"raw": 0, "min": 0, "max": 2}
    assert critical["result"]["extensions"] == {
        ext("critical"): True, ext("tags"): ["bryter-tillit"],
        ext("feedback"): "Barnet stoler på et løfte du ikke kan holde.",
        ext("critical-reason"): "Du kan ikke love et barn hemmelighold."}
    step = critical["object"]["definition"]
    assert step["interactionType"] == "choice" and step["correctResponsesPattern"] == ["choice-0"]
    assert [c["description"]["nb"] for c in step["choices"]][2] == "Du lover å ikke si det til noen."
    assert critical["context"]["contextActivities"]["parent"][0]["id"] == CONFIG.base + "/scenarios/prove-quiz"
    assert critical["context"]["contextActivities"]["grouping"][0]["id"] == CONFIG.base + "/modules/prove-modul"
    assert critical["context"]["extensions"][ext("content-version")] == 1
    assert critical["context"]["extensions"][ext("path-position")] == 2

    failed, passed = found[5], found[8]
    assert failed["result"]["success"] is False and failed["result"]["extensions"] == {ext("critical"): True}
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 4, "min": 0, "max": 4}
    assert passed["result"]["success"] is True and passed["result"]["duration"].startswith("PT")
    # One registration per attempt, shared by its choices and its result.
    assert found[6]["context"]["registration"] == passed["context"]["registration"] != failed["context"]["registration"]
    assert found[-1]["result"] == {"completion": True}


def test_the_actor_is_a_stable_pseudonym_not_the_person(repo, fixture_content, learner):
    found = list(statements(repo, fixture_content, CONFIG))
    actors = {json.dumps(s["actor"], sort_keys=True) for s in found}
    assert len(actors) == 1
    actor = found[0]["actor"]
    assert actor == {"objectType": "Agent",
                     "account": {"homePage": "https://lrs-test.invalid", "name": pseudonym(CONFIG, learner.id)}}
    text = json.dumps(found, ensure_ascii=False)
    assert learner.id not in text and "kari" not in text.lower()
    other_key = XapiConfig(base=CONFIG.base, home_page=CONFIG.home_page, secret=b"z" * 32)
    assert pseudonym(other_key, learner.id) != pseudonym(CONFIG, learner.id)
    # Built again (a later export, the queue), every statement is the same, id and all.
    assert list(statements(repo, fixture_content, CONFIG)) == found


def test_email_actor_only_when_configured(repo, fixture_content, learner):
    repo.update_user(learner.id, lambda u: u.model_copy(update={"email": "kari@example.invalid"}))
    mail = XapiConfig(base=CONFIG.base, home_page=CONFIG.home_page, actor_mode="email", secret=CONFIG.secret)
    assert next(statements(repo, fixture_content, mail))["actor"] == {"objectType": "Agent",
                                                                       "mbox": "mailto:kari@example.invalid"}
    assert "account" in next(statements(repo, fixture_content, CONFIG))["actor"]


def test_records_from_before_event_times_still_export(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    user = make_user(accounts, admin, "ola")
    repo.update_progress(user.id, MODULE, lambda _: ModuleProgress(
        module_id=MODULE, content_version=1, lessons_read=["forste"], started_at=NOW, updated_at=NOW))
    repo.update_attempt(user.id, "old", lambda _: QuizAttempt(
        id="old", quiz_id="prove-quiz", quiz_version=1, module_id=MODULE, started_at=NOW + timedelta(hours=1),
        path=[StepChoice(step_id="start", choice_index=1, points=0, max_points=2)]))
    found = list(statements(repo, fixture_content, CONFIG))
    assert [(_verb(s), s["timestamp"]) for s in found] == [
        ("launched", "2026-11-23T09:00:00.000Z"), ("completed", "2026-11-23T09:00:00.000Z"),
        ("answered", "2026-11-23T10:00:00.000Z")]
    assert found[2]["result"]["extensions"][ext("tags")] == ["unnviker"]


def test_export_command_filters_by_municipality_and_date_and_is_logged(repo, fixture_content, learner, tmp_path,
                                                                       monkeypatch, capsys):
    monkeypatch.setenv("LEARNING_XAPI_SECRET", "s" * 40)
    admin = next(u for u in repo.list_users() if u.username == "admin")
    bergen = make_user(AccountService(repo), admin, "per", municipality="4601", unit="Bergen skole")
    play_module(repo, fixture_content, bergen)
    out = tmp_path / "oslo.jsonl"
    assert main(["xapi-export", "--municipality", "Oslo", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 10 and {s["context"]["extensions"][ext_default("municipality")] for s in lines} == {"0301"}
    assert main(["xapi-export", "--since", "2026-11-24"]) == 0
    assert capsys.readouterr().out == ""  # everything happened on 23 November
    assert main(["xapi-export", "--since", "2026-11-23"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 20
    with pytest.raises(SystemExit) as exit_code:
        main(["xapi-export", "--since", "i går"])
    assert exit_code.value.code == 2
    assert "ÅÅÅÅ-MM-DD" in capsys.readouterr().err
    logged = [e for e in repo.audit_entries() if e.action == AuditAction.EXPORTED]
    assert [(e.actor, e.target, e.municipality, e.details["rows"]) for e in logged] == [
        ("system", "oslo.jsonl", "0301", 10), ("system", "-", "", 0), ("system", "-", "", 20)]


def ext_default(name: str) -> str:
    return XapiConfig().ext(name)


def test_only_admins_download_statements(repo, fixture_content, learner, monkeypatch):
    monkeypatch.setenv("LEARNING_XAPI_SECRET", "s" * 40)
    service = XapiExportService(repo, fixture_content)
    with pytest.raises(PermissionDenied):
        service.export_jsonl(learner)
    admin = next(u for u in repo.list_users() if u.username == "admin")
    payload = service.export_jsonl(admin, file_name="mittliv-xapi.jsonl")
    assert len(payload.decode("utf-8").splitlines()) == 10
    entry = repo.audit_entries()[-1]
    assert (entry.action, entry.actor, entry.target, entry.details["format"]) == (
        AuditAction.EXPORTED, admin.id, "mittliv-xapi.jsonl", "xapi")
