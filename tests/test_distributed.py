"""Distributed re-extraction and backfill on a real redis-server (127.0.0.1, free port):
the faults of issue 16, each against a single-machine run of the same pages."""

from __future__ import annotations

import datetime
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page
from pipelines.archive import Archive
from pipelines.distributed import queues
from pipelines.extraction import articles_of, extract_file, extraction_fields
from pipelines.reextract import reextract, select_pages
from tests.distributed_worker import POISON
from tests.redis_server import RedisServer

REPO = Path(__file__).resolve().parents[1]
PAGES = 8
HEARTBEAT_MS = 1500
OLD_VERSION = "0.0.1"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from crawler.cli import cli; cli()", *args]


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    """An archive of PAGES pages extracted by an 'older engine' (first article's body
    differs, old version), their PDFs in files/: what re-extraction has to correct."""
    root = tmp_path_factory.mktemp("stored")
    files = root / "files"
    specs = edition_specs("许昌日报", datetime.date(2023, 6, 16), pages=PAGES // 2)
    specs += edition_specs("许昌日报", datetime.date(2023, 6, 17), pages=PAGES // 2)
    with Archive(root / "archive.db") as archive:
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报", "family": "founder_col"})
        for n, spec in enumerate(specs):
            pdf = root / f"{n}.pdf"
            typeset_page(spec, pdf)
            _store(archive, files, pdf, spec.date.isoformat(), n % (PAGES // 2) + 1)
    return root


def _store(archive: Archive, files: Path, pdf: Path, day: str, page_no: int) -> None:
    import hashlib

    from pipelines.files import content_path, write_once

    body = pdf.read_bytes()
    sha256 = hashlib.sha256(body).hexdigest()
    write_once(files / content_path(sha256), body)
    doc = extract_file(str(pdf), "pypdfium2")
    articles = articles_of(doc)
    articles[0] = {**articles[0], "body": "older engine's text"}
    archive.save_page(
        {"paper": "xcrb", "date": day, "page_no": page_no, "pdf_path": content_path(sha256),
         "sha256": sha256, "size": len(body), "pdf_url": f"http://example.test/{sha256}.pdf",
         **extraction_fields(doc, "pypdfium2"), "extractor_version": OLD_VERSION},
        articles,
    )


def _copy(stored: Path, target: Path) -> tuple[Path, Path]:
    shutil.copytree(stored, target)
    return target / "archive.db", target / "files"


@pytest.fixture(scope="module")
def baseline(stored, tmp_path_factory) -> dict:
    """The single-machine ``reextract`` of the same archive: its pages and articles."""
    db, files = _copy(stored, tmp_path_factory.mktemp("baseline") / "a")
    with Archive(db) as archive:
        reextract(archive, files, select_pages(archive), workers=1)
    return _contents(db)


def _contents(db: Path) -> dict:
    """What must be equal to a single-machine run's: page rows and article rows, ids too."""
    conn = sqlite3.connect(db)
    pages = conn.execute(
        "select id, paper, date, page_no, status, reason, header, extractor, "
        "extractor_version, sha256 from pages order by id").fetchall()
    articles = conn.execute(
        "select id, page_id, seq, title, byline, body, captions from articles order by id"
    ).fetchall()
    search = conn.execute("select count(*) from articles_fts").fetchone()[0]
    failures = conn.execute("select count(*) from failures").fetchone()[0]
    conn.close()
    return {"pages": pages, "articles": articles, "search": search, "failures": failures}


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


class Workers:
    """Worker processes (tests.distributed_worker) started and stopped by a test."""

    def __init__(self, url: str, delay: float = 0.0, shared_files: Path | None = None):
        self.url = url
        self.env = {**os.environ, "TEST_EXTRACT_DELAY": str(delay),
                    "TEST_HEARTBEAT_MS": str(HEARTBEAT_MS), "PYTHONPATH": str(REPO),
                    "TEST_SHARED_FILES": str(shared_files or "")}
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int) -> Workers:
        """Start ``count`` workers and wait until each is ready (registered in Redis)."""
        for index in range(count):
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "tests.distributed_worker", self.url, str(index)],
                cwd=REPO, env=self.env))
        client = redis.Redis.from_url(self.url)
        for index, process in enumerate(self.processes):
            key = queues.worker_key(self.name(process, index))
            _wait(lambda key=key: client.hget(key, "started_at"), what=f"worker {index}")
        return self

    def name(self, process: subprocess.Popen, index: int) -> str:
        return f"{socket.gethostname()}-{process.pid}-{index}"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(redis_server):
    started: list[Workers] = []

    def start(count: int, delay: float = 0.0, shared_files: Path | None = None) -> Workers:
        pool = Workers(redis_server.url, delay, shared_files).start(count)
        started.append(pool)
        return pool

    yield start
    for pool in started:
        pool.stop()


