"""Tilgjengelighetserklæring: the accessibility statement, open to everyone, signed in or not."""

from __future__ import annotations

import streamlit as st

from learning.accessibility import load, statement
from learning.i18n import t


def render() -> None:
    st.title(t("statement.title"))
    st.markdown(statement(load()))
