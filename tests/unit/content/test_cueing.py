"""The cueing check: options that give the key away by their shape are reported, with figures."""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.cueing import CueingFigures, case_cues, check_course_cueing, check_positions, check_question
from lms.content.fields import Report
from lms.content.loader import load_course
from lms.content.validate_case import parse_case_text
from lms.domain.cases import Option, Question, QuestionType
from tests.conftest import CASE_FIXTURE
from tests.unit.content.test_variants import with_variant

SHIPPED = Path(__file__).resolve().parents[3] / "content" / "modules"


def q(*options: tuple[int, str], kind: str = "best_action", shuffle: bool = True) -> Question:
    """A question whose options are (rating, text) pairs with ids a, b, c ..."""
    return Question("q1", QuestionType(kind), "Làm gì?", tuple(
        Option(chr(97 + i), text, rating, "vì") for i, (rating, text) in enumerate(options)), shuffle=shuffle)


def cues(question: Question) -> list[str]:
    """The warning templates of one question."""
    report = Report("case.md")
    check_question(report, "stages[0].questions[0]", question)
    return [p.template for p in report.problems]


GOOD = q((4, "Giao Chủ tịch UBND tổ chức hòa giải ngay trong tuần"), (3, "Mời hai bên lên Đảng ủy nghe ý kiến trước"),
         (2, "Chờ có đơn chính thức rồi mới giải quyết việc"), (1, "Yêu cầu công an lập biên bản cả hai hộ dân"))


def test_comparable_options_raise_no_cue():
    assert cues(GOOD) == []


def test_a_best_option_far_longer_than_the_rest_is_reported():
    long_best = q((4, "Chỉ đạo UBND xác minh, công khai kết quả, đối thoại với dân, báo cáo Thành ủy theo quy định"),
                  (3, "Hỏi ý kiến cán bộ địa chính"), (1, "Bỏ qua"))
    assert [t for t in cues(long_best) if "longest" in t]


def test_only_the_best_option_as_a_list_of_steps_is_reported():
    listed = q((4, "Xác minh; công khai; đối thoại"), (3, "Xác minh rồi báo cáo cấp trên xem xét"),
               (1, "Giao cho trưởng thôn tự xử lý việc này"))
    assert [t for t in cues(listed) if "semicolons" in t]
    both = q((4, "Xác minh; công khai; đối thoại"), (3, "Họp; giao việc; báo cáo lại"), (1, "Chờ; xem; tính sau"))
    assert not [t for t in cues(both) if "semicolons" in t]


def test_a_rank_in_the_keys_order_is_reported_only_without_shuffling():
    ranked = [(4, "Phương án thứ nhất"), (3, "Phương án thứ hai"), (2, "Phương án thứ ba"), (1, "Phương án bốn")]
    assert [t for t in cues(q(*ranked, kind="rank", shuffle=False)) if "key's order" in t]
    assert not [t for t in cues(q(*ranked, kind="rank", shuffle=True)) if "key's order" in t]


def test_the_best_option_in_one_position_across_unshuffled_questions_is_reported():
    first = q((4, "Một việc cần làm"), (3, "Việc khác có thể làm"), (1, "Việc sai cần tránh"), shuffle=False)
    report = Report("module.md")
    check_positions(report, [("x", first)] * 4)
    assert report.problems and report.problems[0].params == {"position": 1, "hits": 4, "count": 4}
    report = Report("module.md")
    check_positions(report, [("x", q(*((r, t) for r, t in [(4, "a a a"), (3, "b b b"), (1, "c c c")])))] * 4)
    assert report.problems == []  # shuffled questions do not count


def test_a_cue_in_a_variant_is_reported_at_that_variant():
    text = with_variant(CASE_FIXTURE.read_text(encoding="utf-8"))  # its best option is 1.4 times the next

    def locations(text: str) -> list[str]:
        case, problems = parse_case_text(text, "tranh-chap-loi-di")
        assert problems == []
        return [p.location for p in case_cues(case)]

    cued = locations(text)
    assert "stages[1].questions[1].variants[0]" in cued
    even = locations(text.replace("Mời hai bên hòa giải tại tổ dân phố", "Mời hòa giải ở tổ dân phố"))
    assert sorted(cued) == sorted([*even, "stages[1].questions[1].variants[0]"])  # the variant's, not q3's


def test_figures_compare_the_best_is_longest_share_with_chance():
    figures = CueingFigures(questions=4, best_is_longest=1, chance=0.25)
    assert figures.best_is_longest_share == 0.25
    assert "1/4 option questions (25%, chance 25%)" in figures.summary()


def test_the_check_runs_on_the_shipped_course_and_prints_its_figures(capsys):
    course, problems = load_course(SHIPPED)
    assert problems == []
    warnings, figures = check_course_cueing(SHIPPED, course)
    with capsys.disabled():
        print(f"\nshipped course {figures.summary()}; {len(warnings)} cueing warning(s)")
    assert figures.questions > 0 and 0.0 < figures.chance < 1.0
    assert [str(w) for w in warnings] == []  # the shipped course gives no key away by the shape of its options
    assert abs(figures.best_is_longest_share - figures.chance) <= 0.10  # within 10 points of chance (issue #14)


@pytest.mark.parametrize("strict, status", [(False, 0), (True, 1)])
def test_the_command_line_reports_warnings_and_fails_only_when_strict(tmp_path, capsys, strict, status):
    from lms.content.check import main
    from tests.unit.content.builders import example_course, write_course

    modules = example_course()
    options = modules[0].files["cases/hai-ho-tranh-chap.md"].data["stages"][0]["questions"][0]["options"]
    options[0]["text"] = "Một phương án rất dài, liệt kê đủ mọi bước; rồi thêm; rồi thêm nữa " * 3
    root = write_course(tmp_path / "modules", modules)
    assert main([str(root)] + (["--strict"] if strict else [])) == status
    printed = capsys.readouterr()
    assert "cueing: best option is the longest" in printed.err and "longest by far" in printed.out + printed.err
    assert ("longest by far" in printed.out) == strict  # a warning on stderr; a problem on stdout when strict
