"""What the learner pages read about the signed-in person, kept for the session until the store changes.

The catalog and Min læring both show the person's modules with progress and duties; working them out
reads the person's progress and every assignment in their municipality (about 0.4 ms), on every
rerun. Kept in the session by ``rerun_cache.session_cached``: any write anywhere moves the store's
``data_version`` and the next rerun reads afresh; so does a new day (duties are dates) or language.
"""

from __future__ import annotations

from learning.clock import utc_now
from learning.formatting import local
from learning.i18n import current_language
from learning.records import User
from learning.services.assignments import Requirement
from learning.services.learning import CatalogEntry
from learning.ui.context import assignments_service, learning
from learning.ui.rerun_cache import session_cached


def my_modules(user: User) -> tuple[list[CatalogEntry], dict[str, Requirement]]:
    """The person's catalog entries (with progress) and their duties by module id."""
    key = (user.id, current_language(), local(utc_now()).date())
    return session_cached("lm-my-modules", key,
                          lambda: (learning().catalog(user), assignments_service().mine(user)))
