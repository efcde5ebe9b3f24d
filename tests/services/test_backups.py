"""flask backup and flask restore: back up, damage, restore, and find every row and key file as it was."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from lms.backups import BackupError, read_manifest, restore_backup
from lms.extensions import db
from lms.models import Attempt, AttemptAnswer, AuditEvent, GradeEntry, IssuedDocument
from lms.transcripts.issuer import keyring
from tests.document_helpers import (  # noqa: F401 (instructor, learner are shared fixtures)
    COHORT_NAME,
    instructor,
    issue,
    learner,
    pass_module,
    run_cli,
)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    db.session.rollback()
    return {table.name: sorted((tuple(row) for row in db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables}


def key_files(app) -> dict[str, bytes]:
    folder = Path(app.config["SIGNING_KEYS_DIR"])
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def history(make_cohort, make_case, learner, instructor, now):
    """A learner's graded attempt and answers, ledger entries, an issued transcript and its audit trail."""
    cohort = make_cohort(name=COHORT_NAME, instructors=[instructor], learners=[learner])
    pass_module(learner, make_case(), now)
    document = issue(learner, cohort, now)
    db.session.commit()
    return document


def test_backup_damage_restore_finds_everything_identical(app, history, tmp_path):
    before, keys_before = snapshot(), key_files(app)
    assert before["attempt_answers"] and before["grade_entries"] and before["issued_documents"]

    result = run_cli(app, "backup", "--to", str(tmp_path / "backups"))
    assert result.exit_code == 0, result.output
    archive = next((tmp_path / "backups").glob("lms-backup-*.tar.gz"))
    manifest = read_manifest(archive)
    assert manifest["rows"]["attempt_answers"] == len(before["attempt_answers"])
    assert any(name.startswith("signing-keys/") for name in manifest["files"])

    # The damage: answers and ledger gone, an attempt's score changed, a document revoked by mistake, a key lost.
    db.session.execute(delete(AttemptAnswer))
    db.session.execute(delete(GradeEntry))
    db.session.execute(update(Attempt).values(points=0))
    db.session.execute(update(IssuedDocument).values(status="revoked", revoked_reason="nhầm"))
    db.session.execute(delete(AuditEvent))
    db.session.commit()
    for path in Path(app.config["SIGNING_KEYS_DIR"]).glob("*.pem"):
        path.unlink()
    assert snapshot() != before

    result = run_cli(app, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output
    assert "as backed up" in result.output
    assert snapshot() == before
    assert key_files(app) == keys_before
    document = db.session.scalar(select(IssuedDocument))
    assert keyring().verify(document.credential).ok  # the restored key still verifies the restored document


def test_a_damaged_archive_is_refused_and_nothing_is_restored(app, history, tmp_path):
    run_cli(app, "backup", "--to", str(tmp_path))
    archive = next(tmp_path.glob("lms-backup-*.tar.gz"))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name.startswith("database."):
                payload = data.read()
                payload = payload[:-64] + bytes(b ^ 0xFF for b in payload[-64:])  # the dump's tail flipped
                member.size = len(payload)
                target.addfile(member, io.BytesIO(payload))
            else:
                target.addfile(member, data)
    db.session.execute(delete(GradeEntry))
    db.session.commit()
    after_damage = snapshot()
    with pytest.raises(BackupError, match="missing or damaged"):
        restore_backup(app.config, damaged)
    assert snapshot() == after_damage

    not_ours = tmp_path / "notes.tar.gz"
    not_ours.write_bytes(b"not a backup")
    result = run_cli(app, "restore", str(not_ours), "--yes")
    assert result.exit_code != 0 and "is not an LMS backup archive" in result.output


def test_restore_refuses_another_kind_of_database(app, history, tmp_path):
    run_cli(app, "backup", "--to", str(tmp_path))
    archive = next(tmp_path.glob("lms-backup-*.tar.gz"))
    manifest = read_manifest(archive)
    other = "postgresql" if manifest["database"] == "sqlite" else "sqlite"
    forged = tmp_path / "other.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                payload = json.dumps({**manifest, "database": other}).encode()
                member.size = len(payload)
                data = io.BytesIO(payload)
            target.addfile(member, data)
    with pytest.raises(BackupError, match=f"holds a {other} database"):
        restore_backup(app.config, forged)
