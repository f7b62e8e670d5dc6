"""Paragraphs from body lines: a first-line indent or a short last line ends a paragraph.

A column that starts without an indent continues the open paragraph of the previous one.
In ragged-right text (many short lines) only indents count. A line that ends in a word
broken by a hyphen never ends its paragraph (OCR layers measure such lines short). A word
an OCR layer squeezed whole into the end of a line (``how-eve- r,``) is mended first.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median_low

from .blocks import Block
from .lines import Line
from .text.dehyphenate import HYPHENS, mend_squeezed
from .text.join import join_lines

INDENT_EM = 0.8  # first-line indent (Chinese sets 2 em, Latin about 1 em)
SHORT_EM = 1.0  # a line ending this far before the column edge closes its paragraph
RAGGED_SHARE = 0.4  # more short lines than this: the text is set ragged right
SQUEEZE = 0.8  # glyphs this much smaller than the body text are a squeezed word


def body_paragraphs(blocks: Iterable[Block]) -> list[str]:
    """Paragraph texts of an article's body blocks in reading order."""
    blocks = list(blocks)
    size = median_low([ln.size for b in blocks for ln in b.lines] or [0.0])
    paras: list[str] = []
    open_para = False
    broken = False  # the last line ended in a word broken by a hyphen
    for block in blocks:
        left, _, right, _ = block.frame
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
            open_para = ragged or right - line.x1 < SHORT_EM * em
    return [p for p in paras if p]


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
