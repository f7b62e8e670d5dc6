"""The ``newsarchive`` command line: extract, import, crawl arguments, the demo."""

from __future__ import annotations

import datetime
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")


@pytest.fixture(scope="module")
def page_pdf(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("pdf") / "page.pdf"
    spec = edition_specs("许昌日报", datetime.date(2023, 6, 16), pages=1, seed=7)[0]
    return path, typeset_page(spec, path)


def test_extract_json_has_the_documented_shape(page_pdf):
    path, truth = page_pdf
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    (page,) = doc["pages"]
    assert page["number"] == 1 and page["status"] == "ok"
    assert [a["title"] for a in page["articles"]] == [a["title"] for a in truth["articles"]]
    for article in page["articles"]:
        assert set(article) >= {"kicker", "title", "subtitle", "byline", "body", "captions", "bbox"}
        x0, top, x1, bottom = article["bbox"]
        assert x0 < x1 and top < bottom


def test_extract_text_and_a_bad_file(page_pdf, tmp_path):
    path, truth = page_pdf
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0
    assert f"# {truth['articles'][0]['title']}" in result.output
    html = tmp_path / "error.pdf"
    html.write_text("<html><body>404 Not Found</body></html>")
    result = CliRunner().invoke(cli, ["extract", str(html)])
    assert result.exit_code == 1
    assert "error.pdf" in result.output


def test_import_archives_pdfs_once_and_rejects_non_pdfs(page_pdf, tmp_path):
    path, truth = page_pdf
    html = tmp_path / "p2.pdf"
    html.write_text("<html>not a pdf</html>")
    args = [
        "import",
        "--paper",
        "xcrb",
        "--date",
        "2023-06-16",
        "--page",
        "3",
        "--db",
        str(tmp_path / "a.db"),
        "--files",
        str(tmp_path / "files"),
    ]
    result = CliRunner().invoke(cli, [*args, str(path), str(html)])
    assert result.exit_code == 1
    assert "page 3 ok" in result.output
    assert "p2.pdf: not a PDF" in result.output
    CliRunner().invoke(cli, [*args, str(path)])  # again: nothing twice
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("select paper, date, page_no, status, pdf_url from pages").fetchall() == [
        ("xcrb", "2023-06-16", 3, "ok", None)  # the importer's paths are not published
    ]
    titles = [r[0] for r in db.execute("select title from articles order by seq")]
    assert titles == [a["title"] for a in truth["articles"]]
    (stored,) = db.execute("select pdf_path, sha256 from pages").fetchall()
    assert (tmp_path / "files" / stored[0]).read_bytes() == path.read_bytes()
    assert stored[1] in stored[0]


def test_crawl_rejects_unknown_papers_and_reversed_dates():
    result = CliRunner().invoke(cli, ["crawl", "nope"])
    assert result.exit_code == 2
    assert "unknown paper 'nope'" in result.output
    result = CliRunner().invoke(
        cli, ["crawl", "xcrb", "--from", "2023-06-02", "--to", "2023-06-01"]
    )
    assert result.exit_code == 2
    assert "is after" in result.output


def test_serve_needs_an_archive(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_demo_builds_the_archive_and_adds_nothing_twice(tmp_path):
    def demo() -> str:
        done = subprocess.run(
            [NEWSARCHIVE, "demo", "--no-serve"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "xcrb: ok: 12 new, 0 skipped, 0 failed pages" in demo()
    db = sqlite3.connect(tmp_path / "archive.db")
    counts = db.execute("select count(*) from pages where status = 'ok'").fetchone()
    articles = db.execute("select count(*) from articles").fetchone()[0]
    assert counts == (12,)
    assert articles >= 24
    # The sample site publishes its article pages: the publisher's text is shown (source
    # html), every page's extraction is measured against it.
    sources = dict(db.execute("select source, count(*) from articles group by source"))
    assert sources.get("html", 0) >= 24
    quality = db.execute("select count(*), sum(matched), sum(missing) from extraction_quality")
    assert quality.fetchone() == (12, sources["html"], 0)
    assert "xcrb: ok: 0 new, 12 skipped, 0 failed pages" in demo()
    assert db.execute("select count(*) from articles").fetchone()[0] == articles
    dates = [r[0] for r in db.execute("select distinct date from pages order by date")]
    assert dates == ["2023-06-14", "2023-06-15", "2023-06-16"]


@pytest.fixture
def imported(tmp_path, page_pdf) -> Path:
    """An archive with the sample page imported on two dates (a gap between them)."""
    path, _ = page_pdf
    for day in ("2023-06-16", "2023-06-19"):
        args = [
            "import",
            "--paper",
            "xcrb",
            "--date",
            day,
            "--db",
            str(tmp_path / "a.db"),
            "--files",
            str(tmp_path / "files"),
            str(path),
        ]
        assert CliRunner().invoke(cli, args).exit_code == 0
    return tmp_path / "a.db"


def test_reextract_replaces_old_extractions_and_keeps_ids(imported, tmp_path):
    db = sqlite3.connect(imported)
    before = db.execute("select id, title, body from articles order by id").fetchall()
    db.execute("update pages set extractor_version = '0.0.1' where date = '2023-06-16'")
    db.execute("update articles set body = 'stale text' where id = ?", [before[0][0]])
    db.commit()
    args = ["--db", str(imported), "--files", str(tmp_path / "files")]
    result = CliRunner().invoke(cli, ["reextract", "--older-than", "0.0.2", *args])
    assert result.exit_code == 0, result.output
    assert "1 pages re-extracted: 1 ok" in result.output
    assert db.execute("select id, title, body from articles order by id").fetchall() == before
    result = CliRunner().invoke(cli, ["reextract", "--failed-only", *args])
    assert "0 pages re-extracted: nothing to do" in result.output


def test_reindex_rebuilds_search(imported):
    db = sqlite3.connect(imported)
    (title,) = db.execute("select title from articles order by id limit 1").fetchone()
    db.execute("insert into articles_fts(articles_fts) values ('delete-all')")
    db.commit()
    result = CliRunner().invoke(cli, ["reindex", "--db", str(imported)])
    assert result.exit_code == 0
    count = db.execute("select count(*) from articles").fetchone()[0]
    assert f"indexed {count} articles" in result.output
    from pipelines.archive.search import fts_query

    sql = "select count(*) from articles_fts where articles_fts match ?"
    assert db.execute(sql, [fts_query(title[:2])]).fetchone()[0] >= 2


def test_status_shows_coverage_gaps_and_failures(imported):
    db = sqlite3.connect(imported)
    db.execute(
        "insert into failures (paper, date, stage, reason) "
        "values ('xcrb', '2023-06-17', 'edition', 'no edition: HTTP 404')"
    )
    db.commit()
    result = CliRunner().invoke(cli, ["status", "--db", str(imported)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "2023-06-17, 2023-06-18" in result.output
    assert "no edition: HTTP 404" in result.output
    assert db.execute("select date from coverage_gaps").fetchall() == [
        ("2023-06-17",),
        ("2023-06-18",),
    ]


def test_reindex_of_an_older_archive_rebuilds_its_index_once(tmp_path, monkeypatch):
    from pipelines.archive import search
    from tests.search_corpus import as_an_older_version_left_it, build_archive

    path = build_archive(tmp_path / "archive.db", pages=8)
    as_an_older_version_left_it(path)
    rebuilds = []
    rebuild = search.rebuild_index
    monkeypatch.setattr(search, "rebuild_index", lambda db, **kw: rebuilds.append(1)
                        or rebuild(db, **kw))
    result = CliRunner().invoke(cli, ["reindex", "--db", str(path)])
    assert result.exit_code == 0, result.output
    count = sqlite3.connect(path).execute("select count(*) from articles").fetchone()[0]
    assert f"indexed {count} articles" in result.output
    assert len(rebuilds) == 1  # opening the archive rebuilt it; reindex did not again
    result = CliRunner().invoke(cli, ["reindex", "--db", str(path)])
    assert len(rebuilds) == 2 and f"indexed {count} articles" in result.output
