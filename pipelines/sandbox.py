"""Worker processes that open PDFs, each with a memory limit and a wall-clock limit.

A PDF of a few KB can make a reader build gigabytes (forms drawing forms, a content stream
that inflates to a GB, ten million tiny paths) or work for minutes, before the engine's own
guards (glyphs per page, layout deadline) ever see the page. So every path that opens a PDF
(crawl, ``import``, ``extract``, ``reextract``) runs it in a worker from here:

* memory: the worker's address space is capped with ``RLIMIT_AS`` (``MEMORY_LIMIT_MB``);
  an allocation over it fails, in Python as ``MemoryError``, in the PDF library as a crash
  of that worker only;
* time: pebble kills a worker whose task runs over ``TIMEOUT_S``;
* either way the caller gets a reason to record (``failure_reason``) and goes on with the
  next file; pebble starts a fresh worker.

Workers come from a forkserver (never fork a process that runs a reactor thread) that
preloads the engine (``pipelines.extract.warm``), run ``nice`` steps below the caller, and
are recycled after ``max_tasks`` tasks (PDF libraries keep memory).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pebble import ProcessExpired, ProcessPool

# Address space of one worker: a page PDF needs 100-300 MB; with the crawler and the fork
# server the whole process tree stays under 2 GB.
MEMORY_LIMIT_MB = 1536
TIMEOUT_S = 120.0  # wall-clock seconds for one PDF
MAX_TASKS = 200  # tasks before a worker is replaced


class LimitExceeded(Exception):
    """A PDF went over a worker's limit, or killed its worker; the message is the reason."""


def limit_worker(nice: int, memory_mb: int) -> None:
    """Worker initializer: ``nice`` steps nicer, address space capped at ``memory_mb``."""
    if nice > 0:
        try:
            os.nice(nice)
        except OSError:  # not allowed here: run at the caller's priority
            pass
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server preloading the engine (pipelines.extract.warm)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.extract.warm"])
    return context


def new_pool(workers: int, max_tasks: int = MAX_TASKS, nice: int = 0,
             memory_mb: int = MEMORY_LIMIT_MB) -> ProcessPool:
    """A pool of ``workers`` limited worker processes (started on first use)."""
    return ProcessPool(
        max_workers=workers,
        max_tasks=max_tasks,
        initializer=limit_worker,
        initargs=(nice, memory_mb),
        context=_forkserver(),
    )


def start_pool(workers: int, max_tasks: int = MAX_TASKS, nice: int = 0,
               memory_mb: int = MEMORY_LIMIT_MB) -> ProcessPool:
    """A pool whose worker processes are already running (one trivial task each)."""
    pool = new_pool(workers, max_tasks, nice, memory_mb)
    for future in [pool.schedule(os.getpid) for _ in range(workers)]:
        future.result()
    return pool


def is_host_fault(exc: BaseException) -> bool:
    """Whether a task failed for want of a worker (fork refused, too many files, a pool
    that broke), a fault of our host rather than of the PDF."""
    return isinstance(exc, OSError | BrokenProcessPool)


def failure_reason(exc: BaseException, timeout_s: float, memory_mb: int) -> str:
    """The reason recorded for a task that returned no result."""
    if isinstance(exc, FutureTimeout):
        return f"extraction took over {timeout_s:g} s (the limit per PDF)"
    if isinstance(exc, MemoryError):
        return f"extraction needed over {memory_mb} MB (the memory limit per PDF)"
    if isinstance(exc, ProcessExpired):
        code = exc.exitcode
        how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exit status {code}")
        return (f"extraction worker died ({how}): the PDF took it over its {memory_mb} MB "
                "memory limit, or crashed the PDF library")
    return f"extraction failed: {exc!r}"


class Sandbox:
    """Run functions on PDFs one at a time in a limited worker (``extract``, ``import``):

    ``with Sandbox() as box: doc = box.run(fn, path)`` returns ``fn(path)`` as computed by
    the worker, re-raises the exceptions ``fn`` raises, and raises ``LimitExceeded`` when
    the worker went over a limit or died.
    """

    def __init__(self, timeout_s: float = TIMEOUT_S, memory_mb: int = MEMORY_LIMIT_MB):
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.pool = new_pool(1, MAX_TASKS, 0, memory_mb)

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        future = self.pool.schedule(fn, args, timeout=self.timeout_s)
        try:
            return future.result()
        except (FutureTimeout, MemoryError, ProcessExpired) as exc:
            raise LimitExceeded(failure_reason(exc, self.timeout_s, self.memory_mb)) from exc

    def close(self) -> None:
        self.pool.close()
        self.pool.join()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
