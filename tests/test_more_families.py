"""The families beyond Founder's three (research note §5): adapters on their fixture sites'
HTML, and each site crawled by the real spider into a temporary archive."""

from __future__ import annotations

import json
from datetime import date

import pytest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.papers import Paper
from crawler.spiders.epaper import EpaperSpider
from crawler.spiders.families import get_family, guess_family
from pipelines.archive import Archive
from tests.crawling import run_spider
from tests.fixture_sites import SITES
from tests.test_crawl import articles_by_page, assert_articles_match, failures, pages


def response(family: str, path: str, host: str = "http://site.test/") -> HtmlResponse:
    return HtmlResponse(url=host + path, body=(SITES / family / path).read_bytes())


def assert_site_articles(db, site, layouts: dict[int, str], *, fields=("kicker", "subtitle")):
    """The site's article pages landed, field by field, as its fixture published them (the
    fields the family's pages do not show are None), mapped within 2 pt where the page has
    an image map; the missing ones did not."""
    with Archive(db) as archive:
        stored = {r["url"]: r for r in archive.db["site_articles"].rows}
    expected = []
    for page_no, layout in layouts.items():
        published = site.published[layout]
        for path, article in published.articles:
            if path in published.missing:
                continue
            expected.append(site.url + path)
            row = stored[site.url + path]
            shown = {name: getattr(article, name) if name in fields else None
                     for name in ("kicker", "subtitle")}
            assert (row["page_no"], row["kicker"], row["title"], row["subtitle"], row["byline"],
                    json.loads(row["paragraphs"])) == (
                page_no, shown["kicker"], article.title, shown["subtitle"], article.byline,
                article.paragraphs)
            if published.space:
                assert json.loads(row["bbox"]) == pytest.approx(article.bbox, abs=2)
            else:
                assert row["bbox"] is None
    assert sorted(stored) == sorted(expected)


def test_xhby_pages_come_from_the_second_link_of_each_list_item():
    family = get_family("xhby")
    page = response("xhby", "xhrb/pc/layout/202211/08/node_2.html")
    assert [(p.label, p.name, p.url.rsplit("/", 1)[1]) for p in family.page_links(page)] == [
        ("01", "要闻", "node_1.html"),
        ("02", "综合", "node_2.html"),
        ("03", "理论", "node_3.html"),
    ]
    assert family.is_edition(page, date(2022, 11, 8))
    info = family.page_info(page)
    assert info.pdf_url == "http://site.test/xhrb/pc/attachement/202211/08/8b0d47aa.pdf"
    assert info.name == "综合"
    assert info.hints == [
        {"title": "版面稿件2", "url": "http://site.test/xhrb/pc/con/202211/08/content_112001.html"}
    ]
    assert guess_family("http://szb.ahnews.com.cn/jhsb/pc/con/202211/08/c123.html") == {
        "family": "xhby", "base_url": "http://szb.ahnews.com.cn/jhsb/"
    }


@deferred_f_from_coro_f
async def test_xhby_site(xhby_site, tmp_path):
    await run_spider(
        tmp_path, paper="xhrb", start="2022-11-08", end="2022-11-08",
        base_url=f"{xhby_site.url}/xhrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2022-11-08", 1, "01", "要闻", "ok"),
        ("2022-11-08", 2, "02", "综合", "ok"),
    ]
    assert failures(db) == [
        ("2022-11-08", 2, "article", "article page unavailable: HTTP 404"),
        ("2022-11-08", 3, "page", "the page has no PDF link"),
    ]
    assert_site_articles(db, xhby_site, {1: "xhrb/pc/layout/202211/08/node_1.html",
                                         2: "xhrb/pc/layout/202211/08/node_2.html"}, fields=())
    stored = articles_by_page(db)
    prefix = "xhrb/pc/attachement/202211/08/"
    assert_articles_match(stored[("2022-11-08", 1)], xhby_site.truths[prefix + "3f2a9c1e.pdf"])
    assert_articles_match(stored[("2022-11-08", 2)], xhby_site.truths[prefix + "8b0d47aa.pdf"])


