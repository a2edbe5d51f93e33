"""Receipts on screen: a picture of the paper, drawn from the document the printer gets.

:func:`paper_image` lays a document (receipt, refund slip, Z summary) out with
the printer's own layout for the configured paper (``devices.printer.layout``)
and draws it the way image mode prints it: the text on the printer's grid of
columns with the same fonts (``render_text_image``: a Chinese character in two
cells, each character from the first font that has it), the QR code and the
CODE128 barcode at the printer's module sizes. So the preview shows the lines
where the paper has them; the QR code in it scans. Without a Chinese font the
preview falls back to the text of the same layout.

:class:`ReceiptPreview` shows one printout and reprints it (marked 重印 /
REPRINT; the core checks the permission). :class:`ReceiptsDialog` finds a
receipt by number, or lists the latest printouts (receipts, refund slips,
Z summaries). Drawing runs on the device pool, lookups on the store thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import printouts
from terminal.printouts import Printout
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.ops import DEVICES, Op
from ui.qt.printing import PrintDesk, PrintTroubleBar
from ui.qt.widgets import TOUCH, MessageBar, error_text

if TYPE_CHECKING:
    from PIL import Image

    from devices.printer import PrinterSettings

QR_MODULE = 6  # dots per QR module: the printer's GS ( k size 6
BARCODE_HEIGHT = 64  # dots, as printed
FEED_LINES = 3  # what the cut feeds after the last line
PAPER_MARGIN = 12  # white paper left and right of the printable width, in dots


# --- the picture of the paper ------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    """A drawn printout: the image (None without a Chinese font) and its text lines."""

    image: QImage | None
    lines: list[str]
    width: int  # printable dots


def _qr_image(data: str, width: int) -> Image.Image:
    import segno
    from PIL import Image

    matrix = segno.make_qr(data, error="m").matrix
    side = len(matrix) * QR_MODULE
    img = Image.new("L", (width, side + 2 * QR_MODULE), 255)
    left = max(0, (width - side) // 2)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = left + c * QR_MODULE, QR_MODULE + r * QR_MODULE
                img.paste(0, (x, y, x + QR_MODULE, y + QR_MODULE))
    return img


def _barcode_image(data: str, settings: PrinterSettings, width: int) -> Image.Image | None:
    """CODE128 as the printer draws it, or None where the printer prints none."""
    from barcode import Code128
    from PIL import Image

    from devices.printer.render import make_canvas

    if not make_canvas(settings).profile.supports("barcodeB"):
        return None  # no hardware CODE128 on this printer: the QR code carries the number
    module = 2 if settings.paper == "58mm" else 3
    bits = Code128(data).build()[0]
    if len(bits) * module > width:
        return None  # too wide for the paper: the printer prints none either
    img = Image.new("L", (width, BARCODE_HEIGHT), 255)
    left = (width - len(bits) * module) // 2
    for i, bit in enumerate(bits):
        if bit == "1":
            img.paste(0, (left + i * module, 0, left + (i + 1) * module, BARCODE_HEIGHT))
    return img


def paper_image(document: Mapping[str, Any], settings: PrinterSettings) -> Image.Image:
    """The document as the printer puts it on paper, one pixel per printer dot.

    Raises ``FontMissing`` without a Chinese font, ``ValueError`` for a document
    the printer could not lay out either.
    """
    from PIL import Image

    from devices.printer.layout import Barcode, QrCode, TextLine, layout_document
    from devices.printer.render import center_ascii, grid_for, render_text_image

    width = settings.dots
    pieces: list[Image.Image] = []
    text: list[TextLine] = []

    def flush() -> None:
        if text:
            pieces.append(render_text_image(text, settings, width))
            text.clear()

    for block in layout_document(document, settings.columns):
        if isinstance(block, TextLine):
            text.append(block)
            continue
        flush()
        if isinstance(block, QrCode):
            pieces.append(_qr_image(block.data, width))
        elif isinstance(block, Barcode):
            bars = _barcode_image(block.data, settings, width)
            if bars is not None:
                pieces.append(bars)
                text.append(TextLine(center_ascii(block.data, settings.columns)))
    flush()
    feed = grid_for(settings, width).height * FEED_LINES
    paper = Image.new("L", (width + 2 * PAPER_MARGIN, sum(p.height for p in pieces) + feed), 255)
    y = PAPER_MARGIN // 2
    for piece in pieces:
        paper.paste(piece.convert("L"), (PAPER_MARGIN, y))
        y += piece.height
    return paper


def to_qimage(image: Image.Image) -> QImage:
    """A grey-scale pillow image as a QImage (safe to make off the GUI thread)."""
    grey = image.convert("L")
    data = grey.tobytes()
    return QImage(data, grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8).copy()


def draw_paper(document: Mapping[str, Any], settings: PrinterSettings) -> Paper:
    """The picture and the text of a document (the text alone without a Chinese font)."""
    from devices.printer import FontMissing
    from devices.printer.layout import layout_document, text_layer

    lines = text_layer(layout_document(document, settings.columns))
    try:
        image: QImage | None = to_qimage(paper_image(document, settings))
    except FontMissing:
        image = None
    return Paper(image, lines, settings.dots)


def printer_settings_of(ctx: AppContext) -> PrinterSettings:
    """The paper the till prints on (the configured printer's settings)."""
    if ctx.printer is not None:
        return ctx.printer.settings
    from ui.printing import printer_settings

    return printer_settings(ctx.home.config, ctx.home.data.config_path)


# --- the preview dialog ------------------------------------------------------------------------


class ReceiptPreview(QDialog):
    """One printout on screen, as on paper, with "Reprint" (a copy marked 重印 / REPRINT)."""

    def __init__(self, ctx: AppContext, desk: PrintDesk, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk = desk
        self.printout: Printout | None = None
        self.lines: list[str] = []
        self.drawn = False
        self.setObjectName("receiptPreview")
        self.setWindowTitle(self.tr("Receipt preview"))
        self.setMinimumSize(680, 600)
        layout = QVBoxLayout(self)

        self.heading = QLabel(self)
        self.heading.setObjectName("previewHeading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(self.heading)

        self.views = QStackedWidget(self)
        self.paper_area = QScrollArea(self)
        self.paper_area.setObjectName("previewScroll")
        self.paper_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.paper_area.setStyleSheet("QScrollArea, QLabel#previewPaper { background: #98a2b3; }")
        self.paper = QLabel(self.paper_area)
        self.paper.setObjectName("previewPaper")
        self.paper.setAccessibleName("receipt as printed")
        self.paper.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.paper.setText(self.tr("Drawing the receipt…"))
        self.paper_area.setWidget(self.paper)
        self.paper_area.setWidgetResizable(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("previewText")
        self.text.setAccessibleName("receipt text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.views.addWidget(self.paper_area)
        self.views.addWidget(self.text)
        layout.addWidget(self.views, 1)

        self.trouble = PrintTroubleBar(desk, self)
        layout.addWidget(self.trouble)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("Reprint (marked REPRINT)"), self)
        self.reprint_button.setObjectName("previewReprint")
        self.reprint_button.setAccessibleName("reprint this receipt")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("previewClose")
        self.close_button.setAccessibleName("close the preview")
        for button in (self.reprint_button, self.close_button):
            button.setMinimumHeight(TOUCH)
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.reprint_button.clicked.connect(self.reprint)
        self.close_button.clicked.connect(self.reject)
        self.setTabOrder(self.reprint_button, self.close_button)

    def show_printout(self, printout: Printout) -> None:
        """Show ``printout`` (the dialog is kept and reused): heading now, the paper once drawn."""
        self.printout = printout
        self.lines, self.drawn = [], False
        self.paper.clear()
        self.paper.setText(self.tr("Drawing the receipt…"))
        self.views.setCurrentWidget(self.paper_area)
        self.paper_area.verticalScrollBar().setValue(0)  # from the top, like the paper
        self.message.clear_message()
        self.reprint_button.setEnabled(True)
        self._show_heading(printout)
        settings = printer_settings_of(self.ctx)
        document = printout.document

        def drawn(paper: Paper) -> None:
            if self.printout is printout:  # not one shown earlier, drawn late
                self._drawn(paper)

        Op(self, lambda: draw_paper(document, settings)).success(drawn).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run(DEVICES)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.open()

    def _show_heading(self, p: Printout) -> None:
        states = {
            "printed": self.tr("printed"),
            "failed": self.tr("not printed"),
            "pending": self.tr("waiting to print"),
            "sent": self.tr("printing"),
        }
        parts = [p.title, p.number, p.time, states.get(p.status, "")]
        self.heading.setText("   ".join(x for x in parts if x))

    def _drawn(self, paper: Paper) -> None:
        self.lines = paper.lines
        self.paper.setAccessibleDescription("\n".join(paper.lines))
        self.text.setPlainText("\n".join(paper.lines))
        if paper.image is not None:
            self.paper.setPixmap(QPixmap.fromImage(paper.image))
            self.views.setCurrentWidget(self.paper_area)
        else:  # no Chinese font for the picture: the same layout as text
            font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            font.setStyleHint(QFont.StyleHint.TypeWriter)
            self.text.setFont(font)
            self.views.setCurrentWidget(self.text)
        self.drawn = True

    def pixmap(self) -> QPixmap:
        """The picture of the paper shown (null before it is drawn or without a font)."""
        return self.paper.pixmap()

    def reprint(self) -> None:
        ctx, printout = self.ctx, self.printout
        cashier = ctx.cashier
        if cashier is None or printout is None:
            return

        def queue(approver: Any) -> str:
            with ctx.home.db.transaction() as session:
                job = printouts.reprint(
                    session,
                    printout,
                    now=ctx.clock(),
                    actor=cashier,
                    approver=approver,
                    terminal_id=ctx.settings.terminal_id,
                )
                return job.id

        self.reprint_button.setEnabled(False)
        approved(self, ctx, queue, self._queued, self._refused)

    def _queued(self, _job_id: str) -> None:
        self.reprint_button.setEnabled(True)
        self.message.info(self.tr("Reprint sent to the printer"))
        self.desk.print_queue()

    def _refused(self, exc: BaseException) -> None:
        self.reprint_button.setEnabled(True)
        self.message.error(error_text(exc))

    def changeEvent(self, event: QEvent) -> None:
        # an approval dialog that was cancelled reports nothing: the button comes back
        # when this dialog is active again
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.reprint_button.setEnabled(True)
        super().changeEvent(event)


# --- finding a receipt --------------------------------------------------------------------------


class ReceiptsDialog(QDialog):
    """Find a receipt by number (typed or scanned), or pick one of the latest printouts."""

    def __init__(self, ctx: AppContext, desk: PrintDesk, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk = desk
        self.found: list[Printout] = []
        self.preview = ReceiptPreview(ctx, desk, self)
        self.setObjectName("receiptsDialog")
        self.setWindowTitle(self.tr("Receipts"))
        self.setMinimumSize(640, 480)
        layout = QVBoxLayout(self)
        self.number = QLineEdit(self)
        self.number.setObjectName("receiptsNumber")
        self.number.setAccessibleName("receipt number")
        self.number.setPlaceholderText(self.tr("Scan or type a receipt number, Enter"))
        self.number.setMinimumHeight(TOUCH)
        self.number.returnPressed.connect(self.look_up)
        layout.addWidget(self.number)
        layout.addWidget(QLabel(self.tr("Latest printouts:"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("receiptsList")
        self.list.setAccessibleName("latest printouts")
        self.list.setStyleSheet(f"QListWidget::item {{ min-height: {TOUCH}px; }}")
        self.list.itemActivated.connect(self._picked)
        layout.addWidget(self.list, 1)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.setObjectName("receiptsShow")
        self.show_button.setAccessibleName("show the receipt")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("receiptsClose")
        self.close_button.setAccessibleName("close")
        for button in (self.show_button, self.close_button):
            button.setMinimumHeight(TOUCH)
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.show_button.clicked.connect(self._show_chosen)
        self.close_button.clicked.connect(self.reject)
        self.setTabOrder(self.number, self.list)
        self.setTabOrder(self.list, self.show_button)
        self.setTabOrder(self.show_button, self.close_button)

    def start(self) -> None:
        """A fresh look (the dialog is kept and reused): the latest printouts, an empty field."""
        self.number.clear()
        self.message.clear_message()
        self.number.setFocus(Qt.FocusReason.OtherFocusReason)
        self._load_recent()

    def _load_recent(self) -> None:
        db = self.ctx.home.db

        def recent() -> list[Printout]:
            with db.sessions() as session:
                return printouts.recent(session)

        Op(self, recent).success(self._listed).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _listed(self, found: list[Printout]) -> None:
        self.found = found
        self.list.clear()
        for p in found:
            self.list.addItem(QListWidgetItem(f"{p.time}   {p.title}   {p.number}".rstrip()))

    def look_up(self) -> None:
        number = self.number.text().strip()
        if not number:
            return
        db = self.ctx.home.db

        def lookup() -> Printout:
            with db.sessions() as session:
                return printouts.for_receipt(session, number)

        Op(self, lookup).success(self.show_printout).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _picked(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self.found):
            self.show_printout(self.found[row])

    def _show_chosen(self) -> None:
        if self.number.text().strip():
            self.look_up()
        elif self.list.currentItem() is not None:
            self._picked(self.list.currentItem())

    def show_printout(self, printout: Printout) -> None:
        self.message.clear_message()
        self.number.clear()
        self.preview.show_printout(printout)
