"""Faults of our own host never use up a page's attempts; pages given up are reported
(issue #14, item 4)."""

from __future__ import annotations

import datetime
import errno
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.cli import EXIT_PAGES_FAILED, cli
from crawler.demo.server import LocalSite
from crawler.demo.site import build_site
from pipelines import files as files_pipeline
from tests.crawling import run_spider
from tests.faults import Fault, FaultPlan

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")
DAY = datetime.date(2023, 6, 15)
PDFS = "/xcrb/PC/attachement/202306/15/"


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    build_site(root, dates=[DAY], pages=2)
    return root


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@deferred_f_from_coro_f
async def test_a_full_disk_never_uses_up_a_pages_attempts(site_root, tmp_path, monkeypatch):
    """Three crawls on a full disk with PAGE_MAX_ATTEMPTS=2, then one with space: every page
    is archived, none given up."""

    def disk_full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    settings = {"PAGE_MAX_ATTEMPTS": 2}
    db = tmp_path / "archive.db"
    with LocalSite(site_root) as site:
        args = dict(base_url=f"{site.url}/xcrb/", paper="xcrb", start=DAY.isoformat(),
                    end=DAY.isoformat())
        with monkeypatch.context() as patch:
            patch.setattr(files_pipeline, "write_once", disk_full)
            for _ in range(3):
                await run_spider(tmp_path, settings, **args)
        stored = rows(db, "select stage, reason from failures where page_no is not null")
        assert stored and {s for s, _ in stored} == {"host"}
        assert all("cannot store the PDF: [Errno 28] No space left" in r for _, r in stored)
        stats = await run_spider(tmp_path, settings, **args)
    assert stats.get("newsarchive/pages_given_up", 0) == 0
    assert rows(db, "select page_no, status from pages order by page_no") == [(1, "ok"), (2, "ok")]


def test_given_up_pages_fail_the_run_and_are_listed_by_status(site_root, tmp_path):
    pdf = sorted((site_root / PDFS.strip("/")).iterdir())[0].name
    faults = FaultPlan(Fault(prefix=PDFS + pdf, status=404))
    command = [NEWSARCHIVE, "crawl", "xcrb", "--from", DAY.isoformat(), "--to",
               DAY.isoformat(), "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "PAGE_MAX_ATTEMPTS=1"]
    with LocalSite(site_root, faults=faults) as site:
        command += ["--base-url", f"{site.url}/xcrb/"]
        first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                               timeout=300)
        assert first.returncode == EXIT_PAGES_FAILED, first.stderr
        assert "xcrb: errors: 1 new, 0 skipped, 1 failed pages\n" in first.stdout
        second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                timeout=300)
    assert second.returncode == EXIT_PAGES_FAILED, second.stderr
    assert "xcrb: errors: 0 new, 1 skipped, 0 failed pages, 1 given up\n" in second.stdout
    db = tmp_path / "archive.db"
    assert rows(db, "select status, pages_given_up from crawl_runs order by id") == [
        ("errors", 0), ("errors", 1)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("crawler.settings.PAGE_MAX_ATTEMPTS", 1)
        result = CliRunner().invoke(cli, ["status", "--db", str(db)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Given up (1 pages, 1+ failed attempts)" in result.output
    assert "2023-06-15" in result.output and "PDF download failed: HTTP 404" in result.output


def test_an_extraction_without_a_worker_is_our_hosts_fault(tmp_path):
    """No worker could be started (fork refused): recorded at stage host, no attempt used."""
    from scrapy.utils.test import get_crawler

    from crawler.items import PageItem
    from pipelines.archive import Archive
    from pipelines.extraction import failed_extraction
    from pipelines.storage import ArchivePipeline

    doc = failed_extraction(OSError(errno.EAGAIN, "Resource temporarily unavailable"), 120)
    assert doc == {"status": "error", "host_fault": True, "reason":
                   "extraction failed: BlockingIOError(11, 'Resource temporarily unavailable')"}
    pipeline = ArchivePipeline(str(tmp_path / "archive.db"), "pypdfium2")
    pipeline.crawler = get_crawler(settings_dict={})
    pipeline.archive = Archive(tmp_path / "archive.db")
    pipeline.process_item(PageItem(
        paper="xcrb", date=DAY.isoformat(), page_no=1, page_label="01", page_name=None,
        page_url="https://example.org/1.html", pdf_url="https://example.org/1.pdf",
        files=[{"path": "pdf/aa/a.pdf", "checksum": "a" * 64, "size": 10}], extraction=doc))
    assert rows(tmp_path / "archive.db", "select stage from failures") == [("host",)]
    assert pipeline.archive.failed_attempts("xcrb", DAY.isoformat(), DAY.isoformat()) == {}
    pipeline.archive.close()
