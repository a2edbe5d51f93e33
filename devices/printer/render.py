"""Render a laid-out document into ESC/POS bytes with python-escpos.

Every byte comes from a python-escpos printer object: the document is drawn on
an ``escpos.printer.Dummy`` with the configured profile, and the collected
bytes are then sent to the real connection in one go (so a printer that drops
off mid-job never gets half a document from us).

Chinese text. python-escpos 3.1 has no GB18030/GBK code page, and its automatic
code-page switching garbles mixed lines such as ``（￥12.50）``. Chinese printers
print GB18030 in double-byte ("Kanji") mode, so in ``text_mode="gb18030"`` each
line holding non-ASCII characters is sent through the escpos object's ``_raw``
as ``FS &`` + GB18030 bytes + ``FS .``. Printers without a Chinese font get
``text_mode="image"``: the text is drawn with a CJK font through pillow on a
grid of columns (so the layout is the same) and printed as a raster image.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from escpos.constants import QR_ECLEVEL_M
from escpos.exceptions import BarcodeTypeError, ImageWidthError
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from devices.printer.layout import (
    Barcode,
    Block,
    QrCode,
    TextLine,
    char_width,
    layout_document,
)
from devices.printer.settings import PrinterSettings

FS_KANJI_ON = b"\x1c\x26"  # FS &: select double-byte (Kanji / GB18030) character mode
FS_KANJI_OFF = b"\x1c\x2e"  # FS .: cancel double-byte character mode

LINE_HEIGHT = 30  # dots per text line in image mode (24-dot glyphs + spacing)
GLYPH_SIZE = 24  # a CJK glyph is 24 dots, a Latin cell 12
BASELINE = 24  # dots from the top of a line to the common baseline of both fonts

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)

LATIN_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoMono-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "C:/Windows/Fonts/consola.ttf",
)
"""Monospaced fonts for ASCII in image mode (some CJK fonts, e.g. Droid Sans Fallback, lack it)."""
LATIN_SIZE = 20  # a 20-point monospaced glyph is about 12 dots wide: one column


class FontMissing(RuntimeError):
    """Image mode was asked for but no font with Chinese glyphs was found."""


class RenderError(ValueError):
    """The document cannot be printed (malformed, or a code that does not fit)."""


# --- fonts -------------------------------------------------------------------------------------


@functools.cache
def find_cjk_font(preferred: str = "") -> str:
    """Path of a font with Chinese glyphs: ``preferred``, a known path, or ``fc-list :lang=zh``."""
    if preferred:
        if not os.path.exists(preferred):
            raise FontMissing(f"font not found: {preferred}")
        return preferred
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(
                [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for row in sorted(out.splitlines()):
            path = row.split(":")[0].strip()
            if path and os.path.exists(path):
                return path
    raise FontMissing("no font with Chinese glyphs (install fonts-noto-cjk or fonts-wqy-zenhei)")


@functools.cache
def _font(path: str, size: int = GLYPH_SIZE) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@functools.cache
def _latin_font() -> ImageFont.FreeTypeFont | None:
    for path in LATIN_FONT_CANDIDATES:
        if os.path.exists(path):
            return _font(path, LATIN_SIZE)
    return None


def _font_for(ch: str, cjk: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont:
    """One-column characters (ASCII, but also × ¥ ·) come from the monospace Latin font:
    a CJK font's glyph for them is full-width and would spill into the next cell."""
    latin = _latin_font()
    return latin if latin is not None and char_width(ch) == 1 else cjk


