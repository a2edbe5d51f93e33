"""What a settings screen needs beyond :func:`terminal.settings_admin.set_value`.

* :func:`set_values` changes several keys of ``config.toml`` as one edit: a
  printer connection is a group (``connection = "network"`` is only valid
  together with its ``host``), so it is validated and written whole or not at
  all. ``check`` lets the caller validate what the core cannot see: the
  ``[printer]`` and ``[camera]`` tables belong to the devices package, which
  the core may not import, so the front end passes the devices' own check.
* :func:`candidate` is the config an edit would give, validated, with nothing
  written: what a "test print" or "test camera" tries before it is saved.
* :func:`set_store_detail` changes the store's name or address: receipts print
  the store row of the local store, so the row follows the config file.
* :func:`toml_text` writes a typed text as a TOML string value.

Every change needs SETTINGS, is validated by the model that reads the file
before the file is replaced, keeps the file's comments, and is audited.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from typing import Any, Literal

import tomlkit

from terminal import audit
from terminal.auth import Actor, Permission, authorize
from terminal.config import DataDir, TerminalConfig, parse_config
from terminal.errors import InvalidInput
from terminal.files import atomic_write_text
from terminal.home import TerminalHome
from terminal.settings_admin import set_value
from terminal.store.database import Database


def toml_text(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(raw: str) -> Any:
    """A TOML value typed as text (``5``, ``true``, ``"58mm"``); bare words are strings
    (as :func:`terminal.settings_admin.set_value` reads them)."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _split(key: str) -> tuple[str, str]:
    parts = key.split(".")
    if len(parts) != 2 or not all(parts):
        raise InvalidInput("bad_setting_key", key=key[:60])
    return parts[0], parts[1]


def _edit(
    data: DataDir, changes: Mapping[str, str]
) -> tuple[str, TerminalConfig, dict[str, tuple[str | None, str]]]:
    """The edited file's text, its validated config and (old, new) per key; nothing written."""
    path = data.config_path
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    before: dict[str, tuple[str | None, str]] = {}
    for key, raw in changes.items():
        section, name = _split(key)
        table = doc.get(section)
        if table is None:
            table = tomlkit.table()
            doc[section] = table
        old = table.get(name)
        table[name] = _value(raw)
        before[key] = (None if old is None else str(old)[:100], str(table[name])[:100])
    text = tomlkit.dumps(doc)
    return text, parse_config(text, path), before  # a bad value raises here


def candidate(data: DataDir, changes: Mapping[str, str]) -> TerminalConfig:
    """The config ``changes`` (dotted key -> TOML value text) would give; nothing is written."""
    return _edit(data, changes)[1]


def set_values(
    data: DataDir,
    db: Database,
    *,
    actor: Actor,
    changes: Mapping[str, str],
    check: Callable[[TerminalConfig], object] | None = None,
    terminal_id: str | None = None,
) -> TerminalConfig:
    """Set every ``section.key`` of ``changes`` to its TOML value text, all or none.

    Needs SETTINGS. The edited file is validated in full, then by ``check``
    (which raises to refuse, e.g. the printer's own settings model), before it
    atomically replaces the old one; each key is audited as ``settings_changed``.
    """
    authorize(actor, Permission.SETTINGS)
    if not changes:
        raise ValueError("set_values needs at least one change")
    text, config, before = _edit(data, changes)
    if check is not None:
        check(config)
    atomic_write_text(data.config_path, text)
    with db.transaction() as session:
        for key, (old, new) in before.items():
            audit.record(
                session,
                "settings_changed",
                user_id=actor.user_id,
                terminal_id=terminal_id,
                target=key,
                old=old,
                new=new,
            )
    return config


def set_store_detail(
    home: TerminalHome,
    *,
    actor: Actor,
    field: Literal["name", "address"],
    text: str,
    terminal_id: str | None = None,
) -> TerminalConfig:
    """Set the store's name or address in ``config.toml`` and in the store row receipts print.

    The config is changed through :func:`set_value` (permission, validation,
    audit); this till's store row then takes the same value.
    """
    if field not in ("name", "address"):
        raise InvalidInput("bad_setting_key", key=f"store.{field}"[:60])
    config = set_value(
        home.data,
        home.db,
        actor=actor,
        key=f"store.{field}",
        raw=toml_text(text),
        terminal_id=terminal_id,
    )
    with home.db.transaction() as session:
        setattr(home.store_row(session), field, getattr(config.store, field))
    return config