def test_dated_html_pages_and_guess():
    family = get_family("dated_html")
    page = response("dated_html", "zmdrb/20221203/html/page_04.htm")
    assert [(p.label, p.name, p.url.rsplit("/", 1)[1]) for p in family.page_links(page)] == [
        ("01", "要闻", "page_01.htm"),
        ("02", "综合", "page_02.htm"),
        ("04", "天中新闻", "page_04.htm"),
    ]
    assert family.is_edition(page, date(2022, 12, 3))
    assert not family.is_edition(page, date(2022, 12, 4))
    assert family.find_pdf(page) == "http://site.test/zmdrb/pdf/20221203/zmdrb2022120304.pdf"
    assert family.find_pdf(response("dated_html", "zmdrb/20221203/html/page_02.htm")) is None
    assert family.hints(page) == [
        {"title": "本版稿件04",
         "url": "http://site.test/zmdrb/20221203/html/content_20221203040401.htm"}
    ]
    assert guess_family("http://zmdrb.zmdnews.cn/zmdrb/20221203/html/index.htm") == {
        "family": "dated_html", "base_url": "http://zmdrb.zmdnews.cn/zmdrb/"
    }


@deferred_f_from_coro_f
async def test_dated_html_site_through_its_meta_refresh(dated_html_site, tmp_path):
    await run_spider(
        tmp_path, paper="zmdrb", start="2022-12-03", end="2022-12-04",
        base_url=f"{dated_html_site.url}/zmdrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2022-12-03", 1, "01", "要闻", "ok"),
        ("2022-12-03", 4, "04", "天中新闻", "ok"),
    ]
    assert failures(db) == [
        ("2022-12-03", 2, "page", "the page has no PDF link"),
        ("2022-12-04", 0, "edition", "no edition: HTTP 404"),
    ]
    assert_site_articles(db, dated_html_site, {1: "zmdrb/20221203/html/page_01.htm",
                                               4: "zmdrb/20221203/html/page_04.htm"})
    stored = articles_by_page(db)
    prefix = "zmdrb/pdf/20221203/"
    truths = dated_html_site.truths
    assert_articles_match(stored[("2022-12-03", 1)], truths[prefix + "zmdrb2022120301.pdf"])
    assert_articles_match(stored[("2022-12-03", 4)], truths[prefix + "zmdrb2022120304.pdf"])


def test_page_nn_pages_and_guess():
    family = get_family("page_nn")
    page = response("page_nn", "fzrb/content/20221110/Page02TB.htm")
    assert [(p.label, p.name, p.url.rsplit("/", 1)[1]) for p in family.page_links(page)] == [
        ("01", "要闻", "Page01TB.htm"),
        ("02", "要闻", "Page02TB.htm"),
        ("03", "法治评论", "Page03TB.htm"),
    ]
    assert family.is_edition(page, date(2022, 11, 10))
    assert family.find_pdf(page) == "http://site.test/fzrb/images/20221110/02/FZRB2022111002.pdf"
    assert family.hints(page) == [
        {"title": "本版稿件02", "url": "http://site.test/fzrb/content/20221110/Articel02001TB.htm"}
    ]
    assert guess_family("http://epaper.legaldaily.com.cn/fzrb/content/20221110/Page01TB.htm") == {
        "family": "page_nn", "base_url": "http://epaper.legaldaily.com.cn/fzrb/",
        "entry": "Page01TB.htm",
    }
    with pytest.raises(ValueError, match="needs the first page's file name"):
        family.issue_url(Paper("x", "X", "page_nn", "http://x.test/", "2020-01-01"), date.today())


@deferred_f_from_coro_f
async def test_page_nn_site(page_nn_site, tmp_path):
    await run_spider(
        tmp_path, paper="fzrb", start="2022-11-10", end="2022-11-10",
        base_url=f"{page_nn_site.url}/fzrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2022-11-10", 1, "01", "要闻", "ok"),
        ("2022-11-10", 2, "02", "要闻", "ok"),
    ]
    assert failures(db) == [
        ("2022-11-10", 2, "article", "article page unavailable: HTTP 404"),
        ("2022-11-10", 3, "page", "the page has no PDF link"),
    ]
    assert_site_articles(db, page_nn_site, {1: "fzrb/content/20221110/Page01TB.htm",
                                            2: "fzrb/content/20221110/Page02TB.htm"}, fields=())
    stored = articles_by_page(db)
    prefix = "fzrb/images/20221110/"
    truths = page_nn_site.truths
    assert_articles_match(stored[("2022-11-10", 1)], truths[prefix + "01/FZRB2022111001.pdf"])
    assert_articles_match(stored[("2022-11-10", 2)], truths[prefix + "02/FZRB2022111002.pdf"])


