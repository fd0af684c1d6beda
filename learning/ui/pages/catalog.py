"""Catalog: all modules, the learner's own service area first, with progress."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.services.learning import CatalogEntry, Status
from learning.ui.components import area_label
from learning.ui.context import learning
from learning.ui.pages import go
from learning.ui.session import require

BUTTON_KEY = {Status.NOT_STARTED: "catalog.start", Status.IN_PROGRESS: "catalog.resume",
              Status.COMPLETED: "catalog.open"}


def _card(entry: CatalogEntry) -> None:
    meta = entry.module.meta
    with st.container(border=True):
        st.subheader(meta.title)
        st.write(meta.description)
        areas = ", ".join(area_label(a) for a in meta.service_areas)
        st.caption(t("catalog.meta", areas=areas, minutes=meta.minutes))
        st.progress(entry.percent / 100,
                    text=t(f"status.{entry.status.value}") + " · " + t("catalog.percent", percent=entry.percent))
        if st.button(t(BUTTON_KEY[entry.status]), key=f"open-{meta.id}",
                     type="primary" if entry.status == Status.IN_PROGRESS else "secondary"):
            go("module", modul=meta.id)


def render() -> None:
    user = require()
    st.title(t("catalog.title"))
    entries = learning().catalog(user)
    mine = [e for e in entries if e.for_my_area]
    others = [e for e in entries if not e.for_my_area]
    if mine:
        st.header(t("catalog.for_you", area=area_label(user.service_area)))
        for entry in mine:
            _card(entry)
    if others:
        st.header(t("catalog.others") if mine else t("catalog.all"))
        for entry in others:
            _card(entry)
    if not entries:
        st.info(t("catalog.empty"))
