"""A scanned barcode to its basket row painted, at the GUI till, on a full-size store.

    .venv/bin/python bench/bench_gui_scan.py [--products 100000] [--members 1000000]
                                             [--scans 300] [--lines 30]

Builds (once, cached under --work, the generator of ``bench_start.py``) a demo
data directory with the given numbers of products and members, opens the real
main window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise), logs a
cashier in and opens a shift if none is open. Then, for random products of the
catalogue, it types each barcode into the scan field key by key and presses
Enter (``QTest``, as a keyboard-wedge scanner does), and takes the time until
the basket table's viewport has painted with the new row in it: the core's
look-up and re-pricing on the store thread, the hand-back to the GUI thread and
the repaint. Baskets are cleared every ``--lines`` scans (not timed). Measured
twice: without a member, and with a member on the sale (the member panel,
points and usual items are re-read after every scan). Target: p95 < 50 ms.

PySide6 6.12.0 on CPython 3.11 needs the reference-count guard of
``bench_gui_camera.py`` (see there); it is applied on 3.11.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_gui_camera import guard_refcounts
from bench_start import build as build_store


class PaintWatch:
    """Notes the first paint of the table's viewport once ``ready()`` holds (the row is in)."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.painted_at = 0.0
        self.ready: Any = lambda: False

        class Filter(QObject):
            def eventFilter(inner, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint and not self.painted_at and self.ready():
                    self.painted_at = time.perf_counter()
                return False

        self._filter = Filter()
        viewport.installEventFilter(self._filter)


def barcodes(home: Any, count: int, seed: int = 7) -> list[str]:
    """Barcodes of random products sold by the unit (a weighed one would ask its grams)."""
    from sqlalchemy import func, select

    from terminal.store.models import Product, ProductBarcode

    with home.db.sessions() as session:
        top = session.scalar(select(func.count()).select_from(ProductBarcode)) or 0
        rng = random.Random(seed)
        picked: list[str] = []
        while len(picked) < count:
            row = session.execute(
                select(ProductBarcode.barcode)
                .join(Product, Product.id == ProductBarcode.product_id)
                .where(Product.sold_by == "unit", Product.active.is_(True))
                .offset(rng.randrange(top))
                .limit(1)
            ).scalar()
            if row is not None:
                picked.append(row)
    return picked


def run_scans(app: Any, win: Any, codes: list[str], lines: int) -> list[float]:
    """Seconds from the first keystroke of each code to the paint showing its row."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    screen = win.checkout
    table = screen.table
    watch = PaintWatch(table.viewport())
    samples: list[float] = []
    for i, code in enumerate(codes):
        if i % lines == 0 and table.rowCount():
            co = win.ctx.checkout
            co.lines.clear()
            screen.refresh()
            deadline = time.monotonic() + 30
            while table.rowCount() and time.monotonic() < deadline:
                app.processEvents()
        rows = table.rowCount()
        qty_before = table.item(rows - 1, 2).text() if rows else ""

        def changed(rows: int = rows, qty_before: str = qty_before) -> bool:
            if table.rowCount() != rows:
                return True
            return bool(rows) and table.item(rows - 1, 2).text() != qty_before  # merged line

        watch.painted_at, watch.ready = 0.0, changed
        start = time.perf_counter()
        QTest.keyClicks(screen.scan, code)
        QTest.keyClick(screen.scan, Qt.Key.Key_Return)
        deadline = time.monotonic() + 30
        while not watch.painted_at:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{code} was not painted: {screen.message.text()}")
            app.processEvents()
        samples.append(watch.painted_at - start)
    return samples


def report(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(
        f"{name:34} n={len(ms):4}  p50 {statistics.median(ms):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms   (target p95 < 50 ms)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--scans", type=int, default=300)
    ap.add_argument("--lines", type=int, default=30, help="lines per basket before it is cleared")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    args = ap.parse_args()
    data = args.work / f"data-{args.products}-{args.members}"
    if not (data / "store.sqlite3").exists():
        build_store(data, args.products, args.members)
    if guard_refcounts():
        print("(CPython < 3.12: None/True/False given immortal reference counts, see docstring)")

    from terminal import auth, shift_close, shifts
    from terminal.home import TerminalHome
    from ui.qt import ops
    from ui.qt.app import application, build

    app = application()
    home = TerminalHome.open(data)
    win = build(home)
    win.resize(1024, 768)
    win.show()
    ctx = win.ctx
    with home.db.transaction() as session:
        cashier = auth.login(session, "1001", "1111", now=ctx.clock())
        shift_open = shifts.current_shift(session, ctx.settings.terminal_id) is not None
    if not shift_open:
        shift_close.open_shift(
            home.db,
            terminal_id=ctx.settings.terminal_id,
            actor=cashier,
            opening_float=50_000,
            now=ctx.clock(),
        )
    win._start(cashier)
    app.processEvents()
    codes = barcodes(home, 20 + 2 * args.scans)
    run_scans(app, win, codes[:20], args.lines)  # warm: caches, first queries, fonts
    print(f"store: {args.products:,} products, {args.members:,} members ({data})")
    plain = run_scans(app, win, codes[20 : 20 + args.scans], args.lines)
    report("scan -> row painted, no member", plain)
    co = ctx.checkout
    assert co is not None
    co.lines.clear()
    member_no = f"M{args.members // 2:08d}"
    co.attach_member(member_no)
    report(
        f"scan -> row painted, member {member_no}",
        run_scans(app, win, codes[20 + args.scans :], args.lines),
    )
    co.clear()
    ops.wait_all(30_000)
    win.close()
    home.close()


if __name__ == "__main__":
    main()
