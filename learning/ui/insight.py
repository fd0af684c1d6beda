"""Scenario insight in words: each step's situation, each choice's text, tags by name and meaning.

Shared by the leader dashboard and the network view. The figures come from
``ReportService.quiz_insight`` with small groups already hidden; this only shows them.
"""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain, unique_labels
from learning.i18n import t
from learning.services.privacy import display as cell_text
from learning.services.reports import QuizInsight
from learning.summary import first_words, tag_effect, tag_hint, tag_name, tag_sentences
from learning.ui.list_view import table_or_cards


def _tags_in_choice(tags) -> str:
    """«Lytter (+), Presser (−)»: the sign says helps or hinders without colour."""
    if not tags:
        return t("council_insight.no_tags")
    return ", ".join(f"{tag_name(tag)} ({'+' if tag.child_centred else '−'})" for tag in tags)


def insight_view(result: list[QuizInsight], level: int = 3) -> None:
    """The quiz insight; its heading one ``level`` below the heading above it (h2 right under a page title)."""
    st.caption(t("insight.intro"))
    st.caption(t("privacy.legend"))
    labels = unique_labels({q.quiz_id: q.title for q in result})
    chosen = st.selectbox(t("insight.quiz"), result, format_func=lambda q: labels[q.quiz_id])
    if chosen.critical.base:
        st.markdown(t("insight.critical", share=cell_text(chosen.critical),
                      count=cell_text(chosen.critical, as_rate=False),
                      attempts=cell_text(chosen.steps[0].reached, as_rate=False)))
    (st.header if level == 2 else st.subheader)(t("insight.tags"))
    for sentence in tag_sentences(chosen):
        st.markdown(sentence)
    ordered = sorted(chosen.tags, key=lambda pair: not pair[0].child_centred)  # helpful first, as listed
    # st.table, not st.dataframe: it wraps long text instead of cutting it (its cells are Markdown)
    tags = [{t("insight.tag"): tag_name(tag), t("council_insight.effect"): tag_effect(tag),
             t("council_insight.meaning"): tag_hint(tag), t("insight.share"): cell_text(cell)}
            for tag, cell in ordered]
    table_or_cards(tags, key="insight-tags", table=lambda: st.table(tags, hide_index=True))
    st.caption(t("council_insight.tags_note"))
    for n, step in enumerate(chosen.steps, start=1):
        label = t("council_insight.step", n=n, reached=cell_text(step.reached, as_rate=False),
                  start=f"«{first_words(step.text)}»")
        with st.expander(plain(label)):
            st.markdown(t("council_insight.situation", text=plain(step.text)))
            options = [{t("insight.option"): text, t("council_insight.tags_in_choice"): _tags_in_choice(tags),
                        t("insight.critical_col"): t("common.yes") if critical else t("common.no"),
                        t("insight.share"): cell_text(cell)} for text, tags, critical, cell in step.options]
            table_or_cards(options, key=f"insight-step-{n}", switch=False, table=lambda options=options: st.table(
                [{**row, t("insight.option"): plain(row[t("insight.option")])} for row in options], hide_index=True))
