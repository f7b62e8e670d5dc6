"""Which way a page's text runs, and its glyphs read in that frame.

A page is read in a *frame*: the page turned by quarter turns until its text runs left to
right, origin top left. Most pages need no turn. A page with ``/Rotate 90`` is shown turned
a quarter clockwise: its text, to read upright on screen, is drawn running up the unturned
page (a landscape page), and text drawn upright there shows sideways. Both are read in the
frame their glyphs run in, the one most of the page's glyphs share; glyphs running any
other way (a margin note, a vertical stamp) are left out, as on upright pages. Article boxes
are then given in the page's displayed frame (``PageContent.to_display``), as a viewer shows
it.

Only pages whose glyphs the upright reading left out (most of them), or whose /Rotate is not
0, are read again here, glyph by glyph in Python; the rest never reach this module.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pypdfium2.raw as raw

from .chars import Box, Char, PageContent

TURNED_SHARE = 0.5  # an upright reading that kept fewer of the page's glyphs is looked at again
SKEW = 0.05  # a direction this far off a quarter turn is skewed text: never page text


@dataclass(frozen=True)
class Frame:
    """The unturned page (user space, ``width`` x ``height``) turned so that text running
    ``turn`` quarter turns counter-clockwise from left-to-right reads left to right."""

    turn: int
    width: float
    height: float

    def size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.turn % 2 else (self.width, self.height)

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """A user-space rectangle as (x0, top, x1, bottom) in this frame."""
        w, h = self.width, self.height
        if self.turn == 0:
            return left, h - top, right, h - bottom
        if self.turn == 1:
            return bottom, left, top, right
        if self.turn == 2:
            return w - right, bottom, w - left, top
        return h - top, w - right, h - bottom, w - left

    def user(self, box: Box) -> tuple[float, float, float, float]:
        """A box of this frame as a user-space rectangle (left, bottom, right, top)."""
        x0, top, x1, bottom = box
        w, h = self.width, self.height
        if self.turn == 0:
            return x0, h - bottom, x1, h - top
        if self.turn == 1:
            return top, x0, bottom, x1
        if self.turn == 2:
            return w - x1, top, w - x0, bottom
        return w - bottom, h - x1, w - top, h - x0

    def baseline(self, x: float, y: float) -> float:
        """Where a user-space point lies down this frame (a glyph origin: its baseline)."""
        return (self.height - y, x, y, self.width - x)[self.turn]


def direction(a: float, b: float) -> int | None:
    """Quarter turns of a text matrix's x axis (a, b) from left-to-right; None if skewed."""
    if abs(b) <= SKEW * abs(a):
        return 0 if a > 0 else 2
    if abs(a) <= SKEW * abs(b):
        return 1 if b > 0 else 3
    return None


def convert(box: Box, source: Frame, target: Frame) -> Box:
    """A box of one frame of a page in another."""
    if source.turn == target.turn:
        return box
    return target.box(*source.user(box))


class Glyph:
    """A glyph as pdfium's text page has it: user-space box, direction, its text object."""

    __slots__ = ("text", "rect", "turn", "size", "font", "sp", "origin", "first", "obj")

    def __init__(self, text, rect, turn, size, font, sp, origin, first, obj):
        self.text, self.rect, self.turn, self.size = text, rect, turn, size
        self.font, self.sp, self.origin, self.first, self.obj = font, sp, origin, first, obj


