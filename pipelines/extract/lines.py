"""Glyphs to runs (stream-order pieces of one line) and runs to lines.

Runs follow the content stream: consecutive glyphs on one baseline with a small gap. They
never bridge a column gutter, so the layout step can cut between them; every glyph drawn
on its own still ends up in one run.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

from .chars import Box, Char
from .text.join import join_line
from .text.script import HANGING, MAX_HUNG, is_cjk

RUN_GAP_EM = 0.6  # a wider gap ends a run: it may be a column gutter (often 0.8 em)
TRACKED_GAP_EM = 1.5  # ... unless the line is letter-spaced evenly, up to this gap
TRACK_LOOKBACK = 6  # glyphs back on the line where the same letter-spacing may be found
EVEN_GAP_EM = 0.05  # gaps this close to one another are even letter-spacing
DISPLAY_GAP_EM = 16.0  # display pieces on one baseline this close may be one line (title halves)
HALVES_GAP_EM = 2.0  # display pieces further apart than this are halves of a title, or two
DISPLAY_RATIO = 1.15  # runs this much larger than body text are display type (headings)
ASIDE_RATIO = 1.03  # a short line this much larger than body text is set apart (kicker, deck)
DECK_LINES = 2  # lines a size up over or under a headline: a kicker or deck of so many lines
STACK_GAP_EM = 1.2  # headline lines this close above one another form one stack


class Run:
    """Consecutive glyphs of one line, in one size."""

    __slots__ = ("chars", "x0", "x1", "top", "bottom", "base", "size")

    def __init__(self, first: Char) -> None:
        self.chars = [first]
        self.x0, self.x1 = first.x0, first.x1
        self.top, self.bottom = first.top, first.bottom
        self.base, self.size = first.base, first.size

    def add(self, c: Char) -> None:
        self.chars.append(c)
        if c.x0 < self.x0:
            self.x0 = c.x0
        if c.x1 > self.x1:
            self.x1 = c.x1
        if c.top < self.top:
            self.top = c.top
        if c.bottom > self.bottom:
            self.bottom = c.bottom

    def absorb(self, other: Run) -> None:
        for c in other.chars:
            self.add(c)


def ink_end(run: Run) -> float:
    """Where a line's text ends: before closing punctuation hung past its column's edge
    (行末标点悬挂: a line may end in one or two such glyphs), which stands in the gutter
    without making it text. Gutters are looked for between the lines' text."""
    chars = run.chars
    k = len(chars)
    while k > 1 and len(chars) - k < MAX_HUNG and chars[k - 1].text in HANGING:
        k -= 1
    return chars[k - 1].x1 if k < len(chars) else run.x1


def body_size(chars: Iterable[Char]) -> tuple[float, str]:
    """The dominant font size and font name on the page, weighted by glyph count."""
    exact = Counter((c.size, c.font) for c in chars)  # few distinct keys: round those
    if not exact:
        return 10.0, ""
    counts: Counter[tuple[float, str]] = Counter()
    for (size, font), n in exact.items():
        counts[round(size * 2) / 2, font] += n
    (size, font), _ = counts.most_common(1)[0]
    return size, font


def build_runs(chars: Sequence[Char]) -> list[Run]:
    """Group glyphs in stream order into runs (the hottest loop of the layout: inlined). A
    letter-spaced line (its glyphs apart by more than a run's gap, but evenly) is one run."""
    runs: list[Run] = []
    if not chars:
        return runs
    last = chars[0]
    cur = Run(last)
    runs.append(cur)
    members = cur.chars
    for k in range(1, len(chars)):
        c = chars[k]
        size, last_size = c.size, last.size
        em = last_size if last_size > size else size
        gap = c.x0 - last.x1
        shift = c.base - last.base
        if (
            -0.2 * em <= shift <= 0.2 * em
            and 0.7 * last_size <= size <= 1.43 * last_size
            and (-0.3 * em <= gap <= RUN_GAP_EM * em or _tracked(chars, k, gap, em))
        ):
            members.append(c)  # Run.add, inlined: this runs once per glyph
            if c.x0 < cur.x0:
                cur.x0 = c.x0
            if c.x1 > cur.x1:
                cur.x1 = c.x1
            if c.top < cur.top:
                cur.top = c.top
            if c.bottom > cur.bottom:
                cur.bottom = c.bottom
        else:
            cur = Run(c)
            runs.append(cur)
            members = cur.chars
        last = c
    return runs


