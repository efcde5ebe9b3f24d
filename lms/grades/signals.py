"""Signals the grade ledger sends, so other features (documents) can react without the ledger knowing them."""
from blinker import Namespace

_signals = Namespace()

# Sent with sender=the app, user_id, cohort_id, now after a ledger entry is added.
grade_recorded = _signals.signal("grade-recorded")
