"""`flask xapi ...`: export the learning records as JSON lines, send the waiting ones now, count them."""
from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from lms.extensions import db
from lms.models import Cohort
from lms.xapi import forwarder, outbox
from lms.xapi.export import write_json_lines

xapi_cli = AppGroup("xapi", help="Learning records (xAPI 1.0.3): export them, send them to the learning record store.")


class Moment(click.ParamType):
    """A date (YYYY-MM-DD) or a date and time (ISO 8601); without an offset, in the course's time zone.

    As an end (`--until`), a bare date means the end of that day, so --since 2026-11-01 --until 2026-11-30 is all
    of November."""

    name = "date"

    def __init__(self, end_of_day: bool = False):
        self.end_of_day = end_of_day

    def convert(self, value, param, ctx) -> datetime:
        """The moment the text names, timezone-aware."""
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                return datetime.combine(day + timedelta(days=1 if self.end_of_day else 0), time(), zone)
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS][+07:00])",
                      param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@xapi_cli.command("export")
@click.option("--since", type=Moment(), help="From this date or time (included).")
@click.option("--until", type=Moment(end_of_day=True), help="Up to this date (included) or time (excluded).")
@click.option("--cohort", "cohort_id", type=int, help="Only the statements of this cohort (its id).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file, not stdout.")
def export_command(since: datetime | None, until: datetime | None, cohort_id: int | None, output: str | None) -> None:
    """Write the stored statements as JSON lines (one xAPI statement per line), each validated first."""
    if since and until and since >= until:
        raise click.BadParameter("--since must come before --until", param_hint="'--since' / '--until'")
    if cohort_id is not None and db.session.get(Cohort, cohort_id) is None:
        raise click.BadParameter(f"no cohort has the id {cohort_id}", param_hint="'--cohort'")
    if output:
        with open(output, "w", encoding="utf-8") as out:
            report = write_json_lines(out, since, until, cohort_id)
    else:
        report = write_json_lines(sys.stdout, since, until, cohort_id)
    for statement_id, problems in report.invalid:
        click.echo(f"statement {statement_id} left out: {'; '.join(problems)}", err=True)
    click.echo(f"{report.written} statement(s) written" + (f" to {output}" if output else ""), err=True)
    if report.invalid:
        raise SystemExit(1)


@xapi_cli.command("send")
def send_command() -> None:
    """Send the waiting statements to the learning record store now (the worker does it every five minutes)."""
    settings = forwarder.settings_from(current_app.config)
    if settings is None:
        raise click.ClickException("XAPI_LRS_URL is not set: statements are kept and exported, not sent")
    try:
        sent = forwarder.send_pending(forwarder.http_transport(settings), current_app.config["XAPI_BATCH_SIZE"],
                                      timedelta(minutes=current_app.config["XAPI_CLAIM_MINUTES"]))
    except forwarder.LrsUnavailable as error:
        raise click.ClickException(f"the learning record store failed ({error}); the rest wait for the next try")
    click.echo(f"{sent} statement(s) sent")


@xapi_cli.command("status")
def status_command() -> None:
    """How many statements are sent, waiting, and refused by the store."""
    counts = outbox.counts()
    click.echo(f"sent {counts['sent']}, waiting {counts['waiting']}, refused by the store {counts['rejected']}")
