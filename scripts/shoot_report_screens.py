"""Screenshots of the reports screen, its member dashboard, and a page of its PDF export.

Run under a display (Xvfb is enough)::

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shoot_report_screens.py \
        [--lang zh_CN|en] [--out docs/screenshots]

A demo till gets 60 days of trading (terminal.demo_history); the manager opens
the reports for the last 30 days. Writes ``reports.png`` (sales: charts and
tables), ``reports-members.png`` (the member dashboard), ``reports-products.png``
and ``reports-pdf.png`` (the first pages of the exported PDF, rendered by QtPdf).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.shoot_screens import build_till


def wait(app: Any, done: Callable[[], bool], seconds: float) -> None:
    """Run the event loop until ``done()`` (a screenshot script, not a test: time is fine)."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the screen")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="zh_CN", choices=["en", "zh_CN"])
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    from terminal import auth
    from terminal.demo_history import generate_history
    from terminal.home import TerminalHome
    from terminal.reports import Period, Scope
    from ui.qt import ops
    from ui.qt.app import application, build
    from ui.qt.reports.screen import ReportsDialog

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = TerminalHome.open(build_till(root, args.lang, root / "no-camera.mp4"))
        today = Scope.of_config(home.config).day_of(datetime.now(UTC))
        generate_history(home.db, first=today - timedelta(days=60), days=60, sales_per_day=120)
        app = application()
        win = build(home)
        win.resize(1280, 800)
        win.show()
        ctx = win.ctx
        with home.db.transaction() as session:
            manager = auth.login(session, "3001", "3333", now=ctx.clock())
        dialog = ReportsDialog(ctx, manager, win)
        dialog.resize(1240, 780)
        dialog.show()
        period = Period(today - timedelta(days=30), today - timedelta(days=1))
        dialog.set_period(period)
        wait(app, lambda: dialog.reports is not None and dialog.reports.period == period, 60)
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(str(args.out / "reports.png"))
        dialog.tabs.setCurrentIndex(4)
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(str(args.out / "reports-members.png"))
        dialog.tabs.setCurrentIndex(1)
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(str(args.out / "reports-products.png"))
        pdf_path = root / "reports.pdf"
        dialog.export_pdf(pdf_path)
        pdf = QPdfDocument()
        pdf.load(str(pdf_path))
        pages = [pdf.render(k, QSize(850, 1202)) for k in range(min(2, pdf.pageCount()))]
        sheet = QImage(850 * len(pages) + 10 * (len(pages) - 1), 1202, QImage.Format.Format_RGB32)
        sheet.fill(0xFFFFFF)
        painter = QPainter(sheet)
        for k, page in enumerate(pages):
            painter.drawImage(k * 860, 0, page)
        painter.end()
        sheet.save(str(args.out / "reports-pdf.png"))
        print(f"PDF pages: {pdf.pageCount()}")
        dialog.close()
        ops.wait_all(10_000)
        win.close()
        home.close()
    for name in ("reports.png", "reports-members.png", "reports-products.png", "reports-pdf.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
