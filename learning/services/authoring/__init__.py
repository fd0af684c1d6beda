"""Authoring: write, review and publish modules and scenarios in the app (no Streamlit).

A draft is the item's files (``modules/<id>/...`` or ``quizzes/<id>.yaml``) in the
store, so the same loader that checks the repository checks it. Workflow:

    draft --submit--> review --approve (another author)--> immutable published version
      ^                  |
      +---send back------+  (with a comment)

Drafts that do not validate are saved anyway (nothing typed is lost); they cannot be
submitted or approved. Every method takes the acting user and checks the role; this
service reads and writes only the authoring collections, never users or progress.

The service is split by job: ``drafts`` (the record and the review rule), ``files``
(editor fields to files), ``reading``, ``workflow``, ``transfer`` (zip export and
import), ``translating`` (nynorsk and English twins) and ``autosave`` (each author's
unsaved form); ``AuthoringService`` puts the parts together behind one object.
"""

from __future__ import annotations

from learning.services.authoring.autosave import AUTOSAVES, Autosave, KeptCopy
from learning.services.authoring.drafts import (
    AUTHOR_ROLES,
    DRAFTS,
    MAX_COMMENT,
    MAX_PROVENANCE,
    MAX_TITLE,
    MIN_PROVENANCE,
    NEW_LESSON_ID,
    OPEN,
    Draft,
    DraftStatus,
    HistoryEntry,
    ItemStatus,
    ItemSummary,
    draft_key,
    is_own,
)
from learning.services.authoring.files import (
    check_files,
    module_files,
    new_module_meta,
    new_quiz_data,
    ordered_quiz,
    quiz_files,
)
from learning.services.authoring.reading import Reading
from learning.services.authoring.transfer import Transfer
from learning.services.authoring.translating import Translating, TranslationState, TranslationStatus
from learning.services.authoring.workflow import Workflow


class AuthoringService(Reading, Workflow, Translating, Transfer, Autosave):
    """Every authoring call: each takes the acting user and checks the role first."""


__all__ = [
    "AUTHOR_ROLES", "AUTOSAVES", "DRAFTS", "MAX_COMMENT", "MAX_PROVENANCE", "MAX_TITLE", "MIN_PROVENANCE",
    "NEW_LESSON_ID", "OPEN", "Autosave", "AuthoringService", "Draft", "DraftStatus", "HistoryEntry", "ItemStatus",
    "ItemSummary", "KeptCopy", "TranslationState", "TranslationStatus", "check_files", "draft_key", "is_own",
    "module_files", "new_module_meta", "new_quiz_data", "ordered_quiz", "quiz_files",
]
