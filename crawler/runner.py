"""Run crawls in this process with Scrapy's CrawlerProcess and report their outcome."""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.papers import registry_path
from crawler.spiders.epaper import EpaperSpider
from pipelines.archive import Archive


def project_settings(**overrides) -> dict:
    """The values of crawler.settings with overrides (KEY=value, as ``scrapy crawl -s``)."""
    module = import_module("crawler.settings")
    values = {key: getattr(module, key) for key in dir(module) if key.isupper()}
    return {**values, **overrides}


def crawl_settings(db: str | Path, files: str | Path, **overrides) -> dict:
    """Project settings for a crawl into ``db`` and ``files`` (HTTP cache beside the db)."""
    return project_settings(
        ARCHIVE_DB=str(db),
        FILES_STORE=str(files),
        HTTPCACHE_DIR=str(Path(db).resolve().parent / "httpcache"),
        **overrides,
    )


def local_site_settings() -> dict:
    """Overrides for a site on 127.0.0.1 (the demo, tests): no delays, no throttling."""
    return {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "WARNING",
    }


def crawl(
    papers: list[str],
    *,
    start: date | None = None,
    end: date | None = None,
    db: str | Path = "archive.db",
    files: str | Path = "files",
    base_url: str | None = None,
    registry: str | None = None,
    settings: dict | None = None,
    refresh: bool = False,
) -> list[dict]:
    """Crawl each paper over [start, end]; return their ``crawl_runs`` rows."""
    process = CrawlerProcess(Settings(crawl_settings(db, files, **(settings or {}))))
    own = registry or registry_path(db)  # the operator's registry extends the bundled one
    crawlers = []
    for paper in papers:
        crawler = process.create_crawler(EpaperSpider)
        crawlers.append(crawler)
        process.crawl(
            crawler,
            paper=paper,
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
            base_url=base_url,
            papers=str(own) if own else None,
            refresh=refresh,
        )
    process.start()
    runs = []
    with Archive(db) as archive:
        for crawler in crawlers:
            run_id = crawler.stats.get_value("newsarchive/run_id")
            if run_id is None:  # the spider never opened (bad arguments): say so
                runs.append({"paper": None, "status": "errors (not started)"})
            else:
                runs.append(archive.db["crawl_runs"].get(run_id))
    return runs
