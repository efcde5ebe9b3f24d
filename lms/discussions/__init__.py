"""A case's debrief as a moderated cohort discussion, and how the class chose."""
