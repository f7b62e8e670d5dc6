"""Assemble labelled blocks, in reading order, into articles.

A heading group (kicker, title, subtitle) opens an article; bylines and body blocks that
follow belong to it, until the next heading group (American Stories' first-stage rule: a
headline owns the blocks below it). Captions go to the nearest article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .blocks import Block
from .chars import Box
from .fields import INLINE_BYLINE
from .paragraphs import body_paragraphs
from .text.join import join_lines

SECTION_HEAD_CHARS = 6  # a section head (一周要闻, 核心提示) is this short


@dataclass
class Article:
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    body_blocks: list[Block] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)

    @property
    def bbox(self) -> Box | None:
        if not self.boxes:
            return None
        return (min(b[0] for b in self.boxes), min(b[1] for b in self.boxes),
                max(b[2] for b in self.boxes), max(b[3] for b in self.boxes))

    def to_dict(self) -> dict:
        bbox = self.bbox
        paragraphs = body_paragraphs(self.body_blocks)
        byline = self.byline
        inline = INLINE_BYLINE.match(paragraphs[0]) if paragraphs and not byline else None
        if inline:  # 本报讯（记者 … ）opens the first paragraph: it is the byline
            byline = inline.group(0)
            paragraphs[0] = paragraphs[0][inline.end():].lstrip()
        return {
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": byline,
            "body": "\n".join(p for p in paragraphs if p),
            "captions": self.captions,
            "bbox": [round(v, 1) for v in bbox] if bbox else None,
        }


def _block_text(block: Block) -> str:
    text = ""
    for line in block.lines:
        text = join_lines(text, line.text)
    return text


def _heading_groups(blocks: Sequence[Block]) -> list[list[Block] | Block]:
    """Runs of consecutive heading blocks become one group; others stay single."""
    out: list[list[Block] | Block] = []
    for block in blocks:
        if block.kind == "heading" and out and isinstance(out[-1], list):
            out[-1].append(block)
        elif block.kind == "heading":
            out.append([block])
        else:
            out.append(block)
    return out


def _merge_same_level(group: list[Block]) -> list[tuple[float, str, list[Block]]]:
    """Consecutive heading blocks of one size and font are one heading (a 2-line title)."""
    merged: list[tuple[float, str, list[Block]]] = []
    for block in group:
        text = _block_text(block)
        if merged:
            level, prev_text, members = merged[-1]
            last = members[-1]
            if (abs(block.size - last.size) <= 0.05 * last.size and block.font == last.font
                    and block.top - last.bottom < 1.5 * last.size):
                merged[-1] = (level, join_lines(prev_text, text), members + [block])
                continue
        merged.append((block.size, text, [block]))
    return merged


def _title_index(parts: list[tuple[float, str, list[Block]]]) -> int:
    """The largest heading is the title, unless it is a short section head (一周要闻) set
    above the first brief's title."""
    main = max(range(len(parts)), key=lambda i: (parts[i][0], -i))
    if main == 0 and len(parts) > 1:
        head, nxt = parts[0][1].replace(" ", ""), parts[1][1].replace(" ", "")
        if len(head) <= SECTION_HEAD_CHARS < len(nxt) and parts[1][0] >= 0.75 * parts[0][0]:
            return 1
    return main


def _open_article(group: list[Block]) -> Article:
    parts = _merge_same_level(group)
    main = _title_index(parts)
    art = Article(title=parts[main][1])
    before = [p[1] for p in parts[:main]]
    after = [p[1] for p in parts[main + 1:]]
    art.kicker = " ".join(before) or None
    art.subtitle = " ".join(after) or None
    art.boxes.extend(b.bbox for b in group)
    return art


def assemble(blocks: Sequence[Block]) -> list[Article]:
    """Articles of a page from its blocks in reading order (header and footer removed)."""
    articles: list[Article] = []
    captions: list[Block] = []
    images = [b for b in blocks if b.kind == "image"]
    current: Article | None = None
    for item in _heading_groups(blocks):
        if isinstance(item, list):
            current = _open_article(item)
            articles.append(current)
            continue
        block = item
        if block.kind == "image":
            continue
        if block.kind == "caption":
            captions.append(block)
            continue
        if current is None:
            current = Article()
            articles.append(current)
        if block.kind == "byline":
            text = " ".join(ln.text for ln in block.lines)
            current.byline = f"{current.byline} {text}" if current.byline else text
        else:
            current.body_blocks.append(block)
        current.boxes.append(block.bbox)
    for block in captions:
        _attach_caption(block, articles, images)
    return [a for a in articles if a.title or a.body_blocks or a.captions]


def _distance(a: Box, b: Box) -> float:
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def _attach_caption(block: Block, articles: list[Article], images: Sequence[Block]) -> None:
    """Give a caption to the article nearest to it and its photo."""
    box = block.bbox
    near = [im.bbox for im in images if _distance(im.bbox, box) < 3 * max(block.size, 1.0)]
    if near:
        box = (min([box[0]] + [b[0] for b in near]), min([box[1]] + [b[1] for b in near]),
               max([box[2]] + [b[2] for b in near]), max([box[3]] + [b[3] for b in near]))
    text = _block_text(block)
    candidates = [a for a in articles if a.bbox is not None]
    if not candidates:
        art = Article(captions=[text], boxes=[block.bbox])
        articles.append(art)
        return
    best = min(candidates, key=lambda a: _distance(a.bbox, box))
    best.captions.append(text)
