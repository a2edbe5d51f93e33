"""A fault-injecting TCP proxy between a till and HQ, on loopback, for the sync tests.

One HTTP request per connection (the till's client is told ``Connection:
close``), so the proxy can act on whole requests. For each connection a
seeded random draw picks what happens:

``pass``      forwarded both ways;
``drop``      the connection is closed before anything reaches HQ;
``cut``       the request reaches HQ (which commits) but the answer is thrown
              away and the connection closed: the till never hears back;
``dup``       the request is sent to HQ twice (the till hears the second answer);
``e500``      answered 500 without reaching HQ;
``e503``      answered 503 with ``Retry-After: 0`` without reaching HQ;
``delay``     forwarded after a short pause.

Counts of each are kept in :attr:`FaultProxy.seen`. Nothing here waits on a
clock for its correctness; the pause only reorders work.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter

FAULTS = ("pass", "drop", "cut", "dup", "e500", "e503", "delay")


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _exchange(upstream: tuple[str, int], request: bytes) -> bytes:
    with socket.create_connection(upstream, timeout=60) as up:
        up.sendall(request)
        chunks = []
        while True:
            chunk = up.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _canned(status: str, extra: str = "") -> bytes:
    body = b'{"code":"injected","message":"fault injected by the test proxy"}'
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


class FaultProxy:
    """Listens on a loopback port and forwards to ``upstream`` with faults drawn by ``seed``."""

    def __init__(
        self, upstream_port: int, *, seed: int = 13, weights: dict[str, float] | None = None
    ) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.rng = random.Random(seed)
        self.weights = weights or {
            "pass": 5,
            "drop": 1,
            "cut": 1,
            "dup": 1,
            "e500": 1,
            "e503": 1,
            "delay": 0.5,
        }
        self.seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="fault-proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(10)

    def _draw(self) -> str:
        with self._lock:
            fault = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
            self.seen[fault] += 1
            return fault

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            fault = self._draw()
            if fault == "drop":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return  # closed with a reset, before reading anything
            request = _read_request(conn)
            if request is None:
                return
            if fault == "e500":
                conn.sendall(_canned("500 Internal Server Error"))
                return
            if fault == "e503":
                conn.sendall(_canned("503 Service Unavailable", "Retry-After: 0\r\n"))
                return
            if fault == "delay":
                time.sleep(0.05)
            if fault == "dup":
                _exchange(self.upstream, request)
            response = _exchange(self.upstream, request)
            if fault == "cut":
                return  # HQ answered (and committed); the till never hears it
            conn.sendall(response)
