"""The site's own articles as a second source: crawled from the fixture sites' article pages
and maps (tests/sites/articles.toml), stored beside the PDF's, matched, and measured."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.cli import cli
from pipelines.archive import Archive, matching
from pipelines.archive.search import fts_query
from tests.crawling import run_spider
from tests.faults import Fault, FaultPlan
from tests.fixture_sites import EXTRA_PARAGRAPH

COL_PAGE = {1: "xcrb/PC/layout/202306/16/col01.html", 2: "xcrb/PC/layout/202306/16/col02.html",
            5: "xcrb/PC/layout/202306/16/col05.html"}


def levenshtein(a: str, b: str) -> int:
    """Edit distance by the textbook dynamic programme (independent of rapidfuzz)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def squeezed(*parts: str | None) -> str:
    return "".join("".join((p or "").split()) for p in parts)


def site_text(article) -> str:
    return squeezed(article.kicker, article.title, article.subtitle, article.byline,
                    "\n".join(article.paragraphs))


def rows(db, table: str, where: str = "1", params=()) -> list[dict]:
    with Archive(db) as archive:
        return list(archive.db[table].rows_where(where, list(params), order_by="id"))


async def crawl_col(site, tmp_path, **settings):
    return await run_spider(
        tmp_path,
        settings=settings or None,
        paper="xcrb",
        start="2023-06-16",
        end="2023-06-16",
        base_url=f"{site.url}/xcrb/",
    )


def test_agreement_is_the_edit_distance_without_whitespace():
    pdf = {"title": "魏都区 召开会议", "body": "今年以来，\n新增主体2160户。"}
    site = {"title": "魏都区召开会议", "body": "今年以来，新增市场主体2160户。"}
    edits, chars = matching.agreement(pdf, site)
    reference = "魏都区召开会议今年以来，新增市场主体2160户。"
    assert (edits, chars) == (levenshtein("魏都区召开会议今年以来，新增主体2160户。", reference),
                              len(reference))
    assert edits == 2


def test_pairs_are_one_to_one_by_text_and_region():
    a = {"title": "企业办事只进一扇门", "body": "审批时限压缩过半。" * 5, "bbox": [0, 0, 100, 100]}
    b = {"title": "社区食堂", "body": "老人吃上热乎饭。" * 5, "bbox": [0, 120, 100, 200]}
    # The site's first article is b, retitled; its second is a; a third the PDF lacks.
    site_b = {**b, "title": "社区食堂让老人吃上热乎饭", "bbox": [1, 119, 99, 201]}
    site_c = {"title": "别的文章", "body": "完全不同的内容。" * 5, "bbox": [0, 0, 100, 100]}
    assert matching.pair([a, b], [site_b, a, site_c]) == [(0, 1), (1, 0)]
    # Overlapping regions alone do not make a pair.
    assert matching.pair([a], [site_c]) == []


@deferred_f_from_coro_f
async def test_publisher_fields_regions_and_failures_on_the_col_site(col_site, tmp_path):
    await crawl_col(col_site, tmp_path)
    db = tmp_path / "archive.db"
    stored = {r["url"]: r for r in rows(db, "site_articles")}
    expected_urls = []
    for page_no, layout in COL_PAGE.items():
        published = col_site.published[layout]
        for path, article in published.articles:
            url = col_site.url + path
            if path in published.missing or path in published.garbled:
                assert url not in stored
                continue
            expected_urls.append(url)
            row = stored[url]
            assert (row["page_no"], row["kicker"], row["title"], row["subtitle"],
                    row["byline"], json.loads(row["paragraphs"]),
                    json.loads(row["captions"])) == (
                page_no, article.kicker, article.title, article.subtitle, article.byline,
                article.paragraphs, article.captions,
            )
            if page_no == 5:  # no PDF: pixels kept, no PDF points to map them onto
                assert row["bbox"] is None and json.loads(row["hotspot"])["image"] == [600, 849]
                continue
            # The hot-spot, drawn in a 600x849 image's pixels, lands within 2 pt of the box
            # the typesetter set the article in on the 842x1191 pt page.
            assert json.loads(row["bbox"]) == pytest.approx(article.bbox, abs=2)
            assert len(json.loads(row["polygon"])[0]) == 4
    assert sorted(stored) == sorted(expected_urls)
    failures = sorted((r["page_no"], r["stage"], r["url"], r["reason"]) for r in
                      rows(db, "failures", "stage = 'article'"))
    missing = col_site.url + col_site.published[COL_PAGE[1]].missing[0]
    garbled = col_site.url + col_site.published[COL_PAGE[2]].garbled[0]
    assert [f[:3] for f in failures] == [(1, "article", missing), (2, "article", garbled)]
    assert failures[0][3] == "article page unavailable: HTTP 404"
    assert failures[1][3].startswith("article page unreadable: the article page's text is garbled")


