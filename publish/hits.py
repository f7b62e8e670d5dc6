"""Hit lists of searches, written once per request into a scratch database that every
Datasette connection attaches as ``newsarchive_hits``.

Datasette lists, counts and facets a table search with separate SQL statements sharing one
WHERE clause. With the FTS5 query inside that clause, each statement evaluates it again: on
a million articles a phrase of two common characters (就业) costs about 150 ms each time.
So the search filter evaluates it once, into a table of its own (``list_<n>``, one column
``key``, the rowid), and the statements read the keys from there: ``date_key in (select key
from newsarchive_hits.list_7)``. A table per list, not one table with a list column: SQLite
reads ``IN (SELECT key FROM t)`` straight from t's b-tree, while a WHERE in the subquery
would make every statement copy the list first (40 ms for 100,000 hits).

The scratch file lives in the temporary directory, one per server process, and keeps the
last ``KEEP`` lists (a request only needs its own while it runs). It holds search keys only,
and archive.db is never written.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import sqlite3
import tempfile
import threading

SCHEMA = "newsarchive_hits"
KEEP = 64  # hit lists kept: far more than requests in flight at once
BUSY_MS = 5000

log = logging.getLogger(__name__)


class HitStore:
    """The scratch database of one server process (created on first use)."""

    def __init__(self) -> None:
        self.path: str | None = None
        self._lists = itertools.count(1)  # next() is atomic under the GIL
        self._lock = threading.Lock()  # Datasette opens connections from several threads

    def _create(self) -> str:
        fd, path = tempfile.mkstemp(prefix="newsarchive-hits-", suffix=".db")
        os.close(fd)
        atexit.register(_remove, path)
        conn = sqlite3.connect(path)
        conn.execute("pragma journal_mode = wal")
        conn.close()
        return path

    def attach(self, conn: sqlite3.Connection) -> bool:
        """Attach the scratch database to ``conn``; False (and a log line) if it cannot be:
        searches then evaluate their FTS5 query in every statement instead."""
        try:
            with self._lock:
                if self.path is None:
                    self.path = self._create()
            conn.execute(f"attach database ? as {SCHEMA}", [self.path])
            conn.execute(f"pragma {SCHEMA}.synchronous = off")  # scratch data: no fsync
            conn.execute(f"pragma busy_timeout = {BUSY_MS}")  # lists are written concurrently
            return True
        except sqlite3.Error as exc:
            log.warning("search hit lists unavailable (%s): searches will be slower", exc)
            return False

    def fill(self, conn: sqlite3.Connection, keys_sql: str, params: dict) -> str:
        """Run ``keys_sql`` (one column: search keys) into a new hit list; return the
        qualified name of its table."""
        list_id = next(self._lists)
        table = f"{SCHEMA}.list_{list_id}"
        try:
            conn.execute(f"create table {table} (key integer primary key)")
            conn.execute(f"insert into {table} select key from ({keys_sql})", params)
            if list_id > KEEP:
                conn.execute(f"drop table if exists {SCHEMA}.list_{list_id - KEEP}")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return table


def attached(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` has the scratch database attached."""
    return any(row[1] == SCHEMA for row in conn.execute("pragma database_list"))


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except OSError:
            pass


STORE = HitStore()
