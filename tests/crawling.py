"""Run the real spider in-process (pytest-twisted's asyncio reactor) into a temporary archive."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.runner import crawl_settings, local_site_settings
from crawler.spiders.epaper import EpaperSpider


async def run_spider(tmp_path, settings: dict | None = None, **spider_args) -> dict:
    """Crawl into tmp_path/archive.db and tmp_path/files; return the crawler's stats."""
    values = crawl_settings(
        tmp_path / "archive.db",
        tmp_path / "files",
        EXTRACT_WORKERS=2,
        **{**local_site_settings(), **(settings or {})},
    )
    crawler = get_crawler(EpaperSpider, values)
    await crawler.crawl_async(**spider_args)
    return crawler.stats.get_stats()
