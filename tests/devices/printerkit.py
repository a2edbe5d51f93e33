"""A network receipt printer served by the test: a real TCP socket on 127.0.0.1.

It collects every byte, answers DLE EOT status queries the way the test says
(or not at all), and can drop the connection at the moments a real printer
does: at once (cable pulled), or right after it took a whole job (power cut
before it confirmed). Each connection's bytes are kept apart, so a test can
tell a drawer pulse from the receipt that followed it.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from devices.printer import PrinterSettings, ReceiptPrinter

OK = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline, paper-end stop, paper end
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}
CUT = b"\x1d\x56"


@dataclass
class FakePrinter:
    """What the served printer does: its status replies (None = silent) and what it got.

    ``script``: replies for the first connections in turn (then ``replies``).
    ``reset``: drop every connection at once. ``drop_after_cut``: drop the
    connection as soon as a job's cut arrived (the printer has it all, the
    till never hears back).
    """

    replies: dict[int, int] | None = field(default_factory=lambda: dict(OK))
    script: list[dict[int, int] | None] = field(default_factory=list)
    reset: bool = False
    drop_after_cut: bool = False
    received: bytearray = field(default_factory=bytearray)
    closed: dict[int, bytes] = field(default_factory=dict)  # connection number -> its bytes
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.done = threading.Condition(self.lock)

    def wait_sessions(self, n: int) -> list[bytes]:
        """The bytes of the first ``n`` connections, in the order they were made, once each
        has closed (the server may finish them in any order)."""
        with self.done:
            ready = self.done.wait_for(lambda: all(k in self.closed for k in range(n)), timeout=10)
            assert ready, self.closed
            return [self.closed[k] for k in range(n)]


def _rst(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@contextmanager
def serve(fake: FakePrinter) -> Iterator[int]:
    """Serve ``fake`` on an ephemeral port; yields the port."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            n = self.server.numbers.pop(self.request)  # type: ignore[attr-defined]
            replies = fake.script[n] if n < len(fake.script) else fake.replies
            sock: socket.socket = self.request
            got = bytearray()
            try:
                if fake.reset:
                    _rst(sock)
                    return
                buf = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                    # answer real-time status queries as they arrive
                    while b"\x10\x04" in buf:
                        at = buf.index(b"\x10\x04")
                        if len(buf) < at + 3:
                            break
                        q = buf[at + 2]
                        if replies is not None and q in replies:
                            sock.sendall(bytes([replies[q]]))
                        buf = buf[:at] + buf[at + 3 :]
                    got += buf
                    buf = b""
                    if fake.drop_after_cut and CUT in got:
                        _rst(sock)
                        return
            finally:
                with fake.done:
                    fake.received += got
                    fake.closed[n] = bytes(got)
                    fake.done.notify_all()

    class Server(socketserver.ThreadingTCPServer):
        """Numbers connections in the order they are accepted (handlers may start later)."""

        daemon_threads = True
        numbers: dict[socket.socket, int] = {}  # noqa: RUF012 - one server per fixture

        def process_request(self, request, client_address) -> None:  # type: ignore[override]
            with fake.lock:
                self.numbers[request] = fake.connections
                fake.connections += 1
            super().process_request(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def network(port: int, **kw) -> ReceiptPrinter:
    """A network printer on ``port`` with short timeouts."""
    settings = PrinterSettings(
        connection="network",
        host="127.0.0.1",
        port=port,
        timeout_seconds=2,
        status_timeout_seconds=0.3,
        **kw,
    )
    return ReceiptPrinter(settings)