def test_resfile_urls_and_guess():
    family = get_family("resfile")
    paper = Paper("hnrb_pdf", "河南日报", "resfile", "http://x.test/hnrb/", "2020-01-01",
                  entry="hnrb{date}{page}.pdf")
    assert family.issue_url(paper, date(2022, 11, 9)) == (
        "http://x.test/hnrb/resfile/2022-11-09/01/hnrb2022110901.pdf")
    assert family.page_url(paper, date(2022, 11, 9), 12) == (
        "http://x.test/hnrb/resfile/2022-11-09/12/hnrb2022110912.pdf")
    plain = Paper("yqb", "延庆报", "resfile", "http://y.test/", "2020-01-01")
    assert family.page_url(plain, date(2022, 11, 9), 3) == "http://y.test/resfile/2022-11-09/03/03.pdf"
    url = "http://newpaper.dahe.cn/hnrb/resfile/2022-11-09/01/hnrb2022110901.pdf"
    assert guess_family(url) == {
        "family": "resfile", "base_url": "http://newpaper.dahe.cn/hnrb/",
        "entry": "hnrb{date}{page}.pdf",
    }


@deferred_f_from_coro_f
async def test_resfile_site_pages_are_probed_until_the_first_missing(resfile_site, tmp_path):
    stats = await run_spider(
        tmp_path, paper="hnrb_pdf", start="2022-11-09", end="2022-11-10",
        base_url=f"{resfile_site.url}/hnrb/",
    )
    db = tmp_path / "archive.db"
    assert pages(db) == [
        ("2022-11-09", 1, "01", None, "ok"),
        ("2022-11-09", 2, "02", None, "ok"),
        ("2022-11-09", 3, "03", None, "ok"),
    ]
    assert failures(db) == [("2022-11-10", 0, "edition", "no edition: HTTP 404")]
    stored = articles_by_page(db)
    for n in (1, 2, 3):
        path = f"hnrb/resfile/2022-11-09/{n:02d}/hnrb202211090{n}.pdf"
        assert_articles_match(stored[("2022-11-09", n)], resfile_site.truths[path])
    # HEAD probes: pages 1-3 and the missing 4th of 2022-11-09, page 1 of 2022-11-10
    assert stats["downloader/request_method_count/HEAD"] == 5
    again = await run_spider(
        tmp_path, paper="hnrb_pdf", start="2022-11-09", end="2022-11-09",
        base_url=f"{resfile_site.url}/hnrb/",
    )
    assert again["newsarchive/pages_skipped"] == 3
    assert "newsarchive/pages_ok" not in again


def test_founder_col_pc_is_the_col_template_under_lowercase_pc():
    family = get_family("founder_col_pc")
    gsrb = Paper("gsrb", "甘肃日报", "founder_col_pc", "http://szb.gansudaily.com.cn/gsrb/",
                 "2020-01-01")
    assert family.issue_url(gsrb, date(2022, 4, 18)) == (
        "http://szb.gansudaily.com.cn/gsrb/pc/layout/202204/18/col01.html")
    assert guess_family("http://epaper.sxxynews.com/pc/layout/202204/18/col01.htm") == {
        "family": "founder_col_pc", "base_url": "http://epaper.sxxynews.com/",
        "entry": "col01.htm",
    }
    # the upper-case 21xc URLs stay founder_col's
    assert guess_family("http://szb.21xc.com/xcrb/PC/layout/202211/08/col01.html")["family"] == (
        "founder_col")
    page = response("founder_col", "xcrb/PC/layout/202306/16/col01.html")
    assert [p.label for p in family.page_links(page)] == ["01", "02", "05"]
    assert family.find_pdf(page).endswith("/xcrb/PC/attachement/202306/16/6f1c0a9be2.pdf")


def test_resfile_probes_stop_at_page_99_and_a_page_that_is_no_pdf_is_no_edition():
    spider = EpaperSpider(paper="hnrb_pdf", start="2022-11-09", end="2022-11-09")
    spider.archived = set()
    day = date(2022, 11, 9)
    url = spider.family.page_url(spider.paper, day, 99)
    answer = Response(url, status=200, headers={"Content-Type": "application/pdf"})
    outputs = list(spider.parse_probed_page(answer, day, 99))
    assert [type(o).__name__ for o in outputs] == ["PageItem"]  # page 99, no probe of 100
    assert outputs[0].page_label == "99" and outputs[0].pdf_url == url
    before = list(spider.parse_probed_page(
        Response(spider.family.page_url(spider.paper, day, 98), status=200,
                 headers={"Content-Type": "application/pdf"}), day, 98))
    assert [type(o).__name__ for o in before] == ["PageItem", "Request"]
    assert before[1].method == "HEAD" and before[1].url == url
    home = HtmlResponse("http://newpaper.dahe.cn/", body=b"<html></html>")  # a redirect home
    (failure,) = spider.parse_probed_page(home, day, 1)
    assert (failure.stage, failure.reason) == (
        "edition", "no edition: the site answered with a page that is not this date's PDF "
        "(soft 404)")
