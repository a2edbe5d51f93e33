"""Lay a receipt document out in fixed columns: the text layer of every printout.

The document is the plain dict the core builds (``terminal/receipts.py``; the
format is described in ``docs/printing.md``). :func:`layout_document` turns it
into a list of :data:`Block` for a paper width in columns of font A. Widths are
*display* widths: a CJK character (Unicode East Asian Width W or F) takes two
columns, so columns line up and no line is wider than the paper.

Pure functions, no device and no I/O, so tests check the layout directly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# --- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One printed line of text, already padded; its display width fits the paper."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class QrCode:
    """A QR code holding ``data``, printed centred."""

    data: str


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode of ``data`` (ASCII), printed centred with its text below."""

    data: str


Block = TextLine | QrCode | Barcode


# --- display width ---------------------------------------------------------------------------


def char_width(ch: str) -> int:
    """Columns a character takes: 2 for East Asian Wide/Fullwidth, 0 for combining marks."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns a string takes on the paper."""
    return sum(char_width(ch) for ch in text)


def clean(text: object) -> str:
    """A value as one printable line: control characters and tabs become spaces."""
    s = "" if text is None else str(text)
    return "".join(
        " " if (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")) else ch for ch in s
    )


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` columns.

    CJK text breaks between any two characters; Latin text breaks at the last
    space when there is one on the line, else inside the word. Never returns
    an empty list (an empty text is one empty line).
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    text = clean(text).rstrip()
    lines: list[str] = []
    current = ""
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            cut = current.rfind(" ")
            if ch != " " and cut > 0 and current[-1] != " " and current[cut + 1 :].isascii():
                lines.append(current[:cut].rstrip())
                current = current[cut + 1 :]
            else:
                lines.append(current.rstrip())
                current = ""
            if ch == " " and not current:
                used = 0
                continue
            used = display_width(current)
        current += ch
        used += w
    lines.append(current.rstrip())
    return lines


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns."""
    out = ""
    used = 0
    for ch in clean(text):
        w = char_width(ch)
        if used + w > width:
            break
        out += ch
        used += w
    return out


def pad_right(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns."""
    return text + " " * max(0, width - display_width(text))


def center(text: str, width: int) -> str:
    """``text`` centred in ``width`` columns (leading spaces only)."""
    text = truncate(text, width)
    return " " * ((width - display_width(text)) // 2) + text


def two_columns(left: str, right: str, width: int) -> list[str]:
    """``left`` flush left and ``right`` flush right on one line, wrapping when needed."""
    left, right = clean(left).rstrip(), truncate(clean(right).strip(), width)
    rw = display_width(right)
    if display_width(left) + 1 + rw <= width:
        return [left + " " * (width - display_width(left) - rw) + right]
    lines = wrap(left, width)
    last = lines[-1]
    if display_width(last) + 1 + rw <= width:
        lines[-1] = last + " " * (width - display_width(last) - rw) + right
    else:
        lines.append(" " * (width - rw) + right)
    return lines


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals, exactly (``-1250`` -> ``"-12.50"``)."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amounts are integer fen, got {fen!r}")
    sign = "-" if fen < 0 else ""
    q, r = divmod(abs(fen), 100)
    return f"{sign}{q}.{r:02d}"


# --- the documents --------------------------------------------------------------------------


class _Sheet:
    """Collects the blocks of one document for a paper ``width`` in columns."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.blocks: list[Block] = []

    def line(self, text: str = "", *, bold: bool = False) -> None:
        for part in wrap(text, self.width) if text else [""]:
            self.blocks.append(TextLine(part, bold))

    def centred(self, text: str, *, bold: bool = False) -> None:
        for part in wrap(text, self.width):
            self.blocks.append(TextLine(center(part, self.width), bold))

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        for part in two_columns(left, right, self.width):
            self.blocks.append(TextLine(part, bold))

    def rule(self, ch: str = "-") -> None:
        self.blocks.append(TextLine(ch * self.width))

    def codes(self, data: str | None) -> None:
        if data:
            self.blocks.append(QrCode(data))
            if data.isascii():
                self.blocks.append(Barcode(data))


def _header(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    store = doc.get("store") or {}
    sheet.centred(str(store.get("name", "")), bold=True)
    if store.get("address"):
        sheet.centred(str(store["address"]))
    sheet.centred(str(doc.get("title", "")), bold=True)
    if doc.get("reprint"):
        sheet.centred("** 重印 REPRINT **", bold=True)
    sheet.rule()
    if doc.get("receipt_no"):
        sheet.line(f"小票号: {doc['receipt_no']}")
    if doc.get("original_receipt_no"):
        sheet.line(f"原小票: {doc['original_receipt_no']}")
    sheet.pair(f"终端: {doc.get('terminal', '')}", f"收银员: {doc.get('cashier', '')}")
    sheet.line(f"时间: {doc.get('time', '')}")
    if doc.get("reprint") and doc.get("reprinted_at"):
        sheet.line(f"重印时间: {doc['reprinted_at']}")


def _items(sheet: _Sheet, lines: Sequence[Mapping[str, Any]]) -> None:
    sheet.rule()
    sheet.pair("商品", "数量x单价  金额")
    sheet.rule()
    for item in lines:
        name = str(item.get("name", ""))
        if item.get("is_gift"):
            name += " (赠品)"
        sheet.line(name)
        qty_price = f"  {item.get('sku', '')} {item['qty']}x{yuan(int(item['unit_price']))}"
        sheet.pair(qty_price, yuan(int(item["net"])))
        if item.get("discount"):
            sheet.pair("    优惠", "-" + yuan(int(item["discount"])))
        if item.get("points_value"):
            sheet.pair("    积分抵扣", "-" + yuan(int(item["points_value"])))
        if item.get("override_reason"):
            sheet.line(f"    改价: {item['override_reason']}")


def _member(sheet: _Sheet, member: Mapping[str, Any] | None, *, refund: bool = False) -> None:
    if not member:
        return
    sheet.rule()
    who = " ".join(
        str(x) for x in (member.get("phone"), member.get("member_no"), member.get("tier")) if x
    )
    sheet.line(f"会员: {who}")
    if refund:
        if member.get("points_reversed"):
            sheet.pair("扣回积分", f"-{member['points_reversed']}")
        if member.get("points_restored"):
            sheet.pair("退回抵扣积分", f"+{member['points_restored']}")
    elif member.get("points_earned") is not None:
        sheet.pair("本次积分", f"+{member['points_earned']}")
    if member.get("points_balance") is not None:
        sheet.pair("积分余额", str(member["points_balance"]))


def _footer(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    if doc.get("notes"):
        sheet.rule()
        for note in doc["notes"]:
            sheet.line(str(note))
    if doc.get("footer"):
        sheet.rule()
        sheet.centred(str(doc["footer"]))
    sheet.codes(doc.get("code"))


def _receipt(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    _items(sheet, doc.get("lines", []))
    sheet.rule()
    sheet.pair("商品合计", yuan(int(doc["subtotal"])))
    for d in doc.get("discounts", []):
        sheet.pair(f"  {d['label']}", "-" + yuan(int(d["amount"])))
    for c in doc.get("coupons", []):
        sheet.pair(
            f"  {c.get('label') or '优惠券 ' + str(c['code'])}", "-" + yuan(int(c["amount"]))
        )
    points = doc.get("points_used") or {}
    if points.get("points"):
        sheet.pair(f"  积分抵扣 {points['points']}分", "-" + yuan(int(points["value"])))
    if doc.get("rounding"):
        sheet.pair("  抹零", "-" + yuan(int(doc["rounding"])))
    sheet.pair("应付", yuan(int(doc["payable"])), bold=True)
    sheet.rule()
    for t in doc.get("tenders", []):
        sheet.pair(str(t["label"]), yuan(int(t["tendered"])))
    if doc.get("change"):
        sheet.pair("找零", yuan(int(doc["change"])))
    if doc.get("savings"):
        sheet.pair("共节省", yuan(int(doc["savings"])), bold=True)
    _member(sheet, doc.get("member"))
    _footer(sheet, doc)


def _refund(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    if doc.get("reason"):
        sheet.line(f"退货原因: {doc['reason']}")
    if doc.get("approved_by"):
        sheet.line(f"授权: {doc['approved_by']}")
    _items(sheet, doc.get("lines", []))
    sheet.rule()
    if doc.get("shortfall_charged"):
        sheet.pair("积分不足扣款", "-" + yuan(int(doc["shortfall_charged"])))
    sheet.pair("退款合计", yuan(int(doc["refund_total"])), bold=True)
    for t in doc.get("tenders", []):
        sheet.pair(f"  退{t['label']}", yuan(int(t["amount"])))
    _member(sheet, doc.get("member"), refund=True)
    _footer(sheet, doc)


def _z_report(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    for section in doc.get("sections", []):
        sheet.rule()
        if section.get("title"):
            sheet.line(str(section["title"]), bold=True)
        for row in section.get("rows", []):
            value = yuan(int(row["amount"])) if "amount" in row else str(row.get("value", ""))
            sheet.pair(str(row["label"]), value)
    _footer(sheet, doc)


LAYOUTS = {"receipt": _receipt, "refund": _refund, "z_report": _z_report}


def layout_document(document: Mapping[str, Any], columns: int) -> list[Block]:
    """The blocks of a document for paper ``columns`` wide; raises ValueError on a bad document."""
    kind = document.get("kind")
    layout = LAYOUTS.get(str(kind))
    if layout is None:
        raise ValueError(f"unknown document kind {kind!r}")
    sheet = _Sheet(columns)
    try:
        layout(sheet, document)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed {kind} document: {exc!r}") from exc
    return sheet.blocks


def text_layer(blocks: Sequence[Block]) -> list[str]:
    """The text lines of a layout (what a person reads, without the codes)."""
    return [b.text for b in blocks if isinstance(b, TextLine)]
