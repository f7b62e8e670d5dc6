"""A distributed run: its jobs enqueued one per page, at most ``QUEUE_BOUND`` in flight.

Enqueuing a job is: mark its page in flight (``inflight_key``), send the message, and, for a
re-extraction, pop its page from the run's to-do list (kept in Redis, so a writer restarted
after a kill goes on feeding where the last one stopped). A kill between two of those steps
sends a job at most twice, and the writer stores a job id once. Every Redis call is retried
while Redis restarts.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from dramatiq.brokers.redis import RedisBroker

from pipelines.distributed import queues
from pipelines.distributed.jobs import encode_pdf

POLL_S = 0.05  # how often a feeder waiting for room in the queue looks again


def page_key(page: dict) -> str:
    return f"{page['paper']}/{page['date']}/{page['page_no']}"


def new_run(client, kind: str, args: dict) -> str:
    """Register a run (``kind``: backfill or reextract) and return its id."""
    run = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    fields = {"kind": kind, "args": json.dumps(args, ensure_ascii=False, default=str),
              "started_at": time.time(), "total": 0, "done": 0, "failed": 0, "fed": 0}
    with client.pipeline() as pipe:
        pipe.hset(queues.run_key(run), mapping=fields)
        pipe.sadd(queues.RUNS, run)
        pipe.execute()
    return run


def enqueue(broker: RedisBroker, job: dict) -> None:
    """Send one job, waiting while its run has ``QUEUE_BOUND`` jobs in flight."""
    client = broker.client
    inflight = queues.inflight_key(job["run"])
    while queues.retrying(client.hlen, inflight) >= queues.QUEUE_BOUND:
        time.sleep(POLL_S)
    queues.retrying(client.hset, inflight, job["key"], 1)
    queues.retrying(queues.send, broker, queues.JOBS_QUEUE, queues.PAGE_ACTOR, job)


def mark_fed(client, run: str) -> None:
    """No more jobs will be added to ``run`` (it is finished when they are all stored)."""
    queues.retrying(client.hset, queues.run_key(run), "fed", 1)


# re-extraction ------------------------------------------------------------------------------


def reextract_options(source: str, reread: bool = True, timeout: float = 120) -> dict:
    return {"source": source, "reread": reread, "timeout": timeout}


def start_reextract(client, pages: list[dict], options: dict) -> str:
    """A re-extraction run of ``pages`` (stored page rows): its to-do list, nothing sent yet."""
    run = new_run(client, "reextract", options)
    todo = queues.todo_key(run)
    with client.pipeline() as pipe:
        for chunk in range(0, len(pages), 1000):
            rows = pages[chunk : chunk + 1000]
            pipe.rpush(todo, *(json.dumps(p, ensure_ascii=False) for p in rows))
        pipe.hset(queues.run_key(run), "total", len(pages))
        pipe.execute()
    return run


def feed_reextract(broker: RedisBroker, run: str, files_store: str | Path) -> int:
    """Send the jobs of ``run``'s to-do list, each with its stored PDF; return how many."""
    client = broker.client
    todo = queues.todo_key(run)
    options = json.loads(client.hget(queues.run_key(run), "args") or b"{}")
    sent = 0
    while (head := queues.retrying(client.lindex, todo, 0)) is not None:
        page = json.loads(head)
        path = Path(files_store) / page["pdf_path"]
        enqueue(broker, {
            "id": f"{run}/{page_key(page)}",
            "run": run,
            "key": page_key(page),
            "kind": "reextract",
            "page": page,
            "pdf": encode_pdf(path.read_bytes()) if path.is_file() else None,
            "fetch": None,
            **options,
        })
        queues.retrying(client.lpop, todo)
        sent += 1
    mark_fed(client, run)
    return sent


def unfinished_runs(client) -> list[str]:
    return sorted(r.decode() for r in client.smembers(queues.RUNS))


def add_total(client, run: str, count: int = 1) -> None:
    queues.retrying(client.hincrby, queues.run_key(run), "total", count)


def fetch_jobs(run: str, pages: Iterable[dict], fetch: dict, options: dict) -> Iterable[dict]:
    """Backfill jobs: ``pages`` (identity and provenance of a page, with its pdf_url)."""
    for page in pages:
        yield {
            "id": f"{run}/{page_key(page)}",
            "run": run,
            "key": page_key(page),
            "kind": "fetch",
            "page": page,
            "pdf": None,
            "fetch": {**fetch, "url": page["pdf_url"], "referer": page.get("page_url")},
            **options,
        }
