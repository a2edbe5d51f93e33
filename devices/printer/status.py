"""Real-time printer status (``DLE EOT n``), read where the connection can answer.

A reply is one byte whose bits 1 and 4 are set and bits 0 and 7 clear; anything
else, or no reply at all, means *unknown*, never "OK". python-escpos's own
``is_online()`` reads an empty reply as offline and ``paper_status()`` as
"plenty of paper", so this module parses the bytes itself.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER

RT_STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said; ``None`` fields were not answered (unknown)."""

    online: bool | None = None
    paper: str | None = None  # "ok" | "near_end" | "out"
    cover_open: bool | None = None

    @property
    def known(self) -> bool:
        """True when the printer answered at least the online query."""
        return self.online is not None

    def problem(self) -> str | None:
        """The blocking problem as a code (paper_out, cover_open, offline), or None."""
        if self.paper == "out":
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if self.online is False:
            return "offline"
        return None


UNKNOWN = PrinterStatus()


def valid_status_byte(reply: bytes) -> int | None:
    """The status byte of a DLE EOT reply, or None when there is none or it is not one."""
    if len(reply) < 1:
        return None
    b = reply[-1]  # a late reply to an earlier query may precede it
    return b if (b & 0x93) == 0x12 else None


def parse_status(online: bytes, cause: bytes, paper: bytes) -> PrinterStatus:
    """Turn DLE EOT 1 / 2 / 4 replies into a :class:`PrinterStatus`."""
    b1, b2, b4 = valid_status_byte(online), valid_status_byte(cause), valid_status_byte(paper)
    paper_state = None
    if b4 is not None:
        paper_state = "out" if b4 & 0x60 else "near_end" if b4 & 0x0C else "ok"
    if b2 is not None and b2 & 0x20 and paper_state is None:
        paper_state = "out"
    return PrinterStatus(
        online=None if b1 is None else not (b1 & 0x08),
        paper=paper_state,
        cover_open=None if b2 is None else bool(b2 & 0x04),
    )


def _ask(device: Any, query: bytes) -> bytes:
    try:
        reply = device.query_status(query)
        if reply == b"" and isinstance(getattr(device, "_device", None), socket.socket):
            # recv() on a socket returns b"" only at end of stream: the printer
            # closed the connection (a timeout raises instead)
            raise ConnectionResetError("the printer closed the connection")
        return bytes(reply or b"")
    except (TimeoutError, NotImplementedError):
        return b""
    except ConnectionError:
        raise  # reset or broken: the link is gone, which is not an unknown status
    except OSError:
        return b""
    except Exception:  # a USB/serial backend's own timeout exception
        return b""


def read_status(device: Any) -> PrinterStatus:
    """Ask an open python-escpos printer for its status; unknown when it does not answer."""
    online = _ask(device, RT_STATUS_ONLINE)
    if valid_status_byte(online) is None:
        return UNKNOWN
    cause = _ask(device, RT_STATUS_OFFLINE_CAUSE)
    paper = _ask(device, RT_STATUS_PAPER)
    return parse_status(online, cause, paper)