@deferred_f_from_coro_f
async def test_both_texts_kept_and_agreement_figures(col_site, tmp_path):
    await crawl_col(col_site, tmp_path)
    db = tmp_path / "archive.db"
    truth = col_site.truths["xcrb/PC/attachement/202306/16/6f1c0a9be2.pdf"]
    published = col_site.published[COL_PAGE[1]]
    page = rows(db, "articles", "page_no = 1")
    by_url = {r["url"]: r for r in page if r["url"]}
    expected_edits = chars = 0
    for index, (path, article) in enumerate(published.articles):
        if path in published.missing:
            continue
        row = by_url[col_site.url + path]
        assert (row["source"], row["match"], row["title"], row["body"]) == (
            "html", "matched", article.title, "\n".join(article.paragraphs))
        pdf = json.loads(row["pdf_text"])
        printed = next(a for a in truth["articles"] if a["title"] == article.title)
        assert pdf["body"] == printed["body"]  # the PDF's own text, typo and all
        independent = levenshtein(
            squeezed(pdf["kicker"], pdf["title"], pdf["subtitle"], pdf["byline"], pdf["body"]),
            site_text(article),
        )
        assert (row["cer_edits"], row["cer_chars"]) == (independent, len(site_text(article)))
        assert row["cer"] == round(independent / len(site_text(article)), 4)
        # articles.toml: the first article's typo is one edit, the second's extra paragraph
        # as many as its characters; the extraction itself agrees exactly.
        assert independent == {0: 1, 1: len(squeezed(EXTRA_PARAGRAPH))}.get(index, 0)
        expected_edits += independent
        chars += len(site_text(article))
    # The article whose page answered 404 stays, with the PDF's text.
    extra = [r for r in page if r["match"] == "extra"]
    lost_title = dict(published.articles)[published.missing[0]].title
    assert [(r["source"], r["title"], r["url"]) for r in extra] == [("pdf", lost_title, None)]
    with Archive(db) as archive:
        quality = {r["page_no"]: r for r in archive.db["extraction_quality"].rows}
        # Search finds the publisher's text, not the PDF's typo.
        typo_row = by_url[col_site.url + published.articles[0][0]]
        printed = json.loads(typo_row["pdf_text"])["body"]
        corrected = typo_row["body"]
        at = next(i for i, (x, y) in enumerate(zip(printed, corrected, strict=False)) if x != y)
        hits = archive.db.execute(
            "select count(*) from articles_fts where articles_fts match ?",
            [fts_query(corrected[at - 2 : at + 2])],
        ).fetchone()[0]
        typo_hits = archive.db.execute(
            "select count(*) from articles_fts where articles_fts match ?",
            [fts_query(printed[at - 2 : at + 2])],
        ).fetchone()[0]
    assert hits >= 1 and typo_hits == 0
    one = quality[1]
    assert (one["matched"], one["missing"], one["extra"], one["edits"], one["chars"]) == (
        len(published.articles) - 1, 0, 1, expected_edits, chars)
    assert one["cer"] == round(expected_edits / chars, 4)
    # Page 2: the garbled article page leaves its PDF article 'extra', the rest agree.
    two = quality[2]
    assert (two["missing"], two["extra"], two["edits"]) == (0, 1, 0)
    assert 5 not in quality  # no PDF: nothing to measure


@deferred_f_from_coro_f
async def test_a_page_without_pdf_gives_the_sites_articles(col_site, tmp_path):
    await crawl_col(col_site, tmp_path)
    db = tmp_path / "archive.db"
    [page] = rows(db, "pages", "page_no = 5")
    assert (page["status"], page["pdf_url"], page["reason"]) == (
        "no_pdf", None, "the page has no PDF link: its articles are the site's article pages")
    got = [(r["source"], r["match"], r["title"], r["body"], r["url"])
           for r in rows(db, "articles", "page_no = 5")]
    published = col_site.published[COL_PAGE[5]]
    assert got == [("html", None, a.title, "\n".join(a.paragraphs), col_site.url + path)
                   for path, a in published.articles]


