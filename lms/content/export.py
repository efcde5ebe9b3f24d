"""Writing content back to files in the shipped format, and content hashes for versioning."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from lms.content import house_yaml
from lms.content.body import DEBRIEF, SCENARIO
from lms.content.essay import ESSAY_FILE, EssayDoc
from lms.content.schema import Course, LessonDoc, ModuleDoc, ModulePolicy, Reference
from lms.domain.cases import CaseDefinition, Option, Question, RubricCriterion, Stage
from lms.domain.review_policy import PARTS as REVIEW_PARTS


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style for multi-line text, so Markdown in the front matter stays readable."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _number(value: float) -> int | float:
    """Whole numbers are written without a decimal point."""
    return int(value) if float(value).is_integer() else value


def front_matter(data: dict[str, Any]) -> str:
    """A front-matter block (with its --- lines) in the house style: keys in order, block style for multi-line text."""
    return "---\n" + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6) + "---\n"


def _document(data: dict[str, Any], body: str) -> str:
    return front_matter(data) + (f"\n{body}\n" if body else "")


def _file(data: dict[str, Any], body: str) -> str:
    """A content file in the house style (lms.content.house_yaml): the body right after the closing ---."""
    return "---\n" + house_yaml.dump(data) + "---\n" + (f"{body}\n" if body else "")


def dump_module(module: ModuleDoc) -> str:
    """The text of module.md: header, references, non-default policy, introduction (for content hashes)."""
    return _document(_module_data(module), module.intro)


def _module_data(module: ModuleDoc, house: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": module.title, "summary": module.summary, "group": module.group,
        "hours": _number(module.hours), "objectives": list(module.objectives),
        "references": [(_house_reference if house else _reference)(reference) for reference in module.references],
    }
    data.update(_policy(module.policy))
    return data


def _house_reference(reference: Reference) -> dict[str, Any]:
    """A reference as the repository writes it: what it is, who issued it and when, its status and its check."""
    data = _reference(reference)
    order = ("number", "title", "issuer", "date", "in_force", "checked_on", "source", "verified")
    return {key: data[key] for key in order if key in data}


def _reference(reference: Reference) -> dict[str, Any]:
    data: dict[str, Any] = {"number": reference.number, "title": reference.title}
    if reference.date is not None:
        data["date"] = reference.date
    data["verified"] = reference.verified
    for key in ("issuer", "in_force", "checked_on", "source"):
        value = getattr(reference, key)
        if value not in ("", None):
            data[key] = value
    return data


def _policy(policy: ModulePolicy) -> dict[str, Any]:
    default, data = ModulePolicy(), {}
    if policy.pass_mark != default.pass_mark:
        data["pass_mark"] = _number(policy.pass_mark)
    if policy.attempts_allowed != default.attempts_allowed:
        data["attempts_allowed"] = policy.attempts_allowed
    if policy.grading_policy != default.grading_policy:
        data["grading_policy"] = policy.grading_policy
    if policy.time_limit_minutes != default.time_limit_minutes:
        data["time_limit_minutes"] = policy.time_limit_minutes
    if policy.key_visible_from is not None:
        data["key_visible"] = policy.key_visible_from
    if policy.knowledge_weight != default.knowledge_weight:
        data["knowledge_weight"] = _number(policy.knowledge_weight)
    if policy.review != default.review:
        data["review"] = review_lists(policy.review)
    if policy.discussion != default.discussion:
        data["discussion"] = policy.discussion
    return data


def dump_lesson(lesson: LessonDoc) -> str:
    """The text of a lesson file."""
    return _document({"title": lesson.title, "summary": lesson.summary}, lesson.body)


def dump_case(case: CaseDefinition) -> str:
    """The text of a case file: stages in the front matter, scenario and debrief in the body (for content hashes)."""
    return _document(_case_data(case), _case_body(case))


def _case_data(case: CaseDefinition, house: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"title": case.title, "kind": str(case.kind), "summary": case.summary}
    if not case.required or house:
        data["required"] = case.required
    if case.roles:
        data["roles"] = list(case.roles)
    data["stages"] = [_stage(stage) for stage in case.stages]
    if house:  # the repository writes a question's choice points right after its points
        for stage in data["stages"]:
            stage["questions"] = [_points_first(q) for q in stage["questions"]]
    return data


def _points_first(question: dict[str, Any]) -> dict[str, Any]:
    head = ("id", "type", "prompt", "points", "choice_points")
    return {**{key: question[key] for key in head if key in question},
            **{key: value for key, value in question.items() if key not in head}}


def _case_body(case: CaseDefinition) -> str:
    return f"## {SCENARIO}\n\n{case.scenario}\n\n## {DEBRIEF}\n\n{case.debrief}"


def module_file(module: ModuleDoc) -> str:
    """module.md as the repository keeps it (the house style)."""
    return _file(_module_data(module, house=True), module.intro)


def lesson_file(lesson: LessonDoc) -> str:
    """A lesson file as the repository keeps it."""
    return _file({"title": lesson.title, "summary": lesson.summary}, lesson.body)


def case_file(case: CaseDefinition) -> str:
    """A case file as the repository keeps it."""
    return _file(_case_data(case, house=True), _case_body(case))


def _stage(stage: Stage) -> dict[str, Any]:
    data: dict[str, Any] = {"id": stage.id, "title": stage.title, "text": stage.text,
                            "questions": [_question(question) for question in stage.questions]}
    if stage.next:
        data["next"] = stage.next
    return data


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "type": str(question.type), "prompt": question.prompt}
    if question.points != 1:
        data["points"] = _number(question.points)
    if question.options:
        data["options"] = [_option(option) for option in question.options]
    if question.rubric:
        data["rubric"] = [_criterion(criterion) for criterion in question.rubric]
    if question.choice_points:
        data["choice_points"] = _number(question.choice_points)
    if not question.shuffle:
        data["shuffle"] = False
    if question.variants:
        data["variants"] = [_variant(v, question) for v in question.variants]
    return data


def _variant(variant: Question, base: Question) -> dict[str, Any]:
    """A variant as module files write it: what differs from its question (id and type are the question's)."""
    data = {key: value for key, value in _question(variant).items()
            if key not in ("id", "type", "points", "choice_points", "shuffle", "rubric")}
    if variant.rubric != base.rubric:
        data["rubric"] = [_criterion(criterion) for criterion in variant.rubric]
    if variant.points != base.points:
        data["points"] = _number(variant.points)
    if variant.choice_points != base.choice_points:
        data["choice_points"] = _number(variant.choice_points)
    if variant.shuffle != base.shuffle:
        data["shuffle"] = variant.shuffle
    return data


def _option(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"id": option.id, "text": option.text, "effectiveness": option.effectiveness,
                            "rationale": option.rationale}
    if option.basis:
        data["basis"] = option.basis
    if option.next:
        data["next"] = option.next
    if option.pinned:
        data["pinned"] = True
    return data


def essay_file(essay: EssayDoc) -> str:
    """content/essay.md as the repository keeps it."""
    data = {"title": essay.title, "summary": essay.summary, "weight": float(essay.weight),
            "pass_mark": float(essay.pass_mark), "required": essay.required, "max_chars": essay.max_chars,
            "rubric": [_criterion(criterion) for criterion in essay.rubric]}
    return _file(data, essay.brief)


def write_essay(essay: EssayDoc, modules_directory: Path | str) -> Path:
    """Write the final essay where the import looks for it: essay.md beside the modules' directory."""
    path = Path(modules_directory).resolve().parent / ESSAY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(essay_file(essay), encoding="utf-8")
    return path


def _criterion(criterion: RubricCriterion) -> dict[str, Any]:
    levels = [{"points": _number(level.points), "description": level.description} for level in criterion.levels]
    return {"id": criterion.id, "title": criterion.title, "levels": levels}


def write_course(course: Course, directory: Path | str) -> None:
    """Write every module, lesson and case under directory in the layout of content/modules/."""
    root = Path(directory)
    for module in course.modules:
        folder = root / module.key
        (folder / "lessons").mkdir(parents=True, exist_ok=True)
        (folder / "module.md").write_text(module_file(module), encoding="utf-8")
        for lesson in module.lessons:
            (folder / "lessons" / f"{lesson.key}.md").write_text(lesson_file(lesson), encoding="utf-8")
        if module.cases:
            (folder / "cases").mkdir(exist_ok=True)
        for case in module.cases:
            (folder / "cases" / f"{case.slug}.md").write_text(case_file(case), encoding="utf-8")


def canonical_text(obj: Course | ModuleDoc | LessonDoc | CaseDefinition) -> str:
    """The canonical dump of any content object; a module or course includes its files, each named."""
    if isinstance(obj, LessonDoc):
        return dump_lesson(obj)
    if isinstance(obj, CaseDefinition):
        return dump_case(obj)
    if isinstance(obj, ModuleDoc):
        files = [("module.md", dump_module(obj))]
        files += [(f"lessons/{lesson.key}.md", dump_lesson(lesson)) for lesson in obj.lessons]
        files += [(f"cases/{case.slug}.md", dump_case(case)) for case in obj.cases]
        return "".join(f"=== {obj.key}/{name}\n{text}" for name, text in files)
    if isinstance(obj, Course):
        return "".join(canonical_text(module) for module in obj.modules)
    raise TypeError(f"no canonical text for {type(obj).__name__}")


def content_hash(obj: Course | ModuleDoc | LessonDoc | CaseDefinition) -> str:
    """The sha256 hex digest of the canonical dump, a version identifier for the content."""
    return hashlib.sha256(canonical_text(obj).encode("utf-8")).hexdigest()


def review_lists(review) -> dict[str, list[str]]:
    """A review policy as module.md writes it: the two lists, parts in their canonical order."""
    return {"after_attempt": [p for p in REVIEW_PARTS if p in review.after_attempt],
            "after_last": [p for p in REVIEW_PARTS if p in review.after_last]}
