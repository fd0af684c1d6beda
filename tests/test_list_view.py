"""Wide tables have a phone form: the same rows as cards (``ui.list_view``), escaped, in Norwegian formats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from learning.content.models import ServiceArea
from learning.i18n import using_language
from learning.records import Role
from learning.services.accounts import AccountService
from learning.ui.list_view import cards_html, cell_text
from tests.stores import open_store

from .apptest_helpers import goto, restart_app, show_view, sign_in, values
from .helpers import NOW
from .reports_fixtures import OSLO, build_world

pytestmark = pytest.mark.tinydb_only  # the page code under test is the same on every store

HOSTILE = '<script>alert("x")</script>'


class Cards(HTMLParser):
    """The cards of ``cards_html`` read back: [(title, href, {label: value})]."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cards: list[tuple[str, str | None, dict[str, str]]] = []
        self._text: list[str] | None = None
        self._in = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("class") == "lm-card":
            self.cards.append(["", None, {}])
        elif tag == "a" and self.cards:
            self.cards[-1][1] = attrs.get("href")
        elif tag == "strong" and self.cards and not self.cards[-1][0]:
            self._in, self._text = "title", []
        elif tag == "li" and self.cards:
            self._in, self._text = "line", []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._in == "title" and tag == "strong":
            self.cards[-1][0] = "".join(self._text)
        elif self._in == "line" and tag == "li":
            label, _, value = "".join(self._text).partition(": ")
            self.cards[-1][2][label] = value
        else:
            return
        self._in, self._text = "", None


def cards_on(at, first_title: str) -> list[tuple[str, str | None, dict[str, str]]]:
    """The card list (in AppTest both forms are present; CSS picks one in a browser) holding ``first_title``."""
    for element in at.get("html"):
        body = str(element.proto.body)
        if 'class="lm-cards"' in body:
            cards = Cards(body).cards
            if any(title == first_title for title, _, _ in cards):
                return cards
    raise AssertionError(f"no card list with {first_title!r}")


def same_rows(frame, cards, *, first: str) -> None:
    """Every table row has its card, in order, with every non-empty value as «label: value»."""
    assert [title for title, _, _ in cards] == [cell_text(v) for v in frame[first]]
    for row, (_, _, lines) in zip(frame.to_dict("records"), cards, strict=True):
        expected = {label: cell_text(value) for label, value in row.items() if label != first and cell_text(value)}
        assert lines == expected


# Formats and escaping, without Streamlit


def test_cells_are_written_in_the_readers_format():
    assert [cell_text(v) for v in (1234567, 12.5, 3.0, None, float("nan"), True, date(2026, 12, 4))] == [
        "1\u00a0234\u00a0567", "12,5", "3", "", "", "Ja", "04.12.2026"]
    assert cell_text(datetime(2026, 12, 3, 23, 30, tzinfo=UTC)) == "04.12.2026"  # Norwegian time
    with using_language("en"):
        assert (cell_text(1234), cell_text(12.5), cell_text(False)) == ("1,234", "12.5", "No")


def test_every_value_label_and_link_is_escaped():
    html = cards_html([{HOSTILE: HOSTILE, f"a{HOSTILE}": HOSTILE, "tom": ""}], links=['x" onclick="y'])
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="x&quot; onclick=&quot;y"' in html
    [(title, href, lines)] = Cards(html).cards
    assert (title, href, lines) == (HOSTILE, 'x" onclick="y', {f"a{HOSTILE}": HOSTILE})  # no empty line


# The pages


@pytest.fixture
def world(data_dir, fixture_content):
    return build_world(open_store(data_dir))


def as_user(username: str, password: str = "passord123"):
    at = sign_in(restart_app(), username, password)
    assert not at.error, values(at.error)
    return at


def frame_with(at, column: str):
    return next(f.value for f in at.dataframe if column in f.value.columns)


def test_staff_page_cards_hold_the_same_rows_and_escape_names(world):
    AccountService(world.repo, clock=lambda: NOW).create_user(
        world.admin, username="fiendtlig", password="passord123", name=HOSTILE, email="", municipality=OSLO,
        role=Role.LEARNER, service_area=ServiceArea.SKOLE, unit="Bjørkelia skole")
    at = show_view(goto(as_user("leder-oslo"), "leder"), "staff")
    frame = frame_with(at, "Navn")
    cards = cards_on(at, "Oslo-Skole-0")
    same_rows(frame, cards, first="Navn")
    assert HOSTILE in [title for title, _, _ in cards]
    assert all("<script" not in str(h.proto.body) for h in at.get("html")
               if 'class="lm-cards"' in str(h.proto.body))  # the card lists (the page frame's styles name them too)
    lines = next(lines for title, _, lines in cards if title == "Oslo-Skole-0")
    assert lines["Enhet"] == "Bjørkelia skole" and lines["Tjenesteområde"] == "Skole"
    # a filter narrows both forms alike (the store pages the rows; the cards are that page)
    next(x for x in at.text_input if x.label == "Søk etter navn").input("bhg").run()
    same_rows(frame_with(at, "Navn"), cards_on(at, "Oslo-Bhg-0"), first="Navn")
    assert len(cards_on(at, "Oslo-Bhg-0")) == 3


def test_the_list_switch_replaces_the_table_and_holds_for_the_session(world):
    at = show_view(goto(as_user("leder-oslo"), "leder"), "staff")
    next(x for x in at.toggle if x.label == "Vis som liste").set_value(True).run()
    assert not any("Navn" in f.value.columns for f in at.dataframe)    # the cards alone
    assert len(cards_on(at, "Oslo-Skole-0")) == 9
    goto(at, "min-laering")                                            # another page, then back
    at = show_view(goto(at, "leder"), "staff")
    assert next(x for x in at.toggle if x.label == "Vis som liste").value is True
    assert not any("Navn" in f.value.columns for f in at.dataframe)


def test_network_cards_hold_the_same_rows(world):
    at = goto(as_user("koordinator"), "nettverk")
    grid = next(f.value for f in at.table if "Kommune" in f.value.columns)
    cards = cards_on(at, "Oslo (0301)")
    same_rows(grid, cards, first="Kommune")
    assert [title for title, _, _ in cards][-1] == "Hele nettverket"
    assert cards[-1][2]["Alle moduler"] == "skjult"                     # hidden figures stay hidden


def test_my_learning_cards_hold_the_same_rows_and_link_to_the_module(world):
    at = goto(as_user("oslo-skole-0"), "min-laering")
    frame = at.dataframe[0].value
    cards = cards_on(at, "Prøvemodul")
    [(title, href, lines)] = cards
    assert href == "modul?modul=prove-modul"
    assert lines.pop("Framdrift") == f"{frame['Framdrift'][0]}\u00a0%"
    row = {k: v for k, v in frame.to_dict("records")[0].items() if k != "Framdrift"}
    assert lines == {k: cell_text(v) for k, v in row.items() if k != "Modul" and cell_text(v)}
    assert lines["Status"] == frame["Status"][0]


def test_scenario_insight_cards_hold_the_same_rows(world):
    at = show_view(goto(as_user("leder-oslo"), "leder"), "insight")
    tags = next(f.value for f in at.table if "Kompetansemerke" in f.value.columns)
    same_rows(tags, cards_on(at, tags["Kompetansemerke"].iloc[0]), first="Kompetansemerke")
    step = next(f.value for f in at.table if "Kritisk feil" in f.value.columns)
    same_rows(step, cards_on(at, step["Valg"].iloc[0]), first="Valg")
