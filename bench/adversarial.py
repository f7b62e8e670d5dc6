"""Hostile input against the limits (issue #14): every case made by code, run as a user would.

Run: ``.venv/bin/python bench/adversarial.py [--memory-limit MB] [--timeout S] [--skip-server]``

Part 1, PDFs: each case of ``tests/pdf_bombs.py`` at the issue's sizes (and an HTML/PDF
polyglot) is imported with ``newsarchive import`` into a fresh archive, after an ordinary
typeset page as the same-run baseline. Printed per case: the page status and reason, wall
time against the time limit, and peak memory against the memory limit, the peak being
what ``/usr/bin/time -v`` calls "Maximum resident set size" for the largest process of the
command's tree (VmHWM, sampled every 20 ms from /proc) and the peak of the whole tree's
RSS. Targets: no case over the memory limit (2 GB) or the time limit, none ``ok`` with
wrong text.

Part 2, server: ``newsarchive serve`` over an archive of 10,000 articles; a normal search
timed alone, then while three hostile requests run (the SQL function on the whole archive,
calls without end, a value of gigabytes). Target: the normal search answers in < 1 s.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo.editions import edition_specs  # noqa: E402
from crawler.demo.typesetter import typeset_page  # noqa: E402
from pipelines.sandbox import MEMORY_LIMIT_MB, TIMEOUT_S  # noqa: E402
from tests import pdf_bombs  # noqa: E402
from tests.procfs import children  # noqa: E402

NEWSARCHIVE = str(Path(sys.executable).parent / "newsarchive")
SAMPLE_S = 0.02
wrong_text: dict[str, bool] = {}  # hostile cases archived ok: whether their text is wrong

CASES = {  # name: (what the issue saw, the PDF's bytes)
    "fanned-out forms (10^8 draws)": ("12 GB, rc 134", lambda: pdf_bombs.form_fan(8, 10)),
    "100k text objects, 1 glyph each": ("92 s, ok", lambda: pdf_bombs.text_objects(100_000)),
    "10 million tiny paths": ("84 s, 5.5 GB", lambda: pdf_bombs.tiny_paths(10_000_000)),
    "content-stream bomb (1 GB)": ("3.2 GB", lambda: pdf_bombs.stream_bomb(1 << 30)),
    "/Count 1,000,000, one page": ("999,999 error rows", pdf_bombs.page_count_lie),
    "HTML/PDF polyglot": ("served as application/pdf", lambda: (
        b"<html><script>alert(1)</script><!--\n" + pdf_bombs.text_page() + b"-->")),
}


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def measured(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, int, int]:
    """Run ``command``; (result, wall s, peak KB of its largest process, peak KB of the tree)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)
    peak_one = peak_tree = 0
    hwm: dict[int, int] = {}
    while proc.poll() is None:
        tree = _tree(proc.pid)
        rss = 0
        for pid in tree:
            hwm[pid] = max(hwm.get(pid, 0), _status_kb(pid, "VmHWM:"))
            rss += _status_kb(pid, "VmRSS:")
        peak_tree = max(peak_tree, rss)
        peak_one = max([peak_one, *hwm.values()])
        time.sleep(SAMPLE_S)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    return subprocess.CompletedProcess(command, proc.returncode, out, err), wall, peak_one, \
        peak_tree


def pdf_cases(workdir: Path, memory_mb: int, timeout: float) -> list[dict]:
    baseline = workdir / "baseline.pdf"
    spec = edition_specs("许昌日报", date(2023, 6, 16), pages=1, seed=7)[0]
    truth = typeset_page(spec, baseline)
    paths = {"ordinary page (baseline)": baseline}
    for name, (_, make) in CASES.items():
        path = workdir / f"case{len(paths)}.pdf"
        path.write_bytes(make())
        paths[name] = path
    rows = []
    wrong_text.clear()
    for number, (name, path) in enumerate(paths.items(), start=1):
        db = workdir / f"archive{number}.db"
        command = [NEWSARCHIVE, "import", "--paper", "xcrb", "--date", "2023-06-16",
                   "--db", str(db), "--files", str(workdir / "files"),
                   "--memory-limit", str(memory_mb), "--timeout", str(timeout), str(path)]
        result, wall, peak_one, peak_tree = measured(command)
        status, reason, text = "refused", result.stderr.strip().splitlines()[-1:] or [""], ""
        reason = reason[0].split(": ", 1)[-1]
        if db.exists():
            with sqlite3.connect(db) as conn:
                row = conn.execute("select status, reason from pages").fetchone()
                text = " ".join(t or "" for (t,) in conn.execute("select body from articles"))
            if row:
                status, reason = row[0], row[1] or ""
        if name.startswith("ordinary"):
            bodies = " ".join(a["body"] for a in truth["articles"])
            reason = "text as typeset" if text.split() == bodies.split() else "TEXT DIFFERS"
        elif status == "ok":  # right only if the text is what the page draws: its a glyphs
            glyphs = "".join(text.split())
            drawn = set(glyphs) == {"a"}
            reason = f"text: {len(glyphs):,} a glyphs" + ("" if drawn else ", OTHER TEXT: WRONG")
            wrong_text[name] = not drawn
        rows.append({"case": name, "size_kb": path.stat().st_size / 1024, "status": status,
                     "reason": reason, "wall": wall, "peak_one_mb": peak_one / 1024,
                     "peak_tree_mb": peak_tree / 1024, "rc": result.returncode})
    return rows


