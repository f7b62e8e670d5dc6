"""Performance contracts of the crawl: extraction never blocks the reactor, extraction workers
are recycled, and the crawler keeps no state per page (memory stays flat on long backfills).

The figures themselves (pages/s, RSS, ingest and re-extraction rates) are in bench/; the only
timed assertion here is the one the contract demands: while pages are being extracted, a
10 ms reactor timer is never more than 50 ms late (not counting time the kernel kept the
reactor thread waiting for a CPU, which on a shared machine is other processes' doing).
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import os
import sqlite3
import sys
import threading
import time
import weakref
from collections import Counter, deque
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

import pytest
from pebble import ProcessPool
from scrapy import signals
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.test import get_crawler

from crawler.demo.editions import broadsheet_specs
from crawler.demo.server import LocalSite
from crawler.demo.site import build_site
from crawler.demo.typesetter import typeset_page
from crawler.items import PageItem
from crawler.runner import crawl_settings, local_site_settings
from crawler.spiders.epaper import EpaperSpider
from pipelines.archive import search
from pipelines.extraction import ExtractPipeline, extract_file, new_pool
from tests.procfs import children, cmdline

DATES = [datetime.date(2023, 6, d) for d in range(1, 4)]  # 3 editions x 4 pages
PAGES = len(DATES) * 4
TICK = 0.010  # the reactor timer's interval
MAX_LATENESS = 0.050  # how late it may ever be while pages are extracted
MIN_OVERLAP = 0.5  # seconds of extraction the timer must have run through


def dense_root(root: Path, dates: list[datetime.date] = DATES) -> Path:
    """A 许昌日报-style site whose page PDFs are dense broadsheet pages (slow to extract)."""
    build_site(root, dates=dates, pages=4)
    pdfs = sorted((root / "xcrb" / "PC" / "attachement").rglob("*.pdf"))
    for spec, pdf in zip(broadsheet_specs(len(pdfs), seed=7), pdfs, strict=True):
        typeset_page(spec, pdf)
    return root


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory):
    """The dense site on 127.0.0.1."""
    root = dense_root(tmp_path_factory.mktemp("dense"))
    # The search index builds its table of characters NFKC changes on first use (~25 ms of
    # CPU, once a process): the archive's cost, not extraction's, so it is paid here.
    search.normalize("５Ｇ")
    with LocalSite(root) as site:
        yield site


async def crawl(tmp_path: Path, site: LocalSite, settings: dict[str, Any], **span: str):
    """Crawl the site's xcrb paper in this process (the test's reactor); return the crawler."""
    values = crawl_settings(
        tmp_path / "archive.db",
        tmp_path / "files",
        **{**local_site_settings(), "EXTRACT_WORKERS": 2, **settings},
    )
    crawler = get_crawler(EpaperSpider, values)
    await crawler.crawl_async(paper="xcrb", base_url=f"{site.url}/xcrb/", **span)
    return crawler


def full_span() -> dict[str, str]:
    return {"start": DATES[0].isoformat(), "end": DATES[-1].isoformat()}


# reactor lateness --------------------------------------------------------------------------


def main_thread_waits() -> float:
    """Seconds the calling thread has spent runnable but waiting for a CPU (Linux
    schedstat; 0 where unavailable)."""
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class ReactorProbe:
    """A reactor timer every ``interval`` s that records how late each call was.

    A call is late when the reactor thread was busy (Python work on it), blocked (I/O, a
    lock, the GIL held by another thread) or runnable but not given a CPU by the kernel. The
    last is the machine's load, not the crawler's doing: it is recorded apart (``queued``)
    and not counted as blocking.
    """

    def __init__(self, interval: float = TICK):
        from twisted.internet import reactor

        self.reactor = reactor
        self.interval = interval
        # (due, lateness, of which queued for a CPU), times from time.monotonic()
        self.ticks: list[tuple[float, float, float]] = []
        self.call = None

    def start(self) -> None:
        self.due = time.monotonic() + self.interval
        self.waited = main_thread_waits()
        self.call = self.reactor.callLater(self.interval, self._tick)

    def _tick(self) -> None:
        late = time.monotonic() - self.due
        queued = min(max(main_thread_waits() - self.waited, 0.0), max(late, 0.0))
        self.ticks.append((self.due, late, queued))
        self.start()

    def stop(self) -> None:
        if self.call is not None and self.call.active():
            self.call.cancel()

    def during(self, spans: list[tuple[float, float]]) -> list[tuple[float, tuple[float, float]]]:
        """(due, (blocked, lateness)) of the calls whose wait overlapped any of ``spans``."""
        return [
            (due, (late - queued, late))
            for due, late, queued in self.ticks
            if any(due <= b and due + late >= a for a, b in spans)
        ]


class TimedExtractPipeline(ExtractPipeline):
    """The real ExtractPipeline, noting when each page's extraction was in flight."""

    spans: list[tuple[float, float]] = []  # set by the test (kept off the instance)

    async def extract(self, path: str) -> dict:
        started = time.monotonic()
        try:
            return await super().extract(path)
        finally:
            self.spans.append((started, time.monotonic()))


