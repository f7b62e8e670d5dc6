"""Table search (``?_search=``, ``?_search_<column>=``, ``_searchmode=raw``) over a shadow-text
index, for the tables configured with ``plugins: newsarchive: fts_table:`` in the metadata.

It replaces Datasette's own search filter for those tables: same parameters, same search box
and descriptions, but the query is translated into phrases of shadow tokens first, and the
SQL depends on how many articles match. Datasette lists, counts and facets the hits with three
kinds of query that share one WHERE clause; ``id in (<hits>)`` makes all of them visit each
hit, which for a word found in most articles means reading most article rows just to list
the newest 50. So a search that matches more than ``DENSE`` of the table uses
``+id in (<hits>)`` instead, which makes SQLite walk the date index and stop after one page.
"""

from __future__ import annotations

from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite
from datasette.utils.asgi import BadRequest

from pipelines.archive.search import COLUMNS, fts_query, fts_query_raw

PLUGIN = "newsarchive"
DENSE = 0.1  # share of the table above which a search lists its hits by walking an index


def search_config(datasette, database: str, table: str) -> dict:
    """The table's search settings: ``fts_table`` and ``fts_pk`` (empty: not searchable)."""
    config = datasette.plugin_config(PLUGIN, database=database, table=table, fallback=False)
    return config if config and config.get("fts_table") else {}


async def _dense(db, table: str, subquery: str, params: dict) -> bool:
    """Whether ``subquery`` returns more than ``DENSE`` of the rows of ``table``."""
    total = (await db.execute(f"select max(rowid) from {escape_sqlite(table)}")).first()[0]
    cap = int((total or 0) * DENSE) + 1
    sql = f"select count(*) from ({subquery} limit {cap})"
    try:
        return (await db.execute(sql, params)).first()[0] >= cap
    except Exception:  # a syntax error in a raw query: the listing will report it
        return False


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
        subquery = f"select rowid from {fts_table} where {target} match :{name}"
        params[name] = translate(text)
        dense = await _dense(db, table, subquery, {name: params[name]})
        wheres.append(f"{'+' if dense else ''}{pk} in ({subquery})")
        described.append(
            f'search matches "{text}"' if column is None
            else f'search column "{column}" matches "{text}"'
        )
        context["search"] = text
    return FilterArguments(wheres, params=params, human_descriptions=described,
                           extra_context=context)
