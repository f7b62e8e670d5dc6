"""The newsarchive Datasette plugin (entry point ``datasette: newsarchive``).

* Search: for the tables configured with ``plugins: newsarchive: fts_table:``, ``?_search=``
  and ``?_search_<column>=`` are translated into phrases of the shadow tokens before they
  reach FTS5 (escaped and raw mode), so Chinese queries match exactly
  (``publish.search_filter``).
* SQL functions used by the ranked-search canned query: ``newsarchive_query(q)``,
  ``newsarchive_query_raw(q)``, ``newsarchive_snippet(q, text, …)``,
  ``newsarchive_highlight(text, q)``, and by every search: ``newsarchive_has_exact(q)``,
  ``newsarchive_exact(q, text, …)``, ``newsarchive_forms_required(q)``,
  ``newsarchive_forms_unsure(q)`` (terms marked exact, ``=臺灣``:
  ``search_filter.exact_forms_sql``).
* Templates get ``article`` (the article page) and ``newsarchive_papers`` (the search form),
  and the Jinja filters ``newsarchive_marks``, ``newsarchive_highlight`` and
  ``newsarchive_safe_url``.
* ``/-/newsarchive/pdf/<database>/<page_id>`` serves a page's archived PDF (or redirects to
  its source).
* Empty ``_search`` parameters are dropped, so an emptied search box lists every row.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import parse_qsl, urlencode

import datasette.handle_exception as datasette_errors
from datasette import hookimpl
from datasette.utils import to_css_class

from pipelines.archive.search import FORMS_TABLE, FTS_TABLE
from publish import browse, citation, functions, hits, page_view, pages, timeline
from publish.browse import ROUTE
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

log = logging.getLogger(__name__)
CACHE_KIB = 65536  # page cache of a connection to an archive: its search indexes stay in memory


@hookimpl
def prepare_connection(conn, datasette):
    """Register the SQL functions of the ranked search on every connection, bounded by the
    request's time limit (publish.functions); give connections to an archive a larger page
    cache and the search hit lists."""
    forms_index = True
    if conn.execute("select 1 from sqlite_master where name = ?", [FTS_TABLE]).fetchone():
        conn.execute(f"pragma cache_size = -{CACHE_KIB}")
        forms_index = _has_forms_index(conn)  # before the hit store's authorizer
        hits.STORE.attach(conn)
    functions.register(conn, datasette.setting("sql_time_limit_ms"), forms_index=forms_index)


def _has_forms_index(conn) -> bool:
    """Whether the archive has the forms index (an archive not opened by this version, served
    read-only, has none). Without it an empty one in the connection's temp schema keeps the
    search SQL valid, and exact-form searches read every hit's text instead."""
    if conn.execute("select 1 from sqlite_master where name = ?", [FORMS_TABLE]).fetchone():
        return True
    log.warning("%s has no %s: its search index is older than this version; run "
                "`newsarchive reindex` where it can be written", FTS_TABLE, FORMS_TABLE)
    conn.execute(f"create virtual table if not exists temp.{FORMS_TABLE} using "
                 "fts5(forms, content='')")
    return False


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
    if view_name == "index":
        return browse.home_vars(datasette)
    if request is None or database is None:
        return None
    if view_name == "row" and table == "articles":

        async def article_page():
            context = await pages.article_vars(datasette, database, request)()
            article = context.get("article")
            if article:
                context["thumbnail"] = await page_view.article_thumbnail(
                    datasette, database, article)
                context["citation"] = cite_vars(datasette, request, database, article)
            return context

        return article_page
    if template == f"query-{to_css_class(database)}-search.html":
        return pages.search_vars(datasette, database)
    return None


def cite_vars(datasette, request, database: str, article: dict) -> dict | None:
    """The article page's permalink, "cite as" line and export links."""
    if not article.get("key"):
        return None
    url = citation.permalink(datasette, request, database, article["key"])
    row = datasette.urls.row(database, "articles", article["id"])
    return {"permalink": url, "line": citation.cite_as(article, url, datetime.date.today()),
            "ris": row + ".ris", "bib": row + ".bib"}


@hookimpl
def register_output_renderer(datasette):
    """RIS and BibTeX exports of articles (publish.citation)."""
    return [{"extension": fmt, "render": citation.renderer(fmt),
             "can_render": citation.can_render} for fmt in citation.FORMATS]


@hookimpl
def register_routes():
    """The page PDF, a paper's calendar, an edition's pages."""
    db = r"(?P<database>[^/]+)"
    return [
        (rf"^{ROUTE}/pdf/{db}/(?P<page_id>\d+)$", pages.page_pdf),
        (rf"^{ROUTE}/paper/{db}/(?P<paper>[^/]+)$", browse.calendar_page),
        (rf"^{ROUTE}/edition/{db}/(?P<paper>[^/]+)/(?P<date>\d{{4}}-\d\d-\d\d)$",
         browse.edition_page),
        (rf"^{ROUTE}/page/{db}/(?P<page_id>\d+)$", page_view.page_view),
        (rf"^{ROUTE}/article/{db}/(?P<key>[\w.-]+)$", citation.resolve),
        (rf"^{ROUTE}/timeline/(?P<database>[^/.]+)\.(?P<format>svg|csv)$",
         timeline.timeline_route),
        (rf"^{ROUTE}/image/{db}/(?P<page_id>\d+)/(?P<width>\d+)\.jpg$",
         page_view.page_image_route),
    ]
