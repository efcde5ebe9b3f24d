"""The shape of a situation-handling case, as pure data shared by content, grading and attempts."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

EFFECTIVENESS_MIN = 1  # harmful or wrong: the action makes things worse or breaks the rules
EFFECTIVENESS_MAX = 4  # the expert's best handling


class QuestionType(StrEnum):
    """The six kinds of question a case stage can ask."""

    BEST_ACTION = "best_action"
    BEST_WORST = "best_worst"
    RANK = "rank"
    RATE = "rate"
    MULTI = "multi"
    WRITTEN = "written"


class CaseKind(StrEnum):
    """Case types drawn from the curriculum's case cards."""

    LAND_DISPUTE = "land_dispute"
    ADMINISTRATIVE_COMPLAINT = "administrative_complaint"
    DENUNCIATION = "denunciation"
    MASS_GATHERING = "mass_gathering"
    SITE_CLEARANCE = "site_clearance"
    POLLUTION = "pollution"
    NATURAL_DISASTER = "natural_disaster"
    EPIDEMIC = "epidemic"
    CONSTRUCTION_VIOLATION = "construction_violation"
    INTERNAL_DISUNITY = "internal_disunity"
    ONLINE_DISINFORMATION = "online_disinformation"
    CADRE_MISCONDUCT = "cadre_misconduct"
    PROACTIVE_DECISION = "proactive_decision"
    OTHER = "other"
    KNOWLEDGE_CHECK = "knowledge_check"  # not a situation: a short auto-graded check of the facts to know


@dataclass(frozen=True)
class Option:
    """One answer option with its expert key: effectiveness 1 (harmful) to 4 (best)."""

    id: str
    text: str
    effectiveness: int
    rationale: str
    basis: str = ""
    next: str | None = None  # stage this choice leads to (branching question only)
    pinned: bool = False  # keeps its authored position when the question's options are shuffled


@dataclass(frozen=True)
class RubricLevel:
    """One level of a rubric criterion: the points it earns and what it looks like."""

    points: float
    description: str


@dataclass(frozen=True)
class RubricCriterion:
    """One criterion of a written-answer rubric with its ordered levels."""

    id: str
    title: str
    levels: tuple[RubricLevel, ...]

    @property
    def max_points(self) -> float:
        """The points of the best level."""
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Question:
    """A question in a stage; `points` is its weight in the case score."""

    id: str
    type: QuestionType
    prompt: str
    options: tuple[Option, ...] = ()
    points: float = 1.0
    rubric: tuple[RubricCriterion, ...] = ()  # written questions only
    choice_points: float = 0.0  # written questions with a paired choice: weight of the choice part
    shuffle: bool = True  # options are shown in a per-attempt order (pinned ones keep their place)
    variants: tuple[Question, ...] = ()  # alternative versions of the question; each attempt draws one
    variant: int = 0  # 0: the question as first written; n: its n-th variant

    @property
    def render_key(self) -> str:
        """The key of this version's rendered HTML: the id, with ~n for the n-th variant."""
        return self.id if self.variant == 0 else f"{self.id}~{self.variant}"

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def is_branching(self) -> bool:
        """True when some option leads to its own next stage."""
        return any(o.next for o in self.options)


@dataclass(frozen=True)
class Stage:
    """A step of the case: what happens now, the questions, and where it goes next."""

    id: str
    title: str
    text: str
    questions: tuple[Question, ...]
    next: str | None = None  # default next stage; None on a final stage


@dataclass(frozen=True)
class CaseDefinition:
    """A complete case: the scenario, its stages (first is the start) and the debrief."""

    slug: str
    title: str
    kind: CaseKind
    summary: str
    scenario: str
    debrief: str
    stages: tuple[Stage, ...]
    required: bool = True
    roles: tuple[str, ...] = field(default=())

    @property
    def start(self) -> Stage:
        """The stage every attempt begins at."""
        return self.stages[0]

    def stage(self, stage_id: str) -> Stage | None:
        """The stage with this id, or None."""
        return next((s for s in self.stages if s.id == stage_id), None)
