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
last ``KEEP`` lists (a request only needs its own while it runs), in at most ``MAX_BYTES``:
a list that does not fit is not kept (that search evaluates its FTS5 query per statement).
It holds search keys only, and archive.db is never written. It is removed when the server
exits (``remove``; ``publish.server`` calls it on SIGTERM too).

Nothing a request sends may write: every connection it is attached to gets an authorizer
that refuses any statement that writes (INSERT, CREATE, DROP, ATTACH…), except the
statements ``fill`` prepares itself, on its own thread, for the list it creates; their text
carries a nonce, so a request cannot replay them from the connection's statement cache.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import secrets
import sqlite3
import tempfile
import threading

SCHEMA = "newsarchive_hits"
KEEP = 64  # hit lists kept: far more than requests in flight at once
BUSY_MS = 5000
MAX_BYTES = 256 * 1024 * 1024  # the scratch file's bound (a million keys take ~15 MB)
PAGE_BYTES = 4096
# The schema tables: SQLite reports an UPDATE of them while a virtual table declares its
# columns; a statement cannot write them (that needs PRAGMA writable_schema).
SCHEMA_TABLES = ("sqlite_master", "sqlite_temp_master")
IN_FLIGHT = 8  # lists kept when the file is full: those requests still running may read
# Authorizer action codes of statements that write, create or attach anything.
WRITE_ACTIONS = frozenset(
    getattr(sqlite3, name)
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name in ("SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_ALTER_TABLE",
                "SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_REINDEX", "SQLITE_ANALYZE")
)

log = logging.getLogger(__name__)


class HitStore:
    """The scratch database of one server process (created on first use)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.path: str | None = None
        self.max_bytes = max_bytes
        self._lists = itertools.count(1)  # next() is atomic under the GIL
        self._lock = threading.Lock()  # Datasette opens connections from several threads
        self._filling = threading.local()  # set while fill() prepares its own statements

    def _create(self) -> str:
        fd, path = tempfile.mkstemp(prefix="newsarchive-hits-", suffix=".db")
        os.close(fd)
        atexit.register(self.remove)
        conn = sqlite3.connect(path)
        conn.execute("pragma journal_mode = wal")
        conn.close()
        return path

    def remove(self) -> None:
        """Delete the scratch file (and its -wal, -shm); a later search creates a new one."""
        with self._lock:
            path, self.path = self.path, None
        if path:
            _remove(path)

    def _authorize(self, action: int, arg1, arg2, database, source) -> int:
        """SQLite authorizer: no statement writes, but fill's own, into the scratch file."""
        if action not in WRITE_ACTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 in SCHEMA_TABLES:
            return sqlite3.SQLITE_OK  # FTS5 declaring its table: a parse, never a write
        if getattr(self._filling, "active", False) and database == SCHEMA:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def attach(self, conn: sqlite3.Connection) -> bool:
        """Attach the scratch database to ``conn``; False (and a log line) if it cannot be:
        searches then evaluate their FTS5 query in every statement instead."""
        try:
            with self._lock:
                if self.path is None:
                    self.path = self._create()
            conn.execute(f"attach database ? as {SCHEMA}", [self.path])
            conn.execute(f"pragma {SCHEMA}.synchronous = off")  # scratch data: no fsync
            conn.execute(f"pragma {SCHEMA}.max_page_count = {self.max_bytes // PAGE_BYTES}")
            conn.execute(f"pragma busy_timeout = {BUSY_MS}")  # lists are written concurrently
            conn.set_authorizer(self._authorize)
            return True
        except sqlite3.Error as exc:
            log.warning("search hit lists unavailable (%s): searches will be slower", exc)
            return False

    def fill(self, conn: sqlite3.Connection, keys_sql: str, params: dict) -> str:
        """Run ``keys_sql`` (one column: search keys) into a new hit list; return the
        qualified name of its table."""
        list_id = next(self._lists)
        table = f"{SCHEMA}.list_{list_id}"
        nonce = f"/* {secrets.token_hex(8)} */"  # never the text of a cached statement again
        self._filling.active = True
        try:
            conn.execute(f"create table {table} (key integer primary key) {nonce}")
            conn.execute(f"insert into {table} select key from ({keys_sql}) {nonce}", params)
            if list_id > KEEP:
                conn.execute(f"drop table if exists {SCHEMA}.list_{list_id - KEEP} {nonce}")
            conn.commit()
        except sqlite3.OperationalError as exc:
            conn.rollback()
            if "full" in str(exc):  # MAX_BYTES reached: make room for the next lists
                self._drop_lists(conn, list_id - IN_FLIGHT, list_id, nonce)
            raise
        except BaseException:
            conn.rollback()
            raise
        finally:
            self._filling.active = False
        return table

    def _drop_lists(self, conn: sqlite3.Connection, before: int, failed: int, nonce: str):
        """Drop the hit lists before ``before`` and the ``failed`` one (created, never
        filled): their pages are reused, and the file stops growing."""
        names = [name for (name,) in conn.execute(
            f"select name from {SCHEMA}.sqlite_master where type = 'table'")]
        for name in names:
            if name.startswith("list_") and not before <= int(name[5:]) < failed:
                conn.execute(f"drop table {SCHEMA}.{name} {nonce}")
        conn.commit()


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
