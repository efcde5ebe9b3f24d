"""The editors' words in the current language: content problems and where they are, refused publications,
where a version came from, the names of question types."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from lms.authoring.case_form_ops import VariantOfBranchingQuestion
from lms.authoring.services import AuthoringError
from lms.content.cueing import RANK_ORDER_CUE, STEP_LIST_CUE
from lms.content.schema import Problem


def problem_text(problem: Problem) -> str:
    """A validation problem's message translated (its template is the msgid), or its English text."""
    try:
        return _(problem.template).format(**problem.params)
    except (KeyError, IndexError, ValueError):
        return problem.message


_STEP = re.compile(r"(\w+)\[(\d+)\]|(\w+)")


def place_in_words(location: str) -> str:
    """A place in the front matter in words: stages[2].questions[0].options[4] -> "Giai đoạn 3, câu hỏi 1,
    phương án 5"; a trailing key stays as it is written in the file."""
    names = {"stages": lambda n: _("Giai đoạn %(n)s", n=n), "questions": lambda n: _("câu hỏi %(n)s", n=n),
             "options": lambda n: _("phương án %(n)s", n=n), "rubric": lambda n: _("tiêu chí chấm %(n)s", n=n),
             "levels": lambda n: _("mức %(n)s", n=n), "variants": lambda n: _("biến thể %(n)s", n=n),
             "references": lambda n: _("văn bản tham khảo %(n)s", n=n),
             "objectives": lambda n: _("mục tiêu %(n)s", n=n)}
    words = []
    for name, index, key in _STEP.findall(location):
        if name and name in names:
            words.append(names[name](int(index) + 1))
        elif name or key:
            words.append(_("mục “%(k)s”", k=name or key))
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def problem_location(problem: Problem, body_offset: int = 0) -> str:
    """Where the problem is: a place in the front matter in words, a line of the file or of the body."""
    location = problem.location
    if "[" in location:
        return place_in_words(location)
    if location.startswith("line ") and location[5:].isdigit():
        if body_offset:
            return _("dòng %(n)s của nội dung", n=int(location[5:]) - body_offset)
        return _("dòng %(n)s", n=location[5:])
    return {"front matter": _("phần đầu (front matter)"), "file name": _("tên tệp"),
            "": _("tệp")}.get(location, location)


def unrepresented_text(location: str) -> str:
    """Why a case opens in the text editor rather than the form: the part the form cannot hold unchanged."""
    place = place_in_words(location) if location else _("phần thông tin chung")
    return _("Biểu mẫu chưa giữ được nguyên vẹn một phần của tình huống này (%(place)s): nếu lưu bằng biểu mẫu, "
             "phần đó sẽ bị thay đổi. Hãy sửa tình huống này bằng trình soạn văn bản.", place=place)


def refusal_text(error: AuthoringError | VariantOfBranchingQuestion) -> str:
    """Why a publication that validated was still refused, or a button of the case form."""
    p = error.params
    messages = {
        "lesson_slug_taken": lambda: _("Mã bài %(slug)s đã có trong chuyên đề này.", slug=p.get("slug")),
        "lesson_number_taken": lambda: _("Số thứ tự %(number)s đã được bài khác dùng.", number=p.get("number")),
        "case_slug_taken": lambda: _("Mã tình huống %(slug)s đã được dùng trong khóa học.", slug=p.get("slug")),
        "variant_of_branching_question": lambda: _(
            "Chưa thêm biến thể: câu hỏi %(q)s của giai đoạn %(s)s có phương án dẫn tới giai đoạn khác, mà câu hỏi "
            "rẽ nhánh thì không có biến thể. Muốn có biến thể, hãy để mọi phương án theo giai đoạn kế tiếp mặc định.",
            q=p.get("question"), s=p.get("stage")),
    }
    return messages.get(error.code, lambda: error.code)()


def source_label(source: str) -> str:
    """Where a version came from."""
    return {"import": _("nhập từ tệp"), "browser": _("soạn trên trình duyệt")}.get(source, source)


def question_type_name(kind: str) -> str:
    """A short name of a question type, for the type menu of the structured case form."""
    return {"best_action": _("Chọn phương án tốt nhất"), "best_worst": _("Chọn tốt nhất và kém nhất"),
            "rank": _("Xếp hạng các phương án"), "rate": _("Đánh giá từng phương án"),
            "multi": _("Chọn mọi phương án phù hợp"), "written": _("Trình bày (giảng viên chấm)")}.get(kind, kind)


def live_cue_texts() -> dict[str, str]:
    """The warnings the case form's script shows while an author types, by cue: a best option far longer than the
    others ({best} and {other} are filled in by the script), a best option alone written as a list of steps, a
    rank question left unshuffled in the key's order (the last two are the validator's own words)."""
    return {"longest": _("Dấu hiệu lộ đáp án: phương án tốt nhất dài hơn hẳn các phương án khác ({best} ký tự, các "
                         "phương án khác nhiều nhất {other}). Hãy viết các phương án dài tương đương."),
            "steps": _("Dấu hiệu lộ đáp án: %(cue)s.", cue=_(STEP_LIST_CUE)),
            "rank": _("Dấu hiệu lộ đáp án: %(cue)s.", cue=_(RANK_ORDER_CUE))}