def render_text_image(
    lines: Sequence[TextLine], settings: PrinterSettings, width: int | None = None
) -> Image.Image:
    """Draw text lines on a 1-bit image, one character per grid cell (CJK = two cells)."""
    font = _font(find_cjk_font(settings.font_path))
    width = width or settings.dots
    cell = width // settings.columns
    img = Image.new("1", (width, LINE_HEIGHT * len(lines)), 1)
    draw = ImageDraw.Draw(img)
    for row, line in enumerate(lines):
        x = 0
        baseline = row * LINE_HEIGHT + BASELINE
        for ch in line.text:
            w = char_width(ch)
            if ch != " " and w:
                # centre the glyph in its cell(s) so proportional Latin glyphs keep the grid
                face = _font_for(ch, font)
                glyph_w = draw.textlength(ch, font=face)
                gx = x + max(0, int((w * cell - glyph_w) // 2))
                draw.text((gx, baseline), ch, font=face, fill=0, anchor="ls")
                if line.bold:
                    draw.text((gx + 1, baseline), ch, font=face, fill=0, anchor="ls")
            x += w * cell
    return img


# --- the escpos drawing ----------------------------------------------------------------------


def _quiet() -> contextlib.AbstractContextManager[Any]:
    """python-escpos prints chatter ("Using hardware barcode renderer") on stdout."""
    return contextlib.redirect_stdout(io.StringIO())


def paper_pixels(canvas: Dummy) -> int:
    """The printable width in dots the canvas's profile allows (set by :func:`make_canvas`)."""
    return int(canvas.profile.profile_data["media"]["width"]["pixels"])


def make_canvas(settings: PrinterSettings) -> Dummy:
    """A python-escpos ``Dummy`` with the configured profile and the paper's pixel width."""
    canvas = Dummy(profile=settings.profile)
    data = copy.deepcopy(canvas.profile.profile_data)
    width = data.setdefault("media", {}).setdefault("width", {})
    if width.get("pixels") in (None, "Unknown") or int(width["pixels"]) > settings.dots:
        width["pixels"] = settings.dots
    canvas.profile.profile_data = data
    return canvas


def code128_payload(data: str) -> str:
    """python-escpos CODE128 data: code set B, switching to C for a long even run of digits.

    ``S001T01-00000001`` becomes ``{BS001T01-{C`` + four digit pairs, 30 % narrower,
    so it fits a 58 mm roll at two dots per module.
    """
    head, digits = data, ""
    while head and head[-1].isdigit():
        head, digits = head[:-1], head[-1] + digits
    if len(digits) % 2:
        head, digits = head + digits[0], digits[1:]
    if len(digits) < 6:
        return "{B" + data
    pairs = "".join(chr(int(digits[i : i + 2])) for i in range(0, len(digits), 2))
    return ("{B" + head if head else "") + "{C" + pairs


def _text_gb18030(canvas: Dummy, line: TextLine, bold: bool) -> bool:
    if line.bold != bold:
        canvas.set(bold=line.bold)
    if line.text.isascii():
        canvas._raw(line.text.encode("ascii") + b"\n")
    else:
        canvas._raw(FS_KANJI_ON + line.text.encode("gb18030") + FS_KANJI_OFF + b"\n")
    return line.bold


def _qr(canvas: Dummy, block: QrCode, settings: PrinterSettings) -> None:
    native = (
        settings.native_qr and settings.text_mode == "gb18030" and canvas.profile.supports("qrCode")
    )
    canvas.set(align="center")
    with _quiet():
        if native:
            canvas.qr(block.data, ec=QR_ECLEVEL_M, size=6, native=True)
            canvas._raw(b"\n")
        else:
            canvas.qr(block.data, ec=QR_ECLEVEL_M, size=6, native=False, center=True)
    canvas.set(align="left")


def _barcode(canvas: Dummy, block: Barcode, settings: PrinterSettings) -> None:
    module = 2 if settings.paper == "58mm" else 3
    if not canvas.profile.supports("barcodeB"):
        return  # no hardware CODE128 (a software one is too wide): the QR code carries it
    try:
        with _quiet():
            canvas.barcode(
                code128_payload(block.data),
                "CODE128",
                height=64,
                width=module,
                pos="OFF",
                align_ct=True,
                function_type="B",
            )
    except (BarcodeTypeError, ImageWidthError):
        pass  # the profile has no CODE128; the QR code above carries the number
    # python-escpos leaves centring on after a barcode: back to the left edge
    canvas.set(align="left")
    canvas._raw(b"\n")
    if settings.text_mode == "gb18030" or block.data.isascii():
        canvas._raw(center_ascii(block.data, settings.columns).encode("ascii") + b"\n")


def center_ascii(text: str, width: int) -> str:
    """An ASCII text centred in ``width`` columns."""
    return " " * max(0, (width - len(text)) // 2) + text


def draw_blocks(
    canvas: Dummy, blocks: Sequence[Block], settings: PrinterSettings, *, open_drawer: bool
) -> None:
    """Draw blocks on an escpos printer object: init, drawer kick, content, cut."""
    canvas.hw("INIT")
    if open_drawer:
        canvas.cashdraw(settings.cash_drawer_pin)
    bold = False
    pending: list[TextLine] = []

    def flush_text() -> None:
        if pending:
            with _quiet():
                image = render_text_image(pending, settings, paper_pixels(canvas))
                canvas.image(image, impl="bitImageRaster")
            pending.clear()

    for block in blocks:
        if isinstance(block, TextLine):
            if settings.text_mode == "image":
                pending.append(block)
            else:
                bold = _text_gb18030(canvas, block, bold)
            continue
        flush_text()
        if isinstance(block, QrCode):
            _qr(canvas, block, settings)
        else:
            _barcode(canvas, block, settings)
    flush_text()
    if bold:
        canvas.set(bold=False)
    canvas.cut()


def render_document(document: Mapping[str, Any], settings: PrinterSettings) -> bytes:
    """The ESC/POS bytes of a document for the configured printer.

    Raises :class:`RenderError` for a document that cannot be laid out and
    :class:`FontMissing` in image mode without a CJK font.
    """
    try:
        blocks = layout_document(document, settings.columns)
    except ValueError as exc:
        raise RenderError(str(exc)) from exc
    if settings.text_mode == "image":
        find_cjk_font(settings.font_path)
    canvas = make_canvas(settings)
    draw_blocks(canvas, blocks, settings, open_drawer=bool(document.get("open_drawer")))
    return canvas.output
