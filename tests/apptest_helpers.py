"""Helpers for driving the real app through streamlit.testing.v1.AppTest."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

NO_ACCESS = "Ingen tilgang"  # the title of the hidden pages that answer the addresses a role may not use
APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def restart_app() -> AppTest:
    """A new session on a new process-wide cache: as after restarting the server."""
    st.cache_resource.clear()
    return new_app()


def text_input(at: AppTest, label: str):
    return next(x for x in at.text_input if x.label == label)


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def click(at: AppTest, label: str) -> AppTest:
    button(at, label).click().run()
    assert not at.exception, at.exception
    return at


def labels(elements) -> list[str]:
    return [e.label for e in elements]


def values(elements) -> list[str]:
    return [e.value for e in elements]


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    text_input(at, "Brukernavn").input(username)
    text_input(at, "Passord").input(password)
    return click(at, "Logg inn")


def create_first_admin(at: AppTest, username: str = "anne", password: str = "hemmelig123") -> AppTest:
    text_input(at, "Navn").input("Anne Admin")
    text_input(at, "Brukernavn").input(username)
    text_input(at, "E-post").input("anne@example.invalid")
    text_input(at, "Passord").input(password)
    text_input(at, "Gjenta passordet").input(password)
    return click(at, "Opprett administrator")


def page_text(at: AppTest) -> str:
    """All markdown, html and captions on the page, for 'is this shown' checks."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(h.proto.body) for h in at.get("html")]
    return "\n".join(parts)


def play_quiz(at: AppTest, choices: list[int]) -> AppTest:
    """Choose the given option index at each step, reading the feedback in between."""
    click(at, "Start scenarioet" if "Start scenarioet" in labels(at.button) else "Prøv igjen")
    for index in choices:
        radio = next(r for r in at.radio if r.label == "Hva gjør du?")
        radio.set_value(index).run()
        click(at, "Velg")
        assert "Slik kan barnet oppleve det" in page_text(at)
        next_label = "Se resultatet" if any(b.label == "Se resultatet" for b in at.button) else "Videre"
        click(at, next_label)
    return at


def goto(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its URL path, as the sidebar menu does.

    ``AppTest.switch_page`` only accepts page files; our pages are functions, whose
    script hash is the hash of their url_path (see ``st.Page``), so set it directly.
    """
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, at.exception
    return at


def menu(at: AppTest) -> set[str]:
    """URL paths of the pages st.navigation registered for the signed-in user.

    Not the stand-ins (see ui/navigation.py): the hidden pages that lead a role to the
    front page, nor, signed out, the other addresses that show the same page as "/".
    """
    pages = at._registered_pages.values()
    front = next((info.get("page_name") for info in pages if info.get("url_pathname") == ""), None)
    return {info.get("url_pathname") for info in pages if info.get("page_name") != NO_ACCESS
            and (info.get("url_pathname") == "" or info.get("page_name") != front)}


def show_view(at: AppTest, view: str) -> AppTest:
    """Pick one of the manager page's views (overview, staff, assign, insight, export)."""
    next(r for r in at.radio if r.label == "Visning").set_value(view).run()
    assert not at.exception, at.exception
    return at


@dataclass
class Card:
    """What one catalog card shows (``ui.catalog_cards``): its title, duty line and progress text."""

    title: str
    note: str = ""
    tone: str = ""  # "error", "warning" or "" (a plain line)
    progress: str = ""
    text: list[str] = field(default_factory=list)  # every text in the card, in order


class _CardParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.card = Card("")
        self.where: list[str] = []  # what each open tag is: "title", "note", "icon", "progress" or ""

    def handle_starttag(self, tag: str, attrs) -> None:
        classes = (dict(attrs).get("class") or "").split()
        kind = ("title" if tag == "h3" else "note" if "lm-note" in classes else "icon" if "lm-icon" in classes
                else "progress" if "lm-progress-text" in classes else "")
        if "lm-note" in classes:
            self.card.tone = next(c.removeprefix("lm-note-") for c in classes if c.startswith("lm-note-"))
        self.where.append(kind)

    def handle_endtag(self, tag: str) -> None:
        if self.where:
            self.where.pop()

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text or (self.where and self.where[-1] == "icon"):  # an icon's name is not text
            return
        self.card.text.append(text)
        kind = next((k for k in reversed(self.where) if k), "")
        if kind == "title":
            self.card.title += text
        elif kind == "note":
            self.card.note += text
        elif kind == "progress":
            self.card.progress += text


def catalog_cards(at: AppTest) -> list[Card]:
    """The catalog's cards in page order, read from their HTML blocks."""
    cards = []
    for block in at.get("html"):
        body = str(block.proto.body)
        if 'class="lm-mod"' in body:
            parser = _CardParser()
            parser.feed(body)
            cards.append(parser.card)
    return cards


def card_titles(at: AppTest) -> list[str]:
    return [card.title for card in catalog_cards(at)]
