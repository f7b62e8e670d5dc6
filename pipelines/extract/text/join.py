"""Join glyphs into line text and lines into paragraphs, script-aware (research §5).

Justified CJK lines put gaps between every glyph, so a space between two CJK glyphs is only
real when its gap is an outlier on that line; Latin words keep their spaces; distances are
measured in em of the font size, never in points.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median, median_low
from typing import Protocol

from .dehyphenate import join_hyphenated
from .script import all_cjk, any_cjk, is_cjk

WIDE_GAP_EM = 2.0  # a gap this wide separates pieces of a line (title halves, header items)
CJK_SPACE_EM = 0.6  # CJK-CJK gap above the line's median that is a real space
CJK_GLYPH_SPACE_EM = 0.2  # same, when the PDF drew a space glyph there
MIXED_SPACE_EM = 1.0  # CJK-Latin gap above the median that is a real space
LATIN_SPACE_EM = 0.2  # Latin gap that is a word space without a space glyph
LATIN_GAP_EXCESS_EM = 0.12  # ... and above the line's median letter gap by this much
# full-width punctuation carries its own space: justification widens the gap after
# (before) it, and only a gap of most of an em more is a space (between a title's halves)
CJK_PUNCT_SPACE_EM = 0.8
CJK_CLOSING = frozenset("，。、；：？！）》」』】〕”’…")
CJK_OPENING = frozenset("（《「『【〔“‘")


class Glyph(Protocol):
    text: str
    x0: float
    x1: float
    size: float
    sp: int  # 0: nothing before; 1: generated space hint; 2: a space glyph before


def _gaps(glyphs: Sequence[Glyph]) -> list[float]:
    """Gap before each glyph after the first, in em of the larger of the two sizes."""
    out = []
    prev = glyphs[0]
    for cur in glyphs[1:]:
        em = prev.size if prev.size > cur.size else cur.size
        out.append((cur.x0 - prev.x1) / (em or 1.0))
        prev = cur
    return out


def _natural_gap(cjk_gaps: Sequence[float], lone: float = 0.0) -> float:
    """The natural gap between CJK glyphs of a line: the low median (a 2-gap line has 1
    space); a lone gap is measured against ``lone``: natural spacing (0), or the spacing of
    the rest of its line."""
    return median_low(cjk_gaps) if len(cjk_gaps) > 1 else min([*cjk_gaps, lone])


def _latin_limit(letter_gaps: Sequence[float]) -> float:
    """The gap over which two Latin glyphs of a line (no space glyph between) are words
    apart: a fixed minimum, or well over the line's median letter gap."""
    return max(LATIN_SPACE_EM,
               (median(letter_gaps) if letter_gaps else 0.0) + LATIN_GAP_EXCESS_EM)


def _join_segment(glyphs: Sequence[Glyph], gaps: Sequence[float], lone: float = 0.0) -> str:
    """Text of glyphs with no very wide gap; ``gaps[i]`` precedes ``glyphs[i + 1]``; a lone
    CJK gap is measured against ``lone`` (see _natural_gap)."""
    texts = [g.text for g in glyphs]
    joined = "".join(texts)
    if all_cjk(joined) and not any(g.sp == 2 for g in glyphs):
        # all CJK (most Chinese body lines): a space only at an outlier gap
        if not gaps or max(gaps) <= _natural_gap(gaps, lone) + CJK_SPACE_EM:
            return joined
    if not any_cjk(joined):  # no CJK (Latin body lines): the Latin rule below, alone
        limit = _latin_limit([gap for gap, g in zip(gaps, glyphs[1:], strict=True) if not g.sp])
        parts = [texts[0]]
        for gap, g, text in zip(gaps, glyphs[1:], texts[1:], strict=True):
            if g.sp or gap > limit:
                parts.append(" ")
            parts.append(text)
        return "".join(parts)
    cjk = [is_cjk(t[0]) for t in texts]
    cjk_gaps, lat_gaps = [], []
    for i, gap in enumerate(gaps):
        a, b = cjk[i], cjk[i + 1]
        if a and b:
            cjk_gaps.append(gap)
        elif not (a or b or glyphs[i + 1].sp):
            lat_gaps.append(gap)
    m_cjk = _natural_gap(cjk_gaps, lone)
    lat_limit = _latin_limit(lat_gaps)
    m_all = max(median(gaps), 0.0) if gaps else 0.0
    parts = [texts[0]]
    for i, gap in enumerate(gaps):
        b = glyphs[i + 1]
        if cjk[i] and cjk[i + 1]:
            excess = gap - m_cjk
            if texts[i][-1] in CJK_CLOSING or texts[i + 1][0] in CJK_OPENING:
                space = excess > CJK_PUNCT_SPACE_EM
            else:
                space = excess > CJK_SPACE_EM or (b.sp == 2 and excess > CJK_GLYPH_SPACE_EM)
        elif cjk[i] or cjk[i + 1]:
            space = gap - m_all > MIXED_SPACE_EM
        else:
            space = b.sp > 0 or gap > lat_limit
        if space:
            parts.append(" ")
        parts.append(texts[i + 1])
    return "".join(parts)


def join_line(glyphs: Sequence[Glyph]) -> str:
    """Text of one line from its glyphs sorted left to right; pieces separated by very
    wide gaps (title halves, header items) are joined by one space."""
    if not glyphs:
        return ""
    if len(glyphs) == 1:
        return glyphs[0].text
    gaps = _gaps(glyphs)
    if max(gaps) < WIDE_GAP_EM:
        return _join_segment(glyphs, gaps)
    # a piece of two glyphs has one gap: it is measured against the letter-spacing of the
    # line's other pieces (a letter-spaced byline: 通 讯 员   吕 晨), never above it
    narrow = [gap for gap in gaps if gap < WIDE_GAP_EM]
    lone = max(_natural_gap(narrow), 0.0) if len(narrow) > 1 else 0.0
    pieces = []
    start = 0
    for i, gap in enumerate(gaps):
        if gap >= WIDE_GAP_EM:
            pieces.append(_join_segment(glyphs[start:i + 1], gaps[start:i], lone))
            start = i + 1
    pieces.append(_join_segment(glyphs[start:], gaps[start:], lone))
    return " ".join(pieces)


def join_lines(first: str, second: str) -> str:
    """Continue ``first`` with the next line ``second`` of the same paragraph."""
    if not first:
        return second
    if not second:
        return first
    joined = join_hyphenated(first, second)
    if joined is not None:
        return joined
    a, b = first[-1], second[0]
    if is_cjk(a) or is_cjk(b) or a in "–—/" or a.isspace():
        return first + second
    return first + " " + second
