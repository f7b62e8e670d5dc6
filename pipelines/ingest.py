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
from pipelines.sandbox import LimitExceeded, Sandbox, failure_reason
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
    sandbox: Sandbox | None = None,
) -> dict:
    """Copy, extract and archive one PDF; return its ``pages`` row.

    Extraction runs in ``sandbox`` (a limited worker; one is made for this file when None):
    a PDF over its memory or time limit is archived with status error and the reason, its
    copy kept for ``reextract``. Raises ``scrapy.pipelines.media.FileException`` when the
    file is not a PDF.
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
    if sandbox is None:
        with Sandbox() as own:
            item.extraction = _extract(own, str(target), source)
    else:
        item.extraction = _extract(sandbox, str(target), source)
    row = page_row(item, source)
    archive.save_page(row, articles_of(item.extraction))
    return row


def _extract(sandbox: Sandbox, path: str, source: str) -> dict:
    try:
        return sandbox.run(extract_file, path, source)
    except LimitExceeded as exc:
        return {"status": "error", "reason": str(exc)}
    except Exception as exc:  # a bug in the engine: this file's failure, not the import's
        return {"status": "error",
                "reason": failure_reason(exc, sandbox.timeout_s, sandbox.memory_mb)}
