"""Wiring documents into the app: the key ring, the printed settings, verify URLs, reissue on grade change."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_request_context, request

from lms.domain.transcript import DocumentSettings
from lms.signals import grade_recorded
from lms.transcripts.credential import KeyRing
from lms.transcripts.services import reissue_if_changed


def keyring() -> KeyRing:
    """The signing keys; in development and tests the first key is created on demand."""
    app = current_app._get_current_object()
    ring = app.extensions.get("lms_keyring")
    if ring is None:
        directory = Path(app.config["SIGNING_KEYS_DIR"])
        if not any(directory.glob("*.pem")):
            if not app.config["GENERATE_SIGNING_KEY"]:
                raise RuntimeError(f"no signing key in {directory}: run `flask transcripts rotate-key`")
            directory.mkdir(parents=True, exist_ok=True)
            KeyRing.generate(directory)
        ring = app.extensions["lms_keyring"] = KeyRing.load(directory)
    return ring


def reload_keyring() -> None:
    """Forget the cached keys (after a rotation)."""
    current_app.extensions.pop("lms_keyring", None)


def settings() -> DocumentSettings:
    """Institution, course, place and signatories printed on documents."""
    return DocumentSettings.from_mapping({**current_app.config["DOCUMENTS"],
                                          "bands": current_app.config["CLASSIFICATION_BANDS"]})


@dataclass(frozen=True)
class Signer:
    """What issuing needs from the app: the signing keys, the printed settings, the verify-URL maker."""

    keyring: KeyRing
    settings: DocumentSettings
    verify_url: Callable[[str], str]


def signer() -> Signer:
    """The app's signer, for services that issue documents."""
    return Signer(keyring(), settings(), verify_url)


def public_base_url() -> str:
    """Where the public verifies documents: PUBLIC_BASE_URL (required in production), else the address that
    served this request (a demo on a laptop or a LAN prints an address its visitors can open)."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"  # a command-line batch in development: `make run`'s address


def verify_url(code: str) -> str:
    """The public verification address of a document (printed and encoded in the QR code)."""
    return f"{public_base_url()}/verify/{code}"


def reissue_on_grade(sender, user_id: int, cohort_id: int | None, now, **_) -> None:
    """A learner's grade changed: reissue their valid documents whose content it changes (in the current app)."""
    reissue_if_changed(user_id, cohort_id, now, keyring(), settings(), verify_url)


def register(app: Flask) -> None:
    """Subscribe to grade changes; connecting the same function again (another app in one process) is a no-op."""
    grade_recorded.connect(reissue_on_grade)
