"""Content problems reported as ``path:line: message`` (Norwegian, for authors).

The message is for the command line and files. A problem found in a field also carries
where it is (``loc``: ``("steps", 0, "choices", 1, "feedback")``), what kind of problem
it is (``code``, e.g. ``missing``) and its values, so an editor can say it in the
author's language with the form's own names ("Steg 1, valg 2: tilbakemelding mangler").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one content file."""

    path: str
    line: int | None
    message: str
    loc: tuple = field(default=(), compare=False)
    code: str = field(default="", compare=False)
    values: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
