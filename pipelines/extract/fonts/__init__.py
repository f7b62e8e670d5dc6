"""The font pdfium is given for Chinese, Japanese and Korean fonts that a PDF does not embed.

A CJK PDF often names a font it does not carry (STSong-Light, Ryumin-Light, 宋体). pdfium
then takes a host font that covers the charset or, on a host without one, its built-in Latin
Type 1 font, and loads that font's outline of every glyph twice to box it: a fifth of a
reference page's instructions (pdfium caches the boxes of one-byte codes only). Neither
outline is the PDF's font, so the boxes were the host's noise: a digit's box overhung its
advance by the width of a Latin glyph. Given ``no-outlines.ttf`` (see ``build_font.py``)
instead, every such glyph is boxed by its advance from the PDF's widths and the height of an
em, on every host, and pdfium finds that box without parsing an outline. Its cmap maps every
code point to one blank glyph whose box has width: pdfium's text page drops a text object
whose glyph boxes have none, which lost every glyph of a PDF that shows each glyph in its own
text object (on a host without a CJK font, stock pdfium loses them the same way). Fonts of
other charsets still go to pdfium's own lookup.
"""

from __future__ import annotations

import ctypes
from importlib.resources import files

import pypdfium2 as pdfium

# FX_Charset values pdfium asks for: ShiftJIS, Hangul, Johab, GB2312, Big5
CJK_CHARSETS = frozenset({128, 129, 130, 134, 136})
GB2312 = 134  # the charset the substitute reports (pdfium asks only when a PDF names none)
FACE_NAME = b"newsarchive no outlines"


class NoOutlinesForCJK(pdfium.PdfSysfontBase):
    """pdfium's system-font callbacks: CJK charsets get ``no-outlines.ttf``, others the
    default lookup (the base class delegates every callback not defined here)."""

    def __init__(self) -> None:
        super().__init__()
        data = files(__package__).joinpath("no-outlines.ttf").read_bytes()
        self._data = ctypes.create_string_buffer(data, len(data))
        self._handle = ctypes.addressof(self._data)  # never one of the default's handles

    def MapFont(self, _, weight, italic, charset, pitch_family, face, exact):  # noqa: N802
        if charset in CJK_CHARSETS:
            return self._handle
        return super().MapFont(_, weight, italic, charset, pitch_family, face, exact)

    def GetFontData(self, _, handle, table, buffer, size):  # noqa: N802
        if handle != self._handle:
            return super().GetFontData(_, handle, table, buffer, size)
        if table != 0:  # pdfium asks for the whole file (table 0)
            return 0
        length = len(self._data)
        if buffer and size >= length:
            ctypes.memmove(buffer, self._data, length)
        return length

    def GetFaceName(self, _, handle, buffer, size):  # noqa: N802
        if handle != self._handle:
            return super().GetFaceName(_, handle, buffer, size)
        name = FACE_NAME + b"\0"
        if buffer and size >= len(name):
            ctypes.memmove(buffer, name, len(name))
        return len(name)

    def GetFontCharset(self, _, handle):  # noqa: N802
        if handle != self._handle:
            return super().GetFontCharset(_, handle)
        return GB2312

    def DeleteFont(self, _, handle):  # noqa: N802
        if handle != self._handle:
            super().DeleteFont(_, handle)


def install() -> None:
    """Give pdfium the substitute, once per process, before it opens a CJK document (faces
    it already chose stay cached). pypdfium2 keeps the handler alive until exit."""
    if not isinstance(pdfium.PdfSysfontBase.SINGLETON, NoOutlinesForCJK):
        NoOutlinesForCJK().setup()
