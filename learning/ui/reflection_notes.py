"""A private note field under each «Refleksjon» box of a lesson, saved as the learner writes.

Streamlit sends a text area's value when the field loses focus (or on Ctrl+Enter, or with
any button press on the page), and ``on_change`` saves it before the page runs again, so
leaving the field or going to the next lesson keeps what was written.
"""

from __future__ import annotations

import streamlit as st

from learning.content.models import Lesson, Module
from learning.formatting import local
from learning.i18n import t
from learning.records import User
from learning.services.notes import MAX_CHARS, NotesService, prompt_of, split_reflections
from learning.ui.components import markdown, run_action
from learning.ui.context import repository


def notes_service() -> NotesService:
    return NotesService(repository())


def lesson_body(user: User | None, module: Module, lesson: Lesson) -> None:
    """The lesson's text; for a signed-in learner (not a preview) a note field after each «Refleksjon» box."""
    parts = split_reflections(lesson.body)
    if user is None or all(part.reflection is None for part in parts):
        markdown(lesson.body)
        return
    service = notes_service()
    saved = service.for_lesson(user, module.id, lesson.id)
    for part in parts:
        markdown(part.markdown)
        if part.reflection is not None:
            _note_field(service, user, module, lesson, part.reflection, prompt_of(part.markdown),
                        saved.get(part.reflection))


def _note_field(service: NotesService, user: User, module: Module, lesson: Lesson, index: int, prompt: str,
                note) -> None:
    key = f"note-{module.id}-{lesson.id}-{index}"

    def save() -> None:
        run_action(lambda: service.save(user, module.id, lesson.id, index, st.session_state.get(key, ""), prompt))

    st.text_area(t("notes.label"), value=note.text if note else "", key=key, on_change=save, max_chars=MAX_CHARS,
                 placeholder=t("notes.placeholder"), help=t("notes.help"))
    if note is not None:
        st.caption(t("notes.saved", time=f"{local(note.updated_at):%d.%m.%Y %H:%M}"))
    else:
        st.caption(t("notes.private"))
