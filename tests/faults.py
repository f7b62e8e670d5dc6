"""Fault injection for the local fixture server: slow, failing and flaky responses."""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler


@dataclass
class Fault:
    """What to do with requests whose path starts with ``prefix`` (``times``: how often)."""

    prefix: str
    status: int | None = None  # answer with this status instead
    retry_after: int | None = None  # with a Retry-After header
    delay: float = 0.0  # sleep before answering (normally)
    reset: bool = False  # close the connection with a TCP reset
    times: int | None = None  # None: always


class FaultPlan:
    """The faults a LocalSite applies, and how often each one fired."""

    def __init__(self, *faults: Fault):
        self.faults = list(faults)
        self.fired: dict[str, int] = {}
        self.lock = threading.Lock()

    def handle(self, handler: SimpleHTTPRequestHandler, path: str) -> bool:
        fault = self._take(path)
        if fault is None:
            return False
        if fault.delay:
            time.sleep(fault.delay)
        if fault.reset:
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
            return True
        if fault.status:
            handler.send_response(fault.status)
            if fault.retry_after is not None:
                handler.send_header("Retry-After", str(fault.retry_after))
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return True
        return False  # delay only: serve the file

    def _take(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if path.startswith(fault.prefix) and (
                    fault.times is None or self.fired.get(fault.prefix, 0) < fault.times
                ):
                    self.fired[fault.prefix] = self.fired.get(fault.prefix, 0) + 1
                    return fault
        return None
