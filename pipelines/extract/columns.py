"""Recursive XY-cut over runs and images, with drawn rules as preferred cuts.

We write layout by hand because no PDF library rebuilds newspaper articles: their text
outputs either interleave columns or follow the content stream (titles after bodies).
Order of cuts in a region: horizontal rules spanning it (article separators), vertical
rules (column rules), whitespace bands that open a new headline (articles stacked on one
column grid), whitespace gutters, then the widest horizontal whitespace band. Reading order
is top-to-bottom, left-to-right within each cut.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .chars import Box

MAX_DEPTH = 60
GUTTER_EM = 0.5  # narrowest column gutter (glyph boxes eat into the drawn 8-10 pt)
WIDE_GAP_EM = 3.0  # a region one line high is only cut at gaps this wide
BAND_EXTRA_EM = 0.25  # a band must be this much taller than the gap between body lines
DISPLAY_EM = 1.15  # runs this much larger than body text are headlines


class Boxed(Protocol):
    x0: float
    x1: float
    top: float
    bottom: float


class LayoutTimeout(Exception):
    """The layout analysis went over the page's time budget."""


@dataclass
class CutParams:
    """Page measures the cuts are scaled by (all in points)."""

    body: float  # dominant font size
    leading: float  # baseline distance of body lines
    deadline: float  # time.monotonic() value after which we give up
    edges: frozenset[int] = frozenset()  # x (rounded) where many body lines start: columns

    @property
    def band(self) -> float:
        """Narrowest horizontal whitespace band that separates blocks."""
        return max(self.leading - self.body, 0.0) + BAND_EXTRA_EM * self.body

    @property
    def display(self) -> float:
        return DISPLAY_EM * self.body


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Free intervals between the union of 1-D spans."""
    spans.sort()
    out = []
    reach = spans[0][1]
    for lo, hi in spans[1:]:
        if lo > reach:
            out.append((reach, lo))
        if hi > reach:
            reach = hi
    return out


def _split(items: Sequence[Boxed], cuts: list[float], vertical: bool) -> list[list[Boxed]]:
    parts: list[list[Boxed]] = [[] for _ in range(len(cuts) + 1)]
    for it in items:
        mid = (it.x0 + it.x1) / 2 if vertical else (it.top + it.bottom) / 2
        parts[bisect_left(cuts, mid)].append(it)
    return [p for p in parts if p]


def _rule_cuts(gaps: list[tuple[float, float]], rules: Sequence[Box], vertical: bool,
               lo: float, hi: float, need: float) -> list[float]:
    """Gaps that hold a rule covering at least ``need`` of the region's span [lo, hi]."""
    span = hi - lo
    cuts = []
    for g0, g1 in gaps:
        for x0, top, x1, bottom in rules:
            pos, a, b = ((x0 + x1) / 2, top, bottom) if vertical else ((top + bottom) / 2, x0, x1)
            if g0 - 1.5 <= pos <= g1 + 1.5 and min(b, hi) - max(a, lo) >= need * span:
                cuts.append((g0 + g1) / 2)
                break
    return cuts


def _headline_bands(items: Sequence[Boxed], gaps: list[tuple[float, float]],
                    params: CutParams) -> list[float]:
    """Whitespace bands with text above and a headline right below: an article starts there.

    Cutting columns first would interleave articles stacked on the same column grid.
    """
    cuts = []
    band, display = params.band, params.display
    for lo, hi in gaps:
        if hi - lo < band:
            continue
        below = [i for i in items if hi - 0.5 <= i.top <= hi + band]
        above = [i for i in items if lo - band <= i.bottom <= lo + 0.5]
        if any(getattr(i, "size", 0.0) >= display for i in below) and any(
                0 < getattr(i, "size", 0.0) < display for i in above):
            cuts.append((lo + hi) / 2)
    return cuts


def _gutters(gaps: list[tuple[float, float]], height: float, params: CutParams) -> list[float]:
    """Whitespace gutters. In a region one line high a gap is a gutter only where a column
    of the page starts, or when very wide: word spaces in a lone line (a byline) are not."""
    need = GUTTER_EM * params.body
    if height > params.leading + 0.5 * params.body:
        return [(a + b) / 2 for a, b in gaps if b - a >= need]
    wide = WIDE_GAP_EM * params.body
    edges = params.edges
    return [(a + b) / 2 for a, b in gaps
            if b - a >= wide or (b - a >= need and round(b) in edges)]


def _widest(gaps: list[tuple[float, float]], band: float) -> list[float]:
    """The widest whitespace band(s): cutting at every band would slice columns into strips."""
    gaps = [g for g in gaps if g[1] - g[0] >= band]
    if not gaps:
        return []
    width = max(b - a for a, b in gaps)
    return [(a + b) / 2 for a, b in gaps if b - a >= 0.9 * width]


def xy_cut(items: Sequence[Boxed], hrules: Sequence[Box], vrules: Sequence[Box],
           params: CutParams) -> list[list[Boxed]]:
    """Leaves of the XY-cut tree in reading order; each leaf is a list of items."""
    leaves: list[list[Boxed]] = []
    _cut(list(items), hrules, vrules, params, leaves, 0)
    return leaves


def _cut(items: list[Boxed], hrules: Sequence[Box], vrules: Sequence[Box], params: CutParams,
         leaves: list[list[Boxed]], depth: int) -> None:
    if time.monotonic() > params.deadline:
        raise LayoutTimeout("layout analysis went over the page's time budget")
    if len(items) <= 1 or depth > MAX_DEPTH:
        leaves.append(items)
        return
    x0 = min(i.x0 for i in items)
    x1 = max(i.x1 for i in items)
    top = min(i.top for i in items)
    bottom = max(i.bottom for i in items)
    xgaps = _gaps([(i.x0, i.x1) for i in items])
    ygaps = _gaps([(i.top, i.bottom) for i in items])
    local_h = [r for r in hrules if r[0] < x1 and r[2] > x0 and top < r[1] < bottom]
    local_v = [r for r in vrules if r[1] < bottom and r[3] > top and x0 < r[0] < x1]
    choices = (
        (_rule_cuts(ygaps, local_h, False, x0, x1, 0.8), False),
        (_rule_cuts(xgaps, local_v, True, top, bottom, 0.5), True),
        (_headline_bands(items, ygaps, params) if xgaps else [], False),
        (_gutters(xgaps, bottom - top, params), True),
        (_widest(ygaps, params.band), False),
    )
    for cuts, vertical in choices:
        if cuts:
            for part in _split(items, sorted(cuts), vertical):
                _cut(part, local_h, local_v, params, leaves, depth + 1)
            return
    leaves.append(items)
