"""Traditional and simplified Chinese fold both ways in search (issue #15, item 5), with an
exact-form search (=臺灣) still possible.

The truth is OpenCC's own converter (the ``opencc`` package, phrase by phrase), independent
of the character table the index folds with: an article is a hit of a term when the term,
converted to simplified, occurs in the article's text converted to simplified. The corpus is
simplified news sentences and the same sentences converted by OpenCC to traditional (OpenCC
standard, Taiwan and Hong Kong forms), so every article exists in several forms.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import unicodedata

import opencc
import pytest
import sqlite_utils

from pipelines.archive import Archive, han_forms, search
from pipelines.archive.search import FTS_TABLE, fts_query, query_terms, term_text
from publish.highlight import has_exact_forms, highlight
from publish.server import build_datasette
from tests.datasette_client import get
from tests.search_corpus import rebuilt_vocabulary, vocabulary

TO_SIMPLIFIED = opencc.OpenCC("t2s")
CONVERTERS = {"s2t": opencc.OpenCC("s2t"), "s2tw": opencc.OpenCC("s2tw"),
              "s2hk": opencc.OpenCC("s2hk")}

SENTENCES = [
    "台湾同胞参观许昌博物馆，两岸交流合作不断发展。",
    "发展新质生产力，推动经济高质量发展。",
    "理发店里，师傅为老人修剪头发。",
    "国务院发布关于优化营商环境的意见。",
    "钟楼广场的面条馆开业，一碗面十元。",
    "后来，历史学家在档案里找到了这份记录。",
    "香港回归祖国二十五周年庆祝活动隆重举行。",
    "台风过后，电力部门连夜抢修线路。",
]
TITLES = ["两岸交流", "经济发展", "社区服务", "营商环境", "城市生活", "历史档案", "香港",
          "防台风"]
QUERIES = ["台湾", "臺灣", "頭髮", "头发", "發展", "发展", "國務院", "营商环境", "營商環境",
           "鐘樓", "麵條", "歷史", "颱風", "台风", "臺風", "台", "香港 回歸", "钟"]
EXACT = ["=臺灣", "=台湾", "=頭髮", "=发展", "=臺灣 发展", "=国务院 營商", "=颱風"]


def simplified(text: str | None) -> str:
    return TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", text or "").lower())


def as_written(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def versions() -> list[tuple[str, str, str]]:
    """(form, title, body) of every article: each sentence as written and converted."""
    out = []
    for title, body in zip(TITLES, SENTENCES, strict=True):
        out.append(("s", title, body))
        out += [(name, c.convert(title), c.convert(body)) for name, c in CONVERTERS.items()]
    return out


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    """One article per version, spread over pages of three months."""
    path = tmp_path_factory.mktemp("han") / "archive.db"
    pages: dict[tuple, list[dict]] = {}
    for n, (form, title, body) in enumerate(versions()):
        key = (f"2023-{6 + n % 3:02d}-{1 + n % 7:02d}", 1 + n // 21)
        pages.setdefault(key, []).append({"kicker": form, "title": title, "body": body})
    with Archive(path) as archive:
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报"})
        for (date, page_no), rows in pages.items():
            archive.save_page({"paper": "xcrb", "date": date, "page_no": page_no,
                               "status": "ok"}, rows)
    return path


def articles(path) -> dict[int, tuple]:
    conn = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in conn.execute("select id, title, body from articles")}
    finally:
        conn.close()


def forms_of(path, ids: set[int]) -> set[str]:
    """The forms (s, s2t, s2tw, s2hk: kept in the kicker) of articles."""
    conn = sqlite3.connect(path)
    try:
        return {k for i, k in conn.execute("select id, kicker from articles") if i in ids}
    finally:
        conn.close()


def truth(path, query: str) -> set[int]:
    """Articles in which every term occurs: converted to simplified by OpenCC both sides,
    or as written for a term marked exact (=臺灣)."""
    out = set()
    for article_id, texts in articles(path).items():
        ok = True
        for term in query_terms(query):
            term, exact = term_text(term)
            fold = as_written if exact else simplified
            ok = ok and any(fold(term) in fold(t) for t in texts)
        if ok:
            out.add(article_id)
    return out


def index_hits(path, query: str) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        sql = (f"select id, title, body from articles where date_key in "
               f"(select rowid from {FTS_TABLE} where {FTS_TABLE} match ?)")
        return {i for i, *texts in conn.execute(sql, [fts_query(query)])
                if has_exact_forms(query, *texts)}
    finally:
        conn.close()


def test_the_fold_table_folds_what_opencc_converts():
    for sentence in SENTENCES + TITLES:
        for converter in CONVERTERS.values():
            converted = converter.convert(sentence)
            assert han_forms.fold(converted) == han_forms.fold(sentence), converted
    assert han_forms.fold("臺灣") == han_forms.fold("台湾") == han_forms.fold("台灣")
    assert len(han_forms.fold("頭髮發展")) == 4  # a character for a character
    assert han_forms.fold(han_forms.fold("臺灣頭髮")) == han_forms.fold("臺灣頭髮")
    assert set("台臺颱檯") <= set(han_forms.forms("台"))


@pytest.mark.parametrize("query", QUERIES)
def test_either_form_finds_both(archive_path, query):
    expected = truth(archive_path, query)
    assert expected, f"the corpus should contain {query!r}"
    assert {"s", "s2t"} <= forms_of(archive_path, expected), "nothing was folded"
    assert index_hits(archive_path, query) == expected


@pytest.mark.parametrize("query", EXACT)
def test_a_term_marked_exact_finds_that_form_only(archive_path, query):
    expected = truth(archive_path, query)
    assert expected, f"the corpus should contain {query!r}"
    folded = truth(archive_path, query.replace("=", ""))
    assert expected < folded, "the exact form should find fewer articles than the folded"
    assert index_hits(archive_path, query) == expected


def test_a_single_character_folds_too(archive_path):
    # Character folding, not word conversion: 台 stands for 臺 and 颱 as well.
    assert index_hits(archive_path, "台") == truth(archive_path, "台")
    assert index_hits(archive_path, "台") >= truth(archive_path, "颱風") | truth(archive_path,
                                                                              "臺灣")


def test_highlights_mark_every_form():
    assert highlight("臺灣同胞與台湾朋友", "台湾") == "⟦臺灣⟧同胞與⟦台湾⟧朋友"
    assert highlight("臺灣同胞與台湾朋友", "=臺灣") == "⟦臺灣⟧同胞與台湾朋友"
    assert highlight("頭髮", "头发") == "⟦頭髮⟧"


@pytest.fixture(scope="module")
def ds(archive_path):
    return build_datasette(archive_path)


def table_search(ds, **params) -> set[int]:
    response = get(ds, "/archive/articles.json", _shape="array", _size="max", _col="id",
                   **params)
    assert response.status_code == 200, response.text[:500]
    return {r["id"] for r in response.json()}


@pytest.mark.parametrize("query", ["臺灣", "头发", "=臺灣", "=臺灣 发展", "=颱風"])
def test_table_search(ds, archive_path, query):
    assert table_search(ds, _search=query) == truth(archive_path, query)


def test_column_search_with_an_exact_term(ds, archive_path):
    assert table_search(ds, _search_body="=臺灣") == {
        i for i, (_, body) in articles(archive_path).items() if "臺灣" in body}
    assert table_search(ds, _search_title="=經濟") == {
        i for i, (title, _) in articles(archive_path).items() if "經濟" in title}


@pytest.mark.parametrize("query", ["台湾", "=臺灣", "發展 =頭髮"])
def test_ranked_search_and_its_snippets(ds, archive_path, query):
    response = get(ds, "/archive/search.json", _shape="array", q=query)
    assert response.status_code == 200, response.text[:500]
    rows = response.json()
    assert {r["id"] for r in rows} == truth(archive_path, query)
    for row in rows:
        assert "⟦" in row["snippet"]


def test_the_ranked_page_shows_the_other_form_highlighted(ds):
    html = get(ds, "/archive/search", q="台湾").text
    assert "<mark>臺灣</mark>" in html and "<mark>台湾</mark>" in html


@pytest.mark.parametrize("query", ["台湾", "=臺灣"])
def test_the_chart_counts_the_same_articles(ds, archive_path, query):
    response = get(ds, "/-/newsarchive/timeline/archive.csv", q=query)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(int(r["hits"]) for r in rows if not r["paper"]) == len(truth(archive_path,
                                                                             query))
    chart = get(ds, "/-/newsarchive/timeline/archive.svg", q=query).text
    drawn = sum(int(n) for n in re.findall(r'data-hits="(\d+)"', chart))
    assert drawn == len(truth(archive_path, query))


def test_an_index_folded_by_another_table_is_rebuilt(tmp_path, monkeypatch):
    path = tmp_path / "archive.db"
    page = {"paper": "xcrb", "date": "2023-06-16", "page_no": 1, "status": "ok"}
    with monkeypatch.context() as patch:  # the archive as a version that did not fold
        patch.setattr(han_forms, "fold", lambda text: text)
        patch.setattr(han_forms, "fingerprint", lambda: "unfolded")
        with Archive(path) as archive:
            archive.save_page(page, [{"title": "臺灣", "body": "頭髮護理"},
                                     {"title": "其他", "body": "發展"}])
    db = sqlite_utils.Database(path)
    assert search.stored_version(db).endswith(":unfolded")
    db.close()
    with Archive(path) as archive:
        assert archive.index_rebuilt == 2
        # The page rewritten: its entries are deleted with the tokens they were indexed with.
        archive.save_page(page, [{"title": "臺灣", "body": "新內容"}])
    assert vocabulary(path) == rebuilt_vocabulary(path, tmp_path)
    forms = vocabulary(path, search.FORMS_TABLE)
    assert forms == rebuilt_vocabulary(path, tmp_path, search.FORMS_TABLE)
    assert {term for term, *_ in forms} == {"臺", "灣", "內"}
    assert index_hits(path, "台湾") == index_hits(path, "新内容") == truth(path, "台湾")
    assert not index_hits(path, "头发")


def test_the_forms_index_holds_each_article_s_characters_folded_away(archive_path):
    conn = sqlite3.connect(archive_path)
    conn.execute("create virtual table temp.forms using "
                 f"fts5vocab(main, {search.FORMS_TABLE}, instance)")
    held: dict[int, set] = {}
    for term, key in conn.execute("select term, doc from temp.forms"):
        held.setdefault(key, set()).add(term)
    without = 0
    for key, title, body, kicker in conn.execute(
            "select date_key, title, body, kicker from articles"):
        expected = {c for c in title + body + kicker if han_forms.fold(c) != c}
        assert held.get(key, set()) == expected, (title, body)
        without += not expected
    conn.close()
    assert held and without, "the corpus has articles with and without such characters"


def test_only_the_hits_that_may_hold_another_form_are_read(archive_path):
    from publish.search_filter import exact_forms_sql

    conn = sqlite3.connect(archive_path)
    read = []

    def exact(query, *texts):
        read.append(texts)
        return has_exact_forms(query, *texts)

    conn.create_function("newsarchive_exact", -1, exact)
    conn.create_function("newsarchive_has_exact", 1, lambda q: bool(search.exact_terms(q)))
    conn.create_function("newsarchive_forms_required", 1, search.forms_required)
    conn.create_function("newsarchive_forms_unsure", 1, search.forms_unsure)
    sql = (f"select a.id from articles a where a.date_key in (select rowid from {FTS_TABLE} "
           f"where {FTS_TABLE} match :fts) and {exact_forms_sql(':q', 'a.date_key', 'a.id')}")
    try:
        for query in ("=台湾", "=臺灣", "=发展", "发展", "=许昌博物馆"):
            read.clear()
            hits = {r[0] for r in conn.execute(sql, {"fts": fts_query(query), "q": query})}
            assert hits == truth(archive_path, query), query
            folded = truth(archive_path, query.lstrip("="))
            with_other_forms = {i for i in folded if forms_of(archive_path, {i}) != {"s"}}
            # Simplified articles (form "s") are decided by the forms index alone.
            assert len(read) <= len(with_other_forms), query
            if query == "发展":
                assert read == []
    finally:
        conn.close()


def test_an_archive_served_without_the_forms_index_still_searches_exact_forms(
        archive_path, tmp_path):
    # As an archive indexed before the forms index and served without being opened (read
    # only): an empty forms index in each connection's temp schema, every hit read.
    copy = tmp_path / "copy.db"
    src = sqlite3.connect(archive_path)
    src.execute("vacuum into ?", [str(copy)])
    src.close()
    db = sqlite_utils.Database(copy)
    db.execute(f"drop table {search.FORMS_TABLE}")
    db.conn.commit()
    db.close()
    ds = build_datasette(copy)
    for query in ("=臺灣", "=台湾", "=颱風", "台湾"):
        assert table_search(ds, _search=query) == truth(archive_path, query), query
        response = get(ds, "/archive/search.json", _shape="array", q=query)
        assert {r["id"] for r in response.json()} == truth(archive_path, query), query
        chart = get(ds, "/-/newsarchive/timeline/archive.svg", q=query).text
        assert sum(int(n) for n in re.findall(r'data-hits="(\d+)"', chart)) == len(
            truth(archive_path, query))
    assert search.FORMS_TABLE not in sqlite_utils.Database(copy).table_names()