@deferred_f_from_coro_f
async def test_nothing_archived_changes_when_article_pages_fail_later(col_site, tmp_path):
    await crawl_col(col_site, tmp_path)
    db = tmp_path / "archive.db"
    before = rows(db, "articles"), rows(db, "site_articles")
    col_site.server.faults = FaultPlan(Fault(prefix="/xcrb/PC/con/", status=404))
    try:
        # (No HTTP cache: its copies of the article pages may still be fresh.)
        stats = await run_spider(tmp_path, {"HTTPCACHE_ENABLED": False}, paper="xcrb",
                                 start="2023-06-16", end="2023-06-16",
                                 base_url=f"{col_site.url}/xcrb/", refresh="1")
    finally:
        col_site.server.faults = None
    published = [a for layout in COL_PAGE.values() for a in col_site.published[layout].articles]
    assert stats["newsarchive/article_pages_failed"] == len(published)
    assert (rows(db, "articles"), rows(db, "site_articles")) == before


@deferred_f_from_coro_f
async def test_fetching_article_pages_can_be_turned_off(col_site, tmp_path):
    col_site.requests.clear()
    await crawl_col(col_site, tmp_path, FETCH_ARTICLE_PAGES=False)
    db = tmp_path / "archive.db"
    assert rows(db, "site_articles") == []
    assert {r["source"] for r in rows(db, "articles")} == {"pdf"}
    assert not [p for p, *_ in col_site.requests if "/con/" in p or "/pic/" in p]


@deferred_f_from_coro_f
async def test_classic_and_new_sites_regions_empty_maps_and_gbk(classic_site, new_site, tmp_path):
    await run_spider(tmp_path / "classic", paper="zzrb", start="2022-11-08", end="2022-11-10",
                     base_url=f"{classic_site.url}/", entry="node_2.htm")
    await run_spider(tmp_path / "new", paper="rmrb", start="2024-12-25", end="2024-12-25",
                     base_url=f"{new_site.url}/rmrb/")
    for site, db, layouts in (
        (classic_site, tmp_path / "classic" / "archive.db",
         ["html/2022-11/08/node_2.htm", "html/2022-11/10/node_2.htm"]),
        (new_site, tmp_path / "new" / "archive.db",
         ["rmrb/pc/layout/202412/25/node_01.html", "rmrb/pc/layout/202412/25/node_02.html"]),
    ):
        stored = {r["url"]: r for r in rows(db, "site_articles")}
        for layout in layouts:
            for path, article in site.published[layout].articles:
                row = stored[site.url + path]
                assert (row["title"], json.loads(row["paragraphs"]), row["byline"]) == (
                    article.title, article.paragraphs, article.byline)
                assert json.loads(row["bbox"]) == pytest.approx(article.bbox, abs=2)
        assert not rows(db, "failures", "stage = 'article'")
    classic = tmp_path / "classic" / "archive.db"
    # 2022-11-08 page 4: its map and title list name no article; its PDF's articles stand.
    page4 = rows(classic, "articles", "date = '2022-11-08' and page_no = 4")
    assert page4 and {(r["source"], r["match"]) for r in page4} == {("pdf", None)}
    with Archive(classic) as archive:
        quality = {(r["date"], r["page_no"]): r for r in archive.db["extraction_quality"].rows}
    assert quality[("2022-11-08", 1)]["edits"] == 1  # the typo
    assert quality[("2022-11-10", 1)]["edits"] == len(squeezed(EXTRA_PARAGRAPH))  # GBK pages
    assert ("2022-11-08", 4) not in quality
    with Archive(tmp_path / "new" / "archive.db") as archive:
        quality = {r["page_no"]: r for r in archive.db["extraction_quality"].rows}
    # pc/layout: coords in the declared 400x575 thumbnail over a 1200x1725 image; the typo.
    assert (quality[1]["edits"], quality[1]["missing"], quality[1]["extra"]) == (1, 0, 0)
    assert (quality[2]["edits"], quality[2]["missing"], quality[2]["extra"]) == (0, 0, 0)


