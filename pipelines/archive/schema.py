"""Table definitions of archive.db.

Every table is created through sqlite-utils so that Datasette and stock sqlite3 read it as is.
Columns are added, never dropped: an old archive.db opened by a newer version gains the new
columns (``ensure_schema`` is idempotent).
"""

from __future__ import annotations

import sqlite_utils

# Stages of a failure that count as one of the page's attempts (up to PAGE_MAX_ATTEMPTS);
# HOST_STAGE, a fault of our own host (full disk, read-only files store, no worker process
# could be started), never does.
ATTEMPT_STAGES = ("download", "extract")
HOST_STAGE = "host"

TABLES: dict[str, dict] = {
    "papers": {
        "columns": {
            "id": str,
            "name": str,
            "family": str,
            "base_url": str,
            "first_date": str,
            "encoding": str,
            "description": str,
            "homepage": str,
        },
        "pk": "id",
    },
    "pages": {
        "columns": {
            "id": int,
            "paper": str,
            "date": str,
            "page_no": int,
            "page_label": str,
            "page_name": str,
            "page_url": str,
            "pdf_url": str,
            "pdf_path": str,
            "sha256": str,
            "size": int,
            "http_status": int,
            "fetched_at": str,
            "extractor": str,
            "extractor_version": str,
            "status": str,
            "reason": str,
            "header": str,
            "hints": str,
            "width": float,  # the PDF page's size in points: hot-spot pixels map onto it
            "height": float,
        },
        "pk": "id",
        "foreign_keys": [("paper", "papers", "id")],
        "unique": ["paper", "date", "page_no"],
    },
    "articles": {
        "columns": {
            "id": int,
            "page_id": int,
            "seq": int,
            "paper": str,
            "date": str,
            "page_no": int,
            "section": str,  # the section head an article stands under (【一周要闻】)
            "kicker": str,
            "title": str,
            "subtitle": str,
            "byline": str,
            "body": str,
            "captions": str,
            "bbox": str,
            "date_key": int,  # the search index's key: pipelines.archive.search.date_key
            "key": str,  # the permalink: pipelines.archive.permalinks.article_key
            # Where the text shown comes from (pipelines.archive.matching): "pdf", or "html"
            # (the site's article page at url); pdf_text keeps the matched PDF article's own
            # text (JSON); match, cer_edits, cer_chars, cer: how the two agree.
            "source": str,
            "url": str,
            "pdf_text": str,
            "match": str,
            "cer_edits": int,
            "cer_chars": int,
            "cer": float,
        },
        "pk": "id",
        "foreign_keys": [("page_id", "pages", "id"), ("paper", "papers", "id")],
        "unique": ["page_id", "seq"],
    },
    # The site's own article pages, as fetched (a later failed fetch replaces nothing).
    "site_articles": {
        "columns": {
            "id": int,
            "page_id": int,
            "seq": int,
            "paper": str,
            "date": str,
            "page_no": int,
            "url": str,
            "kicker": str,
            "title": str,
            "subtitle": str,
            "byline": str,
            "paragraphs": str,  # JSON list
            "captions": str,  # JSON list
            "hotspot": str,  # JSON {"image": [w, h], "polygons": [[[x, y], …]]}, pixels
            "polygon": str,  # JSON: the hot-spot's polygons in PDF points, top-left origin
            "bbox": str,  # JSON [x0, top, x1, bottom] in PDF points
            "fetched_at": str,
        },
        "pk": "id",
        "foreign_keys": [("page_id", "pages", "id")],
        "unique": ["page_id", "url"],
    },
    "page_versions": {
        "columns": {
            "id": int,
            "page_id": int,
            "sha256": str,
            "pdf_path": str,
            "pdf_url": str,
            "size": int,
            "fetched_at": str,
            "replaced_at": str,
        },
        "pk": "id",
        "foreign_keys": [("page_id", "pages", "id")],
    },
    "crawl_runs": {
        "columns": {
            "id": int,
            "paper": str,
            "started_at": str,
            "finished_at": str,
            "args": str,
            "pages_new": int,
            "pages_skipped": int,
            "pages_failed": int,
            "pages_given_up": int,  # pages left alone: PAGE_MAX_ATTEMPTS failed attempts
            "bytes": int,
            "duration": float,
            "status": str,
            "log_file": str,
            "stats": str,
        },
        "pk": "id",
    },
    # One row per job of a distributed run that was stored (pipelines/distributed): which
    # worker extracted the page, and the guard that stores a result delivered twice once.
    "distributed_jobs": {
        "columns": {
            "id": str,  # run/paper/date/page_no
            "run": str,
            "kind": str,  # fetch | reextract
            "page_id": int,
            "worker": str,
            "seconds": float,
            "applied_at": str,
        },
        "pk": "id",
    },
    "failures": {
        "columns": {
            "id": int,
            "run_id": int,
            "paper": str,
            "date": str,
            "page_no": int,
            "url": str,
            "stage": str,
            "reason": str,
            "occurred_at": str,
        },
        "pk": "id",
    },
}

