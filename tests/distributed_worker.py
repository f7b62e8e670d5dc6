"""A worker process for the fault tests: the real worker, with an extraction that can be
slowed down (to kill a worker mid-job) and that dies on a poison PDF, as a PDF that crashes
pdfium would kill it.

Run: ``python -m tests.distributed_worker REDIS_URL INDEX`` (env ``TEST_EXTRACT_DELAY``:
seconds each page takes first; ``TEST_HEARTBEAT_MS``: the broker's heartbeat timeout).
"""

from __future__ import annotations

import os
import signal
import sys
import time

from pipelines.distributed.workers import run_worker
from pipelines.extraction import extract_file

POISON = b"%POISON"  # a PDF with this comment kills the process extracting it


def faulty_extract(path: str, source: str, reread: bool = True) -> dict:
    """extract_file, after ``TEST_EXTRACT_DELAY`` seconds; SIGKILL itself on a poison PDF."""
    with open(path, "rb") as handle:
        if POISON in handle.read():
            os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(float(os.environ.get("TEST_EXTRACT_DELAY", "0")))
    return extract_file(path, source, reread)


if __name__ == "__main__":
    from tests.distributed_worker import faulty_extract as extract  # by its module's name

    run_worker(sys.argv[1], int(sys.argv[2]),
               heartbeat_timeout_ms=int(os.environ.get("TEST_HEARTBEAT_MS", "2000")),
               extract=extract)
