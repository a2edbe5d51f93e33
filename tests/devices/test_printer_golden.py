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
from devices.printer.layout import QrCode, display_width, layout_document, text_layer
from terminal import print_jobs, shifts
from terminal.receipts import z_report_document
from terminal.returns import process_return
from tests.devices.test_printer_render import needs_cjk_font, parse, raster_image
from tests.terminal.test_receipts import (
    fixed_codes,
    rich_sale,
    topup_and_refund,
    used_coupon_return,
    value_return,
    value_sale,
)
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
            # the documents as they print: built from the committed sales (after the
            # return and the Z, so a receipt built late still prints what it did at the till)
            [receipt] = print_jobs.jobs_for_sale(s, sale.sale_id)
            [refund] = print_jobs.jobs_for_sale(s, ret.return_id)
            return {
                "receipt": print_jobs.document(s, receipt),
                "refund": print_jobs.document(s, refund),
                "z_report": z_report_document(s, summary, tz="Asia/Shanghai"),
            }
    finally:
        db.close()


VALUE_KINDS = ("value_receipt", "value_refund", "topup", "topup_refund", "deduction", "value_z")
"""The member-value documents (issue 11): every new kind on a receipt, its partial return
(reward, cancelled 返券, stored value back), a top-up and its refund, a return reduced by
a used 返券, and the Z of that shift."""


@pytest.fixture(scope="module")
def value_documents(demo_template, tmp_path_factory) -> dict[str, dict]:
    import shutil

    from terminal.store.database import Database

    path = tmp_path_factory.mktemp("golden-value") / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    db = Database(path)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            fixed_codes(monkeypatch)
            till = make_till(db)
            sale = value_sale(till)
            ret = value_return(till, sale)
            up, back = topup_and_refund(till)
            _, deducted = used_coupon_return(till)
        with db.transaction() as s:
            summary = shifts.close_shift(
                s,
                terminal_id=till.settings.terminal_id,
                actor=till.supervisor,
                counts={10000: 9, 1000: 3},
                now=till.now + timedelta(hours=8),
            )
            # the documents as they print, built after the returns and the Z
            printed = {
                kind: print_jobs.document(s, print_jobs.jobs_for_sale(s, sale_id)[0])
                for kind, sale_id in (
                    ("value_receipt", sale.sale_id),
                    ("value_refund", ret.return_id),
                    ("topup", up.sale_id),
                    ("topup_refund", back.refund_id),
                    ("deduction", deducted.return_id),
                )
            }
            return {**printed, "value_z": z_report_document(s, summary, tz="Asia/Shanghai")}
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
@pytest.mark.parametrize("kind", ["receipt", "refund", "z_report", *VALUE_KINDS])
def test_printed_receipts_match_the_golden_files(documents, value_documents, kind, paper, mode):
    if mode == "image":
        needs_cjk_font()
    document = documents[kind] if kind in documents else value_documents[kind]
    got = golden_text(document, PrinterSettings(paper=paper, text_mode=mode))
    path = GOLDEN / f"{kind}-{paper}-{mode}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with POSTERM_UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("paper,columns", [("58mm", 32), ("80mm", 48)])
@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_member_value_documents_read_back_from_the_printed_bytes(
    value_documents, kind, paper, columns
):
    """The Chinese of each new document comes back from the GB18030 bytes exactly, and every
    QR code the printer is sent holds what the layout says (coupon codes, receipt number)."""
    document = value_documents[kind]
    blocks = layout_document(document, columns)
    parsed = parse(render_document(document, PrinterSettings(paper=paper)))
    assert parsed.kanji == [line for line in text_layer(blocks) if not line.isascii()]
    assert all(display_width(line) <= columns for line in parsed.lines)
    qr = [b.data.encode("ascii") for b in blocks if isinstance(b, QrCode)]
    assert parsed.qr_store == qr
    if kind == "value_receipt":
        assert qr == [b"CPV0000000000000001", b"CPV0000000000000002", b"S001T01-00000001"]
        printed = "".join(parsed.kanji)
        words_printed = ("积分兑换 -500 积分", "储值余额", "价税分离", "赠券 下次购物使用")
        for words in (*words_printed, "满50.00元可用"):
            assert words in printed, words


def test_a_coupon_printed_in_image_mode_scans(value_documents):
    import zxingcpp

    needs_cjk_font()
    settings = PrinterSettings(paper="58mm", text_mode="image")
    parsed = parse(render_document(value_documents["value_receipt"], settings))
    found = {r.text for r in zxingcpp.read_barcodes(raster_image(parsed))}
    assert {"CPV0000000000000001", "CPV0000000000000002", "S001T01-00000001"} <= found


@pytest.mark.parametrize("columns", [32, 42, 48, 64])  # 58/80 mm in fonts A and B
@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_member_value_documents_fit_every_paper_and_font(value_documents, kind, columns):
    lines = text_layer(layout_document(value_documents[kind], columns))
    assert lines and all(display_width(line) <= columns for line in lines)
