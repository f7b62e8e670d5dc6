"""Distributed re-extraction (Redis + Dramatiq) against the single-machine ``reextract``,
in the same run, on the same stored pages; and the writer's ceiling.

Run: ``.venv/bin/python bench/distributed.py [--pages 10000] [--workers 1,2,4]
[--writer-pages 5000]``

Uses bench/reextract.py's fixtures (``--distinct`` typeset broadsheet PDFs, an archive of
``--pages`` pending pages over them, cached under bench/out/reextract/). Starts its own
redis-server (127.0.0.1, a free port, AOF with fsync every second, as an operator would).

1. ``newsarchive reextract`` (one process, a pool of one worker per core): the baseline.
2. For each count in ``--workers``: ``newsarchive worker --processes N`` started (and idle)
   first, then ``newsarchive reextract --distributed`` timed, process start to exit, on a
   fresh copy of the archive. Speed-up = baseline seconds / these seconds. The queue's
   overhead per page is the machine's busy CPU time (all processes: CLI, writer, workers,
   redis-server) beyond the baseline's, divided by the pages: on 2 cores, CPU is what the
   queue takes from extraction.
3. The writer alone: ``--writer-pages`` results (real extraction output) put on the results
   queue with no worker running, then stored by the writer as fast as it can: pages/s,
   against ``Archive.save_page`` of the same results with no queue (the ratio is the
   writer's queue cost). The writer's pages/s bounds the hosts worth adding: a host of C
   cores re-extracts about C x (pages/s per core).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CLOCK_TICKS, NEWSARCHIVE, page_statuses, run
from reextract import BASE, pending_archive, stored_pdfs

from pipelines.archive import Archive
from pipelines.distributed import queues
from pipelines.distributed.runs import mark_fed, new_run, page_key
from pipelines.distributed.writer import run_counts, wait_for_runs, writing
from pipelines.extraction import articles_of, extract_file, extraction_fields
from tests.procfs import children
from tests.redis_server import RedisServer

TARGET_OVERHEAD_MS = 5.0
TARGET_TWO_WORKERS = 0.9  # x the single-machine reextract
TARGET_WRITER = 200.0  # pages/s


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and all below it, with those of its reaped children."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(f) for f in fields[11:15]) / CLOCK_TICKS
        stack += children(current)
    return total


def command_cpu(done) -> float:
    """CPU seconds of a finished ``run(..., sample=…)`` command's whole tree."""
    return sum(p.cpu for p in done.sampler.processes.values())


def ready(url: str, processes: int, since: float, timeout: float = 120) -> None:
    """Wait until ``processes`` workers registered in Redis after ``since``."""
    client = queues.make_broker(url).client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = [n.decode() for n in client.smembers(queues.WORKERS)]
        started = [client.hget(queues.worker_key(n), "started_at") for n in names]
        if sum(1 for s in started if s and float(s) >= since) >= processes:
            time.sleep(0.5)
            return
        time.sleep(0.2)
    raise SystemExit(f"{processes} workers did not start")


def distributed(template: Path, url: str, processes: int, redis_pid: int) -> dict:
    """``reextract --distributed`` with ``processes`` worker processes; its figures."""
    workdir = BASE / "runs" / f"distributed-{processes}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    db = workdir / "archive.db"
    shutil.copyfile(template, db)
    workers = subprocess.Popen(
        [NEWSARCHIVE, "worker", "--redis", url, "--processes", str(processes)],
        stdout=subprocess.DEVNULL, stderr=(workdir / "workers.log").open("w"))
    ready(url, processes, time.time())  # workers started and idle before the clock starts
    before = tree_cpu(workers.pid) + tree_cpu(redis_pid)
    try:
        done = run([NEWSARCHIVE, "reextract", "--distributed", "--redis", url, "--db", str(db),
                    "--files", str(BASE / "files")], workdir, sample=0.2)
        others = tree_cpu(workers.pid) + tree_cpu(redis_pid) - before
    finally:
        workers.send_signal(signal.SIGTERM)
        workers.wait(timeout=60)
    statuses = page_statuses(db)
    pages = sum(statuses.values())
    if statuses.get("ok", 0) < pages * 0.95:
        raise SystemExit(f"distributed {processes}: statuses {statuses}")
    return {"pages": pages, "seconds": done.seconds, "rate": pages / done.seconds,
            "cpu": command_cpu(done) + others, "command_cpu": command_cpu(done),
            "load": done.load_note()}


