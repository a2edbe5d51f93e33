"""Receipts as printed, compared with golden files in ``tests/golden/receipts/``.

The documents come from the demo store (a sale with promotions, a gift, a
coupon, points and two tenders; a partial return; the Z slip of the shift), so
a change anywhere from pricing to the printer shows up here as a readable diff
of the printed lines. Each golden file holds, for one document, paper and text
mode:

* the text layer: every printed line, as the customer reads it;
* gb18030 mode: the sha256 and length of the whole ESC/POS byte stream;
* image mode: the size of each raster image (not its pixels, which change with
  the font version installed).

To regenerate after an intended change, run::

    POSTERM_UPDATE_GOLDEN=1 pytest tests/devices/test_printer_golden.py

and review the diff of ``tests/golden/receipts/`` before committing it. A
python-escpos upgrade changes the byte hashes (QR and barcode commands) but not
the text.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest

from devices.printer import PrinterSettings, render_document
from devices.printer.layout import layout_document, text_layer
from terminal import print_jobs, shifts
from terminal.receipts import z_report_document
from terminal.returns import process_return
from tests.devices.test_printer_render import needs_cjk_font, parse
from tests.terminal.test_receipts import rich_sale
from tests.terminal.tillkit import make_till

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "receipts"
UPDATE = os.environ.get("POSTERM_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def documents(demo_template, tmp_path_factory) -> dict[str, dict]:
    import shutil

    from terminal.store.database import Database

    path = tmp_path_factory.mktemp("golden") / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    db = Database(path)
    try:
        till = make_till(db)
        sale = rich_sale(till)
        ret = process_return(
            db,
            till.settings,
            till.cashier,
            receipt_no=sale.receipt_no,
            reason="包装破损",
            quantities={1: 1, 4: 1},
            approver=till.supervisor,
            clock=lambda: till.now,
        )
        with db.transaction() as s:
            summary = shifts.close_shift(
                s,
                terminal_id=till.settings.terminal_id,
                actor=till.supervisor,
                counts={10000: 9, 5000: 1, 100: 3},
                now=till.now + timedelta(hours=8),
            )
            # the documents as queued (and printed) when each was committed
            [receipt] = print_jobs.jobs_for_sale(s, sale.sale_id)
            [refund] = print_jobs.jobs_for_sale(s, ret.return_id)
            return {
                "receipt": dict(receipt.document),
                "refund": dict(refund.document),
                "z_report": z_report_document(s, summary, tz="Asia/Shanghai"),
            }
    finally:
        db.close()


def golden_text(document: dict, settings: PrinterSettings) -> str:
    data = render_document(document, settings)
    lines = [f"|{line}|" for line in text_layer(layout_document(document, settings.columns))]
    if settings.text_mode == "gb18030":
        tail = f"escpos sha256 {hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"
    else:
        sizes = [f"{r.shape[1]}x{r.shape[0]}" for r in parse(data).rasters]
        tail = "rasters " + " ".join(sizes)
    return "\n".join([*lines, tail, ""])


@pytest.mark.parametrize("mode", ["gb18030", "image"])
@pytest.mark.parametrize("paper", ["58mm", "80mm"])
@pytest.mark.parametrize("kind", ["receipt", "refund", "z_report"])
def test_printed_receipts_match_the_golden_files(documents, kind, paper, mode):
    if mode == "image":
        needs_cjk_font()
    got = golden_text(documents[kind], PrinterSettings(paper=paper, text_mode=mode))
    path = GOLDEN / f"{kind}-{paper}-{mode}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with POSTERM_UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")
