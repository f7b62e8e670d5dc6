"""Crawl throughput with extraction on and off: does the crawl ever wait on extraction?

Run: ``.venv/bin/python bench/crawl.py [--pages 500] [--latency 0.05 0.15] [--repeat 1]``

A local 许昌日报-style site (``crawler.demo.site.build_site``, cached under bench/out/site/)
is served on 127.0.0.1 with a latency of 50-150 ms per response, and crawled by the real CLI
(``newsarchive crawl xcrb --base-url … -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False
-s CONCURRENT_REQUESTS_PER_DOMAIN=8``) in a subprocess, into a fresh archive each time:

* off - ITEM_PIPELINES without ExtractPipeline (pages land ``pending``): download throughput;
* on  - the project's pipelines (extraction in the process pool, both cores), with each
  page's article pages fetched too (the default);
* on, no article pages - the same with ``-s FETCH_ARTICLE_PAGES=0``: the cost of the site's
  article pages, in requests and time per page;
* extraction throughput: ``newsarchive reextract`` over the pages the "off" crawl stored.

Prints pages/s of each (from the run's ``crawl_runs.duration``: spider open to close,
extraction included), the ratio of the crawl times on/off (target: <= 1.2 whenever
extraction throughput exceeds download throughput) and which case this run is in (the
reextract figure is wall time, process start included). With ``--repeat`` the two crawls
alternate and the fastest of each counts. Each run also prints how busy the machine was and
how much of it other processes took (/proc/stat), and the CPU of the crawler process and of
the extraction workers (/proc/<pid>/stat): on a shared machine, read the ratio with them.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date

from common import (
    NEWSARCHIVE,
    OUT,
    LocalSite,
    add_latency_option,
    cached_site,
    crawl_command,
    fresh_dir,
    last_run,
    page_statuses,
    run,
    served,
)

WITHOUT_EXTRACTION = json.dumps(
    {"pipelines.files.PdfFilesPipeline": 100, "pipelines.storage.ArchivePipeline": 800}
)
MODES = {
    "off": [f"ITEM_PIPELINES={WITHOUT_EXTRACTION}"],
    "on": [],
    "on, no article pages": ["FETCH_ARTICLE_PAGES=0"],
}
SHORT = {"off": "off", "on": "on", "on, no article pages": "on-no-articles"}


def crawl_once(site: LocalSite, dates: list[date], mode: str, pages: int) -> dict:
    """One crawl in a fresh bench/out/crawl/<mode>/; its figures."""
    workdir = fresh_dir(OUT / "crawl" / SHORT[mode])
    done = run(crawl_command(site, dates, workdir, *MODES[mode]), workdir, sample=0.25)
    row = last_run(workdir / "archive.db")
    statuses = page_statuses(workdir / "archive.db")
    expected = "pending" if mode == "off" else "ok"
    if statuses.get(expected) != pages:
        raise SystemExit(f"crawl {mode}: expected {pages} {expected} pages, got {statuses}")
    return {
        "mode": mode,
        "workdir": workdir,
        "seconds": row["duration"],
        "wall": done.seconds,
        "requests": row["stats"].get("downloader/request_count", 0),
        "load": done.load_note(),
        "crawler_cpu": done.sampler.cpu("main"),
        "workers_cpu": done.sampler.cpu("worker"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="pages to crawl (4 per date)")
    add_latency_option(parser, (0.05, 0.15))
    parser.add_argument("--repeat", type=int, default=1, help="crawls of each mode (best counts)")
    args = parser.parse_args()

    cores = os.cpu_count()
    root, dates = cached_site(args.pages)
    pages = len(dates) * 4
    print(
        f"site: {pages} pages ({len(dates)} dates x 4), latency "
        f"{args.latency[0] * 1000:.0f}-{args.latency[1] * 1000:.0f} ms, "
        f"CONCURRENT_REQUESTS_PER_DOMAIN=8; {cores} cores, load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    with served(root, tuple(args.latency)) as site:
        for attempt in range(args.repeat):
            for mode in MODES:
                result = crawl_once(site, dates, mode, pages)
                results[mode].append(result)
                print(
                    f"  [{attempt + 1}] extraction {mode:20}: {result['seconds']:6.1f} s "
                    f"(wall {result['wall']:.1f} s), {pages / result['seconds']:5.1f} pages/s, "
                    f"{result['requests']} requests; {result['load']}",
                    flush=True,
                )
        # Extraction throughput: the deferred path over the pages the "off" crawl stored.
        off_dir = results["off"][-1]["workdir"]
        extract = run(
            [
                NEWSARCHIVE,
                "reextract",
                "--db",
                str(off_dir / "archive.db"),
                "--files",
                str(off_dir / "files"),
            ],
            off_dir,
            sample=0.25,
        )
        print(f"  extraction alone (reextract): {extract.seconds:.1f} s; {extract.load_note()}")
    off = min(results["off"], key=lambda r: r["seconds"])
    on = min(results["on"], key=lambda r: r["seconds"])
    rates = {
        "crawl, extraction off (download throughput)": (off["seconds"], pages / off["seconds"]),
        "crawl, extraction on": (on["seconds"], pages / on["seconds"]),
        f"extraction alone (reextract, {cores} cores)": (extract.seconds, pages / extract.seconds),
    }
    print()
    print(f"{'':46}{'seconds':>9}{'pages/s':>9}")
    for name, (seconds, rate) in rates.items():
        print(f"{name:46}{seconds:9.1f}{rate:9.1f}")
    print()
    for result in (off, on):
        print(
            f"CPU, extraction {result['mode']:3}: crawler process "
            f"{result['crawler_cpu'] / result['wall']:.2f} cores, extraction workers "
            f"{result['workers_cpu'] / result['wall']:.2f} cores (of {cores})"
        )
    bare = min(results["on, no article pages"], key=lambda r: r["seconds"])
    print()
    print("The site's article pages (FETCH_ARTICLE_PAGES), extraction on:")
    print(f"{'':30}{'requests/page':>14}{'s/page':>9}")
    for name, result in (("without article pages", bare), ("with article pages", on)):
        print(f"{name:30}{result['requests'] / pages:14.2f}{result['seconds'] / pages:9.3f}")
    print(
        f"cost of the article pages: {on['requests'] / bare['requests']:.2f}x the requests, "
        f"{on['seconds'] / bare['seconds']:.2f}x the crawl time"
    )
    download_rate, _, extract_rate = (rate for _, rate in rates.values())
    ratio = on["seconds"] / off["seconds"]
    print(f"crawl time on/off: {ratio:.2f}x (target <= 1.20x when extraction is faster)")
    if extract_rate > download_rate:
        verdict = "met" if ratio <= 1.2 else "MISSED"
        print(
            f"extraction alone is {extract_rate / download_rate:.2f}x faster than download: "
            f"the target applies, {verdict}"
        )
    else:
        print(
            f"extraction alone is {download_rate / extract_rate:.2f}x slower than download: "
            f"the crawl is bound by extraction (best possible on/off here: about "
            f"{download_rate / extract_rate:.2f}x)"
        )


if __name__ == "__main__":
    main()