def print_pdf_table(rows: list[dict], memory_mb: int, timeout: float) -> None:
    base = rows[0]
    print(f"\n## PDFs (newsarchive import; limits {memory_mb} MB, {timeout:g} s)\n")
    print("| case | issue saw | file | status (exit) | reason | wall s (limit) | x baseline "
          "| peak MB, largest process (limit) | peak MB, tree |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        saw = CASES.get(row["case"], ("",))[0]
        print(f"| {row['case']} | {saw} | {row['size_kb']:.1f} KB | {row['status']} "
              f"({row['rc']}) | {row['reason'][:90]} | {row['wall']:.1f} ({timeout:g}) "
              f"| {row['wall'] / base['wall']:.1f}x | {row['peak_one_mb']:.0f} ({memory_mb}) "
              f"| {row['peak_tree_mb']:.0f} |")
    over = [r["case"] for r in rows
            if r["peak_one_mb"] > memory_mb or r["wall"] > timeout + 15]
    wrong = [name for name, bad in wrong_text.items() if bad]
    print(f"\nover a limit: {over or 'none'}; archived ok with wrong text: {wrong or 'none'}")


HOSTILE_SQL = [  # each runs to the time limit (or would run for minutes without bounds)
    "select count(newsarchive_highlight(a.body, '疫情')) from articles a, articles b",
    "select count(newsarchive_snippet('疫情', a.body, a.captions)) from articles a, articles b",
    "select length(group_concat(a.body)) from articles a, articles b",
]
# refused at once now: the request (6 minutes, 4.2 GB before)
QUICK_SQL = "select length(newsarchive_snippet(group_concat(body), body)) from articles"


def get(url: str, timeout: float = 120) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def server_case(workdir: Path) -> None:
    from tests.search_corpus import build_archive

    db = workdir / "served.db"
    print("\n## Server (newsarchive serve, sql_time_limit_ms 5000)\n")
    started = time.perf_counter()
    build_archive(db, pages=2600)
    with sqlite3.connect(db) as conn:
        (articles,) = conn.execute("select count(*) from articles").fetchone()
    print(f"archive: {articles:,} articles (built in {time.perf_counter() - started:.0f} s)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([NEWSARCHIVE, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    normal = f"{base}/archive/articles.json?_search=" + urllib.parse.quote("营商环境")
    try:
        for _ in range(200):
            try:
                get(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        get(normal)  # warm
        alone = [get(normal)[1] for _ in range(10)]
        results: dict[str, tuple[int, float]] = {}
        results[QUICK_SQL] = get(f"{base}/archive.json?sql={urllib.parse.quote(QUICK_SQL)}")

        def hostile(sql: str) -> None:
            results[sql] = get(f"{base}/archive.json?sql={urllib.parse.quote(sql)}")

        threads = [threading.Thread(target=hostile, args=(sql,)) for sql in HOSTILE_SQL]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        loaded = []
        while any(t.is_alive() for t in threads):
            loaded.append(get(normal)[1])
        for thread in threads:
            thread.join()
        peak = _status_kb(server.pid, "VmHWM:") / 1024
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\nThe first request alone, then the other three at once:\n")
    print("| request | status | seconds |")
    print("| --- | --- | --- |")
    for sql, (status, seconds) in results.items():
        print(f"| `{sql}` | {status} | {seconds:.2f} |")
    print(f"\nnormal search alone: median {statistics.median(alone):.3f} s, max {max(alone):.3f} s")
    print(f"normal search during the 3 hostile requests: {len(loaded)} searches, median "
          f"{statistics.median(loaded):.3f} s, max {max(loaded):.3f} s (target < 1 s); "
          f"ratio of medians {statistics.median(loaded) / statistics.median(alone):.1f}x")
    print(f"server peak RSS: {peak:.0f} MB; exit status after SIGTERM: {server.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memory-limit", type=int, default=MEMORY_LIMIT_MB)
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-pdfs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="adversarial-") as root:
        if not args.skip_pdfs:
            rows = pdf_cases(Path(root), args.memory_limit, args.timeout)
            print_pdf_table(rows, args.memory_limit, args.timeout)
            print(json.dumps(rows, ensure_ascii=False), file=sys.stderr)
        if not args.skip_server:
            server_case(Path(root))


if __name__ == "__main__":
    main()