class InlineExtractPipeline(TimedExtractPipeline):
    """What the contract forbids: extraction on the reactor thread (shows the probe works)."""

    async def extract(self, path: str) -> dict:
        started = time.monotonic()
        doc = extract_file(path, self.source)
        self.spans.append((started, time.monotonic()))
        return doc


def pipelines_with(extract: type) -> dict:
    return {
        "pipelines.files.PdfFilesPipeline": 100,
        extract: 300,
        "pipelines.storage.ArchivePipeline": 800,
    }


def union_length(spans: list[tuple[float, float]]) -> float:
    """Seconds during which at least one span was running."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


async def probed_crawl(tmp_path, site, extract: type, **span: str):
    """Crawl with ``extract`` as the extraction pipeline under a ReactorProbe."""
    extract.spans = []
    probe = ReactorProbe()
    probe.start()
    try:
        crawler = await crawl(
            tmp_path,
            site,
            {"EXTRACT_SOURCE": "pdfplumber", "ITEM_PIPELINES": pipelines_with(extract)},
            **span,
        )
    finally:
        probe.stop()
    return crawler, probe, list(extract.spans)


@deferred_f_from_coro_f
async def test_extraction_never_blocks_the_reactor(dense_site, tmp_path):
    crawler, probe, spans = await probed_crawl(
        tmp_path, dense_site, TimedExtractPipeline, **full_span()
    )
    stats = crawler.stats.get_stats()
    assert stats.get("newsarchive/extract/ok") == PAGES, stats
    assert len(spans) == PAGES
    # The timer really ran through extraction work: else a pass would prove nothing.
    overlap = union_length(spans)
    assert overlap >= MIN_OVERLAP, f"extraction in flight for {overlap:.2f} s only"
    calls = probe.during(spans)
    assert len(calls) >= overlap / TICK / 4, f"{len(calls)} timer calls in {overlap:.2f} s"
    blocked, late, due = max((b, late, due) for due, (b, late) in calls)
    assert blocked < MAX_LATENESS, (
        f"the reactor was blocked {blocked * 1000:.0f} ms (late {late * 1000:.0f} ms) at "
        f"{due - min(a for a, _ in spans):+.2f} s from the first page sent to extraction, "
        f"during {overlap:.2f} s of extraction ({len(calls)} timer calls)"
    )


@deferred_f_from_coro_f
async def test_the_probe_sees_extraction_on_the_reactor_thread(dense_site, tmp_path):
    """The counter-test: the same crawl with extraction inline blocks the reactor."""
    day = DATES[0].isoformat()
    _, probe, spans = await probed_crawl(
        tmp_path, dense_site, InlineExtractPipeline, start=day, end=day
    )
    assert len(spans) == 4
    assert max(blocked for _, (blocked, _) in probe.during(spans)) > MAX_LATENESS


# worker recycling and per-item state --------------------------------------------------------


def test_workers_are_recycled_after_max_tasks():
    """new_pool(workers, max_tasks): no worker process runs more than max_tasks tasks."""
    pool = new_pool(2, max_tasks=3)
    try:
        pids = [f.result(timeout=60) for f in [pool.schedule(os.getpid) for _ in range(12)]]
    finally:
        pool.close()
        pool.join()
    per_worker = Counter(pids)
    assert os.getpid() not in per_worker
    assert max(per_worker.values()) <= 3, per_worker
    assert len(per_worker) >= 4, per_worker


def _worker_state() -> tuple[bool, tuple[int, int, int], int]:
    """In a worker: is the engine imported, the collector's thresholds, objects frozen."""
    return "pipelines.extract.page" in sys.modules, gc.get_threshold(), gc.get_freeze_count()


def test_workers_start_with_the_engine_loaded_and_the_collector_tuned():
    """Workers fork from a server that imported the engine (pipelines.extract.warm): the
    engine is there before the first task, and the collector runs rarely, sparing what was
    loaded (frozen)."""
    from pipelines.extract.warm import OLDER_RUNS, YOUNG_OBJECTS

    pool = new_pool(1, max_tasks=0)
    try:
        loaded, threshold, frozen = pool.schedule(_worker_state).result(timeout=60)
    finally:
        pool.close()
        pool.join()
    assert loaded
    assert threshold == (YOUNG_OBJECTS, OLDER_RUNS, OLDER_RUNS)
    assert frozen > 10_000  # the modules, classes and functions loaded before the fork


