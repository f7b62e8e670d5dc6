"""Citing articles: the permalink route, the "cite as" line, RIS and BibTeX.

A permalink names an article by its stable key (``articles.key``,
:mod:`pipelines.archive.permalinks`) and redirects to its page; a key that a re-extraction
replaced resolves through ``article_aliases``. RIS and BibTeX are Datasette output
renderers: ``.ris`` and ``.bib`` after an article page, the articles table (a search too)
or the ranked search give one record per article, which Zotero and reference managers
import.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

from datasette.utils.asgi import NotFound, Response

from pipelines.archive.permalinks import ALIASES

RENDERED_MAX = 1000  # records in one export (a table page is at most Datasette's max_returned_rows)
ARTICLE_SQL = (
    "select a.id, a.key, a.paper, a.date, a.page_no, a.kicker, a.title, a.subtitle, a.byline, "
    "a.body, p.page_label, p.page_name, coalesce(pp.name, a.paper) as paper_name "
    "from articles a left join pages p on p.id = a.page_id "
    "left join papers pp on pp.id = a.paper where a.id in ({ids}) order by a.date_key desc"
)


def permalink_path(datasette, database: str, key: str) -> str:
    """The path of an article's permalink."""
    return datasette.urls.path(f"/-/newsarchive/article/{database}/{quote(key, safe='')}")


def permalink(datasette, request, database: str, key: str) -> str:
    """The absolute URL of an article's permalink."""
    return datasette.absolute_url(request, permalink_path(datasette, database, key))


def page_ref(article: dict) -> str:
    """The page as cited: its name (第01版：要闻) or its number."""
    return article.get("page_name") or f"p. {article.get('page_label') or article['page_no']}"


def cite_as(article: dict, url: str, accessed: datetime.date) -> str:
    """One citation line: paper, date, page, title, URL, date accessed."""
    title = article.get("title") or "(untitled)"
    return (f"{article.get('paper_name') or article['paper']}, {article['date']}, "
            f"{page_ref(article)}: “{title}”. {url} (accessed {accessed.isoformat()})")


def ris(articles: list[dict], urls: list[str], accessed: datetime.date) -> str:
    """RIS records (type NEWS) of ``articles``."""
    lines = []
    for article, url in zip(articles, urls, strict=True):
        date = article["date"] or ""
        fields = [
            ("TY", "NEWS"), ("TI", article.get("title") or "(untitled)"),
            ("T2", article.get("paper_name") or article["paper"]),
            ("PY", date[:4]), ("DA", date.replace("-", "/")),
            ("SP", str(article.get("page_label") or article["page_no"])),
            ("UR", url), ("Y2", accessed.isoformat().replace("-", "/")),
            ("ID", article.get("key") or str(article["id"])),
        ]
        if article.get("page_name"):
            fields.append(("SE", article["page_name"]))
        if article.get("byline"):
            fields.append(("N1", article["byline"]))
        if article.get("subtitle"):
            fields.append(("ST", article["subtitle"]))
        lines += [f"{tag}  - {_one_line(value)}" for tag, value in fields if value]
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


_BIB_SPECIAL = re.compile(r"([{}\\&%$#_^~])")


def _bib(value: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: "\\" + m.group(1), _one_line(value))


def bibtex(articles: list[dict], urls: list[str], accessed: datetime.date) -> str:
    """BibTeX entries (``@article`` with the paper as journal) of ``articles``."""
    entries = []
    for article, url in zip(articles, urls, strict=True):
        date = article["date"] or ""
        fields = {
            "title": article.get("title") or "(untitled)",
            "journal": article.get("paper_name") or article["paper"],
            "date": date, "year": date[:4], "month": str(int(date[5:7])) if date[5:7] else "",
            "pages": str(article.get("page_label") or article["page_no"]),
            "url": url, "urldate": accessed.isoformat(),
            "note": article.get("page_name") or "",
        }
        body = ",\n".join(f"  {name} = {{{_bib(value) if name != 'url' else value}}}"
                          for name, value in fields.items() if value)
        key = re.sub(r"[^\w-]", "", article.get("key") or f"article{article['id']}")
        entries.append(f"@article{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


async def articles_by_id(db, ids: list[int]) -> list[dict]:
    """The articles with these ids, with what a citation needs (paper name, page name)."""
    ids = [int(i) for i in ids[:RENDERED_MAX]]
    if not ids:
        return []
    rows = await db.execute(ARTICLE_SQL.format(ids=", ".join("?" * len(ids))), ids)
    return [dict(r) for r in rows.rows]


FORMATS = {"ris": (ris, "application/x-research-info-systems"),
           "bib": (bibtex, "application/x-bibtex")}


def can_render(columns, table, query_name) -> bool:
    """Articles, their search and the ranked search have an ``id`` to cite."""
    return "id" in (columns or []) and (table == "articles" or query_name == "search")


def renderer(fmt: str):
    """The render function of one export format for ``register_output_renderer``."""
    write, content_type = FORMATS[fmt]

    async def render(datasette, rows, columns, database, request, table, query_name):
        if not can_render(columns, table, query_name):
            return Response.text("Only articles can be cited", status=400)
        articles = await articles_by_id(datasette.get_database(database),
                                        [r["id"] for r in rows])
        urls = [permalink(datasette, request, database, a["key"]) for a in articles]
        name = query_name or table or "articles"
        return Response(write(articles, urls, datetime.date.today()), content_type=content_type,
                        headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})

    return render


async def resolve(request, datasette):
    """Redirect a permalink to its article (a replaced key through its alias; a key whose
    article is gone to its page's edition when that is still known)."""
    database, key = request.url_vars["database"], request.url_vars["key"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound("Database not found") from None
    row = (await db.execute("select id from articles where key = ?", [key])).first()
    if row is None and ALIASES in await db.table_names():
        row = (await db.execute(
            f"select a.id from {ALIASES} k join articles a on a.key = k.target "
            "where k.key = ?", [key])).first()
    if row is None:
        raise NotFound("No article has this permalink")
    url = datasette.urls.row(database, "articles", row["id"])
    if request.query_string:
        url += "?" + request.query_string
    return Response.redirect(url)
