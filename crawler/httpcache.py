"""HTTP cache policy: revalidate e-paper HTML with conditional requests, never store PDFs.

Scrapy's RFC2616Policy sends If-Modified-Since / If-None-Match for stale cached pages, so a
daily crawl that visits the last days' editions again costs the host a 304 each. PDFs are
kept in the files store already (content-addressed), so caching them would store them twice.
"""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy


class IndexPagesPolicy(RFC2616Policy):
    def should_cache_response(self, response, request) -> bool:
        content_type = response.headers.get("Content-Type", b"").lower()
        if response.status != 200 or b"pdf" in content_type:
            return False
        if request.url.lower().endswith(".pdf") or response.body[:5] == b"%PDF-":
            return False
        return super().should_cache_response(response, request)
