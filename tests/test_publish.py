"""Datasette with the newsarchive plugin and metadata: search, ranked page, article page."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
import threading
from collections import Counter

import pytest
from datasette.app import Datasette
from datasette.plugins import pm
from markupsafe import escape

from publish import hits
from publish.server import build_datasette
from tests.search_corpus import INDEXED, QUERIES, build_archive, truth


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("publish") / "archive.db")


@pytest.fixture(scope="module")
def files_dir(tmp_path_factory, archive_path):
    root = tmp_path_factory.mktemp("files")
    pdf = root / "pdf" / "00" / "0.pdf"  # pages.pdf_path of the first page
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4 test page\n")
    return root


@pytest.fixture(scope="module")
def ds(archive_path, files_dir):
    return build_datasette(archive_path, files_dir=files_dir)


class _Loop:
    """An event loop in a thread of its own: the tests run inside pytest-twisted's
    asyncio reactor, where ``asyncio.run`` is not allowed."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=120)


_LOOP = _Loop()


def get(ds: Datasette, path: str, **params):
    """GET through Datasette's ASGI test client."""
    return _LOOP.run(ds.client.get(path, params=params or None))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.text[:500]
    return {row["id"] for row in response.json()}


def search_ids(ds, **params) -> set[int]:
    return ids(get(ds, "/archive/articles.json", _shape="array", _size="max", _col="id",
                   **params))


@pytest.mark.parametrize("query", QUERIES)
def test_json_search_gives_exactly_the_instr_rows(ds, archive_path, query):
    assert search_ids(ds, _search=query) == truth(archive_path, query)


@pytest.mark.parametrize("column", INDEXED)
def test_column_search(ds, archive_path, column):
    for query in ("营商环境", "许廷合", "5G", "疫", "喜迎", "魏都区"):
        expected = truth(archive_path, query, columns=(column,))
        assert search_ids(ds, **{f"_search_{column}": query}) == expected


