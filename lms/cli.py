"""Command-line tools: thin click commands over the same services the web uses."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from lms.api.commands import api_tokens_cli
from lms.auth import accounts
from lms.cohorts import services as cohort_services
from lms.cohorts.roster_files import RosterFileError, read_roster
from lms.database import utcnow
from lms.domain.roster import check_rows
from lms.extensions import db
from lms.models import Cohort, Role
from lms.xapi.commands import xapi_cli

users_cli = AppGroup("users", help="Manage accounts.")
cohorts_cli = AppGroup("cohorts", help="Manage cohorts and enrolment.")
demo_cli = AppGroup("demo", help="Demo data (development only).")
content_cli = AppGroup("content", help="Validate, import and export the course content.")
transcripts_cli = AppGroup("transcripts", help="Issue, verify and sign transcripts and certificates.")
grades_cli = AppGroup("grades", help="Check the grade ledger.")
jobs_cli = AppGroup("jobs", help="The background job worker and its jobs.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time (threads).")
@with_appcontext
def jobs_worker(workers: int) -> None:
    """Run the job worker: imports, document ZIPs, e-mail and the five-minute periodic tasks."""
    from flask import current_app

    from lms.jobs import queue_for

    queue = queue_for(current_app)
    if queue.immediate:
        _fail("JOBS_URL is 'immediate': jobs run inside the web process and there is no queue to work on")
    click.echo(f"job worker on {current_app.config['JOBS_URL']} with {workers} thread(s)")
    queue.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=True).run()


@jobs_cli.command("tick")
@with_appcontext
def jobs_tick() -> None:
    """Run the worker's five-minute periodic work once, now (re-send lost jobs, reminders, digests, clean-up)."""
    from flask import current_app

    from lms.jobs.runner import run_periodic

    run_periodic(current_app._get_current_object())
    click.echo("periodic tasks done")


@jobs_cli.command("list")
@click.option("--failed", is_flag=True, help="Only the jobs that failed for good.")
@click.option("--limit", default=20, show_default=True)
def jobs_list(failed: bool, limit: int) -> None:
    """The latest jobs, with their state, progress and error."""
    from sqlalchemy import select

    from lms.models import Job, JobState

    query = select(Job).order_by(Job.id.desc()).limit(limit)
    for job in db.session.scalars(query.where(Job.state == JobState.FAILED) if failed else query):
        click.echo(f"#{job.id} {job.kind} {job.state} {job.done}/{job.total} attempts={job.attempts} "
                   f"created={job.created_at:%Y-%m-%d %H:%M}" + (f"\n    {job.error}" if job.error else ""))


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
def jobs_retry(job_id: int) -> None:
    """Queue a failed job again (its handler is idempotent)."""
    from lms.jobs.runner import retry

    if not retry(job_id):
        _fail(f"job {job_id} does not exist or has not failed")
    db.session.commit()
    click.echo(f"job {job_id} queued again")


@grades_cli.command("reconcile")
@click.option("--repair", is_flag=True, help="Record the computed grade where the ledger differs (audited).")
def grades_reconcile(repair: bool) -> None:
    """Recompute every module grade from the graded attempts and report (and repair) what the ledger lacks."""
    from lms.grades.ledger import reconcile_grades

    differences = reconcile_grades(None, utcnow(), repair)
    for d in differences:
        click.echo(f"user {d.user_id} cohort {d.cohort_id} chuyên đề {d.module_number}: "
                   f"ledger {d.recorded}, computed {d.computed}" + (" (repaired)" if repair else ""))
    db.session.commit()
    click.echo(f"{len(differences)} difference(s)" + (", repaired" if repair and differences else ""))


@transcripts_cli.command("issue")
@click.argument("cohort_id", type=int)
@click.option("--kind", type=click.Choice(["transcript", "certificate"]), default="transcript")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ZIP file to write.")
def transcripts_issue(cohort_id: int, kind: str, out: Path) -> None:
    """Issue the documents of a whole cohort and write them as a ZIP of PDFs plus a CSV summary."""
    from lms.models import Enrolment
    from lms.transcripts.batch import issue_for_cohort, zip_stream
    from lms.transcripts.issuer import signer

    cohort = db.session.get(Cohort, cohort_id) or _fail(f"no cohort with id {cohort_id}")
    total = db.session.query(Enrolment).filter_by(cohort_id=cohort.id).count()
    with click.progressbar(length=total, label=f"Issuing {kind}s") as bar:
        ids = issue_for_cohort(cohort, kind, None, utcnow(), signer(), on_learner=lambda: bar.update(1))
    db.session.commit()
    with out.open("wb") as handle, click.progressbar(length=len(ids) + 1, label="Writing PDFs") as bar:
        for chunk in zip_stream(ids, signer().settings):
            handle.write(chunk)
            bar.update(1)
    click.echo(f"{len(ids)} {kind}(s) of {total} learner(s) written to {out}")


