"""The distributed writer's batches: many pages in one transaction store exactly what one
transaction a page stores, and a page that fails is undone alone (real redis-server)."""

from __future__ import annotations

import shutil
import sqlite3
from concurrent.futures import Future
from pathlib import Path

import pytest

from pipelines.archive import Archive
from pipelines.distributed import queues
from pipelines.distributed.runs import new_run, page_key
from pipelines.distributed.writer import Writer
from tests.redis_server import RedisServer

PAGES = 12
BAD = 5  # the page whose result cannot be stored


def _page(n: int) -> dict:
    return {"paper": "xcrb", "date": f"2023-06-{10 + n // 4:02d}", "page_no": n % 4 + 1,
            "pdf_path": f"pdf/{n:02x}/{n}.pdf", "sha256": f"{n:064x}", "size": 1000 + n}


def _articles(n: int) -> list[dict]:
    return [{"title": f"魏都区第{n}次推进会{k}", "byline": "本报记者 许廷合",
             "body": f"优化营商环境，第{n}段。Page {n} article {k} in English.",
             "captions": [f"会议现场 {n}"]} for k in range(n % 3 + 1)]


def _result(run: str, n: int) -> dict:
    page = {**_page(n), "status": "ok", "extractor": "pypdfium2", "extractor_version": "9"}
    key = page_key(page)
    articles = _articles(n)
    if n == BAD:  # fails after its page row was written: its savepoint must undo that row
        articles = [*articles, {"title": ["not", "text"]}]
    return {"job": {"id": f"{run}/{key}", "run": run, "key": key, "kind": "reextract",
                    "worker": "w1", "seconds": 0.5},
            "page": page, "articles": articles, "pdf": None}


def _contents(db: Path) -> dict:
    """Page and article rows, job rows without their time, every instance in the index."""
    conn = sqlite3.connect(db)
    conn.execute("create virtual table temp.terms using fts5vocab(main, articles_fts, instance)")
    contents = {
        "pages": conn.execute("select * from pages order by id").fetchall(),
        "articles": conn.execute("select * from articles order by id").fetchall(),
        "jobs": conn.execute("select id, run, kind, worker, seconds, page_id "
                             "from distributed_jobs order by id").fetchall(),
        "index": conn.execute("select * from temp.terms order by 1, 2, 3, 4").fetchall(),
    }
    conn.close()
    return contents


@pytest.fixture
def pending(tmp_path) -> Path:
    """An archive of PAGES pending pages (PDF stored, not extracted)."""
    db = tmp_path / "pending.db"
    with Archive(db) as archive:
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报"})
        for n in range(PAGES):
            archive.save_page({**_page(n), "status": "pending"})
    return db


def test_a_batch_stores_what_page_by_page_does_and_a_bad_page_fails_alone(pending, tmp_path):
    batched, one_by_one = tmp_path / "batched.db", tmp_path / "one_by_one.db"
    shutil.copyfile(pending, batched)
    shutil.copyfile(pending, one_by_one)
    with RedisServer(tmp_path / "redis") as server:
        broker = queues.make_broker(server.url)
        run = new_run(broker.client, "reextract", {})
        results = [_result(run, n) for n in range(PAGES)]
        for result in results:
            broker.client.hset(queues.inflight_key(run), result["job"]["key"], 1)
        writer = Writer(broker, batched, tmp_path / "files")
        batch = [(result, None, Future()) for result in results]
        with Archive(batched) as archive:
            writer.store_batch(archive, batch)
        writer.close()
        outcomes = [stored.exception() for *_, stored in batch]
        inflight = broker.client.hkeys(queues.inflight_key(run))
        done = int(broker.client.hget(queues.run_key(run), "done"))

    assert [n for n, exc in enumerate(outcomes) if exc is not None] == [BAD]
    assert isinstance(outcomes[BAD], TypeError | AttributeError)  # its title is a list
    assert inflight == [results[BAD]["job"]["key"].encode()]  # redelivered later, not settled
    assert done == PAGES - 1
    with Archive(one_by_one) as archive:
        for n, result in enumerate(results):
            if n != BAD:
                job = {k: result["job"][k] for k in ("id", "run", "kind", "worker", "seconds")}
                archive.save_job_result(job, result["page"], result["articles"])
    stored = _contents(batched)
    assert stored == _contents(one_by_one)
    bad_page = next(p for p in stored["pages"] if p[3] == _page(BAD)["page_no"]
                    and p[2] == _page(BAD)["date"])
    assert "pending" in bad_page  # its row as before: the savepoint undid its update
    assert len(stored["jobs"]) == PAGES - 1
    assert len(stored["index"]) > 100
