"""Image mode: each character comes from the first font that has a glyph for it.

Seen: ``℃``, ``①`` and ``※`` printed as empty boxes although a font on the till
had them. The glyph of each character is checked against the fonts' character
maps (fontTools), and the pixels drawn are compared with that font's glyph and
with the "missing glyph" box of the fonts that lack it.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from devices.printer import PrinterSettings, render_document
from devices.printer.layout import TextLine
from devices.printer.render import (
    LATIN_FONT_CANDIDATES,
    _face,
    _font,
    find_cjk_font,
    font_coverage,
    font_for,
    grid_for,
    render_text_image,
)
from tests.devices.test_printer_render import DOC, needs_cjk_font, parse

SYMBOLS = "℃①※"
NOBODY = "\U0010fffd"  # a private-use code point no font here draws


def cells(ch: str, settings: PrinterSettings) -> np.ndarray:
    """The two cells ``ch`` is drawn in, True = black."""
    grid = grid_for(settings)
    img = render_text_image([TextLine(ch)], settings)
    return ~np.array(img)[:, : 2 * grid.cell].astype(bool)


def drawn_with(face: ImageFont.FreeTypeFont, ch: str, settings: PrinterSettings) -> np.ndarray:
    """``ch`` drawn directly with one font, where render_text_image would put it."""
    grid = grid_for(settings)
    img = Image.new("1", (settings.dots, grid.height), 1)
    x = max(0, int((2 * grid.cell - face.getlength(ch)) // 2))
    ImageDraw.Draw(img).text((x, grid.baseline), ch, font=face, fill=0, anchor="ls")
    return ~np.array(img)[:, : 2 * grid.cell].astype(bool)


def image_settings(**kw) -> PrinterSettings:
    return PrinterSettings(connection="file", file_path="/dev/null", text_mode="image", **kw)


def test_symbols_come_from_a_font_that_has_them_never_as_a_box():
    needs_cjk_font()
    settings = image_settings()
    grid = grid_for(settings)
    cjk = find_cjk_font()
    fonts_here = [cjk, *(p for p in LATIN_FONT_CANDIDATES if os.path.exists(p))]
    for ch in SYMBOLS:
        path = font_for(ch, cjk)
        if ord(ch) not in font_coverage(path):
            pytest.skip(f"no font on this machine has {ch!r}: apt-get install fonts-dejavu-core")
        got = cells(ch, settings)
        assert got.any(), f"{ch!r} drew nothing"
        face = _face(ch, cjk, grid, 2 * grid.cell)
        assert face.path == path and (got == drawn_with(face, ch, settings)).all()
        for other in fonts_here:  # not the "missing glyph" box of any font
            for size in (grid.glyph, grid.latin, face.size):
                box = drawn_with(_font(other, size), NOBODY, settings)
                assert not (got == box).all(), (ch, other)


def test_the_configured_font_is_used_first_when_it_has_the_glyph():
    """A CJK font that covers the symbols draws them itself; here DejaVu Sans stands in
    for it (it has ℃ ① ※ but no Chinese, so Chinese falls back to the next font)."""
    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not os.path.exists(dejavu):
        pytest.skip("fonts-dejavu-core is not installed")
    for ch in SYMBOLS:
        assert ord(ch) in font_coverage(dejavu)
        assert font_for(ch, dejavu) == dejavu
    needs_cjk_font()
    assert font_for("票", dejavu) != dejavu  # no Chinese in DejaVu: the next font with it
    assert ord("票") in font_coverage(font_for("票", dejavu))


def test_ascii_prefers_the_monospace_font_and_a_glyph_nobody_has_still_prints():
    needs_cjk_font()
    cjk = find_cjk_font()
    mono = next((p for p in LATIN_FONT_CANDIDATES if os.path.exists(p)), None)
    if mono is not None:
        assert font_for("A", cjk) == mono
    assert font_for(NOBODY, cjk) == cjk  # drawn as the CJK font's box, and logged
    data = render_document({**DOC, "footer": f"温度 5℃ ①号 ※{NOBODY}"}, image_settings())
    assert parse(data).rasters


@pytest.mark.parametrize("paper,font,cell", [("58mm", "a", 12), ("58mm", "b", 9)])
def test_image_mode_draws_on_the_grid_of_the_paper_and_font(paper, font, cell):
    needs_cjk_font()
    settings = image_settings(paper=paper, font=font)
    grid = grid_for(settings)
    assert grid.cell == cell and settings.columns * cell <= settings.dots
    img = render_text_image([TextLine("票" * (settings.columns // 2))], settings)
    used = np.where((~np.array(img).astype(bool)).any(axis=0))[0]
    assert used.max() < settings.columns * cell  # the last character ends inside the paper
    assert used.max() >= (settings.columns - 2) * cell  # and it is in the last two cells
