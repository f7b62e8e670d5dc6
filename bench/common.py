"""Shared helpers of the crawl, memory, ingest and re-extraction benches (not a bench itself).

* a cached local e-paper site (``crawler.demo.site.build_site``) under bench/out/site/;
* a latency hook for ``crawler.demo.server.LocalSite`` (every response waits 50-150 ms, as
  a small regional host does);
* running the real ``newsarchive`` CLI in a subprocess, and reading what it archived;
* RSS of a process tree from /proc (psutil is not a dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo.server import LocalSite  # noqa: E402
from crawler.demo.site import build_site  # noqa: E402
from tests.procfs import children, cmdline  # noqa: E402

OUT = ROOT / "bench" / "out"
NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FIRST_DATE = date(2020, 1, 1)  # xcrb's first_date in crawler/papers.toml
PAGES_PER_EDITION = 4
# What a local site needs (crawler.runner.local_site_settings), as CLI options.
LOCAL = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "LOG_LEVEL=INFO",
]


def edition_dates(pages: int) -> list[date]:
    """Enough consecutive dates from xcrb's first date for ``pages`` pages (4 a date)."""
    count = -(-pages // PAGES_PER_EDITION)
    return [FIRST_DATE + timedelta(days=i) for i in range(count)]


# The sample site's make: v2 publishes page images, maps and article pages (issue 13).
SITE_VERSION = "v2"


def cached_site(pages: int, *, dense: bool = False) -> tuple[Path, list[date]]:
    """bench/out/site/ with editions for at least ``pages`` pages; built once, then extended.

    ``dense``: bench/out/site-dense/, the same site with every page PDF replaced by a dense
    broadsheet page (``broadsheet_specs``), closer to a real e-paper page than the demo's.
    Returns the site root and the dates to crawl.
    """
    root = OUT / (f"site-dense-{SITE_VERSION}" if dense else f"site-{SITE_VERSION}")
    manifest = root / "dates.json"
    built = set(json.loads(manifest.read_text())) if manifest.exists() else set()
    dates = edition_dates(pages)
    missing = [d for d in dates if d.isoformat() not in built]
    if missing:
        started = time.perf_counter()
        print(f"typesetting {len(missing) * PAGES_PER_EDITION} pages into {root} …", flush=True)
        build_site(root, dates=missing, pages=PAGES_PER_EDITION)
        if dense:
            densify(root, missing)
        built |= {d.isoformat() for d in missing}
        manifest.write_text(json.dumps(sorted(built)))
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return root, dates


def densify(root: Path, dates: list[date]) -> None:
    """Replace the page PDFs of ``dates`` with dense broadsheet pages, each one distinct (a
    PDF served for two pages is stored once: see the report on the files store)."""
    from crawler.demo.editions import broadsheet_specs
    from crawler.demo.typesetter import typeset_page

    for day in dates:
        folder = root / "xcrb" / "PC" / "attachement" / f"{day:%Y%m}" / f"{day:%d}"
        pdfs = sorted(folder.glob("*.pdf"))
        for spec, pdf in zip(broadsheet_specs(len(pdfs), seed=day.toordinal()), pdfs, strict=True):
            typeset_page(spec, pdf)


class Latency:
    """A LocalSite ``faults`` hook: each response waits uniform(low, high) seconds first."""

    def __init__(self, low: float = 0.05, high: float = 0.15, seed: int = 0):
        self.low, self.high = low, high
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.requests = 0

    def handle(self, handler: SimpleHTTPRequestHandler, path: str) -> bool:
        with self.lock:
            delay = self.random.uniform(self.low, self.high)
            self.requests += 1
        if delay > 0:
            time.sleep(delay)
        return False  # then serve the file


@contextmanager
def served(root: Path, latency: tuple[float, float] | None = None) -> Iterator[LocalSite]:
    """The site at ``root`` on 127.0.0.1 (in this process), with per-response latency."""
    faults = Latency(*latency) if latency and latency[1] > 0 else None
    with LocalSite(root, faults=faults) as site:
        yield site  # its server listens with a backlog of 128 (crawler.demo.server._Server)


def crawl_command(site: LocalSite, dates: list[date], workdir: Path, *settings: str) -> list[str]:
    """``newsarchive crawl xcrb`` of ``dates`` on ``site`` into workdir (extra ``-s`` options)."""
    command = [
        NEWSARCHIVE,
        "crawl",
        "xcrb",
        "--base-url",
        f"{site.url}/xcrb/",
        "--from",
        dates[0].isoformat(),
        "--to",
        dates[-1].isoformat(),
        "--db",
        str(workdir / "archive.db"),
        "--files",
        str(workdir / "files"),
        "--log-dir",
        str(workdir / "logs"),
        *LOCAL,
    ]
    for setting in settings:
        command += ["-s", setting]
    return command


def add_latency_option(parser: argparse.ArgumentParser, default: tuple[float, float]) -> None:
    """``--latency LOW HIGH``: seconds each response of the local site waits (0 0: none)."""
    parser.add_argument(
        "--latency",
        type=float,
        nargs=2,
        default=default,
        metavar=("LOW", "HIGH"),
        help=f"seconds each response waits, uniform in [LOW, HIGH] (default: {default})",
    )


def run(command: list[str], cwd: Path, *, sample: float | None = None) -> Run:
    """Run a command to its end (output to cwd/command.out); with ``sample``, a TreeSampler
    watches it every ``sample`` s. Exits with the command's output when it fails."""
    output = cwd / "command.out"
    machine = MachineCpu()
    overflows = listen_overflows()
    with output.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid, sample) if sample else None
        if sampler:
            sampler.start()
        returncode = process.wait()
        if sampler:
            sampler.stop()
    seconds, busy, here = machine.stop()
    if returncode != 0:
        sys.exit(f"{' '.join(command[:3])} … failed ({returncode}):\n{output.read_text()}")
    ours = here + (sum(p.cpu for p in sampler.processes.values()) if sampler else 0.0)
    dropped = listen_overflows() - overflows
    return Run(seconds, sampler, busy / seconds, max(busy - ours, 0.0) / seconds, dropped)


