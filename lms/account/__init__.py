"""One's own account: contact details (a new e-mail address takes effect once confirmed from that mailbox)."""
