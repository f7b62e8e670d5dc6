"""``newsarchive worker``: worker processes (one per core) consuming the jobs queue.

Each process is one Dramatiq worker with one thread (extraction is CPU-bound) and its own
extraction child. The parent restarts a process that died (the job it held is delivered
again once its heartbeat is stale) and stops them all on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Callable

from pipelines.distributed import queues
from pipelines.distributed.jobs import PageWorker, declare_actors
from pipelines.extraction import extract_file

logger = logging.getLogger(__name__)

SUPERVISE_S = 1.0  # how often the parent looks for dead worker processes


def worker_name(index: int) -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{index}"


def run_worker(url: str, index: int = 0, *, heartbeat_timeout_ms: int = queues.HEARTBEAT_TIMEOUT_MS,
               extract: Callable[[str, str, bool], dict] = extract_file) -> None:
    """One worker process: consume jobs until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    broker = queues.make_broker(url, heartbeat_timeout_ms=heartbeat_timeout_ms)
    handler = PageWorker(broker, worker_name(index), extract=extract)
    declare_actors(broker, page=handler)
    worker = queues.consumer(broker, queues.JOBS_QUEUE, queues.WORKER_PREFETCH)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop()
        handler.close()


def run_workers(url: str, processes: int, *,
                heartbeat_timeout_ms: int = queues.HEARTBEAT_TIMEOUT_MS) -> None:
    """Start ``processes`` worker processes and keep them running until signalled."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    context = multiprocessing.get_context("spawn")  # no inherited Redis sockets or locks

    def start(index: int):
        process = context.Process(target=run_worker, args=(url, index),
                                  kwargs={"heartbeat_timeout_ms": heartbeat_timeout_ms},
                                  name=f"newsarchive-worker-{index}")
        process.start()
        return process

    children = [start(i) for i in range(processes)]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(SUPERVISE_S):
        for index, process in enumerate(children):
            if not process.is_alive():
                logger.warning("worker %s exited (%s): restarting", index, process.exitcode)
                children[index] = start(index)
    for process in children:
        process.terminate()
    for process in children:
        process.join()
