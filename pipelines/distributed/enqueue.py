"""``EnqueuePipeline``: a distributed backfill's only item pipeline, in place of download,
extraction and storage. The spider still walks the paper's editions on the archive's host
(pages already archived are skipped, as in any crawl); each page it finds becomes one job
(download + extract) for the workers, with its provenance (page and PDF URLs, page name,
hints). Dates and pages that failed before a PDF URL was known are recorded here, as the
ArchivePipeline does.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from crawler.items import PageFailure, PageItem
from pipelines.archive import Archive
from pipelines.distributed import queues
from pipelines.distributed.runs import add_total, enqueue, fetch_jobs, mark_fed, new_run
from pipelines.storage import page_row

POLL_S = 0.1  # how often the crawl, its queue full, looks again (the reactor goes on meanwhile)


def page_identity(item: PageItem) -> dict:
    """The ``pages`` columns a backfill job carries to its result (the worker adds the rest),
    and the site's article pages the spider fetched for the page, stored with the result."""
    site = {"site_articles": item.site_articles} if item.site_articles is not None else {}
    return {
        **site,
        "paper": item.paper,
        "date": item.date,
        "page_no": item.page_no,
        "page_label": item.page_label,
        "page_name": item.page_name,
        "page_url": item.page_url,
        "pdf_url": item.pdf_url,
        "hints": json.dumps(item.hints, ensure_ascii=False) if item.hints else None,
    }


class EnqueuePipeline:
    """PageItems become jobs on Redis (bounded: the crawl waits while its run is full)."""

    def __init__(self, settings):
        self.url = settings.get("DISTRIBUTED_REDIS")
        self.db_path = settings.get("ARCHIVE_DB")
        self.fetch = {
            "user_agent": settings.get("USER_AGENT"),
            "rate": settings.getint("DISTRIBUTED_HOST_RATE"),
            "timeout": settings.getfloat("DOWNLOAD_TIMEOUT"),
            "obey_robots": settings.getbool("ROBOTSTXT_OBEY"),
        }
        self.options = {
            "source": settings.get("EXTRACT_SOURCE"),
            "reread": settings.getbool("EXTRACT_REREAD_SCANS"),
            "timeout": settings.getfloat("EXTRACT_TIMEOUT"),
            "shared_files": settings.getbool("DISTRIBUTED_SHARED_FILES"),
        }

    @classmethod
    def from_crawler(cls, crawler) -> EnqueuePipeline:
        pipeline = cls(crawler.settings)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None) -> None:
        spider = self.crawler.spider
        self.broker = queues.make_broker(self.url)
        self.run = new_run(self.broker.client, "backfill", {"paper": spider.paper.id})
        self.crawler.stats.set_value("newsarchive/distributed_run", self.run)
        if spider.paper.ignore_robots:
            self.fetch["obey_robots"] = False
        self.archive = Archive(self.db_path)
        self.archive.upsert_paper(spider.paper.as_row())

    def close_spider(self, spider=None) -> None:
        mark_fed(self.broker.client, self.run)
        self.archive.close()

    async def process_item(self, item: Any, spider=None) -> Any:
        stats = self.crawler.stats
        if isinstance(item, PageFailure):
            self.archive.record_failure(
                paper=item.paper, date=item.date, page_no=item.page_no, url=item.url,
                stage=item.stage, reason=item.reason,
                run_id=stats.get_value("newsarchive/run_id"),
            )
            stats.inc_value(f"newsarchive/failures/{item.stage}")
            return item
        if isinstance(item, PageItem) and item.pdf_url is None and not item.files:
            # Article pages but no PDF: nothing for a worker; stored here, as a crawl does.
            self.archive.save_page(page_row(item, self.options["source"]), [],
                                   site_articles=item.site_articles,
                                   run_id=stats.get_value("newsarchive/run_id"))
            stats.inc_value("newsarchive/pages_html_only")
            return item
        if isinstance(item, PageItem):
            inflight = queues.inflight_key(self.run)
            while self.broker.client.hlen(inflight) >= queues.QUEUE_BOUND:
                await asyncio.sleep(POLL_S)
            for job in fetch_jobs(self.run, [page_identity(item)], self.fetch, self.options):
                enqueue(self.broker, job)
            add_total(self.broker.client, self.run)
            stats.inc_value("newsarchive/pages_queued")
        return item
