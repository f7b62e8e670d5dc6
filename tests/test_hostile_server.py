"""Attacks on ``newsarchive serve`` by anyone who can reach it (issue #14, items 1, 2, 3, 8)."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from pipelines.archive import Archive
from publish import hits
from publish.server import build_datasette
from tests.test_publish import get

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
POLYGLOT = b"<html><script>alert(document.domain)</script><!--\n" + PDF + b"-->\n</html>"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("publish.server.serve", lambda *args, **kwargs: None)
        yield patch


@pytest.fixture(scope="module")
def served(tmp_path_factory, monkeypatch_module):
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
                 "pdf_path": path, "pdf_url": f"https://example.org/{page_no}.pdf"},
                [{"title": f"标题{page_no}", "body": "魏都区召开疫情防控工作会议。" * 3}],
            )
    with sqlite3.connect(root / "archive.db") as conn:  # as `import` recorded them before
        conn.execute("update pages set page_url = 'file:///home/importer/scans/p1.pdf', "
                     "pdf_url = 'file:///home/importer/scans/p1.pdf' where page_no = 1")
        conn.execute("insert into failures (paper, date, page_no, url, stage, reason) values "
                     "('xcrb', '2023-06-17', 1, 'file:///home/importer/x.pdf', 'extract', 'x')")
    result = CliRunner().invoke(cli, ["serve", "--db", str(root / "archive.db"), "--files",
                                      str(files)], catch_exceptions=False)
    assert result.exit_code == 0, result.output  # serve_datasette is stubbed below
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


def test_metadata_names_no_path_of_the_servers_disk(served):
    text = get(served, "/-/metadata.json").text
    assert "files_dir" not in text and str(served_root(served)) not in text
    assert get(served, "/-/newsarchive/pdf/archive/1").status_code == 200  # still served


def test_imported_pages_publish_no_file_urls(served):
    """An archive whose pages kept an importer's file:// URLs loses them when `serve` (or any
    command) opens it; new imports record none (tests/test_cli.py)."""
    rows = get(served, "/archive/pages.json", _shape="array").json()
    assert rows and not [r for r in rows if "file:" in str(r)]
    failures = get(served, "/archive/failures.json", _shape="array").json()
    assert not [r for r in failures if "file:" in str(r)]


def served_root(ds):
    from publish.pages import files_dir

    return files_dir(ds).parent


def _lists(path: str) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [n for (n,) in conn.execute("select name from sqlite_master where type='table'")]
        return {n: conn.execute(f"select count(*) from [{n}]").fetchone()[0] for n in names}


@pytest.mark.parametrize(("statement", "error"), [
    ("with recursive c(x) as (select 1 union all select x + 1 from c limit 1000) "
     "insert into newsarchive_hits.{list} select x + 1000000 from c", "not authorized"),
    ("with c(x) as (select 1) delete from newsarchive_hits.{list}", "not authorized"),
    ("with c(x) as (select 1) update newsarchive_hits.{list} set key = -key", "not authorized"),
    ("with c(x) as (select 1) insert into newsarchive_hits.list_999999 select x from c",
     "no such table"),
])
def test_no_request_writes_the_hit_lists(served, statement, error):
    assert get(served, "/archive/articles.json", _search="疫情").status_code == 200
    before = _lists(hits.STORE.path)
    latest = max(before, key=lambda name: int(name.split("_")[1]))
    assert before[latest] == 2  # the two articles with 疫情
    response = get(served, "/archive.json", sql=statement.format(list=latest))
    assert response.status_code == 400, response.text[:300]
    assert error in response.json()["error"]
    assert _lists(hits.STORE.path) == before


def test_the_scratch_store_has_a_size_bound(tmp_path):
    conn = sqlite3.connect(":memory:")
    store = hits.HitStore(max_bytes=1024 * 1024)
    assert store.attach(conn)
    many = "with recursive c(x) as (select 1 union all select x + 1 from c limit {n}) " \
           "select x as key from c"
    for _ in range(hits.IN_FLIGHT + 4):
        store.fill(conn, many.format(n=5000), {})  # ~60 KB each: they fit
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.fill(conn, many.format(n=200_000), {})  # ~2.5 MB: it does not
    size = sum(os.path.getsize(store.path + s) for s in ("", "-wal")
               if os.path.exists(store.path + s))
    assert size <= 1024 * 1024 + 64 * 1024
    assert len(_lists(store.path)) == hits.IN_FLIGHT  # older lists dropped to make room
    table = store.fill(conn, many.format(n=5000), {})
    assert conn.execute(f"select count(*) from {table}").fetchone() == (5000,)
    conn.close()
    store.remove()
    assert not os.path.exists(store.path or "") and store.path is None


LIMIT_MS = 1000
BODY = "魏都区召开疫情防控工作会议，部署ＡＢＣ下一阶段重点任务。" * 90  # ~2,500 chars, not NFKC


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """2,000 articles of 2,500 characters (5 million in all), served with a 1 s limit."""
    import sqlite_utils

    path = tmp_path_factory.mktemp("big") / "archive.db"
    sqlite_utils.Database(path)["articles"].insert_all(
        ({"id": i, "title": f"标题{i}", "body": BODY} for i in range(2000)), pk="id")
    return build_datasette(path, settings={"sql_time_limit_ms": LIMIT_MS})


def timed_sql(ds, sql: str):
    started = time.perf_counter()
    response = get(ds, "/archive.json", sql=sql, _shape="array")
    return response, time.perf_counter() - started


# A call refused raises in the function: sqlite3 reports it as unraisable.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("sql", "error"), [
    # the whole archive as the query: refused at once
    ("select length(newsarchive_snippet(group_concat(body), body)) from articles",
     "user-defined function raised exception"),
    ("select newsarchive_query(group_concat(body)) from articles",
     "user-defined function raised exception"),
    # calls without end: stopped at the request's time limit
    ("select count(newsarchive_highlight(a.body, '疫情')) from articles a, articles b",
     "user-defined function raised exception"),
    ("select count(newsarchive_snippet('疫情 会议', a.body, a.body, a.body)) "
     "from articles a, articles b", "user-defined function raised exception"),
    ("select count(newsarchive_exact('=臺灣 =會議', a.body, a.body)) "
     "from articles a, articles b", "user-defined function raised exception"),
    # a value of gigabytes is refused by SQLite before any function sees it
    ("select length(group_concat(a.body)) from articles a, articles b limit 1",
     "string or blob too big"),
])
def test_hostile_calls_of_the_sql_functions_end_within_the_time_limit(big, sql, error):
    response, seconds = timed_sql(big, sql)
    assert response.status_code == 400, response.text[:300]
    assert error in response.json()["error"] or "too long" in response.json()["error"]
    assert seconds < LIMIT_MS / 1000 + 1.0


def test_a_whole_archive_as_text_gives_a_snippet_of_its_start(big):
    response, seconds = timed_sql(
        big, "select newsarchive_snippet('会议', group_concat(body)) as s from articles")
    assert response.status_code == 200, response.text[:300]
    (row,) = response.json()
    assert row["s"].startswith("魏都区召开疫情防控工作⟦会议⟧") and row["s"].endswith("…")
    assert seconds < 1.0


def test_the_functions_still_serve_a_normal_ranked_search(served):
    rows = get(served, "/archive/search.json", q="疫情", _shape="array").json()
    assert len(rows) == 2 and all("⟦疫情⟧" in r["snippet"] for r in rows)



def test_sigterm_stops_the_server_mid_query_and_removes_the_scratch_file(tmp_path):
    import json
    import signal
    import socket
    import subprocess
    import sys
    import threading
    import urllib.parse
    import urllib.request
    from pathlib import Path

    from tests.search_corpus import build_archive

    db = build_archive(tmp_path / "archive.db", pages=16)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "newsarchive"), "serve", "--db", str(db),
         "--port", str(port)],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        found = json.load(urllib.request.urlopen(
            f"{base}/archive/articles.json?_search=%E7%96%AB&_shape=array", timeout=10))
        assert found and len(list(scratch.glob("newsarchive-hits-*"))) >= 1
        slow = urllib.parse.quote("select count(*) from articles a, articles b, articles c, "
                                  "articles d, articles e")
        threading.Thread(target=lambda: _ignore(
            lambda: urllib.request.urlopen(f"{base}/archive.json?sql={slow}", timeout=30).read()
        ), daemon=True).start()
        time.sleep(0.5)  # the query runs
        stopped = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 128 + signal.SIGTERM
        assert time.perf_counter() - stopped < 10
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert list(scratch.iterdir()) == []


def _ignore(call):
    try:
        call()
    except OSError:
        pass