@dataclass
class Run:
    seconds: float  # wall time, process start to exit
    sampler: TreeSampler | None
    busy: float  # cores the whole machine kept busy meanwhile (/proc/stat)
    others: float  # of which processes other than the command's and this bench's
    dropped: int = 0  # connections a full accept queue dropped meanwhile (whole machine)

    def load_note(self) -> str:
        note = (
            f"machine busy {self.busy:.2f} of {os.cpu_count()} cores, "
            f"{self.others:.2f} by other processes"
        )
        if self.dropped:  # each costs its client a 1 s SYN retransmission
            note += f"; {self.dropped} connections dropped by a full accept queue"
        return note


def listen_overflows() -> int:
    """The kernel's count of connections dropped because an accept queue was full
    (TcpExt ListenOverflows in /proc/net/netstat; 0 where unavailable)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return 0
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            fields = dict(zip(names.split()[1:], values.split()[1:], strict=False))
            return int(fields.get("ListenOverflows", 0))
    return 0


class MachineCpu:
    """Busy CPU seconds of the whole machine (/proc/stat) and of this process, from now."""

    def __init__(self):
        self.started = time.perf_counter()
        self.busy = self.machine_busy()
        self.here = sum(os.times()[:2])

    @staticmethod
    def machine_busy() -> float:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = values[3] + values[4]  # idle, iowait
        return (sum(values[:8]) - idle) / CLOCK_TICKS  # user … steal; guest is in user

    def stop(self) -> tuple[float, float, float]:
        """(wall seconds, machine busy CPU seconds, this process's CPU seconds) so far."""
        return (
            time.perf_counter() - self.started,
            self.machine_busy() - self.busy,
            sum(os.times()[:2]) - self.here,
        )


def last_run(db: Path) -> dict:
    """The newest ``crawl_runs`` row of an archive, with its Scrapy stats decoded."""
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    row["stats"] = json.loads(row["stats"] or "{}")
    return row


def page_statuses(db: Path) -> dict[str, int]:
    """How many pages the archive holds in each status."""
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("select status, count(*) from pages group by status"))


def fresh_dir(path: Path) -> Path:
    """An empty directory at ``path`` (what a previous run left there is removed)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# /proc ---------------------------------------------------------------------------------------


def memory_kb(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a process in kB, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    if len(values) < 2:
        return None  # a zombie has no memory lines
    return values["VmRSS"], values["VmHWM"]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, depth first."""
    out: list[int] = []
    for child in children(pid):
        out += [child, *descendants(child)]
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def role(pid: int, root: int, parents: dict[int, int]) -> str:
    """main (the process started) | forkserver | worker (forked by the forkserver) | other."""
    if pid == root:
        return "main"
    command = cmdline(pid)
    if "forkserver" in command and parents.get(pid) == root:
        return "forkserver"
    if "forkserver" in cmdline(parents.get(pid, -1)):
        return "worker"
    return "other"


@dataclass
class Process:
    """What a TreeSampler saw of one process."""

    role: str
    peak_rss: int = 0  # kB, largest VmRSS sampled
    hwm: int = 0  # kB, VmHWM (the kernel's own peak) at the last sample
    cpu: float = 0.0  # seconds, at the last sample


@dataclass
class Sample:
    at: float  # seconds since the sampler started
    rss: dict[str, list[int]] = field(default_factory=dict)  # role -> VmRSS (kB) of each


class TreeSampler(threading.Thread):
    """Every ``interval`` s: RSS and CPU of a process and of everything below it (/proc)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.processes: dict[int, Process] = {}
        self.samples: list[Sample] = []
        self.done = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def stop(self) -> None:
        self.done.set()
        self.join()

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stack = [self.pid]
        while stack:
            pid = stack.pop()
            for child in children(pid):
                parents[child] = pid
                stack.append(child)
        now = Sample(time.monotonic() - self.started_at)
        for pid in [self.pid, *parents]:
            memory, cpu = memory_kb(pid), cpu_seconds(pid)
            if memory is None or cpu is None:
                continue
            seen = self.processes.get(pid)
            if seen is None:
                seen = self.processes[pid] = Process(role(pid, self.pid, parents))
            seen.peak_rss = max(seen.peak_rss, memory[0])
            seen.hwm, seen.cpu = memory[1], cpu
            now.rss.setdefault(seen.role, []).append(memory[0])
        self.samples.append(now)

    def of_role(self, name: str) -> list[Process]:
        return [p for p in self.processes.values() if p.role == name]

    def cpu(self, name: str) -> float:
        """CPU seconds used by the processes of one role (as last sampled)."""
        return sum(p.cpu for p in self.of_role(name))


def mb(kb: float) -> str:
    """Kibibytes (as /proc gives them) printed as whole MB."""
    return f"{kb / 1024:.0f} MB"
