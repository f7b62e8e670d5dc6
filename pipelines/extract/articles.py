"""Assemble labelled blocks, in reading order, into articles.

A heading group (kicker, title, subtitle) opens an article; bylines and body blocks that
follow belong to it, until the next heading group (American Stories' first-stage rule: a
headline owns the blocks below it). Captions go to the nearest article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .blocks import Block
from .bylines import INLINE_BYLINE, is_byline, split_trailing_byline
from .chars import Box
from .lines import ASIDE_RATIO
from .paragraphs import body_paragraphs
from .text.join import join_lines
from .text.script import is_cjk

HEAD_GROUP_GAP = 3.0  # a heading further below a heading group (in em) opens its own
SUBHEAD_RATIO = 1.1  # a subhead is set at body size (bold), never this much larger
SUBHEAD_GAP_EM = 2.5  # and stands this close under the text before it
SECTION_HEAD_CHARS = 6  # a section head (一周要闻, 核心提示) is this short
SECTION_HEAD = re.compile(r"^[【〖［\[]\S{1,10}[】〗］\]]$")  # 【一周要闻】


@dataclass
class Article:
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    section: str | None = None  # the section head over it (【一周要闻】), not its kicker
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
        if paragraphs:  # （记者 张三）or a credit closes the last one: it is (part of) it
            paragraphs[-1], trailing = split_trailing_byline(paragraphs[-1])
            if trailing:
                byline = f"{byline} {trailing}" if byline else trailing
        return {
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": byline,
            "section": self.section,
            "body": "\n".join(p for p in paragraphs if p),
            "captions": self.captions,
            "bbox": [round(v, 1) for v in bbox] if bbox else None,
        }


def _block_text(block: Block) -> str:
    if block.reading is not None:
        return block.reading
    text = ""
    for line in block.lines:
        text = join_lines(text, line.text)
    return text


def _byline_text(block: Block) -> str:
    """Byline lines: a new role (通讯员 …) after a space, wrapped names joined directly."""
    text = ""
    for line in block.lines:
        if text and (is_byline(line.text) or not is_cjk(line.text[0])):
            text += " " + line.text
        else:
            text += line.text
    return text


def _heading_groups(blocks: Sequence[Block], body: float) -> list[list[Block] | Block]:
    """Runs of consecutive headings become one group (kicker, title, subtitle), unless one
    sits far below the group (the next article's, in another leaf); an aside
    (a short line in another face) joins as kicker right before a group, and as subtitle
    right after it when set larger than body text or right over the byline (title, deck,
    byline). Other blocks stay single."""
    out: list[list[Block] | Block] = []
    for k, block in enumerate(blocks):
        prev = out[-1] if out else None
        if block.kind == "heading":
            if isinstance(prev, list) and block.top - max(b.bottom for b in prev) <= (
                    HEAD_GROUP_GAP * max(block.size, prev[-1].size)):
                prev.append(block)
            elif isinstance(prev, Block) and prev.kind == "aside" and prev.bottom <= block.top:
                out[-1] = [prev, block]
            else:
                out.append([block])
        elif block.kind == "aside" and isinstance(prev, list) and (
                block.size > ASIDE_RATIO * body
                or k + 1 < len(blocks) and blocks[k + 1].kind == "byline"):
            prev.append(block)  # a deck: set larger than the text, or over the byline
        else:
            out.append(block)
    return out


def _heading_parts(group: list[Block]) -> list[tuple[float, str, list[Block]]]:
    """(size, text, blocks) of each heading in a group, top to bottom: the halves of a
    title set on one baseline are joined by a space, its lines without one."""
    parts: list[tuple[float, str, list[Block]]] = []
    for block in sorted(group, key=lambda b: (round(b.top), b.x0)):
        text = _block_text(block)
        for k, (size, prev_text, members) in enumerate(parts):
            last = members[-1]
            if abs(block.size - size) > 0.05 * size or block.font != last.font:
                continue
            if abs(block.lines[0].base - last.lines[-1].base) < 0.2 * size:
                parts[k] = (size, f"{prev_text} {text}", members + [block])
                break
            if k == len(parts) - 1 and 0 <= block.top - last.bottom < 1.5 * size:
                parts[k] = (size, join_lines(prev_text, text), members + [block])
                break
        else:
            parts.append((block.size, text, [block]))
    return parts


def _title_index(parts: list[tuple[float, str, list[Block]]], first: bool = False) -> int:
    """The largest heading is the title, unless it is a short section head (一周要闻) set
    above the first brief's title. With ``first`` (an OCR layer, whose sizes are noise) the
    first heading is: old papers set decks under their headlines, rarely kickers above."""
    if first:
        return 0
    main = max(range(len(parts)), key=lambda i: (parts[i][0], -i))
    if main == 0 and len(parts) > 1:
        head, nxt = parts[0][1].replace(" ", ""), parts[1][1].replace(" ", "")
        if len(head) <= SECTION_HEAD_CHARS < len(nxt) and parts[1][0] >= 0.75 * parts[0][0]:
            return 1
    return main


def _section_head(group: list[Block]) -> tuple[str | None, list[Block]]:
    """A section head over the group (【一周要闻】: a short line in brackets) apart from the
    title under it, whatever their sizes: the head belongs to every brief under it, the
    title to one. Returns the head's text and the group without it."""
    ordered = sorted(group, key=lambda b: (round(b.top), b.x0))
    first = ordered[0]
    if not first.lines or not SECTION_HEAD.match(first.lines[0].text.replace(" ", "")):
        return None, group
    head = first.lines[0].text.replace(" ", "")
    rest = [b for b in group if b is not first]
    if len(first.lines) > 1:
        rest.append(Block(first.lines[1:], first.frame, first.kind))
    return head, rest


def _open_article(group: list[Block], first: bool) -> Article:
    section, heads = _section_head(group)
    if not heads:  # a section head alone: the briefs under it carry their own titles
        return Article(section=section)
    parts = _heading_parts(heads)
    main = _title_index(parts, first)
    art = Article(title=parts[main][1], section=section)
    art.kicker = " ".join(p[1] for p in parts[:main]) or None
    art.subtitle = " ".join(p[1] for p in parts[main + 1:]) or None
    art.boxes.extend(b.bbox for b in group)
    return art


def assemble(blocks: Sequence[Block], body: float, ocr: bool = False) -> list[Article]:
    """Articles of a page from its blocks in reading order (header and footer removed);
    ``ocr``: the page is an OCR layer over a scan."""
    articles: list[Article] = []
    captions: list[Block] = []
    images = [b for b in blocks if b.kind == "image"]
    current: Article | None = None
    section: str | None = None  # a section head alone, for the article under it
    for item in _heading_groups(blocks, body):
        if (isinstance(item, list) and not ocr and current is not None
                and _subhead(item, current, body)):
            for block in item:  # a subhead inside the article: a paragraph of its own
                block.kind = "subhead"
            current.body_blocks.extend(item)
            current.boxes.extend(b.bbox for b in item)
            continue
        if isinstance(item, list):
            current = _open_article(item, ocr)
            if current.title is None and current.section:
                section, current = current.section, None
                continue
            current.section = current.section or section
            section = None
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
        if block.kind == "byline" or (block.kind == "aside" and not current.body_blocks
                                      and current.byline is None):
            text = _byline_text(block)
            current.byline = f"{current.byline} {text}" if current.byline else text
        else:
            current.body_blocks.append(block)
        current.boxes.append(block.bbox)
    for block in captions:
        _attach_caption(block, articles, images)
    return [a for a in articles if a.title or a.body_blocks or a.captions]


def _subhead(group: list[Block], article: Article, body: float) -> bool:
    """Whether a heading group is a subhead of the article being read: one line of body
    size (set in bold), in the column its body text runs in, right under that text (a title
    is set larger, over the columns it heads). Not on OCR layers of old papers, whose small
    headlines are set in the body's size, in capitals."""
    if not article.body_blocks or len(group) != 1 or len(group[0].lines) != 1:
        return False
    head, last = group[0], article.body_blocks[-1]
    if head.size >= SUBHEAD_RATIO * body or head.reading is not None:
        return False
    return (0 <= head.top - last.bottom <= SUBHEAD_GAP_EM * body
            and head.x0 >= last.frame[0] - body and head.x1 <= last.frame[2] + body)


def _distance(a: Box, b: Box) -> float:
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def _attach_caption(block: Block, articles: list[Article], images: Sequence[Block]) -> None:
    """Give a caption to the article nearest to it and its photo."""
    box = block.bbox
    near = [im.bbox for im in images  # its photo: right above or below, across its width
            if _distance(im.bbox, box) < 3 * max(block.size, 1.0)
            and min(im.x1, box[2]) - max(im.x0, box[0]) > 0.5 * (box[2] - box[0])]
    if near:
        box = (min([box[0]] + [b[0] for b in near]), min([box[1]] + [b[1] for b in near]),
               max([box[2]] + [b[2] for b in near]), max([box[3]] + [b[3] for b in near]))
    text = _block_text(block)
    candidates = [a for a in articles if a.bbox is not None]
    if not candidates:
        art = Article(captions=[text], boxes=[block.bbox])
        articles.append(art)
        return
    best = min(candidates, key=lambda a: (-_overlap(a.bbox, box), _distance(a.bbox, box)))
    best.captions.append(text)


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0