def test_csv_export_gives_every_hit(ds, archive_path):
    response = get(ds, "/archive/articles.csv", _search="营商环境", _stream="on", _size="max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {int(r["id"]) for r in rows} == truth(archive_path, "营商环境")


def test_raw_mode_keeps_operators(ds, archive_path):
    epidemic, aerogel = truth(archive_path, "疫情"), truth(archive_path, "气凝胶")
    assert search_ids(ds, _search="疫情 OR 气凝胶", _searchmode="raw") == epidemic | aerogel
    assert search_ids(ds, _search="疫情 NOT 气凝胶", _searchmode="raw") == epidemic - aerogel
    assert search_ids(ds, _search="title:营商环境", _searchmode="raw") == truth(
        archive_path, "营商环境", columns=("title",)
    )
    near = search_ids(ds, _search="NEAR(许昌 营商环境, 2)", _searchmode="raw")
    assert near and near <= truth(archive_path, "许昌 营商环境")
    # Escaped mode: OR is just a word (which no article has), not an operator.
    assert search_ids(ds, _search="疫情 OR 气凝胶") == set()


def test_table_page_has_a_search_box_showing_the_query(ds):
    html = get(ds, "/archive/articles", _search="魏都区 疫情").text
    assert 'name="_search"' in html
    assert 'value="魏都区 疫情"' in html
    assert "魏 都 区" not in html  # the translation stays internal


def test_articles_newest_first_with_facets_on_request(ds, archive_path):
    data = get(ds, "/archive/articles.json", _search="疫情", _shape="objects",
               _facet=["paper", "page_no"], _size="max").json()
    dates = [row["date"] for row in data["rows"]]
    assert dates == sorted(dates, reverse=True)
    assert set(data["facet_results"]) == {"paper", "page_no"}
    papers = {v["value"]: v["count"] for v in data["facet_results"]["paper"]["results"]}
    assert papers == dict(Counter(row["paper"] for row in data["rows"]))
    assert sum(papers.values()) == len(truth(archive_path, "疫情"))
    pages = get(ds, "/archive/pages.json").json()
    assert {"paper", "date", "page_no"} <= set(pages["facet_results"])


def ranked(ds, **params):
    response = get(ds, "/archive/search.json", _shape="array", **params)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_ranked_search_orders_by_relevance_with_snippets(ds, archive_path):
    rows = ranked(ds, q="纳米气凝胶毡")
    expected = truth(archive_path, "纳米气凝胶毡")
    assert len(expected) < 100 and {r["id"] for r in rows} == expected
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert all("⟦纳米气凝胶毡⟧" in r["snippet"] for r in rows)
    assert all(r["page_id"] and r["paper_name"] for r in rows)


def test_ranked_search_filters(ds, archive_path):
    everything = {r["id"]: r for r in ranked(ds, q="纳米气凝胶毡")}
    assert set(everything) == truth(archive_path, "纳米气凝胶毡")
    demo = ranked(ds, q="纳米气凝胶毡", paper="demo")
    assert demo and {r["id"] for r in demo} == {
        i for i, r in everything.items() if r["paper"] == "demo"
    }
    window = ranked(ds, q="纳米气凝胶毡", date_from="2023-06-12", date_to="2023-06-14")
    assert {r["id"] for r in window} == {
        i for i, r in everything.items() if "2023-06-12" <= r["date"] <= "2023-06-14"
    }
    page = ranked(ds, q="纳米气凝胶毡", page_no="3")
    assert {r["id"] for r in page} == {i for i, r in everything.items() if r["page_no"] == 3}


def test_ranked_search_page_and_exports(ds):
    html = get(ds, "/archive/search", q="营商环境").text
    assert "<mark>营商环境</mark>" in html
    assert 'href="/archive/articles/' in html and "/-/newsarchive/pdf/archive/" in html
    assert '<option value="xcrb">许昌日报</option>' in html
    assert "search.json?q=" in html and "search.csv?q=" in html
    rows = list(csv.DictReader(io.StringIO(get(ds, "/archive/search.csv", q="营商环境").text)))
    assert rows and "⟦营商环境⟧" in rows[0]["snippet"]
    empty = get(ds, "/archive/search")
    assert empty.status_code == 200 and 'class="newsarchive-hit"' not in empty.text


def article_with(archive_path, text: str) -> int:
    return min(truth(archive_path, text))


def test_article_page_reads_well(ds, archive_path):
    conn = sqlite3.connect(archive_path)
    (article_id,) = conn.execute(
        "select min(id) from articles where kicker is not null and subtitle is not null "
        "and byline is not null and captions != '[]' and body like '%许昌%'"
    ).fetchone()
    conn.close()
    data = get(ds, f"/archive/articles/{article_id}.json", _shape="objects").json()["rows"][0]
    html = get(ds, f"/archive/articles/{article_id}", q="许昌").text
    text = re.sub(r"</?mark>", "", html)
    for field in ("kicker", "title", "subtitle", "byline"):
        assert str(escape(data[field])) in text
    for paragraph in data["body"].split("\n"):
        assert f"<p>{escape(paragraph)}</p>" in text
    for caption in json.loads(data["captions"]):
        assert f"<figcaption>{escape(caption)}</figcaption>" in text
    assert data["date"] in html and f"page {data['page_no']}" in html
    assert ("许昌日报" if data["paper"] == "xcrb" else "Demo Daily") in html
    assert f"https://example.org/{data['paper']}/" in html  # source page and PDF links
    assert "<mark>许昌</mark>" in html


def test_html_in_articles_is_shown_as_text(ds, archive_path):
    article_id = article_with(archive_path, "<script>alert")
    pages = [
        get(ds, f"/archive/articles/{article_id}").text,
        get(ds, "/archive/articles", _search="页面代码").text,
        get(ds, "/archive/search", q="页面代码").text,
        get(ds, "/archive/search", q="营商环境").text,  # titles with <b>
    ]
    for html in pages:
        assert "<script>alert(" not in html and "<b>营商环境" not in html
        assert "&lt;script&gt;" in html or "&lt;b&gt;" in html


def test_metadata_and_paper_descriptions(ds):
    meta = get(ds, "/-/metadata.json").json()
    assert meta["title"] == "newsarchive"
    html = get(ds, "/archive").text
    assert "许昌市委机关报" in html and "A &lt;b&gt;demo&lt;/b&gt; paper" in html
    assert 'href="https://szb.21xc.com/xcrb/"' in html


def test_page_pdf_route(ds):
    archived = get(ds, "/-/newsarchive/pdf/archive/1")
    assert archived.status_code == 200
    assert archived.headers["content-type"] == "application/pdf"
    assert archived.content.startswith(b"%PDF-")
    elsewhere = get(ds, "/-/newsarchive/pdf/archive/2")
    assert elsewhere.status_code == 302
    assert elsewhere.headers["location"].startswith("https://example.org/")
    assert get(ds, "/-/newsarchive/pdf/archive/99999").status_code == 404


def test_other_databases_keep_stock_search(tmp_path):
    import sqlite_utils

    other = tmp_path / "other.db"
    db = sqlite_utils.Database(other)
    db["notes"].insert_all([{"id": 1, "text": "hello world"}, {"id": 2, "text": "goodbye"}],
                           pk="id")
    db["notes"].enable_fts(["text"])
    ds = Datasette([str(other)])
    assert ids(get(ds, "/other/notes.json", _search="hello", _shape="array")) == {1}


def test_stock_datasette_without_the_plugin_reads_every_table(archive_path):
    import publish.plugin

    pm.unregister(publish.plugin)
    try:
        assert "publish.plugin" not in {p.__name__ for p in pm.get_plugins()}
        ds = Datasette([str(archive_path)])
        tables = get(ds, "/archive.json").json()["tables"]
        assert {"papers", "pages", "articles", "articles_fts"} <= {t["name"] for t in tables}
        for table in tables:
            response = get(ds, f"/archive/{table['name']}.json")
            assert response.status_code == 200, (table["name"], response.text[:300])
        assert get(ds, "/archive/articles/1").status_code == 200
    finally:
        pm.register(publish.plugin, name="newsarchive")


def test_an_emptied_search_box_lists_every_article(ds, archive_path):
    conn = sqlite3.connect(archive_path)
    (total,) = conn.execute("select count(*) from articles").fetchone()
    conn.close()
    for blank in ("", "   "):
        data = get(ds, "/archive/articles.json", _search=blank, _shape="objects").json()
        assert data["filtered_table_rows_count"] == total
    assert search_ids(ds, _search='"') == set()
    assert get(ds, "/archive/articles.json", _search="NEAR(", _searchmode="raw").status_code == 400


def test_a_search_evaluates_its_fts_query_once(archive_path, files_dir):
    """Listing, count and two facets read one hit list written per request: no statement that
    Datasette traces runs the FTS5 query again, and the hits are still exact."""
    ds = build_datasette(archive_path, files_dir=files_dir, settings={"trace_debug": True})
    data = get(ds, "/archive/articles.json", _search="疫情", _trace="1", _size="max",
               _col="id", _shape="objects", _facet=["paper", "date"]).json()
    statements = [t["sql"] for t in data["_trace"]["traces"]
                  if t.get("type") == "sql" and t.get("database") == "archive"]
    assert len([sql for sql in statements if "newsarchive_hits.list_" in sql]) >= 4
    assert not [sql for sql in statements if " match " in sql.lower()]
    assert {r["id"] for r in data["rows"]} == truth(archive_path, "疫情")
    assert data["filtered_table_rows_count"] == len(truth(archive_path, "疫情"))


def test_search_works_without_the_hit_lists(ds, archive_path, monkeypatch):
    """When the scratch database cannot be attached, each statement searches by itself."""
    monkeypatch.setattr("publish.hits.attached", lambda conn: False)
    data = get(ds, "/archive/articles.json", _search="营商环境", _shape="objects",
               _size="max", _col="id").json()
    assert " match " in data["query"]["sql"]
    assert {r["id"] for r in data["rows"]} == truth(archive_path, "营商环境")


def test_newest_hits_come_first(ds):
    rows = get(ds, "/archive/articles.json", _search="疫情", _shape="array", _size="max",
               _col="date").json()
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1


def test_old_hit_lists_are_dropped(archive_path):
    """The scratch database keeps the last KEEP hit lists, whatever number of searches."""
    conn = sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True)
    store = hits.HitStore()
    assert store.attach(conn)
    keys = "select rowid as key from articles_fts where articles_fts match :q"
    for _ in range(hits.KEEP + 5):
        table = store.fill(conn, keys, {"q": '"疫 情"'})
    lists = [r[0] for r in conn.execute(
        f"select name from {hits.SCHEMA}.sqlite_master where type = 'table'")]
    assert len(lists) == hits.KEEP and table.split(".")[1] in lists
    found = {r[0] for r in conn.execute(f"select id from articles where date_key in "
                                        f"(select key from {table})")}
    assert found == truth(archive_path, "疫情")
    conn.close()


