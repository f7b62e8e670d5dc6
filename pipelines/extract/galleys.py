"""Galleys: the lines of one column of one article, stacked, handed to the layout as one item.

Type is set in galleys: the lines of a column, each as wide as the column, one leading apart.
Giving the XY-cut whole galleys instead of lines keeps it from slicing a short column into
strips (the space between two lines of a galley is no article boundary) and from reading
neighbouring columns line by line. Two steps, on a born-digital page:

1. pieces: the runs of one baseline joined across word spaces but never across a gutter.
   A gap is a gutter when a channel at least ``GUTTER_EM`` wide stays free of text of that
   size over the lines around it: the word spaces of justified lines never line up so far.
2. galleys: pieces stacked one leading apart, within one column's width, in one size and
   face, with nothing drawn between them (no rule, photo, headline or other line).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from statistics import median_low

from .chars import Box
from .lines import DISPLAY_RATIO, Run, Stack, ink_end
from .text.script import HANGING

GUTTER_EM = 0.5  # a free channel this wide (in em of the text) between two runs is a gutter
WINDOW_LINES = 4.0  # the lines around a gap that must leave the channel free, in line steps
JOIN_MAX_EM = 4.0  # runs of one line further apart than this are never joined
TOUCH_EM = 0.25  # runs closer than this (in em) are one piece: a word space at most
WORD_SPACE_EM = 1.5  # the widest word space of a justified line
LINE_STEP_EM = 1.6  # the next line is at most this many leadings away
NEAR_EM = 2.0  # lines this close to a gap (in em) are the lines around it
ALIGN_EM = 0.15  # lines starting this close (in em) start on one column edge
ALIGNED_SHARE = 0.4  # a gutter's far side: of the lines starting past it, this share start on it
STRAY_SHARE = 0.34  # of those, this share may cross a gutter (lines set too long)
SAME_SIZE = 0.03  # relative size difference of the runs (lines) of one piece (galley)
STEP_MIN, STEP_MAX = 0.8, 2.2  # baseline step of consecutive galley lines, in em
STEP_GROWTH = 1.5  # a step this much over the galley's own is a break (a new item below)
INDENT_EM = 3.0  # a galley's lines start within this of one another (first-line indents)
OVERHANG_EM = 1.2  # a galley's line ends at most this far right of its widest line
COLUMN_EDGE_EM = 0.3  # a line ending this far past the column's edge is set too long


class Galley:
    """Lines of one column stacked one leading apart: a layout item (see lines.Stack)."""

    __slots__ = ("runs", "x0", "x1", "top", "bottom", "size", "font", "steps")

    def __init__(self, first: Run) -> None:
        self.runs = [first]
        self.x0, self.x1, self.top, self.bottom = first.x0, first.x1, first.top, first.bottom
        self.size = first.size
        self.font = _font(first)
        self.steps: list[float] = []

    @property
    def last(self) -> Run:
        return self.runs[-1]

    def add(self, run: Run) -> None:
        self.steps.append(run.base - self.last.base)
        self.runs.append(run)
        self.x0 = min(self.x0, run.x0)
        self.x1 = max(self.x1, run.x1)
        self.bottom = max(self.bottom, run.bottom)

    def __repr__(self) -> str:
        return f"Galley({len(self.runs)} lines, x={self.x0:.0f}-{self.x1:.0f})"


def _font(run: Run) -> str:
    return run.chars[len(run.chars) // 2].font


def _is_display(item: Run | Stack, body: float) -> bool:
    return isinstance(item, Stack) or item.size >= DISPLAY_RATIO * body


class _TextLines:
    """The text runs of a page grouped by baseline, each line's runs left to right, so that
    the runs near a gap are found by bisection (a page has thousands of runs)."""

    def __init__(self, text: list[Run]) -> None:
        self.lines: list[list[Run]] = []
        for run in text:  # by baseline
            if self.lines and abs(run.base - self.lines[-1][0].base) <= 0.2 * run.size:
                self.lines[-1].append(run)
            else:
                self.lines.append([run])
        for line in self.lines:
            line.sort(key=lambda r: r.x0)
        self.bases = [line[0].base for line in self.lines]
        self.starts = [[r.x0 for r in line] for line in self.lines]
        self.ends = [[ink_end(r) for r in line] for line in self.lines]
        self.sizes = [[r.size for r in line] for line in self.lines]

    def covered(self, n: int, lo: float, hi: float, size: float, reach: float) -> bool:
        """Whether the nearest lines above and below line ``n`` (within ``reach``, of
        ``size``) each have one run across all of [lo, hi]: a word space, for sure."""
        base = self.bases[n]
        for m, way in ((n - 1, -1), (n + 1, 1)):
            while 0 <= m < len(self.lines) and abs(self.bases[m] - base) <= reach:
                line, starts = self.lines[m], self.starts[m]
                k = bisect_right(starts, lo) - 1
                if k >= 0 and abs(line[k].size - size) <= 0.2 * size:
                    if line[k].x1 >= hi:
                        break
                    return False
                m += way
            else:
                return False
        return True


def join_pieces(runs: list[Run], body: float, leading: float) -> list[Run]:
    """Runs of text (not display type) joined into line pieces: runs on one baseline, in
    one size, apart by less than a gutter (see the module docstring). Joined runs become
    one run, its glyphs left to right. Every decision looks at the runs as found, so that
    one piece joined wrongly cannot cover the gutters of the lines around it."""
    text = sorted((r for r in runs if r.size < DISPLAY_RATIO * body), key=lambda r: r.base)
    found = _TextLines(text)
    joins = [[_joinable(found, n, a, b, leading) for a, b in zip(line, line[1:], strict=False)]
             for n, line in enumerate(found.lines)]
    out: list[Run] = [r for r in runs if r.size >= DISPLAY_RATIO * body]
    for line, line_joins in zip(found.lines, joins, strict=True):
        piece = line[0]
        for run, join in zip(line[1:], line_joins, strict=True):
            if join:
                overlaps = run.x0 < piece.x1
                piece.absorb(run)
                if overlaps:
                    piece.chars.sort(key=lambda c: c.x0)
            else:
                out.append(piece)
                piece = run
        out.append(piece)
    return out


def _joinable(found: _TextLines, n: int, a: Run, b: Run, leading: float) -> bool:
    """Whether run ``b`` continues run ``a`` on line ``n`` (a word space) rather than
    standing across a gutter (or being another size of type). The lines around are
    counted, not their runs: a justified Latin line comes in as many runs as it has wide
    word spaces. ``a`` ends where its text does, before punctuation hung past a column's
    edge (which may nearly touch, or overrun, the next column)."""
    lo, hi = ink_end(a), b.x0
    size = max(a.size, b.size)
    if abs(a.size - b.size) > SAME_SIZE * size:
        return False
    if hi - lo > JOIN_MAX_EM * size:
        return False
    if 0 <= hi - lo < TOUCH_EM * size:
        return True  # a word space at most (overlapping runs may be a line set too long)
    if 0 < hi - lo <= WORD_SPACE_EM * size and found.covered(
            n, lo, hi, size, LINE_STEP_EM * max(leading, size)):
        return True  # a word space: the lines right above and below run across it
    return not _PARTED(found.bases, found.starts, found.ends, found.sizes, n, lo, hi, size,
                       a.x0, b.x1, leading, *CHANNEL)


#: The tunables of the channel test, in the order ``parted`` (and its C twin) take them.
CHANNEL = (GUTTER_EM, NEAR_EM, WINDOW_LINES, ALIGN_EM, ALIGNED_SHARE, STRAY_SHARE)


def parted(bases: list[float], starts: list[list[float]], ends: list[list[float]],
           sizes: list[list[float]], n: int, lo: float, hi: float, size: float, x0: float,
           x1: float, leading: float, gutter_em: float, near_em: float, window_lines: float,
           align_em: float, aligned_share: float, stray_share: float) -> bool:
    """Whether a gutter parts the runs ``x0``-``lo`` and ``hi``-``x1`` of line ``n`` (lines
    of ``_TextLines``, as its columns ``bases``, ``starts``, ``ends``, ``sizes``): the
    channel the gap opens into is free of text over the lines around, and its far side is
    a column's edge. ``_channels.parted`` is this function compiled, line for line."""
    need = gutter_em * size
    # the channel the gap opens into: the lines around must leave one of a gutter's width
    # free there (the gap itself may be narrower, even negative: a line set too long
    # nearly touches, or overruns, the next column)
    near = min(lo, hi) - need, max(lo, hi) + need
    left = max(x0, min(lo, hi) - near_em * size)
    right = min(x1, max(lo, hi) + near_em * size)
    reach = window_lines * max(leading, size)
    q_lo, q_hi = lo - near_em * size, hi + near_em * size
    base = bases[n]
    ink: dict[int, list[tuple[float, float]]] = {}  # each line's text over the channel
    run_starts: list[tuple[float, int]] = []  # where the lines' runs start, and their line
    for m in range(bisect_left(bases, base - reach), bisect_right(bases, base + reach)):
        if m == n:
            continue
        line_starts, line_ends, line_sizes = starts[m], ends[m], sizes[m]
        k = bisect_right(line_starts, q_hi) - 1
        while k >= 0 and line_ends[k] > q_lo:  # the runs overlapping the query, leftwards
            r_x0, r_x1 = line_starts[k], line_ends[k]
            k -= 1
            if abs(line_sizes[k + 1] - size) > 0.2 * size:
                continue
            spans = ink.setdefault(m, [])
            run_starts.append((r_x0, m))
            if r_x0 < right and r_x1 > left:
                spans.append((max(r_x0, left), min(r_x1, right)))
    events = []
    for spans in ink.values():  # a line counts once wherever its runs overlap
        spans.sort()
        reach_x = None
        for s0, s1 in spans:
            if reach_x is not None and s0 <= reach_x:
                events[-1] = (max(reach_x, s1), -1)
                reach_x = max(reach_x, s1)
                continue
            events.append((s0, 1))
            events.append((s1, -1))
            reach_x = s1
    if not ink:
        return True  # a lone line: its wide gaps part its pieces
    allowed = int(stray_share * len(ink))  # lines set too long may cross a gutter
    events.sort()
    depth = 0
    free_from: float | None = left  # start of the stretch crossed by at most ``allowed``
    align = align_em * size
    for x, step in events:
        if (free_from is not None and x - free_from >= need and x > near[0]
                and free_from < near[1]):
            # a gutter's far side is a column's edge: the lines around start on it (the
            # staggered word spaces of justified lines may leave a channel, a river, but
            # the words after it start anywhere)
            edge = {m for s0, m in run_starts if abs(s0 - x) <= align}
            beyond = {m for s0, m in run_starts if x - align <= s0 <= x + near_em * size}
            if not beyond or len(edge) >= max(1, aligned_share * len(beyond)):
                return True
        depth += step
        if depth > allowed:
            free_from = None
        elif free_from is None:
            free_from = x
    return free_from is not None and right - free_from >= need and free_from < near[1]


