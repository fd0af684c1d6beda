"""xAPI 1.0.3 statements built from what is stored: progress and every choice of every attempt.

Statements are a pure function of the stored records, so an export of past data and the
LRS queue (``lrs.py``) give the same statements with the same ids: an id is a UUID 5 of
the user and the event, and the LRS treats a second statement with a known id as the same
one. Verbs and activity types come from the ADL vocabulary. Activity ids name the module,
lesson, scenario or step (never a version), so they stay the same when content is
updated; the content version goes in the context. The actor is a pseudonymous account
(an HMAC of the user id under a server secret), not a name or an e-mail, unless
``LEARNING_XAPI_ACTOR=email`` says otherwise. See docs/INTEROP.md, field by field.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from learning.config import data_dir
from learning.content.catalog import ContentCatalog
from learning.content.models import Module, Quiz, Step
from learning.errors import UserError
from learning.records import ModuleProgress, QuizAttempt, StepChoice, User

XAPI_VERSION = "1.0.3"
ADL_VERB = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITY = "http://adlnet.gov/expapi/activities/"
VERBS = {name: ADL_VERB + name for name in ("launched", "completed", "answered", "passed", "failed")}
MODULE_TYPE = ADL_ACTIVITY + "module"
LESSON_TYPE = ADL_ACTIVITY + "lesson"
ASSESSMENT_TYPE = ADL_ACTIVITY + "assessment"
INTERACTION_TYPE = ADL_ACTIVITY + "cmi.interaction"
PLATFORM = "MITT LIV Oppvekst"
CONTENT_LANGUAGE = "nb"
ID_NAMESPACE = uuid.UUID("6b1f2f4e-3f3a-5c8e-9a51-4d1c0f6c2e71")  # fixed: ids must never change

BASE_ENV = "LEARNING_XAPI_BASE"
HOMEPAGE_ENV = "LEARNING_XAPI_HOMEPAGE"
ACTOR_ENV = "LEARNING_XAPI_ACTOR"
SECRET_ENV = "LEARNING_XAPI_SECRET"
SECRET_FILE = "xapi-pseudonym.key"
DEFAULT_BASE = "https://mittliv-oppvekst.invalid/xapi"
ACTOR_MODES = ("pseudonym", "email")


@dataclass(frozen=True)
class XapiConfig:
    """Where activity ids live, whose account names the actor, and the pseudonym key."""

    base: str = DEFAULT_BASE
    home_page: str = "https://mittliv-oppvekst.invalid"
    actor_mode: str = "pseudonym"
    secret: bytes = b""

    @classmethod
    def from_env(cls) -> XapiConfig:
        from learning.session_tokens import MIN_SECRET_LENGTH, secret_from

        env = os.environ
        base = env.get(BASE_ENV, "").strip().rstrip("/") or DEFAULT_BASE
        mode = env.get(ACTOR_ENV, "").strip() or "pseudonym"
        if mode not in ACTOR_MODES:
            raise UserError("interop.bad_actor_mode", variable=ACTOR_ENV, value=mode)
        key = env.get(SECRET_ENV) or None
        if key is not None and len(key) < MIN_SECRET_LENGTH:
            raise UserError("interop.short_secret", variable=SECRET_ENV, length=MIN_SECRET_LENGTH)
        home = env.get(HOMEPAGE_ENV, "").strip() or _origin(base)
        return cls(base=base, home_page=home, actor_mode=mode, secret=secret_from(key, data_dir(), SECRET_FILE))

    def ext(self, name: str) -> str:
        """An extension IRI of ours (tags, feedback, critical, content version …)."""
        return f"{self.base}/extensions/{name}"


def _origin(base: str) -> str:
    scheme, _, rest = base.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def pseudonym(config: XapiConfig, user_id: str) -> str:
    """Stable per person and installation; without the secret it cannot be traced back to the user id."""
    return hmac.new(config.secret, f"xapi-actor|{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def actor(config: XapiConfig, user: User) -> dict:
    if config.actor_mode == "email" and user.email and user.anonymised_at is None:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    return {"objectType": "Agent", "account": {"homePage": config.home_page, "name": pseudonym(config, user.id)}}


def statement_id(user_id: str, *parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "|".join([user_id, *map(str, parts)])))


def iso(moment: datetime) -> str:
    """UTC with milliseconds and Z, as LRSs store it, so a statement reads back the same."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(start: datetime, end: datetime) -> str:
    seconds = max(0.0, (end - start).total_seconds())
    return f"PT{seconds:.2f}S"


