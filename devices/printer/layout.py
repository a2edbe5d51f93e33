"""Lay a receipt document out in fixed columns: the text layer of every printout.

The document is the plain dict the core builds (``terminal/receipts.py``; the
format is described in ``docs/printing.md``). :func:`layout_document` turns it
into a list of :data:`Block` for a paper width in columns.

Widths are what the printer prints. Text goes to the printer in GB18030, and a
printer in double-byte mode prints a one-byte character (ASCII) in one column
and every two- or four-byte character in two, whatever Unicode's East Asian
Width says: ``×``, ``·``, ``℃`` and ``①`` are "ambiguous" there but two bytes in
GB18030, so two columns on paper. Image mode draws on the same grid, so a
document has one layout whichever way it is printed.

Pure functions, no device and no I/O, so tests check the layout directly.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# --- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One printed line of text; its printed width fits the paper."""

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


# --- printed width ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns a character takes on paper: 1 for a one-byte GB18030 character, else 2."""
    try:
        return 1 if len(ch.encode("gb18030")) == 1 else 2
    except UnicodeEncodeError:  # a lone surrogate: clean() prints it as U+FFFD
        return 2


def display_width(text: str) -> int:
    """Columns a string takes on the paper."""
    return sum(char_width(ch) for ch in text)


def _printable(ch: str) -> str:
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch == "\u3000":
        return " "
    if unicodedata.category(ch) == "Cs":
        return "\ufffd"
    return ch


def clean(text: object) -> str:
    """A value as one printable line: composed (NFC), control characters and tabs as spaces."""
    s = unicodedata.normalize("NFC", "" if text is None else str(text))
    return "".join(_printable(ch) for ch in s)


# characters a line must not start with, and ones it must not end with (kinsoku)
_NO_START = set("）)】」』》〉，,。.、：:；;！!？?％%…·～")
_NO_END = set("（(【「『《〈￥")