try:  # the channel test compiled (setup.py: optional; without a compiler, the same in Python)
    from ._channels import parted as _PARTED
except ImportError:  # pragma: no cover - exercised where no C compiler is
    _PARTED = parted


def stack_galleys(items: list[Run | Stack], body: float, hrules: Sequence[Box],
                  images: Sequence[Box]) -> list[Run | Stack | Galley]:
    """Line pieces stacked into galleys (see the module docstring); display items, and
    pieces that start no galley of two lines or more, stay as they are."""
    order = sorted(items, key=lambda it: (it.top, it.x0))
    open_: list[Galley] = []
    done: list[Galley] = []
    out: list[Run | Stack | Galley] = []
    for item in order:
        display = _is_display(item, body)
        home = None if display else _home(item, open_, hrules, images)
        # whatever overlaps an open galley's column below its last line closes it
        still = []
        for g in open_:
            if g is home:
                still.append(g)
            elif item.x0 < g.x1 and item.x1 > g.x0 and item.top >= g.last.bottom - 0.3 * g.size:
                done.append(g)
            elif item.top > g.bottom + STEP_MAX * g.size:
                done.append(g)
            else:
                still.append(g)
        open_ = still
        if display:
            out.append(item)
        elif home is not None:
            home.add(item)
        else:
            open_.append(Galley(item))
    done.extend(open_)
    for g in done:
        if len(g.runs) > 1:
            g.x1 = _column_right(g)
            out.append(g)
        else:
            out.append(g.runs[0])
    return out


