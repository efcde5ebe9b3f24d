"""Domain events, sent by the services that cause them, so other features can react without being imported.

Every signal is sent with a plain sender (the name of the sending module) and keyword arguments only;
receivers run inside the sender's unit of work (same transaction, same app context).
"""
from blinker import Namespace

_signals = Namespace()

# user_id, cohort_id, now (and entry, the GradeEntry, when there is one): a ledger entry was added for the learner (computed, override, regrade).
grade_recorded = _signals.signal("grade-recorded")
# attempt (the row), now, grade (the GradeEntry the submission added to the ledger, or None): a learner submitted an
# attempt (graded at once, or waiting for review), or it was submitted for them when time ran out.
attempt_submitted = _signals.signal("attempt-submitted")
# attempt, actor, now: an instructor graded the written answers of an attempt.
answer_graded = _signals.signal("answer-graded")
# document, actor, now: a transcript or certificate was issued (first issue or reissue).
document_issued = _signals.signal("document-issued")
# document, actor, reason, now: a document was revoked.
document_revoked = _signals.signal("document-revoked")
# user, lesson, now: a learner marked a lesson as studied (the first time).
lesson_studied = _signals.signal("lesson-studied")
# attempt, now: a learner started a new attempt at a case (not a resumed one).
attempt_started = _signals.signal("attempt-started")
# attempt, stage_id, now: a learner committed a stage's answers by going on to the next stage (the final stage's
# answers are committed by the submission itself: attempt_submitted). Answers saved while typing are drafts.
stage_answered = _signals.signal("stage-answered")
# attempt, actor, now: an attempt was scored again with its case's corrected key (a regrade).
attempt_regraded = _signals.signal("attempt-regraded")
# submission, essay, actor, now: an instructor graded a learner's final essay.
essay_graded = _signals.signal("essay-graded")
