"""The typed shape of course content: modules, lessons, references, policies and problems."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from lms.domain.cases import CaseDefinition
from lms.domain.review_policy import DEFAULT as DEFAULT_REVIEW
from lms.domain.review_policy import ReviewPolicy

GRADING_POLICIES = ("best", "last", "average")
CALLOUT_KINDS = ("note", "tip", "warning", "example", "law")
MODULE_NUMBER_MAX = 18


@dataclass(frozen=True)
class Reference:
    """A law or Party document a module rests on."""

    number: str
    title: str
    date: datetime.date | None = None
    verified: bool = False
    issuer: str = ""
    in_force: bool | None = None  # None: not stated
    checked_on: datetime.date | None = None  # when someone last checked the document is current
    source: str = ""  # where it was checked: an official page or reputable press


@dataclass(frozen=True)
class ModulePolicy:
    """How a module is assessed; the defaults apply when module.md says nothing."""

    pass_mark: float = 5.0
    attempts_allowed: int = 3  # per case; 0 means unlimited
    grading_policy: str = "best"
    time_limit_minutes: int = 0  # 0 means no limit
    key_visible_from: datetime.date | None = None  # the key date: from it, everything of the review shows
    review: ReviewPolicy = DEFAULT_REVIEW  # what a learner sees after each attempt and after the last
    knowledge_weight: float = 0.2  # the knowledge checks' share of the module grade, when it has any
    discussion: str = "after_submit"  # when a case's cohort discussion opens to a learner (or after_key)


@dataclass(frozen=True)
class LessonDoc:
    """One lesson: its place in the module, its header and its Markdown body."""

    number: int
    slug: str
    title: str
    summary: str
    body: str

    @property
    def key(self) -> str:
        """The lesson's file stem, e.g. '02-vai-tro'."""
        return f"{self.number:02d}-{self.slug}"


@dataclass(frozen=True)
class ModuleDoc:
    """One module with its header, introduction, lessons and cases."""

    number: int
    slug: str
    title: str
    summary: str
    group: int
    hours: float
    objectives: tuple[str, ...]
    references: tuple[Reference, ...]
    policy: ModulePolicy = ModulePolicy()
    intro: str = ""
    lessons: tuple[LessonDoc, ...] = ()
    cases: tuple[CaseDefinition, ...] = ()

    @property
    def key(self) -> str:
        """The module's folder name, e.g. '07-dan-van'."""
        return f"{self.number:02d}-{self.slug}"

    def lesson(self, key: str) -> LessonDoc | None:
        """The lesson with this key ('02-slug'), or None."""
        return next((lesson for lesson in self.lessons if lesson.key == key), None)


@dataclass(frozen=True)
class Course:
    """The whole course: its modules in order."""

    modules: tuple[ModuleDoc, ...] = ()

    def module(self, key: str) -> ModuleDoc | None:
        """The module with this key ('07-slug'), or None."""
        return next((module for module in self.modules if module.key == key), None)

    def case(self, slug: str) -> CaseDefinition | None:
        """The case with this course-wide slug, or None."""
        return next((c for m in self.modules for c in m.cases if c.slug == slug), None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, in English plus a template the web layer can translate."""

    path: str
    location: str
    message: str
    template: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def make(cls, path: str, location: str, template: str, **params: Any) -> Problem:
        """A problem whose message is the template filled with the params."""
        return cls(str(path), location, template.format(**params), template, params)

    def __str__(self) -> str:
        return ": ".join(part for part in (self.path, self.location, self.message) if part)
