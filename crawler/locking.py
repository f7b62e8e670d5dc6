"""Per-paper locks, so that a cron crawl started while the last one still runs exits at once."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the paper's lock."""


@contextmanager
def paper_lock(lock_dir: str | Path, paper: str) -> Iterator[Path]:
    """Hold ``<lock_dir>/<paper>.lock`` (an flock, released even on kill -9)."""
    path = Path(lock_dir) / f"{paper}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            message = f"a crawl of {paper} is already running ({holder}; {path})"
            raise AlreadyRunning(message) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield path


@contextmanager
def paper_locks(lock_dir: str | Path, papers: list[str]) -> Iterator[None]:
    """Hold the locks of all papers, or none."""
    with ExitStack() as stack:
        for paper in papers:
            stack.enter_context(paper_lock(lock_dir, paper))
        yield
