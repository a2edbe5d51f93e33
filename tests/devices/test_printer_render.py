"""ESC/POS bytes of receipt documents, read back command by command.

The helpers here parse the byte stream python-escpos produced (strictly: an
unknown command fails the test), so the tests can check the text layer, the
GB18030 segments between FS & / FS ., the QR store-data command, raster images
and where the drawer kick and the cut are.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from devices.printer import PrinterSettings, ReceiptPrinter, print_document, render_document
from devices.printer.layout import (
    clean,
    display_width,
    layout_document,
    text_layer,
    two_columns,
    wrap,
    yuan,
)
from devices.printer.render import FontMissing, code128_payload, find_cjk_font

FS_ON, FS_OFF = b"\x1c\x26", b"\x1c\x2e"
DRAWER = b"\x1b\x70"  # ESC p: the drawer kick that waits in the print buffer
PULSE = b"\x10\x14"  # DLE DC4 fn 1: the real-time drawer pulse
CUT = b"\x1d\x56"

DOC: dict[str, Any] = {
    "schema": 1,
    "kind": "receipt",
    "title": "购物小票",
    "reprint": False,
    "store": {"code": "S001", "name": "示例超市 人民路店", "address": "上海市黄浦区人民路100号"},
    "terminal": "T01",
    "cashier": "张三",
    "cashier_no": "1001",
    "time": "2026-11-23 10:00:00",
    "receipt_no": "S001T01-00000001",
    "sale_id": "x",
    "lines": [
        {
            "line_no": 1,
            "name": "农夫山泉天然饮用水550ml（24瓶整箱装）特惠装 限时促销",
            "sku": "SKU000001",
            "qty": 2,
            "unit_price": 1250,
            "gross": 2500,
            "discount": 250,
            "points_value": 0,
            "net": 2250,
            "paid": 2250,
            "is_gift": False,
            "override_reason": "",
        },
        {
            "line_no": 2,
            "name": "Apple Fuji extra large imported premium quality fruit",
            "sku": "SKU000002",
            "qty": 1,
            "unit_price": 399,
            "gross": 399,
            "discount": 0,
            "points_value": 0,
            "net": 399,
            "paid": 399,
            "is_gift": False,
            "override_reason": "",
        },
    ],
    "discounts": [{"label": "金卡会员95折（￥12.50）", "amount": 250, "step": "tier"}],
    "coupons": [],
    "points_used": {"points": 0, "value": 0},
    "rounding": 0,
    "subtotal": 2899,
    "savings": 250,
    "payable": 2649,
    "tenders": [{"method": "cash", "label": "现金", "amount": 2649, "tendered": 3000}],
    "change": 351,
    "member": {
        "member_no": "******0001",
        "phone": "138****5678",
        "tier": "金卡",
        "points_earned": 26,
        "points_balance": 1026,
    },
    "notes": [],
    "footer": "谢谢惠顾，欢迎再次光临",
    "code": "S001T01-00000001",
}


def doc(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(DOC)
    d.update(changes)
    return d


# --- a strict reader of the ESC/POS stream ----------------------------------------------------


@dataclass
class Parsed:
    lines: list[str] = field(default_factory=list)
    kanji: list[str] = field(default_factory=list)  # text between FS & and FS .
    commands: list[bytes] = field(default_factory=list)  # command heads in order
    qr_store: list[bytes] = field(default_factory=list)  # GS ( k fn 80 data
    barcodes: list[bytes] = field(default_factory=list)
    rasters: list[np.ndarray] = field(default_factory=list)  # GS v 0 images, True = black

    def count(self, head: bytes) -> int:
        return sum(1 for c in self.commands if c == head)


ONE_PARAM = {b"\x1bE", b"\x1ba", b"\x1bd", b"\x1b!", b"\x1bt", b"\x1bM", b"\x1d!"}
ONE_PARAM |= {b"\x1dh", b"\x1dw", b"\x1dH", b"\x1df", b"\x1dL"}


def parse(data: bytes) -> Parsed:
    """Read an ESC/POS stream; fail on anything this project does not send."""
    out = Parsed()
    i, line, kanji, seg = 0, b"", False, b""
    while i < len(data):
        b = data[i]
        if b == 0x0A:
            out.lines.append(line.decode("gb18030"))
            line = b""
            i += 1
            continue
        if b in (0x1B, 0x1D, 0x1C, 0x10):
            head = data[i : i + 2]
            out.commands.append(head)
            if head in (FS_ON, FS_OFF):
                if head == FS_OFF:
                    assert kanji, "FS . without FS &"
                    out.kanji.append(seg.decode("gb18030"))
                    seg = b""
                kanji = head == FS_ON
                i += 2
            elif head == b"\x1b@":
                i += 2
            elif head in ONE_PARAM:
                i += 3
            elif head in (DRAWER, PULSE):
                i += 5
            elif head == CUT:
                m = data[i + 2]
                i += 4 if m in (65, 66, 97, 98, 103, 104) else 3
            elif head == b"\x1d(":
                assert data[i + 2 : i + 3] == b"k"
                n = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + n]
                if body[:2] == b"1P":
                    out.qr_store.append(body[3:])
                i += 5 + n
            elif head == b"\x1dk":
                m = data[i + 2]
                assert m >= 65, "only GS k m n d1...dn barcodes are sent"
                n = data[i + 3]
                out.barcodes.append(data[i + 4 : i + 4 + n])
                i += 4 + n
            elif head == b"\x1dv":
                assert data[i + 2] == 0x30
                xb = data[i + 4] + 256 * data[i + 5]
                yl = data[i + 6] + 256 * data[i + 7]
                raw = np.frombuffer(data[i + 8 : i + 8 + xb * yl], dtype=np.uint8)
                out.rasters.append(np.unpackbits(raw).reshape(yl, xb * 8).astype(bool))
                i += 8 + xb * yl
            else:
                raise AssertionError(f"unexpected command {head.hex(' ')} at {i}")
            continue
        if kanji:
            seg += bytes([b])
        else:
            assert b < 0x80, f"non-ASCII byte {b:#x} outside FS & / FS . at {i}"
        line += bytes([b])
        i += 1
    assert not kanji, "FS & left on"
    return out


def raster_image(parsed: Parsed) -> Image.Image:
    """All raster images stacked, as a white page with black dots (for zxing)."""
    width = max(r.shape[1] for r in parsed.rasters)
    rows = [np.pad(r, ((0, 0), (0, width - r.shape[1]))) for r in parsed.rasters]
    page = np.vstack(rows)
    page = np.pad(page, 20)
    return Image.fromarray(np.where(page, 0, 255).astype(np.uint8))


def needs_cjk_font() -> None:
    try:
        find_cjk_font()
    except FontMissing as exc:
        pytest.skip(f"no CJK font on this machine ({exc}); apt-get install fonts-noto-cjk")


# --- layout --------------------------------------------------------------------------------


def test_display_width_is_what_the_printer_prints_in_gb18030():
    assert display_width("abc") == 3
    assert display_width("小票") == 4
    assert display_width("（￥12.50）") == 2 + 2 + 5 + 2
    # "ambiguous" in Unicode, but two bytes in GB18030: two columns on paper
    assert display_width("×·℃①※") == 10
    assert display_width("¥") == 2  # four bytes in GB18030
    assert display_width(clean("e\u0301")) == 2  # composed: é is two bytes


def test_wrap_and_columns_never_exceed_the_width():
    for width in (32, 48):
        for text in (DOC["lines"][0]["name"], DOC["lines"][1]["name"], "短", "x" * 100):
            for part in wrap(text, width):
                assert display_width(part) <= width
            assert "".join(wrap(text, width)).replace(" ", "") == text.replace(" ", "")
        for left, right in (("应付", "26.49"), ("农夫山泉" * 10, "-2.50"), ("a" * 47, "12.50")):
            lines = two_columns(left, right, width)
            assert display_width(lines[-1]) == width  # the amount is flush right
            assert all(display_width(x) <= width for x in lines)
            assert lines[-1].endswith(right)


def test_latin_words_wrap_at_spaces():
    assert wrap("Apple Fuji extra large", 12) == ["Apple Fuji", "extra large"]


def test_money_is_formatted_from_integer_fen_only():
    assert (yuan(0), yuan(5), yuan(1250), yuan(-351)) == ("0.00", "0.05", "12.50", "-3.51")
    with pytest.raises(TypeError):
        yuan(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("kind", ["receipt", "refund", "z_report"])
def test_no_line_is_wider_than_the_paper(columns, kind):
    d = doc(
        kind=kind,
        refund_total=2649,
        sections=[
            {
                "title": "营业",
                "rows": [
                    {"label": "销售实收" * 8, "amount": 123456},
                    {"label": "笔数", "value": "3"},
                ],
            }
        ],
    )
    lines = text_layer(layout_document(d, columns))
    assert lines
    for line in lines:
        assert display_width(line) <= columns, line


def test_receipt_says_what_the_issue_asks_for():
    text = "\n".join(text_layer(layout_document(DOC, 48)))
    for expected in (
        "示例超市 人民路店",
        "小票号: S001T01-00000001",
        "收银员: 1001 张三",
        "2×12.50",
        "金卡会员95折（￥12.50）",
        "商品合计",
        "应付",
        "现金",
        "找零",
        "共节省",
        "138****5678",
        "本次积分",
        "积分余额",
        "谢谢惠顾",
    ):
        assert expected in text, expected
    assert "重印" not in text
    assert "重印 REPRINT" in "\n".join(text_layer(layout_document(doc(reprint=True), 48)))


# --- bytes: GB18030 text mode ----------------------------------------------------------------


@pytest.mark.parametrize("paper,columns", [("58mm", 32), ("80mm", 48)])
def test_gb18030_text_decodes_back_between_fs_and_and_fs_dot(paper, columns):
    data = render_document(DOC, PrinterSettings(paper=paper))
    parsed = parse(data)
    assert data.startswith(b"\x1b@")
    expected = text_layer(layout_document(DOC, columns))
    chinese = [x for x in expected if not x.isascii()]
    assert parsed.kanji == chinese  # every non-ASCII line, exactly, in double-byte mode
    assert any("金卡会员95折（￥12.50）" in k for k in parsed.kanji)
    for line in parsed.lines:
        assert display_width(line) <= columns, line
    # the escpos magic encoder never ran: no code-page switches (ESC t)
    assert parsed.count(b"\x1bt") == 0


def test_qr_and_code128_hold_the_receipt_number():
    parsed = parse(render_document(DOC, PrinterSettings()))
    assert parsed.qr_store == [b"S001T01-00000001"]
    assert parsed.barcodes == [code128_payload("S001T01-00000001").encode("ascii")]
    assert code128_payload("S001T01-00000001") == "{BS001T01-{C" + "".join(
        chr(n) for n in (0, 0, 0, 1)
    )
    # centring is switched off again after the codes (python-escpos leaves it on)
    align = [c for c in parsed.commands if c == b"\x1ba"]
    assert align
    tail = render_document(DOC, PrinterSettings())
    assert tail.rfind(b"\x1ba\x00") > tail.rfind(b"\x1dk")


def test_no_document_opens_the_drawer_and_every_one_ends_with_a_cut():
    """The drawer opens at payment with its own pulse, never inside a receipt job: a
    document queued before that (with the old ``open_drawer`` flag) prints no kick."""
    for d in (DOC, doc(open_drawer=True), doc(reprint=True), doc(copy=True)):
        parsed = parse(render_document(d, PrinterSettings()))
        assert parsed.count(DRAWER) == 0 and parsed.count(PULSE) == 0
        assert parsed.count(CUT) == 1 and parsed.commands[-1] == CUT
    z = doc(kind="z_report", code=None, sections=[])
    zp = parse(render_document(z, PrinterSettings()))
    assert zp.count(DRAWER) == 0 and zp.count(CUT) == 1 and not zp.qr_store


def test_a_bad_document_is_refused_before_any_printer_is_touched(tmp_path):
    bad = doc()
    del bad["payable"]
    out = print_document(
        ReceiptPrinter(PrinterSettings(connection="file", file_path=str(tmp_path / "x"))), bad
    )
    assert not out.ok and out.code == "printer_bad_document" and not out.sent
    assert not (tmp_path / "x").exists()


# --- bytes: image mode -------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["58mm", "80mm"])
def test_image_mode_prints_rasters_whose_qr_decodes_to_the_receipt_number(paper):
    needs_cjk_font()
    settings = PrinterSettings(paper=paper, text_mode="image")
    parsed = parse(render_document(DOC, settings))
    assert not parsed.kanji and not parsed.qr_store  # no text in the printer's font
    assert parsed.rasters
    assert all(r.shape[1] <= settings.dots for r in parsed.rasters)
    found = {(r.format.name, r.text) for r in zxingcpp.read_barcodes(raster_image(parsed))}
    assert ("QRCode", "S001T01-00000001") in found
    assert parsed.count(CUT) == 1 and parsed.count(DRAWER) == 0


def test_image_mode_without_a_font_fails_with_a_cashier_message(tmp_path):
    settings = PrinterSettings(
        connection="file",
        file_path=str(tmp_path / "out.bin"),
        text_mode="image",
        font_path=str(tmp_path / "no-such-font.ttf"),
    )
    out = print_document(ReceiptPrinter(settings), DOC)
    assert not out.ok and out.code == "printer_no_font" and not out.sent


def test_font_discovery_uses_fc_list_or_known_paths():
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list not installed")
    needs_cjk_font()
    assert find_cjk_font().endswith((".ttf", ".ttc", ".otf"))


def test_a_58mm_printer_without_qr_barcode_or_cutter_still_gets_a_readable_qr():
    settings = PrinterSettings(profile="POS-5890", paper="58mm")
    parsed = parse(render_document(DOC, settings))
    assert not parsed.qr_store and not parsed.barcodes  # the profile has neither command
    assert all(r.shape[1] <= 384 for r in parsed.rasters)
    found = {r.text for r in zxingcpp.read_barcodes(raster_image(parsed))}
    assert found == {"S001T01-00000001"}
    assert parsed.count(CUT) == 0  # no cutter on this model: python-escpos only feeds
    assert any("金卡会员95折（￥12.50）" in k for k in parsed.kanji)


def test_symbols_stay_inside_their_cells_in_image_mode():
    """× in "3层×6包" once came out full width from the CJK font and ran into the next
    digit; it is two columns on paper now (two bytes in GB18030) and stays in them."""
    from devices.printer.layout import TextLine
    from devices.printer.render import render_text_image

    needs_cjk_font()
    settings = PrinterSettings(connection="file", file_path="/dev/null", text_mode="image")
    cell = settings.dots // settings.columns
    for symbol in "×¥·":
        img = np.array(render_text_image([TextLine(symbol)], settings).convert("L"))
        ink = np.where(img.min(axis=0) < 128)[0]
        assert ink.size, f"{symbol!r} drew nothing"
        assert ink.max() < 2 * cell, f"{symbol!r} spills into the next column"
