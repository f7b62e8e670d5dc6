"""Headless Chromium types 营商环境 into the ranked search page and sees highlighted hits.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL on file descriptors 3 and 4), so no extra package is needed.
The server is ``publish.server.serve`` on 127.0.0.1, started here.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.search_corpus import build_archive, truth

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe",
]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    pytest.skip("chromium is not installed")


class DevTools:
    """A Chromium process and a DevTools session over its debugging pipe."""

    def __init__(self, binary: str, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. Copies above 10 (closed
        # on exec) are moved to 3 and 4 in the child, where dup2 makes them inheritable.
        high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)

        def child_fds():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for fd in (to_chrome_r, from_chrome_w, high_r, high_w):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.session = None

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def attach(self) -> None:
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}
        )["sessionId"]

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := self.evaluate(expression):
                return value
            time.sleep(0.1)
        raise TimeoutError(expression)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    archive = build_archive(tmp_path_factory.mktemp("browser") / "archive.db")
    port = free_port()
    code = f"from publish.server import serve; serve({str(archive)!r}, port={port})"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("the Datasette server exited")
                time.sleep(0.1)
        yield base, archive
    finally:
        proc.terminate()
        proc.wait(10)


# Pairs of form fields (label text) whose boxes intersect: the query box ran over "Paper".
OVERLAPS = """(() => {
  const form = 'form.newsarchive-search';
  const boxes = [...document.querySelectorAll(form + ' label, ' + form + ' input')]
    .map(e => [e.tagName + ':' + (e.name || e.textContent.trim().split(/\\s/)[0]),
               e.getBoundingClientRect(), e]);
  const out = [];
  for (const [n1, a, e1] of boxes) for (const [n2, b, e2] of boxes) {
    if (n1 >= n2 || e1.contains(e2) || e2.contains(e1)) continue;
    if (a.left < b.right - 1 && b.left < a.right - 1
        && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      out.push(n1 + ' / ' + n2);
  }
  return out;
})()"""


def test_typing_a_query_shows_highlighted_hits(server, tmp_path):
    base, archive = server
    browser = DevTools(chromium_binary(), tmp_path / "profile")
    try:
        browser.attach()
        browser.send("Page.navigate", {"url": base + "/archive/search"})
        browser.wait_for("document.readyState === 'complete' && !!document.querySelector("
                         "'input[name=q]')")
        browser.evaluate("document.querySelector('input[name=q]').focus()")
        browser.send("Input.insertText", {"text": "营商环境"})
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **key})
        browser.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})
        browser.wait_for("location.search.includes('q=') && document.readyState === 'complete'"
                         " && document.querySelectorAll('li.newsarchive-hit').length > 0")
        hits = browser.evaluate("document.querySelectorAll('li.newsarchive-hit').length")
        marks = browser.evaluate("[...document.querySelectorAll('mark')].map(m => m.textContent)")
        value = browser.evaluate("document.querySelector('input[name=q]').value")
        overlaps = browser.evaluate(OVERLAPS)
        shot = browser.send("Page.captureScreenshot", {"format": "png"})["data"]
        (tmp_path / "search.png").write_bytes(base64.b64decode(shot))
    finally:
        browser.close()
    assert value == "营商环境"
    assert overlaps == [], overlaps
    assert hits == min(100, len(truth(archive, "营商环境")))
    assert marks and set(marks) == {"营商环境"}


OUTPUT = Path(__file__).resolve().parent / "output"  # screenshots, kept as CI artifacts


def screenshot(browser: DevTools, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    (OUTPUT / name).write_bytes(base64.b64decode(shot["data"]))


def start_server(archive: Path, files: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = (f"from publish.server import serve; serve({str(archive)!r}, port={port}, "
            f"files_dir={str(files)!r})")
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)
            return proc, base
        except OSError:
            if proc.poll() is not None:
                pytest.fail("the Datasette server exited")
            time.sleep(0.1)
    proc.terminate()
    pytest.fail("the Datasette server did not start")


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    from tests.reading_room import build_reading_room

    root = tmp_path_factory.mktemp("room-browser")
    archive, files, _ = build_reading_room(root)
    proc, base = start_server(archive, files)
    try:
        yield base, archive
    finally:
        proc.terminate()
        proc.wait(10)


def click(browser: DevTools, selector: str) -> None:
    """A real mouse click in the middle of the element."""
    box = browser.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    for kind in ("mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                  "button": "left", "clickCount": 1})


def loaded(browser: DevTools, path_js: str) -> None:
    browser.wait_for(f"{path_js} && document.readyState === 'complete'")


def test_home_calendar_edition_page_and_a_click_on_an_article_box(room_server, tmp_path):
    base, archive = room_server
    conn = sqlite3.connect(archive)
    page_id, = conn.execute(
        "select id from pages where date = '2023-06-16' and page_no = 1").fetchone()
    titles = dict(conn.execute("select id, title from articles where page_id = ?", [page_id]))
    conn.close()
    browser = DevTools(chromium_binary(), tmp_path / "profile")
    try:
        browser.attach()
        browser.send("Page.navigate", {"url": base + "/"})
        loaded(browser, "!!document.querySelector('tr[data-paper=xcrb]')")
        row = browser.evaluate("document.querySelector('tr[data-paper=xcrb]').innerText")
        screenshot(browser, "home.png")
        click(browser, "tr[data-paper=xcrb] a")
        loaded(browser, "location.pathname.includes('/paper/')")
        linked = browser.evaluate(
            "[...document.querySelectorAll('td.edition')].map(e => e.dataset.date)")
        missing = browser.evaluate(
            "[...document.querySelectorAll('td.missing')].map(e => e.dataset.date)")
        screenshot(browser, "calendar.png")
        click(browser, "td.edition[data-date='2023-06-16'] a")
        loaded(browser, "location.pathname.endsWith('/2023-06-16')")
        pages = browser.evaluate("document.querySelectorAll('li[data-page]').length")
        loaded(browser, "[...document.images].every(i => i.complete && i.naturalWidth)")
        click(browser, "li[data-page='1'] a img")
        loaded(browser, "location.pathname.includes('/page/') && "
                        "document.querySelector('.newsarchive-pageview img').complete")
        image = browser.evaluate(
            "(() => { const i = document.querySelector('.newsarchive-pageview img');"
            " return [i.naturalWidth > 0, new URL(i.currentSrc).pathname]; })()")
        drawn = browser.evaluate(
            "[...document.querySelectorAll('a.newsarchive-box')].map(a => +a.dataset.article)")
        screenshot(browser, "page.png")
        target = sorted(titles)[1]
        click(browser, f"a.newsarchive-box[data-article='{target}'] rect")
        loaded(browser, f"location.pathname === '/archive/articles/{target}'")
        heading = browser.evaluate("document.querySelector('article h1').innerText")
    finally:
        browser.close()
    assert "2023-06-14" in row and "2023-06-16" in row
    assert linked == ["2023-06-14", "2023-06-16"] and missing == ["2023-06-15"]
    assert pages == 3
    assert image[0] and re.fullmatch(rf"/-/newsarchive/image/archive/{page_id}/\d+\.jpg", image[1])
    assert sorted(drawn) == sorted(titles)
    assert heading == titles[target]


def test_a_search_shows_its_chart_and_the_words_on_the_page_image(room_server, tmp_path):
    base, _ = room_server
    browser = DevTools(chromium_binary(), tmp_path / "profile")
    try:
        browser.attach()
        browser.send("Page.navigate", {"url": base + "/archive/search?q=魏都区&compare=高质量"})
        loaded(browser, "!!document.querySelector('figure.newsarchive-timeline img')"
                        " && document.querySelector('figure.newsarchive-timeline img').complete")
        chart = browser.evaluate(
            "document.querySelector('figure.newsarchive-timeline img').naturalWidth")
        screenshot(browser, "search-chart.png")
        click(browser, "li.newsarchive-hit a.newsarchive-page-link")
        loaded(browser, "location.pathname.includes('/page/')")
        hits = browser.evaluate("document.querySelectorAll('rect.hit').length")
        visible = browser.evaluate(
            "(() => { const r = document.querySelector('rect.hit').getBoundingClientRect();"
            " return r.width > 2 && r.height > 2; })()")
        screenshot(browser, "page-hits.png")
    finally:
        browser.close()
    assert chart == 760
    assert hits > 0 and visible
