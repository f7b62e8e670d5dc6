"""Is a page's text layer worth archiving? Detects image-only pages, garbled fonts and
readings that lost text.

A font without a Unicode map yields (cid:N), U+FFFD, or its raw bytes read as Latin-1
(GBK mojibake such as ``¹ØÓÚ`` for 关于); storing that as text would poison search.

A reader can also lose glyphs silently: pdfium's text page leaves out a text object it cannot
box (issue #12: 92-96% of the glyphs of pages that show each glyph in its own object). The
page's text objects are counted apart from the text page, so a page whose text objects went
unread is read a second time, by pdfminer (document.py), and never stored as ``ok`` with
text missing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .chars import PageContent
from .mojibake import mojibake_reason
from .visibility import describe

MIN_CHARS = 10
UNMAPPED_SHARE = 0.05
LATIN1_SHARE = 0.25
PRIVATE_SHARE = 0.2
# a page gets a second reading when this many of its text objects, and this share, gave no
# glyph (pdfium leaves out duplicates drawn for fake bold: a few in a hundred on OCR layers)
UNREAD_MIN = 10
UNREAD_SHARE = 0.01
# the second reading replaces the first when this share of its glyphs (and UNREAD_MIN) are
# where the first has none; glyphs match within a cell of MATCH_PT points
LOST_SHARE = 0.01
MATCH_PT = 2.0
_LATIN1 = re.compile("[\u0080-\u00ff]")  # GBK bytes read as Latin-1
_PRIVATE = re.compile("[\ue000-\uf8ff\x00-\x1f]")  # private-use and control codes


# the statuses of a page's extraction
OK, NO_TEXT, GARBLED, INCOMPLETE, ERROR = "ok", "no_text", "garbled", "incomplete", "error"


@dataclass(frozen=True)
class Health:
    status: str  # OK | NO_TEXT | GARBLED | INCOMPLETE
    reason: str | None = None


def unread_text(content: PageContent) -> bool:
    """Did the reader return no glyph of enough of the page's text objects to doubt it?"""
    unread = content.unread_objects
    return unread >= UNREAD_MIN and unread > UNREAD_SHARE * content.text_objects


def missing_glyphs(first: PageContent, second: PageContent) -> int:
    """Glyphs of the second reading with no glyph of the first where they stand (within a
    cell of ``MATCH_PT``): text the first lost. Counted by place, not in total, because the
    readers drop different duplicates (fake bold, an OCR layer's overlapping alternatives).
    Glyphs the first left out as nobody sees them (visibility.py) are not lost; a first
    reading in a turned frame (orientation.py) is compared by count, its places being
    another frame's."""
    hidden = sum(first.hidden.values())
    if first.to_display is not None or first.vertical is not None:
        read = len(first.chars) + (len(first.vertical.chars) if first.vertical else 0)
        return max(0, len(second.chars) - read - hidden)
    cell = MATCH_PT
    places = {(round(c.x0 / cell), round(c.base / cell)) for c in first.chars}
    missing = sum(1 for c in second.chars
                  if not any((round(c.x0 / cell) + dx, round(c.base / cell) + dy) in places
                             for dx in (-1, 0, 1) for dy in (-1, 0, 1)))
    return max(0, missing - hidden)


def seen_only(second: PageContent, first: PageContent) -> PageContent:
    """The second reading of a page without the glyphs the first found nobody sees (at
    their places, within a cell of ``MATCH_PT``): pdfminer reads hidden text as text."""
    if not first.hidden_at:
        return second
    cell = MATCH_PT
    places = {(round(x / cell), round(base / cell)) for x, base in first.hidden_at}
    second.chars = [c for c in second.chars
                    if not any((round(c.x0 / cell) + dx, round(c.base / cell) + dy) in places
                               for dx in (-1, 0, 1) for dy in (-1, 0, 1))]
    second.hidden, second.hidden_at = Counter(first.hidden), list(first.hidden_at)
    return second


def lost_text(first: PageContent, second: PageContent) -> bool:
    """Does the second reading hold text the first lost?"""
    missing = missing_glyphs(first, second)
    return missing >= UNREAD_MIN and missing > LOST_SHARE * len(second.chars)


def unread_reason(content: PageContent, why: str) -> str:
    return (f"the PDF reader returned no glyph of {content.unread_objects} of "
            f"{content.text_objects} text objects and {why}: text may be missing")


def check_page(content: PageContent) -> Health:
    """Classify a page before layout analysis."""
    visible = [c.text for c in content.chars]
    n = len(visible)
    if n + content.unmapped < MIN_CHARS:
        if content.hidden:
            return Health("no_text", f"no visible text: {n} glyphs seen, "
                                     f"{sum(content.hidden.values())} drawn unseen "
                                     f"({describe(content.hidden)})")
        images = len(content.images) + content.full_images
        if images:
            return Health("no_text", f"no text layer: {n} glyphs, {images} image(s); "
                                     "the page is a scan (needs OCR)")
        return Health("no_text", f"no text layer: {n} glyphs and no images (blank page)")
    total = n + content.unmapped
    if content.unmapped / total > UNMAPPED_SHARE:
        return Health("garbled", f"{content.unmapped} of {total} glyphs have no Unicode map "
                                 "(font without ToUnicode); text would be mojibake")
    text = "".join(visible)
    if len(text) != n:  # a glyph of several chars (a ligature): count its first
        text = "".join(t[0] for t in visible)
    latin1 = len(_LATIN1.findall(text))
    if latin1 / n > LATIN1_SHARE:
        return Health("garbled", f"{latin1} of {n} glyphs decode as Latin-1 bytes "
                                 "(likely GBK text in a font without a Unicode map)")
    private = len(_PRIVATE.findall(text))
    if private / n > PRIVATE_SHARE:
        return Health("garbled", f"{private} of {n} glyphs are private-use or control "
                                 "codes (font without a usable Unicode map)")
    if reason := mojibake_reason(text, content.chars):
        return Health("garbled", reason)
    return Health("ok")
