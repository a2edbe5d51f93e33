"""Running work off the GUI thread and handing the result back to the screen.

After Anki's ``CollectionOp``/``QueryOp``: every action becomes one line::

    Op(self, lambda: co.add(code)).success(self.show_basket).run()

``fn`` runs on a worker thread; ``success(result)`` or ``failure(exc)`` runs
on the GUI thread, never touching a widget from the worker. Store work runs on
ONE thread (:data:`STORE`), so the core never sees two of its own calls at
once and a sale is never written while the basket is being changed; devices,
printing, sync and reports run on a separate pool (:data:`DEVICES`), so a
printer that takes 30 s to time out never delays the next scan.

A failure with no handler of its own goes to :func:`set_default_failure`,
which the main window points at its one-line message bar; nothing is ever
shown as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

STORE = QThreadPool()
STORE.setMaxThreadCount(1)
DEVICES = QThreadPool()
DEVICES.setMaxThreadCount(4)


def _log_failure(exc: BaseException) -> None:
    log.error("op failed: %r", exc)


_default_failure: Callable[[BaseException], None] = _log_failure


def set_default_failure(handler: Callable[[BaseException], None]) -> None:
    """Where failures go when an op has no failure handler (the main window's message bar)."""
    global _default_failure
    _default_failure = handler


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call back to the GUI.

    The slots are methods of this object, so Qt delivers them on the thread the
    relay lives in (a plain function slot could run on the emitting worker).
    """

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[Any], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(self._done)
        self.failed.connect(self._failed)

    @Slot(object)
    def _done(self, result: Any) -> None:
        _running.discard(self)
        self._on_done(result)

    @Slot(object)
    def _failed(self, exc: Any) -> None:
        _running.discard(self)
        self._on_failed(exc)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_running: set[_Relay] = set()  # keeps relays alive until their result arrived


class Op(Generic[T]):
    """One piece of work off the GUI thread, with callbacks on the GUI thread."""

    def __init__(self, parent: QObject | None, fn: Callable[[], T]) -> None:
        self.parent = parent
        self.fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None

    def success(self, handler: Callable[[T], None]) -> Op[T]:
        self._success = handler
        return self

    def failure(self, handler: Callable[[BaseException], None]) -> Op[T]:
        self._failure = handler
        return self

    def finally_(self, handler: Callable[[], None]) -> Op[T]:
        """Run after success or failure (e.g. re-enable a button)."""
        self._finally = handler
        return self

    def run(self, pool: QThreadPool = STORE) -> None:
        """Start the work; must be called on the GUI thread."""
        relay = _Relay(self._done, self._failed)
        _running.add(relay)
        pool.start(_Task(self.fn, relay))

    def _done(self, result: T) -> None:
        try:
            if self._success is not None:
                self._success(result)
        finally:
            if self._finally is not None:
                self._finally()

    def _failed(self, exc: BaseException) -> None:
        try:
            (self._failure or _default_failure)(exc)  # looked up now: set by the window
        finally:
            if self._finally is not None:
                self._finally()


def device_op(parent: QObject | None, fn: Callable[[], T]) -> Op[T]:
    """An :class:`Op` meant for :data:`DEVICES` (call ``.run(DEVICES)``); for readability."""
    return Op(parent, fn)


def wait_all(timeout_ms: int = 30_000) -> bool:
    """Wait for every running op (at shutdown, and in tests)."""
    return STORE.waitForDone(timeout_ms) and DEVICES.waitForDone(timeout_ms)
