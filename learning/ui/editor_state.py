"""The editing state both editors share: a form kept in the session until it is saved.

Each editor says how a draft becomes its form, how the form becomes files and how its
widgets' values go back into the form; this frame does the rest the same way for both:
keep the form across reruns, take a newer stored draft when nothing was typed, warn
when something was, redraw widgets after a change of shape, and remember a save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from learning.clock import utc_now
from learning.content.bundle import Files
from learning.errors import UserError
from learning.services.authoring import Draft, KeptCopy

WorkingState = dict  # item, revision, saved (files), form, current, touched, tried, kept (files), restored


def clear_widgets(prefix: str) -> None:
    """Forget the editor's widget values so they are drawn again from the form state."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


@dataclass(frozen=True)
class EditorFrame:
    """One editor's session state: ``state_key`` holds it, ``prefix`` starts every widget key."""

    state_key: str
    flash_key: str
    prefix: str
    form_from_draft: Callable[[Draft], dict]
    files_from_form: Callable[[dict, Files], Files]  # may raise UserError (the form cannot become files)
    sync: Callable[[WorkingState], None]  # widget values -> form, before anything reads the form
    start_at: int = 0  # the part shown first

    def files(self, ws: WorkingState) -> Files | None:
        try:
            return self.files_from_form(ws["form"], ws["saved"])
        except UserError:
            return None

    def edited(self, ws: WorkingState) -> bool:
        """Has the author typed anything since the last save?"""
        return self.files(ws) != ws["saved"]

    def fresh(self, draft: Draft, kept: KeptCopy | None = None) -> WorkingState:
        """A new state from the stored draft, or from the author's kept copy when it holds unsaved edits."""
        ws = {"item": draft.item_id, "revision": draft.revision, "saved": dict(draft.files),
              "form": self.form_from_draft(draft), "current": self.start_at, "touched": set(), "tried": False,
              "kept": None, "restored": None}
        if kept is not None and kept.form and kept.files != draft.files:
            ws.update(form=kept.form, revision=kept.revision, kept=dict(kept.files), restored=kept.at)
            if kept.revision == draft.revision:
                ws["saved"] = dict(draft.files)
        self.clear_widgets()
        st.session_state[self.state_key] = ws
        return ws

    def working(self, draft: Draft, kept: Callable[[], KeptCopy | None] | None = None) -> WorkingState:
        """The form state for this draft: kept across reruns, reloaded when the stored draft changed.

        ``kept`` gives the author's autosaved copy; it is read only when the state is new
        (after a sign-out, an idle timeout or a restart), so what was typed comes back.
        """
        ws = st.session_state.get(self.state_key)
        stale = ws is None or ws["item"] != draft.item_id
        if not stale:
            self.sync(ws)  # what was typed before this rerun
        if not stale and ws["revision"] != draft.revision and not self.edited(ws):
            return self.fresh(draft)  # nothing typed since: take the new version (otherwise the header warns)
        if stale:
            return self.fresh(draft, kept() if kept else None)
        return ws

    def autosave(self, ws: WorkingState, files: Files | None, keep: Callable[[Files], object],
                 drop: Callable[[], object]) -> None:
        """Keep the form in the store when it changed since it was last kept; forget it once all is saved."""
        if files is None:
            return
        if files == ws["saved"]:
            if ws.get("kept") is not None:
                drop()
                ws["kept"] = None
            return
        if files != ws.get("kept"):
            keep(files)
            ws["kept"], ws["kept_at"] = dict(files), utc_now()

    def state(self) -> WorkingState:
        return st.session_state[self.state_key]

    def reload(self) -> None:
        """Drop what was typed and draw the stored draft again."""
        st.session_state.pop(self.state_key, None)
        self.clear_widgets()

    def clear_widgets(self) -> None:
        clear_widgets(self.prefix)

    def reshape(self, change: Callable[[WorkingState], None]) -> None:
        """A button callback: sync, change the form's shape (add, move, remove), redraw the widgets."""
        ws = self.state()
        self.sync(ws)
        change(ws)
        self.clear_widgets()

    def saved(self, ws: WorkingState, draft: Draft, problems: list) -> None:
        """Remember the saved revision and files, say how it went on the next run."""
        ws["revision"], ws["saved"] = draft.revision, dict(draft.files)
        ws["restored"] = None
        st.session_state[self.flash_key] = (("write.saved_missing", len(problems)) if problems
                                            else ("editor.saved", 0))


def free_id(used: set[str], stem: str, start: int) -> str:
    """The first ``stem-N`` (N >= start) not in ``used``: ids for new steps and lessons."""
    n = start
    while f"{stem}-{n}" in used:
        n += 1
    return f"{stem}-{n}"