def _is_cjk(ch: str) -> bool:
    """A character a line may break before or after (CJK text breaks anywhere)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _chunks(text: str) -> list[str]:
    """Unbreakable pieces: a space, a Latin word, or one CJK character with its punctuation.

    A Latin word is a run of characters that are neither spaces nor CJK
    (``250ml×12``, ``CP100001``, ``12.50``), so it is never split unless it is
    wider than the line. Closing punctuation sticks to what precedes it and
    opening punctuation to what follows, so no line starts with ``）`` or ``，``.
    """
    pieces: list[str] = []
    for ch in text:
        if ch == " ":
            pieces.append(ch)
        elif (
            pieces
            and pieces[-1] != " "
            and (
                ch in _NO_START
                or pieces[-1][-1] in _NO_END
                or not (_is_cjk(ch) or _is_cjk(pieces[-1][-1]))
            )
        ):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _hard_split(piece: str, width: int) -> list[str]:
    """A piece wider than the line, cut into lines (closing punctuation keeps company)."""
    parts, current = [], ""
    for ch in piece:
        if current and display_width(current + ch) > width:
            cut = len(current)
            if ch in _NO_START:  # take the character it closes along to the next line
                while cut > 1 and current[cut - 1] in _NO_START:
                    cut -= 1
                cut = max(1, cut - 1)
            parts.append(current[:cut])
            current = current[cut:]
        current += ch
    return [*parts, current]


def wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` printed columns.

    Breaks at spaces between Latin words and between any two CJK characters
    (never inside a word unless the word alone is wider than the line, never
    before closing or after opening punctuation), and never leaves one
    character alone on the last line when the line before can spare one.
    Leading spaces indent every line of the result. Never returns an empty
    list (an empty text is one empty line).
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    text = clean(text).rstrip()
    body = text.lstrip(" ")
    indent = " " * min(len(text) - len(body), width // 2)
    room = width - len(indent)
    lines: list[list[str]] = [[]]
    for piece in _chunks(body):
        current = lines[-1]
        if piece == " ":
            if current:
                current.append(piece)
            continue
        if display_width("".join(current) + piece) <= room:
            current.append(piece)
            continue
        while current and current[-1] == " ":
            current.pop()
        parts = _hard_split(piece, room) if display_width(piece) > room else [piece]
        for part in parts:
            if lines[-1]:
                lines.append([])
            lines[-1].append(part)
    _no_widow(lines, room)
    return [indent + "".join(line).rstrip() for line in lines]


def _no_widow(lines: list[list[str]], room: int) -> None:
    """Move one piece down when the last line would hold a lone character (``金`` / ``卡``)."""
    if len(lines) < 2 or len(lines[-1]) != 1 or len(lines[-1][0]) != 1:
        return
    before = lines[-2]
    if len(before) < 2 or display_width(before[-1] + lines[-1][0]) > room:
        return
    lines[-1].insert(0, before.pop())
    while before and before[-1] == " ":
        before.pop()


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


def off(fen: int) -> str:
    """Money taken off, as a signed amount: ``250`` -> ``"-2.50"``, ``-3`` -> ``"+0.03"``."""
    return yuan(-fen) if fen > 0 else "+" + yuan(-fen) if fen < 0 else yuan(0)


def kilograms(grams: int) -> str:
    """Grams as kilograms with three decimals, exactly (``532`` -> ``"0.532"``)."""
    if isinstance(grams, bool) or not isinstance(grams, int):
        raise TypeError(f"weights are integer grams, got {grams!r}")
    sign = "-" if grams < 0 else ""
    q, r = divmod(abs(grams), 1000)
    return f"{sign}{q}.{r:03d}"


def mask_reference(reference: str, keep: int = 6) -> str:
    """A payment reference as printed: ``****`` and its last ``keep`` characters."""
    reference = clean(reference).strip()
    return reference if len(reference) <= keep else "****" + reference[-keep:]


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
    elif doc.get("copy"):
        sheet.centred("** 补打 COPY **", bold=True)
    sheet.rule()
    if doc.get("receipt_no"):
        sheet.line(f"小票号: {doc['receipt_no']}")
    if doc.get("original_receipt_no"):
        sheet.line(f"原小票: {doc['original_receipt_no']}")
    cashier = " ".join(str(x) for x in (doc.get("cashier_no"), doc.get("cashier")) if x)
    if cashier:
        sheet.pair(f"终端: {doc.get('terminal', '')}", f"收银员: {cashier}")
    else:
        sheet.line(f"终端: {doc.get('terminal', '')}")
    sheet.line(f"时间: {doc.get('time', '')}")
    if doc.get("reprint") and doc.get("reprinted_at"):
        sheet.line(f"重印时间: {doc['reprinted_at']}")
    if doc.get("copy") and doc.get("copied_at"):
        sheet.line(f"补打时间: {doc['copied_at']}")


def _gift_row(item: Mapping[str, Any]) -> str:
    gift = item.get("gift")
    if gift:
        return f"  赠品（{gift['promotion']}，价值￥{yuan(int(gift['value']))}）"
    return "  赠品" if item.get("is_gift") else ""


def _items(sheet: _Sheet, lines: Sequence[Mapping[str, Any]], *, each_net: bool) -> None:
    """Item rows: name, then ``sku qty×price`` and the line's gross amount.

    With ``each_net`` (the refund slip) each line also shows what came off it
    and what it came to, so every line adds up on paper: gross − discount −
    points = net.
    """
    sheet.rule()
    sheet.pair("商品", "数量×单价  金额")
    sheet.rule()
    for item in lines:
        sheet.line(str(item.get("name", "")))
        sheet.pair(f"  {item.get('sku', '')} {_qty_price(item)}", yuan(int(item["gross"])))
        if _gift_row(item):
            sheet.line(_gift_row(item))
        reward = item.get("reward")
        if reward:  # no amount at the end: the points are not money
            sheet.line(f"  积分兑换 -{reward['points']} 积分")
        if item.get("override_reason"):
            sheet.line(f"  改价: {item['override_reason']}")
        if each_net and (item.get("discount") or item.get("points_value")):
            if item.get("discount"):
                sheet.pair("  优惠", off(int(item["discount"])))
            if item.get("points_value"):
                sheet.pair("  积分抵扣", off(int(item["points_value"])))
            sheet.pair("  小计", yuan(int(item["net"])))


def _qty_price(item: Mapping[str, Any]) -> str:
    """``3×50.80``, or for goods sold by weight ``0.532kg×12.80/kg`` (qty in grams)."""
    if item.get("sold_by") == "weight":
        return f"{kilograms(int(item['qty']))}kg×{yuan(int(item['unit_price']))}/kg"
    return f"{item['qty']}×{yuan(int(item['unit_price']))}"


def _tenders(
    sheet: _Sheet,
    tenders: Sequence[Mapping[str, Any]],
    *,
    refund: bool,
    stored_value: Mapping[str, Any] | None = None,
) -> None:
    for t in tenders:
        if refund:
            sheet.pair(f"  退{t['label']}", yuan(int(t["amount"])))
        else:
            sheet.pair(str(t["label"]), yuan(int(t["tendered"])))
        if t.get("reference"):
            sheet.line(f"  {'  ' if refund else ''}单号: {mask_reference(str(t['reference']))}")
        if t.get("method") == "stored_value" and stored_value:
            sheet.line(f"  {'  ' if refund else ''}储值会员: {stored_value.get('member_no', '')}")


def _balance(sheet: _Sheet, value: Mapping[str, Any] | None) -> None:
    """The member's stored value after this document: principal + bonus = balance."""
    if not value:
        return
    sheet.pair("储值余额", yuan(int(value["balance"])), bold=True)
    sheet.pair("  本金", yuan(int(value["principal"])))
    sheet.pair("  赠送", yuan(int(value["bonus"])))


