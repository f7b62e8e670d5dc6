"""Running under cron for years: locks, exit status, resume after kill -9, faults, versions."""

from __future__ import annotations

import asyncio
import datetime
import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.cli import EXIT_ALREADY_RUNNING, cli
from crawler.demo.editions import edition_specs
from crawler.demo.server import LocalSite
from crawler.demo.site import build_site
from crawler.demo.typesetter import typeset_page
from crawler.locking import paper_lock
from pipelines import files as files_pipeline
from tests.crawling import run_spider
from tests.faults import Fault, FaultPlan

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")
DATES = [datetime.date(2023, 6, d) for d in range(10, 16)]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory) -> Path:
    """A demo-style site: 6 dates x 4 pages."""
    root = tmp_path_factory.mktemp("sample")
    build_site(root, dates=DATES, pages=4)
    return root


def rows(db: Path, sql: str) -> list[tuple]:
    # read-only: never creates the file (a 0-byte archive.db is refused by the crawl)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def archive_content(db: Path) -> tuple[list, list]:
    """What a crawl archived, without ids and times (for comparing two archives)."""
    pages = rows(db, "select date, page_no, sha256, status from pages order by date, page_no")
    articles = rows(
        db,
        "select date, page_no, seq, title, byline, body, captions from articles "
        "order by date, page_no, seq",
    )
    return pages, articles


