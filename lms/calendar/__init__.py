"""A learner's calendar: the cohort's schedule by week, and a private iCalendar feed for phone calendars."""
