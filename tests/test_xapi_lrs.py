"""Statements reach a real LRS (Ralph, started here), pass its validation and read back; the queue
loses nothing while the LRS is down and never stores a statement twice."""

from __future__ import annotations

import json
import os

import pytest

from learning.__main__ import main
from learning.interop.export import statements
from learning.interop.lrs import OUTBOX, STATE, LrsClient, LrsSettings, StatementQueue, send
from learning.interop.xapi import XapiConfig

from .browser.server import free_port
from .helpers import admin_and_accounts, make_user
from .ralph_lrs import PASSWORD, USERNAME, running_lrs, unavailable
from .test_xapi import CONFIG, Clock, play_module

# The queue lives in the document collections, which the contract suite holds to the same
# promises on every adapter; one LRS run (about 8 s) on the embedded store is enough.
pytestmark = pytest.mark.tinydb_only


@pytest.fixture(scope="module")
def lrs(tmp_path_factory) -> LrsSettings:
    missing = unavailable()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    with running_lrs(tmp_path_factory.mktemp("lrs")) as endpoint:
        yield LrsSettings(endpoint, USERNAME, PASSWORD)


def _learner(repo, content, name: str, clock: Clock | None = None):
    accounts, admin = admin_and_accounts(repo)
    user = make_user(accounts, admin, name)
    play_module(repo, content, user, clock)
    return user


def _stored_for(client: LrsClient, config: XapiConfig, user) -> list[dict]:
    """Everything the LRS holds for this person (their pseudonymous account), oldest first."""
    from learning.interop.xapi import actor

    found = client.get(agent=json.dumps(actor(config, user)), limit="500")
    return sorted(found["statements"], key=lambda s: s["timestamp"])


def test_statements_reach_the_lrs_pass_its_validation_and_read_back(repo, fixture_content, lrs, monkeypatch,
                                                                   capsys):
    user = _learner(repo, fixture_content, "kari")
    monkeypatch.setenv("LEARNING_XAPI_ENDPOINT", lrs.endpoint)
    monkeypatch.setenv("LEARNING_XAPI_USERNAME", lrs.username)
    monkeypatch.setenv("LEARNING_XAPI_PASSWORD", lrs.password)
    monkeypatch.setenv("LEARNING_XAPI_SECRET", "q" * 40)
    assert main(["xapi-send"]) == 0
    assert "10 nye utsagn lagt i køen, 10 sendt, 0 avvist, 0 venter." in capsys.readouterr().out
    config = XapiConfig.from_env()
    stored = _stored_for(LrsClient(lrs), config, user)
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in stored] == [
        "launched", "completed", "completed", "answered", "answered", "failed", "answered", "answered", "passed",
        "completed"]
    critical = stored[4]
    assert critical["result"]["extensions"][config.ext("critical")] is True
    assert critical["result"]["extensions"][config.ext("feedback")] == "Barnet stoler på et løfte du ikke kan holde."
    assert critical["object"]["definition"]["interactionType"] == "choice"
    assert stored[8]["result"]["score"]["scaled"] == 1.0
    assert all("stored" in s and s["authority"] for s in stored)  # the LRS's own fields: it stored them
    # Its validation is real: a statement whose verb has no id is refused.
    broken = {**stored[0], "id": "0b7c9a52-6a43-4a57-9d0e-2d9d5d1b0c11", "verb": {"display": {"en-US": "x"}}}
    [(refused_id, answer)] = LrsClient(lrs).post([broken])
    assert refused_id == broken["id"] and answer.startswith("HTTP 422")
    # Sending again finds nothing new.
    assert main(["xapi-send"]) == 0
    assert "0 nye utsagn lagt i køen, 0 sendt, 0 avvist, 0 venter." in capsys.readouterr().out


def test_nothing_is_lost_while_the_lrs_is_down_and_nothing_is_stored_twice(repo, fixture_content, lrs):
    clock = Clock()  # the app writes and the sender scans on one clock, as on one server
    user = _learner(repo, fixture_content, "ola", clock)
    down = LrsSettings(f"http://127.0.0.1:{free_port()}/xAPI/", USERNAME, PASSWORD)
    first = send(repo, fixture_content, CONFIG, down, clock)
    assert (first.queued, first.sent, first.waiting) == (10, 0, 10) and first.error
    wrong_password = send(repo, fixture_content, CONFIG, LrsSettings(lrs.endpoint, USERNAME, "wrong"), clock)
    assert (wrong_password.queued, wrong_password.sent, wrong_password.waiting) == (0, 0, 10)
    assert "401" in wrong_password.error

    # The LRS stored a batch but the sender died before it emptied the slot: the batch goes again.
    queue = StatementQueue(repo)
    [batch] = queue.batches()
    client = LrsClient(lrs)
    client.post(batch["statements"][:4])
    later = send(repo, fixture_content, CONFIG, lrs, clock)
    assert (later.queued, later.sent, later.waiting, later.error) == (0, 10, 0, None)
    stored = _stored_for(client, CONFIG, user)
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in batch["statements"])
    assert [d["statements"] for d in repo.list_docs(OUTBOX) if d["statements"]] == []

    # New learning later: only the new events go.
    play_module(repo, fixture_content, user, clock)  # the module again: two new attempts
    again = send(repo, fixture_content, CONFIG, lrs, clock)
    assert (again.queued, again.sent, again.error) == (6, 6, None)
    assert len(_stored_for(client, CONFIG, user)) == 16


def test_a_statement_the_lrs_refuses_is_set_aside_and_the_rest_go(repo, fixture_content, lrs):
    clock = Clock()
    user = _learner(repo, fixture_content, "eva", clock)
    queue = StatementQueue(repo, clock)
    good = next(statements(repo, fixture_content, CONFIG))
    broken = {**good, "id": "5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f", "verb": {"display": {"en-US": "launched"}}}
    queue.add([broken])
    result = send(repo, fixture_content, CONFIG, lrs, clock)
    assert (result.queued, result.sent, result.refused, result.waiting, result.error) == (10, 10, 1, 0, None)
    [aside] = repo.get_doc(STATE, "refused")["statements"]
    assert aside["statement"]["id"] == broken["id"] and "422" in aside["answer"]
    assert len(_stored_for(LrsClient(lrs), CONFIG, user)) == 10
