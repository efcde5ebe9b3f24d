"""Signed credentials: canonical JSON, the Open Badges shape, sign/verify, tampering, key rotation, JWKS."""
from __future__ import annotations

import copy
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from lms.domain.transcript import DocumentKind
from lms.transcripts.credential import KeyRing, build_credential, document_from_credential, public_keys_from_jwks
from lms.transcripts.proofs import (
    PROOF_TYPE,
    add_proof,
    canonical_json,
    did_key,
    private_key_from_multibase,
    public_key_from_multikey,
    verify_credential,
)

from .conftest import HOLDER, HOT_SPOT_TITLE, nfd


@pytest.fixture
def credential(make_document, settings):
    """The unsigned credential of an 18-module certificate."""
    return build_credential(make_document(DocumentKind.CERTIFICATE), settings)


@pytest.fixture
def ring(tmp_path):
    """A key ring with one fresh key."""
    return KeyRing.generate(tmp_path / "keys", now=datetime(2026, 1, 1, tzinfo=UTC))


def test_canonical_json_is_compact_sorted_utf8():
    assert canonical_json({"b": [1, True, None], "a": "Đà Nẵng"}) == '{"a":"Đà Nẵng","b":[1,true,null]}'.encode()


def test_canonical_json_is_stable_under_key_order_and_normalisation():
    one = {"name": HOLDER, "nested": {"z": 1, "title": HOT_SPOT_TITLE}}
    other = {"nested": {"title": nfd(HOT_SPOT_TITLE), "z": 1}, nfd("name"): nfd(HOLDER)}
    assert nfd(HOLDER) != HOLDER
    assert canonical_json(one) == canonical_json(other)


@pytest.mark.parametrize("value", [8.5, {"grade": 8.5}, {1: "x"}, {"when": datetime(2026, 1, 1)}, [float("nan")]])
def test_canonical_json_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError):
        canonical_json(value)


def test_credential_has_the_open_badges_shape(credential, make_document, settings):
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["id"].startswith("https://lms.example.vn/xac-thuc/")
    assert credential["id"].endswith(credential["documentCode"])
    assert credential["issuer"] == {"id": settings.institution_url, "type": ["Profile"],
                                    "name": settings.institution_name}
    assert credential["validFrom"] == "2026-11-26T20:30:00Z"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["name"] == settings.course_title
    assert subject["achievement"]["achievementType"] == "CertificateOfCompletion"
    assert {i["identityHash"] for i in subject["identifier"]} == {HOLDER, "nhung.nth"}
    modules = [r for r in subject["result"] if not r["resultDescription"].endswith("#average")]
    assert len(modules) == 18 and all(r["status"] == "Completed" for r in modules)
    assert all(isinstance(r["value"], str) and len(r["value"].split(".")[1]) == 1 for r in subject["result"])
    canonical_json(credential)  # no floats anywhere


def test_credential_round_trips_to_the_document(make_document, settings):
    document = make_document(ungraded=3)
    assert document_from_credential(build_credential(document, settings)) == document
    assert document_from_credential(json.loads(json.dumps(build_credential(document, settings)))) == document


def test_malformed_credential_cannot_be_read_back():
    with pytest.raises(ValueError):
        document_from_credential({"credentialSubject": {}})


def test_sign_and_verify_round_trip(credential, ring):
    signed = ring.sign(credential)
    assert signed["proof"]["type"] == PROOF_TYPE
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert signed["proof"]["verificationMethod"] == did_key(ring.public_keys[ring.current_key_id])
    assert signed["proof"]["proofValue"].startswith("z")
    assert "proof" not in credential
    downloaded = json.loads(json.dumps(signed, ensure_ascii=False, indent=2))
    result = verify_credential(downloaded, ring.public_keys)
    assert (result.ok, result.reason, result.key_id) == (True, "ok", ring.current_key_id)


def test_verification_survives_decomposed_text(credential, ring):
    signed = json.loads(nfd(json.dumps(ring.sign(credential), ensure_ascii=False)))
    assert ring.verify(signed).ok


def _module(signed):
    """The first module result of a signed credential."""
    return signed["credentialSubject"]["result"][0]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: _module(s).update(value="9.9"),
        lambda s: s["credentialSubject"]["identifier"][0].update(identityHash="Nguyễn Thị Hồng Nhụng"),
        lambda s: s.update(documentCode="a" * 26),
        lambda s: s.update(id=s["id"] + "x"),
        lambda s: s["credentialSubject"]["achievement"]["resultDescription"][2].update(name="Kỹ năng khác"),
        lambda s: s["credentialSubject"].update(completed=False),
        lambda s: s["proof"].update(created="2030-01-01T00:00:00Z"),
        lambda s: s.update(extra="added"),
        lambda s: s["credentialSubject"]["result"].pop(),
    ],
    ids=["grade", "name", "code", "url", "module title", "status", "proof time", "added field", "dropped result"],
)
def test_tampering_breaks_the_signature(credential, ring, tamper):
    signed = copy.deepcopy(ring.sign(credential))
    tamper(signed)
    assert ring.verify(signed).reason == "bad_signature"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda s: s.pop("proof"), "malformed"),
        (lambda s: s["proof"].update(type="Ed25519Signature2020"), "malformed"),
        (lambda s: s["proof"].update(proofValue="not base64!"), "malformed"),
        (lambda s: s["proof"].update(proofValue="AAAA"), "malformed"),
        (lambda s: _module(s).update(value=9.9), "malformed"),
        (lambda s: s["proof"].update(verificationMethod="unknown-key"), "malformed"),
        (lambda s: s["proof"].update(verificationMethod=did_key(Ed25519PrivateKey.generate().public_key())),
         "unknown_key"),
    ],
)
def test_malformed_or_unknown_key(credential, ring, tamper, reason):
    signed = copy.deepcopy(ring.sign(credential))
    tamper(signed)
    assert ring.verify(signed).reason == reason


