"""The Dramatiq broker on Redis, the names of queues, actors and keys, and the queue figures.

Jobs go to one queue (``JOBS_QUEUE``) that the workers of every host consume; results come
back on another (``RESULTS_QUEUE``) that only the writer on the archive's host consumes.
Dramatiq's Redis broker keeps a fetched message in its worker's ack set until the actor
returns, so a job is acknowledged after its result was sent, a result after it was stored,
and the messages of a worker whose heartbeat stopped go back to their queue.
"""

from __future__ import annotations

import time

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import dq_name
from dramatiq.middleware import CurrentMessage

JOBS_QUEUE = "newsarchive_pages"
RESULTS_QUEUE = "newsarchive_results"
PAGE_ACTOR = "newsarchive_page"
RESULT_ACTOR = "newsarchive_result"
EXHAUSTED_ACTOR = "newsarchive_page_failed"

MAX_RETRIES = 3  # a job that raised (worker crash, host down) is tried 1 + 3 times
MIN_BACKOFF_MS = 2_000  # then 4 s, 8 s, ... (Dramatiq's exponential backoff with jitter)
MAX_BACKOFF_MS = 120_000
MAX_DELIVERIES = MAX_RETRIES + 3  # a job whose worker process died this often has failed
WRITER_MAX_RETRIES = 20  # a result the archive could not take (locked, full disk) waits
HEARTBEAT_TIMEOUT_MS = 60_000  # a worker silent this long is dead: its jobs are redone
MAINTENANCE_CHANCE = 50_000  # per million broker calls: look for dead workers' jobs
JOB_TIME_LIMIT_MS = 30 * 60_000  # Dramatiq's own limit; extraction has its own timeout
# Dramatiq's consumer, its prefetch full, sleeps a backoff that doubles up to the worker
# timeout: a small timeout and a prefetch that covers it keep the one thread busy.
WORKER_TIMEOUT_MS = 100
WORKER_PREFETCH = 4  # jobs a worker process holds (redone by others if it dies)
WRITER_PREFETCH = 100  # results the writer holds (stored once however often delivered)
QUEUE_BOUND = 200  # jobs of a run in flight at once (queued, running or awaiting the writer)
STATS_TTL_S = 7 * 86_400  # how long a finished run's and a worker's figures are kept

PREFIX = "newsarchive"
RUNS = f"{PREFIX}:runs"  # set of run ids not finished
WORKERS = f"{PREFIX}:workers"  # set of worker names that ever ran


def run_key(run: str) -> str:
    """Hash of a run's figures: kind, total, done, failed, started_at, fed."""
    return f"{PREFIX}:run:{run}"


def inflight_key(run: str) -> str:
    """Hash of a run's jobs enqueued and not yet stored: page key -> 1."""
    return f"{PREFIX}:run:{run}:inflight"


def todo_key(run: str) -> str:
    """List of a run's jobs not yet enqueued (re-extraction: the stored page rows)."""
    return f"{PREFIX}:run:{run}:todo"


def worker_key(name: str) -> str:
    """Hash of a worker's figures: done, failed, busy seconds, first/last time, current job."""
    return f"{PREFIX}:worker:{name}"


def deliveries_key(job_id: str) -> str:
    """How often a job was started (a job that kills its worker is never acknowledged)."""
    return f"{PREFIX}:deliveries:{job_id}"


def make_broker(url: str, *, heartbeat_timeout_ms: int = HEARTBEAT_TIMEOUT_MS) -> RedisBroker:
    """A Redis broker for ``url`` with the retries and time limits of this module."""
    broker = RedisBroker(
        url=url,
        heartbeat_timeout=heartbeat_timeout_ms,
        maintenance_chance=MAINTENANCE_CHANCE,
    )
    broker.add_middleware(CurrentMessage())
    return broker


def consumer(broker: RedisBroker, queue: str, prefetch: int) -> dramatiq.Worker:
    """A Dramatiq worker of one thread consuming ``queue`` (not started)."""
    worker = dramatiq.Worker(broker, queues={queue}, worker_threads=1,
                             worker_timeout=WORKER_TIMEOUT_MS)
    worker.queue_prefetch = prefetch
    return worker


def send(broker: RedisBroker, queue: str, actor: str, *args) -> None:
    """Enqueue a message for ``actor`` on ``queue`` (no actor object needed to send)."""
    broker.enqueue(dramatiq.Message(queue_name=queue, actor_name=actor, args=args, kwargs={},
                                    options={}))


def retrying(call, *args, attempts: int = 120, pause: float = 0.5):
    """``call(*args)``, again while Redis is unreachable (restarting): up to a minute."""
    for attempt in range(attempts):
        try:
            return call(*args)
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
            if attempt == attempts - 1:
                raise
            time.sleep(pause)


def queue_figures(client: redis.Redis) -> dict:
    """What ``newsarchive status --redis`` prints: queues, runs and workers."""
    now = time.time()
    figures = {
        "queued": client.llen(f"dramatiq:{JOBS_QUEUE}"),
        "retrying": client.hlen(f"dramatiq:{dq_name(JOBS_QUEUE)}.msgs"),
        "results waiting": client.llen(f"dramatiq:{RESULTS_QUEUE}"),
        "dead-lettered": client.zcard(f"dramatiq:{JOBS_QUEUE}.XQ"),
        "runs": [],
        "workers": [],
    }
    for run in sorted(r.decode() for r in client.smembers(RUNS)):
        row = {k.decode(): v.decode() for k, v in client.hgetall(run_key(run)).items()}
        row.update(run=run, inflight=client.hlen(inflight_key(run)),
                   todo=client.llen(todo_key(run)))
        figures["runs"].append(row)
    running = 0
    for name in sorted(w.decode() for w in client.smembers(WORKERS)):
        row = {k.decode(): v.decode() for k, v in client.hgetall(worker_key(name)).items()}
        if not row:
            continue
        first, last = float(row.get("first_at", now)), float(row.get("last_at", now))
        done = int(row.get("done", 0))
        alive = now - float(row.get("seen_at", last)) < HEARTBEAT_TIMEOUT_MS / 1000
        running += bool(row.get("current")) and alive
        figures["workers"].append({
            "worker": name,
            "done": done,
            "failed": int(row.get("failed", 0)),
            "pages/s": round(done / (last - first), 2) if last > first else 0.0,
            "current": row.get("current", "") if alive else "(not seen)",
        })
    figures["running"] = running
    return figures