def _tracked(chars: Sequence[Char], k: int, gap: float, em: float) -> bool:
    """Whether the gap before glyph ``k`` is letter-spacing: no wider than TRACKED_GAP_EM,
    and as wide as the gap after it or one of the TRACK_LOOKBACK before it on the same
    baseline, or on the same pitch (a CJK line letter-spaced on a grid: a half-width digit
    leaves a wider gap). Looking back past the gap just before finds the tracking of a
    letter-spaced byline again after its word space (本 报 记 者  孟 佳)."""
    if gap > TRACKED_GAP_EM * em or gap <= 0:
        return False
    c, last = chars[k], chars[k - 1]
    pitch = c.x0 - last.x0 if is_cjk(c.text[0]) or is_cjk(last.text[0]) else None
    back = TRACK_LOOKBACK if is_cjk(c.text[0]) and is_cjk(last.text[0]) else 1
    pairs = [(i - 1, i) for i in range(k - 1, max(k - 1 - back, 0), -1)]
    for i, j in [*pairs, (k, k + 1)]:
        if i < 0 or j >= len(chars):
            continue
        a, b = chars[i], chars[j]
        if abs(b.base - a.base) <= 0.2 * em and (
                abs((b.x0 - a.x1) - gap) <= EVEN_GAP_EM * em
                or pitch is not None and abs((b.x0 - a.x0) - pitch) <= EVEN_GAP_EM * em):
            return True
    return False


ALT_OVERLAP = 0.6  # an OCR run over this share of another on its line is an alternative


def drop_alternatives(runs: list[Run]) -> list[Run]:
    """Runs of an OCR layer without its alternative readings: some OCR layers write a word
    twice or more (``AND`` / ``ND``, ``WANTED`` / ``VIAN TED``) on one spot. Of two runs
    on one line that overlap over most of the narrower one, the first in stream order (the
    OCR's best reading) stays, unless the later one is over twice as wide (the first was
    a fragment of it)."""
    order = sorted(range(len(runs)), key=lambda i: runs[i].base)
    dropped: set[int] = set()
    for k, i in enumerate(order):
        a = runs[i]
        for j in reversed(order[:k]):
            b = runs[j]
            if a.base - b.base > 0.5 * a.size:
                break
            if j in dropped or i in dropped:
                continue
            if abs(a.base - b.base) > 0.4 * min(a.size, b.size):
                continue
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
            narrow = min(a.x1 - a.x0, b.x1 - b.x0)
            if narrow <= 0 or overlap < ALT_OVERLAP * narrow:
                continue
            first, later = (i, j) if i < j else (j, i)
            wf = runs[first].x1 - runs[first].x0
            wl = runs[later].x1 - runs[later].x0
            dropped.add(first if wl > 2 * wf else later)
    return [r for i, r in enumerate(runs) if i not in dropped]


def stream_lines(runs: Sequence[Run]) -> list[list[Run]]:
    """Runs of an OCR text layer grouped into its lines, in content-stream order: OCR
    writes the words of a line left to right and the lines of a block top to bottom, while
    its per-word baselines and sizes are too noisy to sort by (a word can sit nearer the
    next line's baseline)."""
    groups: list[list[Run]] = []
    for run in runs:
        if groups:
            last = groups[-1][-1]
            em = max(run.size, last.size)
            if run.x0 >= last.x1 - 0.5 * em and abs(run.base - last.base) <= 0.6 * em:
                groups[-1].append(run)
                continue
        groups.append([run])
    return groups


OCR_JOIN_EM = 3.0  # display pieces of one OCR line this close are one headline line


def smooth_ocr_sizes(runs: list[Run], body: float) -> list[Run]:
    """Runs of an OCR layer, each given the size of its line (of the line's middle glyph);
    the words of a display line become one run. OCR sizes each word on its own, so a body
    word can come out display-sized (and stack with others into a false headline across
    columns) and a headline word body-sized; and its baselines are too noisy to join a
    headline's words by (see :func:`merge_display_runs`)."""
    out: list[Run] = []
    pending: list[Run] = []  # body-size runs since the last display line
    line: Run | None = None  # the last display line
    for group in stream_lines(runs):
        size = _median_size(group)
        if size < DISPLAY_RATIO * body:
            for run in group:
                run.size = size
            pending.extend(group)
            continue
        head = group[0]
        for run in group[1:]:
            head.absorb(run)
        if line is not None and _same_line(line, head, body):
            inside = [r for r in pending if _same_line(line, r, body) and r.x1 <= head.x0 + body]
            for run in inside + [head]:
                line.absorb(run)
            line.size = max(line.size, size)
            moved = {id(r) for r in inside}
            pending = [r for r in pending if id(r) not in moved]
        else:
            head.size = size
            out.extend(pending)
            out.append(head)
            pending = []
            line = head
    out.extend(pending)
    return out


def _same_line(line: Run, run: Run, body: float) -> bool:
    """Whether ``run`` continues the display ``line`` on its baseline, to its right."""
    em = max(line.size, body)
    return (abs(run.base - line.base) <= 0.6 * em and run.x0 >= line.x0
            and run.x0 - line.x1 <= OCR_JOIN_EM * em)


