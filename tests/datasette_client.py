"""Requests to a Datasette app in-process, from tests running under pytest-twisted's
asyncio reactor (where ``asyncio.run`` is not allowed): an event loop in a thread."""

from __future__ import annotations

import asyncio
import threading


class _Loop:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=120)


LOOP = _Loop()


def get(ds, path: str, headers: dict | None = None, **params):
    """GET ``path`` through Datasette's ASGI test client."""
    return LOOP.run(ds.client.get(path, params=params or None, headers=headers))
