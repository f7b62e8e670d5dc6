"""Archive page PDFs that are already on disk (``newsarchive import``), without a crawl.

The same steps as a crawled page: content-addressed copy into the files store, extraction,
one archive transaction; only the provenance differs: no source URL and no HTTP status. The
file's path is not recorded (a file:// URL names the importer's disk, and the archive is
published); its sha256 identifies it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from crawler.items import PageItem
from pipelines.archive import Archive
from pipelines.archive.store import now
from pipelines.extraction import articles_of, extract_file
from pipelines.files import check_pdf, content_path, write_once
from pipelines.storage import page_row


def ingest_pdf(
    archive: Archive,
    files_store: str | Path,
    pdf: str | Path,
    *,
    paper: str,
    date: str,
    page_no: int,
    page_name: str | None = None,
    source: str = "pypdfium2",
) -> dict:
    """Copy, extract and archive one PDF; return its ``pages`` row.

    Raises ``scrapy.pipelines.media.FileException`` when the file is not a PDF.
    """
    pdf = Path(pdf)
    body = pdf.read_bytes()
    check_pdf(body)
    sha256 = hashlib.sha256(body).hexdigest()
    relative = content_path(sha256)
    target = Path(files_store) / relative
    write_once(target, body)
    item = PageItem(
        paper=paper,
        date=date,
        page_no=page_no,
        page_label=f"{page_no:02d}",
        page_name=page_name,
        page_url=None,
        pdf_url=None,
        files=[{"path": relative, "checksum": sha256, "size": len(body)}],
        fetched_at=now(),
    )
    item.extraction = extract_file(str(target), source)
    row = page_row(item, source)
    archive.save_page(row, articles_of(item.extraction))
    return row
