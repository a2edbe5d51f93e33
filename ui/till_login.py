"""Asking who is at the keyboard till: user number, PIN, the core's answer.

Kept apart from :mod:`ui.keyboard_till` so ``posterm till`` can ask for the
login before it loads the checkout, pricing and printing code, which then
loads while the cashier types (``ui/cli/till_cmds.py`` even opens the store
behind the first prompt).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from terminal import auth
from terminal.errors import PosError
from terminal.store.database import Database


def ask_login(
    db: Database,
    terminal_id: str,
    *,
    ask: Callable[[str], str],
    ask_secret: Callable[[str], str],
    clock: Callable[[], datetime],
    lockout: tuple[int, int],
    prompt: str = "收银员",
) -> auth.Actor:
    """One try: the user number and PIN asked, checked by the core (lockout and all)."""
    username = ask(f"{prompt} 工号: ").strip()
    pin = ask_secret("密码: ")
    max_attempts, lock_minutes = lockout
    with db.transaction() as session:
        return auth.login(
            session,
            username,
            pin,
            now=clock(),
            terminal_id=terminal_id,
            max_attempts=max_attempts,
            lock_minutes=lock_minutes,
        )


def login_loop(
    db: Database,
    terminal_id: str,
    *,
    ask: Callable[[str], str],
    ask_secret: Callable[[str], str],
    say: Callable[[str], None],
    clock: Callable[[], datetime],
    lockout: tuple[int, int],
) -> auth.Actor:
    """Ask until someone logs in; every refusal is one line (the core's words)."""
    while True:
        try:
            return ask_login(
                db, terminal_id, ask=ask, ask_secret=ask_secret, clock=clock, lockout=lockout
            )
        except PosError as exc:
            say(f"！ {exc}")