def crawl_cli(site: LocalSite, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NEWSARCHIVE, "crawl", "xcrb", "--base-url", f"{site.url}/xcrb/", *FAST, *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_second_crawl_of_a_paper_exits_at_once(tmp_path):
    with paper_lock(tmp_path / "locks", "xcrb"):
        result = CliRunner().invoke(cli, ["crawl", "xcrb", "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == EXIT_ALREADY_RUNNING
    assert "a crawl of xcrb is already running" in result.output
    assert not (tmp_path / "archive.db").exists()


def test_exit_status_run_row_and_log_file(col_site, tmp_path):
    done = crawl_cli(col_site, tmp_path, "--from", "2023-06-16", "--to", "2023-06-17")
    assert done.returncode == 1, done.stderr
    assert "xcrb: errors: 2 new, 0 skipped, 3 failed pages" in done.stdout
    ((status, new, failed, log_file, stats),) = rows(
        tmp_path / "archive.db",
        "select status, pages_new, pages_failed, log_file, stats from crawl_runs",
    )
    assert (status, new, failed) == ("errors", 2, 3)
    assert json.loads(stats)["finish_reason"] == "finished"
    log = (tmp_path / log_file).read_text()
    assert "the page has no PDF link" in log
    # A day whose pages are all archived: nothing to do, exit 0.
    done = crawl_cli(col_site, tmp_path, "--from", "2023-06-16", "--to", "2023-06-16")
    assert done.returncode == 0, done.stderr
    assert "xcrb: ok: 0 new, 2 skipped, 0 failed pages" in done.stdout


def test_a_backfill_killed_mid_way_resumes_to_the_same_archive(sample_root, tmp_path):
    span = ["--from", str(DATES[0]), "--to", str(DATES[-1])]
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    reference.mkdir(), killed.mkdir()
    with LocalSite(sample_root) as site:
        assert crawl_cli(site, reference, *span).returncode == 0
    slow = FaultPlan(Fault(prefix="/xcrb/PC/attachement/", delay=0.4))
    with LocalSite(sample_root, faults=slow) as site:
        process = subprocess.Popen(
            [
                NEWSARCHIVE,
                "crawl",
                "xcrb",
                "--base-url",
                f"{site.url}/xcrb/",
                *FAST,
                *span,
                "-s",
                "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            ],
            cwd=killed,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        db = killed / "archive.db"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                if rows(db, "select count(*) from pages")[0][0] >= 5:
                    break
            except sqlite3.OperationalError:
                pass  # not created yet
        process.send_signal(signal.SIGKILL)
        process.wait()
        partial = rows(db, "select count(*) from pages")[0][0]
        assert 5 <= partial < 24
        done = crawl_cli(site, killed, *span)
    assert done.returncode == 0, done.stderr
    assert archive_content(db) == archive_content(reference / "archive.db")
    assert rows(db, "select count(*) from pages")[0][0] == 24
    runs = rows(db, "select status, pages_new, pages_skipped from crawl_runs order by id")
    assert runs[0][0] == "interrupted"
    assert runs[1] == ("ok", 24 - partial, partial)


@deferred_f_from_coro_f
async def test_transient_faults_are_retried(sample_root, tmp_path):
    day = "/xcrb/PC/layout/202306/15/"
    faults = FaultPlan(
        Fault(prefix=day + "col01.html", status=429, retry_after=1, times=1),
        Fault(prefix=day + "col02.html", status=500, times=2),
        Fault(prefix="/xcrb/PC/attachement/202306/15/", reset=True, times=1),
    )
    with LocalSite(sample_root, faults=faults) as site:
        stats = await run_spider(
            tmp_path,
            paper="xcrb",
            start="2023-06-15",
            end="2023-06-15",
            base_url=f"{site.url}/xcrb/",
        )
        asked = [(p, t) for p, _, t in site.requests if p == day + "col01.html"]
    assert rows(tmp_path / "archive.db", "select page_no, status from pages order by page_no") == [
        (1, "ok"),
        (2, "ok"),
        (3, "ok"),
        (4, "ok"),
    ]
    assert faults.fired == {
        day + "col01.html": 1,
        day + "col02.html": 2,
        "/xcrb/PC/attachement/202306/15/": 1,
    }
    assert stats["retry/count"] >= 4
    (_, refused_at), (_, retried_at) = asked[:2]
    assert retried_at - refused_at >= 1.0  # Retry-After: 1 was honoured


@deferred_f_from_coro_f
async def test_a_response_slower_than_the_timeout_fails_the_page_only(sample_root, tmp_path):
    pdfs = "/xcrb/PC/attachement/202306/15/"
    first_pdf = sorted((sample_root / pdfs.strip("/")).iterdir())[0].name
    faults = FaultPlan(Fault(prefix=pdfs + first_pdf, delay=3))
    with LocalSite(sample_root, faults=faults) as site:
        await run_spider(
            tmp_path,
            settings={"DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1},
            paper="xcrb",
            start="2023-06-15",
            end="2023-06-15",
            base_url=f"{site.url}/xcrb/",
        )
    pages = rows(tmp_path / "archive.db", "select page_no, status, reason from pages")
    statuses = sorted((n, s) for n, s, _ in pages)
    assert statuses == [(1, "download_failed"), (2, "ok"), (3, "ok"), (4, "ok")]
    reason = next(r for n, s, r in pages if n == 1)
    assert "took longer than 1.0 seconds" in reason


@deferred_f_from_coro_f
async def test_conditional_requests_when_editions_are_visited_again(col_site, tmp_path):
    args = dict(
        paper="xcrb", start="2023-06-16", end="2023-06-16", base_url=f"{col_site.url}/xcrb/"
    )
    # Modified just now: RFC 2616's heuristic gives it no freshness, so it is revalidated.
    os.utime(col_site.root / "xcrb/PC/layout/202306/16/col01.html")
    await run_spider(tmp_path, **args)
    col_site.requests.clear()
    await run_spider(tmp_path, **args)
    edition = [h for p, h, _ in col_site.requests if p.endswith("/202306/16/col01.html")]
    assert edition and "If-Modified-Since" in edition[0]
    assert not any(p.endswith(".pdf") for p, *_ in col_site.requests)


@deferred_f_from_coro_f
async def test_a_pdf_that_changed_is_kept_as_a_new_version(tmp_path):
    root = tmp_path / "site"
    build_site(root, dates=[DATES[0]], pages=1)
    args = dict(paper="xcrb", start=str(DATES[0]), end=str(DATES[0]))
    with LocalSite(root) as site:
        await run_spider(tmp_path, base_url=f"{site.url}/xcrb/", **args)
        db = tmp_path / "archive.db"
        ((old_sha, old_path),) = rows(db, "select sha256, pdf_path from pages")
        (pdf,) = (root / "xcrb/PC/attachement").rglob("*.pdf")
        other = edition_specs("许昌日报", datetime.date(2024, 1, 2), pages=1, seed=99)[0]
        truth = typeset_page(other, pdf)
        await run_spider(tmp_path, base_url=f"{site.url}/xcrb/", refresh="1", **args)
    ((new_sha, new_path),) = rows(db, "select sha256, pdf_path from pages")
    assert new_sha != old_sha
    assert rows(db, "select sha256, pdf_path from page_versions") == [(old_sha, old_path)]
    assert (tmp_path / "files" / old_path).exists() and (tmp_path / "files" / new_path).exists()
    # The new PDF's articles; the site's article pages still describe the old one, and
    # stay beside them (unmatched).
    titles = [t for (t,) in rows(db, "select title from articles where source = 'pdf' "
                                     "order by seq")]
    assert titles == [a["title"] for a in truth["articles"]]
    assert rows(db, "select distinct match from articles where source = 'html'") == [
        ("missing",)
    ]


@deferred_f_from_coro_f
async def test_a_full_files_store_stops_the_crawl_and_keeps_the_archive(
    sample_root, tmp_path, monkeypatch
):
    with LocalSite(sample_root) as site:
        args = dict(base_url=f"{site.url}/xcrb/", paper="xcrb")
        await run_spider(tmp_path, start="2023-06-15", end="2023-06-15", **args)
        db = tmp_path / "archive.db"
        before = archive_content(db)

        def disk_full(target, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(files_pipeline, "write_once", disk_full)
        stats = await run_spider(tmp_path, start="2023-06-13", end="2023-06-14", **args)
    assert stats["finish_reason"] == "files_store_unwritable"
    failed = rows(db, "select status, reason from pages where date < '2023-06-15'")
    assert failed and all(s == "download_failed" for s, _ in failed)
    assert all("No space left on device" in r for _, r in failed)
    # No PDF, so none of its articles; the site's article pages were read: their text stays.
    assert rows(
        db, "select source, count(*) from articles where date < '2023-06-15' group by source"
    ) == [("html", len(rows(db, "select * from site_articles where date < '2023-06-15'")))]
    pages, articles = archive_content(db)
    assert [p for p in pages if p[0] == "2023-06-15"] == before[0]
    assert [a for a in articles if a[0] == "2023-06-15"] == before[1]


@deferred_f_from_coro_f
async def test_robots_txt_is_obeyed_unless_the_registry_overrides_it(tmp_path):
    root = tmp_path / "site"
    build_site(root, dates=[DATES[0]], pages=2)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    registry = tmp_path / "papers.toml"
    entry = (
        '[xcrb]\nname = "许昌日报"\nfamily = "founder_col"\nbase_url = "http://x/xcrb/"\n'
        'first_date = "2020-01-01"\n'
    )
    registry.write_text(entry)
    day = dict(start=str(DATES[0]), end=str(DATES[0]))
    with LocalSite(root) as site:
        obeying = tmp_path / "obeying"
        await run_spider(
            obeying, paper="xcrb", papers=str(registry), base_url=f"{site.url}/xcrb/", **day
        )
        assert rows(obeying / "archive.db", "select count(*) from pages") == [(0,)]
        ((reason,),) = rows(obeying / "archive.db", "select reason from failures")
        assert "robots.txt" in reason
        registry.write_text(entry + 'ignore_robots = "the site blocks every robot"\n')
        ignoring = tmp_path / "ignoring"
        await run_spider(
            ignoring, paper="xcrb", papers=str(registry), base_url=f"{site.url}/xcrb/", **day
        )
    db = ignoring / "archive.db"
    assert rows(db, "select status from pages") == [("ok",), ("ok",)]
    ((args,),) = rows(db, "select args from crawl_runs")
    assert json.loads(args)["robots"] == "ignored: the site blocks every robot"


@deferred_f_from_coro_f
async def test_datasette_reads_while_the_crawler_writes(sample_root, tmp_path):
    from publish.server import build_datasette

    db = tmp_path / "archive.db"
    from pipelines.archive import Archive

    Archive(db).close()  # the schema exists before Datasette opens the file
    datasette = build_datasette(db, files_dir=tmp_path / "files")
    statuses, counts, stop = [], [], threading.Event()

    def read_until_stopped() -> None:
        async def loop() -> None:
            while not stop.is_set():
                response = await datasette.client.get("/archive/articles.json?_size=5")
                statuses.append(response.status_code)
                if response.status_code == 200:
                    counts.append(response.json()["filtered_table_rows_count"])
                await asyncio.sleep(0.01)

        asyncio.run(loop())

    reader = threading.Thread(target=read_until_stopped)
    reader.start()
    try:
        with LocalSite(sample_root) as site:
            await run_spider(
                tmp_path,
                paper="xcrb",
                start=str(DATES[0]),
                end=str(DATES[-1]),
                base_url=f"{site.url}/xcrb/",
            )
    finally:
        stop.set()
        reader.join()
    assert statuses and set(statuses) == {200}
    assert counts == sorted(counts) and counts[-1] > counts[0]  # it saw the archive grow
    assert rows(db, "select count(*) from pages where status = 'ok'") == [(24,)]


def test_a_stored_pdf_is_written_once_and_never_truncated(tmp_path):
    """Two pages with the same PDF: the second store must not rewrite the file a worker may
    be reading (Scrapy's store truncates it in place)."""
    target = tmp_path / "pdf" / "ab" / "ab12.pdf"
    files_pipeline.write_once(target, b"%PDF-1.4 first")
    before = target.stat()
    files_pipeline.write_once(target, b"%PDF-1.4 first")
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert target.read_bytes() == b"%PDF-1.4 first"
    assert [p.name for p in target.parent.iterdir()] == ["ab12.pdf"]  # no temporary left


def test_a_damaged_http_cache_is_started_afresh(tmp_path):
    """The HTTP cache is an optimisation: a cache file that is not a database is replaced
    (logged), and the new one stores and returns responses."""
    from scrapy import Request, Spider
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.httpcache import SqliteCacheStorage

    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(tmp_path / "cache")})
    spider = Spider.from_crawler(crawler, name="epaper")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "epaper.sqlite").write_bytes(b"not a database" * 100)
    storage = SqliteCacheStorage(crawler.settings)
    storage.open_spider(spider)
    request = Request("http://127.0.0.1/xcrb/col01.html")
    assert storage.retrieve_response(spider, request) is None
    response = HtmlResponse(request.url, body="<html>版面</html>".encode(), encoding="utf-8",
                            headers={"Last-Modified": "Fri, 16 Jun 2023 00:00:00 GMT"})
    storage.store_response(spider, request, response)
    cached = storage.retrieve_response(spider, request)
    storage.close_spider(spider)
    assert cached.body == response.body and cached.headers["Last-Modified"] == (
        b"Fri, 16 Jun 2023 00:00:00 GMT")
