"""``newsarchive reextract`` over 10,000 stored pages on both cores, against the 10-minute target.

Run: ``.venv/bin/python bench/reextract.py [--pages 10000] [--distinct 300] [--subset 400]``

Builds (once, cached under bench/out/reextract/) ``--distinct`` dense broadsheet page PDFs
(``crawler.demo.editions.broadsheet_specs``) in a content-addressed files store, and an
archive of ``--pages`` page rows registered with ``Archive.save_page`` as ``pending`` (PDF
stored, not extracted), each pointing at one of those PDFs. Then, on a fresh copy of that
archive each time, runs the real CLI in a subprocess and times it (wall clock, process start
to exit):

* ``newsarchive reextract`` (default workers: one per core) over all ``--pages`` pages;
* the same, and ``--workers 1``, over the first ``--subset`` pages: the 2-core speed-up.

Prints pages/s, the time for 10,000 pages (projected from the rate when ``--pages`` is not
10,000) against the 10-minute target, the CPU used by the writer (the CLI process, which
stores every result) and by the extraction workers, and the speed-up over one worker.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from common import FIRST_DATE, NEWSARCHIVE, OUT, page_statuses, run

from crawler.demo.editions import broadsheet_specs
from crawler.demo.typesetter import typeset_page
from pipelines.archive import Archive
from pipelines.files import content_path

TARGET_PAGES = 10_000
TARGET_SECONDS = 600
BASE = OUT / "reextract"


def stored_pdfs(distinct: int) -> list[dict]:
    """``distinct`` typeset page PDFs in BASE/files (content-addressed); path, sha256, size."""
    manifest = BASE / f"pdfs-{distinct}.json"
    if manifest.exists():
        return json.loads(manifest.read_text())
    print(f"typesetting {distinct} broadsheet pages …", flush=True)
    files = BASE / "files"
    pdfs = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, spec in enumerate(broadsheet_specs(distinct, seed=3)):
            pdf = Path(tmp) / f"{number}.pdf"
            typeset_page(spec, pdf)
            body = pdf.read_bytes()
            sha256 = hashlib.sha256(body).hexdigest()
            target = files / content_path(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, target)
            pdfs.append({"path": content_path(sha256), "sha256": sha256, "size": len(body)})
    manifest.write_text(json.dumps(pdfs))
    return pdfs


def pending_archive(pages: int, pdfs: list[dict]) -> Path:
    """An archive of ``pages`` pending pages over ``pdfs`` (built once per size)."""
    path = BASE / f"pending-{pages}-{len(pdfs)}.db"
    if path.exists():
        return path
    print(f"registering {pages} pending pages …", flush=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    with Archive(building) as archive:
        archive.db.execute("PRAGMA synchronous = OFF")  # building the fixture, not measured
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报", "family": "founder_col"})
        for i in range(pages):
            pdf = pdfs[i % len(pdfs)]
            day = (FIRST_DATE + timedelta(days=i // 4)).isoformat()
            archive.save_page(
                {
                    "paper": "xcrb",
                    "date": day,
                    "page_no": i % 4 + 1,
                    "page_label": f"{i % 4 + 1:02d}",
                    "pdf_url": f"http://127.0.0.1/xcrb/{day}/{i % 4 + 1}.pdf",
                    "pdf_path": pdf["path"],
                    "sha256": pdf["sha256"],
                    "size": pdf["size"],
                    "status": "pending",
                    "reason": "not extracted yet",
                }
            )
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    building.rename(path)
    return path


def reextract(template: Path, name: str, workers: int | None = None) -> dict:
    """Run ``newsarchive reextract`` on a fresh copy of ``template``; its figures."""
    workdir = BASE / "runs" / name
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    db = workdir / "archive.db"
    shutil.copyfile(template, db)
    with closing(sqlite3.connect(db)) as conn:
        pages = conn.execute("select count(*) from pages").fetchone()[0]
    command = [NEWSARCHIVE, "reextract", "--db", str(db), "--files", str(BASE / "files")]
    if workers:
        command += ["--workers", str(workers)]
    done = run(command, workdir, sample=0.5)
    statuses = page_statuses(db)
    if statuses.get("ok", 0) < pages * 0.95:
        raise SystemExit(f"reextract {name}: statuses {statuses}")
    return {
        "pages": pages,
        "seconds": done.seconds,
        "rate": pages / done.seconds,
        "writer": done.sampler.cpu("main") / done.seconds,
        "workers": done.sampler.cpu("worker") / done.seconds,
        "load": done.load_note(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=TARGET_PAGES, help="stored pages")
    parser.add_argument("--distinct", type=int, default=300, help="distinct page PDFs")
    parser.add_argument(
        "--subset", type=int, default=400, help="pages of the 1-worker/2-worker comparison"
    )
    args = parser.parse_args()
    cores = os.cpu_count()

    pdfs = stored_pdfs(args.distinct)
    full = pending_archive(args.pages, pdfs)
    subset = pending_archive(min(args.subset, args.pages), pdfs)
    print(f"{cores} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    size = min(args.subset, args.pages)
    results = {}
    for name, slug, template, workers in (
        (f"subset ({size} pages), 1 worker", "subset-1", subset, 1),
        (f"subset ({size} pages), default workers", "subset", subset, None),
        (f"all {args.pages} pages, default workers", "all", full, None),
    ):
        results[name] = result = reextract(template, slug, workers)
        print(
            f"  {name}: {result['seconds']:.1f} s, {result['rate']:.1f} pages/s; {result['load']}",
            flush=True,
        )
    print()
    print(f"{'':46}{'seconds':>9}{'pages/s':>9}{'writer CPU':>12}{'workers CPU':>13}")
    for name, r in results.items():
        print(
            f"{name:46}{r['seconds']:9.1f}{r['rate']:9.1f}{r['writer']:8.2f} core"
            f"{r['workers']:8.2f} cores"
        )
    one, two, whole = results.values()
    projected = TARGET_PAGES / whole["rate"]
    how = "measured" if args.pages == TARGET_PAGES else "projected from the rate"
    print()
    print(
        f"10,000 pages: {projected:.0f} s ({projected / 60:.1f} min, {how}); target "
        f"{TARGET_SECONDS / 60:.0f} min: {projected / TARGET_SECONDS:.2f}x of it, "
        f"{'met' if projected <= TARGET_SECONDS else 'MISSED'}"
    )
    print(
        f"speed-up of the default workers ({cores} cores) over 1 worker on the subset: "
        f"{two['rate'] / one['rate']:.2f}x"
    )


if __name__ == "__main__":
    main()
