"""Varied study progress for the demo cohort, played through the real services (development only)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.cases import services as attempts
from lms.catalog.queries import list_modules_with_cases
from lms.domain.cases import Question, QuestionType
from lms.extensions import db
from lms.lessons.services import mark_studied
from lms.models import Attempt, LessonProgress, Module, User

WRITTEN_ANSWER = ("Trước hết tôi báo cáo Thường trực Đảng ủy, chỉ đạo UBND xã nắm chắc tình hình, "
                  "tổ chức đối thoại với người dân, xử lý đúng thẩm quyền và báo cáo cấp trên đúng thời hạn.")


def _pick(question: Question, skill: float, rng: random.Random) -> MultiDict:
    """Form fields a learner of this skill (0-1) might send for one question."""
    name = f"q-{question.id}"
    by_value = sorted(question.options, key=lambda o: -o.effectiveness)
    good = rng.random() < skill
    if question.type in (QuestionType.BEST_ACTION, QuestionType.WRITTEN):
        fields = [(name, (by_value[0] if good else rng.choice(question.options)).id)] if question.options else []
        if question.type == QuestionType.WRITTEN:
            fields.append((f"{name}-text", WRITTEN_ANSWER))
        return MultiDict(fields)
    if question.type == QuestionType.BEST_WORST:
        worst = by_value[-1] if good else rng.choice(by_value[1:])
        return MultiDict({f"{name}-best": (by_value[0] if good else rng.choice(by_value[:-1])).id,
                          f"{name}-worst": worst.id})
    if question.type == QuestionType.RANK:
        order = by_value[:] if good else rng.sample(by_value, len(by_value))
        return MultiDict({f"{name}-rank-{o.id}": str(i) for i, o in enumerate(order, start=1)})
    if question.type == QuestionType.RATE:
        return MultiDict({f"{name}-rate-{o.id}": str(min(4, max(1, o.effectiveness + (0 if good else rng.choice((-1, 1))))))
                          for o in question.options})
    right = [o.id for o in question.options if o.effectiveness >= 3]
    chosen = right if good else right[:1] + [rng.choice(question.options).id]
    return MultiDict([(name, oid) for oid in dict.fromkeys(chosen)])


def _play_case(user: User, case, skill: float, rng: random.Random, when: datetime) -> None:
    attempt = attempts.start_attempt(user, case, when)
    definition = attempts.definition_of(attempt)
    for _ in range(len(definition.stages)):
        stage = definition.stage(attempt.current_stage_id)
        form = MultiDict()
        for question in stage.questions:
            form.update(_pick(question, skill, rng))
        attempts.save_answers(attempt, form, when)
        if attempts.submit_attempt(attempt, when) == {} and not attempt.is_open:
            return


def _review_some(learners: list[User], instructor: User, rng: random.Random, now: datetime) -> None:
    """The instructor grades most written answers, so modules get grades; a few stay in the review queue."""
    from lms.reviews.services import grade_written, written_questions

    waiting = db.session.scalars(select(Attempt).where(Attempt.user_id.in_([u.id for u in learners]),
                                                       Attempt.state == "awaiting_review")).all()
    for attempt in waiting:
        if rng.random() < 0.2:
            continue
        skill = rng.random()
        scores = {q.id: {c.id: (max if rng.random() < 0.4 + 0.6 * skill else sorted(lv.points for lv in c.levels)[1])
                         for c in q.rubric for max in [c.max_points]} for q in written_questions(attempt)}
        grade_written(attempt, scores, {q: "Lập luận rõ, cần nêu thêm căn cứ." for q in scores}, attempt.review_version,
                      instructor, now)


def seed_progress(learners: list[User], now: datetime, seed: int = 2026, instructor: User | None = None) -> int:
    """Give each demo learner a different amount of work done; learners who already studied are left alone."""
    modules: list[Module] = list_modules_with_cases()
    if not modules:
        return 0
    rng, played = random.Random(seed), 0
    for index, user in enumerate(learners):
        busy = db.session.scalar(select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == user.id))
        busy += db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id))
        if busy or index == 0:  # the `hocvien` account starts fresh so visitors can try everything
            continue
        share = (index % 10) / 9  # from nothing to the whole course
        skill = 0.35 + 0.6 * rng.random()
        for position, module in enumerate(modules[: round(share * len(modules))]):
            when = now - timedelta(days=60 - 3 * position, hours=rng.randint(0, 12))
            for lesson in module.lessons:
                mark_studied(user, lesson, when)
            for case in module.cases:
                if case.current is not None and rng.random() < 0.9:
                    _play_case(user, case, skill, rng, when + timedelta(hours=1))
                    played += 1
    if instructor is not None and played:
        _review_some(learners, instructor, rng, now - timedelta(days=1))
    db.session.flush()
    return played
