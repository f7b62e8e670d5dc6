"""Label blocks by what they are on a newspaper page: heading, byline, caption or body.

Cues (research/pdf-extraction.md §3.3): headings are larger than the dominant body size
(or bold at body size and short); bylines start with 本报记者/记者/通讯员/□; captions end
with a photographer's credit (… 许廷合 摄) or sit against an image.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .blocks import Block
from .bylines import NAMES_ONLY, is_byline, is_photo_credit
from .chars import Box
from .lines import ASIDE_RATIO, DECK_LINES

HEADING_RATIO = 1.15  # a block this much larger than body text is a heading
CAPTION_END = re.compile(r"([\u4e00-\u9fff]{2,4}\s*(摄|摄影|供图|制图|绘)|图[/／]\S{2,8})$")
# where an article goes on (comes from): 下转第2版, （上接第一版）, Continued on Page 5, See FAA, A3
JUMP_LINE = re.compile(
    r"^[（(【]?(?:下转|上接|转|接|续)第?[0-9０-９一二三四五六七八九十]+版[）)】]?"
    r"|^\(?(?:Continued|Cont'd|Turn|See)\b.{0,30}(?:Page|P\.)\s*[A-Z]?\d+\)?\.?$"
    r"|^\(?(?:Continued\s+)?[Ff]rom\s+(?:Page|P\.)\s*[A-Z]?\d+\)?\.?$")
BOLD_FONT = re.compile(r"bold|black|heavy|hei|黑|粗|demi", re.IGNORECASE)
SENTENCE_END = "。！？；：”.!?;:"
MAX_HEADING_CHARS = 80
BYLINE_LINES = 3  # a byline takes at most this many lines
OCR_BODY_LINES = 3  # an OCR block of this many lines is a heading only when
OCR_HEADING = 1.3  # this much larger than body text


def classify(blocks: Sequence[Block], body: float, body_font: str,
             images: Sequence[Box], ocr: bool = False) -> None:
    """Set ``kind`` (and heading ``level``, the font size) of each body block; ``ocr``: the
    page is an OCR layer over a scan."""
    for block in blocks:
        if block.kind != "body":
            continue
        text = block.text
        if ends_broken(text):
            pass  # a line that breaks a word at its end is running text, whatever its size
        elif len(block.lines) <= BYLINE_LINES and is_jump_line(text):
            pass  # 下转第2版, Continued on Page 5: the article's own text, whatever its face
        elif len(block.lines) <= BYLINE_LINES and is_photo_credit(text):
            block.kind = "caption"  # a photographer's credit, whatever its size or face
        elif len(block.lines) <= BYLINE_LINES and is_byline(text):
            block.kind = "byline"  # whatever its size or face
        elif ocr and len(block.lines) >= OCR_BODY_LINES and block.size < OCR_HEADING * body:
            pass  # OCR sizes are noisy: lines of text only a little larger are running text
        elif block.size >= HEADING_RATIO * body or _bold_heading(block, body):
            block.kind = "heading"
            block.level = round(block.size, 1)
        elif _is_caption(block, body, body_font, images):
            block.kind = "caption"
        elif _is_aside(block, body, body_font, ocr):
            block.kind = "aside"


def is_jump_line(text: str) -> bool:
    """Whether a line says where the article goes on or comes from (a jump line)."""
    return JUMP_LINE.match(text.strip()) is not None or JUMP_LINE.match(
        text.replace(" ", "")) is not None


def ends_broken(text: str) -> bool:
    """Whether text ends in a word broken by a hyphen (running text continues below)."""
    return len(text) > 1 and text[-1] == "-" and text[-2].isalpha()


def _bold_heading(block: Block, body: float) -> bool:
    text = block.text
    return (
        block.size >= 0.95 * body
        and BOLD_FONT.search(block.font) is not None
        and len(block.lines) <= 2
        and len(text) <= MAX_HEADING_CHARS
        and text[-1] not in SENTENCE_END
    )


def _is_aside(block: Block, body: float, body_font: str, ocr: bool) -> bool:
    """A short line in another face (an italic kicker, deck or byline in Latin pages), or
    in the body's face a size up (a kicker or deck set a little larger than the text; not
    on an OCR layer, whose sizes are noise)."""
    text = block.text
    return (
        (block.font != body_font or (not ocr and block.size > ASIDE_RATIO * body))
        and block.size >= 0.95 * body
        and len(block.lines) <= DECK_LINES
        and len(text) <= MAX_HEADING_CHARS
        and text[-1] not in SENTENCE_END
    )


def _is_caption(block: Block, body: float, body_font: str, images: Sequence[Box]) -> bool:
    text = block.text
    if len(block.lines) > 6:
        return False
    if CAPTION_END.search(text):
        return True
    if len(block.lines) > 4 or (block.size > 0.95 * body and block.font == body_font):
        return False
    for x0, _top, x1, bottom in images:
        overlap = min(x1, block.x1) - max(x0, block.x0)
        if overlap > 0.5 * (block.x1 - block.x0) and -0.5 * body <= block.top - bottom <= body:
            return True
    return False


def split_leading_bylines(block: Block, body_font: str) -> list[Block]:
    """A body block that opens with byline lines becomes a byline block plus the rest; a
    short block in another face that opens with one is a byline as a whole; a short block
    that ends in a byline in a face of its own is the lines above (a deck) and the byline."""
    lines = block.lines
    if block.kind != "body":
        return [block]
    if block.font != body_font and len(lines) <= BYLINE_LINES and is_byline(lines[0].text):
        block.kind = "byline"
        return [block]
    if (1 < len(lines) <= 2 * BYLINE_LINES and is_byline(lines[-1].text)
            and lines[-2].font != lines[-1].font):  # a deck in another face, then the byline
        return [Block(lines[:-1], block.frame, "body"), Block(lines[-1:], block.frame, "byline")]
    k = 0
    while k < len(lines) and k < BYLINE_LINES and is_byline(lines[k].text):
        k += 1
    if 0 < k < len(lines) - 1 and NAMES_ONLY.match(lines[k].text):
        k += 1  # the byline's names wrapped onto a short line of their own
    if k == 0 or k == len(lines):
        return [block]
    head = Block(lines[:k], block.frame, "byline")
    rest = Block(lines[k:], block.frame, "body")
    return [head, rest]
