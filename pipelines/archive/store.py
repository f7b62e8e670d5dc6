"""The archive writer: pages, articles, papers, runs and failures in one SQLite file.

Every page is written in one short transaction (page row, its articles, their search index),
keyed by (paper, date, page_no) and (page_id, seq), so re-running a crawl or an import is
idempotent. A page that is already archived with status ``ok`` is never replaced by a failed
attempt: the failure is recorded in ``failures`` and the archived text stays.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from pipelines.archive import matching, permalinks, search
from pipelines.archive.schema import ATTEMPT_STAGES, ensure_schema

ARTICLE_FIELDS = ("section", "kicker", "title", "subtitle", "byline", "body")
SITE_FIELDS = ("url", "kicker", "title", "subtitle", "byline")
# Page statuses whose PDF was not extracted: nothing to compare with the site's articles.
NOT_EXTRACTED = ("pending", "no_pdf", "download_failed")
# Statuses that are no failure of their own: no_pdf is recorded by the crawl (stage page).
KEPT = ("ok", "pending")
FAILURE_STAGE = {"download_failed": "download", "no_pdf": None}


class ArchiveError(Exception):
    """The archive cannot be opened or written."""


def now() -> str:
    """UTC timestamp as stored in the archive (ISO 8601, seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def is_writable(path: str | Path) -> bool:
    """Whether ``path`` (if it exists) and its directory can be written: SQLite writes its
    -wal and -shm files beside the database. False on a read-only mount, an immutable file
    or directory, or file modes that forbid it."""
    path = Path(path).resolve()
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def reader_uri(path: str | Path) -> str:
    """A URI that reads ``path`` without writing anything: ``mode=ro`` (sees a crawler's
    writes), else ``immutable=1`` where mode=ro cannot open it (a WAL database in a directory
    that cannot be written has no -shm file, and mode=ro needs one)."""
    base = Path(path).resolve().as_uri()
    try:
        probe = sqlite3.connect(f"{base}?mode=ro", uri=True)
        try:
            probe.execute("select count(*) from sqlite_master").fetchone()
            return f"{base}?mode=ro"
        finally:
            probe.close()
    except sqlite3.Error:
        return f"{base}?immutable=1"


def check_not_empty(path: str | Path) -> None:
    """Refuse a 0-byte archive file: SQLite would take it for a new database, and the archive
    it once held (truncated by a fault or a mistake) would be silently started afresh."""
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        raise ArchiveError(
            f"{path} is empty (0 bytes), not an archive: restore it from a backup, "
            "or pass --init to start a new, empty archive there"
        )


class Archive:
    """An archive.db opened for reading and writing (schema created on first use), or for
    reading only (``readonly=True``, or ``None``: when the file cannot be written)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 30_000,
        readonly: bool | None = False,
        init: bool = False,
    ):
        self.path = Path(path)
        self._page_columns: set[str] | None = None  # read once, on the first page written
        # Articles re-indexed on opening because the index was older than this code (or None).
        self.index_rebuilt: int | None = None
        if not init:
            check_not_empty(self.path)
        writable = is_writable(self.path)
        self.readonly = not writable if readonly is None else readonly
        if self.readonly:
            self._open_reader()
            return
        if not writable:
            raise ArchiveError(
                f"archive {self.path} is read-only (file or directory cannot be written): "
                "this command writes to it"
            )
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self.db.enable_wal()
            # WAL + NORMAL: no fsync per page commit (the crawl commits on the reactor thread);
            # a power cut may lose the last pages, never corrupt the file, and the next crawl
            # fetches them again.
            self.db.execute("PRAGMA synchronous = NORMAL")
            with self._writing():
                ensure_schema(self.db)
                self.index_rebuilt = search.ensure_search_index(self.db)
                permalinks.ensure_keys(self.db)
        except Exception as exc:  # sqlite3 errors, unreadable path, not a database
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc

    def _open_reader(self) -> None:
        """Open without writing a byte: no migration, no journal-mode change."""
        if not self.path.is_file():
            raise ArchiveError(f"no archive at {self.path}")
        try:
            conn = sqlite3.connect(reader_uri(self.path), uri=True)
            self.db = sqlite_utils.Database(conn)
            missing = {"pages", "articles", "failures"} - set(self.db.table_names())
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read archive {self.path}: {exc}") from exc
        if missing:
            raise ArchiveError(f"{self.path} is not a newsarchive archive (no {min(missing)})")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction that takes the write lock first (BEGIN IMMEDIATE, waiting up
        to the busy timeout): a plain BEGIN that reads, then writes after another connection
        committed, fails at once with "database is locked" whatever the timeout (WAL's stale
        snapshot: the distributed writer commits while a crawl records a failure or opens
        the archive). Inside a transaction already, a savepoint."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # papers ---------------------------------------------------------------------------------

    def upsert_paper(self, paper: dict) -> None:
        """Record a paper's registry entry (id, name, family, base_url, …)."""
        with self._writing():
            self.db["papers"].upsert(paper, pk="id", alter=True)

    # pages ----------------------------------------------------------------------------------

    def page(self, paper: str, date: str, page_no: int) -> dict | None:
        """The stored page row, or None."""
        rows = self._rows("select * from pages where paper = ? and date = ? and page_no = ?",
                          [paper, date, page_no])
        return rows[0] if rows else None

    def _rows(self, sql: str, params: list) -> list[dict]:
        """Rows of a query as dicts (``Table.rows_where``'s, without its introspection: this
        runs twice for every page stored)."""
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def archived_pages(self, paper: str, start: str, end: str) -> set[tuple[str, int]]:
        """(date, page_no) of pages archived between start and end: status ok, or pending
        (PDF stored, extraction left to ``newsarchive reextract``)."""
        rows = self.db.execute(
            "select date, page_no from pages where paper = ? and date between ? and ? "
            "and status in ('ok', 'pending')",
            [paper, start, end],
        ).fetchall()
        return {(d, n) for d, n in rows}

    def failed_attempts(self, paper: str, start: str, end: str) -> dict[tuple[str, int], int]:
        """How often each page not archived yet failed to download or extract."""
        rows = self.db.execute(
            "select f.date, f.page_no, count(*) from failures f "
            f"where f.paper = ? and f.date between ? and ? and f.stage in {ATTEMPT_STAGES} "
            "and not exists (select 1 from pages p where p.paper = f.paper and p.date = f.date "
            "and p.page_no = f.page_no and p.status = 'ok') group by f.date, f.page_no",
            [paper, start, end],
        ).fetchall()
        return {(d, n): count for d, n, count in rows}

    def pages_missing_articles(
        self, paper: str, start: str, end: str, max_attempts: int
    ) -> dict[tuple[str, int], set[str]]:
        """(date, page_no) -> URLs of the article pages that failed (fewer than
        ``max_attempts`` times) on pages archived since, and are not stored: a later crawl
        fetches them again."""
        rows = self.db.execute(
            "select f.date, f.page_no, f.url from failures f join pages p on p.paper = f.paper "
            "and p.date = f.date and p.page_no = f.page_no "
            "where f.paper = ? and f.date between ? and ? and f.stage = 'article' "
            "and p.status in ('ok', 'pending') and not exists (select 1 from site_articles s "
            "where s.page_id = p.id and s.url = f.url) "
            "group by f.date, f.page_no, f.url having count(*) < ?",
            [paper, start, end, max_attempts],
        ).fetchall()
        missing: dict[tuple[str, int], set[str]] = {}
        for day, page_no, url in rows:
            missing.setdefault((day, page_no), set()).add(url)
        return missing

    def add_site_articles(self, paper: str, date: str, page_no: int, sites: list[dict]) -> None:
        """Store site articles fetched for a page archived before (its PDF articles stay),
        and combine them with its PDF's articles again."""
        with self._writing():
            page = self.page(paper, date, page_no)
            if page is None:
                return
            self._save_site_articles(page["id"], page, sites)
            self._combine(page["id"], page, self._pdf_articles(page["id"]))

    def _pdf_articles(self, page_id: int) -> list[dict]:
        """The PDF's own articles of a stored page, in reading order (from its rows)."""
        out = []
        for row in self.db["articles"].rows_where("page_id = ?", [page_id], order_by="seq"):
            if row["pdf_text"]:
                out.append(json.loads(row["pdf_text"]))
            elif row["source"] != matching.SOURCE_HTML:
                out.append({**{f: row[f] for f in ARTICLE_FIELDS},
                            "captions": json.loads(row["captions"] or "[]"),
                            "bbox": json.loads(row["bbox"]) if row["bbox"] else None})
        return out

    def _combine(self, page_id: int, page: dict, articles: list[dict]) -> None:
        """Write the page's articles: its PDF's and its site's, combined."""
        size = page.get("width"), page.get("height")
        sites = self._site_articles(page_id, size if all(size) else None)
        rows = matching.combine(articles, sites, compare=page.get("status") not in NOT_EXTRACTED)
        self._replace_articles(page_id, page, rows)

    def save_page(
        self,
        page: dict,
        articles: Iterable[dict] = (),
        *,
        site_articles: Iterable[dict] | None = None,
        run_id: int | None = None,
        stage: str | None = None,
    ) -> int:
        """Store one page and its articles atomically; return the page id.

        ``page`` has at least paper, date, page_no and status; ``articles`` are the PDF's.
        ``site_articles`` (url, kicker, title, subtitle, byline, paragraphs, captions,
        hotspot) are the site's article pages fetched this time: they replace the stored ones
        of the same URL, and the others stay. The page's articles are then both sources
        combined (``matching.combine``). A status other than ``ok``, ``pending`` or
        ``no_pdf`` is also recorded in ``failures``. When the page is already archived with
        status ok, a failed attempt replaces nothing, and neither does a ``pending`` one (PDF
        stored, not extracted) of the same PDF: the archived id is returned. ``stage``
        overrides the failure's stage (default: download or extract, by status).
        """
        with self._writing():
            return self._save_page(page, list(articles), site_articles, run_id, stage)

    def _save_page(self, page: dict, articles: list[dict],
                   site_articles: Iterable[dict] | None = None, run_id: int | None = None,
                   stage: str | None = None) -> int:
        """``save_page`` inside the caller's transaction."""
        status = page.get("status")
        existing = self.page(page["paper"], page["date"], page["page_no"])
        default = FAILURE_STAGE.get(status, "extract")
        if status not in KEPT and default:
            stage = stage or default
            reason = page.get("reason") or status or "failed"
            self._failure(page, stage=stage, reason=reason, run_id=run_id)
        if existing and existing["status"] == "ok" and status != "ok":
            if status != "pending" or page.get("sha256") == existing["sha256"]:
                return existing["id"]
        row = {k: _column_value(v) for k, v in page.items()}
        if existing:
            page_id = existing["id"]
            if existing["sha256"] and row.get("sha256") not in (None, existing["sha256"]):
                self._keep_version(existing)
            self._write_page(row, page_id)
        else:
            page_id = self._write_page(row)
        if site_articles is not None:
            self._save_site_articles(page_id, page, list(site_articles))
        sized = page if page.get("width") or not existing else {**page, **{
            k: existing.get(k) for k in ("width", "height")}}
        self._combine(page_id, sized, articles)
        return page_id

    def _write_page(self, row: dict, page_id: int | None = None) -> int:
        """Update page ``page_id`` with ``row``, or insert it (None); return its id.

        Plain UPDATE/INSERT when every column exists: ``Table.update``/``insert`` with
        ``alter`` read the table's schema on every call, which cost more than the write; a
        row with a column the table lacks goes through them, which add it."""
        if self._page_columns is None:
            self._page_columns = set(self.db["pages"].columns_dict)
        if not self._page_columns.issuperset(row):
            self._page_columns = None
            table = self.db["pages"]
            if page_id is None:
                return table.insert(row, alter=True).last_pk
            table.update(page_id, row, alter=True)
            return page_id
        columns = list(row)
        values = [jsonify_if_needed(row[c]) for c in columns]
        if page_id is None:
            cursor = self.db.execute(
                f"insert into pages ({', '.join(f'[{c}]' for c in columns)}) "
                f"values ({', '.join('?' * len(columns))})",
                values,
            )
            return cursor.lastrowid
        self.db.execute(
            f"update pages set {', '.join(f'[{c}] = ?' for c in columns)} where id = ?",
            [*values, page_id],
        )
        return page_id

    def _save_site_articles(self, page_id: int, page: dict, sites: list[dict]) -> None:
        """Store the site articles fetched now, keyed by (page, URL); keep the others."""
        table = self.db["site_articles"]
        known = {r["url"]: r for r in table.rows_where("page_id = ?", [page_id])}
        next_seq = max((r["seq"] for r in known.values()), default=0) + 1
        for site in sites:
            row = {
                "page_id": page_id,
                "paper": page["paper"],
                "date": page["date"],
                "page_no": page["page_no"],
                **{f: site.get(f) for f in SITE_FIELDS},
                "paragraphs": _column_value(list(site.get("paragraphs") or [])),
                "captions": _column_value(list(site.get("captions") or [])),
                "hotspot": _column_value(site["hotspot"]) if site.get("hotspot") else None,
                "fetched_at": site.get("fetched_at") or now(),
            }
            old = known.get(site["url"])
            if old:
                table.update(old["id"], row)
            else:
                table.insert({**row, "seq": next_seq})
                next_seq += 1

    def _site_articles(self, page_id: int, page_size) -> list[dict]:
        """The page's stored site articles in their order, their regions (re)mapped into the
        PDF's points (the size of the page's PDF may be known only now)."""
        rows = list(self.db["site_articles"].rows_where("page_id = ?", [page_id], order_by="seq"))
        for row in rows:
            hotspot = json.loads(row["hotspot"]) if row["hotspot"] else None
            polygons, bbox = matching.region(hotspot, page_size)
            if _column_value(bbox) != row["bbox"] or _column_value(polygons) != row["polygon"]:
                self.db["site_articles"].update(
                    row["id"], {"polygon": _column_value(polygons), "bbox": _column_value(bbox)}
                )
            row["polygon"], row["bbox"] = polygons, bbox
        return rows

    def save_job_result(
        self, job: dict, page: dict, articles: Iterable[dict] = ()
    ) -> int | None:
        """Store a distributed job's page (as ``save_page``) and the job's row in one
        transaction; None, storing nothing, when a job of that id was stored before."""
        with self._writing():
            return self._save_job_result(job, page, list(articles))

    def save_job_results(
        self, results: Iterable[tuple[dict, dict, Iterable[dict]]]
    ) -> list[int | None]:
        """``save_job_result`` of many ``(job, page, articles)`` in one transaction: all are
        stored or, if one fails, none. No savepoint a page: the search index (FTS5) writes
        its pending entries out at every savepoint, which costs more than the page itself;
        one commit writes them once for the batch."""
        with self._writing():
            return [self._save_job_result(job, page, list(articles))
                    for job, page, articles in results]

    def _save_job_result(self, job: dict, page: dict, articles: list[dict]) -> int | None:
        seen = self.db.execute("select 1 from distributed_jobs where id = ?", [job["id"]])
        if seen.fetchone():
            return None
        page = dict(page)
        sites = page.pop("site_articles", None)  # fetched by the crawl that made the job
        page_id = self._save_page(page, articles, site_articles=sites)
        row = {**job, "page_id": page_id, "applied_at": now()}
        self.db.execute(
            f"insert into distributed_jobs ({', '.join(row)}) "
            f"values ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        return page_id

    def _keep_version(self, page: dict) -> None:
        """Remember the PDF a page had before a changed one replaced it (its file stays)."""
        self.db["page_versions"].insert(
            {
                "page_id": page["id"],
                **{k: page[k] for k in ("sha256", "pdf_path", "pdf_url", "size", "fetched_at")},
                "replaced_at": now(),
            }
        )

    def _replace_articles(self, page_id: int, page: dict, articles: list[dict]) -> None:
        """Replace a page's articles; an article whose text is unchanged keeps its id.

        New articles take, in order: the id of an old article with the same text, else the id
        of the old article in the same position whose text changed, else a new id. Links to
        an article stay valid across re-extraction as long as its text does.
        """
        old = self._rows("select * from articles where page_id = ? order by seq", [page_id])
        rows = [self._article_row(page_id, page, seq, a) for seq, a in enumerate(articles, 1)]
        permalinks.assign_keys(rows)
        permalinks.record_aliases(self.db, permalinks.successors(old, rows))
        by_text: dict[tuple, list[dict]] = {}
        for r in old:
            by_text.setdefault(_text_key(r), []).append(r)
        unused = {r["id"]: r for r in old}
        unchanged: set[int] = set()
        for row in rows:
            same = by_text.get(_text_key(row))
            if same:
                row["id"] = same.pop(0)["id"]
                del unused[row["id"]]
                unchanged.add(row["id"])
        for row in rows:
            if "id" not in row:
                slot = next((r for r in old if r["seq"] == row["seq"] and r["id"] in unused), None)
                if slot:
                    row["id"] = slot["id"]
                    del unused[slot["id"]]
        next_id = (self.db.execute("select max(id) from articles").fetchone()[0] or 0) + 1
        for row in rows:  # new articles get their ids now: the search key includes it
            if "id" not in row:
                row["id"], next_id = next_id, next_id + 1
            row["date_key"] = search.date_key(row["date"], row["id"])
        search.unindex_articles(
            self.db, [(r["date_key"], r) for r in old if r["id"] not in unchanged])
        self.db.execute("delete from articles where page_id = ?", [page_id])
        if rows:
            # A plain INSERT: the table and its columns exist (ensure_schema), and
            # Table.insert's introspection and savepoints cost more than the rows themselves.
            columns = list(rows[0])
            self.db.conn.executemany(
                f"insert into articles ({', '.join(f'[{c}]' for c in columns)}) "
                f"values ({', '.join('?' * len(columns))})",
                [[row[c] for c in columns] for row in rows],
            )
        search.index_articles(
            self.db, [(r["date_key"], r) for r in rows if r["id"] not in unchanged])

    @staticmethod
    def _article_row(page_id: int, page: dict, seq: int, article: dict) -> dict:
        return {
            "page_id": page_id,
            "seq": seq,
            "paper": page["paper"],
            "date": page["date"],
            "page_no": page["page_no"],
            **{f: article.get(f) for f in ARTICLE_FIELDS},
            "captions": json.dumps(article.get("captions") or [], ensure_ascii=False),
            "bbox": json.dumps(article.get("bbox")) if article.get("bbox") else None,
            "source": article.get("source") or matching.SOURCE_PDF,
            **{f: article.get(f) for f in ("url", "match", "cer_edits", "cer_chars", "cer")},
            "pdf_text": _column_value(article["pdf_text"]) if article.get("pdf_text") else None,
        }

    # agreement with the site's text ---------------------------------------------------------

    def agreement(self, page_ids: Iterable[int] | None = None) -> dict:
        """Totals of the ``extraction_quality`` view (over ``page_ids``, or every page): pages,
        matched, missing and extra articles, edits, characters and their CER."""
        where, params = "", []
        if page_ids is not None:  # any number of them: one JSON parameter
            where = "where page_id in (select value from json_each(?))"
            params = [json.dumps(list(page_ids))]
        row = self.db.execute(
            "select count(*), sum(matched), sum(missing), sum(extra), sum(edits), sum(chars) "
            f"from extraction_quality {where}",
            params,
        ).fetchone()
        keys = ("pages", "matched", "missing", "extra", "edits", "chars")
        totals = {k: v or 0 for k, v in zip(keys, row, strict=True)}
        totals["cer"] = round(totals["edits"] / totals["chars"], 4) if totals["chars"] else None
        return totals

    # failures and runs ----------------------------------------------------------------------

    def record_failure(
        self,
        *,
        paper: str,
        stage: str,
        reason: str,
        date: str | None = None,
        page_no: int | None = None,
        url: str | None = None,
        run_id: int | None = None,
    ) -> None:
        """Record why a date or page could not be archived."""
        with self._writing():
            self._failure(
                {"paper": paper, "date": date, "page_no": page_no, "pdf_url": url},
                stage=stage,
                reason=reason,
                run_id=run_id,
            )

    def _failure(self, page: dict, *, stage: str, reason: str, run_id: int | None = None):
        self.db["failures"].insert(
            {
                "run_id": run_id if run_id is not None else page.get("run_id"),
                "paper": page.get("paper"),
                "date": page.get("date"),
                "page_no": page.get("page_no"),
                "url": page.get("pdf_url") or page.get("page_url"),
                "stage": stage,
                "reason": reason,
                "occurred_at": now(),
            }
        )

    def start_run(self, paper: str, args: dict) -> int:
        """Open a crawl_runs row; return its id."""
        with self._writing():
            table = self.db["crawl_runs"]
            table.insert(
                {
                    "paper": paper,
                    "started_at": now(),
                    "args": json.dumps(args, ensure_ascii=False, default=str),
                    "status": "running",
                }
            )
            return table.last_pk

    def mark_interrupted_runs(self, paper: str) -> int:
        """Close runs of ``paper`` left 'running' by a killed crawl (call under its lock)."""
        with self._writing():
            cursor = self.db.execute(
                "update crawl_runs set status = 'interrupted' "
                "where paper = ? and status = 'running'",
                [paper],
            )
            return cursor.rowcount

    def finish_run(self, run_id: int, **fields) -> None:
        """Close a crawl_runs row with its figures (pages_new, pages_failed, stats, …)."""
        fields = {k: _column_value(v) for k, v in fields.items()}
        with self._writing():
            self.db["crawl_runs"].update(run_id, {"finished_at": now(), **fields})


def _text_key(row: dict) -> tuple:
    """What makes two versions of an article the same text (and the same search entry)."""
    return tuple(row.get(c) for c in ("kicker", "subtitle", *search.COLUMNS))


def _column_value(value):
    """SQLite-storable form of a value: lists and dicts become JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