def _taxes(sheet: _Sheet, taxes: Sequence[Mapping[str, Any]]) -> None:
    """价税分离: per VAT rate the tax-inclusive amount, its net of tax and the tax."""
    if not taxes:
        return
    sheet.rule()
    sheet.line("价税分离")
    for t in taxes:
        sheet.pair(f"{t['label']} 金额", yuan(int(t["amount"])))
        sheet.pair("  不含税", yuan(int(t["net"])))
        sheet.pair("  税额", yuan(int(t["tax"])))


def _coupons_issued(sheet: _Sheet, coupons: Sequence[Mapping[str, Any]]) -> None:
    """Each coupon the sale issued: its name, code (text and QR), window and minimum spend."""
    for c in coupons:
        sheet.rule()
        if c.get("source") == "reward":
            caption = f"积分兑换券（{c['points']}积分）"
        else:
            caption = "赠券 下次购物使用"
        sheet.centred(caption, bold=True)
        sheet.centred(str(c.get("name", "")))
        sheet.blocks.append(QrCode(str(c["code"])))
        sheet.line(f"券号: {c['code']}")
        if c.get("valid_from") or c.get("valid_to"):
            sheet.line(f"有效期: {c.get('valid_from', '')} 至 {c.get('valid_to', '')}")
        terms = f"满{yuan(int(c['min_spend']))}元可用" if c.get("min_spend") else "无门槛"
        if c.get("value"):
            terms += f"，减{yuan(int(c['value']))}元"
        sheet.line(terms)


