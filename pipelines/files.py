"""Download page PDFs with Scrapy's FilesPipeline, check them, store them by content.

Over the stock pipeline this adds: a Referer (many e-paper CDNs refuse PDFs without one, and
media requests skip the Referer middleware), a check that the body is a PDF (servers answer
missing pages with an HTML page and status 200), content-addressed paths
``pdf/ab/<sha256>.pdf`` (a PDF that changes at the same URL is kept as a new file), and
provenance on the item (HTTP status, time fetched, sha256, size).
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import FileException

from crawler.items import PageItem
from pipelines.archive.store import now
from pipelines.pdf_header import has_pdf_header

logger = logging.getLogger(__name__)

# Errors of the files store itself (full disk, read-only, permissions), not of one download.
STORE_ERRNOS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.ENOTDIR,
    errno.EEXIST,
}


def is_store_fault(error: BaseException) -> bool:
    """Whether ``error`` is the files store's own (full disk, read-only, permissions)."""
    cause = error.__cause__
    return isinstance(cause, OSError) and cause.errno in STORE_ERRNOS


def check_pdf(body: bytes, content_type: str = "") -> None:
    """Raise FileException with a clear reason when ``body`` is not a PDF file (header at
    its start: ``pipelines.pdf_header``)."""
    if not body:
        raise FileException("empty body instead of a PDF")
    if not has_pdf_header(body):
        head = body[:60].decode("utf-8", "replace").strip()
        kind = content_type or "unknown type"
        raise FileException(f"not a PDF ({kind}), starts with {head!r}")


def write_once(target: Path, data: bytes) -> None:
    """Write a content-addressed file unless it exists; readers never see it half-written."""
    if target.exists():
        return  # same name, same bytes
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def content_path(sha256: str) -> str:
    """Where a PDF with this sha256 is stored, relative to FILES_STORE."""
    return f"pdf/{sha256[:2]}/{sha256}.pdf"


class PdfFilesPipeline(FilesPipeline):
    """FilesPipeline for page PDFs (see the module docstring)."""

    def get_media_requests(self, item: Any, info) -> list[Request]:
        if not isinstance(item, PageItem):
            return []
        # The spider marks papers whose registry entry overrides robots.txt.
        meta = {"dont_obey_robotstxt": True} if info.spider.paper.ignore_robots else {}
        return [
            Request(url, headers={"Referer": item.page_url}, meta=meta, callback=NO_CALLBACK)
            for url in item.file_urls
        ]

    def media_to_download(self, request: Request, info, *, item: Any = None):
        """Always download: the spider asks only for pages not archived yet, and a
        content-addressed path is known only once the body is there."""
        return None

    async def media_downloaded(self, response: Response, request: Request, info, *, item=None):
        if item is not None:
            item.http_status = response.status
            item.fetched_at = now()
        if response.status != 200:
            raise FileException(f"PDF download failed: HTTP {response.status}")
        check_pdf(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        request.meta["sha256"] = hashlib.sha256(response.body).hexdigest()
        try:
            result = await super().media_downloaded(response, request, info, item=item)
        except FileException as exc:
            if is_store_fault(exc):
                self.store_failed(exc.__cause__)
            raise
        result["size"] = len(response.body)
        return result

    def store_failed(self, error: OSError) -> None:
        """The files store is full or not writable: every further page would fail the same
        way, so stop the crawl with a clear reason (pages archived so far stay as they are)."""
        logger.error("cannot write to the files store %s: %s", self.store.basedir, error)
        self.crawler.stats.set_value("newsarchive/files_store_error", str(error))
        if self.crawler.engine and not getattr(self, "_closing", False):
            self._closing = True
            asyncio.ensure_future(
                self.crawler.engine.close_spider_async(reason="files_store_unwritable")
            )

    def media_failed(self, failure, request: Request, info):
        """Keep the cause (timeout, connection reset, robots.txt) as the failure reason."""
        if isinstance(failure.value, IgnoreRequest):
            return super().media_failed(failure, request, info)
        if isinstance(failure.value, FileException):  # ours, from media_downloaded
            raise failure.value
        logger.warning("PDF download failed: %s: %s", request.url, failure.value)
        raise FileException(f"PDF download failed: {failure.value!r}")

    def file_path(self, request: Request, response=None, info=None, *, item=None) -> str:
        sha256 = request.meta.get("sha256")
        if sha256 is None:  # only asked with a response; see media_to_download
            raise FileException("file_path needs the downloaded body")
        return content_path(sha256)

    async def file_downloaded(self, response: Response, request: Request, info, *, item=None):
        """Store the body; the checksum recorded is its sha256.

        Scrapy's filesystem store rewrites a file in place, so a second page with the same
        PDF would truncate the file a worker is reading: write once, atomically, instead.
        """
        if isinstance(self.store, FSFilesStore):
            target = Path(self.store.basedir) / content_path(request.meta["sha256"])
            write_once(target, response.body)
        else:
            await super().file_downloaded(response, request, info, item=item)
        return request.meta["sha256"]

    def item_completed(self, results, item: Any, info) -> Any:
        # MediaPipeline keeps every download's result for the whole crawl (to share it
        # between items asking for the same URL); a page PDF is asked for once, so drop it:
        # about 1 KB a page, which a 40,000-page backfill would otherwise hold to the end.
        for url in getattr(item, "file_urls", ()):
            info.downloaded.pop(self.crawler.request_fingerprinter.fingerprint(Request(url)), None)
        item = super().item_completed(results, item, info)
        if isinstance(item, PageItem):
            errors = [value.value for ok, value in results if not ok]
            if errors and not item.files:
                item.download_error = str(errors[0]) or "PDF download failed"
                if is_store_fault(errors[0]):
                    item.store_error = f"cannot store the PDF: {errors[0].__cause__}"
        return item
