"""A person's notifications, their e-mail preferences, unsubscribing without signing in, and class announcements."""
