"""Content problems reported as ``path:line: field: message``, in the reader's language.

A problem is a code (its key under ``problem.`` in ``locales/*/problems.toml``) and
values, never a finished sentence: the words are looked up when it is said, so the
command line says it in bokmål (or ``--language``) and the app in the author's language.
A problem found in a field also carries where it is (``loc``: ``("steps", 0, "choices",
1, "feedback")``), so an editor can name the field as its form does
(``ui/problem_words.py``: "Steg 1, valg 2: tilbakemelding mangler").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from learning.i18n import catalog, t

PREFIX = "problem."


class Word(str):
    """A value that is itself a catalog word (``problem_word.nb_file``), said in the reader's language."""

    __slots__ = ()


def said(value: object) -> object:
    """A value as the reader sees it: a Word in their language, a tuple as "a, b or c"."""
    if isinstance(value, Word):
        return t(PREFIX + value)
    if isinstance(value, tuple) and len(value) > 1:
        return f"{', '.join(str(v) for v in value[:-1])} {t(PREFIX + 'word.or')} {value[-1]}"
    if isinstance(value, tuple):
        return "".join(str(v) for v in value)
    return value


Values = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one content file: where, which code, with which values."""

    path: str
    line: int | None
    code: str
    values: Values | Mapping[str, object] = ()
    loc: tuple = field(default=(), compare=False)
    at: str = ""
    """The field named before the message, as in the file (``steps[2].next``); may be a Word."""

    def __post_init__(self) -> None:
        if PREFIX + str(self.code) not in catalog():
            raise ValueError(f"unknown problem code {self.code!r}: add it to locales/*/problems.toml")
        if isinstance(self.values, Mapping):
            object.__setattr__(self, "values", tuple(self.values.items()))

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)

    def said_params(self) -> dict[str, object]:
        """The values as the reader sees them (Words in their language, lists as "a, b or c")."""
        return {key: said(value) for key, value in self.params.items()}

    def text(self) -> str:
        """The message without the field, in the current language."""
        return t(PREFIX + self.code, **self.said_params())

    @property
    def message(self) -> str:
        """``field: text``, or the text alone for a problem with the whole file."""
        return f"{said(self.at)}: {self.text()}" if self.at else self.text()

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
