"""A TCP relay in front of the test PostgreSQL, so a test can take "the database" away or make it hang.

`stop()` closes the listening socket and every relayed connection (as if the server were shut down);
`hang()` keeps accepting connections but relays nothing (a hung server or network); `resume()` relays again.
"""
from __future__ import annotations

import contextlib
import socket
import threading


class DatabaseRelay:
    """Relay 127.0.0.1:<port> to the real database at (host, port)."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.hanging = False
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.port = 0
        self.resume()

    def resume(self) -> None:
        """Accept and relay connections (again, on the same port)."""
        self.hanging = False
        if self._listener is None:
            self._listener = socket.create_server(("127.0.0.1", self.port))
            self.port = self._listener.getsockname()[1]
            threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def hang(self) -> None:
        """Accept connections but relay nothing; the connections already open go silent too."""
        self.hanging = True
        self._close_connections()

    def stop(self) -> None:
        """Refuse connections and drop the open ones, as a stopped server does."""
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone would not
            self._listener.close()
            self._listener = None
        self._close_connections()

    def _close_connections(self) -> None:
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.hanging:
                with self._lock:
                    self._connections.append(client)  # held open, never answered
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.hanging:
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, sink):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
