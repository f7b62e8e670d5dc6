"""A small archive with real page PDFs for the reading-room tests: two editions of 许昌日报
typeset by the demo's typesetter, articles stored from the typesetter's truth (boxes
included), one day missing between them and one page whose PDF was never downloaded."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page
from pipelines.archive import Archive

DATES = [datetime.date(2023, 6, 14), datetime.date(2023, 6, 16)]  # 06-15 is missing
PAGES = 2
PAPER = {"id": "xcrb", "name": "许昌日报", "family": "founder_col",
         "homepage": "https://szb.21xc.com/xcrb/"}


def build_reading_room(root: Path) -> tuple[Path, Path, dict]:
    """Write archive.db and files/ under ``root``; return (db, files dir, truth by page
    (date, page_no))."""
    db_path, files = root / "archive.db", root / "files"
    truths = {}
    with Archive(db_path) as archive:
        archive.upsert_paper(PAPER)
        for day in DATES:
            for spec in edition_specs(PAPER["name"], day, pages=PAGES, seed=day.toordinal()):
                scratch = root / "page.pdf"
                truth = typeset_page(spec, str(scratch))
                data = scratch.read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                rel = f"pdf/{sha[:2]}/{sha}.pdf"
                (files / rel).parent.mkdir(parents=True, exist_ok=True)
                (files / rel).write_bytes(data)
                page_no = int(spec.page_label)
                page = {"paper": PAPER["id"], "date": day.isoformat(), "page_no": page_no,
                        "page_label": spec.page_label,
                        "page_name": f"第{spec.page_label}版：{spec.page_name}",
                        "pdf_path": rel, "sha256": sha, "size": len(data),
                        "pdf_url": f"https://szb.21xc.com/xcrb/{day}/{page_no}.pdf",
                        "status": "ok", "extractor": "truth", "extractor_version": "0"}
                archive.save_page(page, truth["articles"])
                truths[(day.isoformat(), page_no)] = truth
        archive.save_page(  # listed in the edition, no PDF here
            {"paper": PAPER["id"], "date": DATES[-1].isoformat(), "page_no": PAGES + 1,
             "page_label": f"{PAGES + 1:02d}", "page_name": "第03版：专版",
             "pdf_url": "https://szb.21xc.com/xcrb/missing.pdf", "status": "ok"},
            [{"title": "没有PDF的版面文章", "body": "正文。", "bbox": [10, 10, 100, 100]}],
        )
    return db_path, files, truths
