"""What every content-aware service holds: the store, the content and a clock."""

from __future__ import annotations

from datetime import date

from learning.clock import Clock, utc_now
from learning.content.catalog import ContentCatalog
from learning.formatting import local
from learning.storage.repository import Repository


class ContentService:
    """Services take a clock so tests can move time."""

    def __init__(self, repo: Repository, content: ContentCatalog, clock: Clock = utc_now):
        self.repo = repo
        self.content = content
        self.clock = clock

    def today(self) -> date:
        """Today in Norway: deadlines are dates there."""
        return local(self.clock()).date()
