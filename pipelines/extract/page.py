"""One page through the pipeline: health check, runs, layout, blocks, fields, articles."""

from __future__ import annotations

import time
from collections import Counter

from .articles import assemble
from .blocks import Block, leaf_blocks
from .bylines import is_byline
from .chars import PageContent
from .columns import CutParams, xy_cut
from .fields import classify, split_leading_bylines
from .galleys import join_pieces, leading_of, stack_galleys
from .health import check_page
from .lines import (
    Run,
    body_size,
    build_runs,
    drop_alternatives,
    merge_display_runs,
    smooth_ocr_sizes,
    stack_headlines,
)
from .photos import take_captions
from .reread import ScanReader, reread_headings
from .running_heads import heads_text, split_running_heads
from .text.join import join_line


def page_result(number: int, status: str, reason: str | None = None,
                header: str | None = None, articles: list | None = None) -> dict:
    """One entry of ``doc["pages"]``."""
    return {"number": number, "status": status, "reason": reason, "header": header,
            "articles": articles or []}


def _column_edges(runs: list[Run], body: float) -> frozenset[int]:
    """x positions (rounded, with neighbours) where at least 4 body lines start."""
    starts = Counter(round(r.x0) for r in runs if abs(r.size - body) < 0.1 * body)
    return frozenset(x + d for x, n in starts.items() if n >= 4 for d in (-1, 0, 1))


def _column_width(runs: list[Run], body: float) -> float:
    """Most common width of body lines (justified lines fill their column); 0 if unclear."""
    widths = Counter(round(r.x1 - r.x0) for r in runs if abs(r.size - body) < 0.1 * body)
    if not widths:
        return 0.0
    width, n = widths.most_common(1)[0]
    return float(width) if n >= 4 and width >= 4 * body else 0.0


def _byline_items(items: list) -> frozenset[int]:
    """Ids of the lines standing alone that are bylines, of any size: the cuts never take
    one for a headline (set larger than the body), and cut under one that tops columns."""
    return frozenset(id(it) for it in items
                     if isinstance(it, Run) and is_byline(join_line(it.chars)))


def _both_ways(content: PageContent, budget: float, reader: ScanReader | None) -> dict:
    """A page of vertical writing: its columns read as lines of their own frame
    (orientation.split_vertical), then the glyphs in rows; the articles of both."""
    columns, content.vertical = content.vertical, None
    down = extract_page(columns, budget, reader)
    rows = extract_page(content, budget, reader)
    if rows["status"] != "ok":
        return down
    if down["status"] != "ok":
        return rows
    return page_result(content.number, "ok", None, rows["header"] or down["header"],
                       rows["articles"] + down["articles"])


def extract_page(content: PageContent, budget: float, reader: ScanReader | None = None) -> dict:
    """Articles of one page; raises LayoutTimeout when over ``budget`` seconds. With a
    ``reader``, the headings of a scanned page (an OCR layer) are re-read from the scan."""
    if content.vertical is not None:
        return _both_ways(content, budget, reader)
    deadline = time.monotonic() + budget
    health = check_page(content)
    if health.status != "ok":
        return page_result(content.number, health.status, health.reason)
    body, body_font = body_size(content.chars)
    ocr = content.full_images > 0  # text over a scan: an OCR layer
    runs = build_runs(content.chars)
    if ocr:
        runs = smooth_ocr_sizes(drop_alternatives(runs), body)
    header, _footer, rest = split_running_heads(runs, content)
    captions, rest = take_captions(rest, content.images, body, body_font)
    rest = merge_display_runs(rest, body, content.vrules)
    leading = leading_of(rest, body)
    if not ocr:
        rest = join_pieces(rest, body, leading)
    items = stack_headlines(rest, body, content.hrules, decks=not ocr)
    if not ocr:
        items = stack_galleys(items, body, content.hrules, content.images)
    params = CutParams(body=body, leading=leading, deadline=deadline,
                       edges=_column_edges(rest, body), colw=_column_width(rest, body),
                       images=tuple(content.images), plain=_byline_items(items))
    blocks: list[Block] = []
    for leaf in xy_cut(items, content.hrules, content.vrules, params) if items else []:
        for block in leaf_blocks(leaf, stream=ocr):
            blocks.extend(split_leading_bylines(block, body_font))
    classify(blocks, body, body_font, content.images, ocr)
    if ocr and reader is not None:
        blocks = reread_headings(blocks, content.number, content.width, reader)
    for caption in captions:
        blocks.extend(leaf_blocks(caption, "caption"))
    blocks.extend(Block([], box, "image") for box in content.images)
    articles = [a.to_dict() for a in assemble(blocks, body, ocr)]
    if content.to_display is not None:
        for article in articles:
            if article["bbox"]:
                article["bbox"] = [round(v, 1) for v in content.to_display(article["bbox"])]
    return page_result(content.number, "ok", None, heads_text(header), articles)
