"""Restoring a backup from a program that has the store open itself (the GUI till).

:func:`terminal.backup.restore` refuses while any process holds the store,
and the program asking holds it too. :func:`restore_open_store` checks that
the person may restore (before anything is closed), closes the program's own
store, restores, and opens the store again — the restored one, or the old one
when the restore was refused (another program has the store open, sales would
be lost, a bad file). The caller carries on with the home it returns; the old
one is closed. What was open on the old store (a basket, a logged-in user)
belongs to the old store: the caller starts again from its login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from terminal import backup
from terminal.auth import Actor, Permission
from terminal.errors import PosError
from terminal.home import TerminalHome


@dataclass(frozen=True)
class Reopened:
    """The store open again, with what the restore did (``report``) or why it did not
    (``error``: nothing was changed)."""

    home: TerminalHome
    report: backup.RestoreReport | None
    error: PosError | None


def may_restore(actor: Actor) -> None:
    """Refuse ``actor`` unless they may restore (the check :func:`~terminal.backup.restore`
    makes first): a screen asks before it offers a restore, and before the store is closed."""
    backup._require(actor, (Permission.BACKUP_RESTORE, Permission.SETTINGS), "restore_needs_admin")


def restore_open_store(
    home: TerminalHome,
    backup_file: Path,
    *,
    actor: Actor,
    carry_over: bool = False,
    force: bool = False,
    now: datetime | None = None,
    terminal_id: str | None = None,
) -> Reopened:
    """Close ``home``, restore ``backup_file`` over its store, and open the store again.

    Refused before the store is closed when ``actor`` may not restore
    (:func:`may_restore`). A refusal of the
    restore itself comes back as ``error`` with the old store open again.
    Anything else (an unexpected failure, a store that cannot be opened
    afterwards) is raised with the store closed: the program must restart.
    """
    may_restore(actor)
    root = home.data.root
    home.close()
    report: backup.RestoreReport | None = None
    error: PosError | None = None
    try:
        report = backup.restore(
            home.data,
            Path(backup_file),
            actor=actor,
            carry_over=carry_over,
            force=force,
            now=now,
            terminal_id=terminal_id,
        )
    except PosError as exc:
        error = exc
    return Reopened(TerminalHome.open(root), report, error)