def test_connections_opened_at_once_share_one_scratch_database(archive_path):
    store = hits.HitStore()
    conns = [sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True,
                             check_same_thread=False) for _ in range(8)]
    threads = [threading.Thread(target=store.attach, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    files = {next(r[2] for r in c.execute("pragma database_list") if r[1] == hits.SCHEMA)
             for c in conns}
    assert files == {store.path}
    table = store.fill(conns[0], "select rowid as key from articles_fts", {})
    assert conns[7].execute(f"select count(*) from {table}").fetchone()[0] > 0
    for c in conns:
        c.close()


def test_ranked_search_within_one_edition_or_page_is_not_cut_by_the_archive_wide_limit(
        ds, archive_path):
    from publish.metadata import SEARCH_LIMIT

    everywhere = truth(archive_path, "的")
    assert len(everywhere) > SEARCH_LIMIT  # the archive-wide list stops at the limit
    assert len(ranked(ds, q="的")) == SEARCH_LIMIT
    conn = sqlite3.connect(archive_path)
    where = {i: (p, d, n) for i, p, d, n in conn.execute(
        "select id, paper, date, page_no from articles")}
    conn.close()
    paper, date, page_no = Counter(where[i] for i in everywhere).most_common(1)[0][0]
    edition = {i for i in everywhere if where[i][:2] == (paper, date)}
    rows = ranked(ds, q="的", paper=paper, date_from=date, date_to=date)
    assert {r["id"] for r in rows} == edition
    page = {i for i in edition if where[i][2] == page_no}
    rows = ranked(ds, q="的", paper=paper, date_from=date, date_to=date, page_no=str(page_no))
    assert {r["id"] for r in rows} == page and page < edition
