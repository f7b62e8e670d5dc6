"""Scrapy settings: polite defaults for small regional hosts, pipelines wired by priority.

Paths can be moved with environment variables (NEWSARCHIVE_DB, NEWSARCHIVE_FILES) or with
``-s ARCHIVE_DB=…`` / ``-s FILES_STORE=…``; the CLI sets them from its options.
"""

import os

import pipelines.sandbox as sandbox
from crawler import __version__

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identity and politeness: one small regional host must never notice us.
USER_AGENT = f"newsarchive/{__version__} (+https://github.com/newsarchive/newsarchive; archive bot)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 3.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False

# Robustness.
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3  # default RETRY_HTTP_CODES already include 408, 429 and 5xx
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
DOWNLOAD_WARNSIZE = 30 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True  # a truncated body is retried, never stored
HTTPERROR_ALLOWED_CODES = [403, 404]  # "no issue that day" is an answer, not an error
MEMUSAGE_ENABLED = True
MEMUSAGE_WARNING_MB = 1536

# Scrapy starts this many asyncio tasks for the output of every response, however little it
# yields (the default 100 cost about 1 ms of reactor CPU a response); ours yield one item, or
# an edition's page requests and its first page: 16 keeps every item of an edition in flight.
CONCURRENT_ITEMS = 16

# Scrapy stops taking new responses while those whose items are still in the pipelines add up
# to this many bytes (default 5 MB, each response counted as at least 1 KB). Every page item
# waits for its PDF and an extraction worker, holding ~70 KB in the crawler meanwhile; page
# HTML is 1-50 KB, so the default let in thousands of pages whenever downloads outran
# extraction, and the crawler's RSS grew with the crawl's length (bench/memory.py: +68 MB over
# 4,000 pages). 256 KB admits 5-250 pages: still more than the downloads and workers need.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 256 * 1024

# Page PDFs, extraction, archive.
ITEM_PIPELINES = {
    "pipelines.files.PdfFilesPipeline": 100,
    "pipelines.extraction.ExtractPipeline": 300,
    "pipelines.storage.ArchivePipeline": 800,
}
# `newsarchive backfill --distributed`: pages become jobs for `newsarchive worker`s on Redis.
DISTRIBUTED_REDIS = os.environ.get("NEWSARCHIVE_REDIS")  # redis://HOST:6379/0
DISTRIBUTED_PIPELINES = {"pipelines.distributed.enqueue.EnqueuePipeline": 100}
DISTRIBUTED_HOST_RATE = 1  # page PDFs a second per host, over all workers (0: no limit)
# Workers write downloaded PDFs to the files store mounted on their host (newsarchive worker
# --shared-files) instead of sending them with their result.
DISTRIBUTED_SHARED_FILES = False
FILES_STORE = os.environ.get("NEWSARCHIVE_FILES", "files")
FILES_EXPIRES = 3650
MEDIA_ALLOW_REDIRECTS = True
ARCHIVE_DB = os.environ.get("NEWSARCHIVE_DB", "archive.db")
EXTRACT_SOURCE = "pypdfium2"  # or "pdfplumber"
EXTRACT_WORKERS = 0  # 0: one per core, at most 4
EXTRACT_MAX_TASKS_PER_CHILD = 200  # recycle workers: PDF libraries keep memory
EXTRACT_TIMEOUT = sandbox.TIMEOUT_S  # seconds per PDF before the page is recorded as failed
# Address space of an extraction worker (RLIMIT_AS): a PDF that needs more is recorded as
# failed with that reason, and the worker is replaced.
EXTRACT_MEMORY_LIMIT_MB = sandbox.MEMORY_LIMIT_MB
# Headings of scanned pages (an OCR text layer over a scan) are read again from the scan with
# Tesseract when it is installed: better headlines, but 3-11 s a page instead of under 0.5 s.
# A long backfill of scans may turn it off, and later run `newsarchive reextract --paper P`.
EXTRACT_REREAD_SCANS = True
# Workers run this many steps nicer than the crawler: when extraction and the reactor thread
# want the same core, downloads, parsing and archive writes go first (extraction catches up
# while the crawl waits on the network) instead of queueing behind a worker for a CPU.
EXTRACT_NICE = 10  # 0: workers at the crawler's priority

# Operations.
LOG_LEVEL = "INFO"
STATS_DUMP = True
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 starts a code-execution server by default
EXTENSIONS = {"crawler.extensions.RunRecorder": 500}
FEED_EXPORT_ENCODING = "utf-8"

# The site's own article pages (Founder families): each page's article pages and, when the
# page's HTML does not say its size, the first bytes of the page image are fetched too, so
# the archive has the publisher's text and each article's region. 0 turns it off.
FETCH_ARTICLE_PAGES = True

# Incremental crawls: a page that failed this often is left alone (see `newsarchive status`);
# this many dates in a row without an edition mean the site's archive ends there.
PAGE_MAX_ATTEMPTS = 5
EDITION_MISSING_DAYS_LIMIT = 31
EDITION_LOOKAHEAD = 4  # editions requested ahead of the oldest answered one
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
}
RETRY_AFTER_MAX = 300.0  # seconds; a host asking for longer gets no retry in this run

# Conditional requests for edition and page HTML visited again (PDFs are never cached).
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.httpcache.IndexPagesPolicy"
HTTPCACHE_STORAGE = "crawler.httpcache.SqliteCacheStorage"  # one file, not 7 files a response
HTTPCACHE_DIR = os.environ.get("NEWSARCHIVE_HTTPCACHE", "httpcache")  # the runner puts it by the db
