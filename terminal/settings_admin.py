"""Changing the till's settings: only those allowed, validated, audited, never half-written.

Every front end that changes ``config.toml`` (the GUI's settings screen,
``posterm config set``) calls :func:`set_value`, so the SETTINGS permission
is checked here, the new file is validated by the same model that reads it
before it replaces the old one, and the change is in the audit trail.
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomlkit

from terminal import audit
from terminal.auth import Actor, Permission, authorize
from terminal.config import DataDir, TerminalConfig, parse_config
from terminal.errors import InvalidInput
from terminal.files import atomic_write_text
from terminal.store.database import Database


def _value(raw: str) -> Any:
    """A TOML value typed as text (``5``, ``true``, ``"58mm"``); bare words are strings."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return raw


def set_value(
    data: DataDir,
    db: Database,
    *,
    actor: Actor,
    key: str,
    raw: str,
    terminal_id: str | None = None,
) -> TerminalConfig:
    """Set ``section.key`` (dotted) in ``config.toml`` to the value ``raw`` says.

    Needs SETTINGS. The edited file keeps its comments; it is validated in
    full before it atomically replaces the old one, so a bad value changes
    nothing and is refused with the same one-line message ``config check`` gives.
    """
    authorize(actor, Permission.SETTINGS)
    parts = key.split(".")
    if len(parts) != 2 or not all(parts):
        raise InvalidInput("bad_setting_key", key=key[:60])
    section, name = parts
    path = data.config_path
    text = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc[section] = table
    old = table.get(name)
    table[name] = _value(raw)
    new_text = tomlkit.dumps(doc)
    config = parse_config(new_text, path)  # a bad value raises here, nothing written
    atomic_write_text(path, new_text)
    with db.transaction() as session:
        audit.record(
            session,
            "settings_changed",
            user_id=actor.user_id,
            terminal_id=terminal_id,
            target=key,
            old=None if old is None else str(old)[:100],
            new=str(table[name])[:100],
        )
    return config
