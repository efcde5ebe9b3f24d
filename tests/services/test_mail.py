"""E-mail: a real SMTP server receives what send_mail sends (Vietnamese subject, both parts, headers), the
development sink writes one .eml per message, and unsubscribe tokens refuse anything this app did not sign."""
from __future__ import annotations

import email
import smtplib
import socket
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import URLSafeSerializer

from lms.mail import send_mail
from lms.mail.sink import start_sink
from lms.mail.tokens import read_unsubscribe_token, unsubscribe_token

SUBJECT = "Bài làm của đồng chí đã được chấm"
TEXT = "Bài làm tình huống 3 của đồng chí đã được chấm: 8,5 điểm.\n"
HTML = "<p>Bài làm tình huống 3 của đồng chí đã được chấm: <b>8,5 điểm</b>.</p>"
UNSUBSCRIBE = {"List-Unsubscribe": "<https://lms.example/huy-dang-ky/abc>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """aiosmtpd handler keeping each envelope; refuses recipients at refused.example."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def point_mail_at(app, monkeypatch, port: int) -> None:
    """Send the app's mail over SMTP to 127.0.0.1:port."""
    for key, value in {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_TIMEOUT": 5,
                       "MAIL_USE_TLS": False, "MAIL_USE_SSL": False}.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on a free 127.0.0.1 port, the app's mail pointed at it; its handler is yielded."""
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    point_mail_at(app, monkeypatch, port)
    yield recorder
    controller.stop()


@pytest.fixture
def sink(app, monkeypatch, tmp_path):
    """The development sink on a free 127.0.0.1 port, the app's mail pointed at it; its folder is yielded."""
    port = free_port()
    controller = start_sink("127.0.0.1", port, tmp_path / "mail")
    point_mail_at(app, monkeypatch, port)
    yield tmp_path / "mail"
    controller.stop()


def received(envelope) -> EmailMessage:
    """The message of an envelope, parsed."""
    return email.message_from_bytes(envelope.original_content, policy=default_policy)


def content(part) -> str:
    """A text part's content with the wire's CRLF line ends made plain newlines."""
    return part.get_content().replace("\r\n", "\n")


def test_a_message_arrives_with_its_vietnamese_subject_both_parts_and_headers(app, smtp_server):
    send_mail("hoc.vien@example.vn", SUBJECT, TEXT, html=HTML, headers=UNSUBSCRIBE)

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["hoc.vien@example.vn"] and envelope.mail_from == "no-reply@localhost"
    message = received(envelope)
    assert message["Subject"] == SUBJECT
    assert message["To"] == "hoc.vien@example.vn"
    # The default sender's name holds a comma ("xã, phường"): it must stay one address.
    assert [(a.display_name, a.addr_spec) for a in message["From"].addresses] == [
        ("Lớp bồi dưỡng Bí thư xã, phường", "no-reply@localhost")]
    assert message["List-Unsubscribe"] == UNSUBSCRIBE["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and text.get_content_charset() == "utf-8"
    assert content(text) == TEXT
    assert html.get_content_type() == "text/html" and content(html) == HTML


def test_without_html_the_message_is_plain_text(app, smtp_server):
    send_mail("hoc.vien@example.vn", SUBJECT, TEXT)

    message = received(smtp_server.envelopes[0])
    assert message.get_content_type() == "text/plain" and content(message) == TEXT


def test_each_call_reads_the_current_server_settings(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    with pytest.raises(ConnectionRefusedError):
        send_mail("hoc.vien@example.vn", SUBJECT, TEXT)
    assert smtp_server.envelopes == []


def test_a_refused_message_raises_so_the_job_retries(app, smtp_server):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_mail("khong.co@refused.example", SUBJECT, TEXT)
    assert smtp_server.envelopes == []


def test_the_suite_default_keeps_mail_off_the_network(app):
    outbox = app.extensions["mailman"].outbox = []
    send_mail("hoc.vien@example.vn", SUBJECT, TEXT, html=HTML)
    assert app.config["MAIL_BACKEND"] == "locmem" and [m.subject for m in outbox] == [SUBJECT]


def test_the_sink_writes_one_readable_eml_per_message(app, sink):
    send_mail("mot@example.vn", SUBJECT, TEXT, html=HTML, headers=UNSUBSCRIBE)
    send_mail("hai@example.vn", "Thư thứ hai", "Nội dung thứ hai.\n")

    files = sorted(sink.glob("*.eml"))
    assert [path.name[-9:] for path in files] == ["-0001.eml", "-0002.eml"]
    assert all(len(path.name) == len("20261207-041530-0001.eml") for path in files)
    first, second = (email.message_from_bytes(path.read_bytes(), policy=default_policy) for path in files)
    assert first["Subject"] == SUBJECT and first["X-RcptTo"] == "mot@example.vn"
    assert first["List-Unsubscribe"] == UNSUBSCRIBE["List-Unsubscribe"]
    assert content(first.get_body(("plain",))) == TEXT and content(first.get_body(("html",))) == HTML
    assert second["Subject"] == "Thư thứ hai" and content(second) == "Nội dung thứ hai.\n"


def test_the_send_test_command_goes_through_the_configured_server(app, sink):
    result = app.test_cli_runner().invoke(args=["mail", "send-test", "ban.quan.tri@example.vn"])

    assert result.exit_code == 0, result.output
    [path] = sink.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert message["To"] == "ban.quan.tri@example.vn" and message["Subject"] == "Thư thử của hệ thống học tập"


def test_the_sink_listens_on_127_0_0_1_only(tmp_path):
    with pytest.raises(ValueError):
        start_sink("0.0.0.0", free_port(), tmp_path)


def test_a_taken_port_fails_cleanly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            start_sink("127.0.0.1", taken.getsockname()[1], tmp_path)


def test_an_unsubscribe_token_round_trips(app):
    token = unsubscribe_token(42, "essay_graded")
    assert read_unsubscribe_token(token) == (42, "essay_graded")
    assert "=" not in token and "/" not in token and "+" not in token  # safe in a URL as it is


def test_a_tampered_token_is_refused(app):
    token = unsubscribe_token(42, "essay_graded")
    payload, signature = token.rsplit(".", 1)
    other = unsubscribe_token(43, "essay_graded").rsplit(".", 1)[0]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert read_unsubscribe_token(f"{other}.{signature}") is None
    assert read_unsubscribe_token(f"{payload}.{flipped}") is None


def test_a_token_signed_elsewhere_is_refused(app, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setitem(app.config, "SECRET_KEY", "another-app-key")
        token = unsubscribe_token(42, "essay_graded")
    assert read_unsubscribe_token(token) is None


def test_a_token_survives_a_key_rotation(app, monkeypatch):
    token = unsubscribe_token(42, "essay_graded")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [app.config["SECRET_KEY"]])
    monkeypatch.setitem(app.config, "SECRET_KEY", "the-new-key")
    assert read_unsubscribe_token(token) == (42, "essay_graded")


@pytest.mark.parametrize("payload", [{"user": 42}, [42], ["42", "essay_graded"], [True, "essay_graded"], [42, 7]])
def test_a_signed_token_of_another_shape_is_refused(app, payload):
    token = URLSafeSerializer(app.config["SECRET_KEY"], salt="lms-unsubscribe").dumps(payload)
    assert read_unsubscribe_token(token) is None


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.def", "Bài.làm", "a" * 500, "WzQyXQ.x.y", "\x00"])
def test_garbage_is_refused(app, garbage):
    assert read_unsubscribe_token(garbage) is None
