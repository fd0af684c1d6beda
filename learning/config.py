"""Where content and data live; set by environment variables."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def content_root() -> Path:
    """Folder holding ``modules/`` and ``quizzes/`` (the repository by default)."""
    return Path(os.environ.get("LEARNING_CONTENT_DIR", REPO_ROOT))


def data_dir() -> Path:
    """Folder for the embedded TinyDB store (``./data`` by default)."""
    return _resolved(os.environ.get("LEARNING_DATA_DIR", "data"), os.getcwd())


@lru_cache(maxsize=16)
def _resolved(path: str, cwd: str) -> Path:
    """``path`` made absolute once: resolving walks the folders (a system call each), and the app asks every run."""
    return (Path(cwd) / path).resolve()


def image_hosts() -> frozenset[str]:
    """Hosts authored Markdown may show images from (``LEARNING_IMAGE_HOSTS``, comma-separated).

    Empty by default: an image from another site would make every learner's browser
    ask that site for it, telling it who reads what and when.
    """
    raw = os.environ.get("LEARNING_IMAGE_HOSTS", "")
    return frozenset(host.strip().lower() for host in raw.split(",") if host.strip())


def positive_int_env(name: str, default: int) -> int:
    """A whole number >= 1 from the environment; unset or anything else gives ``default`` (and a warning)."""
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        logging.getLogger("learning.config").warning("%s=%r is not a whole number of 1 or more; using %d",
                                                     name, raw, default)
        return default
    return value
