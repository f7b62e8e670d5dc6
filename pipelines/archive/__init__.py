"""The SQLite archive: schema, writer and search index (see docs/architecture.md)."""

from pipelines.archive.store import Archive, ArchiveError

__all__ = ["Archive", "ArchiveError"]
