"""A change shown as a person reads it: per part and field, before and after side by side.

Removed words are struck through and added ones underlined, each with a hidden word for
screen readers and a «Før»/«Nå» heading, so nothing depends on colour; the colours are
extra and keep a contrast above 4.5:1 (dark red on light red, dark green on light green).
"""

from __future__ import annotations

from html import escape

import streamlit as st

from learning.content.bundle import Files, Kind
from learning.content.changes import Change, changes, word_diff
from learning.i18n import t
from learning.ui.problem_words import field_label

CSS = """<style>
.chg-part { margin: 0.75rem 0 0.25rem; font-weight: 600; }
.chg-field { margin: 0.5rem 0 0.25rem; }
.chg-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0.75rem; }
@media (max-width: 640px) { .chg-grid { grid-template-columns: 1fr; } }
.chg-side { white-space: pre-wrap; border: 1px solid #767676; border-radius: 0.4rem; padding: 0.5rem;
  color: #1f1f1f; background: #ffffff; overflow-wrap: anywhere; }
.chg-side .chg-label { margin: 0 0 0.25rem; font-size: 0.8rem; font-weight: 600; color: #1f1f1f; }
.chg del { text-decoration: line-through; text-decoration-thickness: 2px; color: #8a1116; background: #fde7e9; }
.chg ins { text-decoration: underline; text-decoration-thickness: 2px; color: #0b5a1d; background: #e3f4e6; }
.chg-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>"""


def _part(where: tuple) -> str:
    names = []
    for kind, value in where:
        if kind == "choice":
            names.append(t("diff.choice", n=value))
        else:
            n, name = value
            names.append(t(f"diff.{kind}", n=n, title=name) if n else t(f"diff.{kind}_gone", title=name))
    return " · ".join(names) or t("diff.about")


def _field(change: Change) -> str:
    context = change.where[-1][0] if change.where else ""
    name = {"step": "steps", "choice": "choices", "lesson": "lessons"}.get(context, "") + "_" + change.field
    if change.field in ("added", "removed", "body"):
        return t(f"diff.{change.field}")
    return field_label(name if name in {"steps_text", "steps_title", "choices_text", "lessons_title"}
                       else change.field)


def _side(label: str, pieces: list[tuple[str, str]], keep: str) -> str:
    out = []
    for op, text in pieces:
        if op == "same":
            out.append(escape(text))
        elif op == keep == "removed":
            out.append(f'<del><span class="chg-sr">{escape(t("diff.sr_removed"))} </span>{escape(text)}</del>')
        elif op == keep == "added":
            out.append(f'<ins><span class="chg-sr">{escape(t("diff.sr_added"))} </span>{escape(text)}</ins>')
    body = "".join(out) or f"<em>{escape(t('diff.empty'))}</em>"
    return f'<div class="chg-side"><p class="chg-label">{escape(label)}</p>{body}</div>'


def change_html(items: list[Change]) -> str:
    parts: list[str] = []
    last = None
    for change in items:
        if change.where != last:
            parts.append(f'<div class="chg-part">{escape(_part(change.where))}</div>')
            last = change.where
        label = f'<div class="chg-field">{escape(_field(change))}</div>'
        if not change.old or not change.new:  # all new or all gone: the text once, marked as such
            pieces = [("added", change.new)] if change.new else [("removed", change.old)]
            keep, heading = ("added", "diff.new_text") if change.new else ("removed", "diff.gone_text")
            parts.append(label + _side(t(heading), pieces, keep))
            continue
        pieces = word_diff(change.old, change.new)
        parts.append(f'{label}<div class="chg-grid">'
                     f'{_side(t("diff.before"), pieces, "removed")}{_side(t("diff.after"), pieces, "added")}</div>')
    return f'<div class="chg">{"".join(parts)}</div>'


def show_changes(kind: Kind, item_id: str, old: Files, new: Files, *, file_diff: str = "") -> None:
    """The changes as text per part; the file diff for developers folded away below."""
    items = changes(kind, item_id, old, new)
    if not items:
        st.caption(t("history.no_diff"))
    else:
        st.html(CSS + change_html(items))
    if file_diff:
        with st.expander(t("diff.as_file")):
            st.code(file_diff, language=None, wrap_lines=True)  # plain: diff colours are too faint to read
