"""``posterm config show|check``.

``check`` validates every table the programs read, with the code that reads
them: the terminal's own tables through :func:`terminal.config.load_config`,
``[printer]`` and ``[camera]`` through :func:`terminal.config.device_section`
with the devices' models (what ``posterm print`` and the camera do when they
start). It then checks what a single table cannot see: that the store holds
the ``[store]`` and ``[terminal]`` codes, that receipt and printer paper agree,
and that the printer profile, connection driver and (image mode) font exist
here. Each problem is one line naming the file,
line and key; all of them are listed, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "config",
        description=(
            "查看或检查数据目录中的 config.toml。各项说明见 docs/configuration.md。\n"
            "Show or check <data>/config.toml; keys are described in docs/configuration.md."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    show = sub.add_parser(
        "show",
        help="显示生效的配置（含默认值）/ print the effective config, defaults filled in",
    )
    show.set_defaults(func=cmd_show)
    check = sub.add_parser(
        "check",
        help="检查全部配置（含打印机、摄像头），正确则输出 ok / validate every table, "
        "printer and camera included; prints ok, or each problem with its line",
    )
    check.set_defaults(func=cmd_check)


def cmd_show(args: argparse.Namespace) -> int:
    from terminal.config import load_config
    from terminal.config_render import render_config
    from ui.cli import data_dir_of

    data = data_dir_of(args)
    print(f"# {data.config_path}")
    print(render_config(load_config(data.config_path), comments=False), end="")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ui.cli import data_dir_of

    problems = check_config(data_dir_of(args).root)
    if not problems:
        print("ok")
        return 0
    for problem in problems:
        print(f"posterm: {problem}", file=sys.stderr)
    return 2


class _Lines:
    """Problem lines in the format of :class:`terminal.config.ConfigError` problems."""

    def __init__(self, path: Path, text: str) -> None:
        from terminal.config import key_lines

        self.path = path
        self.lines = key_lines(text)
        self.problems: list[str] = []

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)

    def add(self, key: str, value: Any, code: str, /, **params: Any) -> None:
        from terminal import messages

        line = self.lines.get(key)
        where = f"{self.path} line {line}: " if line is not None else f"{self.path}: "
        shown = f" = {json.dumps(value, ensure_ascii=False)}" if value is not None else ""
        self.problems.append(f"{where}{key}{shown}: {messages.bilingual(code, params)}")


def check_config(root: Path) -> list[str]:
    """Every problem of ``<root>/config.toml`` as one line each (empty when all is well)."""
    import tomllib

    from devices.camera import CameraSettings
    from devices.printer import PrinterSettings
    from terminal.config import ConfigError, DataDir, TerminalConfig, device_section, load_config

    data = DataDir(root)
    try:
        text = data.config_path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        load_config(data.config_path)  # raises the ConfigError that says what is wrong
        raise
    config: TerminalConfig | None
    problems: list[str] = []
    try:
        config = load_config(data.config_path)
    except ConfigError as exc:
        config, problems = None, list(exc.problems)
    report = _Lines(data.config_path, text)
    tables = config
    if tables is None:  # read the device tables even when another table is wrong
        tables = TerminalConfig.model_construct(
            **{name: raw[name] for name in ("printer", "camera") if isinstance(raw.get(name), dict)}
        )
    printer: PrinterSettings | None = None
    for name, model in (("printer", PrinterSettings), ("camera", CameraSettings)):
        if not isinstance(getattr(tables, name, None), dict):
            continue  # not a table: load_config said so
        try:
            settings = device_section(tables, data.config_path, name, model)  # type: ignore[arg-type]
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(settings, PrinterSettings):
            printer = settings
    if printer is not None:
        _check_printer(printer, report)
    receipt = _section(config, raw, "receipt")
    # [receipt] paper moved to [printer] paper; an older file may still say something else
    legacy = receipt.paper if receipt is not None else None
    if printer is not None and legacy is not None and legacy != printer.paper:
        where = f"printer.paper = {json.dumps(printer.paper)}"
        if report.line_of("printer.paper") is not None:
            where += f", line {report.line_of('printer.paper')}"
        report.add(
            "receipt.paper",
            legacy,
            "config_paper_mismatch",
            printer=printer.paper,
            where=where,
        )
    store, terminal = _section(config, raw, "store"), _section(config, raw, "terminal")
    if store is not None and terminal is not None:
        _check_store_codes(store.code, terminal.code, data, report)
    return sorted([*problems, *report.problems], key=lambda p: _line_number(p))


def _section(config: Any, raw: dict[str, Any], name: str) -> Any:
    """Table ``name`` of the config, or validated alone when another table is wrong (None if
    this one is wrong too: its problem is already listed)."""
    if config is not None:
        return getattr(config, name)
    from pydantic import ValidationError

    from terminal.config import TerminalConfig

    model = TerminalConfig.model_fields[name].annotation
    try:
        return model.model_validate(raw.get(name, {}))  # type: ignore[union-attr]
    except ValidationError:
        return None


def _line_number(problem: str) -> int:
    """The line a problem names; problems without one go last."""
    marker = " line "
    if marker in problem:
        digits = problem.split(marker, 1)[1].split(":", 1)[0]
        if digits.isdigit():
            return int(digits)
    return sys.maxsize


def _check_printer(printer: Any, report: _Lines) -> None:
    """What the printer table cannot know by itself: profile, driver and font on this machine."""
    from escpos.capabilities import CAPABILITIES

    from devices.printer import FontMissing, find_cjk_font
    from devices.printer.transport import is_usable

    if printer.profile not in CAPABILITIES["profiles"]:
        report.add("printer.profile", printer.profile, "config_unknown_profile")
    if not is_usable(printer):
        report.add(
            "printer.connection",
            printer.connection,
            "config_driver_missing",
            detail={"usb": "pyusb", "serial": "pyserial", "cups": "pycups"}.get(
                printer.connection, printer.connection
            ),
        )
    if printer.text_mode == "image":
        try:
            find_cjk_font(printer.font_path)
        except FontMissing as exc:
            key = "printer.font_path" if printer.font_path else "printer.text_mode"
            report.add(key, getattr(printer, key.split(".")[1]), "config_no_font", detail=str(exc))


def _check_store_codes(store_code: str, terminal_code: str, data: Any, report: _Lines) -> None:
    """The ``[store]`` and ``[terminal]`` codes must be ones the store holds (if it exists)."""
    if not data.store_path.exists():
        return
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from terminal.errors import PosError
    from terminal.store.database import Database
    from terminal.store.models import Store, Terminal

    try:
        db = Database(data.store_path, migrate=False)
        try:
            with db.sessions() as session:
                stores = sorted(session.scalars(select(Store.code)))
                terminals = sorted(session.scalars(select(Terminal.code)))
        finally:
            db.close()
    except (PosError, SQLAlchemyError) as exc:
        report.add("store.code", None, "config_store_unreadable", detail=type(exc).__name__)
        return
    if stores and store_code not in stores:
        report.add(
            "store.code",
            store_code,
            "config_unknown_store",
            code=store_code,
            known=", ".join(stores),
        )
    if terminals and terminal_code not in terminals:
        report.add(
            "terminal.code",
            terminal_code,
            "config_unknown_terminal",
            code=terminal_code,
            known=", ".join(terminals),
        )
