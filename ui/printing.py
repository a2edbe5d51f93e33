"""From the store's print queue to the receipt printer, and the cash drawer at payment.

Glue between ``terminal/`` (the jobs and the rules for printing them, kept in
the store) and ``devices/`` (rendering and sending), which may not import each
other. It holds no rule: :func:`print_waiting` hands the printer to
``terminal.print_jobs.run``, which decides which jobs go, in which order and
what a failure does to the rest; :func:`after_sale` asks the core whether a
sale opens the cash drawer and pulses it before the receipt prints. Device
outcomes carry message codes; :func:`messages` turns them into words.

The GUI runs these on its printer worker thread (one at a time); the CLI and
the keyboard till call them after a sale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices import printer as printers
from devices.printer import PrinterSettings
from terminal import print_jobs
from terminal.config import TerminalConfig, device_section
from terminal.home import TerminalHome
from terminal.messages import bilingual
from terminal.store.database import Database

if TYPE_CHECKING:  # python-escpos loads on first print, not when the till starts
    from devices.printer import ReceiptPrinter

log = logging.getLogger(__name__)


def printer_settings(config: TerminalConfig, config_path: Path) -> PrinterSettings:
    """The ``[printer]`` table, with the store's one paper width.

    The paper width is ``[printer] paper``: the layout and the printer both
    read it from here. Configs written before it moved may still hold
    ``[receipt] paper``; that value is used when ``[printer]`` sets none.
    """
    settings = device_section(config, config_path, "printer", PrinterSettings)
    legacy = config.receipt.paper
    if legacy is None or legacy == settings.paper:
        return settings
    if "paper" not in config.printer:
        return settings.model_copy(update={"paper": legacy})
    log.warning(
        "%s: [receipt] paper = %r is ignored; [printer] paper = %r is the paper width",
        config_path,
        legacy,
        settings.paper,
    )
    return settings


def printer_for(till: TerminalHome) -> ReceiptPrinter:
    """The receipt printer the config describes."""
    return printers.ReceiptPrinter(printer_settings(till.config, till.data.config_path))


def _sender(printer: ReceiptPrinter) -> Callable[[Mapping[str, Any]], print_jobs.Delivery]:
    def send(document: Mapping[str, Any]) -> print_jobs.Delivery:
        outcome = printers.print_document(printer, document)
        if not outcome.ok:
            log.warning("print failed: %s (%s)", outcome.code, outcome.detail)
        return print_jobs.Delivery(outcome.ok, outcome.sent, outcome.code, outcome.warning)

    return send


def print_waiting(
    db: Database, printer: ReceiptPrinter, *, retry_failed: bool = False
) -> list[print_jobs.Attempt]:
    """Print the waiting jobs (and, with ``retry_failed``, the failed ones) as the core says."""
    return print_jobs.run(
        db, _sender(printer), clock=lambda: datetime.now(UTC), retry_failed=retry_failed
    )


def open_drawer_for(db: Database, printer: ReceiptPrinter, sale_id: str) -> list[str]:
    """Pulse the cash drawer if the core says this sale opens it; what the cashier should read."""
    with db.sessions() as session:
        if not print_jobs.opens_drawer(session, sale_id):
            return []
    outcome = printer.open_drawer()
    if outcome.ok:
        return []
    log.warning("cash drawer: %s (%s)", outcome.code, outcome.detail)
    return [f"！ {bilingual(outcome.code)}"]


def after_sale(db: Database, printer: ReceiptPrinter, sale_id: str) -> list[str]:
    """After a committed sale or return: open the drawer (cash only), then print.

    The drawer opens first and on its own, so the change can be given while
    the printer is out of paper; the receipt then prints with the queue.
    Returns the lines the cashier should read (nothing when all went well).
    """
    return open_drawer_for(db, printer, sale_id) + messages(print_waiting(db, printer))


class AfterCommit:
    """:func:`after_sale` for a front end that does not say which sale it committed.

    The keyboard till's ``after_commit`` takes no arguments: this remembers
    the last sale of the terminal it has seen, and each call handles the sales
    and returns committed since (so a sale from before the till started, or
    one handled already, never opens the drawer).
    """

    def __init__(
        self, db: Database, printer: Callable[[], ReceiptPrinter], terminal_id: str
    ) -> None:
        self.db = db
        self._make_printer = printer  # made at the first sale: the till starts without escpos
        self._printer: ReceiptPrinter | None = None
        self.terminal_id = terminal_id
        with db.sessions() as session:
            self.last_seq = print_jobs.last_sale_seq(session, terminal_id)

    @property
    def printer(self) -> ReceiptPrinter:
        if self._printer is None:
            self._printer = self._make_printer()
        return self._printer

    def __call__(self) -> list[str]:
        with self.db.sessions() as session:
            new = print_jobs.sales_after(session, self.terminal_id, self.last_seq)
        lines: list[str] = []
        for sale_id, seq in new:
            self.last_seq = seq
            lines += open_drawer_for(self.db, self.printer, sale_id)
        return lines + messages(print_waiting(self.db, self.printer))


def messages(attempts: list[print_jobs.Attempt]) -> list[str]:
    """What the cashier should read about a print run (nothing when all went well)."""
    out = []
    for a in attempts:
        if not a.delivery.ok:
            out.append(f"！ {bilingual(a.delivery.code or 'print_failed')}")
        elif a.delivery.warning:
            out.append(f"提示：{bilingual(a.delivery.warning)}")
    return out
