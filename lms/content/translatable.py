"""The no-op marker for problem templates, so Babel can extract them and the web layer translate them."""


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """Mark a message template for extraction without translating it now."""
    return message
