"""The one writer on the archive's host: stores results from every worker, in batches.

Each result is applied with ``Archive.save_job_result``: the page (``save_page``: row,
articles, search index) and the job's row in ``distributed_jobs`` together, in a savepoint
of the batch's transaction (``WRITER_BATCH`` results at most), so a result delivered twice
(a writer killed after its commit, a job redone after its worker died) is stored once, and
a result that fails is undone alone. A message is acknowledged only after its batch's commit
(Dramatiq acks when the actor returns, and the actor waits for the commit); a writer killed
mid-batch leaves no half-written page, and the results are delivered again to the restarted
writer. PDFs that came with their result are written to
the files store first, content-addressed (a PDF file is never half-written either).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
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
    """Applies results to ``db`` in batches: Dramatiq's ``WRITER_BATCH`` threads each hand a
    result to one storing thread (SQLite connections stay in the thread that opened them) and
    wait; that thread stores whatever results are waiting, up to ``WRITER_BATCH``, in one
    transaction, each page in its own savepoint, and answers each waiting thread after the
    commit, so that Dramatiq acknowledges a result only once it is stored. One commit (and one
    new segment of the search index) for many pages is what makes the writer fast; under a
    slow trickle of results a batch is one page and nothing waits."""

    def __init__(self, broker: RedisBroker, db: str | Path, files_store: str | Path):
        self.broker = broker
        self.client = broker.client
        self.db = Path(db)
        self.files_store = Path(files_store)
        self.waiting: queue.Queue[tuple[dict, bytes | None, Future] | None] = queue.Queue()
        self.opened = Future()  # the storing thread's archive: opened, or why it could not be
        self.thread = threading.Thread(target=self._store_loop, name="newsarchive-writer",
                                       daemon=True)
        self.thread.start()

    def apply(self, result: dict) -> None:
        """Store one result (the RESULT_ACTOR's body); return once it is committed. A result
        that cannot be stored raises here, and Dramatiq retries that message alone."""
        body = None
        if result.get("pdf"):
            body = decode_pdf(result["pdf"])
            sha256 = hashlib.sha256(body).hexdigest()
            if sha256 != result["page"].get("sha256"):  # never store a PDF under another's name
                raise ValueError(f"PDF of {result['job']['key']} arrived damaged: sha256 {sha256}")
        elif result["job"]["kind"] == "fetch" and result["page"].get("sha256"):
            self._check_shared(result)
        stored = Future()
        self.waiting.put((result, body, stored))
        stored.result()

    def _check_shared(self, result: dict) -> None:
        """A download whose worker wrote its PDF to the shared files store: it must be
        there, whole, before its page is stored (else the message is retried)."""
        page = result["page"]
        path = self.files_store / page["pdf_path"]
        if not path.is_file() or path.stat().st_size != page.get("size"):
            raise FileNotFoundError(f"PDF of {result['job']['key']} not in the files store "
                                    f"({path}): is the store shared with the worker's host?")

    def _store_loop(self) -> None:
        try:
            archive = Archive(self.db)
            search.shadow_text("预热")  # its normalisation table now, not on the first page
        except Exception as exc:
            self.opened.set_exception(exc)
            return
        self.opened.set_result(archive)
        try:
            while (item := self.waiting.get()) is not None:
                batch = [item]
                while len(batch) < queues.WRITER_BATCH:
                    try:
                        item = self.waiting.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        self.waiting.put(None)  # stop after this batch
                        break
                    batch.append(item)
                self.store_batch(archive, batch)
        finally:
            archive.close()

    def store_batch(self, archive: Archive, batch: list[tuple[dict, bytes | None, Future]]) -> None:
        """Store ``batch`` in one transaction, or, if any of it fails, each result in its own
        (the one that fails is undone alone); then answer every waiting thread."""
        outcomes: list[str | None | BaseException] = [None] * len(batch)
        for n, (result, body, _) in enumerate(batch):
            try:
                if body is not None:
                    write_once(self.files_store / content_path(result["page"]["sha256"]), body)
            except Exception as exc:
                outcomes[n] = exc
        todo = [n for n, outcome in enumerate(outcomes) if outcome is None]
        try:
            page_ids = archive.save_job_results(_job_page(batch[n][0]) for n in todo)
        except Exception:  # rolled back whole: each page again, alone
            page_ids = []
            for n in todo:
                try:
                    page_ids.append(archive.save_job_result(*_job_page(batch[n][0])))
                except Exception as exc:
                    page_ids.append(exc)
        stored: list[tuple[dict, str | None]] = []
        for n, page_id in zip(todo, page_ids, strict=True):
            result = batch[n][0]
            if isinstance(page_id, BaseException):
                outcomes[n] = page_id
            else:  # its status, or None when it was stored before (a second delivery)
                status = result["page"]["status"] if page_id is not None else None
                stored.append((result["job"], status))
        try:
            queues.retrying(self._settle, stored)
        except Exception as exc:  # Redis gone for good: redelivered, the pages stored once
            outcomes = [exc] * len(batch)
        for outcome, (*_, waiting) in zip(outcomes, batch, strict=True):
            if isinstance(outcome, BaseException):
                waiting.set_exception(outcome)
            else:
                waiting.set_result(None)

    def _settle(self, settled: list[tuple[dict, str | None]]) -> None:
        """The jobs are no longer in flight; count them (``status``: None when stored before)."""
        with self.client.pipeline() as pipe:
            for job, status in settled:
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
        """Stop the storing thread once the results handed to it are stored."""
        self.waiting.put(None)
        self.thread.join()


def _job_page(result: dict) -> tuple[dict, dict, list[dict]]:
    """What ``Archive.save_job_result`` takes of a result: the job's row, page, articles."""
    job = result["job"]
    row = {k: job.get(k) for k in ("id", "run", "kind", "worker", "seconds")}
    return row, result["page"], result["articles"]


def start_writer(broker: RedisBroker, db: str | Path, files_store: str | Path) -> dramatiq.Worker:
    """Consume the results queue in this process (one storing thread: one SQLite writer)."""
    writer = Writer(broker, db, files_store)
    writer.opened.result()  # an archive that cannot be opened fails the command here
    declare_actors(broker, result=writer.apply, exhausted=writer.exhausted)
    worker = queues.consumer(broker, queues.RESULTS_QUEUE, queues.WRITER_PREFETCH,
                             queues.WRITER_BATCH, queues.WRITER_TIMEOUT_MS)
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
