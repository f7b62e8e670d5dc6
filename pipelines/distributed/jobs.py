"""One page's job on a worker: get its PDF, extract it, send the result to the writer.

A job is a dict: ``id`` (run/key, the same however often it is delivered), ``run``, ``key``
(paper/date/page_no), ``kind`` (``fetch``: download and extract; ``reextract``: extract a
stored PDF), ``page`` (the page row's identity and provenance), ``pdf`` (base64 of a stored
PDF, for reextract), ``fetch`` (url, referer, user agent, per-host rate), ``source``,
``reread`` and ``timeout`` (the extraction's). Its result is a dict: ``job`` (id, run, key,
kind, worker, seconds), ``page`` (the row to store), ``articles`` and, for a download,
``pdf`` (base64): PDFs travel with their result and are stored content-addressed by the writer.

Extraction runs in a child process (pebble, as in a crawl): a PDF that kills that process is
retried by Dramatiq with backoff, and after ``MAX_RETRIES`` the page is stored as an error
with its PDF kept. A job whose worker process itself keeps dying is given up after
``MAX_DELIVERIES`` starts.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from pebble import ProcessExpired
from scrapy.pipelines.media import FileException

from pipelines.archive.store import now
from pipelines.distributed import queues
from pipelines.distributed.politeness import DownloadFailed, DownloadRetry, download
from pipelines.extraction import (
    articles_of,
    extract_file,
    extraction_fields,
    failed_extraction,
    start_pool,
)
from pipelines.files import check_pdf, content_path

logger = logging.getLogger(__name__)

MAX_TASKS_PER_CHILD = 200  # recycle the extraction process: PDF libraries keep memory


class PageCrash(Exception):
    """The extraction process died on this PDF: retried with backoff."""


def encode_pdf(body: bytes) -> str:
    return base64.b64encode(body).decode("ascii")


def decode_pdf(text: str) -> bytes:
    return base64.b64decode(text)


def result_message(job: dict, worker: str, page: dict, articles: list[dict],
                   pdf: str | None = None, seconds: float = 0.0) -> dict:
    """The message a job's result is sent to the writer as."""
    meta = {k: job[k] for k in ("id", "run", "key", "kind")}
    return {"job": {**meta, "worker": worker, "seconds": round(seconds, 3)},
            "page": page, "articles": articles, "pdf": pdf}


def failure_page(job: dict, reason: str) -> dict:
    """The page row of a job that failed for good: download_failed, or an extraction error."""
    status = "download_failed" if job["kind"] == "fetch" else "error"
    return {**job["page"], "status": status, "reason": reason}


