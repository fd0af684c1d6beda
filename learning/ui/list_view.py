"""Wide tables with a phone form: the same rows as a list of cards, one card per row.

A table of five or more columns cannot be read at 390 px: Streamlit's grid is a canvas made for the
mouse, and ``st.table`` runs off the screen. So each wide table is sent in two forms built from the
same rows: the table in an ``lm-wide-`` container, the cards in an ``lm-phone-`` container. The
stylesheet in ``ui.chrome`` hides one of them with ``display:none`` by the screen's width, so a
screen reader meets one form only. On a wide screen the reader may choose «Vis som liste» (easier
with a screen reader or a narrow window); that choice holds for every table for the rest of the session.

Every value is HTML-escaped here: names and titles come from users and authors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from html import escape
from numbers import Integral, Real
from typing import TypeVar

import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import current_language, t
from learning.summary import number

T = TypeVar("T")
Row = Mapping[str, object]

PREFERENCE = "lm_list_view"  # the session's choice: True = cards on wide screens too
CARD_LIMIT = 200  # more cards than this is no reading on a phone; the filters narrow the rows


def cell_text(value: object) -> str:
    """A table cell as text in the reader's format: «1 234», «12,5», «04.12.2026», nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if isinstance(value, datetime | date):
        return "" if value != value else fmt_date(value)  # NaT is a datetime that is not equal to itself
    if isinstance(value, Integral):
        return number(int(value))
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value):
            return ""
        if value.is_integer():
            return number(int(value))
        text = f"{value:,.1f}"
        return text if current_language() == "en" else text.replace(",", "\u00a0").replace(".", ",")
    text = str(value)
    return "" if text in {"nan", "NaN", "<NA>", "NaT", "None"} else text


def percent_text(value: object) -> str:
    """A whole percentage as text: «40 %» («40%» in English)."""
    text = cell_text(value)
    return text and (f"{text}%" if current_language() == "en" else f"{text}\u00a0%")


def cards_html(rows: Sequence[Row], *, formats: Mapping[str, Callable[[object], str]] | None = None,
               links: Sequence[str | None] | None = None, limit: int = CARD_LIMIT) -> str:
    """``rows`` as a list of cards: the first column as the card's title, the rest as «label: value» lines.

    ``formats`` turns a column's values into text (say, 40 -> «40 %»); ``links`` gives each card's
    title an address. Empty values are left out; at most ``limit`` cards are made.
    """
    formats = formats or {}

    def text(label: str, value: object) -> str:
        return formats[label](value) if label in formats else cell_text(value)

    cards = []
    for index, row in enumerate(list(rows)[:limit]):
        cells = list(row.items())
        if not cells:
            continue
        (first_label, first), rest = cells[0], cells[1:]
        title = f"<strong>{escape(text(first_label, first))}</strong>"
        href = links[index] if links is not None and index < len(links) else None
        if href:
            title = f'<a href="{escape(href, quote=True)}" target="_self">{title}</a>'
        lines = "".join(f'<li><span class="lm-card-label">{escape(str(label))}:</span> {escape(value)}</li>'
                        for label, value in ((label, text(label, value)) for label, value in rest) if value)
        cards.append(f'<li class="lm-card">{title}<ul>{lines}</ul></li>')
    return f'<ul class="lm-cards">{"".join(cards)}</ul>'


def _remember(widget: str) -> None:
    st.session_state[PREFERENCE] = bool(st.session_state.get(widget))


def list_chosen(key: str) -> bool:
    """The «Vis som liste» switch (wide screens only: a phone always gets the list), set from the session's choice."""
    widget = f"lm-list-{key}"
    st.session_state[widget] = bool(st.session_state.get(PREFERENCE, False))  # before the widget: allowed
    with st.container(key=f"lm-wide-switch-{key}"):
        return st.toggle(t("a11y.as_list"), key=widget, help=t("a11y.as_list_help"), on_change=_remember,
                         args=(widget,))


def show_cards(rows: Sequence[Row], *, formats: Mapping[str, Callable[[object], str]] | None = None,
               links: Sequence[str | None] | None = None, limit: int = CARD_LIMIT) -> None:
    st.html(cards_html(rows, formats=formats, links=links, limit=limit))
    if len(rows) > limit:
        st.caption(t("listview.first_only", shown=number(limit), total=number(len(rows))))


def table_or_cards(rows: Sequence[Row], *, key: str, table: Callable[[], T] | None = None,
                   formats: Mapping[str, Callable[[object], str]] | None = None,
                   links: Sequence[str | None] | None = None, limit: int = CARD_LIMIT,
                   switch: bool = True, **dataframe_options) -> T | None:
    """The table on a wide screen and the same ``rows`` as cards on a phone (CSS shows one of them).

    ``table`` draws the table (default: ``st.dataframe(rows, **dataframe_options)``) and its result is
    returned. With the list chosen (on this table's switch, or on another one when ``switch`` is False:
    many small tables need not each carry one) only the cards are drawn and None is returned.
    """
    draw = table or (lambda: st.dataframe(list(rows), **dataframe_options))
    if list_chosen(key) if switch else st.session_state.get(PREFERENCE, False):
        show_cards(rows, formats=formats, links=links, limit=limit)
        return None
    with st.container(key=f"lm-wide-{key}"):
        result = draw()
    with st.container(key=f"lm-phone-{key}"):
        show_cards(rows, formats=formats, links=links, limit=limit)
    return result
