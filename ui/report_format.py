"""Reports as people read them: cell text, plain-text tables, CSV (UTF-8 with BOM) and JSON.

Shared by ``posterm report`` and the reports screen's exports, so both show
a figure the same way: money in yuan with two decimals, rates as percentages
with two decimals, catalogue codes in the chosen language. JSON keeps the
core's integers (fen, basis points) with the column kinds beside them.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from terminal.messages import render
from terminal.money import format_yuan
from terminal.reports import Table
from terminal.reports.base import Column


def cell_text(value: Any, kind: str, lang: str) -> str:
    """One value as text: ``fen`` -> ``12.50``, ``bp`` -> ``12.34%``, ``code`` -> its words."""
    if value is None:
        return "—" if kind in ("bp", "fen", "int", "points") else ""
    if kind == "fen":
        return format_yuan(int(value))
    if kind == "bp":
        v = int(value)
        sign = "-" if v < 0 else ""
        q, r = divmod(abs(v), 100)
        return f"{sign}{q}.{r:02d}%"
    if kind == "code":
        return render(str(value), lang=lang)
    return str(value)


def kind_of(column: Column, row: dict[str, Any]) -> str:
    return str(row.get("unit", "int")) if column.kind == "auto" else column.kind


def header(table: Table, lang: str) -> list[str]:
    return [render(c.label, lang=lang) for c in table.columns]


def text_rows(table: Table, lang: str) -> list[list[str]]:
    """Every row's cells as text, in column order."""
    return [
        [cell_text(row.get(c.key), kind_of(c, row), lang) for c in table.columns]
        for row in table.rows
    ]


def title(table: Table, lang: str) -> str:
    words = render(table.title, lang=lang)
    return f"{words}  {table.period.label()}" if table.period is not None else words


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def to_text(tables: Sequence[Table], lang: str) -> str:
    """Aligned plain-text tables (numbers right-aligned), one after the other."""
    out: list[str] = []
    for table in tables:
        head = header(table, lang)
        body = text_rows(table, lang)
        widths = [max(_width(x) for x in [h, *(r[k] for r in body)]) for k, h in enumerate(head)]
        numeric = [c.kind not in ("text", "code") for c in table.columns]
        out.append(title(table, lang))
        out.append("  ".join(_pad(h, w, n) for h, w, n in zip(head, widths, numeric, strict=True)))
        out.append("  ".join("-" * w for w in widths))
        for r in body:
            out.append("  ".join(_pad(x, w, n) for x, w, n in zip(r, widths, numeric, strict=True)))
        out.append("")
    return "\n".join(out)


def to_csv(tables: Sequence[Table], lang: str) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then reads Chinese right); a title line per table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for k, table in enumerate(tables):
        if k:
            writer.writerow([])
        writer.writerow([title(table, lang)])
        writer.writerow(header(table, lang))
        writer.writerows(text_rows(table, lang))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(tables: Sequence[Table]) -> str:
    """The tables as JSON: integers as the core made them (fen, basis points)."""

    def one(table: Table) -> dict[str, Any]:
        return {
            "name": table.name,
            "title": render(table.title, lang="zh_CN"),
            "title_en": render(table.title, lang="en"),
            "from": table.period.first.isoformat() if table.period else None,
            "to": table.period.last.isoformat() if table.period else None,
            "columns": [{"key": c.key, "kind": c.kind} for c in table.columns],
            "rows": table.rows,
        }

    return json.dumps([one(t) for t in tables], ensure_ascii=False, indent=1, default=str)
