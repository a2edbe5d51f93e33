"""Network receipt printers that hang, on real TCP sockets on 127.0.0.1.

:class:`SilentPrinter` takes every connection and never answers: python-escpos
connects, sends its DLE EOT status query and waits for a reply that does not
come, as with a printer that hangs. Nothing ends on its own before the
printer's status timeout; :meth:`SilentPrinter.release` resets the
connections it holds (the printer was switched off) and from then on answers
"online, paper ok" like a printer that came back. :func:`no_answer_port` is a
port whose connections are never accepted, so connecting times out.

Used by the GUI tests (a test decides when the hang ends: no clock) and by
``bench/bench_gui_printer_stall.py`` (the hang ends by the printer's timeouts).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

ONLINE = 0x12  # DLE EOT reply: fixed bits only, so online, cover shut, paper ok


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class SilentPrinter:
    """A printer that takes connections and stays silent until :meth:`release`."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.server.getsockname()[1]
        self.answering = False
        self.connections = 0
        self.received = bytearray()  # what reached it while answering
        self._held: list[socket.socket] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:  # closed
                return
            with self._changed:
                self.connections += 1
                if self.answering:
                    threading.Thread(target=self._answer, args=(conn,), daemon=True).start()
                else:
                    self._held.append(conn)
                self._changed.notify_all()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            pending = b""
            while chunk := conn.recv(65536):
                pending += chunk
                while b"\x10\x04" in pending:
                    at = pending.index(b"\x10\x04")
                    if len(pending) < at + 3:
                        break
                    conn.sendall(bytes([ONLINE]))
                    pending = pending[:at] + pending[at + 3 :]
                with self._changed:
                    self.received += pending
                    self._changed.notify_all()
                pending = b""

    def wait_connections(self, n: int, timeout: float = 30.0) -> bool:
        """Wait until ``n`` connections came in (a safety limit, not a measured time)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.connections >= n, timeout)

    def wait_received(self, data: bytes, timeout: float = 30.0) -> bool:
        """Wait until ``data`` arrived after :meth:`release`."""
        with self._changed:
            return self._changed.wait_for(lambda: data in self.received, timeout)

    def release(self) -> None:
        """Reset the connections held so far; answer from now on."""
        with self._changed:
            self.answering = True
            held, self._held = self._held, []
        for conn in held:
            _reset(conn)

    def close(self) -> None:
        self.release()
        self.server.close()


@contextlib.contextmanager
def no_answer_port() -> Iterator[int]:
    """A listening port whose queue is full: a connection attempt times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))  # takes the one queue place
    try:
        yield port
    finally:
        filler.close()
        server.close()