def writer_ceiling(template: Path, url: str, pages: int, pdfs: list[dict]) -> dict:
    """Pages/s of the writer draining ``pages`` queued results, and of save_page alone."""
    docs = [extract_file(str(BASE / "files" / p["path"]), "pypdfium2") for p in pdfs[:20]]
    with Archive(template) as archive:
        rows = list(archive.db["pages"].rows_where(order_by="id", limit=pages))
    results = []
    for n, row in enumerate(rows):
        doc = docs[n % len(docs)]
        results.append(({**row, **extraction_fields(doc, "pypdfium2")}, articles_of(doc)))
    articles = sum(len(a) for _, a in results)

    with tempfile.TemporaryDirectory() as tmp:
        direct = Path(tmp) / "direct.db"
        shutil.copyfile(template, direct)
        with Archive(direct) as archive:
            started = time.perf_counter()
            for page, page_articles in results:
                archive.save_page(page, page_articles)
            alone = len(results) / (time.perf_counter() - started)

        queued = Path(tmp) / "queued.db"
        shutil.copyfile(template, queued)
        broker = queues.make_broker(url)
        client = broker.client
        client.flushall()
        run_id = new_run(client, "reextract", {"bench": "writer"})
        for page, page_articles in results:
            key = page_key(page)
            client.hset(queues.inflight_key(run_id), key, 1)
            queues.send(broker, queues.RESULTS_QUEUE, queues.RESULT_ACTOR, {
                "job": {"id": f"{run_id}/{key}", "run": run_id, "key": key, "kind": "reextract",
                        "worker": "bench", "seconds": 0.0},
                "page": page, "articles": page_articles, "pdf": None})
        client.hset(queues.run_key(run_id), "total", len(results))
        mark_fed(client, run_id)
        started = time.perf_counter()
        with writing(broker, queued, BASE / "files"):
            wait_for_runs(client, [run_id])
        seconds = time.perf_counter() - started
        stored = run_counts(client, run_id)["done"]
    if stored != len(results):
        raise SystemExit(f"writer stored {stored} of {len(results)}")
    return {"pages": len(results), "articles": articles, "rate": len(results) / seconds,
            "alone": alone}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000, help="stored pages")
    parser.add_argument("--distinct", type=int, default=300, help="distinct page PDFs")
    parser.add_argument("--workers", default="1,2,4", help="worker process counts")
    parser.add_argument("--writer-pages", type=int, default=5000)
    args = parser.parse_args()
    counts = [int(c) for c in args.workers.split(",")]
    pdfs = stored_pdfs(args.distinct)
    template = pending_archive(args.pages, pdfs)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{args.pages} pages over {args.distinct} PDFs", flush=True)
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp), fsync="everysec") as redis:
        base = baseline(template)
        print(f"  single-machine reextract: {base['seconds']:.1f} s, {base['rate']:.1f} pages/s; "
              f"{base['load']}", flush=True)
        results = {}
        for count in counts:
            redis.client().flushall()
            results[count] = r = distributed(template, redis.url, count, redis.process.pid)
            r["overhead_ms"] = (r["cpu"] - base["cpu"]) / r["pages"] * 1000
            print(f"  {count} worker processes: {r['seconds']:.1f} s, {r['rate']:.1f} pages/s, "
                  f"{base['seconds'] / r['seconds']:.2f}x; CPU {r['cpu']:.1f} s (command "
                  f"{r['command_cpu']:.1f} s) vs {base['cpu']:.1f} s; {r['load']}", flush=True)
        writer = writer_ceiling(template, redis.url, min(args.writer_pages, args.pages), pdfs)

    print()
    print(f"{'':34}{'seconds':>9}{'pages/s':>9}{'vs single':>11}{'overhead/page':>15}")
    print(f"{'single-machine reextract':34}{base['seconds']:9.1f}{base['rate']:9.1f}"
          f"{1.0:10.2f}x{'':>15}")
    for count, r in results.items():
        print(f"{f'distributed, {count} worker processes':34}{r['seconds']:9.1f}{r['rate']:9.1f}"
              f"{base['seconds'] / r['seconds']:10.2f}x{r['overhead_ms']:12.1f} ms")
    print()
    verdict = {True: "met", False: "MISSED"}
    if 2 in results:
        two = base["seconds"] / results[2]["seconds"]
        print(f"2 worker processes on {os.cpu_count()} cores: {two:.2f}x the single-machine "
              f"reextract; target >= {TARGET_TWO_WORKERS}x: {verdict[two >= TARGET_TWO_WORKERS]}")
        overhead = results[2]["overhead_ms"]
        print(f"queue overhead (2 workers): {overhead:.1f} ms a page; target <= "
              f"{TARGET_OVERHEAD_MS:.0f} ms: {verdict[overhead <= TARGET_OVERHEAD_MS]}")
    print(f"writer: {writer['rate']:.0f} pages/s ({writer['pages']} pages, {writer['articles']} "
          f"articles) vs save_page alone {writer['alone']:.0f} pages/s "
          f"({writer['rate'] / writer['alone']:.2f}x); target >= {TARGET_WRITER:.0f}: "
          f"{verdict[writer['rate'] >= TARGET_WRITER]}")
    per_core = base["rate"] / (os.cpu_count() or 1)
    print(f"hosts worth adding: the writer takes ~{writer['rate'] / per_core:.0f} cores' worth "
          f"of re-extraction at {per_core:.1f} pages/s a core")
    print(json.dumps({"single": base, "distributed": results, "writer": writer}, default=str))


def baseline(template: Path) -> dict:
    """The single-machine ``reextract`` (default workers: one per core); its figures."""
    workdir = BASE / "runs" / "single"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    db = workdir / "archive.db"
    shutil.copyfile(template, db)
    done = run([NEWSARCHIVE, "reextract", "--db", str(db), "--files", str(BASE / "files")],
               workdir, sample=0.2)
    pages = sum(page_statuses(db).values())
    return {"pages": pages, "seconds": done.seconds, "rate": pages / done.seconds,
            "cpu": command_cpu(done), "load": done.load_note()}


if __name__ == "__main__":
    sys.exit(main())