@pytest.mark.parametrize("value", [None, "text", [], {"proof": "x"}, {"proof": {"type": PROOF_TYPE}}])
def test_garbage_is_malformed_not_an_error(value):
    assert verify_credential(value, {}).reason == "malformed"


def test_a_key_from_another_ring_is_unknown(credential, ring, tmp_path):
    other = KeyRing.generate(tmp_path / "other")
    assert verify_credential(other.sign(credential), ring.public_keys).reason == "unknown_key"


def test_a_proof_naming_our_key_but_signed_by_another_is_a_bad_signature(credential, ring):
    ours = ring.public_keys[ring.current_key_id]
    forged = add_proof(credential, Ed25519PrivateKey.generate(), did_key(ours), datetime(2026, 11, 26, tzinfo=UTC))
    assert ring.verify(forged).reason == "bad_signature"


def test_rotation_keeps_old_documents_verifiable(credential, tmp_path):
    folder = tmp_path / "keys"
    old_ring = KeyRing.generate(folder, now=datetime(2026, 1, 1, tzinfo=UTC))
    old_signed = old_ring.sign(credential)
    new_ring = KeyRing.generate(folder, now=datetime(2026, 6, 1, tzinfo=UTC))
    assert new_ring.current_key_id != old_ring.current_key_id
    assert new_ring.sign(credential)["proof"]["verificationMethod"] == did_key(
        new_ring.public_keys[new_ring.current_key_id])
    reloaded = KeyRing.load(folder)
    assert reloaded.current_key_id == new_ring.current_key_id
    assert reloaded.verify(old_signed).ok
    assert reloaded.verify(reloaded.sign(credential)).ok


def test_current_file_wins_over_sorting(tmp_path):
    folder = tmp_path / "keys"
    first = KeyRing.generate(folder, now=datetime(2026, 1, 1, tzinfo=UTC)).current_key_id
    KeyRing.generate(folder, now=datetime(2026, 6, 1, tzinfo=UTC))
    (folder / "current").write_text(first)
    assert KeyRing.load(folder).current_key_id == first
    (folder / "current").unlink()
    assert KeyRing.load(folder).current_key_id > first


def test_retired_key_kept_as_public_pem_still_verifies(credential, tmp_path):
    folder = tmp_path / "keys"
    old = KeyRing.generate(folder, now=datetime(2026, 1, 1, tzinfo=UTC))
    signed = old.sign(credential)
    KeyRing.generate(folder, now=datetime(2026, 6, 1, tzinfo=UTC))
    public_pem = old.public_keys[old.current_key_id].public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    (folder / f"{old.current_key_id}.pem").write_bytes(public_pem)
    assert KeyRing.load(folder).verify(signed).ok


def test_private_keys_are_owner_only(ring, tmp_path):
    path = tmp_path / "keys" / f"{ring.current_key_id}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_empty_ring_cannot_sign(tmp_path, credential):
    ring = KeyRing.load(tmp_path / "missing")
    assert ring.current_key_id is None and ring.public_jwks() == {"keys": []}
    with pytest.raises(LookupError):
        ring.sign(credential)


def test_jwks_publishes_every_key_and_verifies_offline(credential, tmp_path):
    folder = tmp_path / "keys"
    old = KeyRing.generate(folder, now=datetime(2026, 1, 1, tzinfo=UTC))
    signed = old.sign(credential)
    ring = KeyRing.generate(folder, now=datetime(2026, 6, 1, tzinfo=UTC))
    jwks = json.loads(json.dumps(ring.public_jwks()))
    assert [key["kid"] for key in jwks["keys"]] == sorted([old.current_key_id, ring.current_key_id])
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key for key in jwks["keys"])
    assert verify_credential(signed, public_keys_from_jwks(jwks)).ok


