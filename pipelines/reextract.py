"""Re-run extraction over stored PDFs, without crawling again (``newsarchive reextract``).

Pages are extracted in a process pool (both cores) and each result replaces that page's
articles in one transaction; unchanged articles keep their ids. A page that was ok and now
fails keeps its articles (the failure is recorded). The archive is written from this process
only, so there is one writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pipelines.archive import Archive
from pipelines.extraction import (
    articles_of,
    default_workers,
    extract_file,
    extraction_fields,
    failed_extraction,
)
from pipelines.sandbox import MAX_TASKS, MEMORY_LIMIT_MB, TIMEOUT_S, new_pool


def version_tuple(version: str | None) -> tuple[int, ...]:
    """ "0.10.1" -> (0, 10, 1); a missing or odd version sorts first."""
    try:
        return tuple(int(part) for part in (version or "").split("."))
    except ValueError:
        return ()


def select_pages(
    archive: Archive,
    *,
    paper: str | None = None,
    since: str | None = None,
    failed_only: bool = False,
    older_than: str | None = None,
) -> list[dict]:
    """The stored pages to re-extract (those with a PDF on disk)."""
    where, params = ["pdf_path is not null"], []
    if paper:
        where.append("paper = ?")
        params.append(paper)
    if since:
        where.append("date >= ?")
        params.append(since)
    if failed_only:
        where.append("status != 'ok'")
    pages = list(archive.db["pages"].rows_where(" and ".join(where), params, order_by="id"))
    if older_than:
        limit = version_tuple(older_than)
        pages = [p for p in pages if version_tuple(p["extractor_version"]) < limit]
    return pages


def reextract(
    archive: Archive,
    files_store: str | Path,
    pages: list[dict],
    *,
    source: str = "pypdfium2",
    workers: int = 0,
    timeout: float = TIMEOUT_S,
    memory_mb: int = MEMORY_LIMIT_MB,
    advance: Callable[[dict, str], None] | None = None,
) -> dict[str, int]:
    """Extract ``pages`` again (each in a worker limited to ``timeout`` s and ``memory_mb``);
    return how many ended in each status."""
    counts: dict[str, int] = {}
    workers = workers or default_workers()
    for page, doc in _extracted(files_store, pages, source, workers, timeout, memory_mb):
        fields = extraction_fields(doc, source)
        archive.save_page({**page, **fields}, articles_of(doc))
        counts[fields["status"]] = counts.get(fields["status"], 0) + 1
        if advance:
            advance(page, fields["status"])
    return counts


def agreement_change(before: dict, after: dict) -> str | None:
    """How the re-extracted pages' agreement with the site's own text changed (pages with
    site articles only), e.g. "CER 4.10% -> 0.52%, matched 10 -> 12, missing 3 -> 1, extra
    2 -> 0"; None when no page has site articles."""
    if not before["pages"] and not after["pages"]:
        return None

    def percent(cer: float | None) -> str:
        return "n/a" if cer is None else f"{cer:.2%}"

    parts = [f"CER {percent(before['cer'])} -> {percent(after['cer'])}"]
    parts += [f"{key} {before[key]} -> {after[key]}" for key in ("matched", "missing", "extra")]
    return f"agreement with the site's text on {after['pages']} pages: " + ", ".join(parts)


def _extracted(files_store, pages, source, workers, timeout, memory_mb
               ) -> Iterator[tuple[dict, dict]]:
    """(page, document) in page order, extracted by a pool with a bounded queue."""
    pool = new_pool(workers, MAX_TASKS, memory_mb=memory_mb)
    try:
        window = workers * 4  # enough queued work to keep the workers busy, not the whole list
        pending: list[tuple[dict, object]] = []
        for page in pages:
            path = str(Path(files_store) / page["pdf_path"])
            pending.append((page, pool.schedule(extract_file, (path, source), timeout=timeout)))
            if len(pending) >= window:
                yield _result(*pending.pop(0), timeout, memory_mb)
        for item in pending:
            yield _result(*item, timeout, memory_mb)
    finally:
        pool.close()
        pool.join()


def _result(page: dict, future, timeout: float, memory_mb: int) -> tuple[dict, dict]:
    try:
        return page, future.result()
    except Exception as exc:  # over a limit, a worker that died, a bug in the engine
        return page, failed_extraction(exc, timeout, memory_mb)
