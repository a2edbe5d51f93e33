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
``text_mode="image"``: the text is drawn through pillow on the same grid of
columns (so the layout is the same), each character with the first font whose
character map has it, and printed as a raster image.

No document opens the cash drawer: :func:`drawer_pulse` is sent on its own.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
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

SYMBOL_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSymbols-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "C:/Windows/Fonts/seguisym.ttf",
)
"""Where a character goes when the CJK font has no glyph for it (℃ ① ※ in Droid Sans Fallback)."""

log = logging.getLogger(__name__)


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
def font_coverage(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for (its cmap; the first face of a collection)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # an unreadable font covers nothing, it must not stop a print
        log.warning("cannot read the character map of %s: %s", path, exc)
        return frozenset()


@functools.cache
def font_chain(cjk: str) -> tuple[str, ...]:
    """Fonts to draw a two-column character with, in order: the CJK font, then the others."""
    others = (*FONT_CANDIDATES, *SYMBOL_FONT_CANDIDATES, *LATIN_FONT_CANDIDATES)
    return (cjk, *(p for p in dict.fromkeys(others) if p != cjk and os.path.exists(p)))


@functools.cache
def _latin_font_path() -> str | None:
    return next((p for p in LATIN_FONT_CANDIDATES if os.path.exists(p)), None)


@functools.cache
def font_for(ch: str, cjk: str) -> str:
    """The first font that has a glyph for ``ch``: a one-column (ASCII) character prefers the
    monospace Latin font, which fits one cell; anything else the CJK font. A character no
    font has comes from the CJK font (its "missing" box) and is logged."""
    chain = font_chain(cjk)
    latin = _latin_font_path()
    if char_width(ch) == 1 and latin is not None:
        chain = (latin, *(p for p in chain if p != latin))
    for path in chain:
        if ord(ch) in font_coverage(path):
            return path
    log.warning("no font here has a glyph for %r (U+%04X)", ch, ord(ch))
    return cjk


@functools.cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@dataclass(frozen=True)
class Grid:
    """The cells text is drawn in: ``cell`` dots per column, ``height`` dots per line."""

    cell: int

    @property
    def glyph(self) -> int:  # a CJK glyph fills two cells
        return 2 * self.cell

    @property
    def latin(self) -> int:  # a monospace glyph of this size is about one cell wide
        return self.cell * 5 // 3

    @property
    def height(self) -> int:
        return self.glyph + self.glyph // 4

    @property
    def baseline(self) -> int:
        return self.glyph


def grid_for(settings: PrinterSettings, width: int | None = None) -> Grid:
    """The grid of the configured paper and font (12-dot cells for font A, 9 for font B)."""
    return Grid((width or settings.dots) // settings.columns)


def _face(ch: str, cjk: str, grid: Grid, room: int) -> ImageFont.FreeTypeFont:
    """The font to draw ``ch`` with, shrunk if its glyph is wider than ``room`` dots."""
    path = font_for(ch, cjk)
    size = grid.latin if path == _latin_font_path() else grid.glyph
    face = _font(path, size)
    wide = face.getlength(ch)
    if wide > room:
        face = _font(path, max(6, int(size * room / wide)))
    return face


def render_text_image(
    lines: Sequence[TextLine], settings: PrinterSettings, width: int | None = None
) -> Image.Image:
    """Draw text lines on a 1-bit image, one character per grid cell (two cells unless ASCII)."""
    cjk = find_cjk_font(settings.font_path)
    width = width or settings.dots
    grid = grid_for(settings, width)
    img = Image.new("1", (width, grid.height * len(lines)), 1)
    draw = ImageDraw.Draw(img)
    for row, line in enumerate(lines):
        x = 0
        baseline = row * grid.height + grid.baseline
        for ch in line.text:
            w = char_width(ch)
            if ch != " ":
                # centred in its cell(s), so proportional glyphs keep the grid
                face = _face(ch, cjk, grid, w * grid.cell)
                gx = x + max(0, int((w * grid.cell - face.getlength(ch)) // 2))
                draw.text((gx, baseline), ch, font=face, fill=0, anchor="ls")
                if line.bold:
                    draw.text((gx + 1, baseline), ch, font=face, fill=0, anchor="ls")
            x += w * grid.cell
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


def draw_blocks(canvas: Dummy, blocks: Sequence[Block], settings: PrinterSettings) -> None:
    """Draw blocks on an escpos printer object: init, content, cut.

    A document never opens the cash drawer: that is :func:`drawer_pulse`, sent on
    its own at payment, so a reprint or a retried job cannot open it.
    """
    canvas.hw("INIT")
    if settings.font != "a" and settings.text_mode == "gb18030":
        canvas.set(font=settings.font)
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


DLE_DC4_PULSE = (0x10, 0x14, 1)  # DLE DC4 fn=1 m t: real-time pulse on the drawer connector
PULSE_TIME = 1  # DLE DC4 t: ON time in 100 ms steps (ESC p's default is 100 ms too)


def drawer_pulse(canvas: Escpos, settings: PrinterSettings) -> None:
    """Open the cash drawer: a real-time DLE DC4 pulse (or ESC p where configured).

    The printer runs DLE DC4 as soon as it arrives, even while it is off line
    for paper out or an open cover; ESC p waits in the buffer behind that.
    """
    if settings.drawer_command == "esc_p":
        canvas.cashdraw(settings.cash_drawer_pin)
    else:  # python-escpos sends a decimal sequence as given: DLE DC4 1 m t
        m = 0 if settings.cash_drawer_pin == 2 else 1
        canvas.cashdraw([*DLE_DC4_PULSE, m, PULSE_TIME])


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
    draw_blocks(canvas, blocks, settings)
    return canvas.output
