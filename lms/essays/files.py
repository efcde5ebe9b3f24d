"""An essay's attached file: a PDF or DOCX recognised by its content (not its name), size-limited, stored
under the configured upload folder (outside the web root) with a random name."""
from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from lms.domain.errors import DomainError

MAX_BYTES = 4 * 1024 * 1024  # under the request limit (MAX_CONTENT_LENGTH, 5 MB) with room for the text


class EssayFileError(DomainError, ValueError):
    """The attached file cannot be accepted; `code` says why."""


def file_kind(data: bytes) -> str:
    """'pdf' or 'docx' by the file's content; raises EssayFileError otherwise or when it is too large."""
    if len(data) > MAX_BYTES:
        raise EssayFileError("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            names = set()
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return "docx"
    raise EssayFileError("wrong_type")


def store(data: bytes, kind: str, folder: Path) -> str:
    """Save the file under a random name in the folder; returns that name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind}"
    (folder / name).write_bytes(data)
    return name
