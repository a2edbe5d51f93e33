"""Errors the till shows to a person.

Every refusal in the core is a :class:`PosError` carrying a stable ``code``
and the ``params`` its message needs. The words come from one catalogue
(:mod:`terminal.messages`) in zh_CN and en, so each front end shows the
language it runs in (``exc.text("en")``), tests and HQ compare codes, and
``str(exc)`` is the bilingual line the command shell prints ("中文 / English").
Nothing else should reach the screen; a traceback never does.
"""

from __future__ import annotations

from typing import Any

from terminal import messages


class PosError(Exception):
    """A refusal with a stable ``code`` and a message for the person at the till.

    ``PosError("unknown_member")`` or ``InvalidInput("bad_qty", field="qty")``:
    the code names an entry of the message catalogue and ``params`` fill its
    placeholders. The class says what kind of refusal it is (the GUI may
    style a permission refusal differently from a typo); the code says which.
    """

    code = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code)

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the process language, see :mod:`terminal.messages`)."""
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return messages.bilingual(self.code, self.params)


class NotFound(PosError):
    code = "not_found"


class InvalidInput(PosError):
    code = "invalid"


class PermissionDenied(PosError):
    code = "permission_denied"


class StateError(PosError):
    """The action does not fit the current state (no open shift, already returned...)."""

    code = "state"


class StoreError(PosError):
    """The local store cannot be used (damaged, full disk, read-only, too new, in use)."""

    code = "store_error"


class StoreCorrupt(StoreError):
    """The store file failed its integrity check or is not a store at all."""

    code = "store_corrupt"
