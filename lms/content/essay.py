"""The final essay of the course (bài thu hoạch cuối khóa): content/essay.md, its brief and its rubric.

```yaml
---
title: "Bài thu hoạch cuối khóa"
summary: "One sentence shown in lists."
weight: 0.3          # the essay's share of the final average (the chuyên đề grades' mean takes the rest)
pass_mark: 5.0       # the essay score the course needs, on the 10-point scale
required: true       # completing the course (and its certificate) needs the essay at the pass mark
max_chars: 30000     # the longest text accepted
rubric:              # as in a written question: criteria, each with levels, one of them 0 points
  - id: phan-tich
    title: "..."
    levels: [{points: 0, description: "..."}, {points: 2, description: "..."}]
---
The brief, in Markdown.
```
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lms.content.body import tidy
from lms.content.case_rules import check_question_rules
from lms.content.fields import TOP, Report, check_keys, get_bool, get_int, get_number, get_text
from lms.content.frontmatter import split_parts
from lms.content.links import LinkIndex, check_links, scan_index
from lms.content.schema import Problem
from lms.content.translatable import N_
from lms.content.validate_case import parse_rubric
from lms.domain.cases import Question, QuestionType, RubricCriterion

ESSAY_FILE = "essay.md"
REQUIRED, OPTIONAL = ("title", "summary", "rubric"), ("weight", "pass_mark", "max_chars", "required")


@dataclass(frozen=True)
class EssayDoc:
    """The final essay's brief, rubric and weight."""

    title: str
    summary: str
    brief: str
    rubric: tuple[RubricCriterion, ...]
    weight: float = 0.3
    pass_mark: float = 5.0
    max_chars: int = 30000
    required: bool = True

    def as_question(self) -> Question:
        """The essay as a written question worth 10 points, so the written grader scores it."""
        return Question(id="essay", type=QuestionType.WRITTEN, prompt=self.title, rubric=self.rubric, points=10.0)


def parse_essay_text(text: str, path: str = "", index: LinkIndex | None = None) -> tuple[EssayDoc | None, list[Problem]]:
    """The essay in essay.md's text, and its problems."""
    report = Report(path)
    parts = split_parts(text, path)
    report.extend(parts.problems)
    if parts.data is None or not isinstance(parts.data, dict):
        return None, report.problems
    data = parts.data
    check_keys(report, data, TOP, REQUIRED, OPTIONAL)
    essay = EssayDoc(
        title=get_text(report, data, "title", TOP), summary=get_text(report, data, "summary", TOP),
        brief=tidy(parts.body), rubric=parse_rubric(report, data, TOP),
        weight=get_number(report, data, "weight", TOP, default=0.3, low=0, low_inclusive=True, high=1),
        pass_mark=get_number(report, data, "pass_mark", TOP, default=5.0, low=0, low_inclusive=True, high=10),
        max_chars=get_int(report, data, "max_chars", TOP, default=30000, low=500),
        required=get_bool(report, data, "required", TOP, default=True))
    check_question_rules(report, essay.as_question(), {"rubric": data.get("rubric")}, TOP)
    if not essay.brief.strip():
        report.add(TOP, N_("the essay needs a brief: write it below the front matter"))
    check_links(report, parts.body, index, None, first_line=parts.body_line)
    return (None if report.problems else essay), report.problems


def load_essay(modules_root: Path) -> tuple[EssayDoc | None, list[Problem]]:
    """The course's essay (content/essay.md beside the modules root), or None without problems when absent."""
    path = Path(modules_root).parent / ESSAY_FILE
    if not path.is_file():
        return None, []
    return parse_essay_text(path.read_text(encoding="utf-8"), str(path), scan_index(Path(modules_root)))
