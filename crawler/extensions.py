"""RunRecorder: one ``crawl_runs`` row per crawl, with its figures and outcome.

``scrapy crawl`` exits 0 even when pages failed; this row (and ``newsarchive crawl``'s exit
status, which reads it) is how cron learns that a run had errors.
"""

from __future__ import annotations

import json
import time

from scrapy import signals

from pipelines.archive import Archive


class RunRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id: int | None = None
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler) -> RunRecorder:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        args = {"paper": spider.paper.id, "start": spider.start_day, "end": spider.end}
        if spider.paper.ignore_robots:
            args["robots"] = f"ignored: {spider.paper.ignore_robots}"
        if spider.refresh:
            args["refresh"] = True
        with Archive(self.crawler.settings.get("ARCHIVE_DB")) as archive:
            self.run_id = archive.start_run(spider.paper.id, args)
        self.crawler.stats.set_value("newsarchive/run_id", self.run_id)

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        failed = stats.get_value("newsarchive/pages_failed", 0)
        given_up = stats.get_value("newsarchive/pages_given_up", 0)
        errors = stats.get_value("log_count/ERROR", 0)
        clean = reason == "finished" and not failed and not given_up and not errors
        status = "ok" if clean else "errors"
        with Archive(self.crawler.settings.get("ARCHIVE_DB")) as archive:
            archive.finish_run(
                self.run_id,
                pages_new=stats.get_value("newsarchive/pages_ok", 0),
                pages_skipped=stats.get_value("newsarchive/pages_skipped", 0),
                pages_failed=failed,
                pages_given_up=given_up,
                bytes=stats.get_value("newsarchive/bytes", 0),
                duration=round(time.monotonic() - self.started, 3),
                status=status if reason == "finished" else f"errors ({reason})",
                log_file=self.crawler.settings.get("LOG_FILE"),
                stats=json.dumps(stats.get_stats(), default=str, ensure_ascii=False),
            )
        stats.set_value("newsarchive/run_status", status)
