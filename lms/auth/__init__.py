"""Sign-in, sessions, passwords, accounts, and the authorization policy."""