class PageWorker:
    """The actor body of one worker process (one job at a time, extraction in a child)."""

    def __init__(self, broker: RedisBroker, name: str, *,
                 extract: Callable[[str, str, bool], dict] = extract_file):
        self.broker = broker
        self.client = broker.client
        self.name = name
        self.extract = extract
        self.scratch = Path(tempfile.mkdtemp(prefix=f"newsarchive-{os.getpid()}-"))
        # The extraction process (and its fork server, the engine preloaded) starts now, not
        # on the first job.
        self.pool = start_pool(1, MAX_TASKS_PER_CHILD)
        queues.retrying(lambda: self._note(started_at=time.time()))

    def close(self) -> None:
        self.pool.stop()
        self.pool.join()
        for leftover in self.scratch.glob("*"):
            leftover.unlink(missing_ok=True)
        self.scratch.rmdir()

    def __call__(self, job: dict) -> None:
        queues.retrying(self._job, job)  # a Redis restart is waited out, not a job's failure

    def _job(self, job: dict) -> None:
        if not self.client.hexists(queues.inflight_key(job["run"]), job["key"]):
            return  # stored already (a duplicate delivery): nothing to do twice
        deliveries = self.client.incr(queues.deliveries_key(job["id"]))
        self.client.expire(queues.deliveries_key(job["id"]), queues.STATS_TTL_S)
        if deliveries > queues.MAX_DELIVERIES:
            reason = f"its worker process died in each of {deliveries - 1} attempts"
            self._send(result_message(job, self.name, failure_page(job, reason), []))
            return
        started = time.monotonic()
        self._note(current=job["key"])
        try:
            page, articles, pdf = self._run(job)
        finally:
            queues.retrying(self.client.hdel, queues.worker_key(self.name), "current")
        seconds = time.monotonic() - started
        queues.retrying(self._send, result_message(job, self.name, page, articles, pdf, seconds))
        queues.retrying(self._count, page["status"], seconds)

    def _run(self, job: dict) -> tuple[dict, list[dict], str | None]:
        page, pdf = dict(job["page"]), None
        if job["kind"] == "fetch":
            try:
                body, http_status, content_type = download(self.client, job["fetch"])
            except DownloadFailed as exc:
                return failure_page(job, str(exc)), [], None
            except DownloadRetry as exc:
                if exc.delay_ms is not None:
                    raise dramatiq.Retry(str(exc), delay=exc.delay_ms) from None
                raise
            try:
                check_pdf(body, content_type)
            except FileException as exc:  # an HTML page where the PDF should be
                return {**failure_page(job, str(exc)), "http_status": http_status}, [], None
            sha256 = hashlib.sha256(body).hexdigest()
            page.update(pdf_path=content_path(sha256), sha256=sha256, size=len(body),
                        http_status=http_status, fetched_at=now())
            pdf = encode_pdf(body)
        elif not job.get("pdf"):
            return failure_page(job, f"stored PDF missing: {page.get('pdf_path')}"), [], None
        else:
            body = decode_pdf(job["pdf"])
        doc = self._extract(job, body)
        page.update(extraction_fields(doc, job["source"]))
        return page, articles_of(doc), pdf

    def _extract(self, job: dict, body: bytes) -> dict:
        path = self.scratch / f"{job['page'].get('sha256') or 'page'}.pdf"
        path.write_bytes(body)
        future = self.pool.schedule(self.extract, (str(path), job["source"], job["reread"]),
                                    timeout=job["timeout"])
        try:
            return future.result()
        except ProcessExpired as exc:
            retries = CurrentMessage.get_current_message().options.get("retries", 0)
            if retries < queues.MAX_RETRIES:
                raise PageCrash(f"extraction process died ({exc})") from None
            reason = f"extraction process died in each of {retries + 1} attempts ({exc})"
            return {"status": "error", "reason": reason}
        except Exception as exc:  # a timeout, a bug in the engine: the page's status
            return failed_extraction(exc, job["timeout"])
        finally:
            path.unlink(missing_ok=True)

    def _send(self, result: dict) -> None:
        queues.send(self.broker, queues.RESULTS_QUEUE, queues.RESULT_ACTOR, result)

    def _note(self, **fields) -> None:
        stamp = time.time()
        key = queues.worker_key(self.name)
        with self.client.pipeline() as pipe:
            pipe.sadd(queues.WORKERS, self.name)
            pipe.hsetnx(key, "first_at", stamp)
            pipe.hset(key, mapping={**fields, "seen_at": stamp})
            pipe.expire(key, queues.STATS_TTL_S)
            pipe.execute()

    def _count(self, status: str, seconds: float) -> None:
        key = queues.worker_key(self.name)
        with self.client.pipeline() as pipe:
            pipe.hincrby(key, "done" if status in ("ok", "pending") else "failed", 1)
            pipe.hincrbyfloat(key, "busy_s", seconds)
            pipe.hset(key, "last_at", time.time())
            pipe.execute()


def declare_actors(broker: RedisBroker, *, page=None, result=None, exhausted=None) -> None:
    """Declare the three actors on ``broker``; a side without a handler gets a stub (its
    process never consumes that queue, but Dramatiq must know the actor to send to it)."""

    def unused(*args):
        raise RuntimeError("this process does not handle this queue")

    dramatiq.actor(page or unused, broker=broker, actor_name=queues.PAGE_ACTOR,
                   queue_name=queues.JOBS_QUEUE, max_retries=queues.MAX_RETRIES,
                   min_backoff=queues.MIN_BACKOFF_MS, max_backoff=queues.MAX_BACKOFF_MS,
                   time_limit=queues.JOB_TIME_LIMIT_MS, on_retry_exhausted=queues.EXHAUSTED_ACTOR)
    dramatiq.actor(result or unused, broker=broker, actor_name=queues.RESULT_ACTOR,
                   queue_name=queues.RESULTS_QUEUE, max_retries=queues.WRITER_MAX_RETRIES,
                   min_backoff=queues.MIN_BACKOFF_MS, max_backoff=queues.MAX_BACKOFF_MS)
    dramatiq.actor(exhausted or unused, broker=broker, actor_name=queues.EXHAUSTED_ACTOR,
                   queue_name=queues.RESULTS_QUEUE, max_retries=queues.WRITER_MAX_RETRIES,
                   min_backoff=queues.MIN_BACKOFF_MS, max_backoff=queues.MAX_BACKOFF_MS)