# What a pipeline may hold without it growing page after page: bounded by design.
BOUNDED = {
    "store.created_directories",  # FSFilesStore: the pdf/xx/ directories made, at most 256
}
# Not walked into: code, connections, and the pool (pebble forgets each task once done).
OPAQUE = (
    ModuleType,
    type,
    FunctionType,
    MethodType,
    BuiltinFunctionType,
    sqlite3.Connection,
    ProcessPool,
)


def state_sizes(pipeline: Any, shared: set[int], depth: int = 6) -> dict[str, int]:
    """How many elements each container or object below ``pipeline`` holds, by attribute
    path (not into the crawler's shared components nor the process pool): what a pipeline
    keeping something per page grows."""
    sizes: dict[str, int] = {}
    seen = set(shared)
    queue = deque([(pipeline, "", 0)])  # breadth first: each object under its shortest path
    while queue:
        obj, path, level = queue.popleft()
        if id(obj) in seen or isinstance(obj, OPAQUE) or level > depth:
            continue
        seen.add(id(obj))
        if isinstance(obj, dict):
            children = [(f"{path}[]", v) for v in obj.values()] + [(f"{path}[]", k) for k in obj]
        elif isinstance(obj, list | tuple | set | frozenset | deque):
            children = [(f"{path}[]", v) for v in obj]
        elif hasattr(obj, "__dict__") and not isinstance(obj, str | bytes):
            children = [(f"{path}.{k}".lstrip("."), v) for k, v in vars(obj).items()]
        else:
            continue
        sizes[path] = sizes.get(path, 0) + len(children)
        queue.extend((child, child_path, level + 1) for child_path, child in children)
    return sizes


class StateProbe:
    """Last pipeline: the state sizes of every other pipeline once the last page has gone
    through them; a weak reference to each item (no item may outlive the crawl)."""

    last: dict[str, dict[str, int]] = {}
    items: list[weakref.ref] = []

    @classmethod
    def from_crawler(cls, crawler) -> StateProbe:
        probe = cls()
        probe.crawler = crawler
        return probe

    def process_item(self, item: Any, spider=None) -> Any:
        if isinstance(item, PageItem):
            crawler = self.crawler
            shared = {
                id(o)
                for o in (crawler, crawler.stats, crawler.settings, crawler.spider, self, item)
            }
            StateProbe.last = {
                type(p).__name__: state_sizes(p, shared)
                for p in crawler.engine.scraper.itemproc.middlewares
                if p is not self
            }
            StateProbe.items.append(weakref.ref(item))
        return item


async def final_state(tmp_path, site, settings: dict, **span: str) -> tuple[Any, dict]:
    """Crawl with a StateProbe last; the crawler and the pipelines' state after the last page."""
    StateProbe.last = {}
    pipelines = {**pipelines_with(ExtractPipeline), StateProbe: 900}
    crawler = await crawl(tmp_path, site, {**settings, "ITEM_PIPELINES": pipelines}, **span)
    return crawler, StateProbe.last


