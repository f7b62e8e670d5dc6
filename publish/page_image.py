"""Page images rendered from the stored PDFs, and the boxes of search hits on them.

A page is rendered by pypdfium2 at one of ``WIDTHS`` pixels and kept on disk under its PDF's
sha256 and the width (``<cache>/ab/<sha256>-<width>.jpg``), so a page is rendered once per
width however often it is viewed, and a changed PDF (a new sha256) gets new images. The
page's size in PDF points is kept beside them (``<sha256>.json``): the article boxes
(``articles.bbox``, points, origin top-left) are drawn over the image in those units.

Hit boxes come from the PDF's text at request time: the characters of the page in stream
order, with the glyph box of each, searched with the same rules as the article highlights
(:mod:`publish.highlight`), the boxes of one hit merged line by line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.archive.search import CJK
from publish.highlight import hits

WIDTHS = (400, 1000, 1600)  # pixels: thumbnail, page view, zoom
THUMB_WIDTH, VIEW_WIDTH = WIDTHS[0], WIDTHS[1]
JPEG_QUALITY = 82
_PDFIUM = threading.Lock()  # pdfium is not thread-safe; Datasette runs handlers in threads
_CJK_CHAR = re.compile(f"[{CJK}]")


class PageImageError(Exception):
    """The stored PDF cannot be rendered (missing, unreadable, not a PDF)."""


def file_sha256(path: Path) -> str:
    """The sha256 of a file (for pages stored without one)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class PageImages:
    """The rendered-image cache of one server: a directory, created on first use."""

    def __init__(self, cache_dir: str | Path):
        self.cache_dir = Path(cache_dir)

    def _path(self, sha256: str, suffix: str) -> Path:
        return self.cache_dir / sha256[:2] / f"{sha256}{suffix}"

    def cached(self, sha256: str, width: int) -> Path | None:
        """The cached image of the page at ``width``, if it was rendered before."""
        path = self._path(sha256, f"-{width}.jpg")
        return path if path.is_file() else None

    def image(self, pdf: Path, sha256: str, width: int) -> Path:
        """The page image at ``width`` (one of ``WIDTHS``), rendered now if not cached."""
        if width not in WIDTHS:
            raise ValueError(f"width must be one of {WIDTHS}")
        if cached := self.cached(sha256, width):
            return cached
        path = self._path(sha256, f"-{width}.jpg")
        with _PDFIUM:
            try:
                doc = pdfium.PdfDocument(str(pdf))
            except (pdfium.PdfiumError, OSError) as exc:
                raise PageImageError(f"cannot open {pdf.name}: {exc}") from exc
            try:
                page = doc[0]
                points = page.get_size()
                image = page.render(scale=width / points[0]).to_pil().convert("RGB")
            finally:
                doc.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, lambda fh: image.save(fh, "JPEG", quality=JPEG_QUALITY,
                                                   optimize=True))
        self._remember_size(sha256, points)
        return path

    def size(self, pdf: Path, sha256: str) -> tuple[float, float]:
        """The page's (width, height) in PDF points."""
        path = self._path(sha256, ".json")
        try:
            width, height = json.loads(path.read_text())
            return float(width), float(height)
        except (OSError, ValueError, TypeError):
            pass
        with _PDFIUM:
            try:
                doc = pdfium.PdfDocument(str(pdf))
            except (pdfium.PdfiumError, OSError) as exc:
                raise PageImageError(f"cannot open {pdf.name}: {exc}") from exc
            try:
                points = doc[0].get_size()
            finally:
                doc.close()
        self._remember_size(sha256, points)
        return points

    def _remember_size(self, sha256: str, points) -> None:
        path = self._path(sha256, ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps([round(points[0], 2), round(points[1], 2)]).encode()
        _write_atomic(path, lambda fh: fh.write(data))


def _write_atomic(path: Path, write) -> None:
    """Write through a temporary file and rename: a reader never sees half an image."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    with open(tmp, "wb") as fh:
        write(fh)
    os.replace(tmp, path)


def _page_chars(pdf: Path) -> tuple[list[str], list[tuple[float, float, float, float]], float]:
    """The characters of the PDF's first page in stream order, their boxes (points, origin
    top-left) and the page height. The boxes are pdfium's loose ones (advance by the font's
    ascent and descent): a glyph's ink box is flat when the host lacks the PDF's font (a
    non-embedded STSong-Light on a host with no CJK font), and a hit must be boxed anyway."""
    with _PDFIUM:
        try:
            doc = pdfium.PdfDocument(str(pdf))
        except (pdfium.PdfiumError, OSError) as exc:
            raise PageImageError(f"cannot open {pdf.name}: {exc}") from exc
        try:
            page = doc[0]
            height = page.get_size()[1]
            text = page.get_textpage()
            chars, boxes = [], []
            for i in range(text.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
                left, bottom, right, top = text.get_charbox(i, loose=True)
                chars.append(chr(code) if code else "")
                boxes.append((left, height - top, right, height - bottom))
            text.close()
        finally:
            doc.close()
    return chars, boxes, height


def hit_boxes(pdf: Path, query: str) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom in points) of the query's hits on the page: one box per
    hit and line. Line breaks are dropped between CJK characters and read as a space
    between others, so a hit running onto the next line of the stream is found."""
    if not query.strip():
        return []
    chars, boxes, _height = _page_chars(pdf)
    text, index = [], []  # the searched text, and the char each of its characters is
    for i, char in enumerate(chars):
        if char in "\r\n":
            before = text[-1] if text else ""
            after = next((c for c in chars[i + 1:] if c not in "\r\n"), "")
            if not (_is_cjk(before) or _is_cjk(after)) and before != " ":
                text.append(" ")
                index.append(None)
            continue
        text.append(char)
        index.append(i)
    joined = "".join(text)
    out = []
    for start, end in hits(joined, query):
        line: list[float] | None = None
        for pos in range(start, end):
            i = index[pos]
            if i is None or not chars[i].strip():
                continue
            x0, top, x1, bottom = boxes[i]
            if line and abs(top - line[1]) < 0.5 * (bottom - top) and x0 >= line[0] - 1:
                line = [min(line[0], x0), min(line[1], top), max(line[2], x1),
                        max(line[3], bottom)]
                continue
            if line:
                out.append(tuple(line))
            line = [x0, top, x1, bottom]
        if line:
            out.append(tuple(line))
    return [tuple(round(v, 2) for v in box) for box in out]


def _is_cjk(char: str) -> bool:
    return bool(char) and _CJK_CHAR.fullmatch(char) is not None
