"""End to end: each family's fixture site crawled by the real spider into a temporary archive.

The crawl runs in-process (pytest-twisted, asyncio reactor) with the project's settings and
pipelines: FilesPipeline download, process-pool extraction, sqlite-utils archive.
"""

from __future__ import annotations

import csv as csv_module
import io
import json

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.spiders.epaper import EpaperSpider
from pipelines.archive import Archive
from tests.crawling import run_spider


def pages(db_path) -> list[tuple]:
    with Archive(db_path) as archive:
        return [
            (r["date"], r["page_no"], r["page_label"], r["page_name"], r["status"])
            for r in archive.db["pages"].rows_where(order_by="date, page_no")
        ]


def failures(db_path) -> list[tuple]:
    with Archive(db_path) as archive:
        return sorted(
            (r["date"], r["page_no"] or 0, r["stage"], r["reason"])
            for r in archive.db["failures"].rows
        )


def articles_by_page(db_path) -> dict[tuple, list[dict]]:
    with Archive(db_path) as archive:
        out: dict[tuple, list[dict]] = {}
        for r in archive.db["articles"].rows_where(order_by="date, page_no, seq"):
            out.setdefault((r["date"], r["page_no"]), []).append(r)
        return out


def pdf_articles(rows: list[dict]) -> list[dict]:
    """The PDF's own articles of a page's rows: a matched row keeps them in ``pdf_text``,
    rows of the site's articles that the PDF lacks have none."""
    out = []
    for r in rows:
        if r["pdf_text"]:
            out.append(json.loads(r["pdf_text"]))
        elif r["source"] == "pdf":
            out.append({**r, "captions": json.loads(r["captions"])})
    return out


def assert_articles_match(rows: list[dict], truth: dict) -> None:
    """The PDF's archived articles are the page's true articles, field by field, in order."""
    expected = [
        (a["kicker"], a["title"], a["subtitle"], a["byline"], a["body"], a["captions"])
        for a in truth["articles"]
    ]
    got = [
        (r["kicker"], r["title"], r["subtitle"], r["byline"], r["body"], r["captions"])
        for r in pdf_articles(rows)
    ]
    assert got == expected


@deferred_f_from_coro_f
async def test_founder_col_site(col_site, tmp_path):
    stats = await run_spider(
        tmp_path,
        paper="xcrb",
        start="2023-06-16",
        end="2023-06-20",
        base_url=f"{col_site.url}/xcrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2023-06-16", 1, "01", "要闻", "ok"),
        ("2023-06-16", 2, "02", "综合", "ok"),
        ("2023-06-16", 5, "05", "魏都新闻", "no_pdf"),  # its article pages, no PDF
        ("2023-06-17", 1, "01", "要闻", "download_failed"),
        ("2023-06-17", 2, "02", "综合", "error"),
        ("2023-06-17", 5, "05", "魏都新闻", "error"),
    ]
    reasons = failures(db)
    assert [(d, n, stage) for d, n, stage, _ in reasons] == [
        ("2023-06-16", 1, "article"),  # a 404
        ("2023-06-16", 2, "article"),  # a garbled page
        ("2023-06-16", 5, "page"),
        ("2023-06-17", 1, "download"),
        ("2023-06-17", 2, "extract"),
        ("2023-06-17", 5, "extract"),
        ("2023-06-18", 0, "edition"),
        ("2023-06-19", 0, "edition"),
        ("2023-06-20", 0, "edition"),
    ]
    by_key = {(d, n): reason for d, n, _, reason in reasons}
    assert by_key[("2023-06-16", 5)] == "the page has no PDF link"
    assert by_key[("2023-06-17", 1)].startswith("not a PDF")
    assert by_key[("2023-06-18", 0)] == "no edition: HTTP 404"
    assert "soft 404" in by_key[("2023-06-20", 0)]
    stored = articles_by_page(db)
    truth = col_site.truths
    assert_articles_match(
        stored[("2023-06-16", 1)], truth["xcrb/PC/attachement/202306/16/6f1c0a9be2.pdf"]
    )
    assert_articles_match(
        stored[("2023-06-16", 2)], truth["xcrb/PC/attachement/202306/16/b7e4d21f09.pdf"]
    )
    assert stats["newsarchive/pages_ok"] == 2

    # Running again adds nothing twice: ok pages are skipped, failures retried.
    before = articles_by_page(db)
    stats = await run_spider(
        tmp_path,
        paper="xcrb",
        start="2023-06-16",
        end="2023-06-20",
        base_url=f"{col_site.url}/xcrb/",
    )
    assert stats["newsarchive/pages_skipped"] == 2
    assert "newsarchive/pages_ok" not in stats
    assert articles_by_page(db) == before
    assert len(pages(db)) == 6


async def crawl_classic_site(site, tmp_path):
    """郑州日报's fixture site, 2022-11-08 to 2022-11-10, from its node_2.htm entry page."""
    await run_spider(
        tmp_path,
        paper="zzrb",
        start="2022-11-08",
        end="2022-11-10",
        base_url=f"{site.url}/",
        entry="node_2.htm",
    )


