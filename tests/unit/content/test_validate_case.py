"""One failing example per case rule: mutate a valid case, expect the problem at its location."""
from __future__ import annotations

import pytest

from lms.content.validate_case import parse_case_text
from lms.domain.cases import CaseKind, QuestionType
from tests.unit.content.builders import (
    Doc,
    case_body,
    case_data,
    choice,
    criterion,
    option,
    stage,
    written,
)


def q(doc: Doc, s: int, n: int) -> dict:
    """Question n of stage s in the doc."""
    return doc.data["stages"][s]["questions"][n]


def parse(doc: Doc, index=None, slug: str = "hai-ho"):
    """Parse the doc as a case of module 01-ly-luan."""
    return parse_case_text(doc.text(), slug, "cases/hai-ho.md", index=index, module_key="01-ly-luan")


@pytest.fixture
def doc() -> Doc:
    """A valid case file to mutate."""
    return Doc(case_data(), case_body())


def test_valid_case_parses_with_every_question_type(doc: Doc) -> None:
    case, problems = parse(doc)
    assert problems == []
    assert case.kind == CaseKind.LAND_DISPUTE
    assert [qq.type for s in case.stages for qq in s.questions] == [
        QuestionType.BEST_ACTION, QuestionType.MULTI, QuestionType.BEST_WORST, QuestionType.RANK,
        QuestionType.RATE, QuestionType.WRITTEN, QuestionType.WRITTEN]
    assert case.stages[0].questions[0].options[0].next == "s2a"
    assert case.stages[3].questions[1].choice_points == 1.0
    assert case.scenario.startswith("Ông A") and case.debrief.startswith("Xử lý")


def _set(path: list, value):
    """A mutation setting the value at a key path in the front matter."""
    def mutate(doc: Doc) -> None:
        target = doc.data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _drop(path: list):
    def mutate(doc: Doc) -> None:
        target = doc.data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def _body(body: str):
    def mutate(doc: Doc) -> None:
        doc.body = body
    return mutate


def _options(s: int, n: int, values):
    return _set(["stages", s, "questions", n, "options"], [option("abcdefghij"[i], v) for i, v in enumerate(values)])


