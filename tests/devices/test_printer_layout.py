"""Receipt lines fit the paper as the printer prints them, and wrap where a reader expects.

A printer in GB18030 double-byte mode prints a one-byte character in one column
and a two- or four-byte one in two. The checks here count columns from the
bytes python-escpos produced (not from the layout's own arithmetic), on every
demo product name and every label the core makes, at 58 and 80 mm in fonts A
and B.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
from sqlalchemy import select

from devices.printer import PrinterSettings, render_document
from devices.printer.layout import display_width, layout_document, text_layer, two_columns, wrap
from terminal.demo import demo_coupon_definitions, demo_promotions
from terminal.initialise import DEFAULT_TIERS
from terminal.pricing.basket_steps import zhe
from terminal.pricing.engine import _ROUNDING_LABEL
from terminal.receipts import TENDER_LABELS, TITLES
from terminal.store.models import Product
from tests.devices.test_printer_render import DOC, FS_OFF, FS_ON

PAPERS = [("58mm", "a", 32), ("58mm", "b", 42), ("80mm", "a", 48), ("80mm", "b", 64)]


def printed_lines(data: bytes) -> list[bytes]:
    """The text bytes of each printed line: commands and raster data taken out."""
    lines, line, i = [], b"", 0
    skip = {b"\x1b@": 2, b"\x1bE": 3, b"\x1ba": 3, b"\x1bM": 3, FS_ON: 2, FS_OFF: 2}
    while i < len(data):
        b = data[i]
        if b == 0x0A:
            lines.append(line)
            line, i = b"", i + 1
        elif data[i : i + 2] in skip:
            i += skip[data[i : i + 2]]
        elif data[i : i + 2] in (b"\x1d(", b"\x1dk", b"\x1dV", b"\x1dh", b"\x1dw", b"\x1dH"):
            return lines  # the codes and the cut close the text of a receipt
        else:
            line += bytes([b])
            i += 1
    return lines


def columns_printed(line: bytes) -> int:
    """Columns a printer in GB18030 double-byte mode gives these bytes."""
    cols, i = 0, 0
    while i < len(line):
        if line[i] < 0x80:
            cols, i = cols + 1, i + 1
        elif i + 1 < len(line) and 0x30 <= line[i + 1] <= 0x39:
            cols, i = cols + 2, i + 4  # a four-byte sequence
        else:
            cols, i = cols + 2, i + 2
    return cols


def core_labels(products: int = 520) -> list[str]:
    """Every label the core prints in a discount row."""
    today = date(2026, 11, 23)
    promotions = demo_promotions(products, today)
    labels = [p["name"] for p in promotions]
    labels += [f"{p['name']} ×{n}" for p in promotions if p["kind"] == "threshold" for n in (2, 5)]
    labels += [f"{p['name']}：赠 金龙鱼 挂面 1kg ×1" for p in promotions if p["kind"] == "gift"]
    labels += [f"{name}会员 {zhe(bp)}" for _, name, _, _, bp, _ in DEFAULT_TIERS if bp]
    labels += [f"{d['name']}（券 CP{d['id'][3:]}0001）" for d in demo_coupon_definitions(today)]
    labels += [*_ROUNDING_LABEL.values(), "手工折让（临期）", "手工折让"]
    return labels


@pytest.fixture(scope="module")
def demo_names(demo_template) -> list[str]:
    from terminal.store.database import Database

    db = Database(demo_template, migrate=False)
    try:
        with db.sessions() as s:
            return list(s.scalars(select(Product.name).order_by(Product.sku)))
    finally:
        db.close()


def catalogue_document(names: list[str]) -> dict:
    """A receipt holding every name as a line and every core label as a discount row."""
    d = copy.deepcopy(DOC)
    d["lines"] = [
        {**DOC["lines"][0], "name": name, "sku": f"SKU{i:06d}", "gift": None}
        for i, name in enumerate(names)
    ]
    labels = core_labels()
    d["discounts"] = [
        {"label": label, "amount": 2000, "step": "item", "target": names[i % len(names)]}
        for i, label in enumerate(labels)
    ] + [{"label": label, "amount": 2000, "step": "tier", "target": ""} for label in labels]
    d["tenders"] = [
        {"method": m, "label": label, "amount": 100, "tendered": 100, "reference": "4200001234"}
        for m, label in TENDER_LABELS.items()
    ]
    return d


@pytest.mark.parametrize("paper,font,columns", PAPERS)
def test_every_demo_name_and_core_label_fits_the_paper_as_printed(demo_names, paper, font, columns):
    """Seen: ``满100减10 ×2 -20.00`` printed with a lone ``0`` on the next line, and long
    names left one character on a line of its own: ``×`` and ``·`` are two bytes in
    GB18030, so two columns on paper, and were laid out as one."""
    settings = PrinterSettings(paper=paper, font=font)
    assert settings.columns == columns
    for title in TITLES.values():
        document = {**catalogue_document(demo_names), "title": title}
        lines = printed_lines(render_document(document, settings))
        assert lines
        too_wide = [(columns_printed(x), x.decode("gb18030")) for x in lines]
        assert all(n <= columns for n, _ in too_wide), [x for x in too_wide if x[0] > columns]


@pytest.mark.parametrize("paper,font,columns", PAPERS)
def test_a_name_or_row_that_fits_prints_on_one_line(demo_names, paper, font, columns):
    for name in demo_names:
        if display_width(name) <= columns:
            assert wrap(name, columns) == [name]
    for label in core_labels():
        row = two_columns(f"  {label}", "-20.00", columns)
        if display_width(label) + 2 + 1 + 6 <= columns:
            assert len(row) == 1, row


def test_the_manjian_row_is_one_printed_line_on_58mm():
    [row] = two_columns("  满100减10 ×2", "-20.00", 32)
    assert columns_printed(row.encode("gb18030")) == 32 and row.endswith(" -20.00")


def test_latin_words_are_never_split_and_cjk_breaks_anywhere():
    assert wrap("Apple Fuji extra large imported premium", 12) == [
        "Apple Fuji",
        "extra large",
        "imported",
        "premium",
    ]
    lines = wrap("伊利 纯牛奶 250ml×12 金龙鱼 花生油 5L 农夫山泉天然饮用水550ml", 20)
    assert all(display_width(x) <= 20 for x in lines)
    words = ["250ml×12", "550ml", "5L"]
    assert all(any(w in x for x in lines) for w in words), lines  # each word on one line
    assert wrap("一二三四五六七八九十一二", 10) == ["一二三四五", "六七八九十", "一二"]


def test_no_line_starts_with_closing_punctuation_or_ends_with_opening():
    text = "满50减10元券（券 CP100001），满100享95折券（券 CP950001）。"
    for width in range(10, 40):
        for line in wrap(text, width):
            assert display_width(line) <= width
            assert not line.lstrip().startswith(("）", "，", "。")), (width, line)
            assert not line.endswith("（"), (width, line)


def test_no_lone_character_on_the_last_line_when_the_line_before_can_spare_one():
    assert wrap("会员: 138****5678 ******0001 金卡", 32) == ["会员: 138****5678 ******0001", "金卡"]
    assert wrap("一二三四五六七八九十一二三四五", 28) == ["一二三四五六七八九十一二三", "四五"]


def test_an_indented_row_keeps_its_indent_when_it_wraps():
    lines = wrap("  乳制品 9折（伊利 纯牛奶 250ml×12）", 24)
    assert len(lines) == 2 and all(x.startswith("  ") and x[2] != " " for x in lines)


@pytest.mark.parametrize("paper,font,columns", PAPERS)
def test_every_printed_line_of_a_receipt_decodes_back(paper, font, columns):
    settings = PrinterSettings(paper=paper, font=font)
    data = render_document(DOC, settings)
    assert [x.decode("gb18030") for x in printed_lines(data)] == text_layer(
        layout_document(DOC, columns)
    )
    if font == "b":
        assert b"\x1bM\x01" in data[:8]  # font B right after ESC @
