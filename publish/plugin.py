"""The newsarchive Datasette plugin (entry point ``datasette: newsarchive``).

* Search: for the tables configured with ``plugins: newsarchive: fts_table:``, ``?_search=``
  and ``?_search_<column>=`` are translated into phrases of the shadow tokens before they
  reach FTS5 (escaped and raw mode), so Chinese queries match exactly
  (``publish.search_filter``).
* SQL functions used by the ranked-search canned query: ``newsarchive_query(q)``,
  ``newsarchive_query_raw(q)``, ``newsarchive_snippet(q, text, …)``,
  ``newsarchive_highlight(text, q)``.
* Templates get ``article`` (the article page) and ``newsarchive_papers`` (the search form),
  and the Jinja filters ``newsarchive_marks``, ``newsarchive_highlight`` and
  ``newsarchive_safe_url``.
* ``/-/newsarchive/pdf/<database>/<page_id>`` serves a page's archived PDF (or redirects to
  its source).
* Empty ``_search`` parameters are dropped, so an emptied search box lists every row.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import datasette.handle_exception as datasette_errors
from datasette import hookimpl
from datasette.utils import to_css_class

from pipelines.archive.search import FTS_TABLE
from publish import functions, hits, pages
from publish.highlight import highlight, marks_to_html
from publish.search_filter import search_filter


def safe_url(url: str | None) -> str:
    """``url`` when it is http(s), else "" (no javascript: links from crawled data)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def _highlight(text, query):
    return highlight(text, query or "")


# Datasette prints every error it answers, a 400 for bad SQL included, as a rich traceback
# with local variables when rich is installed (our CLI needs it): 1-2 s of the event loop's
# CPU, during which no other request is served, for every bad query anyone sends. Without
# rich it prints the plain traceback of server errors (500) only.
datasette_errors.rich = None

CACHE_KIB = 65536  # page cache of a connection to an archive: its search indexes stay in memory


@hookimpl
def prepare_connection(conn, datasette):
    """Register the SQL functions of the ranked search on every connection, bounded by the
    request's time limit (publish.functions); give connections to an archive a larger page
    cache and the search hit lists."""
    if conn.execute("select 1 from sqlite_master where name = ?", [FTS_TABLE]).fetchone():
        conn.execute(f"pragma cache_size = -{CACHE_KIB}")
        hits.STORE.attach(conn)
    functions.register(conn, datasette.setting("sql_time_limit_ms"))


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    """Search over the shadow-text index (see publish.search_filter). Runs after Datasette's
    own search filter, which finds no index for these tables, so that ``supports_search``
    (the search box) ends up true."""
    return search_filter(request, database, table, datasette)


def drop_blank_searches(query_string: bytes) -> bytes:
    """``query_string`` without empty ``_search``/``_search_<column>`` parameters (an emptied
    search box submits ``_search=``, which FTS5 would reject as a syntax error)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (k.startswith("_search") and k != "_searchmode"
                                              and not v.strip())]
    return query_string if len(kept) == len(pairs) else urlencode(kept).encode("latin-1")


@hookimpl
def asgi_wrapper():
    """Drop empty search parameters before Datasette sees them: an empty box lists all."""

    def wrap(app):
        async def without_blank_searches(scope, receive, send):
            if scope.get("type") == "http" and b"_search" in scope.get("query_string", b""):
                scope = dict(scope, query_string=drop_blank_searches(scope["query_string"]))
            await app(scope, receive, send)

        return without_blank_searches

    return wrap


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Show the ⟦ ⟧ hit marks of a ``snippet`` column (query results) as ``<mark>``."""
    if table is None and column == "snippet" and isinstance(value, str):
        return marks_to_html(value)
    return None


@hookimpl
def prepare_jinja2_environment(env):
    """Jinja filters for the templates: marks to ``<mark>``, highlight a text, safe links."""
    env.filters["newsarchive_marks"] = marks_to_html
    env.filters["newsarchive_highlight"] = lambda text, q: marks_to_html(_highlight(text, q))
    env.filters["newsarchive_safe_url"] = safe_url


@hookimpl
def extra_template_vars(template, view_name, database, table, request, datasette):
    """The article for the article page; the papers for the search form."""
    if request is None or database is None:
        return None
    if view_name == "row" and table == "articles":
        return pages.article_vars(datasette, database, request)
    if template == f"query-{to_css_class(database)}-search.html":
        return pages.search_vars(datasette, database)
    return None


@hookimpl
def register_routes():
    """The page PDF route."""
    return [(r"^/-/newsarchive/pdf/(?P<database>[^/]+)/(?P<page_id>\d+)$", pages.page_pdf)]

