"""Question types: one module per type, each registering its grader; importing this package registers them all."""
from lms.domain.questions import best_action, best_worst, multi, rank, rate, written  # noqa: F401  (each registers its grader)
