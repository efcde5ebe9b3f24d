"""Offline reading: the service worker that keeps the lessons a learner opened, and the page shown offline."""
