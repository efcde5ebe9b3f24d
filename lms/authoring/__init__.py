"""Instructors author lessons and cases in the browser: editors, drafts, versions, downloads and uploads."""
