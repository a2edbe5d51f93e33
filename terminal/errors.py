"""Errors the till shows to a person.

Every refusal in the core is a :class:`PosError` whose ``str()`` is a message a
cashier or manager can act on (Chinese first, English after the slash) and
whose ``code`` is stable for tests, the CLI and the GUI. Nothing else should
reach the screen; a traceback never does.
"""

from __future__ import annotations


class PosError(Exception):
    """A refusal with a stable ``code`` and a message for the person at the till."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class NotFound(PosError):
    code = "not_found"


class InvalidInput(PosError):
    code = "invalid"


class PermissionDenied(PosError):
    code = "permission_denied"


class StateError(PosError):
    """The action does not fit the current state (no open shift, already returned...)."""

    code = "state"