def grown(small: dict[str, int], large: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Paths holding more after the larger crawl than after the smaller one."""
    return {
        path: (small.get(path, 0), n)
        for path, n in large.items()
        if n > small.get(path, 0) and path.removesuffix("[]") not in BOUNDED
    }


@deferred_f_from_coro_f
async def test_workers_recycled_in_a_crawl_and_no_state_kept_per_page(dense_site, tmp_path):
    StateProbe.items = []
    day = DATES[0].isoformat()
    _, small = await final_state(tmp_path / "small", dense_site, {}, start=day, end=day)
    worker_pids: set[int] = set()
    watch = WorkerWatch(worker_pids)
    watch.start()
    try:
        crawler, large = await final_state(
            tmp_path / "large", dense_site, {"EXTRACT_MAX_TASKS_PER_CHILD": 2}, **full_span()
        )
    finally:
        watch.stop()
    stats = crawler.stats.get_stats()
    assert stats.get("newsarchive/extract/ok") == PAGES, stats
    # 12 pages, 2 workers of 2 pages each at most: 6 worker processes or more in turn (the
    # watch, every 50 ms, may miss one).
    assert len(worker_pids) >= 4, worker_pids
    # After 12 pages the extraction and archive pipelines hold what they held after 4.
    for name in ("ExtractPipeline", "ArchivePipeline"):
        assert not grown(small[name], large[name]), (name, grown(small[name], large[name]))
    gc.collect()
    alive = [ref for ref in StateProbe.items if ref() is not None]
    assert not alive, f"{len(alive)} of {len(StateProbe.items)} items outlived the crawl"


@deferred_f_from_coro_f
async def test_the_files_pipeline_keeps_nothing_per_page(dense_site, tmp_path):
    day = DATES[0].isoformat()
    _, small = await final_state(tmp_path / "small", dense_site, {}, start=day, end=day)
    _, large = await final_state(tmp_path / "large", dense_site, {}, **full_span())
    growth = grown(small["PdfFilesPipeline"], large["PdfFilesPipeline"])
    assert not growth, growth


class WorkerWatch:
    """A thread noting the pids of this process's extraction workers every 50 ms (children
    of the multiprocessing forkserver, read from /proc)."""

    def __init__(self, pids: set[int]):
        self.pids = pids
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def _run(self) -> None:
        while not self.done.wait(0.05):
            for server in children(os.getpid()):
                if "forkserver" in cmdline(server):
                    self.pids.update(children(server))


# pages held in the crawler while extraction lags ------------------------------------------

PAGE_HTML_PADDING = 40 * 1024  # page HTML of 40 KB: 6 of them fill SCRAPER_SLOT_MAX_ACTIVE_SIZE
LONG_DATES = [datetime.date(2023, 7, d) for d in range(1, 11)]  # 10 editions x 4 pages


class InFlight:
    """First of the pipelines: counts the page items between it and the end of the pipelines
    (scraped, dropped or failed), and keeps the most at any time."""

    entered = left = most = 0

    @classmethod
    def from_crawler(cls, crawler):
        probe = cls()
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(probe.finished, signal=signal)
        InFlight.last = probe
        return probe

    def process_item(self, item, spider=None):
        if isinstance(item, PageItem):
            self.entered += 1
            self.most = max(self.most, self.entered - self.left)
        return item

    def finished(self, item, **kwargs) -> None:
        if isinstance(item, PageItem):
            self.left += 1


class SlowExtractPipeline(ExtractPipeline):
    """Extraction a tenth of a second slower a page (a scanned page takes seconds)."""

    async def extract(self, path: str) -> dict:
        await asyncio.sleep(0.1)
        return await super().extract(path)


@pytest.fixture(scope="module")
def padded_site(tmp_path_factory):
    """The dense site with every page's HTML padded to 40 KB (a comment), as real e-paper
    page HTML often is."""
    root = dense_root(tmp_path_factory.mktemp("padded"), LONG_DATES)
    for html in (root / "xcrb" / "PC" / "layout").rglob("*.html"):
        html.write_text(html.read_text(encoding="utf-8") + "<!--" + "x" * PAGE_HTML_PADDING
                        + "-->", encoding="utf-8")
    with LocalSite(root) as site:
        yield site


async def most_in_flight(tmp_path: Path, site: LocalSite, **settings: Any) -> int:
    pipelines = {**pipelines_with(SlowExtractPipeline), InFlight: 1}
    # Without the article pages by default: pages then reach the pipelines as fast as the
    # site serves them, which is what Scrapy's default slot size lets pile up.
    crawler = await crawl(tmp_path, site, {"EXTRACT_WORKERS": 1, "ITEM_PIPELINES": pipelines,
                                           "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                                           "FETCH_ARTICLE_PAGES": False, **settings},
                          start=LONG_DATES[0].isoformat(), end=LONG_DATES[-1].isoformat())
    assert crawler.stats.get_value("newsarchive/extract/ok") == 4 * len(LONG_DATES)
    return InFlight.last.most


@deferred_f_from_coro_f
async def test_pages_wait_for_extraction_in_the_site_not_in_the_crawler(padded_site, tmp_path):
    """Downloads outrun one extraction worker: the crawler takes in only the pages its
    SCRAPER_SLOT_MAX_ACTIVE_SIZE admits (each holds ~70 KB until archived), where Scrapy's
    default took in every page of the crawl and the crawler's memory grew with its length."""
    ours = await most_in_flight(tmp_path / "ours", padded_site)
    scrapys = await most_in_flight(tmp_path / "default", padded_site,
                                   SCRAPER_SLOT_MAX_ACTIVE_SIZE=5_000_000)
    # 7 pages of 40 KB fill the slot; pages already downloaded still come in (17 seen)
    assert ours <= 20, ours
    assert scrapys >= 30, scrapys  # of 40: most pages of the crawl (35-37 seen)
    # A page whose article pages are being fetched holds its place in the slot too.
    with_articles = await most_in_flight(tmp_path / "articles", padded_site,
                                         FETCH_ARTICLE_PAGES=True)
    assert with_articles <= 20, with_articles
