"""Blocks: the lines of one layout leaf, split where size or font changes; or an image.

A block is the unit the field classifier labels (title, byline, caption, body, ...).
"""

from __future__ import annotations

from collections.abc import Sequence

from .chars import Box
from .lines import Line, Run, Stack, build_lines, build_lines_stream, flatten
from .text.script import in_capitals

SIZE_STEP = 0.12  # relative size change that starts a new block on an OCR layer (noisy sizes)
TYPE_STEP = 0.04  # ... on a born-digital page, where a subtitle is set a size under its title


class Block:
    """Consecutive lines of one size and font inside a leaf (or one image)."""

    __slots__ = ("lines", "kind", "x0", "x1", "top", "bottom", "size", "font", "frame", "level",
                 "reading")

    def __init__(self, lines: list[Line], frame: Box, kind: str = "body") -> None:
        self.lines = lines
        self.kind = kind
        self.frame = frame  # the leaf's extent: the column the lines are set in
        self.level = 0
        self.reading: str | None = None  # the text re-read from the scan, when better
        if lines:
            self.x0 = min(ln.x0 for ln in lines)
            self.x1 = max(ln.x1 for ln in lines)
            self.top = min(ln.top for ln in lines)
            self.bottom = max(ln.bottom for ln in lines)
            chars = sum(len(ln.chars) for ln in lines)
            self.size = sum(ln.size * len(ln.chars) for ln in lines) / chars
            self.font = lines[0].font
        else:
            self.x0, self.top, self.x1, self.bottom = frame
            self.size = 0.0
            self.font = ""

    @property
    def bbox(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def text(self) -> str:
        if self.reading is not None:
            return self.reading
        return " ".join(ln.text for ln in self.lines)

    @property
    def chars(self) -> int:
        return sum(len(ln.chars) for ln in self.lines)

    def __repr__(self) -> str:
        return f"Block({self.kind}, {self.size:.1f}, {self.text[:30]!r})"


def leaf_blocks(items: Sequence[Run | Stack], kind: str = "body",
                stream: bool = False) -> list[Block]:
    """Blocks of one XY-cut leaf (or one caption), top to bottom; with ``stream`` (an OCR
    layer) its lines follow the content stream."""
    runs = flatten(items)
    if not runs:
        return []
    frame = (min(r.x0 for r in runs), min(r.top for r in runs),
             max(r.x1 for r in runs), max(r.bottom for r in runs))
    out: list[Block] = []
    group: list[Line] = []
    lines = build_lines_stream(runs) if stream else build_lines(runs)
    heads = _typed_heads(lines, frame) if stream and kind == "body" else set()
    for i, line in enumerate(lines):
        if group and ((i in heads) != (i - 1 in heads)
                      or i not in heads and _breaks(group[-1], line, stream)):
            out.append(Block(group, frame, "heading" if i - 1 in heads else kind))
            group = []
        group.append(line)
    out.append(Block(group, frame, "heading" if len(lines) - 1 in heads else kind))
    return out


CAPS_SHARE = 0.6  # a line whose letters are this much upper case is set in capitals
CAPS_LETTERS = 4  # (of at least this many letters)
HEAD_SPACE = 1.5  # blank space above a typed headline, in line steps
HEAD_SHORT = 0.85  # a headline's first line is at most this share of the column wide


def _caps(line: Line) -> bool:
    return in_capitals(line.text, CAPS_SHARE, CAPS_LETTERS)


def _typed_heads(lines: list[Line], frame: Box) -> set[int]:
    """Headlines of an OCR layer over a typewritten page, set in the body face and size
    (its per-word OCR sizes are too noisy to tell them): a line in capitals with blank
    space above it, or a short line with blank space above and a line in capitals right
    under it, followed by body lines (indices into ``lines``)."""
    if len(lines) < 3:
        return set()
    steps = sorted(b.base - a.base for a, b in zip(lines, lines[1:], strict=False)
                   if 0.5 * a.size < b.base - a.base < 2.5 * a.size)
    if not steps:
        return set()
    step = steps[len(steps) // 2]
    width = frame[2] - frame[0]

    def spaced(k: int) -> bool:  # no text right above line k (specks of the scan aside)
        ln = lines[k]
        return not any(o is not ln and ln.base - HEAD_SPACE * step < o.base < ln.base - 0.3 * step
                       and o.x0 < ln.x1 and o.x1 > ln.x0 and o.size >= 0.5 * ln.size
                       and sum(c.isalpha() for c in o.text) >= 2 for o in lines)

    heads: set[int] = set()
    for i, line in enumerate(lines[:-2]):
        if i in heads or not _caps(line):
            continue
        if spaced(i):
            group = [i]
        elif (i > 0 and i - 1 not in heads and spaced(i - 1)
              and lines[i - 1].x1 - lines[i - 1].x0 <= HEAD_SHORT * width
              and 0.5 * step < line.base - lines[i - 1].base < 1.5 * step):
            group = [i - 1, i]
        else:
            continue
        if i + 1 < len(lines) - 2 and _caps(lines[i + 1]):
            group.append(i + 1)
        below = [o for o in lines[group[-1] + 1:] if o.base > lines[group[-1]].base]
        if len(below) >= 2 and len(" ".join(lines[k].text for k in group)) <= 80:
            heads.update(group)
    return heads


def _breaks(prev: Line, line: Line, stream: bool) -> bool:
    step = SIZE_STEP if stream else TYPE_STEP
    if abs(line.size - prev.size) > step * max(line.size, prev.size):
        return True
    return line.font != prev.font
