"""Where content and data live; set by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def content_root() -> Path:
    """Folder holding ``modules/`` and ``quizzes/`` (the repository by default)."""
    return Path(os.environ.get("LEARNING_CONTENT_DIR", REPO_ROOT))


def data_dir() -> Path:
    """Folder for the embedded TinyDB store (``./data`` by default)."""
    return Path(os.environ.get("LEARNING_DATA_DIR", "data")).resolve()


def image_hosts() -> frozenset[str]:
    """Hosts authored Markdown may show images from (``LEARNING_IMAGE_HOSTS``, comma-separated).

    Empty by default: an image from another site would make every learner's browser
    ask that site for it, telling it who reads what and when.
    """
    raw = os.environ.get("LEARNING_IMAGE_HOSTS", "")
    return frozenset(host.strip().lower() for host in raw.split(",") if host.strip())
