"""Archive ingest rate: articles per second through ``Archive.save_page`` with its search index.

Run: ``.venv/bin/python bench/ingest.py [--pages 2000] [--distinct 40] [--repeat 2]``

The rows are real extraction output: ``--distinct`` dense broadsheet pages
(``crawler.demo.editions.broadsheet_specs``) are typeset and extracted once (pypdfium2),
then ``--pages`` pages (4 per date, each carrying the articles of one of those pages) are
written into a fresh archive, one transaction per page, as the crawl and ``reextract`` do:

* save_page        - ``pipelines.archive.Archive.save_page``: page row, articles, search
                     shadow text and FTS5 index (the real code path);
* save_page, NORMAL - the same with ``PRAGMA synchronous = NORMAL`` (how much of it is the
                     fsync of every commit);
* baseline         - plain sqlite-utils inserts of the same page and article rows into the
                     same tables (``ensure_schema``), no search index, one transaction per
                     page, in the same run.

Prints articles/s and pages/s of each and the ratio to the baseline; the fastest of
``--repeat`` alternating rounds counts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlite_utils
from common import FIRST_DATE, OUT, fresh_dir

from crawler.demo.editions import broadsheet_specs
from crawler.demo.typesetter import typeset_page
from pipelines.archive import Archive
from pipelines.archive.schema import ensure_schema
from pipelines.extraction import articles_of, extract_file, extraction_fields

Rows = list[tuple[dict, list[dict]]]  # (page row, its articles)


def extracted_pages(count: int) -> list[tuple[dict, list[dict]]]:
    """(page fields, articles) of ``count`` typeset and extracted broadsheet pages."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, spec in enumerate(broadsheet_specs(count, seed=11)):
            pdf = Path(tmp) / f"{number}.pdf"
            typeset_page(spec, pdf)
            doc = extract_file(str(pdf), "pypdfium2")
            out.append((extraction_fields(doc, "pypdfium2"), articles_of(doc)))
    return out


def page_rows(pages: int, docs: list[tuple[dict, list[dict]]]) -> Rows:
    """``pages`` (page row, articles): 4 pages a date from xcrb's first date."""
    rows = []
    for i in range(pages):
        fields, articles = docs[i % len(docs)]
        day = (FIRST_DATE + timedelta(days=i // 4)).isoformat()
        row = {
            "paper": "xcrb",
            "date": day,
            "page_no": i % 4 + 1,
            "page_label": f"{i % 4 + 1:02d}",
            "page_url": f"http://127.0.0.1/xcrb/{day}/col{i % 4 + 1:02d}.html",
            "pdf_url": f"http://127.0.0.1/xcrb/{day}/{i}.pdf",
            "pdf_path": f"pdf/00/{i:064d}.pdf",
            "sha256": f"{i:064d}",
            "size": 50_000,
            "http_status": 200,
            "fetched_at": "2024-01-01T00:00:00+00:00",
            **fields,
        }
        rows.append((row, articles))
    return rows


def real(path: Path, rows: Rows, synchronous: str | None = None) -> float:
    """Seconds to store ``rows`` with Archive.save_page."""
    archive = Archive(path)
    if synchronous:
        archive.db.execute(f"PRAGMA synchronous = {synchronous}")
    started = time.perf_counter()
    for row, articles in rows:
        archive.save_page(row, articles)
    seconds = time.perf_counter() - started
    archive.close()
    return seconds


def baseline(path: Path, rows: Rows) -> float:
    """Seconds to insert the same page and article rows with plain sqlite-utils, no index."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    ensure_schema(db)
    pages, articles_table = db["pages"], db["articles"]
    started = time.perf_counter()
    for row, articles in rows:
        with db.conn:  # one transaction per page, as save_page
            page_id = pages.insert(row).last_pk
            articles_table.insert_all(
                Archive._article_row(page_id, row, seq, a) for seq, a in enumerate(articles, 1)
            )
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages to store")
    parser.add_argument("--distinct", type=int, default=40, help="distinct extracted pages")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (fastest counts)")
    args = parser.parse_args()

    print(f"typesetting and extracting {args.distinct} broadsheet pages …", flush=True)
    rows = page_rows(args.pages, extracted_pages(args.distinct))
    articles = sum(len(a) for _, a in rows)
    print(f"storing {args.pages} pages, {articles} articles ({articles / args.pages:.1f} a page)")
    out = fresh_dir(OUT / "ingest")
    ways = {
        "baseline (sqlite-utils inserts, no index)": lambda p: baseline(p, rows),
        "Archive.save_page (search index)": lambda p: real(p, rows),
        "Archive.save_page, synchronous=NORMAL": lambda p: real(p, rows, "NORMAL"),
    }
    best: dict[str, float] = {}
    for attempt in range(args.repeat):
        for number, (name, way) in enumerate(ways.items()):
            path = out / f"{attempt}-{number}.db"
            seconds = way(path)
            best[name] = min(best.get(name, seconds), seconds)
            print(f"  [{attempt + 1}] {name}: {seconds:.2f} s", flush=True)
    base = best["baseline (sqlite-utils inserts, no index)"]
    print()
    print(f"{'':44}{'seconds':>9}{'articles/s':>12}{'pages/s':>9}{'vs baseline':>13}")
    for name, seconds in best.items():
        print(
            f"{name:44}{seconds:9.2f}{articles / seconds:12,.0f}{args.pages / seconds:9.0f}"
            f"{seconds / base:12.1f}x"
        )
    per_page = best["Archive.save_page (search index)"] / args.pages * 1000
    print()
    print(
        f"save_page: {per_page:.1f} ms a page; the crawl calls it on the reactor thread, "
        "once per page"
    )


if __name__ == "__main__":
    main()