def read_glyphs(tp: ctypes.c_void_p, special: frozenset[str], generated: frozenset[str],
                hyphens: frozenset[str], font_name: Callable[[bytes], str]) -> list[Glyph]:
    """Every glyph of a text page with its user-space box and direction: pdfium_source's
    reading (``special`` chars are no glyph, except ``hyphens``; ``generated`` ones are
    spaces), without leaving out turned text."""
    count = raw.FPDFText_CountChars(tp)
    text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(max(count, 0)))
    out: list[Glyph] = []
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pending_space, last_obj = 0, None
    turn, size, font, origin, first = None, 0.0, "", (0.0, 0.0), None
    for i, ch in enumerate(text):
        glyph = ch
        if ch in special:
            if ch in generated:
                if ch == " ":
                    pending_space = max(pending_space, 1 if raw.FPDFText_IsGenerated(tp, i) else 2)
                continue
            if ch not in hyphens:
                continue
            glyph = "-"
        obj = ctypes.cast(raw.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if obj != last_obj:
            last_obj = obj
            raw.FPDFText_GetMatrix(tp, i, matrix)
            turn = direction(matrix.a, matrix.b)
            size = raw.FPDFText_GetFontSize(tp, i) * math.hypot(matrix.c, matrix.d)
            origin, first = (matrix.e, matrix.f), box
            raw.FPDFText_GetFontInfo(tp, i, buf, 256, flags)
            font = font_name(buf.value)
        if turn is None or size <= 0:
            continue
        out.append(Glyph(glyph, box, turn, size, font, pending_space, origin, first, obj))
        pending_space = 0
    return out


def _char(g: Glyph, frame: Frame) -> Char:
    x0, _top, x1, bottom = frame.box(*g.rect)
    if frame.turn == 0:  # pdfium_source's own expression, to the last bit
        descent = g.origin[1] - g.first[1]
        return Char(g.text, g.rect[0], g.rect[2], frame.height - (g.rect[1] + descent), g.size,
                    g.font, g.sp)
    first_bottom = frame.box(*g.first)[3]
    base = bottom - (first_bottom - frame.baseline(*g.origin))
    return Char(g.text, x0, x1, base, g.size, g.font, g.sp)


def needs_reading(content: PageContent, rotation: int) -> bool:
    """Is the upright reading of a page not the page's reading?"""
    return rotation != 0 or len(content.chars) < TURNED_SHARE * content.raw_chars


def reorient(content: PageContent, glyphs: list[Glyph], rotation: int) -> Frame:
    """Read a page in the frame most of its glyphs run in, replacing the upright reading:
    glyphs, page size, rules and image boxes; article boxes go back to the displayed frame.
    Returns the frame."""
    turns = Counter(g.turn for g in glyphs)
    display_turn = rotation % 4
    turn = max(turns, key=lambda t: (turns[t], t == display_turn)) if turns else display_turn
    if turn == 0 and display_turn == 0:  # upright after all: the glyphs, nothing to move
        frame = Frame(0, content.width, content.height)
        content.chars = [_char(g, frame) for g in glyphs if g.turn == 0]
        return frame
    # the upright reading measured the page in its displayed size: undo that
    shown_w, shown_h = content.width, content.height
    width, height = (shown_h, shown_w) if rotation % 2 else (shown_w, shown_h)
    frame = Frame(turn, width, height)
    shown = Frame(display_turn, width, height)
    content.chars = [_char(g, frame) for g in glyphs if g.turn == turn]
    content.width, content.height = frame.size()

    def move(box: Box) -> Box:  # a box the upright reading placed with the displayed height
        x0, top, x1, bottom = box
        return frame.box(x0, shown_h - bottom, x1, shown_h - top)

    rules = [move(b) for b in content.hrules + content.vrules]
    content.hrules = [b for b in rules if b[2] - b[0] >= b[3] - b[1]]
    content.vrules = [b for b in rules if b[2] - b[0] < b[3] - b[1]]
    content.images = [move(b) for b in content.images]
    if turn != display_turn:
        content.to_display = lambda box: convert(box, frame, shown)
    return frame


# ------------------------------------------------------------ vertical writing

VERTICAL_SHARE = 0.5  # a page whose glyphs mostly stand in columns is read down its columns
MIN_VERTICAL = 20
SAMPLE = 4  # one pair of glyphs in this many tells a page of columns
ADOPT_EM = 2.5  # glyphs drawn apart (」を「) belong to the column they end, this far below it


def _below(a: Char, b: Char) -> bool:
    """Is ``b`` the next glyph down a column from ``a`` (vertical writing)?"""
    size = a.size
    return (abs(b.x0 - a.x0) < 0.25 * size and 0.6 * size <= b.base - a.base <= 1.6 * size
            and abs(b.size - size) < 0.1 * size)


def _within(a: Char, b: Char) -> bool:
    """Does ``b`` (a comma, a bracket) follow ``a`` down the same column?"""
    return b.x0 < a.x1 and b.x1 > a.x0 and 0 < b.base - a.base <= 1.6 * a.size


def split_vertical(content: PageContent, frame: Frame) -> None:
    """On a page set mostly in vertical writing (CJK columns read top to bottom, right to
    left), move the glyphs that stand in columns into ``content.vertical``: the same page
    read in the frame turned a quarter clockwise, where columns are lines in reading order
    (the glyphs in rows, a running head or a horizontal headline, stay in ``content``).
    ``frame``: the one ``content`` is in."""
    chars = content.chars
    pairs = range(0, len(chars) - 1, SAMPLE)
    if len(pairs) * SAMPLE < MIN_VERTICAL:
        return
    down = 0
    for i in pairs:  # _below, inlined: this runs on every page
        a, b = chars[i], chars[i + 1]
        size = a.size
        if abs(b.x0 - a.x0) < 0.25 * size and 0.6 * size <= b.base - a.base <= 1.6 * size:
            down += 1
    if down <= VERTICAL_SHARE * len(pairs):
        return
    column = [False] * len(chars)
    for i in range(len(chars) - 1):
        if _below(chars[i], chars[i + 1]):
            column[i] = column[i + 1] = True
    for i in range(1, len(chars)):  # punctuation sits off the column's axis, but in it
        if column[i - 1] and not column[i] and _within(chars[i - 1], chars[i]):
            column[i] = True
    for i in range(len(chars) - 2, -1, -1):  # and may open a column
        if column[i + 1] and not column[i] and _within(chars[i], chars[i + 1]):
            column[i] = True
    chains: list[list[int]] = []  # runs of a column, in stream order
    for i, standing in enumerate(column):
        if not standing:
            continue
        if chains and chains[-1][-1] == i - 1 and (_below(chars[i - 1], chars[i])
                                                   or _within(chars[i - 1], chars[i])):
            chains[-1].append(i)
        else:
            chains.append([i])
    boxes = [(min(chars[i].x0 for i in ch), min(chars[i].top for i in ch),
              max(chars[i].x1 for i in ch), max(chars[i].bottom for i in ch)) for ch in chains]
    for j, standing in enumerate(column):  # glyphs drawn apart from their column ("を「)
        if standing:
            continue
        c = chars[j]
        x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        for ch, (x0, top, x1, bottom) in zip(chains, boxes, strict=True):
            if len(ch) > 1 and x0 <= x <= x1 and top <= y <= bottom + ADOPT_EM * c.size:
                ch.append(j)
                column[j] = True
                break
    down = Frame((frame.turn + 3) % 4, frame.width, frame.height)
    turned = PageContent(number=content.number, width=down.size()[0], height=down.size()[1],
                         full_images=content.full_images, raw_chars=content.raw_chars)
    for ch in chains:
        last = None
        for i in sorted(ch, key=lambda i: chars[i].base):
            c = chars[i]
            # a vertical glyph's origin is the top of its cell, one em high
            x0, top, x1, bottom = convert((c.x0, c.base, c.x1, c.base + c.size), frame, down)
            base = bottom - 0.2 * c.size
            # a glyph's place down its column comes from its origin, which pdfium puts a
            # cell too high for vertical punctuation (、。「): glyphs of a column never overlap
            if last is not None and last.x0 < x0 < last.x1 - 0.25 * c.size:
                x0, x1 = last.x1, last.x1 + (x1 - x0)
            last = Char(c.text, x0, x1, base, c.size, c.font, c.sp)
            turned.chars.append(last)
    content.chars = [c for c, standing in zip(chars, column, strict=True) if not standing]
    rules = [convert(b, frame, down) for b in content.hrules + content.vrules]
    turned.hrules = [b for b in rules if b[2] - b[0] >= b[3] - b[1]]
    turned.vrules = [b for b in rules if b[2] - b[0] < b[3] - b[1]]
    turned.images = [convert(b, frame, down) for b in content.images]
    to_display = content.to_display
    turned.to_display = (lambda box: to_display(convert(box, down, frame))) if to_display \
        else (lambda box: convert(box, down, frame))
    content.vertical = turned
