"""Charts with their numbers written on them (meaning never by colour alone), in the reader's language.

Every chart carries a ``description`` (the SVG's accessible name) and the Vega locale of the
UI language, so axes read «3. des.» and «1 234,5» in Norwegian. On a phone the heat map is
replaced by a list (CSS in ``ui.chrome`` shows one or the other), since a grid of modules
by units cannot be read at 390 px.
"""

from __future__ import annotations

from datetime import date
from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import current_language, t

ROW_HEIGHT = 34

_NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
              "november", "desember"]
_NB_SHORT = ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."]
_NORWEGIAN_NUMBER = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
                     "percent": "\u00a0%"}
LOCALES: dict[str, dict] = {
    "nb": {"number": _NORWEGIAN_NUMBER,
           "time": {"dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
                    "periods": ["", ""], "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
                                                  "lørdag"],
                    "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
                    "months": _NB_MONTHS, "shortMonths": _NB_SHORT}},
    "nn": {"number": _NORWEGIAN_NUMBER,
           "time": {"dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
                    "periods": ["", ""], "days": ["sundag", "måndag", "tysdag", "onsdag", "torsdag", "fredag",
                                                  "laurdag"],
                    "shortDays": ["sun.", "mån.", "tys.", "ons.", "tor.", "fre.", "lau."],
                    "months": _NB_MONTHS, "shortMonths": _NB_SHORT}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]},
           "time": {"dateTime": "%a %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
                    "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December"],
                    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                    "Dec"]}},
}
DATE_FORMAT = {"nb": "%e. %b", "nn": "%e. %b", "en": "%e %b"}
LONG_DATE = {"nb": "%e. %B %Y", "nn": "%e. %B %Y", "en": "%e %B %Y"}


def localised(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` with the Vega locale (numbers, dates) of the run's language."""
    return chart.configure(locale=LOCALES.get(current_language(), LOCALES["nb"]))


def heat_map(frame: pd.DataFrame, row_title: str, description: str = "") -> alt.LayerChart:
    """``frame`` has columns module, row, rate (0-100) and label ('62 % (31/50)').

    Rows are service areas or units, columns are modules; each cell carries its figure as text.
    """
    base = alt.Chart(frame).encode(
        x=alt.X("module:N", title=t("report.col_module"),
                axis=alt.Axis(labelAngle=-35, labelLimit=180, labelOverlap=False)),
        y=alt.Y("row:N", title=row_title, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white", aria=False).encode(
        color=alt.Color("rate:Q", title=t("manager.rate_axis"), scale=alt.Scale(domain=[0, 100], scheme="blues")),
        tooltip=[alt.Tooltip("module:N", title=t("report.col_module")),
                 alt.Tooltip("row:N", title=row_title), alt.Tooltip("label:N", title=t("manager.completed"))],
    )
    text = base.mark_text(fontSize=11, aria=False).encode(
        text="label:N",
        color=alt.condition("datum.rate > 55", alt.value("white"), alt.value("#1b1d24")),
    )
    return (cells + text).properties(height=chart_height(frame), description=description or row_title)


def chart_height(frame: pd.DataFrame) -> int:
    return ROW_HEIGHT * frame["row"].nunique() + 10


def heat_list_html(frame: pd.DataFrame, row_title: str) -> str:
    """The heat map as nested lists (one item per row, its modules and figures): the phone form."""
    items = []
    for row, group in frame.groupby("row", sort=True):
        cells = "".join(f"<li>{escape(str(module))}: <strong>{escape(str(label)).replace(' ', chr(160))}</strong></li>"
                        for module, label in zip(group["module"], group["label"], strict=True))
        items.append(f"<li><strong>{escape(str(row))}</strong><ul>{cells}</ul></li>")
    return (f'<div class="lm-heat-list"><p>{escape(row_title)}</p>'
            f'<ul style="padding-left:1.1rem">{"".join(items)}</ul></div>')


def show_heat_map(frame: pd.DataFrame, row_title: str, *, key: str, description: str) -> None:
    """The heat map on wide screens, the same figures as a list on a phone (CSS picks one)."""
    with st.container(key=f"lm-wide-{key}"):
        st.altair_chart(localised(heat_map(frame, row_title, description)), width="stretch",
                        height=chart_height(frame) + 200)
    with st.container(key=f"lm-phone-{key}"):
        st.html(heat_list_html(frame, row_title))


def trend_frame(trend: list[tuple[date, int, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"week": pd.Timestamp(week), "n": n, "total": total} for week, n, total in trend])


def trend_charts(trend: list[tuple[date, int, int]]) -> tuple[alt.Chart, alt.Chart]:
    """Completions per week (bars) and in total (line), dates and numbers in the reader's format."""
    frame = trend_frame(trend)
    language = current_language()
    week = alt.X("week:T", title=t("manager.week"), axis=alt.Axis(format=DATE_FORMAT.get(language, "%e. %b")))
    tip_week = alt.Tooltip("week:T", title=t("manager.week"), format=LONG_DATE.get(language, "%e. %B %Y"))
    bars = alt.Chart(frame).mark_bar(color="#1a4fa0", aria=False).encode(
        x=week, y=alt.Y("n:Q", title=t("manager.per_week"), axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[tip_week, alt.Tooltip("n:Q", title=t("manager.per_week"))],
    ).properties(height=220, description=t("a11y.trend_weekly_alt", **_trend_summary(trend)))
    line = alt.Chart(frame).mark_line(point=True, color="#1a4fa0", aria=False).encode(
        x=week, y=alt.Y("total:Q", title=t("manager.cumulative"), axis=alt.Axis(format=",d")),
        tooltip=[tip_week, alt.Tooltip("total:Q", title=t("manager.cumulative"), format=",d")],
    ).properties(height=220, description=t("a11y.trend_total_alt", **_trend_summary(trend)))
    return localised(bars), localised(line)


def _trend_summary(trend: list[tuple[date, int, int]]) -> dict[str, object]:
    if not trend:
        return {"first": "", "last": "", "total": 0, "best": 0}
    return {"first": fmt_date(trend[0][0]), "last": fmt_date(trend[-1][0]), "total": trend[-1][2],
            "best": max(n for _, n, _ in trend)}


def show_trend(trend: list[tuple[date, int, int]]) -> None:
    """The two trend charts, each named for screen readers by a sentence with its figures."""
    if not trend:
        st.info(t("manager.no_staff"))
        return
    bars, line = trend_charts(trend)
    st.altair_chart(bars, width="stretch")
    st.altair_chart(line, width="stretch")
