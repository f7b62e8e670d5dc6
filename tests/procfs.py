"""Process readings from /proc shared by the performance tests and bench/ (Linux only)."""

from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[int]:
    """Child pids of a process (all its threads' children)."""
    pids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids += [int(p) for p in task.read_text().split()]
        except OSError:
            pass
    return pids


def cmdline(pid: int) -> str:
    """A process's command line, arguments separated by spaces ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
