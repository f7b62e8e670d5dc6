"""Hostile input from sites and files: links a crawl must not follow (issue #14, item 6),
HTML/PDF polyglots (item 8)."""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from click.testing import CliRunner
from scrapy.pipelines.media import FileException
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.cli import EXIT_PAGES_FAILED, cli
from crawler.demo.server import LocalSite
from crawler.demo.site import build_site
from pipelines.files import check_pdf
from tests.crawling import run_spider

DAY = datetime.date(2023, 6, 15)


@deferred_f_from_coro_f
async def test_javascript_links_are_failures_not_exceptions(tmp_path):
    root = tmp_path / "site"
    build_site(root, dates=[DAY], pages=3)
    layout = root / "xcrb" / "PC" / "layout" / "202306" / "15"
    page2 = (layout / "col02.html").read_text(encoding="utf-8")
    visible = page2.split('<div class="pull-right"><a href="', 1)[1].split('"', 1)[0]
    (layout / "col02.html").write_text(
        page2.replace(visible, "javascript:alert(document.cookie)//.pdf"), encoding="utf-8")
    for page in layout.glob("col*.html"):  # page 3's link in every page list
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('href="col03.html"', 'href="javascript:go(3)//col03.html"'),
                        encoding="utf-8")
    with LocalSite(root) as site:
        stats = await run_spider(tmp_path / "run", paper="xcrb", start=DAY.isoformat(),
                                 end=DAY.isoformat(), base_url=f"{site.url}/xcrb/")
    db = tmp_path / "run" / "archive.db"
    with sqlite3.connect(db) as conn:
        pages = conn.execute("select page_no, status from pages").fetchall()
        failures = conn.execute("select page_no, stage, reason, url from failures "
                                "order by page_no").fetchall()
    assert pages == [(1, "ok")]
    assert [(n, stage, reason) for n, stage, reason, _ in failures] == [
        (2, "page",
         "the page's PDF link is not an http(s) URL: 'javascript:alert(document.cookie)//.pdf'"),
        (3, "page", "the page link is not an http(s) URL: 'javascript:go(3)//col03.html'"),
    ]
    assert failures[0][3].endswith("/col02.html") and failures[1][3].endswith("/col01.html")
    assert stats.get("log_count/ERROR", 0) == 0
    assert stats.get("spider_exceptions/ValueError", 0) == 0


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
POLYGLOT = b"<html><script>alert(document.domain)</script><!--\n" + PDF + b"-->\n</html>"


@pytest.mark.parametrize("body", [PDF, b"\xef\xbb\xbf" + PDF, b"\r\n \t" + PDF,
                                  b"\xef\xbb\xbf\n" + PDF])
def test_a_pdf_header_may_follow_a_bom_or_white_space_only(body):
    check_pdf(body, "application/pdf")


@pytest.mark.parametrize("body", [POLYGLOT, b"GIF89a" + PDF, b"x" + PDF, b"\xef\xbb\xbfx" + PDF])
def test_anything_else_before_the_header_is_not_a_pdf(body):
    with pytest.raises(FileException, match=r"^not a PDF \(application/pdf\), starts with "):
        check_pdf(body, "application/pdf")


def test_import_refuses_a_polyglot_and_stores_nothing(tmp_path):
    polyglot = tmp_path / "page.pdf"
    polyglot.write_bytes(POLYGLOT)
    files = tmp_path / "files"
    result = CliRunner().invoke(cli, ["import", "--paper", "xcrb", "--date", "2023-06-16",
                                      "--db", str(tmp_path / "archive.db"), "--files",
                                      str(files), str(polyglot)])
    assert result.exit_code == EXIT_PAGES_FAILED, result.output
    assert f"{polyglot}: not a PDF (unknown type), starts with '<html><script>" in result.output
    assert not files.exists() or not any(files.rglob("*.pdf"))
