"""Paragraphs from body lines: a first-line indent or a short last line ends a paragraph.

A column that starts without an indent continues the open paragraph of the previous one.
"""

from __future__ import annotations

from collections.abc import Iterable

from .blocks import Block
from .text.join import join_lines

INDENT_EM = 0.8  # first-line indent (Chinese sets 2 em, Latin about 1 em)
SHORT_EM = 1.0  # a line ending this far before the column edge closes its paragraph


def body_paragraphs(blocks: Iterable[Block]) -> list[str]:
    """Paragraph texts of an article's body blocks in reading order."""
    paras: list[str] = []
    open_para = False
    for block in blocks:
        left, _, right, _ = block.frame
        single = len(block.lines) == 1 and block.x1 - block.x0 < 0.5 * (right - left)
        for line in block.lines:
            em = line.size or 1.0
            indented = line.x0 - left > INDENT_EM * em and not single
            if not open_para or indented or not paras:
                paras.append(line.text)
            else:
                paras[-1] = join_lines(paras[-1], line.text)
            open_para = right - line.x1 < SHORT_EM * em
    return [p for p in paras if p]
