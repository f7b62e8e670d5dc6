"""Attacks on ``newsarchive serve`` by anyone who can reach it (issue #14, items 1, 2, 3, 8)."""

from __future__ import annotations

import pytest

from pipelines.archive import Archive
from publish.server import build_datasette
from tests.test_publish import get

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
POLYGLOT = b"<html><script>alert(document.domain)</script><!--\n" + PDF + b"-->\n</html>"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An archive of two pages: one stored PDF, one polyglot stored by an older version."""
    root = tmp_path_factory.mktemp("served")
    files = root / "files"
    for name, body in (("pdf/aa/good.pdf", PDF), ("pdf/bb/polyglot.pdf", POLYGLOT)):
        (files / name).parent.mkdir(parents=True, exist_ok=True)
        (files / name).write_bytes(body)
    with Archive(root / "archive.db") as archive:
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报"})
        for page_no, path in ((1, "pdf/aa/good.pdf"), (2, "pdf/bb/polyglot.pdf")):
            archive.save_page(
                {"paper": "xcrb", "date": "2023-06-16", "page_no": page_no, "status": "ok",
                 "pdf_path": path, "pdf_url": f"https://example.org/{page_no}.pdf",
                 "page_url": f"file:///home/importer/scans/p{page_no}.pdf"},
                [{"title": f"标题{page_no}", "body": "魏都区召开疫情防控工作会议。" * 3}],
            )
    return build_datasette(root / "archive.db", files_dir=files)


def test_stored_pdfs_are_served_inline_and_never_sniffed(served):
    response = get(served, "/-/newsarchive/pdf/archive/1")
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="xcrb-2023-06-16-p01.pdf"'
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_stored_file_that_is_not_a_pdf_is_only_offered_as_a_download(served):
    response = get(served, "/-/newsarchive/pdf/archive/2")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment; ")
    assert response.headers["x-content-type-options"] == "nosniff"
