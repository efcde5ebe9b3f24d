"""Cohorts: enrolment, rosters, the instructors who teach them, and which cohort a learner studies in."""