def _reextract(db: Path, files: Path, url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        _cli("reextract", "--distributed", "--redis", url, "--db", str(db), "--files", str(files),
             *extra),
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _finish(process: subprocess.Popen, timeout: float = 120) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def _jobs(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("select id, kind, worker from distributed_jobs order by id").fetchall()
    conn.close()
    return rows


def test_distributed_reextract_equals_single_machine_run(stored, baseline, workers,
                                                          redis_server, tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    # each page takes a second: a worker holds WORKER_PREFETCH jobs at most, so the other
    # has seconds to take its share even on a loaded host (at no delay one took all 8)
    pool = workers(2, delay=1.0)
    output = _finish(_reextract(db, files, redis_server.url))
    assert f"{PAGES} pages re-extracted by workers: {PAGES} stored, 0 failed" in output
    assert _contents(db) == baseline
    jobs = _jobs(db)
    assert len(jobs) == PAGES and {kind for _, kind, _ in jobs} == {"reextract"}
    # both worker processes took part, and the run left nothing in flight in Redis
    assert {worker for _, _, worker in jobs} == {pool.name(p, i) for i, p in
                                                 enumerate(pool.processes)}
    client = redis_server.client()
    assert client.smembers(queues.RUNS) == set()
    assert client.llen(f"dramatiq:{queues.JOBS_QUEUE}") == 0


def test_shared_files_store_no_pdf_in_the_messages_same_archive(stored, baseline, workers,
                                                                 redis_server, tmp_path):
    import json

    db, files = _copy(stored, tmp_path / "a")
    command = _reextract(db, files, redis_server.url, "--shared-files")
    client = redis_server.client()
    messages = f"dramatiq:{queues.JOBS_QUEUE}.msgs"
    _wait(lambda: client.hlen(messages) == PAGES, what="the jobs queued")  # no worker yet
    jobs = [json.loads(m)["args"][0] for m in client.hvals(messages)]
    assert [(job["pdf"], job["shared_files"]) for job in jobs] == [(None, True)] * PAGES
    assert max(len(m) for m in client.hvals(messages)) < 2000  # the PDFs are ~20 KB each
    workers(2, shared_files=files)
    output = _finish(command)
    assert f"{PAGES} pages re-extracted by workers: {PAGES} stored, 0 failed" in output
    assert _contents(db) == baseline


def test_shared_files_job_on_a_worker_without_the_store_retried_then_failed_text_kept(
        stored, workers, redis_server, tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    before = _contents(db)
    workers(2)  # started without --shared-files
    output = _finish(_reextract(db, files, redis_server.url, "--shared-files"), timeout=180)
    assert f"{PAGES} pages re-extracted by workers: 0 stored, {PAGES} failed" in output
    conn = sqlite3.connect(db)
    reasons = [r for (r,) in conn.execute("select reason from failures")]
    conn.close()
    attempts = queues.MAX_RETRIES + 1
    assert len(reasons) == PAGES
    assert all("was started without --shared-files" in r and f"each of {attempts} attempts" in r
               for r in reasons), reasons
    after = _contents(db)  # the archived text stays (status ok, the older engine's articles)
    assert (after["pages"], after["articles"]) == (before["pages"], before["articles"])


def test_worker_killed_mid_job_its_job_is_done_by_another(stored, baseline, workers,
                                                          redis_server, tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    pool = workers(2, delay=0.5)
    victim = pool.processes[0]
    command = _reextract(db, files, redis_server.url)
    client = redis_server.client()
    key = queues.worker_key(pool.name(victim, 0))
    job = _wait(lambda: client.hget(key, "current"), what="a job on worker 0")
    victim.kill()  # kill -9, mid-extraction
    victim.wait()
    _finish(command)
    assert _contents(db) == baseline
    jobs = _jobs(db)
    assert len(jobs) == PAGES  # nothing stored twice
    survivor = pool.name(pool.processes[1], 1)
    killed_page = job.decode()
    assert [w for i, _, w in jobs if i.endswith(killed_page)] == [survivor]


def _run_id(client) -> str:
    runs = _wait(lambda: client.smembers(queues.RUNS), what="the run to start")
    return next(iter(runs)).decode()


def _stored_count(client, run: str) -> int:
    try:
        return int(client.hget(queues.run_key(run), "done") or 0)
    except Exception:  # redis restarting
        return 0


def test_redis_restarted_mid_run_nothing_lost_nothing_twice(stored, baseline, workers,
                                                             redis_server, tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    workers(2, delay=0.3)
    command = _reextract(db, files, redis_server.url)
    client = redis_server.client()
    run = _run_id(client)
    _wait(lambda: _stored_count(client, run) >= 2, what="two pages stored")
    redis_server.restart(down_for=1.5)  # SIGKILL, then up again from its append-only file
    output = _finish(command)
    assert f"{PAGES} stored, 0 failed" in output
    assert _contents(db) == baseline
    assert len(_jobs(db)) == PAGES


def test_writer_killed_mid_run_restarted_continues(stored, baseline, workers, redis_server,
                                                   tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    workers(2, delay=0.3)
    command = _reextract(db, files, redis_server.url)
    client = redis_server.client()
    run = _run_id(client)
    _wait(lambda: _stored_count(client, run) >= 3, what="three pages stored")
    command.kill()  # the writer, mid-run (kill -9)
    command.wait()
    assert len(_jobs(db)) < PAGES
    restarted = subprocess.run(
        _cli("writer", "--redis", redis_server.url, "--db", str(db), "--files", str(files)),
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert f"run {run}: {PAGES} stored, 0 failed" in restarted.stdout
    assert _contents(db) == baseline
    assert len(_jobs(db)) == PAGES
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_poison_page_retried_bounded_then_a_failure_and_the_run_finishes(
        stored, baseline, workers, redis_server, tmp_path):
    db, files = _copy(stored, tmp_path / "a")
    with Archive(db) as archive:
        page = archive.page("xcrb", "2023-06-16", 1)
        body = (files / page["pdf_path"]).read_bytes() + b"\n" + POISON + b"\n"
        poison = tmp_path / "poison.pdf"
        poison.write_bytes(body)
        _store(archive, files, poison, "2023-06-18", 1)
        poisoned = archive.page("xcrb", "2023-06-18", 1)
    workers(2)
    output = _finish(_reextract(db, files, redis_server.url), timeout=180)
    assert f"{PAGES + 1} pages re-extracted by workers: {PAGES} stored, 1 failed" in output
    conn = sqlite3.connect(db)
    failures = conn.execute("select paper, date, page_no, stage, reason from failures").fetchall()
    assert len(failures) == 1
    assert failures[0][:4] == ("xcrb", "2023-06-18", 1, "extract")
    attempts = queues.MAX_RETRIES + 1
    assert f"extraction process died in each of {attempts} attempts" in failures[0][4]
    # the poison page keeps what was archived (status ok, its articles); the others are redone
    kept = conn.execute("select status, extractor_version from pages where id = ?",
                        [poisoned["id"]]).fetchone()
    assert kept == ("ok", OLD_VERSION)
    contents = _contents(db)
    assert [p for p in contents["pages"] if p[0] != poisoned["id"]] == baseline["pages"]
    deliveries = redis_server.client().get(
        queues.deliveries_key(f"{_jobs(db)[0][0].split('/')[0]}/xcrb/2023-06-18/1"))
    assert int(deliveries) == attempts


# backfill --------------------------------------------------------------------------------

SPAN = ["--from", "2023-06-16", "--to", "2023-06-20"]
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]


def _backfill(site, root: Path, *extra: str) -> list[str]:
    return _cli("backfill", "xcrb", *SPAN, "--base-url", f"{site.url}/xcrb/",
                "--db", str(root / "archive.db"), "--files", str(root / "files"),
                "--log-dir", str(root / "logs"), *LOCAL, *extra)


def _archived(db: Path) -> dict:
    """A crawl's archive, compared by page (article ids follow the order pages land in)."""
    conn = sqlite3.connect(db)
    pages = conn.execute(
        "select date, page_no, page_label, page_name, page_url, pdf_url, pdf_path, sha256, "
        "size, http_status, status, extractor, extractor_version, header, hints "
        "from pages order by date, page_no").fetchall()
    articles = conn.execute(
        "select p.date, p.page_no, a.seq, a.title, a.byline, a.body, a.captions, a.bbox "
        "from articles a join pages p on p.id = a.page_id order by p.date, p.page_no, a.seq"
    ).fetchall()
    failures = conn.execute(
        "select date, page_no, stage, substr(reason, 1, 40) from failures "
        "order by date, page_no, stage").fetchall()
    search = conn.execute("select count(*) from articles_fts").fetchone()[0]
    conn.close()
    return {"pages": pages, "articles": articles, "failures": failures, "search": search}


@pytest.mark.parametrize("shared", [False, True], ids=["pdfs-in-messages", "shared-files"])
def test_distributed_backfill_archives_what_a_crawl_does_politely(col_site, workers,
                                                                  redis_server, tmp_path, shared):
    single = tmp_path / "single"
    done = subprocess.run(_backfill(col_site, single), cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr  # the site has broken pages
    root = tmp_path / "distributed"
    workers(2, shared_files=root / "files" if shared else None)
    first = len(col_site.requests)
    done = subprocess.run(
        _backfill(col_site, root, "--distributed", "--redis", redis_server.url,
                  "-s", "DISTRIBUTED_HOST_RATE=2", *(["--shared-files"] if shared else [])),
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    expected = _archived(single / "archive.db")
    assert expected["pages"] and expected["articles"]
    assert _archived(root / "archive.db") == expected
    files = sorted(p.name for p in (root / "files").rglob("*.pdf"))
    assert files == sorted(p.name for p in (single / "files").rglob("*.pdf"))
    # every PDF was fetched by a worker, at most 2 a second whatever the number of workers
    pdfs = [t for path, _, t in col_site.requests[first:] if path.endswith(".pdf")]
    assert len(pdfs) >= 4
    assert max(sum(1 for u in pdfs if t <= u < t + 1) for t in pdfs) <= 2 * 2
    # (the limit counts per clock second: n requests span at least ceil(n / 2) - 2 seconds)
    assert pdfs[-1] - pdfs[0] >= math.ceil(len(pdfs) / 2) - 2
    conn = sqlite3.connect(root / "archive.db")
    kinds = conn.execute("select kind, count(*) from distributed_jobs group by kind").fetchall()
    # the site's article pages, fetched by the spider, came back with the jobs' results
    sites = "select url, title, bbox from site_articles order by url"
    assert conn.execute(sites).fetchall() == sqlite3.connect(single / "archive.db").execute(
        sites).fetchall()
    assert conn.execute("select count(*) from site_articles").fetchone()[0] > 0
    # one job a page with a PDF; a page with article pages only is stored by the crawl
    statuses = [p[10] for p in expected["pages"] if p[10] != "no_pdf"]
    assert kinds == [("fetch", len(statuses))]
    run = conn.execute("select status, pages_new, pages_failed from crawl_runs").fetchone()
    assert run == ("errors", statuses.count("ok"), len(statuses) - statuses.count("ok"))


def test_two_backfills_of_one_paper_the_second_is_refused(col_site, workers, redis_server,
                                                          tmp_path):
    args = _backfill(col_site, tmp_path, "--distributed", "--redis", redis_server.url)
    first = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    client = redis_server.client()
    _run_id(client)  # the first is enqueuing (no worker yet: it waits for its results)
    second = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert second.returncode == 75
    assert "a crawl of xcrb is already running" in second.stderr
    assert len(client.smembers(queues.RUNS)) == 1  # the second enqueued nothing
    workers(1)
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 1, output  # finished (the site has broken pages)
    assert "xcrb: errors:" in output


def test_status_shows_queued_running_done_failed_and_worker_rates(stored, workers,
                                                                  redis_server, tmp_path):
    from click.testing import CliRunner

    from crawler.cli import cli
    from pipelines.distributed.runs import feed_reextract, reextract_options, start_reextract

    db, files = _copy(stored, tmp_path / "a")
    broker = queues.make_broker(redis_server.url)
    with Archive(db) as archive:
        pages = select_pages(archive)
    run = start_reextract(broker.client, pages, reextract_options("pypdfium2"))
    assert feed_reextract(broker, run, files) == PAGES  # no worker, no writer: all queued

    def status() -> str:
        result = CliRunner(env={"COLUMNS": "200"}).invoke(
            cli, ["status", "--db", str(db), "--redis", redis_server.url])
        assert result.exit_code == 0, result.output
        return result.output

    before = status()
    assert f"Queue on {redis_server.url}: {PAGES} queued, 0 running, 0 retrying" in before
    assert f"│ {run} │ reextract │ {PAGES}     │ 0    │ 0      │ {PAGES}         │ 0 " in before
    pool = workers(1)
    done = subprocess.run(
        _cli("writer", "--redis", redis_server.url, "--db", str(db), "--files", str(files)),
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert f"run {run}: {PAGES} stored, 0 failed" in done.stdout, done.stdout + done.stderr
    after = status()
    assert f"Queue on {redis_server.url}: 0 queued, 0 running" in after
    name = pool.name(pool.processes[0], 0)
    row = next(line for line in after.splitlines() if name in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[:3] == [name, str(PAGES), "0"] and float(cells[3]) > 0


def test_a_host_that_keeps_failing_is_retried_with_backoff_then_recorded(workers, redis_server,
                                                                         tmp_path):
    from crawler.demo.server import LocalSite
    from tests.faults import Fault, FaultPlan
    from tests.fixture_sites import build_fixture_site

    site_root = tmp_path / "site"
    build_fixture_site("founder_col", site_root)
    failing = "/xcrb/PC/attachement/202306/16/"  # both PDFs of 2023-06-16
    plan = FaultPlan(Fault(failing, status=503))
    workers(2)
    with LocalSite(site_root, soft_404=("/xcrb/PC/layout/202306/20/",), faults=plan) as site:
        root = tmp_path / "archive"
        done = subprocess.run(
            _cli("backfill", "xcrb", "--from", "2023-06-16", "--to", "2023-06-16",
                 "--base-url", f"{site.url}/xcrb/", "--db", str(root / "archive.db"),
                 "--files", str(root / "files"), "--log-dir", str(root / "logs"), *LOCAL,
                 "--distributed", "--redis", redis_server.url),
            cwd=tmp_path, capture_output=True, text=True, timeout=300)
        tries = [t for path, _, t in site.requests if path.startswith(failing)]
    assert done.returncode == 1, done.stdout + done.stderr
    attempts = queues.MAX_RETRIES + 1
    assert plan.fired[failing] == len(tries) == 2 * attempts  # each PDF tried 4 times
    conn = sqlite3.connect(root / "archive.db")
    pages = conn.execute("select page_no, status, reason from pages order by page_no").fetchall()
    assert [(n, status) for n, status, _ in pages] == [(1, "download_failed"),
                                                       (2, "download_failed"), (5, "no_pdf")]
    assert all(f"(in each of {attempts} attempts)" in r and "HTTP 503" in r
               for _, status, r in pages if status != "no_pdf")
    stages = conn.execute("select stage, count(*) from failures group by stage").fetchall()
    assert ("download", 2) in stages


def test_newsarchive_worker_restarts_a_dead_process_and_stops_on_sigterm(redis_server):
    supervisor = subprocess.Popen(
        _cli("worker", "--redis", redis_server.url, "--processes", "2"), cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = redis_server.client()

    def started() -> set[str]:
        names = {n.decode() for n in client.smembers(queues.WORKERS)}
        return {n for n in names if client.hget(queues.worker_key(n), "started_at")}

    first = _wait(lambda: len(started()) == 2 and started(), timeout=90, what="2 workers")
    victim = int(sorted(first)[0].split("-")[-2])  # names are host-pid-index
    os.kill(victim, signal.SIGKILL)
    _wait(lambda: len(started() - first) == 1, timeout=90, what="a restarted worker")
    supervisor.send_signal(signal.SIGTERM)
    output, _ = supervisor.communicate(timeout=60)
    assert supervisor.returncode == 0, output
    assert "2 worker processes on" in output
    assert "exited (-9): restarting" in output
    for name in started():
        pid = int(name.split("-")[-2])
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status").read_text()
