"""Learning records (xAPI 1.0.3): every learning event becomes a statement, written to an outbox table in the
unit of work of the event, exported as JSON lines and, when a learning record store is configured, sent to it
in batches by a background job (retried with backoff; a statement's stored id makes a resend harmless)."""
