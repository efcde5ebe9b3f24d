"""Issued documents as signed W3C Verifiable Credentials (Open Badges 3.0 `OpenBadgeCredential`).

Signed with a W3C Data Integrity proof (`eddsa-jcs-2022`, see lms.transcripts.proofs) by the current key of
the app's key ring; every key stays for verifying the documents it signed.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from lms.domain.scoring import DEFAULT_BANDS, Band
from lms.domain.transcript import (
    DocumentKind,
    DocumentSettings,
    IssuedDocument,
    ModuleLine,
    build_transcript,
)
from lms.transcripts.proofs import (
    VerifyResult,
    add_proof,
    b64url,
    b64url_decode,
    did_key,
    iso_utc,
    verify_credential,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CURRENT_FILE = "current"
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
DOCUMENT_NAMES = {
    DocumentKind.TRANSCRIPT: "Bảng điểm kết quả học tập",
    DocumentKind.CERTIFICATE: "Giấy chứng nhận hoàn thành khoá học",
}
ACHIEVEMENT_TYPES = {DocumentKind.TRANSCRIPT: "Course", DocumentKind.CERTIFICATE: "CertificateOfCompletion"}


# --- canonical form ------------------------------------------------------------


def _tenths(value: float) -> str:
    """A number as a string with one decimal, "8.5"."""
    return f"{value:.1f}"


# --- the credential --------------------------------------------------------------


def _module_results(transcript, achievement_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The result description and the result of each module line, then of the average."""
    descriptions, results = [], []
    for line in transcript.lines:
        description_id = f"{achievement_id}#module-{line.number:02d}"
        descriptions.append({
            "id": description_id, "type": ["ResultDescription"], "name": line.title,
            "resultType": "ScaledScore", "valueMin": "0.0", "valueMax": "10.0",
            "moduleNumber": line.number, "studyHours": _tenths(line.hours),
        })
        result: dict[str, Any] = {
            "type": ["Result"], "resultDescription": description_id,
            "status": "Completed" if line.passed else "InProgress",
        }
        if line.grade is not None:
            result |= {"value": _tenths(line.grade), "classification": line.classification}
        if line.completed_on is not None:
            result["completedOn"] = line.completed_on.isoformat()
        results.append(result)
    if transcript.essay is not None:
        essay_id = f"{achievement_id}#essay"
        descriptions.append({"id": essay_id, "type": ["ResultDescription"], "name": "Bài thu hoạch cuối khóa",
                             "resultType": "ScaledScore", "valueMin": "0.0", "valueMax": "10.0",
                             "weight": _tenths(transcript.essay_weight * 10)})  # in tenths of the average
        result = {"type": ["Result"], "resultDescription": essay_id, "value": _tenths(transcript.essay)}
        if transcript.essay_on is not None:
            result["completedOn"] = transcript.essay_on.isoformat()
        results.append(result)
    average_id = f"{achievement_id}#average"
    descriptions.append({"id": average_id, "type": ["ResultDescription"], "name": "Điểm trung bình chung",
                         "resultType": "ScaledScore", "valueMin": "0.0", "valueMax": "10.0"})
    if transcript.average is not None:
        results.append({"type": ["Result"], "resultDescription": average_id,
                        "value": _tenths(transcript.average), "classification": transcript.classification})
    return descriptions, results


def build_credential(document: IssuedDocument, settings: DocumentSettings) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential stating the document; its id is the public verify URL."""
    transcript = document.transcript
    achievement_id = f"{settings.institution_url.rstrip('/')}/achievements/{document.kind}"
    descriptions, results = _module_results(transcript, achievement_id)
    count = len(transcript.lines)
    criteria = f"Đạt tất cả {count} chuyên đề của chương trình."
    requirement: dict[str, Any] = {}
    if transcript.essay_required:  # stated only when required, so documents signed before the rule read the same
        criteria = (f"Đạt tất cả {count} chuyên đề của chương trình và bài thu hoạch cuối khóa từ "
                    f"{_tenths(transcript.essay_pass_mark).replace('.', ',')} điểm trở lên.")
        requirement = {"essayRequired": True, "essayPassMark": _tenths(transcript.essay_pass_mark)}
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": document.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": DOCUMENT_NAMES[document.kind],
        "documentCode": document.code,
        "documentKind": str(document.kind),
        "issuer": {"id": settings.institution_url, "type": ["Profile"], "name": settings.institution_name},
        "validFrom": iso_utc(document.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": transcript.holder_name},
                {"type": "IdentityObject", "identityType": "userName", "hashed": False,
                 "identityHash": transcript.holder_username},
            ],
            "commune": transcript.commune,
            "cohort": transcript.cohort_name,
            "studyHours": _tenths(transcript.total_hours),
            "completed": transcript.completed,
            **requirement,
            "achievement": {
                "id": achievement_id, "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPES[document.kind],
                "name": settings.course_title,
                "description": settings.course_description or f"Chương trình gồm {count} chuyên đề.",
                "criteria": {"narrative": criteria},
                "inLanguage": "vi",
                "resultDescription": descriptions,
            },
            "result": results,
        },
    }


def _identity(subject: Mapping[str, Any], identity_type: str) -> str:
    """The plain identity of the given type in credentialSubject.identifier."""
    return next(i["identityHash"] for i in subject["identifier"] if i["identityType"] == identity_type)


def _essay_of(subject: Mapping[str, Any], results: Mapping[str, Any]) -> dict[str, Any]:
    """The final essay's score, weight, graded day and requirement stated in a credential, as build_transcript's
    keyword arguments (no score, not required, when it states none)."""
    essay: dict[str, Any] = {"essay_required": subject.get("essayRequired") is True,
                             "essay_pass_mark": float(subject.get("essayPassMark", "5.0"))}
    for description in subject["achievement"]["resultDescription"]:
        result = results.get(description["id"], {})
        if description["id"].endswith("#essay") and "value" in result:
            essay |= {"essay": float(result["value"]), "essay_weight": float(description["weight"]) / 10,
                      "essay_on": date.fromisoformat(result["completedOn"]) if "completedOn" in result else None}
    return essay


def document_from_credential(credential: Mapping[str, Any], bands: tuple[Band, ...] = DEFAULT_BANDS) -> IssuedDocument:
    """The document a credential states (for re-rendering its PDF); ValueError when malformed."""
    try:
        subject = credential["credentialSubject"]
        results = {r["resultDescription"]: r for r in subject["result"]}
        lines = []
        for description in subject["achievement"]["resultDescription"]:
            if "moduleNumber" not in description:
                continue
            result = results.get(description["id"], {})
            lines.append(ModuleLine(
                number=int(description["moduleNumber"]), title=description["name"],
                hours=float(description["studyHours"]),
                grade=float(result["value"]) if "value" in result else None,
                passed=result.get("status") == "Completed",
                completed_on=date.fromisoformat(result["completedOn"]) if "completedOn" in result else None,
                bands=bands,
            ))
        transcript = build_transcript(_identity(subject, "name"), _identity(subject, "userName"),
                                      subject["commune"], subject["cohort"], lines, bands, **_essay_of(subject, results))
        issued_at = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
        return IssuedDocument(credential["documentCode"], DocumentKind(credential["documentKind"]),
                              credential["id"], issued_at, transcript)
    except (KeyError, TypeError, StopIteration, AttributeError) as error:
        raise ValueError(f"malformed credential: {error!r}") from error


# --- signing and verifying ---------------------------------------------------------


# --- keys --------------------------------------------------------------------------


def _jwk(key_id: str, public_key: Ed25519PublicKey) -> dict[str, str]:
    """The public JWK of an Ed25519 key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": key_id, "use": "sig", "alg": "EdDSA"}


