"""The main menu, by role; entries whose feature is not installed are left out."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.models import Role

MENU = [
    ("pages.home", _l("Trang chủ"), set(Role)),
    ("lessons.index", _l("Chuyên đề"), set(Role)),
    ("progress.dashboard", _l("Tiến độ của tôi"), {Role.LEARNER}),
    ("calendar.index", _l("Lịch học"), {Role.LEARNER}),
    ("transcripts.mine", _l("Bảng điểm"), {Role.LEARNER}),
    ("instructor.dashboard", _l("Giảng viên"), {Role.INSTRUCTOR, Role.ADMIN}),
    ("authoring.index", _l("Soạn nội dung"), {Role.INSTRUCTOR, Role.ADMIN}),
    ("grades.gradebook", _l("Sổ điểm"), {Role.INSTRUCTOR, Role.ADMIN}),
    ("reviews.queue", _l("Bài chờ chấm"), {Role.INSTRUCTOR, Role.ADMIN}),
    ("admin.dashboard", _l("Quản trị lớp"), {Role.ADMIN}),
    ("admin.users", _l("Tài khoản"), {Role.ADMIN}),
    ("jobs.index", _l("Công việc nền"), {Role.ADMIN}),
]


def nav_items() -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in user's menu."""
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles in MENU
            if current_user.role in roles and endpoint in current_app.view_functions]


def register(app) -> None:
    """Expose the menu to templates."""
    app.jinja_env.globals["nav_items"] = nav_items
