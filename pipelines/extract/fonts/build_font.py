"""Builds ``no-outlines.ttf``, the font pdfium is given for CJK fonts a PDF does not embed.

Run it with fontTools (``pip install fonttools``; not a dependency: the font is committed):
``python pipelines/extract/fonts/build_font.py``. Its one glyph, .notdef, has no area: a
zero-width stroke from the ideographic descender to the ascender (-120 to 880 of 1000, as
in Adobe's CJK fonts). pdfium boxes a glyph from its outline; with this one the box takes
the advance from the PDF's widths and the height of an em, and nothing is ever drawn.
"""

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

EM, ASCENT, DESCENT = 1000, 880, -120
FIXED_TIME = 0  # head.created/modified: the same bytes on every build


def build(path: Path) -> None:
    builder = FontBuilder(EM, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    pen = TTGlyphPen(None)
    pen.moveTo((0, DESCENT))
    pen.lineTo((0, ASCENT))
    pen.closePath()
    builder.setupGlyf({".notdef": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (EM, 0)})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": "newsarchive no outlines", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT,
                     usWinDescent=-DESCENT)
    builder.setupPost()
    builder.updateHead(created=FIXED_TIME, modified=FIXED_TIME)
    builder.save(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("no-outlines.ttf"))
