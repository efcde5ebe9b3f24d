"""Demo data for `make run`: accounts, a cohort of about 30 learners. Never used in production."""
from __future__ import annotations

import logging
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from lms.admin import services
from lms.auth import accounts
from lms.auth.passwords import hash_password
from lms.cohorts import services as cohort_services
from lms.demo_progress import seed_progress
from lms.domain.feedback import ITEM_KEYS, Answers
from lms.domain.progress import ModuleStatus
from lms.domain.roster import RosterRow
from lms.domain.schedule import Template
from lms.extensions import db
from lms.feedback.services import FeedbackError, submit_feedback
from lms.grades.standing import progress_for
from lms.models import Cohort, Module, Role, User
from lms.schedule.services import apply_template, cohort_items

log = logging.getLogger(__name__)

FINISHERS = frozenset({"hv09", "hv19", "hv29"})  # study everything and pass: their certificates can be issued
ESSAY_TEXT = ("Tình huống: một nhóm hộ dân tập trung trước trụ sở UBND phường phản đối phương án bồi thường. "
              "Đảng ủy chỉ đạo nắm tình hình, tổ chức đối thoại, rà soát hồ sơ đúng thẩm quyền và báo cáo Thành phố.")

DEMO_PASSWORD = "demo1234"
DEMO_COHORT = "Lớp bồi dưỡng Bí thư Đảng ủy xã, phường — khóa 2026 (dữ liệu mẫu)"
DEMO_ACCOUNTS = [
    ("admin", "Nguyễn Thị Quản Trị", Role.ADMIN, None),
    ("giangvien", "Trần Văn Giảng", Role.INSTRUCTOR, None),
    ("hocvien", "Lê Văn Học", Role.LEARNER, "Phường Ba Đình"),
]
COMMUNES = ["Phường Ba Đình", "Phường Hoàn Kiếm", "Phường Cầu Giấy", "Phường Tây Hồ", "Phường Sơn Tây",
            "Xã Sóc Sơn", "Xã Đông Anh", "Xã Gia Lâm", "Xã Thạch Thất", "Xã Quốc Oai", "Xã Chương Mỹ", "Xã Mỹ Đức"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Oanh", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến", "Hải", "Hiền", "Khánh", "Linh", "Nga",
         "Thắng", "Thủy", "Việt"]


def demo_learner_rows() -> list[RosterRow]:
    """The 29 generated demo learners (plus `hocvien`), deterministic."""
    rows = []
    for i, given in enumerate(GIVEN):
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[i % len(MIDDLE)]} {given}"
        rows.append(RosterRow(i + 2, name, f"hv{i + 1:02d}", COMMUNES[i % len(COMMUNES)]))
    return rows


def _finish_essays(cohort: Cohort, finishers: list[User], instructor: User, now: datetime) -> None:
    """The finishers' final essays, submitted and graded, so their certificates can be issued in the demo."""
    from flask import current_app

    from lms.catalog.essay import current_essay
    from lms.essays.services import grade_essay, modules_not_passed, submission_of, submit_essay

    essay = current_essay()
    if essay is None:
        return
    scores = {c["id"]: max(level["points"] for level in c["levels"]) for c in essay.rubric}
    for user in finishers:
        if submission_of(user, cohort) is not None or modules_not_passed(user, cohort):
            continue
        submission = submit_essay(user, cohort, essay, ESSAY_TEXT, None, now,
                                  Path(current_app.config["ESSAY_UPLOAD_DIR"]))
        grade_essay(submission, essay, scores, "Phân tích đầy đủ sáu bước, căn cứ đúng.", submission.review_version or 0,
                    instructor, now)


DISCUSSED_CASE = "nha-xay-vuot-tang-phep"  # the demo's debrief under way


def _seed_discussion(cohort: Cohort, instructor: User, now: datetime) -> None:
    """A debrief under way on one case: two threads, a reply and the instructor's note (by learners who submitted
    it, so none of them sees what the rules would hide)."""
    from lms.discussions.services import discussion_for, find_discussion, reply, set_note, start_thread
    from lms.models import FINISHED_STATES, Attempt, Case

    case = db.session.scalar(select(Case).filter_by(slug=DISCUSSED_CASE))
    if case is None or case.current is None or find_discussion(case, cohort.id) is not None:
        return
    authors = list(db.session.scalars(select(User).join(Attempt, Attempt.user_id == User.id).where(
        Attempt.case_id == case.id, Attempt.cohort_id == cohort.id, Attempt.state.in_(FINISHED_STATES))
        .distinct().order_by(User.username).limit(3)))
    if len(authors) < 3:
        return
    discussion = discussion_for(case, cohort.id, now)
    url = f"/cohorts/{cohort.id}/cases/{case.slug}/discussion"
    first = start_thread(discussion, authors[0], "Vì sao tôi cho dừng thi công ngay trong ngày",
                         "Sàn tầng 6 đổ xong thì việc xử lý khó gấp bội. Tôi đề nghị **Chủ tịch UBND phường** chỉ đạo "
                         "lập biên bản vi phạm và yêu cầu dừng thi công ngay, còn đồng chí đảng ủy viên thì không tham gia "
                         "chỉ đạo vụ việc của người thân.", True, now)
    reply(first, authors[1], "> Sàn tầng 6 đổ xong thì việc xử lý khó gấp bội.\n\nĐồng ý. Tôi thêm: phải rà luôn "
          "ba nhà cùng ngõ mà chủ nhà nêu, kẻo dân nói chỉ xử lý người này.", True, now, url)
    start_thread(discussion, authors[2], "Cán bộ đã kiểm tra mà không lập biên bản thì xử lý thế nào?",
                 "Tôi chưa rõ trách nhiệm của cán bộ phụ trách trật tự xây dựng ở đây. Các đồng chí xem xét "
                 "theo quy định nào?", False, now)
    set_note(discussion, instructor, "**Ghi chú của giảng viên.** Việc xử lý vi phạm trật tự xây dựng thuộc thẩm "
             "quyền của UBND và Chủ tịch UBND phường; Đảng ủy lãnh đạo, kiểm tra, không làm thay. Người có quan hệ "
             "thân thích không tham gia chỉ đạo vụ việc; trách nhiệm của cán bộ không lập biên bản phải được làm "
             "rõ.", now, url)


