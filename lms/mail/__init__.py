"""E-mail: sending through SMTP (Flask-Mailman), the development mail sink, signed unsubscribe links.

`send_mail` reads the MAIL_* settings of the current app at every call. MAIL_BACKEND picks Flask-Mailman's
backend: "smtp", or "locmem" under TESTING (kept in `app.extensions["mailman"].outbox`, nothing on the network)
unless the configuration says otherwise.
"""
from __future__ import annotations

import time
from email.header import Header
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_mailman import EmailMultiAlternatives, Mail

from lms.mail.sink import SINK_HOST, start_sink

mail_cli = AppGroup("mail", help="Send e-mail, and catch it in development.")


def init_app(app: Flask) -> None:
    """Give the app its Flask-Mailman `Mail` (app.extensions["mail"]) and the `flask mail` commands."""
    app.config.setdefault("MAIL_BACKEND", "locmem" if app.testing else "smtp")
    app.extensions["mail"] = Mail(app)
    app.cli.add_command(mail_cli)


def send_mail(to: str, subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None) -> None:
    """Send one UTF-8 message (text, HTML alternative if given) through the app's mail server; raises on failure."""
    connection = _connection()
    message = _Message(subject, text, _quoted(current_app.config["MAIL_DEFAULT_SENDER"]), [_quoted(to)],
                       headers=dict(headers or {}), connection=connection)
    message.encoding = "utf-8"
    if html is not None:
        message.attach_alternative(html, "text/html")
    try:
        connection.open()
        message.send()
    finally:
        _close(connection)


class _Message(EmailMultiAlternatives):
    def message(self):
        msg = super().message()
        # Flask-Mailman encodes the subject without counting "Subject: ", so the generator moves it to a line of its
        # own and readers show a leading space; a Header told its name folds right.
        charset = "us-ascii" if self.subject.isascii() else "utf-8"
        msg.replace_header("Subject", Header(self.subject, charset, header_name="Subject"))
        return msg


def _connection():
    config = current_app.config
    return current_app.extensions["mail"].get_connection(
        backend=config["MAIL_BACKEND"], host=config["MAIL_SERVER"], port=config["MAIL_PORT"],
        username=config["MAIL_USERNAME"] or "", password=config["MAIL_PASSWORD"] or "",
        use_tls=bool(config["MAIL_USE_TLS"]), use_ssl=bool(config["MAIL_USE_SSL"]), timeout=config["MAIL_TIMEOUT"])


def _close(connection) -> None:
    # Flask-Mailman leaves the socket open when a send fails, and its close() can raise after the server took the
    # message (which must not be reported as a failure, or the job would send it twice).
    smtp = getattr(connection, "connection", None)
    try:
        connection.close()
    except OSError:  # smtplib's and ssl's errors included
        pass
    finally:
        if smtp is not None:
            smtp.close()


def _quoted(address: str) -> str:
    # "Lớp bồi dưỡng Bí thư xã, phường <no-reply@…>": unquoted, the comma would split it into two addresses.
    name, bracket, rest = address.rpartition("<")
    name = name.strip().strip('"').strip()
    if not (bracket and name and rest.endswith(">")):
        return address
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}" <{rest[:-1].strip()}>'


@mail_cli.command("sink")
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: MAIL_PORT, 8025).")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the .eml files (default: MAIL_SINK_DIR).")
def mail_sink(port: int | None, directory: Path | None) -> None:
    """Catch the app's e-mail on 127.0.0.1 and write each message to a .eml file, until Ctrl+C."""
    port = port or current_app.config["MAIL_PORT"]
    directory = (directory or Path(current_app.config["MAIL_SINK_DIR"])).resolve()
    try:
        controller = start_sink(SINK_HOST, port, directory)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {SINK_HOST}:{port}: {error}") from error
    click.echo(f"mail sink on {SINK_HOST}:{port}: each message goes to {directory}/<time>-<n>.eml (Ctrl+C stops)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    click.echo("mail sink stopped")


@mail_cli.command("send-test")
@click.argument("address")
def mail_send_test(address: str) -> None:
    """Send a short test message to ADDRESS through the configured mail server."""
    config = current_app.config
    via = (f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}" if config["MAIL_BACKEND"] == "smtp"
           else f"the {config['MAIL_BACKEND']!r} backend (MAIL_BACKEND)")
    try:
        send_mail(address, "Thư thử của hệ thống học tập",
                  "Đồng chí nhận được thư này là hệ thống đã gửi thư điện tử được.\n",
                  html="<p>Đồng chí nhận được thư này là hệ thống đã gửi thư điện tử được.</p>")
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; ValueError: a malformed address
        raise click.ClickException(f"could not send through {via}: {error}") from error
    click.echo(f"sent a test message to {address} through {via}")
