"""Char source on pdfplumber: the design card's library, slower, kept selectable for checks."""

from __future__ import annotations

from collections.abc import Iterator

import pdfplumber

from .chars import Char, PageContent, PageTooLarge, rules_from_box

OVERPRINT_PT = 1.0  # the same glyph drawn again within this distance is drawn over itself


def without_overprints(chars: list[Char]) -> list[Char]:
    """``chars`` without a glyph drawn again over an earlier one (same text and size, within
    OVERPRINT_PT): pdfplumber's ``dedupe_chars`` in linear time (it took minutes on a page of
    30,000 glyphs), on a grid of OVERPRINT_PT cells."""
    seen: set[tuple[str, float, int, int]] = set()
    kept = []
    for c in chars:
        x, y = round(c.x0 / OVERPRINT_PT), round(c.base / OVERPRINT_PT)
        if any((c.text, c.size, x + dx, y + dy) in seen
               for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((c.text, c.size, x, y))
        kept.append(c)
    return kept


class PlumberSource:
    """An opened PDF read with pdfplumber (pdfminer.six underneath)."""

    def __init__(self, path: str, max_chars: int) -> None:
        self._pdf = pdfplumber.open(path)
        self.page_count = len(self._pdf.pages)
        self.max_chars = max_chars

    def pages(self) -> Iterator[PageContent | Exception]:
        for page in self._pdf.pages:
            try:
                yield self._read_page(page)
            except Exception as exc:  # one bad page never stops the others
                yield exc
            finally:
                page.close()  # pdfplumber keeps every page's objects otherwise

    def read(self, number: int) -> PageContent:
        """Page ``number`` (from 1) alone: the second reading of a page pdfium read badly."""
        page = self._pdf.pages[number - 1]
        try:
            return self._read_page(page)
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()

    def _read_page(self, page: pdfplumber.page.Page) -> PageContent:
        content = PageContent(number=page.page_number, reader="pdfplumber", width=float(page.width),
                              height=float(page.height))
        objects = page.objects
        raw_chars = objects.get("char", [])
        content.raw_chars = len(raw_chars)
        if len(raw_chars) > self.max_chars:
            raise PageTooLarge(
                f"page has {len(raw_chars)} glyphs, over the limit of {self.max_chars}")
        pending = 0
        for c in raw_chars:
            text = c["text"]
            if text.isspace():
                pending = 2
                continue
            if text.startswith("(cid:") or text == "\ufffd":
                content.unmapped += 1
                continue
            size = float(c["size"])
            if size <= 0 or not c.get("upright", True):
                continue
            base = float(c["bottom"]) - 0.2 * size if "matrix" not in c else (
                content.height - float(c["matrix"][5]))
            content.chars.append(
                Char(text, float(c["x0"]), float(c["x1"]), base, size, c["fontname"], pending))
            pending = 0
        for kind in ("line", "rect"):
            for obj in objects.get(kind, []):
                box = (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))
                if (box[2] - box[0]) * (box[3] - box[1]) > 0.6 * content.width * content.height:
                    continue  # page background
                for orient, rule in rules_from_box(box):
                    (content.hrules if orient == "h" else content.vrules).append(rule)
        for obj in objects.get("image", []):
            box = (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))
            if (box[2] - box[0]) * (box[3] - box[1]) > 0.6 * content.width * content.height:
                content.full_images += 1  # a scan behind an OCR layer: not a layout item
            else:
                content.images.append(box)
        return content
