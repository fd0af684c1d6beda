"""Reminders and digests: a real SMTP server on localhost (aiosmtpd), down at first, then exactly once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from learning.i18n import Language
from learning.records import Role
from learning.services.assignments import AssignmentService
from learning.services.mail import COLLECTION, Outbox, SmtpSettings, wants
from learning.services.reminders import ReminderService, read_unsubscribe_token, unsubscribe_token

from .helpers import NOW, admin_and_accounts, make_user
from .test_renewal import Clock

MODULE = "prove-modul"
SECRET = b"a-test-secret-of-at-least-32-characters"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def subjects(self) -> list[str]:
        return sorted(str(make_header(decode_header(m["Subject"]))) for m in self.messages)


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    """A settings object for a port where nothing listens yet, and a way to start a real server there."""
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield SmtpSettings(host="127.0.0.1", port=port, security="none", sender="noreply@example.invalid",
                       timeout=3), inbox, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


@pytest.fixture
def world(repo, fixture_content):
    clock = Clock()
    accounts, admin = admin_and_accounts(repo)
    manager = make_user(accounts, admin, "leder", role=Role.MANAGER, area=None, unit="")
    kari = make_user(accounts, admin, "kari")
    nils = make_user(accounts, admin, "nils")
    for user, email, language in ((manager, "leder@example.invalid", None), (kari, "kari@example.invalid", None),
                                  (nils, "nils@example.invalid", Language.NN)):
        repo.update_user(user.id, lambda u, e=email, lang=language: u.model_copy(update={"email": e,
                                                                                          "language": lang}))
    make_user(accounts, admin, "uten-epost")                # no address: nothing to send
    AssignmentService(repo, fixture_content, clock=clock).create(
        manager, municipality="0301", module_id=MODULE, deadline=NOW.date() + timedelta(days=5))
    service = ReminderService(repo, fixture_content, clock=clock, secret=SECRET, public_url="https://laering.example")
    return clock, service, manager, kari, nils


@pytest.mark.tinydb_only  # the outbox is the contract-tested user_docs; one backend is enough here
def test_server_down_at_first_then_every_message_arrives_exactly_once(world, smtp, repo):
    clock, service, manager, kari, nils = world
    settings, inbox, controller = smtp
    added, counts = service.run(settings)                    # the server is down
    assert added == 3 and counts == {"sent": 0, "retry": 3, "failed": 0}
    assert service.run(settings) == (0, {"sent": 0, "retry": 0, "failed": 0})   # planned once; waits to retry
    controller.start()
    clock.now += timedelta(minutes=6)
    assert service.run(settings) == (0, {"sent": 3, "retry": 0, "failed": 0})
    clock.now += timedelta(hours=1)
    assert service.run(settings) == (0, {"sent": 0, "retry": 0, "failed": 0})
    assert len(inbox.messages) == 3
    by_to = {m["To"]: m for m in inbox.messages}
    assert str(make_header(decode_header(by_to["kari@example.invalid"]["Subject"]))) == \
        "Påminnelse: «Prøvemodul» må være fullført innen 28.11.2026"
    assert str(make_header(decode_header(by_to["nils@example.invalid"]["Subject"]))) == \
        "Påminning: «Prøvemodul» må vere gjennomført innan 28.11.2026"          # his own language
    body = by_to["kari@example.invalid"].get_content()
    assert "https://laering.example/modul?modul=prove-modul" in body and "påkrevd i jobben din" in body
    digest = by_to["leder@example.invalid"]
    assert "uke 48" in str(make_header(decode_header(digest["Subject"])))
    text = digest.get_content()
    assert "Kari" not in text and "av 3 ansatte" in text                          # counts, never names
    link = digest["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://laering.example/avmelding?token=") and link in text

    token = link.split("token=")[1]
    assert read_unsubscribe_token(SECRET, token) == (manager.id, "digest")
    assert read_unsubscribe_token(SECRET, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    from learning.services.mail import set_subscribed
    set_subscribed(repo, manager.id, "digest", False)
    assert not wants(repo, manager.id, "digest")
    clock.now += timedelta(days=7)                         # a new week: overdue reminders, no digest for him
    added, counts = service.run(settings)
    assert (added, counts["sent"]) == (2, 2)
    assert sorted(m["To"] for m in inbox.messages[3:]) == ["kari@example.invalid", "nils@example.invalid"]


@pytest.mark.tinydb_only
def test_parallel_runs_send_each_message_once_and_a_lost_claim_is_not_resent(world, smtp, repo):
    clock, service, manager, kari, nils = world
    settings, inbox, controller = smtp
    assert service.plan() == 3
    controller.start()
    outbox = Outbox(repo, clock)
    ids = [u.id for u in repo.list_users()]
    threads = [threading.Thread(target=outbox.deliver, args=(settings, ids)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(inbox.messages) == 3

    # A run that died between sending and marking: never sent again, marked uncertain.
    key = next(k for k in repo.user_docs(kari.id, COLLECTION) if k.startswith("msg:"))
    repo.update_user_doc(kari.id, COLLECTION, key, lambda d: {**d, "status": "sending",
                                                               "claimed_at": NOW.isoformat()})
    clock.now += timedelta(hours=1)
    outbox.deliver(settings, ids)
    assert repo.user_docs(kari.id, COLLECTION)[key]["status"] == "uncertain" and len(inbox.messages) == 3

    from learning.services.gdpr import PersonalDataService
    own = PersonalDataService(repo).own_data(kari)
    assert [m["status"] for m in own["email"]["messages"]] == ["uncertain"]
    admin = repo.find_user("admin")
    PersonalDataService(repo).anonymise(admin, kari.id, confirm="kari")
    assert repo.user_docs(kari.id, COLLECTION) == {}         # erasure takes the outbox too


def test_unsubscribe_tokens_are_signed(world):
    token = unsubscribe_token(SECRET, "0301-abc", "digest")
    assert read_unsubscribe_token(SECRET, token) == ("0301-abc", "digest")
    assert read_unsubscribe_token(b"another-secret-of-at-least-32-chars!", token) is None
    assert read_unsubscribe_token(SECRET, "0301-abc.digest") is None


@pytest.mark.tinydb_only
def test_the_command_line_sends_reminders_for_cron(data_dir, fixture_content, smtp, monkeypatch, capsys):
    from learning.__main__ import main
    from tests.stores import open_store

    settings, inbox, controller = smtp
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    repo.update_user(kari.id, lambda u: u.model_copy(update={"email": "kari@example.invalid"}))
    AssignmentService(repo, fixture_content).create(admin, municipality="0301", module_id=MODULE,
                                                    deadline=date.today() + timedelta(days=2))
    controller.start()
    for name, value in (("LEARNING_SMTP_HOST", "127.0.0.1"), ("LEARNING_SMTP_PORT", str(settings.port)),
                        ("LEARNING_SMTP_TLS", "none"), ("LEARNING_SMTP_SENDER", "noreply@example.invalid")):
        monkeypatch.setenv(name, value)
    assert main(["send-reminders"]) == 0
    assert "1 nye i utboksen; 1 sendt" in capsys.readouterr().out
    assert main(["send-reminders"]) == 0
    assert "0 nye i utboksen; 0 sendt" in capsys.readouterr().out
    assert [m["To"] for m in inbox.messages] == ["kari@example.invalid"]


def test_the_unsubscribe_link_works_without_sign_in_and_only_by_a_button(data_dir, fixture_content):
    from learning.session_tokens import server_secret
    from tests.apptest_helpers import click, create_first_admin, goto, new_app, restart_app
    from tests.stores import open_store

    create_first_admin(new_app())
    repo = open_store(data_dir)
    admin = repo.find_user("anne")
    at = restart_app()
    at.query_params["token"] = unsubscribe_token(server_secret(), admin.id)
    goto(at, "avmelding")
    assert [x.value for x in at.title] == ["Avmelding"] and wants(repo, admin.id, "digest")   # opening changes nothing
    click(at, "Meld meg av")
    assert not wants(repo, admin.id, "digest") and at.success
    click(at, "Meld meg på igjen")
    assert wants(repo, admin.id, "digest")
    at.query_params["token"] = "forged.digest.AAAAAAAAAAAAAAAA"
    goto(at, "avmelding")
    assert at.error and "ikke gyldig" in at.error[0].value
