"""Signing and verifying credentials: W3C Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite.

A generic Verifiable Credentials verifier can check these proofs (W3C Recommendation "Data Integrity EdDSA
Cryptosuites v1.0"): the Ed25519 signature covers SHA-256(JCS(proof options)) followed by SHA-256(JCS(document
without its proof)); `proofValue` is base58btc multibase; `verificationMethod` is the key as a `did:key`
(resolved without a network), and this app accepts it only when the key is one of its own.

Documents issued before keep verifying: proof type `LmsEd25519Signature2026`, Ed25519 over the canonical
document with its proof minus `proofValue` (base64url).

Canonical form: UTF-8 JSON with every string (keys too) NFC-normalised, keys sorted, no whitespace between
tokens, non-ASCII characters written as themselves. Floats are refused: grades and hours are strings with
exactly one decimal ("8.5"), so a verifier never re-parses a number; for such documents the bytes coincide
with RFC 8785 (JCS).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

LEGACY_PROOF_TYPE = "LmsEd25519Signature2026"  # documents issued before the Data Integrity proof
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIV_PREFIX = b"\x80\x26"  # multicodec ed25519-priv


def _canonical(value: Any) -> Any:
    """The value with NFC strings and plain containers; refuses floats and unknown types."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON keys must be strings, not {key!r}")
            name = unicodedata.normalize("NFC", key)
            if name in out:
                raise ValueError(f"key {name!r} repeats after NFC normalisation")
            out[name] = _canonical(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical JSON form (write numbers as strings)")


def canonical_json(obj: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of obj (see the module docstring)."""
    return json.dumps(
        _canonical(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def iso_utc(moment: datetime) -> str:
    """An aware datetime as "2026-11-26T08:00:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64url(raw: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Bytes of unpadded (or padded) base64url text; ValueError when it is not."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


def _legacy_signing_input(credential: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """What a LmsEd25519Signature2026 signature covers: the credential with its proof minus proofValue."""
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    return canonical_json({**unsigned, "proof": dict(proof_options)})


def _jcs_sha256(value: Any) -> bytes:
    return hashlib.sha256(rfc8785.dumps(_canonical(value))).digest()


def _hash_data(unsecured: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """eddsa-jcs-2022: SHA-256 of the canonical proof options, then SHA-256 of the canonical document."""
    return _jcs_sha256(dict(proof_options)) + _jcs_sha256(dict(unsecured))


def multikey(public_key: Ed25519PublicKey) -> str:
    """The key in Multikey form (publicKeyMultibase): "z6Mk..."."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode("ascii")


def did_key(public_key: Ed25519PublicKey) -> str:
    """The verification method naming this key: did:key:<multikey>#<multikey>."""
    key = multikey(public_key)
    return f"did:key:{key}#{key}"


def _multibase_bytes(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("not base58btc multibase")
    return base58.b58decode(text[1:])


def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    """The Ed25519 key of a publicKeyMultibase value; ValueError when it is not one."""
    raw = _multibase_bytes(text)
    if len(raw) != 34 or raw[:2] != ED25519_PUB_PREFIX:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    """The Ed25519 key of a secretKeyMultibase value (the specification's test key pair, for instance)."""
    raw = _multibase_bytes(text)
    if len(raw) != 34 or raw[:2] != ED25519_PRIV_PREFIX:
        raise ValueError("not an Ed25519 secret multikey")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def add_proof(unsecured: Mapping[str, Any], private_key: Ed25519PrivateKey, verification_method: str,
              created: datetime) -> dict[str, Any]:
    """The document with an eddsa-jcs-2022 DataIntegrityProof (the specification's "Create Proof")."""
    document = {key: value for key, value in unsecured.items() if key != "proof"}
    options: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": iso_utc(created),
                               "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    if "@context" in document:
        options["@context"] = document["@context"]
    signature = private_key.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}}


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a verification: reason is "ok", "malformed", "unknown_key" or "bad_signature"."""

    ok: bool
    reason: str
    key_id: str | None = None


def _check(public_key: Ed25519PublicKey, signature: bytes, message: bytes, key_id: str) -> VerifyResult:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return VerifyResult(False, "bad_signature", key_id)
    return VerifyResult(True, "ok", key_id)


def _verify_data_integrity(signed: Mapping[str, Any], proof: Mapping[str, Any],
                           public_keys: Mapping[str, Ed25519PublicKey]) -> VerifyResult:
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    if proof.get("cryptosuite") != CRYPTOSUITE or not isinstance(method, str) or not isinstance(value, str):
        return VerifyResult(False, "malformed")
    try:
        signature = _multibase_bytes(value)
        claimed = public_key_from_multikey(method.rsplit("#", 1)[-1])
        options = {key: item for key, item in proof.items() if key != "proofValue"}
        document = {key: item for key, item in signed.items() if key != "proof"}
        if "@context" in options and options["@context"] != document.get("@context"):
            return VerifyResult(False, "malformed")
        message = _hash_data(document, options)
    except (TypeError, ValueError):
        return VerifyResult(False, "malformed")
    if len(signature) != 64:
        return VerifyResult(False, "malformed")
    wanted = multikey(claimed)
    key_id = next((kid for kid, key in public_keys.items() if multikey(key) == wanted), None)
    if key_id is None:
        return VerifyResult(False, "unknown_key")  # a valid signature by a stranger's key proves nothing
    return _check(public_keys[key_id], signature, message, key_id)


def _verify_legacy(signed: Mapping[str, Any], proof: Mapping[str, Any],
                   public_keys: Mapping[str, Ed25519PublicKey]) -> VerifyResult:
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str):
        return VerifyResult(False, "malformed")
    key_id = method.rsplit("#", 1)[-1]  # a bare key id, or a URL ending in #key_id
    try:
        signature = b64url_decode(value)
        options = {key: item for key, item in proof.items() if key != "proofValue"}
        message = _legacy_signing_input(signed, options)
    except (TypeError, ValueError):
        return VerifyResult(False, "malformed", key_id)
    if len(signature) != 64:
        return VerifyResult(False, "malformed", key_id)
    public_key = public_keys.get(key_id)
    if public_key is None:
        return VerifyResult(False, "unknown_key", key_id)
    return _check(public_key, signature, message, key_id)


def verify_credential(signed: Any, public_keys: Mapping[str, Ed25519PublicKey]) -> VerifyResult:
    """Check a signed credential against the public keys by key id; never raises on bad input."""
    proof = signed.get("proof") if isinstance(signed, Mapping) else None
    if not isinstance(proof, Mapping):
        return VerifyResult(False, "malformed")
    if proof.get("type") == PROOF_TYPE:
        return _verify_data_integrity(signed, proof, public_keys)
    if proof.get("type") == LEGACY_PROOF_TYPE:
        return _verify_legacy(signed, proof, public_keys)
    return VerifyResult(False, "malformed")