def _column_right(galley: Galley) -> float:
    """The right edge of a galley's column: where most of its lines end (justified lines
    end on it, a short last line before it, a line set too long after it). Lines ending
    in closing punctuation do not vote, as it may hang past the edge (行末标点悬挂); where
    no two lines agree the edge is the furthest the text goes, hung punctuation left out:
    in a galley of two or three lines every line may end in a hung mark."""
    ends = Counter(round(r.x1) for r in galley.runs if r.chars[-1].text not in HANGING)
    edge, n = ends.most_common(1)[0] if ends else (0, 0)
    if n < 2:
        return max(ink_end(r) for r in galley.runs)
    return max(r.x1 for r in galley.runs if r.x1 <= edge + COLUMN_EDGE_EM * galley.size)


def _home(run: Run, galleys: list[Galley], hrules: Sequence[Box],
          images: Sequence[Box]) -> Galley | None:
    """The open galley ``run`` continues, if any."""
    font = _font(run)
    for g in galleys:
        last = g.last
        em = g.size
        step = run.base - last.base
        if not STEP_MIN * em <= step <= STEP_MAX * em:
            continue
        if g.steps and step > STEP_GROWTH * median_low(g.steps):
            continue
        if abs(run.size - g.size) > SAME_SIZE * g.size or font != g.font:
            continue
        overlap = min(run.x1, g.x1) - max(run.x0, g.x0)
        if overlap < 0.5 * min(run.x1 - run.x0, g.x1 - g.x0):
            continue
        if abs(run.x0 - g.x0) > INDENT_EM * em:
            continue
        if run.x1 > g.x1 + OVERHANG_EM * em and len(g.runs) > 1:
            continue
        if _between(last, run, hrules, images):
            continue
        return g
    return None


