"""Build and run the Datasette server for an archive (``newsarchive serve``)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import uvicorn
from datasette.app import Datasette
from datasette.database import Database

from publish.metadata import build_metadata

DATABASE = "archive"  # URL name of the archive, whatever its file is called
TEMPLATES = Path(__file__).parent / "templates"
SETTINGS = {
    "suggest_facets": False,  # costly on a large archive; facets are configured instead
    "truncate_cells_html": 300,
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
}


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
    (loaded through its entry point) and templates. The database stays mutable: the
    crawler may write while it is served."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no archive at {db_path}")
    files_dir = Path(files_dir) if files_dir else default_files_dir(db_path)
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(db_path)
    ds = Datasette(
        [],
        metadata=build_metadata(db_path, DATABASE, files_dir.resolve(), cache_dir.resolve()),
        template_dir=str(TEMPLATES),
        settings={**SETTINGS, **(settings or {})},
    )
    ds.remove_database("_memory")
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=DATABASE)
    return ds


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    files_dir: str | Path | None = None,
) -> None:
    """Serve the archive until interrupted, as ``datasette serve`` does."""
    ds = build_datasette(db_path, files_dir=files_dir)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)