Q1, OPT = ["stages", 0, "questions", 0], ["stages", 0, "questions", 0, "options"]
RULES = [
    # (mutation, location, message fragment)
    (_drop(OPT + [2, "effectiveness"]), "stages[0].questions[0].options[2]", "effectiveness missing"),
    (_set(OPT + [2, "effectiveness"], 5), "stages[0].questions[0].options[2]",
     "effectiveness must be an integer from 1 to 4"),
    (_set(OPT + [2, "effectiveness"], "4"), "stages[0].questions[0].options[2]", "integer from 1 to 4"),
    (_drop(OPT + [1, "text"]), "stages[0].questions[0].options[1]", "text missing"),
    (_drop(OPT + [1, "rationale"]), "stages[0].questions[0].options[1]", "rationale missing"),
    (_set(OPT + [1, "colour"], "red"), "stages[0].questions[0].options[1]", "unknown key colour"),
    (_set(OPT + [1, "id"], "B b"), "stages[0].questions[0].options[1]", "id must be lower-case"),
    (_set(OPT + [1, "id"], "a"), "stages[0].questions[0]", "option id a is used 2 times"),
    (_set(OPT + [1, "text"], 12), "stages[0].questions[0].options[1]", "text must be text"),
    (_set(OPT + [1, "rationale"], "  "), "stages[0].questions[0].options[1]", "rationale must not be empty"),
    (_set(OPT + [1, "id"], 2), "stages[0].questions[0].options[1]", "id must be text: put 2 in quotes"),
    (_options(0, 0, (4, 1)), "stages[0].questions[0]", "a best_action question needs 3 to 8 options (has 2)"),
    (_options(1, 0, (4, 3, 3, 3, 2, 2, 1, 1, 1)), "stages[1].questions[0]",
     "a best_worst question needs 3 to 8 options (has 9)"),
    (_options(3, 1, (4, 1)), "stages[3].questions[1]", "a written question needs 3 to 8 options (has 2)"),
    (_options(0, 1, (3, 3, 2)), "stages[0].questions[1]", "at least one option must have effectiveness 4"),
    (_options(0, 1, (4, 3)), "stages[0].questions[1]", "a multi question needs 3 to 8 options (has 2)"),
    (_options(0, 1, (4,) * 9), "stages[0].questions[1]", "needs 3 to 8 options (has 9)"),
    (_options(1, 1, (4, 3, 3, 2, 2, 1, 1)), "stages[1].questions[1]", "a rank question needs 3 to 6 options"),
    (_options(2, 0, (4, 1)), "stages[2].questions[0]", "a rate question needs 3 to 6 options (has 2)"),
    (_options(1, 0, (4, 4, 3)), "stages[1].questions[0]", "best_worst question needs an option with effectiveness 1 or 2"),
    (_drop(["stages", 1, "questions", 0, "options"]), "stages[1].questions[0]", "options missing"),
    (_drop(["stages", 3, "questions", 0, "rubric"]), "stages[3].questions[0]", "a written question needs a rubric"),
    (_drop(["stages", 3, "questions", 1, "choice_points"]), "stages[3].questions[1]", "needs choice_points"),
    (_set(["stages", 3, "questions", 0, "choice_points"], 1), "stages[3].questions[0]",
     "choice_points is only for written questions with options"),
    (_set(Q1 + ["rubric"], [criterion()]), "stages[0].questions[0]", "rubric is only for written questions"),
    (_set(["stages", 3, "questions", 0, "rubric", 0, "levels"], [{"points": 0, "description": "x"}]),
     "stages[3].questions[0].rubric[0]", "at least 2 levels"),
    (_set(["stages", 3, "questions", 0, "rubric", 1], criterion("steps", (0, 2, 2))),
     "stages[3].questions[0].rubric[1]", "distinct points"),
    (_set(["stages", 3, "questions", 0, "rubric", 1], criterion("steps", (1, 2))),
     "stages[3].questions[0].rubric[1]", "must be worth 0 points"),
    (_set(["stages", 3, "questions", 0, "rubric", 1], criterion("basis")), "stages[3].questions[0]",
     "rubric criterion id basis is used 2 times"),
    (_drop(["stages", 3, "questions", 0, "rubric", 1, "levels", 0, "description"]),
     "stages[3].questions[0].rubric[1].levels[0]", "description missing"),
    (_set(["stages", 1, "questions", 1, "options", 0, "next"], "s3"), "stages[1].questions[1].options[0]",
     "next is only allowed on the options of a best_action question"),
    (_set(["stages", 0, "questions", 1], choice("q2", next="x") | {"options": [
        option("a", 4, next="s3"), option("b", 3), option("c", 1)]}), "stages[0]",
     "only one question per stage may branch"),
    (_set(OPT + [0, "next"], "s9"), "stages[0].questions[0].options[0]", "does not exist: s9"),
    (_set(["stages", 1, "next"], "s9"), "stages[1]", "does not exist: s9"),
    (_set(["stages", 3, "next"], "s1"), "front matter", "the stages form a loop: 1 “Giai đoạn s1” → 2 “Giai đoạn s2a” → 4 “Giai đoạn s3” → 1 “Giai đoạn s1”"),
    (_set(["stages", 2, "next"], "s2b"), "front matter", "loop: 3 “Giai đoạn s2b” → 3 “Giai đoạn s2b”"),
    (lambda d: d.data["stages"].append(stage("s4", choice("q8"))), "stages[4]",
     "stage 5 “Giai đoạn s4” (s4) cannot be reached from the first stage: no option and no stage leads to it"),
    (_set(["stages", 2, "questions"], []), "stages[2]", "a stage needs at least one question"),
    (_drop(["stages", 2, "questions"]), "stages[2]", "questions missing"),
    (_set(["stages", 2, "id"], "s1"), "front matter", "stage id s1 is used 2 times"),
    (_set(["stages", 2, "questions", 0, "id"], "q1"), "front matter", "question id q1 is used 2 times"),
    (_set(["stages", 2, "title"], ""), "stages[2]", "title must not be empty"),
    (_set(["stages", 2, "extra"], 1), "stages[2]", "unknown key extra"),
    (_set(Q1 + ["type"], "essay"), "stages[0].questions[0]", "type must be one of"),
    (_set(Q1 + ["points"], 0), "stages[0].questions[0]", "points must be a number greater than 0"),
    (_set(Q1 + ["points"], "hai"), "stages[0].questions[0]", "points must be a number"),
    (_drop(Q1 + ["prompt"]), "stages[0].questions[0]", "prompt missing"),
    (_set(["kind"], "flood"), "front matter", "kind must be one of"),
    (_drop(["title"]), "front matter", "title missing"),
    (_set(["stages"], []), "front matter", "stages must list at least one stage"),
    (_set(["stages"], "s1"), "front matter", "stages must be a list"),
    (_set(["stages", 0], "s1"), "stages[0]", "must be a mapping"),
    (_set(["required"], "yes"), "front matter", "required must be true or false"),
    (_set(["roles"], [""]), "front matter", "roles[0] must be non-empty text"),
    (_set(["author"], "x"), "front matter", "unknown key author"),
    (_body("## Tình huống\n\nA.\n"), "", "exactly the sections '## Tình huống' then '## Tổng kết'"),
    (_body("## Tổng kết\n\nA.\n\n## Tình huống\n\nB.\n"), "", "exactly the sections"),
    (_body("## Tình huống\n\nA.\n\n## Bối cảnh\n\nC.\n\n## Tổng kết\n\nB.\n"), "", "found: '## Tình huống', '## Bối cảnh'"),
    (_body("# Tình huống\n\nA.\n\n## Tổng kết\n\nB.\n"), "", "exactly the sections"),
    (_body("Lời dẫn.\n\n## Tình huống\n\nA.\n\n## Tổng kết\n\nB.\n"), "", "text before '## Tình huống'"),
    (_body("## Tình huống\n\n## Tổng kết\n\nB.\n"), "", "the section '## Tình huống' is empty"),
    (_body(case_body() + "\n!!! danger\n    Nguy hiểm.\n"), "", "unknown call-out kind danger"),
    (_set(["stages", 0, "text"], "!!! quote\n    x\n"), "stages[0].text", "unknown call-out kind quote"),
]


