"""Small builders of valid content (dicts, texts, folders) that tests mutate one rule at a time."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SCENARIO = "Ông A và bà B tranh chấp lối đi chung; hai bên kéo người thân đến trụ sở."
DEBRIEF = "Xử lý tốt là hòa giải ở cơ sở, đúng thẩm quyền, theo Luật Đất đai 2024."


def document(data: Any, body: str = "") -> str:
    """A content file: YAML front matter between --- lines, then the body."""
    return "---\n" + yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False) + "---\n" + body


def case_body(scenario: str = SCENARIO, debrief: str = DEBRIEF) -> str:
    """The two required case sections."""
    return f"\n## Tình huống\n\n{scenario}\n\n## Tổng kết\n\n{debrief}\n"


def option(option_id: str, effectiveness: int, **extra: Any) -> dict:
    """One valid option."""
    return {"id": option_id, "text": f"Phương án {option_id}", "effectiveness": effectiveness,
            "rationale": f"Lý do của phương án {option_id}.", **extra}


def choice(question_id: str, kind: str = "best_action", values=(4, 3, 2, 1), **extra: Any) -> dict:
    """A valid choice question with one option per effectiveness value."""
    options = [option("abcdefghij"[i], value) for i, value in enumerate(values)]
    return {"id": question_id, "type": kind, "prompt": f"Câu hỏi {question_id}?", "options": options, **extra}


def criterion(criterion_id: str = "basis", points=(0, 1, 2)) -> dict:
    """A valid rubric criterion."""
    return {"id": criterion_id, "title": "Căn cứ pháp lý",
            "levels": [{"points": p, "description": f"Mức {p}"} for p in points]}


def written(question_id: str, **extra: Any) -> dict:
    """A valid written question with a rubric of two criteria."""
    return {"id": question_id, "type": "written", "prompt": "Trình bày phương án xử lý.", "points": 4,
            "rubric": [criterion("basis"), criterion("steps", (0, 2))], **extra}


def stage(stage_id: str, *questions: dict, **extra: Any) -> dict:
    """A valid stage holding the given questions."""
    return {"id": stage_id, "title": f"Giai đoạn {stage_id}", "text": "Diễn biến tiếp theo.",
            "questions": list(questions), **extra}


def case_data() -> dict:
    """A valid case using every question type, with one branching question."""
    branching = choice("q1", points=2)
    branching["options"][0]["next"] = "s2a"
    branching["options"][3]["next"] = "s2b"
    return {
        "title": "Hai hộ tranh chấp lối đi chung", "kind": "land_dispute",
        "summary": "Tranh chấp lối đi giữa hai hộ.", "roles": ["Bí thư Đảng ủy", "Chủ tịch UBND xã"],
        "stages": [
            stage("s1", branching, choice("q2", "multi", (4, 3, 1)), next="s2a"),
            stage("s2a", choice("q3", "best_worst"), choice("q4", "rank", (4, 2, 1)), next="s3"),
            stage("s2b", choice("q5", "rate", (4, 4, 2, 1)), next="s3"),
            stage("s3", written("q6"), written("q7", options=choice("x")["options"], choice_points=1)),
        ],
    }


@dataclass
class Doc:
    """A file under construction: front matter data and body, mutated by tests."""

    data: Any
    body: str = ""

    def text(self) -> str:
        """The file's text."""
        return document(self.data, self.body)


def module_data(**extra: Any) -> dict:
    """A valid module.md front matter."""
    return {
        "title": "Công tác dân vận", "summary": "Giúp Bí thư làm tốt công tác dân vận.", "group": 2, "hours": 8,
        "objectives": ["Trình bày được nội dung.", "Vận dụng được vào cơ sở."],
        "references": [{"number": "144-QĐ/TW", "title": "Quy định về chuẩn mực đạo đức",
                        "date": datetime.date(2024, 5, 9), "verified": True, "issuer": "Bộ Chính trị",
                        "checked_on": datetime.date(2026, 12, 1), "source": "https://example.org/144"}],
        **extra,
    }


def lesson_data(title: str = "Bài 1. Vị trí, vai trò") -> dict:
    """A valid lesson front matter."""
    return {"title": title, "summary": "Một câu tóm tắt bài học."}


@dataclass
class ModuleFiles:
    """The files of one module folder, as Docs keyed by their path inside the folder."""

    key: str
    files: dict[str, Doc] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        """Write the module under root and return its folder."""
        folder = root / self.key
        for name, doc in self.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(doc.text(), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def module_files(key: str, lessons=("01-mot", "02-hai"), cases=(), intro: str = "Giới thiệu chuyên đề.",
                 lesson_body: str = "## Mục 1\n\nNội dung.\n") -> ModuleFiles:
    """A valid module folder with the named lessons and cases."""
    files = {"module.md": Doc(module_data(), intro)}
    for lesson in lessons:
        files[f"lessons/{lesson}.md"] = Doc(lesson_data(), lesson_body)
    for slug in cases:
        files[f"cases/{slug}.md"] = Doc(case_data(), case_body())
    return ModuleFiles(key, files)


def example_course() -> list[ModuleFiles]:
    """Two valid modules that link to each other in every link form."""
    first = module_files("01-ly-luan", cases=("hai-ho-tranh-chap",), intro="Xem [bài 1](lesson:01-mot).")
    second = module_files("02-he-thong", lessons=("01-to-chuc",), cases=("tu-tap-dong-nguoi",),
                          lesson_body="## Liên kết\n\nXem [bài](lesson:01-ly-luan/02-hai), "
                                      "[chuyên đề](module:01-ly-luan), [ca](case:hai-ho-tranh-chap), "
                                      "[bài này](lesson:01-to-chuc).\n")
    return [first, second]


def write_course(root: Path, modules: list[ModuleFiles]) -> Path:
    """Write the modules under root and return root."""
    root.mkdir(parents=True, exist_ok=True)
    for module in modules:
        module.write(root)
    return root
