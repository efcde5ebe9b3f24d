"""Varied study progress for the demo cohort, played through the real services (development only)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.cases import services as attempts
from lms.cases.questions import ui_for
from lms.catalog.queries import list_modules_with_cases
from lms.domain.cases import Question
from lms.domain.presentation import shown
from lms.extensions import db
from lms.lessons.services import mark_studied
from lms.models import Attempt, LessonProgress, Module, User


def _pick(question: Question, seed: int | None, skill: float, rng: random.Random) -> MultiDict:
    """Form fields a learner of this skill (0-1) might send for one question (its type's example answer)."""
    return MultiDict(ui_for(question).example_form(shown(question, seed), rng.random() < skill, rng))


def play_case(user: User, case, skill: float, rng: random.Random, when: datetime) -> None:
    """Work through the case as a learner of this skill (0-1) would, stage by stage, and submit it."""
    attempt = attempts.start_attempt(user, case, when)
    definition = attempts.definition_of(attempt)
    for _ in range(len(definition.stages)):
        stage = definition.stage(attempt.current_stage_id)
        form = MultiDict()
        for question in stage.questions:
            form.update(_pick(question, attempt.option_seed, skill, rng))
        if attempts.answer_stage(attempt, attempts.read_answers(attempt, form), "submit", when) == {} \
                and not attempt.is_open:
            return


def _review_some(learners: list[User], instructor: User, rng: random.Random, now: datetime,
                 finishers: frozenset[str] = frozenset()) -> None:
    """The instructor grades most written answers, so modules get grades; a few stay in the review queue (never
    a finisher's)."""
    from lms.reviews.services import grade_written, written_questions

    waiting = db.session.scalars(select(Attempt).where(Attempt.user_id.in_([u.id for u in learners]),
                                                       Attempt.state == "awaiting_review")).all()
    for attempt in waiting:
        finisher = attempt.user.username in finishers
        if rng.random() < 0.2 and not finisher:
            continue
        skill = 1.0 if finisher else rng.random()
        scores = {q.id: {c.id: (max if rng.random() < 0.4 + 0.6 * skill else sorted(lv.points for lv in c.levels)[1])
                         for c in q.rubric for max in [c.max_points]} for q in written_questions(attempt)}
        grade_written(attempt, scores, {q: "Lập luận rõ, cần nêu thêm căn cứ." for q in scores}, attempt.review_version,
                      instructor, now)


def seed_progress(learners: list[User], now: datetime, seed: int = 2026, instructor: User | None = None,
                  finishers: frozenset[str] = frozenset()) -> int:
    """Give each demo learner a different amount of work done; learners who already studied are left alone.
    `finishers` study everything and answer well, so their chuyên đề are all passed."""
    modules: list[Module] = list_modules_with_cases()
    if not modules:
        return 0
    rng, played = random.Random(seed), 0
    for index, user in enumerate(learners):
        busy = db.session.scalar(select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == user.id))
        busy += db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id))
        if busy or index == 0:  # the `hocvien` account starts fresh so visitors can try everything
            continue
        share = 1.0 if user.username in finishers else (index % 10) / 9  # from nothing to the whole course
        skill = 1.0 if user.username in finishers else 0.35 + 0.6 * rng.random()
        for position, module in enumerate(modules[: round(share * len(modules))]):
            when = now - timedelta(days=60 - 3 * position, hours=rng.randint(0, 12))
            for lesson in module.lessons:
                mark_studied(user, lesson, when)
            for case in module.cases:
                if case.current is not None and (rng.random() < 0.9 or user.username in finishers):
                    play_case(user, case, skill, rng, when + timedelta(hours=1))
                    played += 1
    if instructor is not None and played:
        _review_some(learners, instructor, rng, now - timedelta(days=1), finishers)
    db.session.flush()
    return played
