"""Download buttons for the interoperability exports: a SCORM package (authors), xAPI statements (admins)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import streamlit as st

from learning.formatting import local
from learning.i18n import t
from learning.interop.export import XapiExportService
from learning.interop.scorm import SCORM_LANGUAGES, package_for, package_name
from learning.records import User
from learning.ui.context import content, repository


def scorm_download(user: User) -> None:
    """Author home: a module as a SCORM 1.2 package for Moodle / KS Læring."""
    catalog = content()
    with st.container(border=True):
        st.subheader(t("interop.scorm_title"))
        st.caption(t("interop.scorm_intro"))
        left, right = st.columns([3, 1])
        module_id = left.selectbox(t("interop.scorm_module"), sorted(catalog.modules),
                                   format_func=lambda m: f"{catalog.modules[m].meta.title} ({m})", key="scorm-module")
        language = right.radio(t("interop.scorm_language"), SCORM_LANGUAGES, key="scorm-language",
                               format_func=lambda code: t(f"interop.language_{code}"))
        if module_id:
            st.download_button(t("interop.scorm_download"), lambda: package_for(user, catalog, module_id, language),
                               file_name=package_name(module_id, language), mime="application/zip",
                               icon=":material/download:", on_click="ignore", key="scorm-download")


def xapi_download(user: User) -> None:
    """Admins: every learning event as xAPI statements (JSON lines); the download is logged."""
    with st.expander(t("interop.xapi_title"), icon=":material/conversion_path:"):
        st.caption(t("interop.xapi_intro"))
        since = st.date_input(t("interop.xapi_since"), value=None, format="DD.MM.YYYY", key="xapi-since")
        start = datetime.combine(since, time.min, tzinfo=UTC) if since else None
        service = XapiExportService(repository(), content())
        file_name = f"mittliv-xapi-{local(service.clock()):%Y%m%d}.jsonl"
        st.download_button(t("interop.xapi_download"),
                           lambda: service.export_jsonl(user, since=start, file_name=file_name),
                           file_name=file_name, mime="application/x-ndjson", icon=":material/download:",
                           on_click="ignore", key="xapi-download")
