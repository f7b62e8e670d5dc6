"""Build and run the Datasette server for an archive (``newsarchive serve``)."""

from __future__ import annotations

import asyncio
import os
import signal
import traceback
from pathlib import Path

import uvicorn
from datasette.app import Datasette
from datasette.database import Database

from pipelines.archive.store import check_not_empty, reader_uri
from publish import hits, pages
from publish.metadata import build_metadata

DATABASE = "archive"  # URL name of the archive, whatever its file is called
TEMPLATES = Path(__file__).parent / "templates"
SETTINGS = {
    "suggest_facets": False,  # costly on a large archive; facets are configured instead
    "truncate_cells_html": 300,
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    # A query can hold a thread up to sql_time_limit_ms: with Datasette's 3, three slow
    # requests from anyone made every search wait for them (bench/adversarial.py).
    "num_sql_threads": 6,
}

SHUTDOWN_GRACE_S = 10


class ArchiveDatabase(Database):
    """Datasette's Database, whose failed queries leave their cursors in the thread that ran
    them. A failed statement stays open in its cursor, which the exception's frames carry to
    the event loop; finalising it there waits for the connection, by then busy with the
    thread's next query, and holds the GIL meanwhile: every request stalled until that query
    ended (bench/adversarial.py). So the frames are cleared where the query ran."""

    async def execute_fn(self, fn):
        def in_this_thread(conn):
            try:
                return fn(conn)
            except BaseException as exc:
                traceback.clear_frames(exc.__traceback__)
                raise

        return await super().execute_fn(in_this_thread)


def default_files_dir(db_path: str | Path) -> Path:
    """Where the crawler keeps PDFs by default: $NEWSARCHIVE_FILES, else files/ next to
    the database."""
    return Path(os.environ.get("NEWSARCHIVE_FILES") or Path(db_path).parent / "files")


def default_cache_dir(db_path: str | Path) -> Path:
    """Where rendered page images are kept: $NEWSARCHIVE_CACHE, else cache/page-images next
    to the database (derived files only: deleting it costs renders, never data)."""
    return Path(os.environ.get("NEWSARCHIVE_CACHE") or Path(db_path).parent / "cache"
                / "page-images")


def build_datasette(
    db_path: str | Path, *, files_dir: str | Path | None = None, settings: dict | None = None,
    cache_dir: str | Path | None = None,
) -> Datasette:
    """A Datasette serving ``db_path`` as /archive with the project's metadata, plugin
    (loaded through its entry point) and templates. The database is read with mode=ro, so
    the crawler may write while it is served; where mode=ro cannot open it (a directory that
    cannot be written) it is served as immutable. Raises ArchiveError for a 0-byte file."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no archive at {db_path}")
    check_not_empty(db_path)
    mutable = reader_uri(db_path).endswith("mode=ro")
    files_dir = Path(files_dir) if files_dir else default_files_dir(db_path)
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(db_path)
    ds = Datasette(
        [],
        metadata=build_metadata(db_path, DATABASE),
        template_dir=str(TEMPLATES),
        settings={**SETTINGS, **(settings or {})},
    )
    pages.set_dirs(ds, files=files_dir.resolve(), image_cache=cache_dir.resolve())
    ds.remove_database("_memory")
    ds.add_database(ArchiveDatabase(ds, path=str(db_path), is_mutable=mutable), name=DATABASE)
    return ds


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    files_dir: str | Path | None = None,
) -> None:
    """Serve the archive until interrupted (SIGINT or SIGTERM), as ``datasette serve`` does;
    then remove the search hit lists' scratch file. Requests still running get
    SHUTDOWN_GRACE_S to finish (their queries end at sql_time_limit_ms anyway)."""
    ds = build_datasette(db_path, files_dir=files_dir)
    asyncio.run(ds.invoke_startup())
    # uvicorn shuts down on SIGTERM, then sends it again to the handler it found: by default
    # that kills the process at once, and nothing (finally, atexit) would clean up.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on", workers=1,
                    timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
    finally:
        hits.STORE.remove()


def _exit_on_signal(signum: int, frame) -> None:
    """SIGTERM after uvicorn's graceful shutdown: exit 143 (128 + 15) through ``finally``."""
    raise SystemExit(128 + signum)