def merge_display_runs(runs: list[Run], body: float, vrules: Sequence[Box]) -> list[Run]:
    """Join display runs (headlines) that sit on one baseline, e.g. a title set in halves.

    Titles of neighbouring articles can share a baseline too: with the column grid of the
    text right under them known, see :func:`_one_title`.
    """
    display = sorted((r for r in runs if r.size >= DISPLAY_RATIO * body),
                     key=lambda r: (r.base, r.x0))
    text = sorted((r for r in runs if abs(r.size - body) < 0.1 * body), key=lambda r: r.top)
    tops = [r.top for r in text]
    merged_away: set[int] = set()
    prev: Run | None = None
    left = 0.0  # where prev started before it absorbed anything
    for run in display:
        if (
            prev is not None
            and abs(run.base - prev.base) <= 0.15 * prev.size
            and abs(run.size - prev.size) <= 0.02 * prev.size
            and 0 <= run.x0 - prev.x1 <= DISPLAY_GAP_EM * prev.size
            and not _rule_between(prev, run, vrules)
            and _one_title(left, prev, run, *_grid_under(prev, run, text, tops, body))
        ):
            prev.absorb(run)
            merged_away.add(id(run))
            continue
        prev = run
        left = run.x0
    return [r for r in runs if id(r) not in merged_away]


GRID_LINES = 40  # the column grid under a headline: of the first body lines below it


def _grid_under(a: Run, b: Run, text: Sequence[Run], tops: list[float],
                body: float) -> tuple[list[float], list[float]]:
    """Column starts and ends (x where at least two body lines start, end) of the text right
    under two display pieces on one baseline, over their width: the columns they head."""
    starts: Counter[int] = Counter()
    ends: Counter[int] = Counter()
    seen = 0
    for r in text[bisect_left(tops, a.bottom - 0.5 * body):]:
        if r.x1 > a.x0 - body and r.x0 < b.x1 + body:
            starts[round(r.x0)] += 1
            ends[round(r.x1)] += 1
            seen += 1
            if seen == GRID_LINES:
                break
    return ([float(x) for x, n in starts.items() if n >= 2],
            [float(x) for x, n in ends.items() if n >= 2])


def _one_title(x0: float, prev: Run, run: Run, starts: Sequence[float],
               ends: Sequence[float]) -> bool:
    """Whether display pieces ``prev`` (first set from ``x0``) and ``run`` on one baseline
    are one title (with the page's column grid unknown, they are). Across a narrow gap they
    are when it is a word space (an em plus the tracking), holds no column gutter, or the
    two are centred together over columns (and not each over columns of its own); across
    a wide one only when they are pushed to the edges of a range of columns, within an em,
    symmetrically (a title set in halves), unlike titles of neighbouring articles."""
    if not starts or not ends:
        return True
    a, b, size = prev.x1, run.x0, prev.size
    if b - a < HALVES_GAP_EM * size:
        gutter = [(e, s) for e in ends if a - 1 <= e <= b + 1
                  for s in starts if e < s <= b + 1]
        if not gutter:
            return True
        if _centred(x0, a, starts, ends) and _centred(b, run.x1, starts, ends):
            return False
        # a word space (an em plus the tracking), or halves centred together over the columns
        return (abs(b - a - size - _tracking(prev) - _tracking(run)) <= 0.1 * size
                or _centred(x0, run.x1, starts, ends))
    x1 = run.x1
    return any(abs(s + e - x0 - x1) <= 2.0 for s in starts if 0 <= x0 - s <= size
               for e in ends if 0 <= e - x1 <= size)


def _centred(x0: float, x1: float, starts: Sequence[float], ends: Sequence[float]) -> bool:
    """Whether x0..x1 is centred (to a point) over a range of columns."""
    mid = x0 + x1
    return any(abs(s + e - mid) <= 2.0 for s in starts if s <= x0 for e in ends if e >= x1)


def _tracking(run: Run) -> float:
    """Typical gap between neighbouring glyphs of a run (letter-spacing of display type)."""
    chars = run.chars
    gaps = sorted(b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False))
    return max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0


class Stack:
    """Headline runs stacked into one layout item (kicker, title halves, subtitle), so that
    the title's width keeps the column cut from passing between its parts."""

    __slots__ = ("runs", "x0", "x1", "top", "bottom", "size")

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self.x0 = min(r.x0 for r in runs)
        self.x1 = max(r.x1 for r in runs)
        self.top = min(r.top for r in runs)
        self.bottom = max(r.bottom for r in runs)
        self.size = max(r.size for r in runs)