@deferred_f_from_coro_f
async def test_founder_classic_site(classic_site, tmp_path):
    await crawl_classic_site(classic_site, tmp_path)
    db = tmp_path / "archive.db"
    # node ids 2, 3, 5 are pages 01, 02, 04; the GBK page (declared GB2312) decodes 镕.
    assert pages(db) == [
        ("2022-11-08", 1, "01", "要闻", "ok"),
        ("2022-11-08", 4, "04", "郑州新闻", "ok"),
        ("2022-11-10", 1, "01", "镕城要闻", "ok"),
    ]
    assert [(d, n, s, r) for d, n, s, r in failures(db)] == [
        ("2022-11-08", 2, "page", "the page has no PDF link"),
        ("2022-11-09", 0, "edition", "no edition: HTTP 404"),
    ]
    stored = articles_by_page(db)
    truth = classic_site.truths
    assert_articles_match(
        stored[("2022-11-08", 1)], truth["images/2022-11/08/01/ZZRB2022110801.pdf"]
    )
    assert_articles_match(
        stored[("2022-11-08", 4)], truth["images/2022-11/08/04/ZZRB2022110804.pdf"]
    )
    with Archive(db) as archive:
        hints = json.loads(archive.page("zzrb", "2022-11-08", 1)["hints"])
    # The image map's <area> and the title list name the same articles (?div= dropped).
    assert hints == [
        {"title": article.title, "url": classic_site.url + path}
        for path, article in classic_site.published["html/2022-11/08/node_2.htm"].articles
    ]


@deferred_f_from_coro_f
async def test_a_backfill_ends_where_the_sites_archive_ends(classic_site, tmp_path):
    """The site answers 403 before November 2022: a 60-day backfill stops there."""
    classic_site.requests.clear()
    stats = await run_spider(
        tmp_path,
        paper="zzrb",
        start="2022-09-10",
        end="2022-11-08",
        base_url=f"{classic_site.url}/",
        entry="node_2.htm",
    )
    db = tmp_path / "archive.db"
    assert [p[:2] for p in pages(db)] == [("2022-11-08", 1), ("2022-11-08", 4)]
    forbidden = [f for f in failures(db) if f[3] == "no edition: HTTP 403"]
    assert forbidden and all(f[0].startswith("2022-10-") for f in forbidden)
    asked = [path for path, *_ in classic_site.requests if path.startswith("/html/2022-")]
    assert not any(path.startswith("/html/2022-09") for path in asked)
    assert len(asked) < 20  # not one request per date of the window
    assert stats["finish_reason"] == "finished"


@deferred_f_from_coro_f
async def test_founder_new_site(new_site, tmp_path):
    await run_spider(
        tmp_path,
        paper="rmrb",
        start="2024-12-25",
        end="2024-12-25",
        base_url=f"{new_site.url}/rmrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2024-12-25", 1, "01", "要闻", "ok"),
        ("2024-12-25", 2, "02", "要闻", "ok"),
    ]
    assert failures(db) == [("2024-12-25", 3, "page", "the page has no PDF link")]
    stored = articles_by_page(db)
    prefix = "rmrb/pc/attachement/202412/25/"
    assert_articles_match(
        stored[("2024-12-25", 1)],
        new_site.truths[prefix + "58d97d37-6229-4f3b-872d-3911f85cb11b.pdf"],
    )
    assert_articles_match(
        stored[("2024-12-25", 2)],
        new_site.truths[prefix + "a4c2e0b1-7d3f-4e55-9a61-2f0c8b7d6e10.pdf"],
    )


def test_spider_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown paper 'nope'"):
        EpaperSpider(paper="nope")
    with pytest.raises(ValueError, match="start must be a date"):
        EpaperSpider(paper="xcrb", start="June")
    with pytest.raises(ValueError, match="is after end"):
        EpaperSpider(paper="xcrb", start="2023-06-02", end="2023-06-01")


@deferred_f_from_coro_f
async def test_the_crawled_archive_is_served_by_datasette(classic_site, tmp_path):
    from publish.server import build_datasette

    await crawl_classic_site(classic_site, tmp_path)
    datasette = build_datasette(tmp_path / "archive.db", files_dir=tmp_path / "files")
    pages = await datasette.client.get("/archive/pages.json?_shape=objects&_facet=date")
    assert pages.status_code == 200
    body = pages.json()
    assert sorted((r["date"], r["page_no"], r["page_name"]) for r in body["rows"]) == [
        ("2022-11-08", 1, "要闻"),
        ("2022-11-08", 4, "郑州新闻"),
        ("2022-11-10", 1, "镕城要闻"),
    ]
    facet = {v["value"]: v["count"] for v in body["facet_results"]["date"]["results"]}
    assert facet == {"2022-11-08": 2, "2022-11-10": 1}
    csv = await datasette.client.get("/archive/articles.csv?_size=max")
    assert csv.status_code == 200
    header, *records = list(csv_module.reader(io.StringIO(csv.text)))
    assert header[:4] == ["id", "page_id", "seq", "paper"]
    with Archive(tmp_path / "archive.db") as archive:
        stored = [(str(r["id"]), r["body"]) for r in archive.db["articles"].rows]
    body_at = header.index("body")
    assert sorted((r[0], r[body_at]) for r in records) == sorted(stored)
