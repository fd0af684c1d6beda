"""The catalog as a learner sees it, and what a learner page's rerun costs in Streamlit elements and work.

Speed is measured by ``bench/bench_pages.py``; these tests hold the things that made it fast (issue 18):
a card is three elements, the page frame is one, the pages and the learner's modules are not rebuilt on
a rerun. They count, they do not time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st

from learning.config import content_root
from learning.content.catalog import load_catalog
from learning.records import Assignment
from learning.services.learning import LearningService
from learning.ui.catalog_cards import card_html
from tests.stores import open_store

from .apptest_helpers import catalog_cards, click, restart_app, sign_in, values
from .test_app_catalog import content, people  # noqa: F401  (fixtures: three modules, a learner and a leader)

pytestmark = pytest.mark.tinydb_only  # display and counting; the store is covered elsewhere


def nodes(block):
    """Every element and block under ``block``, depth first."""
    for child in block.children.values():
        yield child
        if getattr(child, "children", None):
            yield from nodes(child)


@pytest.fixture
def overdue(people, data_dir):  # noqa: F811
    """«Lek i barnehagen» is required of everyone in Oslo, and its deadline has passed; Prøvemodul is begun."""
    repo = open_store(data_dir)
    admin, kari = repo.find_user("admin"), repo.find_user("kari")
    now = datetime.now(UTC)
    repo.add_assignment(Assignment(id="a1", municipality="0301", module_id="bhg-modul",
                                   deadline=(now - timedelta(days=3)).date(), created_by=admin.id, created_at=now))
    learning = LearningService(repo, load_catalog(content_root()))
    learning.open_module(kari, "prove-modul")
    learning.finish_lesson(kari, "prove-modul", "forste")
    return repo


def test_required_modules_come_first_with_their_duty_progress_and_a_labelled_button(overdue):
    at = sign_in(restart_app(), "kari", "passord123")
    cards = catalog_cards(at)
    assert values(at.header) == ["Påkrevd for deg", "For deg i Skole", "For ledere"]
    assert [c.title for c in cards] == ["Lek i barnehagen", "Prøvemodul", "Styring for ledere"]
    required, begun, leaders = cards
    assert required.tone == "error" and required.note.startswith("Påkrevd – fristen ")
    assert required.progress == "Ikke startet · 0 % gjort" and "Om kropp og grenser i lek." in required.text
    assert begun.progress.startswith("Påbegynt · ") and not begun.note
    assert "For ledere" in leaders.text  # the label is a word, not colour alone
    buttons = [(b.key, b.label) for b in at.button if b.key and b.key.startswith("open-")]
    assert buttons == [("open-bhg-modul", "Start modulen"), ("open-prove-modul", "Fortsett der du slapp"),
                       ("open-styring", "Start modulen")]  # one per card, in the cards' order
    click(at, "Fortsett der du slapp")
    assert values(at.title) == ["Prøvemodul"]


def test_a_card_is_three_elements_and_the_page_frame_one(overdue):
    at = sign_in(restart_app(), "kari", "passord123")
    at.run()
    cards = [node for node in at.main.children.values() if getattr(node, "children", None)
             and any("lm-mod" in str(getattr(child.proto, "body", "")) for child in node.children.values())]
    assert len(cards) == 3
    for card in cards:  # the bordered box holds the card's text block and its button, nothing else
        assert [child.type for child in card.children.values()] == ["html", "button"]
    frames = [h for h in at.get("html") if "__lmChrome" in str(h.proto.body)]
    assert len(frames) == 1 and "<style>" in str(frames[0].proto.body)  # styles and script: one element
    elements = [node for node in nodes(at.main) if not getattr(node, "children", None)]
    assert len(elements) == 1 + 1 + 3 + 3 + 2 * 3  # frame, title, three filters, headers, cards: nothing more
    sidebar = list(nodes(at.sidebar))
    assert len(sidebar) == 1 + 5 + 2  # section name, five links, who is signed in, sign-out


def test_a_rerun_builds_no_page_and_reads_the_learners_modules_once(overdue, monkeypatch):
    at = sign_in(restart_app(), "kari", "passord123")
    made, read = [], []
    page_init = st.Page.__init__
    catalog = LearningService.catalog
    monkeypatch.setattr(st.Page, "__init__", lambda self, *a, **k: made.append(1) or page_init(self, *a, **k))
    monkeypatch.setattr(LearningService, "catalog", lambda self, user: read.append(1) or catalog(self, user))
    at.run()
    at.run()
    assert made == [] and read == []  # the same session, nothing written: the pages and modules are kept
    overdue.update_user(overdue.find_user("kari").id, lambda u: u.model_copy(update={"name": "Kari N"}))
    at.run()
    assert read == [1]  # a write moves the store's data version: read afresh
    assert [c.title for c in catalog_cards(at)][0] == "Lek i barnehagen"


def test_a_card_shows_authored_text_as_text(overdue):
    kari = overdue.find_user("kari")
    entry = next(e for e in LearningService(overdue, load_catalog(content_root())).catalog(kari)
                 if e.module.id == "bhg-modul")
    meta = entry.module.meta.model_copy(update={"title": '<img src=x onerror="alert(1)">',
                                                "description": "<script>alert(2)</script> **fet**"})
    html = card_html(replace(entry, module=entry.module.model_copy(update={"meta": meta})))
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html and "&lt;script&gt;alert(2)" in html
    assert "**fet**" in html  # authored Markdown is not interpreted either