@pytest.mark.parametrize(("mutate", "location", "fragment"), RULES, ids=[r[2][:50] for r in RULES])
def test_each_rule_reports_its_problem(doc: Doc, mutate, location: str, fragment: str) -> None:
    mutate(doc)
    case, problems = parse(doc)
    assert case is None
    matching = [p for p in problems if fragment in p.message]
    assert matching, [str(p) for p in problems]
    if location:
        assert location in [p.location for p in matching], [str(p) for p in problems]


LINKS = [
    ("Xem [ca](case:khong-co).", "the link case:khong-co goes nowhere: no such case"),
    ("Xem [bài](lesson:09-khong-co).", "no such lesson"),
    ("Xem [bài](lesson:02-he-thong/02-khong).", "no such lesson"),
    ("Xem [module](module:03-khong).", "no such module"),
    ("Xem [x](javascript:alert(1)).", "links may only go to http(s) addresses"),
    ("Xem [x](mailto:a@b.vn).", "links may only go to http(s) addresses"),
    ("![sơ đồ](media/khong-co.png)", "the image media/khong-co.png is not in the module's media folder"),
    ("[x]: case:khong-co\n\nXem [ca][x].", "no such case"),
]


@pytest.mark.parametrize(("text", "fragment"), LINKS)
def test_unresolved_links_are_reported_with_the_line(doc: Doc, index, text: str, fragment: str) -> None:
    doc.body = case_body(debrief=f"Kết luận.\n\n{text}")
    case, problems = parse(doc, index)
    assert case is None
    line = doc.text().split("\n").index(text.split("\n")[0]) + 1
    assert [p.location for p in problems if fragment in p.message] == [f"line {line}"]


def test_links_in_stage_fields_are_located_by_field(doc: Doc, index) -> None:
    q(doc, 0, 0)["options"][1]["rationale"] = "Trái [bài](lesson:09-x)."
    _, problems = parse(doc, index)
    assert [p.location for p in problems] == ["stages[0].questions[0].options[1].rationale"]


def test_resolving_links_pass(doc: Doc, index) -> None:
    doc.body = case_body(debrief="[a](lesson:02-hai) [b](lesson:02-he-thong/01-to-chuc) [c](module:02-he-thong) "
                                 "[d](case:hai-ho-tranh-chap) [e](https://thuvienphapluat.vn) ![f](media/so-do.png) "
                                 "`[g](case:in-code)`\n\n```\n[h](case:in-fence)\n```")
    case, problems = parse(doc, index)
    assert problems == [] and case is not None


def test_every_problem_is_reported_not_only_the_first(doc: Doc) -> None:
    _drop(OPT + [2, "effectiveness"])(doc)
    _set(["stages", 2, "next"], "s9")(doc)
    _set(["kind"], "flood")(doc)
    doc.body = "## Tình huống\n\nA.\n"
    _, problems = parse(doc, slug="Bad Slug")
    assert len(problems) == 5
    assert problems[0].location == "file name"


def test_problem_keeps_template_and_params_for_translation(doc: Doc) -> None:
    _set(OPT + [2, "effectiveness"], 7)(doc)
    _, [problem] = parse(doc)
    assert problem.template == "{key} must be an integer from {low} to {high}"
    assert problem.params == {"key": "effectiveness", "low": 1, "high": 4}
    assert str(problem) == ("cases/hai-ho.md: stages[0].questions[0].options[2]: "
                            "effectiveness must be an integer from 1 to 4")


def test_written_question_without_options_needs_no_choice_points(doc: Doc) -> None:
    doc.data["stages"][3]["questions"] = [written("q6")]
    case, problems = parse(doc)
    assert problems == [] and case.stages[3].questions[0].options == ()


def test_a_knowledge_check_asks_no_written_question():
    from lms.content.validate_case import parse_case_text
    from tests.conftest import CASE_FIXTURE

    text = CASE_FIXTURE.read_text(encoding="utf-8").replace("kind: land_dispute", "kind: knowledge_check", 1)
    _case, problems = parse_case_text(text, "kiem-tra")
    assert any("cannot ask a written question" in p.message for p in problems)
