"""The one writer on the archive's host: stores results from every worker, a page at a time.

Each result is applied with ``Archive.save_job_result``: the page (``save_page``: row,
articles, search index) and the job's row in ``distributed_jobs`` in one transaction, so a
result delivered twice (a writer killed after its commit, a job redone after its worker died)
is stored once. The message is acknowledged only after that commit (Dramatiq acks when the
actor returns); a writer killed mid-page leaves no half-written page, and the result is
delivered again to the restarted writer. PDFs that came with their result are written to
the files store first, content-addressed (a PDF file is never half-written either).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from pipelines.archive import Archive, search
from pipelines.distributed import queues
from pipelines.distributed.jobs import declare_actors, decode_pdf, failure_page
from pipelines.distributed.runs import feed_reextract
from pipelines.files import content_path, write_once

logger = logging.getLogger(__name__)

POLL_S = 0.2  # how often a waiting command looks at its runs' figures


class Writer:
    """Applies results to ``db`` (opened in the consumer's thread: SQLite connections stay
    in the thread that opened them)."""

    def __init__(self, broker: RedisBroker, db: str | Path, files_store: str | Path):
        self.broker = broker
        self.client = broker.client
        self.db = Path(db)
        self.files_store = Path(files_store)
        self.local = threading.local()

    @property
    def archive(self) -> Archive:
        if getattr(self.local, "archive", None) is None:
            self.local.archive = Archive(self.db)
            search.shadow_text("预热")  # its normalisation table now, not on the first page
        return self.local.archive

    def apply(self, result: dict) -> None:
        """Store one result (the RESULT_ACTOR's body)."""
        job, page = result["job"], result["page"]
        if result.get("pdf"):
            body = decode_pdf(result["pdf"])
            sha256 = hashlib.sha256(body).hexdigest()
            if sha256 != page.get("sha256"):  # never store a PDF under another's name
                raise ValueError(f"PDF of {job['key']} arrived damaged: sha256 {sha256}")
            write_once(self.files_store / content_path(sha256), body)
        job_row = {
            "id": job["id"],
            "run": job["run"],
            "kind": job["kind"],
            "worker": job["worker"],
            "seconds": job.get("seconds"),
        }
        page_id = self.archive.save_job_result(job_row, page, result["articles"])
        stored = page_id is not None
        queues.retrying(self._settle, job, page["status"] if stored else None)

    def _settle(self, job: dict, status: str | None) -> None:
        """The job is no longer in flight; count it (``status``: None when stored before)."""
        with self.client.pipeline() as pipe:
            pipe.hdel(queues.inflight_key(job["run"]), job["key"])
            if status is not None:
                counter = "done" if status in ("ok", "pending") else "failed"
                pipe.hincrby(queues.run_key(job["run"]), counter, 1)
            pipe.execute()

    def exhausted(self, message: dict, retry_info: dict) -> None:
        """A job whose retries ran out: its page is recorded as failed, with the last error."""
        job = message["args"][0]
        lines = (message.get("options", {}).get("traceback") or "").strip().splitlines()
        error = lines[-1] if lines else "unknown error"
        attempts = retry_info.get("retries", 0) + 1
        reason = f"{error} (in each of {attempts} attempts)"
        self.apply({"job": {**{k: job[k] for k in ("id", "run", "key", "kind")},
                            "worker": "", "seconds": None},
                    "page": failure_page(job, reason), "articles": [], "pdf": None})

    def close(self) -> None:
        archive = getattr(self.local, "archive", None)
        if archive is not None:
            archive.close()


def start_writer(broker: RedisBroker, db: str | Path, files_store: str | Path) -> dramatiq.Worker:
    """Consume the results queue in this process (one thread: one SQLite writer)."""
    writer = Writer(broker, db, files_store)
    declare_actors(broker, result=writer.apply, exhausted=writer.exhausted)
    worker = queues.consumer(broker, queues.RESULTS_QUEUE, queues.WRITER_PREFETCH)
    worker.writer = writer
    worker.start()
    return worker


def stop_writer(worker: dramatiq.Worker) -> None:
    worker.stop()
    worker.writer.close()


def run_finished(client, run: str) -> bool:
    """Every job of ``run`` enqueued and stored."""
    fields = client.hmget(queues.run_key(run), ["fed"])
    return (fields[0] == b"1" and client.llen(queues.todo_key(run)) == 0
            and client.hlen(queues.inflight_key(run)) == 0)


def wait_for_runs(client, runs: list[str], progress=None) -> None:
    """Block until every run in ``runs`` is finished; mark them finished in Redis."""
    pending = list(runs)
    while pending:
        for run in list(pending):
            if queues.retrying(run_finished, client, run):
                queues.retrying(finish_run, client, run)
                pending.remove(run)
        if progress:
            progress()
        if pending:
            time.sleep(POLL_S)


def finish_run(client, run: str) -> None:
    with client.pipeline() as pipe:
        pipe.srem(queues.RUNS, run)
        pipe.hset(queues.run_key(run), "finished_at", time.time())
        for key in (queues.run_key(run), queues.inflight_key(run), queues.todo_key(run)):
            pipe.expire(key, queues.STATS_TTL_S)
        pipe.execute()


@contextmanager
def writing(broker: RedisBroker, db: str | Path, files_store: str | Path) -> Iterator[None]:
    """The writer consuming results in this process while the block runs."""
    worker = start_writer(broker, db, files_store)
    try:
        yield
    finally:
        stop_writer(worker)


def drain(broker: RedisBroker, files_store: str | Path, runs: list[str], progress=None) -> None:
    """Feed what is left of ``runs``' to-do lists, then wait until all their jobs are stored
    (call inside ``writing``)."""
    for run in runs:
        kind = queues.retrying(broker.client.hget, queues.run_key(run), "kind")
        if kind == b"reextract":
            feed_reextract(broker, run, files_store)
    wait_for_runs(broker.client, runs, progress)


def run_counts(client, run: str) -> dict[str, int]:
    """total, done, failed of a run."""
    values = client.hmget(queues.run_key(run), ["total", "done", "failed"])
    return {k: int(v or 0) for k, v in zip(("total", "done", "failed"), values, strict=True)}
