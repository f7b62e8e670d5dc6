"""Write each page and its articles to the archive (one transaction per page)."""

from __future__ import annotations

import json
from typing import Any

from crawler.items import PageFailure, PageItem
from pipelines.archive import Archive
from pipelines.extraction import page_status


def page_row(item: PageItem, extractor: str) -> dict:
    """The ``pages`` row of a crawled page: identity, provenance and extraction status."""
    doc = item.extraction or {}
    file = item.files[0] if item.files else {}
    if item.download_error:
        status, reason = "download_failed", item.download_error
    else:
        status = page_status(doc)
        reason = doc.get("reason") or next(
            (p.get("reason") for p in doc.get("pages", []) if p.get("reason")), None
        )
    return {
        "paper": item.paper,
        "date": item.date,
        "page_no": item.page_no,
        "page_label": item.page_label,
        "page_name": item.page_name,
        "page_url": item.page_url,
        "pdf_url": item.pdf_url,
        "pdf_path": file.get("path"),
        "sha256": file.get("checksum"),
        "size": file.get("size"),
        "http_status": item.http_status,
        "fetched_at": item.fetched_at,
        "extractor": extractor if doc.get("pages") else None,
        "extractor_version": doc.get("extractor_version"),
        "status": status,
        "reason": reason,
        "header": "\n".join(p.get("header") or "" for p in doc.get("pages", [])).strip() or None,
        "hints": json.dumps(item.hints, ensure_ascii=False) if item.hints else None,
    }


def articles_of(doc: dict | None) -> list[dict]:
    """All articles of a document, page after page."""
    return [a for page in (doc or {}).get("pages", []) for a in page.get("articles", [])]


class ArchivePipeline:
    """Stores PageItems and PageFailures; counts new and failed pages in the stats."""

    def __init__(self, db_path: str, extractor: str):
        self.db_path = db_path
        self.extractor = extractor
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler) -> ArchivePipeline:
        pipeline = cls(crawler.settings.get("ARCHIVE_DB"), crawler.settings.get("EXTRACT_SOURCE"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.archive = Archive(self.db_path)
        paper = self.crawler.spider.paper
        self.archive.upsert_paper(paper.as_row())

    def close_spider(self, spider=None) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Any, spider=None) -> Any:
        stats = self.crawler.stats
        run_id = stats.get_value("newsarchive/run_id")
        if isinstance(item, PageFailure):
            self.archive.record_failure(
                paper=item.paper,
                date=item.date,
                page_no=item.page_no,
                url=item.url,
                stage=item.stage,
                reason=item.reason,
                run_id=run_id,
            )
            stats.inc_value(f"newsarchive/failures/{item.stage}")
            return item
        if isinstance(item, PageItem):
            row = page_row(item, self.extractor)
            self.archive.save_page(row, articles_of(item.extraction), run_id=run_id)
            ok = row["status"] == "ok"
            stats.inc_value("newsarchive/pages_ok" if ok else "newsarchive/pages_failed")
            stats.inc_value("newsarchive/bytes", row["size"] or 0)
        return item
