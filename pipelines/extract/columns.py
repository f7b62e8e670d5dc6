"""Recursive XY-cut over runs, with drawn rules and photos as guides.

We write layout by hand because no PDF library rebuilds newspaper articles: their text
outputs either interleave columns or follow the content stream (titles after bodies).
Order of cuts in a region (see :func:`_choices`): horizontal rules spanning it (article
separators); vertical rules (column rules); gutters where a separator rule ends (the edge
of a frame of columns); whitespace bands that open a new headline (articles stacked on one
column grid); the band under a lone heading (it heads every column below it, even when
narrower); whitespace gutters; the widest horizontal band not filled by a photo; then
gutters that a few stray glyphs cross (OCR layers), once any lines set full width over (or
under) them are cut off (a text wrap round a photo). A band that a rule or photo crosses,
or that parts a heading from its body, is no article boundary; a gap that a rule crosses
is no gutter. Reading order is top-to-bottom, left-to-right within each cut.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from .chars import Box
from .lines import Run, ink_end

MAX_DEPTH = 60
GUTTER_EM = 0.5  # narrowest column gutter (glyph boxes eat into the drawn 8-10 pt)
WIDE_GAP_EM = 3.0  # a region one line high is only cut at gaps this wide
BAND_EXTRA_EM = 0.25  # a band must be this much taller than the gap between body lines
COLUMN_PIECE = 0.7  # a one-line piece this share of a column wide is a column's line
VALLEY_SHARE = 0.12  # an OCR gutter: at most this share of the region's lines cross it
VALLEY_EM = 0.2  # and it is at least this wide
DISPLAY_EM = 1.15  # runs this much larger than body text are headlines
ROOF_LINES = 3.0  # full-width lines over (under) a wrap are at most this many lines deep
OVERRUN_EM = 2.0  # a line set too long crosses a column rule by at most this much
HEADING_BAND_EM = 0.05  # the space under a heading over its body: any clear space will do


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
    colw: float = 0.0  # width of a justified body line (a column), 0 when unknown
    images: tuple[Box, ...] = ()  # photos: whitespace they fill is no band
    plain: frozenset[int] = frozenset()  # ids of the lines standing alone that are bylines

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


def _text_x1(item: Boxed, params: CutParams) -> float:
    """Where an item ends when gutters are looked for: a line of text nearly a column wide
    where its text does, before closing punctuation hung past the column's edge, which
    nearly touches the next column (a galley's edge leaves it out already, see
    galleys._column_right). A short line reaches no edge: its punctuation is its own."""
    if (isinstance(item, Run) and item.size < params.display and params.colw > 0
            and item.x1 - item.x0 >= COLUMN_PIECE * params.colw):
        return ink_end(item)
    return item.x1


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


def _overrun_rule_cuts(items: Sequence[Boxed], rules: Sequence[Box], box: Box,
                       params: CutParams) -> list[float]:
    """Column rules that a line set too long runs into: a drawn rule down most of the region
    that text crosses only by a little (under OVERRUN_EM on its shorter side), never a
    headline, with text on both sides. The crossing lines go with the side of their middle."""
    x0, top, x1, bottom = box
    limit = OVERRUN_EM * params.body
    cuts = []
    for rx0, rtop, rx1, rbottom in rules:
        pos = (rx0 + rx1) / 2
        if min(rbottom, bottom) - max(rtop, top) < 0.5 * (bottom - top):
            continue
        crossing = [i for i in items if i.x0 < pos - 1 and i.x1 > pos + 1]
        if not crossing or any(_is_display(i, params) or min(pos - i.x0, i.x1 - pos) > limit
                               for i in crossing):
            continue
        if any(i.x1 <= pos for i in items) and any(i.x0 >= pos for i in items):
            cuts.append(pos)
    return sorted(cuts)


def _first_below(items: Sequence[Boxed], lo: float, hi: float,
                 reach: float) -> list[tuple[Boxed, Boxed | None]]:
    """Items starting right below the band (lo, hi), each with its nearest item above the
    band that it overlaps horizontally (None when nothing is above it)."""
    below = [i for i in items if hi - 0.5 <= i.top <= hi + reach]
    above = [i for i in items if i.bottom <= lo + 0.5]
    out = []
    for b in below:
        near = None
        for a in above:
            if a.x0 < b.x1 and a.x1 > b.x0 and (near is None or a.bottom > near.bottom):
                near = a
        out.append((b, near))
    return out


def _is_display(item: Boxed | None, params: CutParams) -> bool:
    """Whether an item is a headline: display type that is not a byline."""
    return (item is not None and getattr(item, "size", 0.0) >= params.display
            and id(item) not in params.plain)


def _parts_heading(items: Sequence[Boxed], lo: float, hi: float, params: CutParams) -> bool:
    """Whether a band (lo, hi) parts a heading from the body text it heads: a display item
    with nothing under it above the band, and body text first under it below the band."""
    above = [i for i in items if i.bottom <= lo + 0.5]
    for a in above:
        if not _is_display(a, params):
            continue
        if any(o is not a and o.top >= a.bottom - 0.5 and o.x0 < a.x1 and o.x1 > a.x0
               for o in above):
            continue
        near = None
        for b in items:
            if b.top >= hi - 0.5 and b.x0 < a.x1 and b.x1 > a.x0 and (
                    near is None or b.top < near.top):
                near = b
        if near is not None and not _is_display(near, params):
            return True
    return False


def _photo_over_text(items: Sequence[Boxed], lo: float, hi: float, images: Sequence[Box],
                     params: CutParams) -> bool:
    """Whether a photo right above the band has body text right below it: the text runs on
    below the photo (and its caption), inside one article."""
    for ix0, _, ix1, ibottom in images:
        if ibottom > lo + 0.5 or any(i.x0 < ix1 and i.x1 > ix0 and ibottom < i.bottom <= lo + 0.5
                                     for i in items):
            continue
        near = None
        for b in items:
            if b.top >= hi - 0.5 and b.x0 < ix1 and b.x1 > ix0 and (
                    near is None or b.top < near.top):
                near = b
        if near is not None and not _is_display(near, params):
            return True
    return False


def _headline_bands(items: Sequence[Boxed], gaps: list[tuple[float, float]],
                    images: Sequence[Box], params: CutParams) -> list[float]:
    """Whitespace bands with text above and a headline right below: an article starts there.

    Cutting columns first would interleave articles stacked on the same column grid. A band
    that also parts a heading from the body text it heads (elsewhere along the band, e.g.
    across a photo), or body text from the photo set in it, is no article start.
    """
    cuts = []
    band = params.band
    for lo, hi in gaps:
        if hi - lo < band:
            continue
        pairs = _first_below(items, lo, hi, band)
        if (any(_is_display(b, params) and a is not None and not _is_display(a, params)
                for b, a in pairs)
                and not _photo_over_text(items, lo, hi, images, params)
                and not _parts_heading(items, lo, hi, params)):
            cuts.append((lo + hi) / 2)
    return cuts


def _heading_bands(items: Sequence[Boxed], gaps: list[tuple[float, float]],
                   params: CutParams) -> list[float]:
    """The band under a lone heading (no gutter beside it) and over its body: the heading
    spans the columns below even where it is narrower (a centred title), so cutting a gutter
    first would read a column before its heading. A heading that tops the region, nothing
    but headings above the band, heads all of it (a byline set beside its centred title);
    so does a byline set across the columns under its headline."""
    band = params.band
    gutter = GUTTER_EM * params.body
    for lo, hi in gaps:
        if hi - lo < HEADING_BAND_EM * params.body:
            continue
        pairs = _first_below(items, lo, hi, params.leading + band)
        if not pairs or any(_is_display(b, params) for b, _ in pairs):
            continue
        tops = [i for i in items if i.bottom <= lo + 0.5]
        if not (all(_is_display(i, params) or id(i) in params.plain for i in tops)
                or any(_is_display(a, params) for _, a in pairs)):
            continue
        below = [i for i in items if i.top >= hi - 0.5]
        # headings side by side (on one row, a gutter between them) are two articles'; a
        # gap between the parts of one (a kicker or subtitle set apart from the title, or
        # halves) is no gutter when text below runs across it
        if not any(b.x0 - a.x1 >= gutter and not any(i.x0 < a.x1 and i.x1 > b.x0 for i in below)
                   for a in tops for b in tops
                   if min(a.bottom, b.bottom) > max(a.top, b.top)):
            return [(lo + hi) / 2]
    return []


def _gutters(items: Sequence[Boxed], gaps: list[tuple[float, float]],
             hrules: Sequence[Box], params: CutParams) -> list[float]:
    """Whitespace gutters. A gap that a drawn rule crosses is none (the rule ties the two
    sides into one frame). Between two stretches of one line each (a byline, a row of brief
    text) a gap is a gutter only where a column of the page starts, when very wide, or after
    a column-wide piece of text: the word spaces of a lone line (a byline) are not."""
    need = GUTTER_EM * params.body
    gaps = [(a, b) for a, b in gaps if b - a >= need
            and not any(r[0] < a - 1 and r[2] > b + 1 for r in hrules)]
    if not gaps:
        return []
    slabs = _split(items, [(a + b) / 2 for a, b in gaps], True)
    line = params.leading + 0.5 * params.body
    tall = [max(i.bottom for i in s) - min(i.top for i in s) > line for s in slabs]
    wide, edges, colw = WIDE_GAP_EM * params.body, params.edges, params.colw
    cuts = []
    start = min(i.x0 for i in slabs[0])
    for k, (a, b) in enumerate(gaps):
        if (tall[k] or tall[k + 1] or b - a >= wide or round(b) in edges
                or (colw > 0 and a - start >= COLUMN_PIECE * colw)):
            cuts.append((a + b) / 2)
            start = b
    return cuts


def _framed(cuts: list[float], gaps: list[tuple[float, float]], hrules: Sequence[Box],
            body: float) -> list[float]:
    """Gutters where a separator rule ends: the edge of a frame of columns (rules span their
    article's columns), to be cut before the bands inside each frame."""
    out = []
    for a, b in gaps:
        mid = (a + b) / 2
        if mid in cuts and any(abs(r[2] - a) <= 0.5 * body or abs(r[0] - b) <= 0.5 * body
                               for r in hrules):
            out.append(mid)
    return out


def _widest(gaps: list[tuple[float, float]], band: float,
            images: Sequence[Box], x0: float, x1: float) -> list[float]:
    """The widest whitespace band(s): cutting at every band would slice columns into strips.
    A band that a photo fills is no band: the columns run on below the photo."""
    gaps = [g for g in gaps if g[1] - g[0] >= band and not _bridged(g, images, x0, x1)]
    if not gaps:
        return []
    width = max(b - a for a, b in gaps)
    return [(a + b) / 2 for a, b in gaps if b - a >= 0.9 * width]


def _bridged(gap: tuple[float, float], images: Sequence[Box], x0: float, x1: float) -> bool:
    lo, hi = gap
    for ix0, itop, ix1, ibottom in images:
        if (min(hi, ibottom) - max(lo, itop) >= 0.5 * (hi - lo)
                and min(x1, ix1) - max(x0, ix0) >= 0.3 * (x1 - x0)):
            return True
    return False


def xy_cut(items: Sequence[Boxed], hrules: Sequence[Box], vrules: Sequence[Box],
           params: CutParams) -> list[list[Boxed]]:
    """Leaves of the XY-cut tree in reading order; each leaf is a list of items."""
    leaves: list[list[Boxed]] = []
    _cut(list(items), hrules, vrules, params, leaves, 0)
    return leaves


def _choices(items: Sequence[Boxed], hrules: Sequence[Box], vrules: Sequence[Box],
             params: CutParams, box: Box) -> Iterator[tuple[list[float], bool, str]]:
    """Candidate cuts of a region in order of preference, computed lazily: (cuts, vertical,
    kind).
    ``hrules``/``vrules`` are the rules inside the region ``box``."""
    x0, top, x1, bottom = box
    xgaps = _gaps([(i.x0, _text_x1(i, params)) for i in items])
    ygaps = _gaps([(i.top, i.bottom) for i in items])
    yield _rule_cuts(ygaps, hrules, False, x0, x1, 0.8), False, "hrule"
    yield _rule_cuts(xgaps, vrules, True, top, bottom, 0.5), True, "vrule"
    yield _overrun_rule_cuts(items, vrules, box, params), True, "overrun vrule"
    images = [im for im in params.images
              if im[0] < x1 and im[2] > x0 and im[1] < bottom and im[3] > top]
    crossing = list(vrules) + images
    bands = [(a, b) for a, b in ygaps  # a rule or photo across a band ties both sides
             if not any(r[1] < a - 1 and r[3] > b + 1 for r in crossing)]
    gutters = _gutters(items, xgaps, hrules, params)
    yield _framed(gutters, xgaps, hrules, params.body), True, "framed"
    if xgaps:
        yield _headline_bands(items, bands, images, params), False, "headline"
    yield _heading_bands(items, bands, params), False, "heading"
    yield gutters, True, "gutter"
    yield _widest(bands, params.band, images, x0, x1), False, "band"
    yield _widest(bands, params.band, (), x0, x1), False, "photo band"
    valleys = _valleys(items, params, bottom - top)
    yield _roof(items, valleys, params), False, "roof"
    yield valleys, True, "valley"


def _split_crossing(items: list[Boxed], cuts: list[float]) -> list[Boxed]:
    """Runs that cross a valley cut, split at the glyph gap the cut passes through (OCR
    word boxes of two columns can sit closer than a word space)."""
    out: list[Boxed] = []
    for it in items:
        chars = getattr(it, "chars", None)
        cut = next((c for c in cuts if it.x0 < c < it.x1), None)
        if cut is None or not isinstance(chars, list) or len(chars) < 2:
            out.append(it)
            continue
        k = next((j for j in range(1, len(chars)) if chars[j].x0 >= cut), len(chars))
        if 0 < k < len(chars):
            left, right = type(it)(chars[0]), type(it)(chars[k])
            for c in chars[1:k]:
                left.add(c)
            for c in chars[k + 1:]:
                right.add(c)
            out.extend(_split_crossing([left, right], cuts))
        else:
            out.append(it)
    return out


def _valleys(items: Sequence[Boxed], params: CutParams, height: float) -> list[float]:
    """Gutters of a tall region that a few stray glyphs cross (an OCR layer over a scan puts
    column rules and specks in the gutters as text, and its word boxes nearly touch across
    them): x ranges that few of the region's lines cross, with text on both sides."""
    rows = height / max(params.leading, 1.0)
    if rows < 8:
        return []
    limit = max(2, int(VALLEY_SHARE * rows))
    lines = [r for i in items for r in getattr(i, "runs", (i,))]  # a galley counts its lines
    events = sorted([(i.x0, 1) for i in lines] + [(i.x1, -1) for i in lines])
    need = VALLEY_EM * params.body
    cuts = []
    depth, start = 0, None
    for x, step in events:
        before = depth
        depth += step
        if before > limit >= depth:
            start = x
        elif before <= limit < depth and start is not None:
            if x - start >= need:
                cuts.append((start + x) / 2)
            start = None
    return cuts


def _roof(items: Sequence[Boxed], valleys: list[float], params: CutParams) -> list[float]:
    """The cut under (over) the lines that cross valley gutters at the top (bottom) of the
    region: lines set full width over (under) a text wrap round a photo of an OCR layer
    (whose specks are no image), or a banner headline over the columns. Cutting the valley
    first would cut those lines in two, a word's hyphenated halves into different blocks. A
    crossing piece must hold a word (two letters or more): specks and words of two columns
    run together further down are the valley's business."""
    crossers = [i for i in items if any(i.x0 < v < i.x1 for v in valleys)
                and sum(ch.isalpha() for ch in _text(i)) >= 2
                and i.bottom - i.top <= ROOF_LINES * max(params.leading, _size(i))]
    if not crossers:
        return []
    top = min(i.top for i in items)
    bottom = max(i.bottom for i in items)
    lo = _reach(sorted(crossers, key=lambda i: i.top), top, params.leading, 1)
    if lo is not None and any((i.top + i.bottom) / 2 > lo for i in items):
        return [lo]
    hi = _reach(sorted(crossers, key=lambda i: -i.bottom), bottom, params.leading, -1)
    if hi is not None and any((i.top + i.bottom) / 2 < hi for i in items):
        return [hi]
    return _banners(crossers, valleys, params)


def _banners(crossers: list[Boxed], valleys: list[float], params: CutParams) -> list[float]:
    """Cuts over and under display lines that cross a valley well into both sides (a
    banner headline over the columns, inside the region)."""
    cuts: list[float] = []
    for i in crossers:
        if _size(i) >= params.display and any(
                min(v - i.x0, i.x1 - v) >= params.body for v in valleys):
            cuts.extend((i.top, i.bottom))
    return sorted(cuts)


def _size(item: Boxed) -> float:
    return getattr(item, "size", 0.0)


def _reach(crossers: list[Boxed], edge: float, leading: float, way: int) -> float | None:
    """How far the crossers reach from the region's edge (way 1: top edge, down; -1: bottom
    edge, up), each starting within a line of the one before; None when none starts at the
    edge or they reach deeper than ROOF_LINES lines of their size."""
    near = lambda i: i.top if way > 0 else i.bottom  # noqa: E731
    far = lambda i: i.bottom if way > 0 else i.top  # noqa: E731
    end = edge
    depth = 0.0
    for i in crossers:
        line = max(leading, i.bottom - i.top)
        if way * (near(i) - end) > (0.5 * leading if end == edge else 0.5 * line):
            break
        end = far(i) if way * (far(i) - end) > 0 else end
        depth = max(depth, line)
    if end == edge or way * (end - edge) > ROOF_LINES * depth:
        return None
    return end


def _text(item: Boxed) -> str:
    """The glyphs of a run, or of a stack of runs."""
    runs = getattr(item, "runs", None) or [item]
    return "".join(c.text for r in runs for c in getattr(r, "chars", ()))


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
    local_h = [r for r in hrules if r[0] < x1 and r[2] > x0 and top < r[1] < bottom]
    local_v = [r for r in vrules if r[1] < bottom and r[3] > top and x0 < r[0] < x1]
    for cuts, vertical, kind in _choices(items, local_h, local_v, params,
                                         (x0, top, x1, bottom)):
        if cuts:
            if kind == "valley":
                items = _split_crossing(items, sorted(cuts))
            for part in _split(items, sorted(cuts), vertical):
                _cut(part, local_h, local_v, params, leaves, depth + 1)
            return
    leaves.append(items)