def _lang(text: str) -> dict[str, str]:
    return {CONTENT_LANGUAGE: text}


QuizLookup = Callable[[str, int], Quiz | None]


def catalog_quizzes(content: ContentCatalog, published: Iterable[Quiz] = ()) -> QuizLookup:
    """The scenario an attempt was played on: that exact version if it is known, else the current one."""
    exact = {(quiz.id, quiz.version): quiz for quiz in published}
    exact.update({(quiz.id, quiz.version): quiz for quiz in content.quizzes.values()})

    def lookup(quiz_id: str, version: int) -> Quiz | None:
        return exact.get((quiz_id, version)) or content.quizzes.get(quiz_id)

    return lookup


class StatementBuilder:
    """Statements for one person's stored progress and attempts, oldest first."""

    def __init__(self, config: XapiConfig, content: ContentCatalog, quizzes: QuizLookup | None = None):
        self.config = config
        self.content = content
        self.quizzes = quizzes or catalog_quizzes(content)

    # --- activities -------------------------------------------------------
    def module_activity(self, module_id: str) -> dict:
        activity: dict = {"objectType": "Activity", "id": f"{self.config.base}/modules/{module_id}"}
        module = self.content.modules.get(module_id)
        activity["definition"] = {"type": MODULE_TYPE, **({"name": _lang(module.meta.title)} if module else {})}
        return activity

    def lesson_activity(self, module: Module | None, module_id: str, lesson_id: str) -> dict:
        titles = {lesson.id: lesson.title for lesson in module.lessons} if module else {}
        definition: dict = {"type": LESSON_TYPE}
        if lesson_id in titles:
            definition["name"] = _lang(titles[lesson_id])
        return {"objectType": "Activity", "id": f"{self.config.base}/modules/{module_id}/lessons/{lesson_id}",
                "definition": definition}

    def scenario_activity(self, quiz_id: str, quiz: Quiz | None) -> dict:
        definition: dict = {"type": ASSESSMENT_TYPE}
        if quiz is not None:
            definition["name"] = _lang(quiz.title)
        return {"objectType": "Activity", "id": f"{self.config.base}/scenarios/{quiz_id}", "definition": definition}

    def step_activity(self, quiz_id: str, step_id: str, step: Step | None) -> dict:
        definition: dict = {"type": INTERACTION_TYPE, "interactionType": "choice"}
        if step is not None:
            best = step.max_points
            definition.update({
                "description": _lang(step.text),
                "choices": [{"id": choice_id(i), "description": _lang(c.text)} for i, c in enumerate(step.choices)],
                "correctResponsesPattern": [choice_id(i) for i, c in enumerate(step.choices)
                                            if c.points == best and not c.critical],
            })
        return {"objectType": "Activity", "id": f"{self.config.base}/scenarios/{quiz_id}/steps/{step_id}",
                "definition": definition}

    # --- statements -------------------------------------------------------
    def _statement(self, user: User, sid: str, verb: str, obj: dict, at: datetime, *, version: int,
                   parents: list[dict] | None = None, registration: str | None = None,
                   result: dict | None = None, extra: dict | None = None) -> dict:
        context: dict = {"platform": PLATFORM, "language": CONTENT_LANGUAGE,
                         "extensions": {self.config.ext("content-version"): version,
                                        self.config.ext("municipality"): user.municipality, **(extra or {})}}
        if registration:
            context["registration"] = registration
        if parents:
            context["contextActivities"] = {"parent": parents[:1], "grouping": parents[1:]} if len(parents) > 1 \
                else {"parent": parents}
        statement = {"id": sid, "actor": actor(self.config, user),
                     "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                     "object": obj, "context": context, "timestamp": iso(at), "version": XAPI_VERSION}
        if result is not None:
            statement["result"] = result
        return statement

    def for_user(self, user: User, progress: Iterable[ModuleProgress], attempts: Iterable[QuizAttempt]) -> list[dict]:
        statements: list[dict] = []
        for record in progress:
            statements.extend(self._module_statements(user, record))
        for attempt in attempts:
            statements.extend(self._attempt_statements(user, attempt))
        # Oldest first; within one millisecond in the order things happen (a pass completes the module).
        return sorted(statements, key=lambda s: (s["timestamp"], _rank(s)))

    def _module_statements(self, user: User, progress: ModuleProgress) -> list[dict]:
        module = self.content.modules.get(progress.module_id)
        module_activity = self.module_activity(progress.module_id)
        round_key = iso(progress.started_at)
        registration = statement_id(user.id, "round", progress.module_id, round_key)
        out = [self._statement(user, statement_id(user.id, "launched", progress.module_id, round_key), "launched",
                               module_activity, progress.started_at, version=progress.content_version,
                               registration=registration)]
        for lesson_id in progress.lessons_read:
            at = progress.lessons_read_at.get(lesson_id, progress.started_at)  # older records: the round's start
            out.append(self._statement(
                user, statement_id(user.id, "lesson", progress.module_id, round_key, lesson_id), "completed",
                self.lesson_activity(module, progress.module_id, lesson_id), at, version=progress.content_version,
                parents=[module_activity], registration=registration, result={"completion": True}))
        completions: list[tuple[datetime, str | None]] = [(at, None) for at in progress.earlier_completions]
        if progress.completed_at is not None:
            completions.append((progress.completed_at, registration))
        for at, reg in completions:
            out.append(self._statement(
                user, statement_id(user.id, "module-completed", progress.module_id, iso(at)), "completed",
                module_activity, at, version=progress.completed_version or progress.content_version,
                registration=reg, result={"completion": True}))
        return out

    def _attempt_statements(self, user: User, attempt: QuizAttempt) -> list[dict]:
        quiz = self.quizzes(attempt.quiz_id, attempt.quiz_version)
        scenario = self.scenario_activity(attempt.quiz_id, quiz)
        parents = [scenario, self.module_activity(attempt.module_id)]
        registration = statement_id(user.id, "attempt", attempt.id)
        out = []
        for position, entry in enumerate(attempt.path, start=1):
            step = _step(quiz, entry)
            out.append(self._statement(
                user, statement_id(user.id, "answered", attempt.id, position), "answered",
                self.step_activity(attempt.quiz_id, entry.step_id, step), entry.at or attempt.started_at,
                version=attempt.quiz_version, parents=parents, registration=registration,
                result=self._answer(entry, step), extra={self.config.ext("path-position"): position}))
        if attempt.finished_at is not None:
            did_pass = quiz is not None and not attempt.hit_critical and attempt.percent >= quiz.pass_percent
            out.append(self._statement(
                user, statement_id(user.id, "result", attempt.id), "passed" if did_pass else "failed", scenario,
                attempt.finished_at, version=attempt.quiz_version, parents=parents[1:], registration=registration,
                result={"score": {"scaled": round(attempt.percent / 100, 4), "raw": attempt.points, "min": 0,
                                  "max": attempt.max_points},
                        "success": did_pass, "completion": True,
                        "duration": duration(attempt.started_at, attempt.finished_at),
                        "extensions": {self.config.ext("critical"): attempt.hit_critical}}))
        return out

    def _answer(self, entry: StepChoice, step: Step | None) -> dict:
        extensions: dict = {self.config.ext("critical"): entry.critical}
        if step is not None and entry.choice_index < len(step.choices):
            choice = step.choices[entry.choice_index]
            extensions[self.config.ext("tags")] = [tag.value for tag in choice.tags]
            extensions[self.config.ext("feedback")] = choice.feedback
            if choice.critical_reason:
                extensions[self.config.ext("critical-reason")] = choice.critical_reason
        return {"response": choice_id(entry.choice_index),
                "score": {"raw": entry.points, "min": 0, "max": entry.max_points},
                "success": entry.points == entry.max_points and not entry.critical,
                "extensions": extensions}


def _rank(statement: dict) -> int:
    verb = statement["verb"]["id"].rsplit("/", 1)[1]
    if verb == "completed":
        return 4 if statement["object"]["definition"]["type"] == MODULE_TYPE else 1
    return {"launched": 0, "answered": 2}.get(verb, 3)


def choice_id(index: int) -> str:
    """A choice's id: its place in the file (as stored), whatever order it was shown in."""
    return f"choice-{index}"


def _step(quiz: Quiz | None, entry: StepChoice) -> Step | None:
    if quiz is None:
        return None
    try:
        return quiz.step(entry.step_id)
    except KeyError:
        return None
