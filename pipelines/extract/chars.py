"""What a char source delivers for one page: glyphs with boxes, ruling lines, image regions.

All coordinates are PDF points with the origin at the top left (pdfplumber's convention).
Glyph boxes are normalised from the baseline and the font size (top = base - 0.8 em,
bottom = base + 0.2 em), because real glyph boxes vary by glyph and by library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


class Char:
    """One glyph: its text, horizontal extent, baseline, font size and font name."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "base", "size", "font", "sp")

    def __init__(
        self, text: str, x0: float, x1: float, base: float, size: float, font: str, sp: int = 0
    ) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.base = base
        self.size = size
        self.top = base - 0.8 * size
        self.bottom = base + 0.2 * size
        self.font = font
        self.sp = sp  # 0: none before it; 1: a generated space hint; 2: a space glyph

    def __repr__(self) -> str:
        return f"Char({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, base={self.base:.1f})"


@dataclass
class PageContent:
    """Everything the layout analysis needs from one page."""

    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    hrules: list[Box] = field(default_factory=list)  # thin horizontal rules
    vrules: list[Box] = field(default_factory=list)  # thin vertical rules
    images: list[Box] = field(default_factory=list)  # photos and vector graphics
    full_images: int = 0  # images covering most of the page (scans): not layout items
    unmapped: int = 0  # glyphs the source could not map to Unicode
    raw_chars: int = 0  # glyphs before cleaning (spaces, controls, rotated text)
    # text objects (text-showing operators) on the page, and how many of them the reader
    # returned no glyph of: the measure of text a reader lost (health.check_reading)
    text_objects: int = 0
    unread_objects: int = 0
    reader: str = "pypdfium2"  # the char source that read the page
    rotation: int = 0  # the page's /Rotate, in quarter turns clockwise
    # a page read turned from how it is shown (orientation.py): its boxes as shown
    to_display: Callable[[Box], Box] | None = None
    hidden: Counter[str] = field(default_factory=Counter)  # glyphs not seen, by why (visibility.py)
    hidden_at: list[tuple[float, float]] = field(default_factory=list)  # their x0, baseline
    vertical: PageContent | None = None  # its columns of vertical writing, read apart


class PageTooLarge(Exception):
    """A page holds more glyphs than the per-page budget allows."""


class CharSource(Protocol):
    """An opened PDF that yields one :class:`PageContent` per page."""

    page_count: int

    def pages(self) -> Iterator[PageContent | Exception]:
        """Each page's content, or the exception that reading it raised."""
        ...

    def close(self) -> None: ...


def rules_from_box(box: Box, thin: float = 3.0, min_len: float = 8.0) -> list[tuple[str, Box]]:
    """Classify a drawn box: a thin rule, or a frame whose four edges act as rules."""
    x0, top, x1, bottom = box
    w, h = x1 - x0, bottom - top
    if w <= thin and h >= min_len:
        return [("v", box)]
    if h <= thin and w >= min_len:
        return [("h", box)]
    if w >= min_len and h >= min_len:
        return [
            ("h", (x0, top, x1, top)),
            ("h", (x0, bottom, x1, bottom)),
            ("v", (x0, top, x0, bottom)),
            ("v", (x1, top, x1, bottom)),
        ]
    return []
