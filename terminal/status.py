"""What the status bar shows: the printer, the camera and HQ, as one object.

The glue that drives each part fills it (the print worker, the camera worker,
the sync agent) from whatever thread it runs on; front ends read it and
listen for the ``status_changed`` event. Kept in the core and free of Qt, so
the sync agent, which may not import a front end, can fill its part.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from terminal import events

Part = Literal["printer", "camera", "hq"]
State = Literal["ok", "warning", "offline", "not_configured", "unknown"]


@dataclass(frozen=True)
class Health:
    """One part's state, the catalogue code of what to tell the person, and since when."""

    state: State = "unknown"
    code: str = ""
    params: tuple[tuple[str, Any], ...] = ()
    since: datetime | None = None
    waiting: int = 0  # HQ: records not yet sent; printer: jobs not yet printed


class TillStatus:
    """The till's device and connection states; safe to update from any thread."""

    def __init__(self, bus: events.EventBus | None = None) -> None:
        self._lock = threading.Lock()
        self._bus = bus or events.bus
        self._parts: dict[str, Health] = {
            "printer": Health(),
            "camera": Health(),
            "hq": Health("not_configured", "hq_not_configured"),
        }

    def get(self, part: Part) -> Health:
        with self._lock:
            return self._parts[part]

    def hq_reachable(self) -> bool:
        """Whether HQ answered the sync agent's last round: the till sells on online rules
        (the whole balance), not the offline allowance and caps."""
        hq = self.get("hq")
        return hq.state == "ok" or hq.code == "hq_parked"

    def set(
        self,
        part: Part,
        state: State,
        code: str = "",
        *,
        waiting: int | None = None,
        now: datetime | None = None,
        **params: Any,
    ) -> None:
        """Record ``part``'s state; announces ``status_changed`` only when it changed."""
        with self._lock:
            old = self._parts[part]
            since = old.since if old.state == state else (now or datetime.now(UTC))
            new = replace(
                old,
                state=state,
                code=code,
                params=tuple(sorted(params.items())),
                since=since,
                waiting=old.waiting if waiting is None else waiting,
            )
            changed = new != old
            self._parts[part] = new
        if changed:
            self._bus.emit("status_changed", part=part)


status = TillStatus()
"""The process's status object."""
