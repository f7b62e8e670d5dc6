"""Links a crawl must not follow: javascript: page and PDF links are recorded as the
page's failure, the other pages of the edition are archived (issue #14, item 6)."""

from __future__ import annotations

import datetime
import sqlite3

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.demo.server import LocalSite
from crawler.demo.site import build_site
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
