"""The SQL functions the plugin registers on every connection, each with bounded work.

Anyone who reaches the server can call them from ``?sql=``, on any input SQL can build
(``group_concat(body)`` of a whole archive is tens of MB). Datasette stops a query at
``sql_time_limit_ms`` with a progress handler, but SQLite calls that handler between VM
instructions, never inside one call of a Python function: so each call is kept short, and
the calls of one statement together get the request's time limit too.

* Input: a query longer than ``QUERY_CHARS`` is an error (no search needs it); a text is
  searched for hits in its first ``TEXT_CHARS`` characters only (the rest of a highlighted
  text is kept, unmarked); a snippet reads at most ``SNIPPET_TEXTS`` texts. Strings and
  blobs on the connection are limited to ``MAX_VALUE_BYTES`` (``group_concat`` of a whole
  archive fails instead of growing to gigabytes).
* Work: with those bounds one call takes a few ms at most (bench/adversarial.py).
* Time: calls of one statement follow each other with no pause; once they have run longer
  than the request's time limit, or STATEMENT_BUDGET_MS (their Python holds the GIL, which
  every other request waits for), the next call raises, which ends the statement.
"""

from __future__ import annotations

import sqlite3
import time

from pipelines.archive.search import (
    exact_terms,
    forms_required,
    forms_unsure,
    fts_query,
    fts_query_raw,
)
from publish.highlight import has_exact_forms, highlight, snippet

QUERY_CHARS = 1_000
TEXT_CHARS = 10_000
SNIPPET_TEXTS = 8
MAX_VALUE_BYTES = 32 * 1024 * 1024  # SQLITE_LIMIT_LENGTH of the archive's connections
# Calls further apart than this belong to different statements (within one statement SQLite
# calls again after microseconds).
PAUSE_S = 0.05
# Python time the functions may take in one statement, at most: unlike SQLite's own work
# they hold the GIL, which every other request's thread then waits for (a ranked search's
# 100 snippets take 20-600 ms).
STATEMENT_BUDGET_MS = 1_000


class FunctionLimit(Exception):
    """A call the bounds refuse; SQLite reports it as an error of the statement."""


class StatementClock:
    """How long the functions have run in the current statement of one connection."""

    def __init__(self, limit_s: float):
        self.limit_s = limit_s
        self.started = 0.0
        self.last = float("-inf")

    def check(self) -> None:
        now = time.perf_counter()
        if now - self.last > PAUSE_S:
            self.started = now  # a new statement
        if now - self.started > self.limit_s:
            self.last = float("-inf")  # the statement ends here: the next call starts anew
            raise FunctionLimit(f"over the time limit of {self.limit_s * 1000:g} ms")

    def done(self) -> None:
        self.last = time.perf_counter()


def _query(value) -> str:
    query = value if isinstance(value, str) else ("" if value is None else str(value))
    if len(query) > QUERY_CHARS:
        raise FunctionLimit(f"search query over {QUERY_CHARS} characters")
    return query


def _text(value) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


def bounded_highlight(text: str | None, query: str) -> str | None:
    """``highlight`` of the first TEXT_CHARS characters; the rest follows unmarked."""
    if text is None or len(text) <= TEXT_CHARS:
        return highlight(text, query)
    return highlight(text[:TEXT_CHARS], query) + text[TEXT_CHARS:]


def register(conn: sqlite3.Connection, time_limit_ms: float, *, forms_index: bool = True
             ) -> None:
    """Register newsarchive_query, _query_raw, _snippet and _highlight on ``conn``, and the
    functions of exact-form search (``search_filter.exact_forms_sql``): _has_exact,
    _forms_required, _forms_unsure (None without the archive's ``forms_index``: every hit
    is then read) and _exact. The exact check reads whole texts: a hit must not be lost past
    TEXT_CHARS; the statement's clock still bounds the calls."""
    clock = StatementClock(min(time_limit_ms, STATEMENT_BUDGET_MS) / 1000)

    def timed(fn):
        def call(*args):
            clock.check()
            try:
                return fn(*args)
            finally:
                clock.done()

        return call

    def query(q):
        return fts_query(_query(q))

    def query_raw(q):
        return fts_query_raw(_query(q))

    def snippet_(q, *texts):
        texts = [_text(t) for t in texts[:SNIPPET_TEXTS]]
        return snippet(_query(q), *[t[:TEXT_CHARS] if t else t for t in texts])

    def highlight_(text, q):
        return bounded_highlight(_text(text), _query(q))

    def has_exact(q):
        return bool(exact_terms(_query(q)))

    def required(q):
        return forms_required(_query(q)) if forms_index else None

    def unsure(q):
        return forms_unsure(_query(q)) if forms_index else None

    def exact(q, *texts):
        return has_exact_forms(_query(q), *[_text(t) for t in texts[:SNIPPET_TEXTS]])

    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.create_function("newsarchive_has_exact", 1, timed(has_exact), deterministic=True)
    conn.create_function("newsarchive_forms_required", 1, timed(required), deterministic=True)
    conn.create_function("newsarchive_forms_unsure", 1, timed(unsure), deterministic=True)
    conn.create_function("newsarchive_exact", -1, timed(exact), deterministic=True)
    conn.create_function("newsarchive_query", 1, timed(query), deterministic=True)
    conn.create_function("newsarchive_query_raw", 1, timed(query_raw), deterministic=True)
    conn.create_function("newsarchive_snippet", -1, timed(snippet_), deterministic=True)
    conn.create_function("newsarchive_highlight", 2, timed(highlight_), deterministic=True)