def test_a_credential_states_the_essay_and_reads_it_back():
    from datetime import UTC, datetime

    from lms.domain.transcript import DocumentKind, DocumentSettings, ModuleLine, build_transcript, issue_document
    from lms.transcripts.credential import build_credential, document_from_credential

    transcript = build_transcript("Lê Thị Thu Hà", "ha", "Phường Ba Đình", "Lớp 1",
                                  [ModuleLine(1, "Một", 4.0, 8.0, True, None)], essay=9.0, essay_weight=0.3)
    document = issue_document(DocumentKind.TRANSCRIPT, transcript, now=datetime(2026, 12, 7, tzinfo=UTC),
                              verify_url=lambda code: f"https://lms.example/verify/{code}")
    credential = build_credential(document, DocumentSettings("Trường", "https://lms.example", "Khóa", "Hà Nội"))
    essays = [r for r in credential["credentialSubject"]["result"] if r["resultDescription"].endswith("#essay")]
    assert [r["value"] for r in essays] == ["9.0"]
    assert document_from_credential(credential).transcript.essay == 9.0
    assert document_from_credential(credential).transcript.average == transcript.average == 8.3


# --- interoperability: the specification's test vectors, and documents issued before --------------------------

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# W3C "Data Integrity EdDSA Cryptosuites v1.0", test vectors for eddsa-jcs-2022 (w3c/vc-di-eddsa, TestVectors/):
# the key pair (keyPair.json) and the signed alumni credential (eddsa-jcs-2022/signedJCS.json).
SPEC_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SPEC_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
SPEC_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
SPEC_UNSECURED = {
    "@context": SPEC_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
SPEC_METHOD = f"https://vc.example/issuers/5678#{SPEC_PUBLIC}"
SPEC_PROOF_VALUE = "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"


def test_signing_the_specification_example_gives_its_published_proof():
    signed = add_proof(SPEC_UNSECURED, private_key_from_multibase(SPEC_SECRET), SPEC_METHOD,
                       datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC))
    assert signed["proof"] == {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                               "created": "2023-02-24T23:36:38Z", "verificationMethod": SPEC_METHOD,
                               "proofPurpose": "assertionMethod", "@context": SPEC_CONTEXT,
                               "proofValue": SPEC_PROOF_VALUE}


def test_the_specification_example_verifies_and_any_change_breaks_it():
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2023-02-24T23:36:38Z",
             "verificationMethod": SPEC_METHOD, "proofPurpose": "assertionMethod", "@context": SPEC_CONTEXT,
             "proofValue": SPEC_PROOF_VALUE}
    keys = {"spec": public_key_from_multikey(SPEC_PUBLIC)}
    assert verify_credential({**SPEC_UNSECURED, "proof": proof}, keys).ok
    changed = {**SPEC_UNSECURED, "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "Another School"}}
    assert verify_credential({**changed, "proof": proof}, keys).reason == "bad_signature"
    assert verify_credential({**SPEC_UNSECURED, "proof": {**proof, "created": "2024-01-01T00:00:00Z"}},
                             keys).reason == "bad_signature"


def test_documents_signed_with_the_former_proof_type_still_verify():
    fixture = json.loads((FIXTURES / "legacy_credential_2026.json").read_text(encoding="utf-8"))
    keys = public_keys_from_jwks(fixture["keys"])
    assert fixture["credential"]["proof"]["type"] == "LmsEd25519Signature2026"
    result = verify_credential(fixture["credential"], keys)
    assert (result.ok, result.key_id) == (True, "20261126T080000Z-abc123")
    tampered = copy.deepcopy(fixture["credential"])
    tampered["credentialSubject"]["result"][0]["value"] = "9.5"
    assert verify_credential(tampered, keys).reason == "bad_signature"


def test_a_credential_states_the_essay_requirement_and_an_older_one_reads_as_signed():
    from datetime import UTC, date, datetime

    from lms.domain.transcript import DocumentKind, DocumentSettings, ModuleLine, build_transcript, issue_document
    from lms.transcripts.credential import build_credential, document_from_credential

    lines = [ModuleLine(1, "Một", 4.0, 8.0, True, date(2026, 10, 1))]
    settings = DocumentSettings("Trường", "https://lms.example", "Khóa", "Hà Nội")
    now = datetime(2026, 12, 7, tzinfo=UTC)
    required = build_transcript("Hà", "ha", "Phường Ba Đình", "Lớp 1", lines, essay=6.5, essay_weight=0.3,
                                essay_required=True, essay_pass_mark=5.0, essay_on=date(2026, 11, 30))
    document = issue_document(DocumentKind.CERTIFICATE, required, now=now, verify_url=lambda c: f"https://x/{c}")
    credential = build_credential(document, settings)
    subject = credential["credentialSubject"]
    assert (subject["essayRequired"], subject["essayPassMark"]) == (True, "5.0")
    assert "bài thu hoạch cuối khóa từ 5,0 điểm" in subject["achievement"]["criteria"]["narrative"]
    back = document_from_credential(credential).transcript
    assert (back.completed, back.essay_required, back.essay_on, back.completed_on) == \
        (True, True, date(2026, 11, 30), date(2026, 11, 30))
    # A certificate signed before the rule states no requirement: it reads back completed, as it was signed.
    older = build_transcript("Hà", "ha", "Phường Ba Đình", "Lớp 1", lines)
    old_credential = build_credential(issue_document(DocumentKind.CERTIFICATE, older, now=now,
                                                     verify_url=lambda c: f"https://x/{c}"), settings)
    assert "essayRequired" not in old_credential["credentialSubject"]
    assert document_from_credential(old_credential).transcript.completed
