"""Process-wide services for the Streamlit app (one store per data folder)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from learning.config import content_root, data_dir
from learning.content.catalog import ContentCatalog, load_catalog
from learning.services.accounts import AccountService
from learning.services.assignments import AssignmentService
from learning.services.learning import LearningService
from learning.storage.tinydb_repo import TinyDBRepository


@st.cache_resource(show_spinner=False)
def _repository(path: str) -> TinyDBRepository:
    return TinyDBRepository(path)


@st.cache_resource(show_spinner=False)
def _content(root: str) -> ContentCatalog:
    return load_catalog(Path(root))


def repository() -> TinyDBRepository:
    return _repository(str(data_dir()))


def content() -> ContentCatalog:
    return _content(str(content_root()))


def accounts() -> AccountService:
    return AccountService(repository())


def learning() -> LearningService:
    return LearningService(repository(), content())


def assignments_service() -> AssignmentService:
    return AssignmentService(repository(), content())
