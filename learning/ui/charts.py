"""Charts with their numbers written on them: meaning never by colour alone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from learning.i18n import t

ROW_HEIGHT = 34


def heat_map(frame: pd.DataFrame, row_title: str) -> alt.LayerChart:
    """``frame`` has columns module, row, rate (0-100) and label ('62 % (31/50)').

    Rows are service areas or units, columns are modules; each cell carries its figure as text.
    """
    base = alt.Chart(frame).encode(
        x=alt.X("module:N", title=t("report.col_module"),
                axis=alt.Axis(labelAngle=-35, labelLimit=180, labelOverlap=False)),
        y=alt.Y("row:N", title=row_title, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("rate:Q", title=t("manager.rate_axis"), scale=alt.Scale(domain=[0, 100], scheme="blues")),
        tooltip=[alt.Tooltip("module:N", title=t("report.col_module")),
                 alt.Tooltip("row:N", title=row_title), alt.Tooltip("label:N", title=t("manager.completed"))],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition("datum.rate > 55", alt.value("white"), alt.value("#1b1d24")),
    )
    return (cells + text).properties(height=chart_height(frame))


def chart_height(frame: pd.DataFrame) -> int:
    return ROW_HEIGHT * frame["row"].nunique() + 10