def public_keys_from_jwks(jwks: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys of a JWK set by kid (for verifying offline with a downloaded key set)."""
    keys = {}
    for jwk in jwks.get("keys", ()):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and isinstance(jwk.get("kid"), str):
            keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    return keys


def _load_pem(data: bytes) -> Ed25519PrivateKey | Ed25519PublicKey:
    """An Ed25519 private key, or a public key for a retired signer, from PEM."""
    try:
        key: Any = serialization.load_pem_private_key(data, password=None)
    except ValueError:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, (Ed25519PrivateKey, Ed25519PublicKey)):
        raise ValueError("not an Ed25519 key")
    return key


def _write_new(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a file that must not exist yet, readable by the owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


class KeyRing:
    """Signing keys in a directory: `<key_id>.pem` each, the current one named in `current` (else the last id).

    Every key stays for verification; a retired key may be reduced to its public PEM.
    """

    def __init__(self, keys: Mapping[str, Ed25519PrivateKey | Ed25519PublicKey], current_key_id: str | None):
        """A ring of keys by id; current_key_id must name a private key (or be None: verify only)."""
        if current_key_id is not None and not isinstance(keys.get(current_key_id), Ed25519PrivateKey):
            raise ValueError(f"current key {current_key_id!r} has no private key in the ring")
        self._keys = dict(keys)
        self.current_key_id = current_key_id

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> KeyRing:
        """The ring stored in the directory (empty when it does not exist)."""
        folder = Path(directory)
        keys = {}
        for path in sorted(folder.glob("*.pem")):
            if KEY_ID_PATTERN.fullmatch(path.stem):
                keys[path.stem] = _load_pem(path.read_bytes())
        pointer = folder / CURRENT_FILE
        if pointer.exists():
            current: str | None = pointer.read_text(encoding="ascii").strip()
        else:
            current = max((kid for kid, key in keys.items() if isinstance(key, Ed25519PrivateKey)), default=None)
        return cls(keys, current)

    @classmethod
    def generate(cls, directory: str | os.PathLike[str], *, now: datetime | None = None) -> KeyRing:
        """Rotate: create a new key in the directory, make it current, and return the reloaded ring."""
        folder = Path(directory)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_id = f"{(now or datetime.now(UTC)).astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_new(folder / f"{key_id}.pem", pem)
        staging = folder / f".{CURRENT_FILE}.{key_id}"
        _write_new(staging, f"{key_id}\n".encode("ascii"), 0o644)
        os.replace(staging, folder / CURRENT_FILE)
        return cls.load(folder)

    @property
    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Every key's public half, by key id."""
        return {kid: key.public_key() if isinstance(key, Ed25519PrivateKey) else key
                for kid, key in self._keys.items()}

    def sign(self, credential: Mapping[str, Any], *, created: datetime | None = None) -> dict[str, Any]:
        """The credential signed with the current key; LookupError when the ring has none."""
        if self.current_key_id is None:
            raise LookupError("no signing key: generate one first (KeyRing.generate)")
        key = self._keys[self.current_key_id]
        assert isinstance(key, Ed25519PrivateKey)
        return add_proof(credential, key, did_key(key.public_key()), created or datetime.now(UTC))

    def verify(self, signed: Any) -> VerifyResult:
        """Verify a signed credential against every key of the ring."""
        return verify_credential(signed, self.public_keys)

    def public_jwks(self) -> dict[str, Any]:
        """The JWK set of every public key (kty OKP, crv Ed25519), for the well-known URL."""
        return {"keys": [_jwk(kid, key) for kid, key in sorted(self.public_keys.items())]}
