"""Archives that cannot be written, are empty or damaged: read where possible, a one-line
message and a documented exit status otherwise, never a traceback (issue #14, item 9)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import EXIT_ARCHIVE_UNUSABLE, cli
from pipelines.archive import Archive
from publish.server import build_datasette
from tests.search_corpus import build_archive
from tests.test_publish import get

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")


def chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True)


@pytest.fixture
def immutable_archive(tmp_path):
    """An archive whose file and directory are immutable (as on a read-only mount): no
    -wal or -shm file can be created beside it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = build_archive(folder / "archive.db", pages=8)
    Archive(db).close()  # a clean close leaves no -wal/-shm behind
    assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]
    chattr("+i", db, folder)
    yield db
    chattr("-i", db, folder)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_status_reads_an_archive_that_cannot_be_written(immutable_archive):
    result = run("status", "--db", str(immutable_archive))
    assert result.exit_code == 0, result.output
    assert "xcrb" in result.output and "Coverage" in result.output


def test_serve_reads_an_archive_that_cannot_be_written(immutable_archive):
    ds = build_datasette(immutable_archive)
    response = get(ds, "/archive/pages.json", _shape="array", _col="paper")
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()) == 9  # 8 pages and the rare one
    found = get(ds, "/archive/articles.json", _search="疫情", _shape="array")
    assert found.status_code == 200, found.text[:300]


@pytest.mark.parametrize("command", [["reindex"], ["reextract"]])
def test_writers_refuse_a_read_only_archive_with_a_message(immutable_archive, command):
    before = immutable_archive.read_bytes()
    result = subprocess.run([NEWSARCHIVE, *command, "--db", str(immutable_archive)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_ARCHIVE_UNUSABLE, result.stderr
    assert "Traceback" not in result.stderr
    assert "is read-only" in result.stderr
    assert immutable_archive.read_bytes() == before


def test_a_crawl_into_a_read_only_archive_exits_with_a_message(immutable_archive):
    result = subprocess.run([NEWSARCHIVE, "crawl", "xcrb", "--db", str(immutable_archive),
                             "--base-url", "http://127.0.0.1:9/"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_ARCHIVE_UNUSABLE, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"newsarchive crawl: archive unusable: archive {immutable_archive} is read-only "
        "(file or directory cannot be written): this command writes to it"
    ]


def test_an_empty_archive_file_is_refused_not_started_afresh(tmp_path, page_pdf_bytes):
    db = tmp_path / "archive.db"
    db.touch()
    for args in (["status"], ["reindex"], ["serve"]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == EXIT_ARCHIVE_UNUSABLE, (args, result.output)
        assert "is empty (0 bytes), not an archive" in result.output
    pdf = tmp_path / "p1.pdf"
    pdf.write_bytes(page_pdf_bytes)
    common = ["import", "--paper", "xcrb", "--date", "2023-06-16", "--db", str(db),
              "--files", str(tmp_path / "files"), str(pdf)]
    result = run(*common)
    assert result.exit_code == EXIT_ARCHIVE_UNUSABLE and db.stat().st_size == 0
    assert "pass --init" in result.output
    result = run(*common, "--init")
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        assert archive.db["pages"].count == 1


def test_a_damaged_archive_gives_a_message_not_a_traceback(tmp_path):
    db = tmp_path / "archive.db"
    shutil.copyfile(build_archive(tmp_path / "good.db", pages=4), db)
    with open(db, "r+b") as handle:  # the header and first page overwritten
        handle.write(b"this is not a database" * 200)
    for command in ("status", "reindex"):
        result = subprocess.run([NEWSARCHIVE, command, "--db", str(db)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == EXIT_ARCHIVE_UNUSABLE, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"newsarchive {command}: archive unusable: ")


@pytest.fixture(scope="module")
def page_pdf_bytes(tmp_path_factory) -> bytes:
    import datetime

    from crawler.demo.editions import edition_specs
    from crawler.demo.typesetter import typeset_page

    path = tmp_path_factory.mktemp("pdf") / "page.pdf"
    typeset_page(edition_specs("许昌日报", datetime.date(2023, 6, 16), pages=1, seed=7)[0], path)
    return path.read_bytes()


def test_a_files_store_that_cannot_be_written_gives_a_message(tmp_path, page_pdf_bytes):
    from crawler.cli import EXIT_HOST_FAULT

    files = tmp_path / "files"
    files.mkdir()
    pdf = tmp_path / "p1.pdf"
    pdf.write_bytes(page_pdf_bytes)
    chattr("+i", files)
    try:
        result = subprocess.run([NEWSARCHIVE, "import", "--paper", "xcrb", "--date",
                                 "2023-06-16", "--db", str(tmp_path / "archive.db"),
                                 "--files", str(files), str(pdf)],
                                capture_output=True, text=True, timeout=120)
    finally:
        chattr("-i", files)
    assert result.returncode == EXIT_HOST_FAULT
    assert result.stderr == f"newsarchive import: Operation not permitted: {files / 'pdf'}\n"
