"""Extraction throughput: our engine against naive pdfplumber and poppler's pdftotext,
in one process and across N worker processes.

Run: ``.venv/bin/python bench/extract_throughput.py [--pages N] [--workers W] [--rounds R]``
(needs Debian's poppler-utils for ``pdftotext``, the C++ reference: it gives no article
structure, only text).

Every page is its own PDF, as the crawler sees them: by default the 24 practice pages
(``../shared/corpus/practice``, typeset by someone else; issue #12 judges speed on them), with
``--generated`` (or where that folder is absent) pages typeset by ``broadsheet_specs``.
Targets: >= 30 pages per CPU-second with the default source, >= 8x naive ``extract_text()``,
within 3x of ``pdftotext``; each worker's peak RSS <= 300 MB.

The extractors' passes are taken in turn (ours, naive, pdftotext, ours, ...), each keeps its
best, and the ratio to naive is also printed pass by pass with its median. On a shared,
noisy machine the steadiest figures come last: ours and naive taken back to back on each
page (``paired_pages``), each page's best of the rounds, summed over the pages.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from extract_speed import (  # noqa: E402
    best_rates,
    interleaved_passes,
    naive,
    paired_pages,
    worker_peak_rss,
)

from crawler.demo.editions import broadsheet_specs  # noqa: E402
from crawler.demo.typesetter import typeset_page  # noqa: E402
from pipelines.extract import extract_pdf  # noqa: E402
from pipelines.extraction import extract_file, new_pool  # noqa: E402
from tests.corpora import PRACTICE_CORPUS  # noqa: E402


def pdftotext(path: Path) -> str:
    """poppler's reading-order text of a page (a process per page, as a pipeline would)."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pool_rate(paths: list[Path], workers: int) -> float:
    """Pages per second through the crawl's process pool with ``workers`` processes."""
    pool = new_pool(workers, max_tasks=0)
    try:
        for future in [pool.schedule(extract_file, (str(p), "pypdfium2")) for p in paths[:workers]]:
            future.result()  # start and warm every worker
        started = time.perf_counter()
        futures = [pool.schedule(extract_file, (str(p), "pypdfium2")) for p in paths]
        for future in futures:
            future.result()
        return len(paths) / (time.perf_counter() - started)
    finally:
        pool.close()
        pool.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16, help="distinct generated pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5,
                        help="passes over the pages; each extractor keeps its best")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--generated", action="store_true",
                        help="our own typeset pages instead of the practice pages")
    args = parser.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext not found: apt-get install poppler-utils")
    practice = sorted(PRACTICE_CORPUS.glob("*.pdf")) if not args.generated else []
    with tempfile.TemporaryDirectory() as tmp:
        paths = practice
        for i, spec in enumerate(broadsheet_specs(args.pages, seed=args.seed) if not practice
                                 else []):
            paths.append(Path(tmp) / f"page{i}.pdf")
            typeset_page(spec, str(paths[-1]))
        extract_pdf(paths[0])  # warm imports and caches
        passes = interleaved_passes({
            "ours, pypdfium2 (default)": (extract_pdf, args.rounds),
            "ours, pdfplumber source": (lambda p: extract_pdf(p, source="pdfplumber"), 1),
            "naive pdfplumber extract_text()": (naive, args.rounds),
            "pdftotext (poppler, C++)": (pdftotext, args.rounds),
        }, paths)
        results = {name: best_rates(runs, len(paths)) for name, runs in passes.items()}
        paired = sorted(n[1] / o[1] for o, n in zip(passes["ours, pypdfium2 (default)"],
                                                    passes["naive pdfplumber extract_text()"],
                                                    strict=True))
        ours_pages, naive_pages = paired_pages(extract_pdf, naive, paths, args.rounds)
        pooled = pool_rate(paths * 2, args.workers)
        rss = worker_peak_rss(paths)
    ours, ours_cpu = results["ours, pypdfium2 (default)"]
    naive_rate, naive_cpu = results["naive pdfplumber extract_text()"]
    reference, reference_cpu = results["pdftotext (poppler, C++)"]
    kind = (f"{len(paths)} practice pages" if practice
            else f"{args.pages} generated broadsheet pages (seed {args.seed})")
    print(f"{kind}, one process:")
    print(f"  {'extractor':34} {'pages/s':>8} {'vs naive':>9} {'pages/CPU-s':>12} {'vs naive':>9}")
    for name, (value, cpu) in results.items():
        print(f"  {name:34} {value:8.1f} {value / naive_rate:8.1f}x {cpu:12.1f} "
              f"{cpu / naive_cpu:8.1f}x")
    print(
        f"per core (pages per CPU-second): {ours_cpu:.1f} (target >= 30); "
        f"ours vs naive: {ours / naive_rate:.1f}x wall, {ours_cpu / naive_cpu:.1f}x CPU "
        f"(target >= 8x); pdftotext is {reference / ours:.2f}x faster than ours "
        f"({reference_cpu / ours_cpu:.2f}x in CPU; target <= 3x)"
    )
    print(f"ours vs naive, pass by pass (CPU; passes taken in turn): "
          f"{' '.join(f'{r:.1f}x' for r in paired)}, median {median(paired):.1f}x")
    print(f"page by page (ours and naive back to back, each page's best of {args.rounds}, CPU): "
          f"ours {len(paths) / sum(ours_pages):.1f} pages per CPU-second (target >= 30), "
          f"naive {len(paths) / sum(naive_pages):.1f}, "
          f"ours vs naive {sum(naive_pages) / sum(ours_pages):.1f}x (target >= 8x)")
    print(
        f"{args.workers} workers (pebble pool, as in the crawl): {pooled:.1f} pages/s, "
        f"{pooled / ours:.2f}x one process, {pooled / args.workers:.1f} pages/s per worker"
    )
    print(f"peak RSS of one worker extracting every page: {rss:.0f} MiB (target <= 300)")


if __name__ == "__main__":
    main()
