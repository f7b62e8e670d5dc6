"""Builds ``no-outlines.ttf``, the font pdfium is given for CJK fonts a PDF does not embed.

Run it with fontTools (``pip install fonttools``; not a dependency: the font is committed):
``python pipelines/extract/fonts/build_font.py``.

Every code point maps (one cmap format 13 range) to one glyph that paints nothing: two
zero-area strokes, one from the ideographic descender to the ascender (-120 to 880 of 1000,
as in Adobe's CJK fonts), one along the descender over a tenth of an em. pdfium boxes a
glyph from its advance (the PDF's widths) and the em's height, and never draws it. Both parts
of the glyph matter: pdfium's text page drops every text object whose glyph boxes have no
width (``fabs(GetRect().Width()) < kSizeEpsilon`` in CPDF_TextPage), and a glyph the cmap
does not reach has no box at all. A PDF that shows each glyph in its own text object lost
all of them that way (issue #12); the tenth of an em stays inside every real advance.
"""

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

EM, ASCENT, DESCENT = 1000, 880, -120
BOX_WIDTH = 100  # the glyph box's width in font units: > 0, and narrower than any advance
LAST_CODE_POINT = 0x10FFFF
FIXED_TIME = 0  # head.created/modified: the same bytes on every build


def _glyph(box_width: int):
    pen = TTGlyphPen(None)
    pen.moveTo((0, DESCENT))
    pen.lineTo((0, ASCENT))
    pen.closePath()
    pen.moveTo((0, DESCENT))
    pen.lineTo((box_width, DESCENT))
    pen.closePath()
    return pen.glyph()


def build(path: Path, box_width: int = BOX_WIDTH) -> None:
    """Write the font; ``box_width=0`` gives the font that lost text (tests use it to show
    that a reading which loses text is caught)."""
    builder = FontBuilder(EM, isTTF=True)
    builder.setupGlyphOrder([".notdef", "blank"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": _glyph(box_width), "blank": _glyph(box_width)})
    builder.setupHorizontalMetrics({".notdef": (EM, 0), "blank": (EM, 0)})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": "newsarchive no outlines", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT,
                     usWinDescent=-DESCENT)
    builder.setupPost()
    builder.updateHead(created=FIXED_TIME, modified=FIXED_TIME)
    # every code point to the one blank glyph: format 13 stores that as a single range
    ranges = CmapSubtable.newSubtable(13)
    ranges.platformID, ranges.platEncID, ranges.language = 3, 10, 0
    ranges.cmap = dict.fromkeys(range(0x20, LAST_CODE_POINT + 1), "blank")
    builder.font["cmap"].tables = [ranges]
    builder.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("no-outlines.ttf"))
