"""Asking the person at the keyboard for a PIN, for every command that needs one."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime

from terminal import auth
from terminal.errors import InvalidInput
from terminal.home import TerminalHome


def ask_secret(prompt: str) -> str:
    """Hide the PIN on a real terminal; read it plainly when input is piped (scripts, tests).

    No input at all (standard input closed, ``< /dev/null``) is one clear refusal.
    """
    try:
        return getpass.getpass(prompt) if sys.stdin.isatty() else input(prompt)
    except EOFError:
        raise InvalidInput("input_closed") from None


def login(till: TerminalHome, username: str, prompt: str = "密码 PIN: ") -> auth.Actor:
    """Ask ``username``'s PIN and log in, with this till's lockout settings."""
    return login_with_pin(till, username, prompt)[0]


def login_with_pin(
    till: TerminalHome, username: str, prompt: str = "密码 PIN: "
) -> tuple[auth.Actor, str]:
    """Like :func:`login`, also returning the PIN typed (a user changing their own PIN)."""
    pin = ask_secret(prompt)
    with till.db.transaction() as session:
        actor = auth.login(
            session,
            username,
            pin,
            now=datetime.now(UTC),
            terminal_id=till.terminal_row(session).id,
            max_attempts=till.config.security.lockout_attempts,
            lock_minutes=till.config.security.lockout_minutes,
        )
    return actor, pin
