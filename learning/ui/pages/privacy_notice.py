"""Personvern: what is stored about a person, why, and for how long, in plain bokmål."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.services.audit import retention_days
from learning.services.gdpr import inactive_months


def render() -> None:
    st.title(t("personvern.title"))
    # The periods are the configured ones, so the page never promises what the app does not do.
    st.markdown(t("personvern.body", audit_days=retention_days(), inactive_months=inactive_months()))
    st.markdown(t("personvern_more.body"))
