"""Every stored learning event as xAPI statements: for the export file and the LRS queue."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime

from learning.clock import Clock, utc_now
from learning.content.bundle import Kind
from learning.content.catalog import ContentCatalog
from learning.content.models import Quiz
from learning.content.problems import ContentError
from learning.records import AuditAction, ModuleProgress, QuizAttempt, Role, User
from learning.services.audit import record
from learning.services.authz import require_role
from learning.services.published import all_versions, parse_version
from learning.storage.repository import Repository

from .xapi import StatementBuilder, XapiConfig, catalog_quizzes, iso

log = logging.getLogger("learning.interop")
CHUNK = 500


def published_quizzes(repo: Repository) -> list[Quiz]:
    """Every published scenario version, so an old attempt is described with the text it was played on."""
    quizzes = []
    for version in all_versions(repo):
        if version.kind != Kind.QUIZ:
            continue
        try:
            model = parse_version(version)
        except ContentError:
            continue
        if isinstance(model, Quiz):
            quizzes.append(model)
    return quizzes


def stored_state(repo: Repository, municipality: str | None = None
                 ) -> Iterator[tuple[User, list[ModuleProgress], list[QuizAttempt]]]:
    """Each person's progress and attempts as records; a person whose data cannot be read is left out (logged)."""
    users = [u for u in repo.list_users(municipality) if not u.pending]
    for start in range(0, len(users), CHUNK):
        chunk = users[start:start + CHUNK]
        state = repo.bulk_state(u.id for u in chunk)
        for user in chunk:
            progress, attempts = state.get(user.id, ([], []))  # unreadable: left out (the store logged it)
            yield user, progress, attempts


def statements(repo: Repository, content: ContentCatalog, config: XapiConfig, *,
               since: datetime | None = None, municipality: str | None = None) -> Iterator[dict]:
    """Statements for everyone (or one municipality), person by person, those at or after ``since``."""
    builder = StatementBuilder(config, content, catalog_quizzes(content, published_quizzes(repo)))
    floor = None if since is None else iso(since)
    for user, progress, attempts in stored_state(repo, municipality):
        for statement in builder.for_user(user, progress, attempts):
            if floor is None or statement["timestamp"] >= floor:
                yield statement


def to_jsonl(items: Iterator[dict]) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items).encode("utf-8")


class XapiExportService:
    """The admin's download of every statement as JSON lines; logged like every other export."""

    def __init__(self, repo: Repository, content: ContentCatalog, clock: Clock = utc_now):
        self.repo, self.content, self.clock = repo, content, clock

    def export_jsonl(self, actor: User | None, *, since: datetime | None = None,
                     municipality: str | None = None, file_name: str = "xapi.jsonl") -> bytes:
        actor = require_role(actor, Role.ADMIN)
        payload = to_jsonl(statements(self.repo, self.content, XapiConfig.from_env(), since=since,
                                      municipality=municipality))
        record(self.repo, actor, AuditAction.EXPORTED, at=self.clock(), target=file_name,
               municipality=municipality or "", format="xapi")
        return payload
