"""Telling people what happened: notifications in the app, e-mail by each person's preference (at once, in a
daily digest, or not at all), deadline reminders, and the wording of each kind in Vietnamese and English."""
