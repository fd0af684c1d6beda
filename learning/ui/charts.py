"""Charts with their numbers written on them: meaning never by colour alone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from learning.i18n import t


def heat_map(frame: pd.DataFrame, column_title: str) -> alt.Chart:
    """``frame`` has columns module, column, rate (0-100) and label ('62 % (31/50)')."""
    base = alt.Chart(frame).encode(
        x=alt.X("column:N", title=column_title, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("module:N", title=t("report.col_module"), axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("rate:Q", title=t("manager.rate_axis"), scale=alt.Scale(domain=[0, 100], scheme="blues")),
        tooltip=[alt.Tooltip("module:N", title=t("report.col_module")),
                 alt.Tooltip("column:N", title=column_title), alt.Tooltip("label:N", title=t("manager.completed"))],
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition("datum.rate > 55", alt.value("white"), alt.value("#1b1d24")),
    )
    height = max(160, 34 * frame["module"].nunique())
    return (cells + text).properties(height=height)