@transcripts_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A downloaded key set (/.well-known/lms-signing-keys.json); default: this server's keys.")
def transcripts_verify(file: Path, keys_file: Path | None) -> None:
    """Check a downloaded document JSON offline: its Ed25519 signature against the published keys."""
    import json

    from lms.transcripts.credential import public_keys_from_jwks
    from lms.transcripts.issuer import keyring
    from lms.transcripts.proofs import verify_credential

    try:
        signed = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        _fail(f"{file}: not a JSON document")
    keys = public_keys_from_jwks(json.loads(keys_file.read_text())) if keys_file else keyring().public_keys
    result = verify_credential(signed, keys)
    if not result.ok:
        _fail(f"{file}: NOT valid ({result.reason})")
    click.echo(f"{file}: valid signature (key {result.key_id})")


@transcripts_cli.command("rotate-key")
def transcripts_rotate_key() -> None:
    """Create a new signing key; older keys stay published so earlier documents keep verifying."""
    from flask import current_app

    from lms.transcripts.credential import KeyRing
    from lms.transcripts.issuer import reload_keyring

    directory = Path(current_app.config["SIGNING_KEYS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    ring = KeyRing.generate(directory)
    reload_keyring()
    click.echo(f"new signing key {ring.current_key_id} in {directory}")


def _content_dir(path: Path | None) -> Path:
    from flask import current_app

    return path or Path(current_app.config["CONTENT_DIR"])


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Count cueing warnings (options that give the key away) as problems.")
def content_check(path: Path | None, strict: bool) -> None:
    """Validate a content folder (the course root or one module): every problem, cueing warnings and figures."""
    from lms.content.check import check_with_cueing, report_lines

    path = _content_dir(path)
    problems, warnings, figures = check_with_cueing(path)
    out, err = report_lines(problems, warnings, figures, path, strict)
    click.echo("\n".join(err), err=True)
    click.echo("\n".join(out))
    if problems or (strict and warnings):
        raise SystemExit(1)


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite items edited in the browser since they were imported.")
def content_import(path: Path | None, force: bool) -> None:
    """Load the course into the database: unchanged items stay, changed ones get a new version."""
    from flask import current_app

    from lms.catalog.essay import import_essay
    from lms.catalog.store import import_course
    from lms.catalog.urls import resolver_factory
    from lms.content.essay import load_essay
    from lms.content.loader import load_course

    path = _content_dir(path)
    course, problems = load_course(path)
    if problems:
        _print_problems(problems)
        _fail(f"{len(problems)} problem(s) in {path}: nothing imported")
    with click.progressbar(length=len(course.modules), label="Importing modules") as bar:
        report = import_course(course, utcnow(), resolver_factory(current_app), force=force,
                               on_module=lambda _m: bar.update(1))
    essay, _problems = load_essay(path)  # already checked with the course
    if essay is not None:
        click.echo(f"final essay: {import_essay(essay, utcnow(), resolver_factory(current_app)(''))}")
    db.session.commit()
    for label in report.conflicts:
        click.echo(f"conflict: {label} was edited in the browser; not overwritten (use --force)", err=True)
    for label in report.retired:
        click.echo(f"retired: {label} is no longer in the files; kept for its learners' progress", err=True)
    click.echo(f"created {len(report.created)}, new versions {len(report.updated)}, unchanged {report.unchanged}, "
               f"conflicts {len(report.conflicts)}, retired {len(report.retired)}")


@content_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def content_export(directory: Path) -> None:
    """Write the database content to DIRECTORY in the content file format (the final essay, if the course has
    one, to essay.md beside DIRECTORY, where `flask content import DIRECTORY` reads it)."""
    from lms.catalog.essay import current_essay, essay_doc
    from lms.catalog.store import export_course
    from lms.content.export import write_course, write_essay

    course = export_course()
    write_course(course, directory)
    click.echo(f"exported {len(course.modules)} module(s) to {directory}")
    essay = current_essay()
    if essay is not None:
        click.echo(f"final essay: {write_essay(essay_doc(essay), directory)}")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value)
@click.option("--email", default=None)
@click.password_option()
def create_user(username: str, full_name: str, role: str, email: str | None, password: str) -> None:
    """Create an account (the first administrator, for example)."""
    user = accounts.create_user(username, full_name, Role(role), password, utcnow(), email=email)
    db.session.commit()
    click.echo(f"created {user.role} {user.username}")


@cohorts_cli.command("create")
@click.argument("name")
def create_cohort(name: str) -> None:
    """Open a cohort."""
    try:
        cohort = cohort_services.create_cohort(name, None, None, None, utcnow())
    except cohort_services.CohortNameTaken:
        raise click.ClickException(f"a cohort named {name!r} already exists") from None
    db.session.commit()
    click.echo(f"cohort {cohort.id}: {cohort.name}")


@cohorts_cli.command("import")
@click.argument("cohort_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passwords", type=click.Path(dir_okay=False, path_type=Path),
              help="Write new accounts' temporary passwords to this CSV file.")
def import_roster(cohort_id: int, file: Path, passwords: Path | None) -> None:
    """Enrol learners from a CSV/XLSX roster: every row or none."""
    cohort = db.session.get(Cohort, cohort_id) or _fail(f"no cohort with id {cohort_id}")
    try:
        raw = read_roster(file.name, file.read_bytes())
    except RosterFileError as error:
        _fail(f"{file}: {error.code} {error.params or ''}")
    rows, errors = check_rows(raw)
    errors = sorted(errors + cohort_services.roster_conflicts(rows), key=lambda e: e.line)  # one report
    if not errors:
        with click.progressbar(length=len(rows), label="Enrolling") as bar:
            result = cohort_services.import_roster(cohort, rows, None, utcnow(), on_row=lambda: bar.update(1))
        errors = result.errors
    if errors:
        db.session.rollback()
        for e in errors:
            click.echo(f"{file}:{e.line}: {e.field}: {e.code} {e.params or ''}".rstrip(), err=True)
        _fail(f"{len(errors)} bad row(s); nothing imported")
    db.session.commit()
    if passwords and result.created:
        passwords.write_text("username,password\n" + "".join(f"{u.username},{p}\n" for u, p in result.created))
    click.echo(f"enrolled {result.enrolled}, already enrolled {result.unchanged}, new accounts {len(result.created)}")


@demo_cli.command("seed")
def seed() -> None:
    """Create the demo accounts and cohort (idempotent)."""
    from flask import current_app

    from lms.demo import DEMO_PASSWORD, seed_demo

    if not current_app.config.get("DEMO_MODE"):
        _fail("demo data is only for the development configuration (LMS_CONFIG=development)")
    counts = seed_demo(utcnow())
    db.session.commit()
    click.echo(f"demo data ready ({counts['accounts']} accounts created now)")
    click.echo(f"  sign in at /login with admin, giangvien or hocvien / {DEMO_PASSWORD}")


@click.command("backup")
@click.option("--to", "destination", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the archive (default: BACKUP_DIR, else instance/backups).")
@with_appcontext
def backup_command(destination: Path | None) -> None:
    """Back up the database, signing keys and essay uploads into one checked archive."""
    from flask import current_app

    from lms.backups import BackupError, create_backup

    folder = destination or Path(current_app.config["BACKUP_DIR"])
    try:
        report = create_backup(current_app.config, folder, utcnow())
    except BackupError as error:
        _fail(str(error))
    click.echo(f"{report.path}  ({sum(report.rows.values())} rows in {len(report.rows)} tables, {report.files} files)")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database, and put back the signing keys and essay uploads, from a backup archive."""
    from flask import current_app

    from lms.backups import BackupError, read_manifest, restore_backup, row_counts

    try:
        manifest = read_manifest(archive)
        if not yes:
            click.confirm(f"Replace the whole database with the backup of {manifest['created_at']}? "
                          "Everything recorded since then is lost.", abort=True)
        restore_backup(current_app.config, archive)
    except BackupError as error:
        _fail(str(error))
    now_rows = row_counts()
    differing = {t: (n, now_rows.get(t)) for t, n in manifest["rows"].items() if now_rows.get(t) != n}
    if differing:
        _fail(f"restored, but row counts differ from the manifest: {differing}")
    click.echo(f"restored {archive.name}: {sum(now_rows.values())} rows in {len(now_rows)} tables, as backed up")


def _fail(message: str):
    raise click.ClickException(message)


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    for group in (users_cli, cohorts_cli, demo_cli, content_cli, transcripts_cli, grades_cli, jobs_cli, api_tokens_cli,
                  xapi_cli, backup_command, restore_command):
        app.cli.add_command(group)
