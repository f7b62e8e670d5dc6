"""Citing articles (issue #15, item 6): permalinks that survive re-extraction, the "cite as"
line, RIS and BibTeX that reference managers' parsers read back."""

from __future__ import annotations

import datetime
import re

import bibtexparser
import pytest
import rispy

from pipelines import reextract as reextract_module
from pipelines.archive import Archive
from publish.server import build_datasette
from tests.datasette_client import get
from tests.reading_room import build_reading_room


@pytest.fixture()
def room(tmp_path):
    db, files, truths = build_reading_room(tmp_path)
    ds = build_datasette(db, files_dir=files, cache_dir=tmp_path / "cache")
    return ds, db, files, truths


def articles_of_page(ds, page_id: int) -> list[dict]:
    return get(ds, "/archive/articles.json", _shape="array", page_id=str(page_id),
               _sort="seq").json()


def resolve(ds, key: str) -> int:
    response = get(ds, f"/-/newsarchive/article/archive/{key}")
    assert response.status_code == 302, (key, response.status_code)
    return int(re.fullmatch(r"/archive/articles/(\d+)", response.headers["location"]).group(1))


def test_every_article_has_a_distinct_key_naming_paper_date_page(room):
    ds, *_ = room
    rows = get(ds, "/archive/articles.json", _shape="array", _size="max").json()
    assert len({r["key"] for r in rows}) == len(rows)
    for row in rows:
        assert row["key"].startswith(f"{row['paper']}-{row['date'].replace('-', '')}-"
                                     f"{row['page_no']:02d}-")
        assert resolve(ds, row["key"]) == row["id"]
    assert get(ds, "/-/newsarchive/article/archive/xcrb-20230614-01-00000000").status_code == 404


def test_permalinks_survive_reextract_with_a_changed_engine(room, monkeypatch):
    """The new engine reads the page in another order, words a title differently and
    changes a body: every permalink given out before still opens the same article."""
    ds, db, files, truths = room
    page = get(ds, "/archive/pages.json", _shape="array", date="2023-06-14",
               page_no="1").json()[0]
    before = articles_of_page(ds, page["id"])
    assert len(before) >= 3
    changed = [dict(a) for a in reversed(truths[("2023-06-14", 1)]["articles"])]
    changed[0]["title"] = changed[0]["title"] + "（图）"  # a new heading: a new key
    changed[1]["body"] = changed[1]["body"].replace("，", ",", 3)  # same heading, other text

    def new_engine(files_store, pages, source, workers, *limits):
        for p in pages:
            yield p, {"pages": [{"number": 1, "status": "ok", "reason": None,
                                 "header": "", "articles": changed}]}

    monkeypatch.setattr(reextract_module, "_extracted", new_engine)
    with Archive(db) as archive:
        counts = reextract_module.reextract(archive, files, [page], workers=1)
    assert counts == {"ok": 1}
    after = {a["id"]: a for a in articles_of_page(ds, page["id"])}
    for old in before:
        target = after[resolve(ds, old["key"])]
        assert target["title"].startswith(old["title"] or ""), (old["title"], target["title"])
        assert (target["body"] or "").replace(",", "，") == (old["body"] or "")


def test_article_page_has_permalink_and_cite_as_line(room):
    ds, *_ = room
    article = get(ds, "/archive/articles.json", _shape="array", _size="1",
                  page_no="1", date="2023-06-16").json()[0]
    text = get(ds, f"/archive/articles/{article['id']}").text
    url = f"http://localhost/-/newsarchive/article/archive/{article['key']}"
    line = re.search(r'<span class="newsarchive-cite-as">(.*?)</span>', text).group(1)
    today = datetime.date.today().isoformat()
    title = article["title"].replace("“", "&#8220;")
    assert line.replace("&#34;", '"') in {
        f"许昌日报, 2023-06-16, 第01版：要闻: “{article['title']}”. {url} (accessed {today})",
        f"许昌日报, 2023-06-16, 第01版：要闻: “{title}”. {url} (accessed {today})"}
    assert f'href="{url}" rel="bookmark"' in text


def test_ris_of_one_article_parses_back(room):
    ds, *_ = room
    article = get(ds, "/archive/articles.json", _shape="array", _size="1",
                  page_no="2", date="2023-06-14").json()[0]
    response = get(ds, f"/archive/articles/{article['id']}.ris")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(response.text)
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == article["title"]
    assert entry["secondary_title"] == "许昌日报"
    assert entry["date"] == "2023/06/14" and entry["year"] == "2023"
    assert entry["start_page"] == "02"
    assert entry["urls"] == [f"http://localhost/-/newsarchive/article/archive/{article['key']}"]
    assert entry["section"] == "第02版：综合"


def test_bibtex_of_a_hit_list_parses_back(room):
    ds, *_ = room
    word = "魏都区"
    hits = get(ds, "/archive/search.json", _shape="array", q=word).json()
    assert len(hits) >= 3
    response = get(ds, "/archive/search.bib", q=word)
    assert response.status_code == 200
    library = bibtexparser.parse_string(response.text)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    rows = {a["id"]: a for a in get(ds, "/archive/articles.json", _shape="array",
                                    _size="max").json()}
    assert sorted(entries) == sorted(rows[h["id"]]["key"] for h in hits)
    for hit in hits:
        entry = entries[rows[hit["id"]]["key"]]
        assert entry.entry_type == "article"
        assert entry["title"] == hit["title"]
        assert entry["journal"] == "许昌日报"
        assert entry["date"] == hit["date"] and entry["year"] == hit["date"][:4]
        assert entry["url"].endswith(rows[hit["id"]]["key"])


def test_ris_of_a_table_search_has_every_hit(room):
    ds, *_ = room
    ids = {r["id"] for r in get(ds, "/archive/articles.json", _shape="array", _size="max",
                                _search="魏都区").json()}
    entries = rispy.loads(get(ds, "/archive/articles.ris", _search="魏都区",
                              _size="max").text)
    keys = {r["id"]: r["key"] for r in get(ds, "/archive/articles.json", _shape="array",
                                           _size="max").json()}
    assert {e["id"] for e in entries} == {keys[i] for i in ids}


def test_other_tables_cannot_be_exported_as_citations(room):
    ds, *_ = room
    assert get(ds, "/archive/pages.ris").status_code != 200
