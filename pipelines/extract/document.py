"""A whole PDF in, one result per page out; only a file that cannot be opened raises."""

from __future__ import annotations

import os
from typing import Any

from .chars import CharSource, PageContent, PageTooLarge
from .columns import LayoutTimeout
from .health import INCOMPLETE, lost_text, seen_only, unread_reason, unread_text
from .page import extract_page, page_result
from .reread import ScanReader

MAX_CHARS = 120_000  # glyphs per page; a denser page gets status "error"
PAGE_BUDGET = 10.0  # seconds of layout analysis per page
# Pages a PDF may declare: a page tree saying /Count 1000000 over one real page would
# otherwise give a million "cannot read page" results (and take minutes to list them).
MAX_PAGES = 1_000
SOURCES = ("pypdfium2", "pdfplumber")


class ExtractError(Exception):
    """The file as a whole cannot be read; the message is the reason to record."""


def _sniff(path: str) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise ExtractError("empty file (0 bytes)")
    if b"%PDF-" not in head:
        lowered = head.lstrip().lower()
        if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
            raise ExtractError("not a PDF: the file is an HTML/XML page (an error or soft-404 "
                               "page saved as .pdf)")
        raise ExtractError(f"not a PDF: no %PDF- header (starts with {head[:16]!r})")


def open_source(path: str, source: str) -> CharSource:
    """Open ``path`` with the named char source, mapping library errors to ExtractError."""
    if source not in SOURCES:
        raise ValueError(f"unknown char source {source!r}; choose one of {SOURCES}")
    _sniff(path)
    try:
        if source == "pypdfium2":
            from .pdfium_source import PdfiumSource

            opened: CharSource = PdfiumSource(path, MAX_CHARS)
        else:
            from .plumber_source import PlumberSource

            opened = PlumberSource(path, MAX_CHARS)
    except Exception as exc:
        raise ExtractError(_open_reason(exc, path)) from exc
    if opened.page_count == 0:
        opened.close()
        raise ExtractError("PDF has zero pages")
    if opened.page_count > MAX_PAGES:
        count = opened.page_count
        opened.close()
        raise ExtractError(f"PDF declares {count:,} pages, over the limit of {MAX_PAGES:,}")
    return opened


def _open_reason(exc: Exception, path: str) -> str:
    """A clear reason from a library's open error (pdfium and pdfminer word them tersely)."""
    cause = exc.__cause__ or exc.__context__
    text = " ".join(str(e) for e in (exc, cause) if e is not None and str(e)).strip()
    kind = " ".join(type(e).__name__ for e in (exc, cause) if e is not None)
    low = f"{text} {kind}".lower()
    with open(path, "rb") as fh:
        has_encrypt = b"/Encrypt" in fh.read()
    if has_encrypt and ("password" in low or "encrypt" in low or "security" in low):
        return f"encrypted PDF: a password is needed to open it ({text or kind})"
    if "password" in low:  # pdfium says so for a document without a page tree, too
        return "PDF has zero pages (or an unreadable page tree)"
    if any(w in low for w in ("format", "syntax", "eof", "xref", "trailer", "parse")):
        return f"corrupt or truncated PDF: {text or kind}"
    return f"cannot open PDF: {kind}: {text}"


def extract_pdf(path: str | os.PathLike[str], source: str = "pypdfium2",
                reread: bool = True) -> dict[str, Any]:
    """Extract the articles of every page of a PDF (see docs/architecture.md). With
    ``reread``, headings of scanned pages are read again from the scan with Tesseract
    (seconds a page: a backfill of scans may want it off, see EXTRACT_REREAD_SCANS)."""
    opened = open_source(os.fspath(path), source)
    # the reader opens the PDF again only for a scanned page
    reader = ScanReader(os.fspath(path)) if reread else None
    second = SecondReading(os.fspath(path))
    pages = []
    try:
        for number, content in enumerate(opened.pages(), start=1):
            if isinstance(content, PageTooLarge):
                pages.append(page_result(number, "error", f"page too large: {content}"))
            elif isinstance(content, Exception):
                pages.append(page_result(number, "error", f"cannot read page: "
                                         f"{type(content).__name__}: {content}"))
            elif unread_text(content):
                content, failure = second.check(content)
                if failure:
                    pages.append(page_result(number, INCOMPLETE, failure))
                else:
                    pages.append(_safe_page(content, reader))
            else:
                pages.append(_safe_page(content, reader))
    finally:
        opened.close()
        second.close()
        if reader is not None:
            reader.close()
    return {"pages": pages}


class SecondReading:
    """pdfminer (through pdfplumber) reads again a page whose text objects pdfium did not
    all read; its reading is kept when it holds glyphs where pdfium's has none
    (``health.lost_text``). The file is opened once, at the first page that needs it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._source = None

    def check(self, content: PageContent) -> tuple[PageContent, str | None]:
        """The page's better reading, or the first with the reason it cannot be trusted."""
        try:
            if self._source is None:
                from .plumber_source import PlumberSource, without_overprints

                self._source = PlumberSource(self.path, MAX_CHARS)
            if content.rotation or content.to_display or content.vertical is not None:
                return content, unread_reason(  # pdfminer reads no page turned
                    content, "the page is read turned, which a second reading cannot")
            again = self._source.read(content.number)
            if not lost_text(content, again):
                return content, None
            again.chars = without_overprints(again.chars)  # as pdfium's reading drops them
            return seen_only(again, content), None
        except Exception as exc:  # pdfminer fails where pdfium did not: say so
            return content, unread_reason(
                content, f"a second reading failed ({type(exc).__name__}: {exc})")

    def close(self) -> None:
        if self._source is not None:
            self._source.close()


def _safe_page(content: PageContent, reader: ScanReader | None) -> dict:
    try:
        return {**extract_page(content, PAGE_BUDGET, reader), "reader": content.reader}
    except LayoutTimeout:
        return page_result(content.number, "error",
                           f"page too complex: layout took over {PAGE_BUDGET:.0f} s")
    except RecursionError:
        return page_result(content.number, "error", "page too complex: layout nesting too deep")
    except Exception as exc:  # a bug on one page must not lose the others
        return page_result(content.number, "error",
                           f"extraction failed: {type(exc).__name__}: {exc}")
