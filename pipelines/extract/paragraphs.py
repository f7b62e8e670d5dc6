"""Paragraphs from body lines: a first-line indent or a short last line ends a paragraph.

A column that starts without an indent continues the open paragraph of the previous one.
In ragged-right text (many short lines) only indents count. A line that ends in a word
broken by a hyphen never ends its paragraph (OCR layers measure such lines short).
"""

from __future__ import annotations

from collections.abc import Iterable

from .blocks import Block
from .text.dehyphenate import HYPHENS
from .text.join import join_lines

INDENT_EM = 0.8  # first-line indent (Chinese sets 2 em, Latin about 1 em)
SHORT_EM = 1.0  # a line ending this far before the column edge closes its paragraph
RAGGED_SHARE = 0.4  # more short lines than this: the text is set ragged right


def body_paragraphs(blocks: Iterable[Block]) -> list[str]:
    """Paragraph texts of an article's body blocks in reading order."""
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
            if not paras or not (broken or open_para and not indented):
                paras.append(line.text)
            else:
                paras[-1] = join_lines(paras[-1], line.text)
            text = line.text
            broken = len(text) > 1 and text[-1] in HYPHENS and text[-2].isalpha()
            open_para = ragged or right - line.x1 < SHORT_EM * em
    return [p for p in paras if p]
