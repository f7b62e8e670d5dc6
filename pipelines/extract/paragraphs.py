"""Paragraphs from body lines: a first-line indent or a short last line ends a paragraph.

A column that starts without an indent continues the open paragraph of the previous one.
In ragged-right text (many short lines) only indents count. A line that ends in a word
broken by a hyphen never ends its paragraph (OCR layers measure such lines short). A word
an OCR layer squeezed whole into the end of a line (``how-eve- r,``) is mended first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from statistics import median_low

from .blocks import Block
from .lines import Line
from .text.dehyphenate import HYPHENS, mend_squeezed
from .text.join import join_lines
from .text.script import HANGING

INDENT_EM = 0.8  # first-line indent (Chinese sets 2 em, Latin about 1 em)
SHORT_EM = 1.0  # a line ending this far before the column edge closes its paragraph
SHORTER_EM = 2.5  # ... in text that indents its paragraphs, a line ending this far
INDENTED_LINES = 1  # text with an indented line (past its first) indents its paragraphs
RAGGED_SHARE = 0.4  # more short lines than this: the text is set ragged right
SQUEEZE = 0.8  # glyphs this much smaller than the body text are a squeezed word
EDGE_LINES = 3  # a block of this many lines shows its column's edges by its lines


def body_paragraphs(blocks: Iterable[Block]) -> list[str]:
    """Paragraph texts of an article's body blocks in reading order."""
    blocks = list(blocks)
    size = median_low([ln.size for b in blocks for ln in b.lines] or [0.0])
    paras: list[str] = []
    open_para = False
    broken = False  # the last line ended in a word broken by a hyphen
    edges = [_column_edges(block, blocks) for block in blocks]
    # text that marks its paragraphs by indents: a line a little short (line-breaking rules
    # keep 《 or 。 from ending or starting a line) followed by one not indented runs on
    indents = sum(ln.x0 - left > INDENT_EM * (ln.size or 1.0)
                  for b, (left, _) in zip(blocks, edges, strict=True) if len(b.lines) > 1
                  for ln in b.lines) >= INDENTED_LINES
    for block, (left, right) in zip(blocks, edges, strict=True):
        if block.kind == "subhead":  # a paragraph of its own
            paras.append(" ".join(_line_text(ln, size) for ln in block.lines))
            open_para = broken = False
            continue
        single = len(block.lines) == 1 and block.x1 - block.x0 < 0.5 * (right - left)
        short = sum(1 for ln in block.lines if right - ln.x1 >= SHORT_EM * (ln.size or 1.0))
        ragged = len(block.lines) >= 4 and short > RAGGED_SHARE * len(block.lines)
        for line in block.lines:
            em = line.size or 1.0
            indented = line.x0 - left > INDENT_EM * em and not single
            text = _line_text(line, size)
            if not paras or not (broken or open_para and not indented):
                paras.append(text)
            else:
                paras[-1] = join_lines(paras[-1], text)
            broken = len(text) > 1 and text[-1] in HYPHENS and text[-2].isalpha()
            short_by = (right - line.x1) / em
            open_para = ragged or short_by < (SHORTER_EM if indents else SHORT_EM)
    return [p for p in paras if p]


def _column_edges(block: Block, blocks: list[Block]) -> tuple[float, float]:
    """Where a block's column starts (its frame's left) and ends: where most lines of the
    article's blocks in that column end. A line set too long, or ending in punctuation hung
    past the edge (行末标点悬挂), does not move it: every justified line would look short."""
    left, _, right, _ = block.frame
    em = block.size or 1.0
    lines = [ln for b in blocks
             if abs(b.frame[0] - left) <= em and abs(b.frame[2] - right) <= 2 * em
             for ln in b.lines]
    if len(lines) < EDGE_LINES:
        return left, right
    ends = Counter(round(ln.x1) for ln in lines if ln.text[-1:] not in HANGING)
    if ends:
        end, n_end = ends.most_common(1)[0]
        if n_end >= 2 and end < right:
            right = max(ln.x1 for ln in lines if ln.x1 <= end + 0.5)
    return left, right


def _line_text(line: Line, size: float) -> str:
    """The line's text, with a word an OCR layer squeezed into its end mended when its
    glyphs before the tail are all set under ``SQUEEZE`` of ``size`` (the article's text)."""
    mended = mend_squeezed(line.text)
    if mended is None:
        return line.text
    text, head, tail = mended
    glyphs = line.chars[-(head + tail):len(line.chars) - tail]
    if len(glyphs) < head or max(g.size for g in glyphs) >= SQUEEZE * size:
        return line.text
    return text