def _member(sheet: _Sheet, member: Mapping[str, Any] | None, *, refund: bool = False) -> None:
    if not member:
        return
    sheet.rule()
    sheet.pair(f"会员: {member.get('member_no', '')}", str(member.get("tier") or ""))
    if member.get("phone"):
        sheet.line(f"手机: {member['phone']}")
    if refund:
        if member.get("points_reversed"):
            sheet.pair("扣回积分", f"-{member['points_reversed']}")
        if member.get("points_restored"):
            sheet.pair("退回抵扣积分", f"+{member['points_restored']}")
        if member.get("reward_points_back"):
            sheet.pair("退回兑换积分", f"+{member['reward_points_back']}")
    elif member.get("points_earned") is not None:
        if member.get("reward_points"):
            sheet.pair("积分兑换", f"-{member['reward_points']}")
        sheet.pair("本次积分", f"+{member['points_earned']}")
    if member.get("points_balance") is not None:
        sheet.pair("积分余额", str(member["points_balance"]))


def _notes(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    if doc.get("notes"):
        sheet.rule()
        for note in doc["notes"]:
            sheet.line(str(note))


def _discount_label(d: Mapping[str, Any]) -> str:
    target = d.get("target")
    return f"  {d['label']}（{target}）" if target else f"  {d['label']}"


def _receipt(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    _items(sheet, doc.get("lines", []), each_net=False)
    sheet.rule()
    sheet.pair("商品合计", yuan(int(doc["subtotal"])))
    for d in doc.get("discounts", []):
        sheet.pair(_discount_label(d), off(int(d["amount"])))
    for c in doc.get("coupons", []):
        sheet.pair(f"  {c.get('label') or '优惠券 ' + str(c['code'])}", off(int(c["amount"])))
    points = doc.get("points_used") or {}
    if points.get("points"):
        sheet.pair(f"  积分抵扣 {points['points']}分", off(int(points["value"])))
    if doc.get("rounding"):
        sheet.pair(f"  {doc.get('rounding_label') or '抹零'}", off(int(doc["rounding"])))
    sheet.pair("应付", yuan(int(doc["payable"])), bold=True)
    sheet.rule()
    value = doc.get("stored_value")
    _tenders(sheet, doc.get("tenders", []), refund=False, stored_value=value)
    if doc.get("change"):
        sheet.pair("找零", yuan(int(doc["change"])))
    if doc.get("savings"):
        sheet.pair("共节省", yuan(int(doc["savings"])), bold=True)
    _member(sheet, doc.get("member"))
    _balance(sheet, value)
    _taxes(sheet, doc.get("taxes") or [])
    _coupons_issued(sheet, doc.get("coupons_issued") or [])
    _ending(sheet, doc)


def _ending(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    """The end of a receipt or top-up slip: notes, the footer, the receipt's code."""
    _notes(sheet, doc)
    if doc.get("footer"):
        sheet.rule()
        sheet.centred(str(doc["footer"]))
    sheet.codes(doc.get("code"))


def _refund(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    if doc.get("reason"):
        sheet.line(f"退货原因: {doc['reason']}")
    if doc.get("approved_by"):
        sheet.line(f"授权: {doc['approved_by']}")
    lines = doc.get("lines", [])
    _items(sheet, lines, each_net=True)
    sheet.rule()
    sheet.pair("退货商品合计", yuan(sum(int(x["net"]) for x in lines)))
    if doc.get("shortfall_charged"):
        sheet.pair("  积分已用扣款", off(int(doc["shortfall_charged"])))
    if doc.get("coupon_deduction"):
        sheet.pair("  返券已用扣款", off(int(doc["coupon_deduction"])))
    if doc.get("rounding"):
        sheet.pair("  抹零", off(int(doc["rounding"])))
    sheet.pair("退款合计", yuan(int(doc["refund_total"])), bold=True)
    value = doc.get("stored_value")
    _tenders(sheet, doc.get("tenders", []), refund=True, stored_value=value)
    _member(sheet, doc.get("member"), refund=True)
    _balance(sheet, value)
    _cancelled(sheet, doc.get("coupons_cancelled") or [])
    _taxes(sheet, doc.get("taxes") or [])
    _notes(sheet, doc)
    sheet.codes(doc.get("code"))
    _signature(sheet, doc)


def _cancelled(sheet: _Sheet, coupons: Sequence[Mapping[str, Any]]) -> None:
    """Coupons the sale issued that the return took back."""
    if not coupons:
        return
    sheet.rule()
    sheet.line("收回赠券")
    for c in coupons:
        if c.get("status") != "void":
            state = "已使用"
        elif c.get("source") == "reward":
            state = "已退回，积分退还"
        else:
            state = "作废（退货后未达返券条件）"
        sheet.line(str(c.get("name", "")))
        sheet.line(f"  {c['code']} {state}")


def _signature(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    if doc.get("signature"):
        sheet.rule()
        sheet.line()
        caption = "顾客签字: "
        sheet.line(caption + "_" * (sheet.width - display_width(caption)))
        sheet.line()


def _topup(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    """A stored-value top-up slip: money in = Σ tenders − change; the balance after."""
    _header(sheet, doc)
    _member(sheet, doc.get("member"))
    sheet.pair("充值金额", yuan(int(doc["principal"])), bold=True)
    sheet.rule()
    _tenders(sheet, doc.get("tenders", []), refund=False)
    if doc.get("change"):
        sheet.pair("找零", yuan(int(doc["change"])))
    sheet.rule()
    if doc.get("bonus"):
        sheet.pair("本次赠送", yuan(int(doc["bonus"])))
    _balance(sheet, doc.get("stored_value"))
    _ending(sheet, doc)


def _topup_refund(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    """The refund of a top-up's unspent principal: Σ 退<method> = 退款合计."""
    _header(sheet, doc)
    if doc.get("reason"):
        sheet.line(f"退款原因: {doc['reason']}")
    if doc.get("approved_by"):
        sheet.line(f"授权: {doc['approved_by']}")
    _member(sheet, doc.get("member"))
    sheet.pair("退本金", yuan(int(doc["principal"])))
    sheet.rule()
    sheet.pair("退款合计", yuan(int(doc["refund_total"])), bold=True)
    _tenders(sheet, doc.get("tenders", []), refund=True)
    sheet.rule()
    if doc.get("bonus"):
        sheet.pair("扣回赠送", off(int(doc["bonus"])))
    _balance(sheet, doc.get("stored_value"))
    _notes(sheet, doc)
    sheet.codes(doc.get("code"))
    _signature(sheet, doc)


def _z_report(sheet: _Sheet, doc: Mapping[str, Any]) -> None:
    _header(sheet, doc)
    if doc.get("business_day"):
        shift = f"班次号: {doc['shift_no']}" if doc.get("shift_no") else ""
        sheet.pair(f"营业日: {doc['business_day']}", shift)
    for section in doc.get("sections", []):
        sheet.rule()
        if section.get("title"):
            sheet.line(str(section["title"]), bold=True)
        for row in section.get("rows", []):
            value = yuan(int(row["amount"])) if "amount" in row else str(row.get("value", ""))
            sheet.pair(str(row["label"]), value, bold=bool(row.get("total")))
    _notes(sheet, doc)


LAYOUTS = {"receipt": _receipt, "refund": _refund, "z_report": _z_report}
SLIPS = {"topup": _topup, "topup_refund": _topup_refund}
"""Layouts of documents that are a receipt or refund slip in the print queue (``slip``)."""


def layout_document(document: Mapping[str, Any], columns: int) -> list[Block]:
    """The blocks of a document for paper ``columns`` wide; raises ValueError on a bad document."""
    kind = document.get("kind")
    layout = SLIPS.get(str(document.get("slip"))) or LAYOUTS.get(str(kind))
    if layout is None:
        raise ValueError(f"unknown document kind {kind!r}")
    sheet = _Sheet(columns)
    try:
        layout(sheet, document)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed {kind} document: {exc!r}") from exc
    return sheet.blocks


def text_layer(blocks: Sequence[Block]) -> list[str]:
    """The text lines of a layout (what a person reads, without the codes)."""
    return [b.text for b in blocks if isinstance(b, TextLine)]