def _between(above: Run, below: Run, hrules: Sequence[Box], images: Sequence[Box]) -> bool:
    """Whether a rule or a photo lies between two lines that overlap horizontally."""
    x0, x1 = max(above.x0, below.x0), min(above.x1, below.x1)
    for rx0, rtop, rx1, _ in hrules:
        if rx0 < x1 and rx1 > x0 and above.base - 0.2 * above.size < rtop < below.top + 0.1:
            return True
    for ix0, itop, ix1, ibottom in images:
        if ix0 < x1 and ix1 > x0 and itop >= above.bottom - 1 and ibottom <= below.top + 1:
            return True
    return False


def leading_of(runs: Sequence[Run], body: float) -> float:
    """Typical baseline step of body lines, by nearest body line below in the same column."""
    rows = sorted((r for r in runs if abs(r.size - body) < 0.1 * body), key=lambda r: r.base)
    steps = []
    for i, r in enumerate(rows):
        for s in rows[i + 1:i + 40]:
            d = s.base - r.base
            if d < 0.5 * body:
                continue
            if d > 3 * body:
                break
            if abs(s.x0 - r.x0) < 3 * body and min(s.x1, r.x1) > max(s.x0, r.x0):
                steps.append(d)
                break
    return median_low(steps) if steps else 1.4 * body
