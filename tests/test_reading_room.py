"""The reading room (issue #15): home page, calendar, edition, page view with its image,
article boxes and hit boxes, the article page's thumbnail."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from PIL import Image

from publish.server import build_datasette
from tests.datasette_client import get
from tests.reading_room import DATES, PAGES, build_reading_room


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = tmp_path_factory.mktemp("room")
    db, files, truths = build_reading_room(root)
    ds = build_datasette(db, files_dir=files, cache_dir=root / "cache")
    return ds, db, root / "cache", truths


def page_id(ds, date: str, page_no: int) -> int:
    rows = get(ds, "/archive/pages.json", _shape="array", date=date, page_no=str(page_no)).json()
    return rows[0]["id"]


def test_home_lists_the_paper_with_its_coverage_and_latest_editions(room):
    ds, *_ = room
    response = get(ds, "/")
    assert response.status_code == 200
    text = response.text
    row = re.search(r'<tr data-paper="xcrb">(.*?)</tr>', text, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                     re.S)]
    articles = sum(1 for _ in get(ds, "/archive/articles.json", _shape="array",
                                  _size="max").json())
    # paper, first, last, editions, pages, articles, days missing (2023-06-15)
    assert cells[1:] == ["2023-06-14", "2023-06-16", "2", str(2 * PAGES + 1), str(articles), "1"]
    assert 'action="/archive/search"' in text and 'name="q"' in text
    latest = re.findall(r'<a href="(/-/newsarchive/edition/archive/xcrb/[\d-]+)">', text)
    assert latest == ["/-/newsarchive/edition/archive/xcrb/2023-06-16",
                      "/-/newsarchive/edition/archive/xcrb/2023-06-14"]
    assert 'href="/archive/articles"' in text  # the table pages, one click away
    assert get(ds, "/.json").status_code == 200  # Datasette's own index stays


def test_calendar_links_the_editions_and_marks_the_missing_day(room):
    ds, *_ = room
    text = get(ds, "/-/newsarchive/paper/archive/xcrb").text
    linked = re.findall(r'<td class="edition" data-date="([\d-]+)"><a href="([^"]+)"', text)
    assert linked == [(d.isoformat(), f"/-/newsarchive/edition/archive/xcrb/{d}")
                      for d in DATES]
    assert re.findall(r'<td class="missing" data-date="([\d-]+)"', text) == ["2023-06-15"]
    assert get(ds, "/-/newsarchive/paper/archive/nosuch").status_code == 404


def test_edition_lists_its_pages_with_names_and_thumbnails(room):
    ds, *_ = room
    text = get(ds, "/-/newsarchive/edition/archive/xcrb/2023-06-16").text
    names = [html.unescape(n).strip() for n in re.findall(
        r'<li data-page="\d+">\s*<a href="/-/newsarchive/page/archive/\d+">(?:<img[^>]*>)?\s*'
        r"([^<]+)</a>", text)]
    assert names == ["第01版：要闻", "第02版：综合", "第03版：专版"]
    assert text.count('src="/-/newsarchive/image/archive/') == PAGES  # the third has no PDF
    assert 'rel="prev"' in text and "2023-06-14" in text
    assert get(ds, "/-/newsarchive/edition/archive/xcrb/2023-06-15").status_code == 404


def boxes(text: str) -> dict[int, list[float]]:
    found = re.findall(r'data-article="(\d+)" id="box-\d+"><title>[^<]*</title><rect class="box"'
                       r' x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', text)
    return {int(a): [float(v) for v in rest] for a, *rest in found}


def test_page_view_draws_one_box_per_article_at_its_bbox(room):
    ds, _, _, truths = room
    pid = page_id(ds, "2023-06-14", 1)
    text = get(ds, f"/-/newsarchive/page/archive/{pid}").text
    articles = get(ds, "/archive/articles.json", _shape="array", page_id=str(pid)).json()
    drawn = boxes(text)
    assert set(drawn) == {a["id"] for a in articles}
    assert len(drawn) == len(truths[("2023-06-14", 1)]["articles"])
    for a in articles:
        x0, top, x1, bottom = json.loads(a["bbox"])
        assert drawn[a["id"]] == pytest.approx([x0, top, x1 - x0, bottom - top], abs=0.01)
        assert f'href="/archive/articles/{a["id"]}"' in text
    assert re.search(r'<svg viewBox="0 0 842\.0 1191\.0"', text)


def test_page_image_is_rendered_once_then_served_from_cache_with_etag(room):
    ds, _, cache, _ = room
    pid = page_id(ds, "2023-06-14", 2)
    first = get(ds, f"/-/newsarchive/image/archive/{pid}/1000.jpg")
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    assert first.content[:3] == b"\xff\xd8\xff"
    width, height = Image.open(io.BytesIO(first.content)).size
    assert width == 1000 and abs(height - 1191 / 842 * 1000) <= 1
    cached = list(cache.glob("*/*-1000.jpg"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    again = get(ds, f"/-/newsarchive/image/archive/{pid}/1000.jpg")
    assert again.content == first.content and cached[0].stat().st_mtime_ns == mtime
    assert "max-age=" in again.headers["cache-control"]
    etag = again.headers["etag"]
    not_modified = get(ds, f"/-/newsarchive/image/archive/{pid}/1000.jpg",
                       headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert get(ds, f"/-/newsarchive/image/archive/{pid}/999.jpg").status_code == 404


def test_a_page_without_its_pdf_degrades_to_its_article_list(room):
    ds, *_ = room
    pid = page_id(ds, "2023-06-16", PAGES + 1)
    text = get(ds, f"/-/newsarchive/page/archive/{pid}").text
    assert "newsarchive-noimage" in text and "<svg viewBox" not in text
    assert "没有PDF的版面文章" in text
    assert 'href="https://szb.21xc.com/xcrb/missing.pdf"' in text
    assert get(ds, f"/-/newsarchive/image/archive/{pid}/400.jpg").status_code == 404


def test_hits_are_boxed_on_the_page_where_the_articles_have_them(room):
    ds, _, _, truths = room
    pid = page_id(ds, "2023-06-14", 1)
    word = "魏都区"
    text = get(ds, f"/-/newsarchive/page/archive/{pid}", q=word).text
    hits = [[float(v) for v in m] for m in re.findall(
        r'<rect class="hit" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', text)]
    articles = truths[("2023-06-14", 1)]["articles"]
    with_word = [a for a in articles
                 if word in " ".join(str(a.get(f) or "") for f in
                                     ("kicker", "title", "subtitle", "byline", "body",
                                      "captions"))]
    assert with_word and hits
    # boxed the height of the type, also where the host has no font for the PDF's CJK type
    assert all(h >= 6 for _, _, _, h in hits), hits
    inside = {i for i, a in enumerate(articles) for x, y, w, h in hits
              if a["bbox"][0] - 1 <= x and x + w <= a["bbox"][2] + 1
              and a["bbox"][1] - 1 <= y and y + h <= a["bbox"][3] + 1}
    assert inside == {articles.index(a) for a in with_word}
    body = " ".join(str(a.get(f) or "") for a in articles for f in ("kicker", "title", "subtitle",
                                                                    "byline", "body"))
    # a hit broken over two lines gives two boxes: at least one box per occurrence
    assert len(hits) >= body.count(word)


def test_hit_boxes_of_a_word_not_on_the_page_are_none(room):
    ds, *_ = room
    pid = page_id(ds, "2023-06-14", 1)
    text = get(ds, f"/-/newsarchive/page/archive/{pid}", q="青铜器").text
    assert '<rect class="hit"' not in text and "0 places" in text


def test_article_page_shows_its_page_thumbnail_with_its_box(room):
    ds, *_ = room
    pid = page_id(ds, "2023-06-14", 1)
    article = get(ds, "/archive/articles.json", _shape="array", page_id=str(pid)).json()[0]
    text = get(ds, f"/archive/articles/{article['id']}").text
    x0, top, x1, bottom = json.loads(article["bbox"])
    assert f'src="/-/newsarchive/image/archive/{article["page_id"]}/400.jpg"' in text
    assert re.search(rf'<rect class="current" x="{x0}" y="{top}"', text)
    no_pdf = page_id(ds, "2023-06-16", PAGES + 1)
    orphan = get(ds, "/archive/articles.json", _shape="array", page_id=str(no_pdf)).json()[0]
    text = get(ds, f"/archive/articles/{orphan['id']}").text
    assert "没有PDF的版面文章" in text and "<figure class=\"newsarchive-thumbnail" not in text



def test_home_page_figures_follow_a_crawl_that_writes_while_it_is_served(tmp_path):
    from pipelines.archive import Archive

    db, files, _ = build_reading_room(tmp_path)
    ds = build_datasette(db, files_dir=files, cache_dir=tmp_path / "cache")
    assert "2023-06-20" not in get(ds, "/").text
    with Archive(db) as archive:
        archive.save_page({"paper": "xcrb", "date": "2023-06-20", "page_no": 1, "status": "ok"},
                          [{"title": "新的一期", "body": "正文。"}])
    text = get(ds, "/").text
    assert '/-/newsarchive/edition/archive/xcrb/2023-06-20"' in text
    row = re.search(r'<tr data-paper="xcrb">(.*?)</tr>', text, re.S).group(1)
    assert "2023-06-20" in row


def form_fields(text: str, placeholder: str) -> tuple[str, dict]:
    """The action and hidden fields of the search form whose box says ``placeholder``."""
    form = next(f for f in re.findall(r"<form[^>]*>.*?</form>", text, re.S) if placeholder in f)
    action = html.unescape(re.search(r'action="([^"]+)"', form).group(1))
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return action, {k: html.unescape(v) for k, v in hidden.items()}


def articles_with(db, word: str, **where) -> set[int]:
    """instr() truth: articles (of the edition or page in ``where``) containing ``word``."""
    import sqlite3
    conn = sqlite3.connect(db)
    try:
        clause = "".join(f" and {k} = ?" for k in where)
        fields = " || char(10) || ".join(
            f"coalesce({c}, '')" for c in ("kicker", "title", "subtitle", "byline", "body",
                                           "captions"))
        sql = f"select id from articles where instr({fields}, ?) > 0{clause}"
        return {r[0] for r in conn.execute(sql, [word, *where.values()])}
    finally:
        conn.close()


@pytest.mark.parametrize("word", ["的", "市"])
def test_the_edition_and_page_search_boxes_search_only_there(room, word):
    ds, db, *_ = room
    everywhere = articles_with(db, word)
    edition = articles_with(db, word, paper="xcrb", date="2023-06-16")
    assert edition and everywhere - edition, "the word should be in other editions too"
    action, hidden = form_fields(get(ds, "/-/newsarchive/edition/archive/xcrb/2023-06-16").text,
                                 "search this edition")
    rows = get(ds, action + ".json", _shape="array", q=word, **hidden).json()
    assert {r["id"] for r in rows} == edition
    page = articles_with(db, word, paper="xcrb", date="2023-06-16", page_no=1)
    assert page and edition - page, "the word should be on other pages of the edition too"
    action, hidden = form_fields(get(ds, f"/-/newsarchive/page/archive/"
                                         f"{page_id(ds, '2023-06-16', 1)}").text,
                                 "search this page")
    rows = get(ds, action + ".json", _shape="array", q=word, **hidden).json()
    assert {r["id"] for r in rows} == page
