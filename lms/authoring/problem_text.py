"""What went wrong, in the current language: content problems and where they are, refused publications."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.authoring.services import AuthoringError
from lms.content.schema import Problem


def problem_text(problem: Problem) -> str:
    """A validation problem's message translated (its template is the msgid), or its English text."""
    try:
        return _(problem.template).format(**problem.params)
    except (KeyError, IndexError, ValueError):
        return problem.message


def problem_location(problem: Problem, body_offset: int = 0) -> str:
    """Where the problem is: a place in the front matter (stages[0].questions[1]), a line of the file or body."""
    location = problem.location
    if location.startswith("line ") and location[5:].isdigit():
        if body_offset:
            return _("dòng %(n)s của nội dung", n=int(location[5:]) - body_offset)
        return _("dòng %(n)s", n=location[5:])
    return {"front matter": _("phần đầu (front matter)"), "file name": _("tên tệp"),
            "": _("tệp")}.get(location, location)


def refusal_text(error: AuthoringError) -> str:
    """Why a publication that validated was still refused."""
    p = error.params
    messages = {
        "lesson_slug_taken": lambda: _("Mã bài %(slug)s đã có trong chuyên đề này.", slug=p.get("slug")),
        "lesson_number_taken": lambda: _("Số thứ tự %(number)s đã được bài khác dùng.", number=p.get("number")),
        "case_slug_taken": lambda: _("Mã tình huống %(slug)s đã được dùng trong khóa học.", slug=p.get("slug")),
    }
    return messages.get(error.code, lambda: error.code)()
