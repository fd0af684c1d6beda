"""What to remind whom of, put in the outbox; then delivered. ``python -m learning send-reminders`` runs it.

Learners (staff with an e-mail address) get one message per mandatory module and event:
the deadline is within ``REMIND_DAYS``, the deadline has passed, the completion expires
soon, or it has expired. Leaders get a weekly digest of their municipality (or service
area): counts only, never names, since e-mail leaves the platform. Reminders about
mandatory modules are part of the job and cannot be turned off; the digest can (a signed
link to the public page Avmelding). Every text is in the recipient's language.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import date

from learning.i18n import t, using_language
from learning.languages import resolve_language
from learning.records import Role, User, counts_as_staff
from learning.services.assignments import Duty, requirements_for
from learning.services.base import ContentService
from learning.services.headline import headline_figures
from learning.services.mail import COLLECTION, Mail, Outbox, SmtpSettings, wants
from learning.services.reports import ReportService

REMIND_DAYS = 7
DIGEST = "digest"
PUBLIC_URL_ENV = "LEARNING_PUBLIC_URL"
DIGEST_ROLES = (Role.MANAGER, Role.MUNICIPAL_ADMIN)


def _mac(secret: bytes, user_id: str, kind: str) -> str:
    digest = hmac.new(secret, f"unsubscribe|{user_id}|{kind}".encode(), hashlib.sha256).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def unsubscribe_token(secret: bytes, user_id: str, kind: str = DIGEST) -> str:
    return f"{user_id}.{kind}.{_mac(secret, user_id, kind)}"


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[str, str] | None:
    """(user id, kind) of a genuine token; None for anything else."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3 or len(token) > 120:
        return None
    user_id, kind, mac = parts
    return (user_id, kind) if hmac.compare_digest(mac, _mac(secret, user_id, kind)) else None


class ReminderService(ContentService):
    def __init__(self, repo, content, clock=None, *, secret: bytes, public_url: str | None = None):
        super().__init__(repo, content, *([clock] if clock else []))
        self.secret = secret
        self.public_url = (os.environ.get(PUBLIC_URL_ENV, "") if public_url is None else public_url).rstrip("/")
        self.outbox = Outbox(repo, self.clock)

    def plan(self) -> int:
        """Put every reminder and digest due today in the outbox; returns how many were new."""
        today = self.today()
        users = [u for u in self.repo.list_users() if u.active and not u.pending and u.anonymised_at is None
                 and u.email]
        assignments: dict[str, list] = {}
        added = 0
        digests: dict[tuple, str] = {}
        for user in users:
            language = resolve_language(user.language, None, user.municipality).value
            with using_language(language):
                known = set(self.repo.user_docs(user.id, COLLECTION))
                if counts_as_staff(user):
                    if user.municipality not in assignments:
                        assignments[user.municipality] = self.repo.list_assignments(user.municipality)
                    for mail in self._reminders(user, assignments[user.municipality], today, language):
                        added += self.outbox.enqueue(user, mail, known)
                if user.role in DIGEST_ROLES and wants(self.repo, user.id, DIGEST):
                    digest = self._digest(user, today, language, digests)
                    if digest is not None:
                        added += self.outbox.enqueue(user, digest, known)
        return added

    def _reminders(self, user: User, assignments: list, today: date, language: str) -> list[Mail]:
        content = self.content.in_language(language)
        progress = self.repo.progress_for(user.id)
        out = []
        for module_id, required in requirements_for(user, assignments, progress, today).items():
            module = content.modules.get(module_id)
            if module is None:
                continue
            days = (required.deadline - today).days
            if required.duty == Duty.DUE and days <= REMIND_DAYS:
                event, when = "due", required.deadline
            elif required.duty in (Duty.OVERDUE, Duty.RENEW):
                event, when = required.duty.value, required.deadline
            elif required.duty == Duty.EXPIRING and required.expires is not None:
                event, when = "expiring", required.expires
            else:
                continue
            values = {"name": user.name, "module": module.meta.title, "date": when.strftime("%d.%m.%Y"),
                      "url": self._url(f"/modul?modul={module_id}")}
            out.append(Mail(key=f"{event}:{module_id}:{when.isoformat()}", to=user.email,
                            subject=t(f"mail.{event}_subject", **values),
                            body=t(f"mail.{event}_body", **values) + "\n\n" + t("mail.footer_mandatory"),
                            mandatory=True))
        return out

    def _digest(self, user: User, today: date, language: str, cache: dict) -> Mail | None:
        year, week, _ = today.isocalendar()
        scope = (user.municipality, user.manager_area if user.role == Role.MANAGER else None, language)
        if scope not in cache:
            reports = ReportService(self.repo, self.content.in_language(language), self.clock)
            board = reports.dashboard(user, user.municipality)
            expiring = sum(1 for r in reports.staff_rows(user, user.municipality)
                           for m in r.modules.values() if m.duty == Duty.EXPIRING)
            lines = [f"- {f.sentence}" for f in headline_figures(board)]
            lines.append("- " + t("mail.digest_expiring", count=expiring))
            cache[scope] = "\n".join(lines) if board.headline.staff else ""
        if not cache[scope]:
            return None
        url = self._url(f"/avmelding?token={unsubscribe_token(self.secret, user.id)}")
        body = "\n\n".join([t("mail.digest_intro", name=user.name, week=week), cache[scope],
                            t("mail.digest_link", url=self._url("/leder")), t("mail.footer_optional", url=url)])
        return Mail(key=f"{DIGEST}:{year}-W{week:02d}", to=user.email, subject=t("mail.digest_subject", week=week),
                    body=body, mandatory=False, unsubscribe_url=url)

    def _url(self, path: str) -> str:
        return f"{self.public_url}{path}"

    def run(self, settings: SmtpSettings | None) -> tuple[int, dict[str, int]]:
        """Plan, then deliver everything due (also what earlier runs could not send)."""
        added = self.plan()
        return added, self.outbox.deliver(settings, [u.id for u in self.repo.list_users()])
