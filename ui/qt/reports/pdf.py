"""The reports as a PDF: Qt's own writer (QPdfWriter) printing a QTextDocument.

Tables become HTML tables, charts are embedded as images grabbed from their
views, and the document's font is a CJK face when the machine has one, so
Chinese comes out as text (selectable, searchable), not as empty boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from terminal.reports import Table
from ui.report_format import header, text_rows, title

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC")


def cjk_font() -> QFont:
    """A font that draws Simplified Chinese, if one is installed (else the default)."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return QFont(family, 9)
    return QFont()


def table_points(columns: int) -> int:
    """The font size of a table of ``columns`` columns: wide tables get smaller type.

    Eleven columns of money (the daily sales) fit an A4 page's width at 7 pt.
    """
    return 9 if columns <= 6 else 8 if columns <= 8 else 7


def _unbroken(value: str, numeric: bool) -> bool:
    """Numbers, dates and masked numbers are never wrapped inside (``2026-11-01``)."""
    return numeric or (len(value) <= 16 and not any(ch.isspace() for ch in value))


def table_html(table: Table, lang: str) -> str:
    numeric = [c.kind not in ("text", "code") for c in table.columns]
    nowrap = ' style="white-space:nowrap"'
    head = "".join(f"<th>{escape(h)}</th>" for h in header(table, lang))
    body = "".join(
        "<tr>"
        + "".join(
            f'<td align="{"right" if n else "left"}"{nowrap if _unbroken(x, n) else ""}>'
            f"{escape(x)}</td>"
            for x, n in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in text_rows(table, lang)
    )
    size = table_points(len(table.columns))
    return (
        f"<h3>{escape(title(table, lang))}</h3>"
        '<table border="1" cellspacing="0" cellpadding="2" width="100%"'
        f' style="font-size:{size}pt">'
        f"<tr>{head}</tr>{body}</table>"
    )


def pdf_bytes(
    heading: str,
    tables: Sequence[Table],
    charts: Sequence[tuple[str, QImage]],
    lang: str,
) -> bytes:
    """``tables`` and ``charts`` (name, image) under ``heading`` as an A4 PDF.

    Made in memory: QPdfWriter says nothing when it cannot open a file, so the
    caller writes the bytes and meets a missing folder or a full disk itself.
    """
    doc = QTextDocument()
    doc.setDefaultFont(cjk_font())
    parts = [f"<h1>{escape(heading)}</h1>"]
    for k, (name, image) in enumerate(charts):
        url = QUrl(f"chart://{k}")
        doc.addResource(QTextDocument.ResourceType.ImageResource, url, image)
        parts.append(f'<p><img src="{url.toString()}" width="560" alt="{escape(name)}"/></p>')
    parts.extend(table_html(t, lang) for t in tables)
    doc.setHtml("".join(parts))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(heading)
    doc.print_(writer)
    return bytes(buffer.data().data())
