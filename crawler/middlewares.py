"""Downloader middleware: Scrapy's retry, honouring Retry-After.

Scrapy's RetryMiddleware retries 429 and 503 at once, which a host that asked us to wait
reads as rudeness; this waits what the host asked (up to RETRY_AFTER_MAX seconds) before the
retry. The wait is an asyncio sleep: other hosts' downloads go on meanwhile.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware


def retry_after_seconds(value: bytes | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    async def process_response(self, request, response, spider=None):
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > self.max_wait:
                request.meta["dont_retry"] = True  # the host asks for more than we wait
            elif wait:
                await asyncio.sleep(wait)
        return super().process_response(request, response)
