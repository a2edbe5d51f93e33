"""How long the GUI's event loop stalls while the receipt printer times out.

A demo till runs the real main window (offscreen unless ``QT_QPA_PLATFORM``
says otherwise) with a network printer on 127.0.0.1 that hangs: first one
that takes the connection and never answers a status query (python-escpos
waits ``status_timeout_seconds`` twice: before and after sending), then one
whose connections are never accepted (the connect times out after
``timeout_seconds``). For each, a card sale is committed and printed the way
the till prints after a sale (``PrintDesk.after_sale``: the device pool),
while a 1 ms heartbeat timer on the GUI thread records when it fires and the
cashier scans an item every 50 ms (``--scan-ms``; each scan re-prices the
basket on the store thread and redraws it). A gap between two ticks is time
the event loop could not run. Printed: how long the print took and how it
ended, the scans served meanwhile, and the heartbeat gaps (median, 99th
percentile, longest), with the idle window first (what the machine adds on
its own).

    .venv/bin/python bench/bench_gui_printer_stall.py [--status-timeout 2] [--timeout 3]
        [--scan-ms 50]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_till(root: Path) -> Path:
    from ui.cli import main as cli

    data = root / "till"
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            assert cli(["demo", "--data-dir", str(data), "--members", "30"]) == 0
        finally:
            sys.stdout = stdout
    return data


def gaps_ms(stamps: list[float]) -> list[float]:  # float ok: timings, not money
    return [(b - a) * 1000.0 for a, b in itertools.pairwise(stamps)]


def row(name: str, took: float, outcome: str, scans: int, gaps: list[float]) -> str:
    q = statistics.quantiles(gaps, n=100)
    return (
        f"| {name} | {took:.2f} | {outcome} | {scans} | {len(gaps) + 1} "
        f"| {statistics.median(gaps):.2f} | {q[98]:.2f} | {max(gaps):.1f} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--status-timeout", type=float, default=2.0, help="printer status timeout, s")
    ap.add_argument("--timeout", type=float, default=3.0, help="printer connect timeout, s")
    ap.add_argument("--scan-ms", type=int, default=50, help="scan an item every N ms; 0: none")
    args = ap.parse_args()

    import PySide6
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from devices.printer import PrinterSettings, ReceiptPrinter
    from terminal import auth, print_jobs, shift_close
    from terminal.home import TerminalHome
    from terminal.tenders import Tender
    from tests.ui.qt.stallkit import SilentPrinter, no_answer_port
    from ui.qt import ops
    from ui.qt.app import application, build

    with tempfile.TemporaryDirectory() as tmp:
        home = TerminalHome.open(make_till(Path(tmp)))
        app = application()
        win = build(home)
        win.show()
        ctx = win.ctx
        with home.db.transaction() as session:
            cashier = auth.login(session, "1001", "1111", now=ctx.clock())
        shift_close.open_shift(
            home.db,
            terminal_id=ctx.settings.terminal_id,
            actor=cashier,
            opening_float=50000,
            now=ctx.clock(),
        )
        win._start(cashier)
        desk = win.printing

        def network(port: int) -> ReceiptPrinter:
            return ReceiptPrinter(
                PrinterSettings(
                    connection="network",
                    host="127.0.0.1",
                    port=port,
                    timeout_seconds=args.timeout,
                    status_timeout_seconds=args.status_timeout,
                )
            )

        def card_sale() -> str:
            co = ctx.checkout
            assert co is not None
            co.add("SKU000300", 1)
            return co.pay([Tender("card", co.quote().payable)]).sale_id

        def measure(start: Callable[[], None] | None, seconds: float = 2.0) -> tuple:
            """Heartbeat gaps (and scans served) while ``start``'s printing runs."""
            stamps: list[float] = []
            heartbeat = QTimer()
            heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
            heartbeat.setInterval(1)
            heartbeat.timeout.connect(lambda: stamps.append(time.perf_counter()))
            scans = [0]
            scanner = QTimer()
            scanner.setInterval(max(args.scan_ms, 1))
            scanner.timeout.connect(lambda: win.checkout.scan_text("SKU000002"))
            shown = win.checkout.basket_shown
            counted = shown.connect(lambda _b: scans.__setitem__(0, scans[0] + 1))
            loop = QEventLoop()
            heartbeat.start()
            began = time.perf_counter()
            if start is None:
                QTimer.singleShot(int(seconds * 1000), loop.quit)
            else:
                if args.scan_ms > 0:
                    scanner.start()
                desk.busy_changed.connect(lambda busy: None if busy else loop.quit())
                QTimer.singleShot(120_000, loop.quit)  # a safety net, never reached
                start()
            loop.exec()
            took = time.perf_counter() - began
            heartbeat.stop()
            scanner.stop()
            shown.disconnect(counted)
            ops.wait_all(30_000)
            app.processEvents()
            return took, scans[0], gaps_ms(stamps)

        def outcome(sale_id: str) -> str:
            with home.db.sessions() as session:
                [job] = print_jobs.jobs_for_sale(session, sale_id)
                return job.status + (f" ({job.last_error})" if job.last_error else "")

        ops.wait_all(30_000)
        app.processEvents()  # the basket shown at log-in
        rows = []
        took, scans, idle = measure(None)
        rows.append(row("idle (no printing)", took, "-", scans, idle))

        silent = SilentPrinter()
        try:
            ctx.printer = network(silent.port)
            sale = card_sale()
            took, scans, gaps = measure(lambda: desk.after_sale(sale))
            rows.append(row("printer silent (status timeouts)", took, outcome(sale), scans, gaps))
        finally:
            silent.close()

        with no_answer_port() as port:
            ctx.printer = network(port)
            sale = card_sale()
            took, scans, gaps = measure(lambda: desk.after_sale(sale))
            name = "printer unreachable (connect timeout)"
            rows.append(row(name, took, outcome(sale), scans, gaps))

        ops.wait_all(30_000)
        win.close()
        home.close()

    print(
        f"PySide6 {PySide6.__version__}, CPython {sys.version.split()[0]}, "
        f"status timeout {args.status_timeout} s, connect timeout {args.timeout} s"
    )
    print()
    print("| while | print took, s | job | scans served | ticks | median gap, ms "
          "| p99 gap, ms | longest gap, ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for line in rows:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