def stack_headlines(runs: list[Run], body: float, hrules: Sequence[Box],
                    decks: bool = True) -> list[Run | Stack]:
    """Group display runs that sit right above one another and overlap horizontally. With
    ``decks``, a kicker or deck set only a size up from the text (in at most DECK_LINES
    lines) stacks with the headline it stands over or under, as display runs do."""
    display = [r for r in runs if r.size >= DISPLAY_RATIO * body]
    if decks:
        display += _short_lines_a_size_up(runs, body, hrules)
    stacks = _stacked(sorted(display, key=lambda r: r.top), hrules)
    stacks = [g for g in stacks if len(g) > 1 and max(r.size for r in g) >= DISPLAY_RATIO * body]
    grouped = {id(r) for g in stacks for r in g}
    out: list[Run | Stack] = [r for r in runs if id(r) not in grouped]
    out.extend(Stack(g) for g in stacks)
    return out


def _stacked(runs: list[Run], hrules: Sequence[Box]) -> list[list[Run]]:
    """Runs (top to bottom) in groups of runs right above one another, overlapping
    horizontally, with no rule between."""
    stacks: list[list[Run]] = []
    for run in runs:
        for group in stacks:
            last = group[-1]
            gap = run.top - last.bottom
            if (-0.2 * run.size <= gap <= STACK_GAP_EM * max(run.size, last.size)
                    and run.x0 < max(r.x1 for r in group) and run.x1 > min(r.x0 for r in group)
                    and not any(last.bottom <= y <= run.top and x0 < run.x1 and x1 > run.x0
                                for x0, y, x1, _ in hrules)):
                group.append(run)
                break
        else:
            stacks.append([run])
    return stacks


def _short_lines_a_size_up(runs: list[Run], body: float, hrules: Sequence[Box]) -> list[Run]:
    """Runs a size up from the text but under display size, in stacks of at most
    DECK_LINES lines (more is running text set larger: a lead paragraph)."""
    up = [r for r in runs if ASIDE_RATIO * body < r.size < DISPLAY_RATIO * body]
    lines = _stacked(sorted(up, key=lambda r: r.top), hrules)
    return [r for g in lines if len({round(r.base) for r in g}) <= DECK_LINES for r in g]


def flatten(items: Iterable) -> list[Run]:
    """The runs of layout items (runs, and items made of runs: stacks, galleys)."""
    return [r for it in items for r in (it.runs if hasattr(it, "runs") else (it,))]


def _rule_between(a: Run, b: Run, vrules: Sequence[Box]) -> bool:
    for x0, top, x1, bottom in vrules:
        if a.x1 <= x0 and x1 <= b.x0 and top <= a.bottom and bottom >= a.top:
            return True
    return False


class Line:
    """One text line of a block: its glyphs left to right, and its text."""

    __slots__ = ("chars", "x0", "x1", "top", "bottom", "base", "size", "font", "text")

    def __init__(self, runs: list[Run]) -> None:
        if len(runs) == 1:  # most body lines: one run
            run = runs[0]
            self.chars = list(run.chars)
            self.x0, self.x1, self.top, self.bottom = run.x0, run.x1, run.top, run.bottom
        else:
            runs.sort(key=lambda r: r.x0)
            self.chars = [c for r in runs for c in r.chars]
            self.x0 = min(r.x0 for r in runs)
            self.x1 = max(r.x1 for r in runs)
            self.top = min(r.top for r in runs)
            self.bottom = max(r.bottom for r in runs)
        self.base = runs[0].base
        middle = self.chars[len(self.chars) // 2]
        self.size = round(_median_size(runs), 1)  # OCR layers give each word its own size
        self.font = middle.font
        self.text = join_line(self.chars)

    def __repr__(self) -> str:
        return f"Line({self.text!r}, size={self.size})"


def _median_size(runs: list[Run]) -> float:
    """Font size of the middle glyph when the runs' glyphs are ordered by size."""
    if len(runs) == 1:
        return runs[0].size
    left = sum(len(r.chars) for r in runs) // 2
    for run in sorted(runs, key=lambda r: r.size):
        left -= len(run.chars)
        if left < 0:
            return run.size
    return runs[-1].size


def build_lines(runs: Iterable[Run]) -> list[Line]:
    """Cluster runs by baseline into lines, top to bottom."""
    ordered = sorted(runs, key=lambda r: (r.base, r.x0))
    groups: list[list[Run]] = []
    for run in ordered:
        if groups:
            group = groups[-1]
            head = group[0]
            if abs(run.base - head.base) <= 0.3 * max(run.size, head.size) and not any(
                run.x0 < g.x1 - 0.3 * g.size and g.x0 < run.x1 - 0.3 * g.size for g in group
            ):
                group.append(run)
                continue
        groups.append([run])
    return [Line(g) for g in groups]


def build_lines_stream(runs: Sequence[Run]) -> list[Line]:
    """Lines of an OCR text layer, in content-stream order (see :func:`stream_lines`)."""
    return [Line(g) for g in stream_lines(runs)]
