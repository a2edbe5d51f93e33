"""The PDF's tables: numbers and dates are never broken over two lines; wide tables are smaller."""

from __future__ import annotations

from datetime import date

from terminal.reports.base import Column, Period, Table
from ui.qt.reports.pdf import table_html


def _table(columns: int) -> Table:
    money = [Column(f"c{k}", "rpt_col_net", "fen") for k in range(columns - 1)]
    cols = (Column("day", "rpt_col_day", "text"), *money)
    row = {"day": "2026-11-01", **{f"c{k}": 52848385 for k in range(columns - 1)}}
    return Table("daily", "rpt_title_daily", cols, [row], Period.day(date(2026, 11, 1)))


def test_numbers_and_dates_do_not_wrap_and_wide_tables_use_smaller_type():
    wide = table_html(_table(11), "en")
    assert '<td align="right" style="white-space:nowrap">528483.85</td>' in wide
    assert '<td align="left" style="white-space:nowrap">2026-11-01</td>' in wide
    assert "font-size:7pt" in wide
    assert "font-size:9pt" in table_html(_table(4), "en")
