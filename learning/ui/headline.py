"""The dashboard's key figures: the number large, and beside it a sentence saying what it counts."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.services.headline import Figure, headline_figures
from learning.services.reports import Dashboard


def show_headline(board: Dashboard, extra: list[Figure] | None = None) -> None:
    figures = headline_figures(board) + (extra or [])
    per_row = 3
    for start in range(0, len(figures), per_row):
        columns = st.columns(per_row)
        for column, figure in zip(columns, figures[start:start + per_row], strict=False):
            with column.container(border=True):
                st.metric(t(f"headline.label_{figure.key}"), figure.value)
                st.markdown(figure.sentence)
