"""A worker's download of a page PDF: at most ``rate`` requests a second to one host, counted
in Redis over all workers of all hosts (Dramatiq's WindowRateLimiter), robots.txt obeyed.

The crawl's own requests (edition indexes) stay with Scrapy on the archive's host; only the
page PDFs, the bulk of a backfill's bytes, are fetched by workers.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from functools import lru_cache
from urllib.parse import urlsplit

import redis
from dramatiq.rate_limits import WindowRateLimiter
from dramatiq.rate_limits.backends import RedisBackend

from pipelines.distributed.queues import PREFIX

POLL_S = 0.05  # how often a worker asks again for a slot of a busy host
# Answers that are the page's fate, not a passing fault: no retry.
FINAL_STATUSES = {401, 403, 404, 410}


class DownloadFailed(Exception):
    """The PDF cannot be had (its answer is final): the page is recorded download_failed."""


class DownloadRetry(Exception):
    """A passing fault (timeout, 5xx, 429): the job is retried later, ``delay_ms`` if given."""

    def __init__(self, message: str, delay_ms: int | None = None):
        super().__init__(message)
        self.delay_ms = delay_ms


def wait_for_slot(client: redis.Redis, host: str, rate: int) -> None:
    """Block until ``host`` may get one more request this second (``rate`` <= 0: no limit)."""
    if rate <= 0:
        return
    limiter = WindowRateLimiter(RedisBackend(client=client), f"{PREFIX}:host:{host}",
                                limit=rate, window=1)
    while True:
        with limiter.acquire(raise_on_failure=False) as acquired:
            if acquired:
                return
        time.sleep(POLL_S)


@lru_cache(maxsize=256)
def _robots(root: str, user_agent: str) -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser(f"{root}/robots.txt")
    try:
        request = urllib.request.Request(parser.url, headers={"User-Agent": user_agent})
        with urllib.request.urlopen(request, timeout=30) as response:
            parser.parse(response.read().decode("utf-8", "replace").splitlines())
    except urllib.error.HTTPError as exc:
        parser.parse([] if exc.code >= 400 else ["User-agent: *", "Disallow: /"])
    except OSError:
        parser.parse([])  # no robots.txt to be had: as Scrapy, allowed
    return parser


def download(client: redis.Redis, fetch: dict) -> tuple[bytes, int, str]:
    """GET ``fetch["url"]`` politely; return (body, HTTP status, Content-Type).

    ``fetch``: url, referer, user_agent, rate (per host per second), timeout, obey_robots.
    """
    url = fetch["url"]
    parts = urlsplit(url)
    if fetch.get("obey_robots"):
        robots = _robots(f"{parts.scheme}://{parts.netloc}", fetch["user_agent"])
        if not robots.can_fetch(fetch["user_agent"], url):
            raise DownloadFailed(f"forbidden by robots.txt: {url}")
    wait_for_slot(client, parts.netloc, int(fetch.get("rate", 0)))
    headers = {"User-Agent": fetch["user_agent"]}
    if fetch.get("referer"):
        headers["Referer"] = fetch["referer"]
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=fetch.get("timeout", 60)) as response:
            return response.read(), response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        if exc.code in FINAL_STATUSES:
            raise DownloadFailed(f"HTTP {exc.code} for {url}") from None
        after = exc.headers.get("Retry-After", "")
        delay = int(after) * 1000 if after.isdigit() else None
        raise DownloadRetry(f"HTTP {exc.code} for {url}", delay) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise DownloadRetry(f"download failed: {exc}") from None