@deferred_f_from_coro_f
async def test_status_lists_worst_pages_and_reextract_reports_the_change(col_site, tmp_path):
    await crawl_col(col_site, tmp_path)
    db = str(tmp_path / "archive.db")
    result = CliRunner().invoke(cli, ["status", "--db", db])
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("Extraction vs the site's text"):]
    assert "over 2 pages" in table
    # Page 01 (a typo, an extra paragraph) before page 02 (exact).
    assert table.index("2023-06-16 │ 1 ") < table.index("2023-06-16 │ 2 ")
    with Archive(db) as archive:
        before = archive.agreement()
        archive.db.execute("update pages set extractor_version = '0.0.1'")
        archive.db.conn.commit()
    result = CliRunner().invoke(cli, ["reextract", "--older-than", "0.0.2", "--db", db,
                                      "--files", str(tmp_path / "files"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    cer = f"{before['cer']:.2%}"
    assert (f"agreement with the site's text on 2 pages: CER {cer} -> {cer}, "
            f"matched {before['matched']} -> {before['matched']}, missing 0 -> 0, "
            f"extra 2 -> 2") in result.output


@deferred_f_from_coro_f
async def test_datasette_shows_the_quality_view_and_both_sources(col_site, tmp_path):
    from publish.server import build_datasette

    await crawl_col(col_site, tmp_path)
    datasette = build_datasette(tmp_path / "archive.db", files_dir=tmp_path / "files")
    view = await datasette.client.get("/archive/extraction_quality.json?_shape=objects")
    assert view.status_code == 200
    assert [(r["page_no"], r["extra"]) for r in view.json()["rows"]] == [(1, 1), (2, 1)]
    html_rows = await datasette.client.get(
        "/archive/articles.json?_shape=objects&source=html&page_no=5"
    )
    assert len(html_rows.json()["rows"]) == len(col_site.published[COL_PAGE[5]].articles)


def test_the_http_cache_keeps_article_pages_not_page_images():
    from scrapy import Request
    from scrapy.http import HtmlResponse, Response
    from scrapy.settings import Settings

    from crawler.httpcache import IndexPagesPolicy

    policy = IndexPagesPolicy(Settings())
    article = Request("http://site.test/xcrb/PC/con/202306/16/c1.html")
    image = Request("http://site.test/xcrb/PC/pic/202306/16/p.jpg.1",
                    headers={"Range": "bytes=0-65535"})
    assert policy.should_cache_request(article)
    assert not policy.should_cache_request(image)
    served = {"Last-Modified": "Fri, 16 Jun 2023 00:00:00 GMT"}
    page = HtmlResponse(article.url, body=b"<html></html>",
                        headers={**served, "Content-Type": "text/html"})
    jpeg = Response(image.url, body=b"\xff\xd8", headers={**served, "Content-Type": "image/jpeg"})
    assert policy.should_cache_response(page, article)
    assert not policy.should_cache_response(jpeg, Request(image.url))


@deferred_f_from_coro_f
async def test_article_pages_that_failed_are_fetched_by_a_later_crawl(col_site, tmp_path):
    """A 503 (after retries) on an article page: the page is archived with the PDF's text
    for it; the next daily crawl skips the page but fetches that article page again."""
    published = col_site.published[COL_PAGE[2]]
    path, article = next((p, a) for p, a in published.articles if p not in published.garbled)
    col_site.server.faults = FaultPlan(Fault(prefix=path, status=503))
    try:
        await crawl_col(col_site, tmp_path, HTTPCACHE_ENABLED=False, RETRY_TIMES=0)
    finally:
        col_site.server.faults = None
    db = tmp_path / "archive.db"
    [row] = rows(db, "articles", "page_no = 2 and title = ?", [article.title])
    assert (row["source"], row["match"]) == ("pdf", "extra")
    reasons = rows(db, "failures", "stage = 'article' and url = ?", [col_site.url + path])
    assert [r["reason"] for r in reasons] == ["article page unavailable: HTTP 503"]
    col_site.requests.clear()
    stats = await crawl_col(col_site, tmp_path)
    assert stats["newsarchive/pages_skipped"] == 2 and "newsarchive/pages_ok" not in stats
    assert not any(p.endswith(".pdf") for p, *_ in col_site.requests)
    [row] = rows(db, "articles", "page_no = 2 and title = ?", [article.title])
    assert (row["source"], row["match"], row["url"], row["body"]) == (
        "html", "matched", col_site.url + path, "\n".join(article.paragraphs))
    assert json.loads(row["pdf_text"])["title"] == article.title
    # Still failing: the 404 and the garbled page are tried again, up to PAGE_MAX_ATTEMPTS.
    again = [r["url"] for r in rows(db, "failures", "stage = 'article'")]
    lost = col_site.url + col_site.published[COL_PAGE[1]].missing[0]
    assert again.count(lost) == 2


def test_only_http_article_links_are_followed():
    """A map area or title link to file:// or data: is never requested (a hostile page)."""
    from scrapy.http import HtmlResponse

    from crawler.spiders.epaper import fetched
    from crawler.spiders.families import get_family

    family = get_family("founder_classic")
    page = HtmlResponse(url="http://zz.test/html/2022-11/08/node_2.htm", body=(
        b'<map name=PagePicMap><Area coords="1,1,9,9" shape="rect" href="content_1.htm">'
        b'<Area coords="1,1,9,9" shape="rect" href="file:///srv/html/2022-11/08/content_2.htm">'
        b'</map><img src=p_b.jpg usemap=#PagePicMap>'))
    urls = family.article_urls(family.page_info(page))
    assert urls == ["http://zz.test/html/2022-11/08/content_1.htm",
                    "file:///srv/html/2022-11/08/content_2.htm"]
    assert [u for u in urls if fetched(u)] == urls[:1]
