"""Pydantic models for the content file formats.

The same models validate files in ``modules/`` and ``quizzes/`` and what authors
write in the app, so a scenario that validates in one place validates in both.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=60)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]

SHORT_TITLE_CHARS = 24
ShortTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TITLE_CHARS)]

MAX_LESSON_CHARS = 20_000
MAX_STEPS = 40


class ServiceArea(StrEnum):
    """Municipal childhood services a module or a staff member belongs to."""

    BARNEHAGE = "barnehage"
    SKOLE = "skole"
    BARNEVERN = "barnevern"
    PSYKISK_HELSE = "psykisk-helse"
    ALLE = "alle"


class Audience(StrEnum):
    """Who a module is written for: all staff, or leaders (``ledende``: managers and heads of service)."""

    ALLE = "alle"
    LEDENDE = "ledende"


class Tag(StrEnum):
    """Competence tags: what a choice does for the child (one shared vocabulary).

    Seven of the names follow the feedback labels of Bufdir's SnakkeSIM.
    """

    TRYGGER = "trygger"
    APNER = "åpner"
    LYTTER = "lytter"
    INVOLVERER = "involverer"
    TAR_ANSVAR = "tar-ansvar"
    UNNVIKER = "unnviker"
    LUKKER = "lukker"
    PRESSER = "presser"
    LEDENDE = "ledende"
    BRYTER_TILLIT = "bryter-tillit"

    @property
    def child_centred(self) -> bool:
        return self in POSITIVE_TAGS


POSITIVE_TAGS = frozenset({Tag.TRYGGER, Tag.APNER, Tag.LYTTER, Tag.INVOLVERER, Tag.TAR_ANSVAR})
RENAMED_TAGS = {"leder": Tag.LEDENDE.value}
"""Old tag names still read from stored drafts and files: ``leder`` read as "manager"."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Choice(_Strict):
    """One option at a step; its feedback explains the choice from the child's side."""

    text: ShortText
    feedback: LongText
    points: int = Field(ge=0, le=10)
    next: Slug | None = Field(
        default=None, description="Id of the next step; leave out to end the scenario."
    )
    tags: list[Tag] = Field(default_factory=list, max_length=3)
    critical: bool = Field(
        default=False,
        description="A safety-critical mistake: choosing it means the attempt cannot pass, whatever the points.",
    )
    critical_reason: ShortText | None = Field(
        default=None,
        description="Required with critical: the rule the mistake breaks, shown to the learner on the result page.",
    )

    @field_validator("tags", mode="before")
    @classmethod
    def _renamed_tags(cls, value: object) -> object:
        if isinstance(value, list):
            return [RENAMED_TAGS.get(tag, tag) if isinstance(tag, str) else tag for tag in value]
        return value


class Step(_Strict):
    """A situation the learner must act in."""

    id: Slug
    title: ShortText | None = Field(
        default=None, description="A short name authors choose the step by (the editor makes the id from it); "
        "learners do not see it.")
    text: LongText
    choices: list[Choice] = Field(min_length=2, max_length=4)

    @property
    def max_points(self) -> int:
        return max(choice.points for choice in self.choices)


class Quiz(_Strict):
    """A scenario quiz: a graph of steps starting at the first step."""

    id: Slug
    title: ShortText
    intro: LongText
    setting: ServiceArea = Field(description="The service where the scenario takes place.")
    version: int = Field(default=1, ge=1)
    pass_percent: int = Field(
        ge=1, le=100, description="Share of the best possible points on the path taken."
    )
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


class LessonRef(_Strict):
    """A lesson listed in module.yaml; its text is in ``<id>.md`` beside it."""

    id: Slug
    title: ShortText


class ModuleMeta(_Strict):
    """The contents of ``modules/<slug>/module.yaml``."""

    id: Slug
    title: ShortText
    short_title: ShortTitle | None = Field(
        default=None,
        description=f"Short name (at most {SHORT_TITLE_CHARS} characters) for table columns and charts; "
                    "the title when left out.",
    )
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    service_areas: list[ServiceArea] = Field(min_length=1)
    audience: Audience = Field(
        default=Audience.ALLE,
        description="alle: written for all staff; ledende: for leaders (shown first to leaders, last to others).",
    )
    minutes: int = Field(ge=1, le=600)
    version: int = Field(default=1, ge=1)
    quiz: Slug | None = None
    lessons: list[LessonRef] = Field(min_length=1, max_length=12)
    guide: str | None = Field(default=None, description="File name of the facilitator guide.")
    sources: LongText = Field(description="Kilder og bakgrunn: what the module builds on.")

    @property
    def label(self) -> str:
        """The short name where there is one: for columns, where the full title would be cut."""
        return self.short_title or self.title

    @property
    def for_leaders(self) -> bool:
        return self.audience == Audience.LEDENDE

    def is_for(self, area: ServiceArea | None) -> bool:
        return area is None or ServiceArea.ALLE in self.service_areas or area in self.service_areas


class Lesson(BaseModel):
    """A lesson with its Markdown body loaded."""

    id: str
    title: str
    body: str = Field(max_length=MAX_LESSON_CHARS)


class Module(BaseModel):
    """A module with its lessons and guide loaded; what the app works with."""

    meta: ModuleMeta
    lessons: list[Lesson]
    guide: str | None = None

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> int:
        return self.meta.version

    def lesson_ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]
