"""Backups and restores: the database, the signing keys and the essay uploads in one checked archive.

An archive (`lms-backup-<UTC time>.tar.gz`) holds
- `database.sqlite3`, a consistent copy taken with SQLite's online backup API while the app keeps serving, or
  `database.pgdump`, PostgreSQL's `pg_dump` custom format;
- `signing-keys/` and `essays/`, the folders named by SIGNING_KEYS_DIR and ESSAY_UPLOAD_DIR;
- `manifest.json`: when, which database kind, the schema revision, the rows per table and a SHA-256 of every
  file, checked before anything is restored.

Restoring replaces the database with the archive's (PostgreSQL: `pg_restore --clean --single-transaction`, so a
failed restore leaves the database as it was) and writes the archived files back; files that are not in the
archive (a signing key made after the backup) are kept, so documents issued since still verify.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from lms.extensions import db

MANIFEST = "manifest.json"
FOLDERS = {"signing-keys": "SIGNING_KEYS_DIR", "essays": "ESSAY_UPLOAD_DIR"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    """What an archive holds: its path and the rows per table at the time of the backup."""

    path: Path
    rows: dict[str, int]
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows in every table of the schema (the manifest's and the restore report's figures)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _revision() -> str | None:
    try:
        return db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:  # noqa: BLE001 - a database created without migrations has no revision table
        db.session.rollback()
        return None


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The engine's URL for pg_dump/pg_restore, the password passed in the environment, not the command line."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[:2000]}") from error


def _dump_database(engine: Engine, folder: Path) -> Path:
    if engine.dialect.name == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(engine.url.database)
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)  # consistent while other connections keep writing
        finally:
            source.close()
        return target
    if engine.dialect.name == "postgresql":
        target = folder / "database.pgdump"
        url, env = _libpq(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), url], env)
        return target
    raise BackupError(f"no backup method for {engine.dialect.name}")


def create_backup(config, destination: Path, now: datetime) -> BackupReport:
    """Write a new archive into `destination` and return what it holds."""
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    destination.mkdir(parents=True, exist_ok=True)
    rows, revision = row_counts(), _revision()
    db.session.rollback()
    with tempfile.TemporaryDirectory(dir=destination) as scratch:
        staging = Path(scratch)
        files = [_dump_database(engine, staging)]
        for name, setting in FOLDERS.items():
            source = Path(config[setting])
            if source.is_dir():
                shutil.copytree(source, staging / name)
                files += [p for p in sorted((staging / name).rglob("*")) if p.is_file()]
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": engine.dialect.name,
                    "revision": revision, "rows": rows,
                    "files": {str(p.relative_to(staging)): _sha256(p) for p in files}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        archive = destination / f"lms-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for path in sorted(staging.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(staging)), recursive=False)
        partial.replace(archive)  # a half-written archive never carries the final name
    return BackupReport(archive, rows, len(files))


def read_manifest(archive: Path) -> dict:
    """The archive's manifest (raises BackupError for a file that is not one of ours)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError, AttributeError) as error:
        raise BackupError(f"{archive} is not an LMS backup archive ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r}")
    return manifest


def _unpack(archive: Path, manifest: dict, folder: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(folder, filter="data")  # refuses absolute paths, links out of the folder, devices
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"{archive}: {name} is missing or damaged (checksum differs); nothing was restored")


def _restore_database(engine: Engine, dumped: Path) -> None:
    engine.dispose()  # no pooled connection may hold a table the restore replaces
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(dumped)
        try:
            with sqlite3.connect(engine.url.database) as live:
                source.backup(live)  # page by page into the live file, under SQLite's own locking
        finally:
            source.close()
        return
    url, env = _libpq(engine)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--dbname", url, str(dumped)], env)


def restore_backup(config, archive: Path) -> dict:
    """Check the archive, then put its database and files back; returns the manifest."""
    manifest = read_manifest(archive)
    engine = db.engine
    if manifest["database"] != engine.dialect.name:
        raise BackupError(f"{archive} holds a {manifest['database']} database; this app uses "
                          f"{engine.dialect.name} (restore it into the same kind)")
    db.session.remove()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _unpack(archive, manifest, folder)
        dumped = folder / ("database.sqlite3" if engine.dialect.name == "sqlite" else "database.pgdump")
        _restore_database(engine, dumped)
        for name, setting in FOLDERS.items():
            if (folder / name).is_dir():
                shutil.copytree(folder / name, Path(config[setting]), dirs_exist_ok=True)
    return manifest
