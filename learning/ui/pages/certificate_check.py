"""Kontroller kursbevis: a public page (no sign-in) that says whether a certificate code is genuine.

It shows only valid or not, the module and the day: never the person's name or anything else.
"""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import t
from learning.services.certificates import CertificateService
from learning.ui.context import content, repository


def render() -> None:
    st.title(t("certificate.check_title"))
    st.write(t("certificate.check_intro"))
    with st.form("check-certificate"):
        code = st.text_input(t("certificate.check_code"), value=st.query_params.get("kode", ""), max_chars=80)
        checked = st.form_submit_button(t("certificate.check_button"), type="primary")
    code = code.strip()
    if not code or not (checked or st.query_params.get("kode")):
        return
    result = CertificateService(repository(), content()).verify(code)
    if result is None:
        st.error(t("certificate.check_invalid"), icon=":material/cancel:")
    else:
        st.success(t("certificate.check_valid", module=result.module_title, date=fmt_date(result.completed_on)),
                   icon=":material/verified:")
