"""Write each page and its articles to the archive (one transaction per page)."""

from __future__ import annotations

import json
from typing import Any

from crawler.items import PageFailure, PageItem, SiteArticlesItem
from pipelines.archive import Archive, search
from pipelines.archive.schema import HOST_STAGE
from pipelines.extraction import articles_of, extraction_fields

NO_PDF_REASON = "the page has no PDF link: its articles are the site's article pages"


def page_row(item: PageItem, extractor: str) -> dict:
    """The ``pages`` row of a crawled page: identity, provenance and extraction status."""
    file = item.files[0] if item.files else {}
    if item.pdf_url is None and not item.files:  # the site has article pages, not a PDF
        extracted = {"status": "no_pdf", "reason": NO_PDF_REASON}
    elif item.store_error:
        extracted = {"status": "download_failed", "reason": item.store_error}
    elif item.download_error:
        extracted = {"status": "download_failed", "reason": item.download_error}
    elif item.extraction is None:  # extraction is off: `newsarchive reextract` does it later
        extracted = {"status": "pending", "reason": "not extracted yet"}
    else:
        extracted = extraction_fields(item.extraction or {}, extractor)
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
        "hints": json.dumps(item.hints, ensure_ascii=False) if item.hints else None,
        **extracted,
    }


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
        search.shadow_text("预热")  # builds its normalisation table now, not on the first page
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
        if isinstance(item, SiteArticlesItem):
            if item.site_articles:
                self.archive.add_site_articles(
                    item.paper, item.date, item.page_no, item.site_articles
                )
            return item
        if isinstance(item, PageItem):
            row = page_row(item, self.extractor)
            host_fault = item.store_error or (item.extraction or {}).get("host_fault")
            stage = HOST_STAGE if host_fault else None
            self.archive.save_page(
                row, articles_of(item.extraction), site_articles=item.site_articles,
                run_id=run_id, stage=stage,
            )
            if row["status"] in ("ok", "pending"):
                stats.inc_value("newsarchive/pages_ok")
            elif row["status"] == "no_pdf":
                stats.inc_value("newsarchive/pages_html_only")
            else:
                stats.inc_value("newsarchive/pages_failed")
            stats.inc_value("newsarchive/bytes", row["size"] or 0)
        return item
