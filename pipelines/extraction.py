"""Run the extraction engine on each downloaded PDF in a process pool.

Extraction is CPU-bound pure Python: on the reactor thread it would stall every download
(shared/research/scrapy-practice.md §1.2). The pool is ``pipelines.sandbox``'s: pebble
workers with a memory limit (RLIMIT_AS, EXTRACT_MEMORY_LIMIT_MB) and a per-task timeout
(EXTRACT_TIMEOUT) that end a hostile PDF's task with a reason, recycled after N tasks.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from crawler.items import PageItem
from pipelines.sandbox import (
    MAX_TASKS,
    MEMORY_LIMIT_MB,
    TIMEOUT_S,
    failure_reason,
    is_host_fault,
    new_pool,
    start_pool,
)

__all__ = ["ExtractPipeline", "extract_file", "new_pool", "start_pool"]


def extract_file(path: str, source: str, reread: bool = True) -> dict:
    """Worker entry point: the engine's output, or a document-level error as a status."""
    from pipelines.extract import EXTRACTOR_VERSION, ExtractError, extract_pdf

    try:
        doc = extract_pdf(path, source=source, reread=reread)
    except ExtractError as exc:
        return {"status": "error", "reason": str(exc), "pages": [],
                "extractor_version": EXTRACTOR_VERSION}
    return {**doc, "extractor_version": EXTRACTOR_VERSION, "page_size": page_size(path)}


def page_size(path: str) -> list[float] | None:
    """[width, height] in points of the PDF's first page (hot-spot pixels map onto it)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return None
    try:
        return [round(v, 2) for v in document[0].get_size()] if len(document) else None
    finally:
        document.close()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class ExtractPipeline:
    """Fill ``item.extraction`` from the stored PDF; never raise for a bad PDF."""

    def __init__(
        self,
        files_store: str,
        source: str,
        workers: int,
        max_tasks: int,
        timeout: float,
        nice: int = 0,
        reread: bool = True,
        memory_mb: int = MEMORY_LIMIT_MB,
    ):
        self.files_store = Path(files_store)
        self.source = source
        self.workers = workers or default_workers()
        self.max_tasks = max_tasks
        self.timeout = timeout
        self.nice = nice
        self.reread = reread
        self.memory_mb = memory_mb
        self.pool = None

    @classmethod
    def from_crawler(cls, crawler) -> ExtractPipeline:
        s = crawler.settings
        pipeline = cls(
            s.get("FILES_STORE"),
            s.get("EXTRACT_SOURCE", "pypdfium2"),
            s.getint("EXTRACT_WORKERS"),
            s.getint("EXTRACT_MAX_TASKS_PER_CHILD", MAX_TASKS),
            s.getfloat("EXTRACT_TIMEOUT", TIMEOUT_S),
            s.getint("EXTRACT_NICE", 0),
            s.getbool("EXTRACT_REREAD_SCANS", True),
            s.getint("EXTRACT_MEMORY_LIMIT_MB", MEMORY_LIMIT_MB),
        )
        pipeline.stats = crawler.stats
        return pipeline

    async def open_spider(self, spider=None) -> None:
        # Starting the forkserver and the workers takes a few hundred ms: not on the reactor.
        self.pool = await asyncio.to_thread(
            start_pool, self.workers, self.max_tasks, self.nice, self.memory_mb)

    async def close_spider(self, spider=None) -> None:
        if self.pool is not None:
            self.pool.close()
            await asyncio.to_thread(self.pool.join)

    async def process_item(self, item: Any, spider=None) -> Any:
        if not isinstance(item, PageItem) or not item.files:
            return item
        path = str(self.files_store / item.files[0]["path"])
        item.extraction = await self.extract(path)
        self.stats.inc_value(f"newsarchive/extract/{page_status(item.extraction)}")
        return item

    async def extract(self, path: str) -> dict:
        """The engine's document for ``path``; a timeout or crash becomes a status."""
        try:
            future = self.pool.schedule(extract_file, (path, self.source, self.reread),
                                        timeout=self.timeout)
            return await asyncio.wrap_future(future)
        except Exception as exc:  # a worker over a limit or dead, a bug: not the crawl's end
            return failed_extraction(exc, self.timeout, self.memory_mb)


def failed_extraction(exc: BaseException, timeout: float,
                      memory_mb: int = MEMORY_LIMIT_MB) -> dict:
    """The document recorded when a pool task did not return one (``host_fault``: no
    worker could run it, which does not count as one of the page's attempts)."""
    doc = {"status": "error", "reason": failure_reason(exc, timeout, memory_mb)}
    return {**doc, "host_fault": True} if is_host_fault(exc) else doc


def page_status(doc: dict) -> str:
    """One status for a document: its own, else the first non-ok page's, else ok."""
    if doc.get("status"):
        return doc["status"]
    for page in doc.get("pages", []):
        if page.get("status", "ok") != "ok":
            return page["status"]
    return "ok" if doc.get("pages") else "no_text"


def extraction_fields(doc: dict, source: str) -> dict:
    """The ``pages`` columns an extraction result sets: status, reason, header, extractor."""
    pages = doc.get("pages", [])
    reason = doc.get("reason") or next((p["reason"] for p in pages if p.get("reason")), None)
    header = "\n".join(p.get("header") or "" for p in pages).strip()
    # the char source of each page: the configured one, or pdfminer where it read a page again
    readers = sorted({p["reader"] for p in pages if p.get("reader")})
    fields = {
        "status": page_status(doc),
        "reason": reason,
        "header": header or None,
        "extractor": ",".join(readers) if readers else (source if pages else None),
        "extractor_version": doc.get("extractor_version"),
    }
    if doc.get("page_size"):  # unknown for a PDF that did not open: keep the stored size
        fields["width"], fields["height"] = doc["page_size"]
    return fields


def articles_of(doc: dict | None) -> list[dict]:
    """All articles of a document, page after page."""
    return [a for page in (doc or {}).get("pages", []) for a in page.get("articles", [])]