# Views: plain SQL, so `newsarchive status` and Datasette show the same figures.
VIEWS = {
    "paper_coverage": """
select p.paper,
       min(p.date) as first_date,
       max(p.date) as last_date,
       count(distinct p.date) as dates,
       sum(p.status = 'ok') as pages_ok,
       sum(p.status != 'ok') as pages_failed,
       (select count(*) from articles a where a.paper = p.paper) as articles
from pages p group by p.paper""",
    # Dates between a paper's first and last archived edition that have no ok page.
    "coverage_gaps": """
with recursive span(paper, day, last) as (
  select paper, min(date), max(date) from pages where status = 'ok' group by paper
  union all
  select paper, date(day, '+1 day'), last from span where day < last
)
select paper, day as date from span
where not exists (
  select 1 from pages p where p.paper = span.paper and p.date = span.day and p.status = 'ok'
)""",
    # Per page with site articles and an extracted PDF: how our extraction agrees with the
    # publisher's text (CER over the matched pairs), worst first.
    "extraction_quality": """
select p.id as page_id, p.paper, p.date, p.page_no, p.page_name, p.status,
       p.extractor_version,
       sum(a.match = 'matched') as matched,
       sum(a.match = 'missing') as missing,
       sum(a.match = 'extra') as extra,
       sum(a.cer_edits) as edits,
       sum(a.cer_chars) as chars,
       round(cast(sum(a.cer_edits) as real) / nullif(sum(a.cer_chars), 0), 4) as cer
from pages p join articles a on a.page_id = p.id
where a.match is not null
group by p.id
order by cer is null desc, cer desc, missing + extra desc, p.date desc, p.page_no""",
    # Pages not archived (no ok or pending row) with their failed attempts: those at
    # PAGE_MAX_ATTEMPTS are given up by the crawl (`newsarchive status` lists them).
    "page_attempts": f"""
select f.paper, f.date, f.page_no, count(*) as attempts, max(f.occurred_at) as last_seen,
       (select l.reason from failures l where l.paper = f.paper and l.date = f.date
        and l.page_no = f.page_no order by l.id desc limit 1) as last_reason
from failures f
where f.stage in {ATTEMPT_STAGES} and f.page_no is not null
  and not exists (select 1 from pages p where p.paper = f.paper and p.date = f.date
                  and p.page_no = f.page_no and p.status in ('ok', 'pending'))
group by f.paper, f.date, f.page_no""",
    "failure_reasons": """
select paper, stage, reason, count(*) as failures, min(date) as first_date,
       max(date) as last_date, max(occurred_at) as last_seen
from failures group by paper, stage, reason""",
}

INDEXES = [
    ("articles", ["paper", "date"]),
    ("pages", ["date"]),
    ("failures", ["paper", "date"]),
]


# The value rows stored before a column existed get when it is added (SQL).
FILLS = {("articles", "source"): "'pdf'"}  # every article was the PDF's before issue 13


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns and indexes; leave existing data alone."""
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys"))
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, col_type in missing.items():
                table.add_column(column, col_type)
                if (name, column) in FILLS:
                    db.execute(f"update [{name}] set [{column}] = {FILLS[name, column]}")
        if "unique" in spec:
            table.create_index(spec["unique"], unique=True, if_not_exists=True)
    for name, columns in INDEXES:
        db[name].create_index(columns, if_not_exists=True)
    for name, sql in VIEWS.items():
        if name not in db.view_names() or sql.strip() not in db[name].schema:
            db.create_view(name, sql.strip(), replace=True)
    forget_local_paths(db)


# Columns where older versions recorded the importer's file:// URLs.
LOCAL_URL_COLUMNS = [("pages", "page_url"), ("pages", "pdf_url"), ("failures", "url")]


def forget_local_paths(db: sqlite_utils.Database) -> None:
    """Drop file:// URLs that ``newsarchive import`` once recorded: they name the importer's
    disk and the archive is published (the PDF itself stays, found by its sha256)."""
    for table, column in LOCAL_URL_COLUMNS:
        db.execute(f"update [{table}] set [{column}] = null where [{column}] like 'file:%'")