DEMO_SUGGESTIONS = (
    "Đề nghị bổ sung tình huống về sáp nhập thôn, tổ dân phố sau sắp xếp.",
    "Nên có mẫu kế hoạch, báo cáo kèm theo để áp dụng ngay ở xã.",
    "Thời gian làm bài tình huống hơi gấp so với lịch công tác ở cơ sở.",
    "Nhận xét của giảng viên rất cụ thể; mong được phản hồi sớm hơn.",
)


def _seed_feedback(cohort: Cohort, learners: list[User], now: datetime) -> None:
    """Anonymous feedback from most learners on the chuyên đề they passed, through the real service (so the
    cohort's report has figures to show); a learner who already answered is left as they are."""
    rng = random.Random(579)
    modules = list(db.session.scalars(select(Module).order_by(Module.number)))
    standing = progress_for([user.id for user in learners], cohort.id, modules)
    for user in learners:
        for module, row in zip(modules, standing.get(user.id, []), strict=False):
            if row.status != ModuleStatus.PASSED or rng.random() < 0.3:
                continue
            scores = {key: None if rng.random() < 0.05 else rng.choices((2, 3, 4, 5), (1, 3, 6, 4))[0]
                      for key in ITEM_KEYS}
            suggestion = rng.choice(DEMO_SUGGESTIONS) if rng.random() < 0.25 else None
            try:
                submit_feedback(user, cohort, module, Answers(scores, suggestion), now)
            except FeedbackError:
                continue


def seed_demo(now: datetime, with_progress: bool = True) -> dict[str, int]:
    """Create the demo accounts and cohort if missing; running it again creates nothing twice."""
    created = 0
    users = {}
    for username, name, role, commune in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).filter_by(username=username))
        if user is None:
            user = accounts.create_user(username, name, role, DEMO_PASSWORD, now, commune=commune)
            created += 1
        users[username] = user
    cohort = db.session.scalar(select(Cohort).filter_by(name=DEMO_COHORT))
    if cohort is None:
        cohort = cohort_services.create_cohort(DEMO_COHORT, date(2026, 9, 7), date(2026, 12, 25), None, now)
    cohort_services.assign_instructor(cohort, users["giangvien"], None, now)
    for module in db.session.scalars(select(Module)):
        services.assign_module_author(module, users["giangvien"], None, now)
    rows = [RosterRow(1, users["hocvien"].full_name, "hocvien", "Phường Ba Đình"), *demo_learner_rows()]
    # enrolled three weeks ago, with the schedule, so that the demo's past progress comes after the enrolment
    result = cohort_services.import_roster(cohort, rows, None, now - timedelta(days=21))
    for user, _password in result.created:
        # Demo learners share the demo password so anyone can try them.
        user.password_hash = hash_password(DEMO_PASSWORD)
        user.must_change_password = False
    db.session.flush()
    learners = [users["hocvien"], *db.session.scalars(select(User).where(
        User.username.in_([row.identifier for row in rows[1:]])).order_by(User.username))]
    played = seed_progress(learners, now, instructor=users["giangvien"], finishers=FINISHERS) if with_progress else 0
    if not cohort_items(cohort.id):  # every chuyên đề open; the first ones past due, several due this week
        apply_template(cohort, now.date() - timedelta(days=20), Template(spacing_days=1, due_days=14, grace_days=60),
                       None, now)
    if with_progress:
        _finish_essays(cohort, [u for u in learners if u.username in FINISHERS], users["giangvien"], now)
        _seed_discussion(cohort, users["giangvien"], now)
        _seed_feedback(cohort, learners, now)
    if users["hocvien"].email is None:
        users["hocvien"].email = "hocvien@demo.invalid"  # its e-mail lands in the local sink of `make run`
    log.info("demo: %d accounts, %d enrolments, %d attempts created", created + len(result.created), result.enrolled,
             played)
    return {"accounts": created + len(result.created), "enrolled": result.enrolled, "cohort_id": cohort.id,
            "attempts": played}
