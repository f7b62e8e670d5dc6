"""HTTP cache: revalidate e-paper HTML with conditional requests, never store PDFs or images.

Scrapy's RFC2616Policy sends If-Modified-Since / If-None-Match for stale cached pages, so a
daily crawl that visits the last days' editions again costs the host a 304 each. PDFs are
kept in the files store already (content-addressed), so caching them would store them twice.

Responses are kept in one SQLite file (``SqliteCacheStorage``) rather than by Scrapy's
FilesystemCacheStorage, which writes a directory and seven files per response: on the
reactor thread that cost 2-7 ms of CPU per HTML response in the crawl bench (most of it in
the kernel, more on a busy disk), against about 0.2 ms for a row.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
from pathlib import Path
from time import time

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict

logger = logging.getLogger(__name__)


def is_pdf_url(url: str) -> bool:
    return url.lower().split("?", 1)[0].endswith(".pdf")


class IndexPagesPolicy(RFC2616Policy):
    def should_cache_request(self, request) -> bool:
        # A PDF is never stored, so looking it up in the cache is wasted work; nor is the
        # head of a page image (a Range request: only its size is wanted).
        return (
            not is_pdf_url(request.url)
            and b"Range" not in request.headers
            and super().should_cache_request(request)
        )

    def should_cache_response(self, response, request) -> bool:
        content_type = response.headers.get("Content-Type", b"").lower()
        if response.status != 200 or b"pdf" in content_type or content_type.startswith(b"image/"):
            return False
        if is_pdf_url(request.url) or response.body[:5] == b"%PDF-":
            return False
        return super().should_cache_response(response, request)


class SqliteCacheStorage:
    """Scrapy cache storage in ``HTTPCACHE_DIR/<spider>.sqlite``: one row per request
    fingerprint (the response's url, status, headers, body and class, pickled).

    WAL and a busy timeout let crawls of several papers share the file; every store is its
    own short transaction. The cache is an optimisation: an entry that cannot be read is a
    miss (Scrapy's middleware logs it), and one that cannot be written is logged and skipped.
    """

    def __init__(self, settings):
        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"], createdir=True))
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.db: sqlite3.Connection | None = None

    def open_spider(self, spider) -> None:
        self._fingerprinter = spider.crawler.request_fingerprinter
        self.path = self.cachedir / f"{spider.name}.sqlite"
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as exc:  # not a database, or damaged: start afresh
            logger.warning("HTTP cache %s unusable (%s): starting a new one", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = self._connect()
        logger.debug("Using SQLite cache storage in %s", self.path)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                "fingerprint TEXT PRIMARY KEY, url TEXT, stored_at REAL, data BLOB)"
            )
        except sqlite3.Error:
            db.close()
            raise
        return db

    def close_spider(self, spider=None) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def retrieve_response(self, spider, request):
        row = self.db.execute(
            "SELECT stored_at, data FROM responses WHERE fingerprint = ?", [self._key(request)]
        ).fetchone()
        if row is None:
            return None
        stored_at, data = row
        if 0 < self.expiration_secs < time() - stored_at:
            return None  # expired
        request.meta["cache_timestamp"] = stored_at
        return response_from_dict(pickle.loads(data))  # noqa: S301 (our own file)

    def store_response(self, spider, request, response) -> None:
        data = {
            "url": response.url,
            "status": response.status,
            "headers": dict(response.headers),
            "body": response.body,
            "protocol": response.protocol,
            "_class": f"{type(response).__module__}.{type(response).__name__}",
        }
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO responses (fingerprint, url, stored_at, data) "
                "VALUES (?, ?, ?, ?)",
                [self._key(request), request.url, time(), pickle.dumps(data, protocol=4)],
            )
        except sqlite3.Error as exc:
            logger.warning("could not store %s in the HTTP cache: %s", request.url, exc)

    def _key(self, request) -> str:
        return self._fingerprinter.fingerprint(request).hex()
