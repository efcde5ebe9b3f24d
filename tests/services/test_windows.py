"""A learner's window for a chuyên đề or the final essay: the cohort's item with the learner's own extension applied,
read in one query (schedule.services.window_for)."""
from __future__ import annotations

from datetime import timedelta

from lms.domain.schedule import Window
from lms.extensions import db
from lms.models import ESSAY, MODULE, Role
from lms.schedule.services import grant_extension, set_window, window_for


def test_the_item_the_learners_extension_and_nothing_of_anyone_elses(make_user, make_cohort, make_case, now):
    learner, other, instructor = make_user(Role.LEARNER), make_user(Role.LEARNER), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[instructor], learners=[learner, other])
    elsewhere = make_cohort(learners=[learner])
    first, second = make_case().module, make_case(slug="tinh-huong-hai").module
    opens, due, closes = now, now + timedelta(days=7), now + timedelta(days=9)
    assert window_for(learner.id, None, first.id) == Window()
    assert window_for(learner.id, cohort.id, first.id) == Window()  # nothing scheduled: always open
    set_window(cohort, MODULE, first.id, Window(opens, due, closes), instructor, now)
    set_window(cohort, ESSAY, None, Window(opens, due + timedelta(days=20), None), instructor, now)
    set_window(elsewhere, MODULE, first.id, Window(None, now + timedelta(days=1), None), instructor, now)
    grant_extension(cohort, other, MODULE, first.id, due + timedelta(days=5), None, "Ốm", instructor, now)
    grant_extension(cohort, learner, MODULE, second.id, due + timedelta(days=3), None, "Công tác", instructor, now)
    db.session.commit()
    assert window_for(learner.id, cohort.id, first.id) == Window(opens, due, closes)
    assert window_for(learner.id, cohort.id, second.id) == Window(None, due + timedelta(days=3), None)
    assert window_for(other.id, cohort.id, first.id) == Window(opens, due + timedelta(days=5), closes)
    assert window_for(learner.id, elsewhere.id, first.id) == Window(None, now + timedelta(days=1), None)
    assert window_for(learner.id, cohort.id, None, ESSAY) == Window(opens, due + timedelta(days=20), None)
    grant_extension(cohort, learner, ESSAY, None, due + timedelta(days=25), due + timedelta(days=30), "Lũ", instructor,
                    now)
    db.session.commit()
    assert window_for(learner.id, cohort.id, None, ESSAY) == Window(opens, due + timedelta(days=25),
                                                                     due + timedelta(days=30))
    assert window_for(other.id, cohort.id, None, ESSAY) == Window(opens, due + timedelta(days=20), None)
