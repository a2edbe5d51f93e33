"""The printer check page: a short document that goes the way a receipt goes.

The settings screen prints it to test a printer connection. It is a document
like :mod:`terminal.receipts` makes (the summary layout: header, then titled
rows), so it exercises the same layout, Chinese text, paper width and
connection as a receipt. It is printed directly, never queued: the page is
not a record and is never reprinted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from terminal.errors import NotFound
from terminal.receipts import SCHEMA
from terminal.store.models import Terminal


def check_page_document(
    session: Session, terminal_id: str, *, now: datetime, tz: str, printer: str
) -> dict[str, Any]:
    """The check page for this till; ``printer`` says which connection is being tried
    (the printer's own description, e.g. ``network 192.168.1.50:9100``)."""
    terminal = session.get(Terminal, terminal_id)
    if terminal is None:
        raise NotFound("print_terminal_unknown")
    return {
        "schema": SCHEMA,
        "kind": "z_report",  # the summary layout: a header and titled rows
        "title": "打印测试 TEST PAGE",
        "reprint": False,
        "store": {
            "code": terminal.store.code,
            "name": terminal.store.name,
            "address": terminal.store.address,
        },
        "terminal": terminal.code,
        "time": now.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S"),
        "receipt_no": "",
        "sections": [
            {
                "title": "打印机 printer",
                "rows": [
                    {"label": "连接 connection", "value": printer},
                    {"label": "中文 Chinese", "value": "收银测试 ¥12.30"},
                    {"label": "金额 amount", "amount": 1230},
                ],
            }
        ],
        "notes": ["打印正常即可使用 / if this page is readable, the printer works"],
        "footer": "",
        "code": None,
    }
