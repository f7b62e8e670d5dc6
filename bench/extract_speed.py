"""Extraction speed on generated broadsheet pages: ours (pypdfium2, pdfplumber) vs naive.

Run: ``.venv/bin/python bench/extract_speed.py [--pages N] [--rounds R]``

All three run in this one process over the same page files (each page is its own PDF, as a
crawler sees them). Peak RSS is measured in a fresh worker process that extracts every page
with the default source, the way the crawl's process pool runs it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

import pipelines.extract.warm  # noqa: E402,F401  (set up as the crawl's workers are: GC tuned)
from crawler.demo.editions import broadsheet_specs  # noqa: E402
from crawler.demo.typesetter import typeset_page  # noqa: E402
from pipelines.extract import extract_pdf  # noqa: E402

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, from the bench's own process
WORKER = """
import re, sys
sys.path.insert(0, {root!r})
import pipelines.extract.warm
from pipelines.extract import extract_pdf
for path in sys.argv[1:]:
    extract_pdf(path)
print(re.search(r"VmHWM:\\s*(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


def naive(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pdftotext runs as one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def one_pass(func, paths: list[Path]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one pass of ``func`` over all pages."""
    started, used = time.perf_counter(), cpu_seconds()
    for path in paths:
        func(path)
    return time.perf_counter() - started, cpu_seconds() - used


def rates(func, paths: list[Path], rounds: int) -> tuple[float, float]:
    """Pages per wall-clock second and per CPU-second, each the best of ``rounds`` passes
    over all pages. Per CPU-second is one core's throughput: time that other processes of a
    shared machine take from this one does not count."""
    return best_rates([one_pass(func, paths) for _ in range(rounds)], len(paths))


def best_rates(passes: list[tuple[float, float]], pages: int) -> tuple[float, float]:
    """Pages per wall-clock second and per CPU-second of the best of ``passes``."""
    return pages / min(w for w, _ in passes), pages / min(c for _, c in passes)


def interleaved_passes(funcs: dict[str, tuple], paths: list[Path]) -> dict[str, list]:
    """(wall, CPU) seconds of each pass of each extractor (name: (func, passes)), taken
    in turn (A B C, A B C, ...): a slow spell of a shared machine then falls on every
    extractor alike, so the ratio of two extractors' passes of one turn is a fair pair."""
    out: dict[str, list] = {name: [] for name in funcs}
    for turn in range(max(n for _, n in funcs.values())):
        for name, (func, n) in funcs.items():
            if turn < n:
                out[name].append(one_pass(func, paths))
    return out


def paired_pages(a, b, paths: list[Path], rounds: int) -> tuple[list[float], list[float]]:
    """Each page's best CPU seconds under ``a`` and under ``b`` (both in this process) over
    ``rounds`` rounds, the two taken back to back on every page, first one then the other in
    turn: a slow spell of a shared machine lasts seconds, so it falls on both sides of a
    page's pair, where a pass of naive pdfplumber (seconds) and one of ours (a fraction of
    one) rarely meet the same spell."""
    best_a, best_b = [float("inf")] * len(paths), [float("inf")] * len(paths)
    for turn in range(rounds):
        for k, path in enumerate(paths):
            sides = [(a, best_a), (b, best_b)]
            for func, best in sides if (turn + k) % 2 == 0 else reversed(sides):
                started = time.process_time()
                func(path)
                best[k] = min(best[k], time.process_time() - started)
    return best_a, best_b


def rate(func, paths: list[Path], rounds: int) -> float:
    """Pages per second (wall clock), best of ``rounds`` passes over all pages."""
    return rates(func, paths, rounds)[0]


def worker_peak_rss(paths: list[Path]) -> float:
    """Peak RSS (MiB) of a fresh worker process extracting every page."""
    out = subprocess.run(
        [sys.executable, "-c", WORKER.format(root=str(ROOT)), *map(str, paths)],
        check=True, capture_output=True, text=True,
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        glyphs = 0
        for i, spec in enumerate(broadsheet_specs(args.pages, seed=args.seed)):
            path = Path(tmp) / f"page{i}.pdf"
            truth = typeset_page(spec, str(path))
            glyphs += sum(len(a["body"]) for a in truth["articles"])
            paths.append(path)
        extract_pdf(paths[0])  # warm imports and caches (wordfreq, fonts)
        ours = rate(lambda p: extract_pdf(p, source="pypdfium2"), paths, args.rounds)
        plumber = rate(lambda p: extract_pdf(p, source="pdfplumber"), paths, 1)
        baseline = rate(naive, paths, 1)
        rss = worker_peak_rss(paths)
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{args.pages} generated pages (seed {args.seed}), ~{glyphs // args.pages} body "
          f"glyphs a page; this process peaked at {self_rss} MiB")
    print(f"{'extractor':34} {'pages/s':>8} {'vs naive':>9}")
    for name, value in (("ours, pypdfium2 chars (default)", ours),
                        ("ours, pdfplumber chars", plumber),
                        ("naive pdfplumber extract_text()", baseline)):
        print(f"{name:34} {value:8.1f} {value / baseline:8.1f}x")
    print(f"peak RSS of a worker extracting all pages: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
