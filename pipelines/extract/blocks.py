"""Blocks: the lines of one layout leaf, split where size or font changes; or an image.

A block is the unit the field classifier labels (title, byline, caption, body, ...).
"""

from __future__ import annotations

from collections.abc import Sequence

from .chars import Box
from .lines import Line, Run, Stack, build_lines, build_lines_stream, flatten

SIZE_STEP = 0.12  # relative size change that starts a new block


class Block:
    """Consecutive lines of one size and font inside a leaf (or one image)."""

    __slots__ = ("lines", "kind", "x0", "x1", "top", "bottom", "size", "font", "frame", "level")

    def __init__(self, lines: list[Line], frame: Box, kind: str = "body") -> None:
        self.lines = lines
        self.kind = kind
        self.frame = frame  # the leaf's extent: the column the lines are set in
        self.level = 0
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
    for line in (build_lines_stream(runs) if stream else build_lines(runs)):
        if group and _breaks(group[-1], line):
            out.append(Block(group, frame, kind))
            group = []
        group.append(line)
    out.append(Block(group, frame, kind))
    return out


def _breaks(prev: Line, line: Line) -> bool:
    if abs(line.size - prev.size) > SIZE_STEP * max(line.size, prev.size):
        return True
    return line.font != prev.font
