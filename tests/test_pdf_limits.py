"""Every path that opens a PDF runs it in a worker with a memory and a wall-clock limit,
records the reason when one is hit and goes on with the next file (issue #14, item 7)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.cli import EXIT_PAGES_FAILED, cli
from pipelines.extract import ExtractError, extract_pdf
from pipelines.extraction import ExtractPipeline
from tests import pdf_bombs

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")
MEMORY_MB = 300  # a page PDF needs 100-200 MB; the bomb below over 500 MB
LIMITS = ["--memory-limit", str(MEMORY_MB), "--timeout", "30"]
MEMORY_REASON = f"the PDF took it over its {MEMORY_MB} MB memory limit"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    return {
        "good": pdf_bombs.write(root / "good.pdf", pdf_bombs.text_page()),
        "bomb": pdf_bombs.write(root / "bomb.pdf", pdf_bombs.stream_bomb(1 << 28)),
        # 100,000 overlapping one-glyph objects: read twice (pdfminer reads again), ~8 s
        "slow": pdf_bombs.write(root / "slow.pdf", pdf_bombs.text_objects(100_000)),
        "count": pdf_bombs.write(root / "count.pdf", pdf_bombs.page_count_lie()),
    }


def over_memory(reason: str | None) -> bool:
    """A memory-limit reason: the worker died of it, or Python ran out within it."""
    return bool(reason) and (MEMORY_REASON in reason or "MemoryError" in reason
                             or f"over {MEMORY_MB} MB" in reason)


def test_extract_records_the_limit_hit_and_reads_the_next_file(pdfs):
    result = subprocess.run([NEWSARCHIVE, "extract", str(pdfs["bomb"]), str(pdfs["good"]),
                             *LIMITS], capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_PAGES_FAILED
    assert "A page that reads well." in result.stdout
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith(str(pdfs["bomb"]))]
    assert over_memory(line), result.stderr


def test_extract_stops_a_pdf_at_its_time_limit(pdfs):
    result = CliRunner().invoke(cli, ["extract", str(pdfs["slow"]), str(pdfs["good"]),
                                      "--timeout", "2"])
    assert result.exit_code == EXIT_PAGES_FAILED
    assert f"{pdfs['slow']}: extraction took over 2 s (the limit per PDF)" in result.output
    assert "A page that reads well." in result.output


def test_a_page_tree_declaring_a_million_pages_is_one_failure(pdfs, tmp_path):
    with pytest.raises(ExtractError, match="^PDF declares 1,000,000 pages, over the limit of"):
        extract_pdf(pdfs["count"])
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["import", "--paper", "xcrb", "--date", "2023-06-16",
                                      "--db", str(db), "--files", str(tmp_path / "files"),
                                      str(pdfs["count"])])
    assert result.exit_code == EXIT_PAGES_FAILED
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from failures").fetchone() == (1,)
        assert conn.execute("select status from pages").fetchall() == [("error",)]


def test_import_and_reextract_record_the_limit_and_go_on(pdfs, tmp_path):
    db, files = tmp_path / "archive.db", tmp_path / "files"
    common = ["--db", str(db), "--files", str(files), *LIMITS]
    result = subprocess.run([NEWSARCHIVE, "import", "--paper", "xcrb", "--date", "2023-06-16",
                             str(pdfs["bomb"]), str(pdfs["good"]), *common],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_PAGES_FAILED, result.stderr
    assert f"{pdfs['good']}: page 2 ok" in result.stdout
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select page_no, status, reason, pdf_path from pages "
                            "order by page_no").fetchall()
    (bomb, good) = rows
    assert bomb[1] == "error" and over_memory(bomb[2]), bomb
    assert (files / bomb[3]).read_bytes() == pdfs["bomb"].read_bytes()  # kept, not orphaned
    assert good[1:3] == ("ok", None)
    result = subprocess.run([NEWSARCHIVE, "reextract", "--failed-only", *common],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 pages re-extracted: 1 error" in result.stdout
    with sqlite3.connect(db) as conn:
        (reason,) = conn.execute("select reason from failures order by id desc").fetchone()
    assert over_memory(reason)


@deferred_f_from_coro_f
async def test_the_crawls_workers_have_the_memory_limit(pdfs):
    pipeline = ExtractPipeline("/", "pypdfium2", workers=1, max_tasks=10, timeout=30,
                               memory_mb=MEMORY_MB)
    await pipeline.open_spider()
    try:
        bomb = await pipeline.extract(str(pdfs["bomb"]))
        good = await pipeline.extract(str(pdfs["good"]))
    finally:
        await pipeline.close_spider()
    failed = bomb.get("reason") or next(p["reason"] for p in bomb["pages"])
    assert over_memory(failed), bomb
    assert good["pages"][0]["status"] == "ok"
