"""A local static web server for e-paper sites (the demo and the tests' fixture sites).

Serves a directory on 127.0.0.1 from a background thread. Paths that do not exist under a
``soft_404`` prefix are redirected to the home page with 302, as some e-paper hosts do for
dates they have no edition for; paths under a ``forbidden`` prefix get 403, as hosts answer
for dates older than their archive. ``site.requests`` lists what was asked (path, headers,
time); a ``faults`` object may answer a request instead (the tests' fault injection).
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol


class Faults(Protocol):
    def handle(self, handler: SimpleHTTPRequestHandler, path: str) -> bool:
        """Answer the request (and return True), or leave it to the static server."""


class _Handler(SimpleHTTPRequestHandler):
    soft_404: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.requests.append((path, dict(self.headers), time.monotonic()))
        faults = self.server.faults
        if faults is not None and faults.handle(self, path):
            return
        if path.startswith(self.forbidden):
            self.send_error(403, "outside the archive")
            return
        target = Path(self.translate_path(path))
        if not target.exists() and path.startswith(self.soft_404):
            self.send_response(302)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # keep test and demo output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when a crawl opens a burst of
    # them (each drop costs the crawler a 1 s SYN retransmission); real hosts allow 128+.
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """Stay quiet about clients that hang up (crawls cancelled, timeouts)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalSite:
    """``with LocalSite(root) as site: site.url`` -> "http://127.0.0.1:PORT"."""

    def __init__(
        self,
        root: str | Path,
        *,
        soft_404: tuple[str, ...] = (),
        forbidden: tuple[str, ...] = (),
        faults: Faults | None = None,
        port: int = 0,
    ):
        handler = type(
            "Handler", (_Handler,), {"soft_404": tuple(soft_404), "forbidden": tuple(forbidden)}
        )
        self.server = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(root)))
        self.server.requests = []
        self.server.faults = faults
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[tuple[str, dict, float]]:
        """(path, headers, monotonic time) of every GET so far, in arrival order."""
        return self.server.requests

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
