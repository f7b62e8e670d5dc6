"""Table search (``?_search=``, ``?_search_<column>=``, ``_searchmode=raw``) over a shadow-text
index, for the tables configured with ``plugins: newsarchive: fts_table:`` in the metadata.

It replaces Datasette's own search filter for those tables: same parameters, same search box
and descriptions, but the query is translated into phrases of shadow tokens first. Datasette
lists, counts and facets the hits with separate statements sharing one WHERE clause, so the
FTS5 query is evaluated once per request into a hit list (``publish.hits``) that the clause
reads; the index's keys (``fts_pk``, the articles' ``date_key``) rise with the date, so the
newest hits are listed without reading the other hits' rows.
"""

from __future__ import annotations

import logging
import sqlite3

from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite
from datasette.utils.asgi import BadRequest

from pipelines.archive.search import (
    COLUMNS,
    FORMS_TABLE,
    exact_terms,
    fts_query,
    fts_query_raw,
)
from publish import hits

PLUGIN = "newsarchive"
log = logging.getLogger(__name__)


def exact_forms_sql(query: str, key: str, article_id: str, columns=COLUMNS) -> str:
    """An SQL condition true for the article ``article_id`` (search key ``key``; both SQL
    expressions) when its ``columns`` have the exact forms of the terms of ``query`` (an SQL
    expression) marked exact (``=臺灣``); true for every article when there are none.

    The forms index decides without reading the article where it can: a hit that lacks a
    character the exact terms are written with is none, and a hit without any other form of
    their characters is one. Only the rest is read and checked (``newsarchive_exact``), in
    a subquery, so a statement that otherwise reads only an index still does. The
    ``newsarchive_*(query)`` functions and the lists of the forms index are evaluated once
    per statement."""
    texts = ", ".join(f"x.[{c}]" for c in columns)
    forms = f"select rowid from {FORMS_TABLE} where {FORMS_TABLE} match"
    required, unsure = (f"newsarchive_forms_required({query})",
                        f"newsarchive_forms_unsure({query})")
    return (
        f"(case when not newsarchive_has_exact({query}) then 1 "
        f"when {required} is not null and {key} not in ({forms} {required}) then 0 "
        f"when {unsure} is not null and {key} not in ({forms} {unsure}) then 1 "
        f"else (select newsarchive_exact({query}, {texts}) from articles x "
        f"where x.id = {article_id}) end)"
    )


def search_config(datasette, database: str, table: str) -> dict:
    """The table's search settings: ``fts_table`` and ``fts_pk`` (empty: not searchable)."""
    config = datasette.plugin_config(PLUGIN, database=database, table=table, fallback=False)
    return config if config and config.get("fts_table") else {}


async def _hit_list(db, keys_sql: str, params: dict) -> str | None:
    """Evaluate ``keys_sql`` into a new hit list; its table, or None when there is no scratch
    database or the query fails (a syntax error in a raw query: the listing reports it)."""

    def fill(conn: sqlite3.Connection) -> str | None:
        return hits.STORE.fill(conn, keys_sql, params) if hits.attached(conn) else None

    try:
        return await db.execute_fn(fill)
    except sqlite3.Error as exc:
        log.info("search evaluated per statement, no hit list: %s", exc)
        return None


async def search_filter(request, database: str, table: str, datasette) -> FilterArguments | None:
    """The WHERE clauses, parameters and descriptions of a search request."""
    config = search_config(datasette, database, table)
    if not config:
        return None
    fts_table = escape_sqlite(config["fts_table"])
    pk = escape_sqlite(config.get("fts_pk", "rowid"))
    args = request.args
    raw = datasette.table_metadata(database, table).get("searchmode") == "raw"
    raw = {"raw": True, "escaped": False}.get(args.get("_searchmode"), raw)
    translate = fts_query_raw if raw else fts_query
    if "_search" in args:
        terms = [(None, args["_search"])]
    else:
        terms = [(k.split("_search_", 1)[1], args[k]) for k in args
                 if k.startswith("_search_") and k != "_searchmode"]
    context = {"supports_search": True}
    wheres, params, described = [], {}, []
    db = datasette.get_database(database)
    for i, (column, text) in enumerate(terms):
        if column is not None and column not in COLUMNS:
            raise BadRequest("Cannot search by that column")
        name = f"newsarchive_search_{i}"
        target = fts_table if column is None else escape_sqlite(column)
        query = {name: translate(text)}
        keys = f"select rowid as key from {fts_table} where {target} match :{name}"
        if not raw and exact_terms(text):  # =臺灣: keep the hits that have that form
            query[f"{name}_text"] = text
            exact = exact_forms_sql(f":{name}_text", f"a.{pk}", "a.id",
                                    COLUMNS if column is None else (column,))
            keys = (f"select a.{pk} as key from {escape_sqlite(table)} a "
                    f"where a.{pk} in ({keys}) and {exact}")
        listed = await _hit_list(db, keys, query)
        if listed is None:
            wheres.append(f"{pk} in ({keys})")
            params.update(query)
        else:
            wheres.append(f"{pk} in (select key from {listed})")
        described.append(
            f'search matches "{text}"' if column is None
            else f'search column "{column}" matches "{text}"'
        )
        context["search"] = text
    return FilterArguments(wheres, params=params, human_descriptions=described,
                           extra_context=context)
