"""Memory of a long crawl: peak RSS of the crawler and of each extraction worker, and flatness.

Run: ``.venv/bin/python bench/memory.py [--pages 2000] [--latency 0 0] [--edition-pages]``

Crawls a local site of ``--pages`` pages (``crawler.demo.site.build_site``, its page PDFs
replaced by 100 dense broadsheet pages, repeated; cached under bench/out/site-dense/) with
the real CLI and extraction on, served with no latency by default so that downloads outrun
extraction (the worst case for memory: pages wait in the crawler for a worker). Every
``--interval`` s it reads /proc/<pid>/status (VmRSS, VmHWM) of the crawler process and of
every process below it (the multiprocessing forkserver and the pebble workers it forks,
recycled every EXTRACT_MAX_TASKS_PER_CHILD pages), and every 0.25 s the archive's page
count. Prints the peak RSS of the crawler, the peak of each worker, and the RSS at
25/50/75/100% of the pages archived (flat means no growth per page). Targets: crawler
<= 500 MB, each worker <= 300 MB, flat.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from statistics import median

from common import (
    OUT,
    MachineCpu,
    Sample,
    TreeSampler,
    add_latency_option,
    cached_site,
    crawl_command,
    fresh_dir,
    last_run,
    mb,
    served,
)

CRAWLER_TARGET_MB = 500
WORKER_TARGET_MB = 300


def archived(db: Path) -> int:
    """Pages in the archive so far (0 before the crawl created it)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return conn.execute("select count(*) from pages").fetchone()[0]
    except sqlite3.Error:
        return 0


def sample_at(samples: list[Sample], at: float) -> Sample:
    """The last sample of the running crawl taken at or before ``at`` (seconds since the
    sampler started)."""
    running = [s for s in samples if "main" in s.rss]
    chosen = running[0]
    for sample in running:
        if sample.at > at:
            break
        chosen = sample
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages to crawl (4 per date)")
    add_latency_option(parser, (0.0, 0.0))
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between samples")
    parser.add_argument(
        "--edition-pages",
        action="store_true",
        help="the demo's light edition pages instead of dense broadsheet ones",
    )
    args = parser.parse_args()

    root, dates = cached_site(args.pages, dense=not args.edition_pages)
    pages = len(dates) * 4
    workdir = fresh_dir(OUT / "memory")
    db = workdir / "archive.db"
    progress: list[tuple[float, int]] = []  # (seconds since start, pages archived)
    kind = "edition" if args.edition_pages else "dense broadsheet"
    print(
        f"crawling {pages} {kind} pages ({len(dates)} dates x 4) with extraction on …",
        flush=True,
    )
    with served(root, tuple(args.latency)) as site:
        command = crawl_command(site, dates, workdir)
        machine = MachineCpu()
        with (workdir / "command.out").open("w") as out:
            process = subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
            sampler = TreeSampler(process.pid, args.interval)
            sampler.start()
            while process.poll() is None:
                progress.append((time.monotonic() - sampler.started_at, archived(db)))
                time.sleep(0.25)
            sampler.stop()
        seconds, busy, _ = machine.stop()
    if process.returncode not in (0, 1):  # 1: some pages failed, reported below
        raise SystemExit(f"crawl failed ({process.returncode}): see {workdir / 'command.out'}")
    run = last_run(db)
    if run["pages_failed"]:
        print(f"note: {run['pages_failed']} pages failed (see the failures table of {db})")
    progress.append((sampler.samples[-1].at, archived(db)))

    crawler = sampler.of_role("main")[0]
    worker_peaks = [max(w.peak_rss, w.hwm) for w in sampler.of_role("worker")]
    ours = sum(p.cpu for p in sampler.processes.values())
    print(
        f"{pages} pages in {run['duration']:.0f} s ({pages / run['duration']:.1f} pages/s); "
        f"machine busy {busy / seconds:.2f} of {os.cpu_count()} cores, the crawl's processes "
        f"{ours / seconds:.2f}"
    )
    print()
    print(
        f"crawler process: peak RSS {mb(crawler.peak_rss)} sampled, VmHWM "
        f"{mb(crawler.hwm)} (Scrapy memusage/max "
        f"{run['stats'].get('memusage/max', 0) / 2**20:.0f} MB); target <= {CRAWLER_TARGET_MB} MB"
    )
    print(
        f"extraction workers: {len(worker_peaks)} seen (recycled every "
        f"EXTRACT_MAX_TASKS_PER_CHILD pages); peak RSS per worker: max "
        f"{mb(max(worker_peaks))}, median {mb(median(worker_peaks))}; "
        f"target <= {WORKER_TARGET_MB} MB"
    )
    forkservers = sampler.of_role("forkserver")
    if forkservers:
        print(f"forkserver: peak RSS {mb(forkservers[0].peak_rss)}")
    print()
    print(f"{'pages archived':>16}{'at':>8}{'crawler RSS':>13}{'workers RSS (max)':>19}")
    rows = []
    for share in (0.25, 0.5, 0.75, 1.0):
        at = next(t for t, n in progress if n >= share * pages)
        sample = sample_at(sampler.samples, at)
        crawler_kb = max(sample.rss.get("main", [0]))
        workers = sample.rss.get("worker")
        rows.append(crawler_kb)
        print(
            f"{f'{share:.0%} ({int(share * pages)})':>16}{at:7.0f}s{crawler_kb / 1024:10.0f} MB"
            + (f"{max(workers) / 1024:16.0f} MB" if workers else f"{'(pool closed)':>19}")
        )
    growth = (rows[-1] - rows[0]) / 1024
    per_1000 = growth / (0.75 * pages) * 1000
    print()
    print(
        f"crawler RSS from 25% to 100%: {growth:+.0f} MB ({per_1000:+.1f} MB per 1,000 pages), "
        f"{rows[-1] / rows[0]:.2f}x; second half (50% to 100%): "
        f"{(rows[3] - rows[1]) / 1024:+.0f} MB"
    )
    verdicts = {
        "crawler": crawler.peak_rss / 1024 <= CRAWLER_TARGET_MB,
        "workers": max(worker_peaks) / 1024 <= WORKER_TARGET_MB,
        "flat": rows[-1] <= rows[0] * 1.10,
    }
    print("targets: " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in verdicts.items()))


if __name__ == "__main__":
    main()
