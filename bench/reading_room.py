"""Reading-room benchmark (issue #15): home page, hits-per-month chart, page images.

    .venv/bin/python bench/reading_room.py                    # 1,000,000 articles
    .venv/bin/python bench/reading_room.py --articles 100000  # a quick run
    .venv/bin/python bench/reading_room.py --reuse            # the archive of a former run
    .venv/bin/python bench/reading_room.py --distinct 20000   # built fast: 20,000 articles
                                                              # repeated to 1,000,000

Uses the synthetic archive of ``bench/search.py`` (built here when missing, same file under
bench/out/), gives 20 of its pages a typeset page PDF each (the demo's typesetter), serves it
with uvicorn on 127.0.0.1 and times over real HTTP, warm:

* the home page ``/`` (coverage of every paper, latest editions) against Datasette's own
  index ``/.json`` in the same run;
* the chart (SVG) and its CSV for the 2-character words of bench/search.py, against the
  table JSON search for the same words (``/archive/articles.json?_search=``);
* a page image's first render (1000 px, cache empty), then from the cache.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search import QUERIES_2, _free_port, build, pct  # noqa: E402

PDF_PAGES = 20  # pages given a PDF for the image timings
TARGETS = {"home": 300, "chart": 500, "image_cached": 50, "image_first": 1000}  # ms, p95


def attach_pdfs(db: Path, files: Path, n: int) -> list[int]:
    """Give the first ``n`` pages a typeset PDF each; return their ids."""
    import datetime

    from crawler.demo.editions import edition_specs
    from crawler.demo.typesetter import typeset_page

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("select id from pages order by id limit ?", [n])]
    for k, page_id in enumerate(ids):
        day = datetime.date(2023, 6, 1) + datetime.timedelta(days=k)
        spec = edition_specs("许昌日报", day, pages=1, seed=k)[0]
        tmp = files / "page.pdf"
        files.mkdir(parents=True, exist_ok=True)
        typeset_page(spec, str(tmp))
        data = tmp.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        rel = f"pdf/{sha[:2]}/{sha}.pdf"
        (files / rel).parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(files / rel)
        conn.execute("update pages set pdf_path = ?, sha256 = ? where id = ?", [rel, sha, page_id])
    conn.commit()
    conn.close()
    return ids


def serve(db: Path, files: Path, cache: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    code = (f"from publish.server import serve; serve({str(db)!r}, port={port}, "
            f"files_dir={str(files)!r})")
    env = {**os.environ, "NEWSARCHIVE_CACHE": str(cache)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def times(client: httpx.Client, url: str, params: dict | None, repeats: int,
          warm: bool = True) -> list[float]:
    if warm:
        response = client.get(url, params=params)
        response.raise_for_status()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        client.get(url, params=params).raise_for_status()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(name: str, values: list[float], baseline: list[float] | None = None,
         target: int | None = None) -> str:
    text = f"{name:<44} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms"
    if baseline:
        text += f"   {pct(values, 95) / pct(baseline, 95):5.2f}x baseline p95"
    if target is not None:
        text += f"   target <= {target} ms: {'met' if pct(values, 95) <= target else 'MISSED'}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--distinct", type=int, default=0, help="build from this many "
                        "distinct articles, repeated (fast, bench/search.py)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / f"search-{args.articles}.db"
    if not (args.reuse and db.exists()):
        t0 = time.perf_counter()
        build(db, args.articles, args.seed, args.workers, args.distinct)
        print(f"archive built in {time.perf_counter() - t0:.0f} s")
    files, cache = args.out / "room-files", args.out / "room-cache"
    shutil.rmtree(cache, ignore_errors=True)
    page_ids = attach_pdfs(db, files, PDF_PAGES)
    print(f"reading-room benchmark: {args.articles:,} articles, {db}")
    proc, base = serve(db, files, cache)
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            stock = times(client, "/.json", None, args.repeats)
            home = times(client, "/", None, args.repeats)
            search, chart, chart_csv = [], [], []
            for q in QUERIES_2:
                search += times(client, "/archive/articles.json", {"_search": q}, args.repeats)
                chart += times(client, "/-/newsarchive/timeline/archive.svg", {"q": q},
                               args.repeats)
                chart_csv += times(client, "/-/newsarchive/timeline/archive.csv",
                                   {"q": q, "normalise": "1"}, args.repeats)
            first = []
            for page_id in page_ids:
                first += times(client, f"/-/newsarchive/image/archive/{page_id}/1000.jpg",
                               None, 1, warm=False)
            cached = []
            for page_id in page_ids:
                cached += times(client, f"/-/newsarchive/image/archive/{page_id}/1000.jpg",
                                None, args.repeats)
            view = []
            for page_id in page_ids:
                view += times(client, f"/-/newsarchive/page/archive/{page_id}", {"q": "魏都区"},
                              args.repeats // 2 or 1)
    finally:
        proc.terminate()
        proc.wait(10)
    print(line("baseline: Datasette's index /.json", stock))
    print(line("home page /", home, stock, TARGETS["home"]))
    print(line("baseline: table JSON search, 2-char words", search))
    print(line("chart SVG, 2-char words", chart, search, TARGETS["chart"]))
    print(line("chart CSV (normalised), 2-char words", chart_csv, search))
    print(line("page image, first render (1000 px)", first, None, TARGETS["image_first"]))
    print(line("page image from cache", cached, None, TARGETS["image_cached"]))
    print(line("page view with hit boxes (魏都区)", view))


if __name__ == "__main__":
    main()
