"""The development mail sink: an SMTP server on 127.0.0.1 that writes each message it receives to a .eml file."""
from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller

SINK_HOST = "127.0.0.1"  # it takes anyone's mail without a password, so never on a reachable address


class EmlWriter:
    """aiosmtpd handler: each message becomes `<UTC time>-<counter>.eml` in one folder, as received."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.write(envelope.original_content, envelope.mail_from, envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def write(self, content: bytes, mail_from: str, rcpt_tos: list[str]) -> Path:
        """Write one message, its envelope (X-MailFrom, X-RcptTo: Bcc shows only there) on top; return its path."""
        self.directory.mkdir(parents=True, exist_ok=True)
        envelope = f"X-MailFrom: {mail_from}\r\nX-RcptTo: {', '.join(rcpt_tos)}\r\n".encode()
        while True:
            with self._lock:
                self._count += 1
                number = self._count
            path = self.directory / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{number:04d}.eml"
            try:
                with path.open("xb") as file:
                    file.write(envelope + content)
                return path
            except FileExistsError:  # left by a sink started earlier in the same second
                continue


def start_sink(host: str, port: int, directory: str | Path) -> Controller:
    """Start the sink in a background thread on host:port (127.0.0.1 only); stop it with `.stop()`."""
    if host != SINK_HOST:
        raise ValueError(f"the mail sink listens on {SINK_HOST} only, not {host!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:  # a taken port fails here at once; aiosmtpd would wait out its ready timeout
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio's server will
        probe.bind((host, port))
    controller = Controller(EmlWriter(directory), hostname=host, port=port, server_hostname="localhost")
    try:
        controller.start()
    except BaseException:  # the port is taken, say: end the thread and close the event loop it left behind
        controller.stop(no_assert=True)
        if not controller.loop.is_closed():
            controller.loop.close()
        raise
    return controller
