"""Datasette metadata for archive.db, generated from the database itself.

Table configuration (search index, facets, sort order, label columns), the ranked-search
canned query, and descriptions of the papers from the ``papers`` table. Generated when the
server starts: a paper added later shows up after a restart.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from markupsafe import escape

from pipelines.archive.search import FTS_TABLE
from publish.search_filter import exact_forms_sql

TITLE = "newsarchive"
FACETS = ["paper", "date", "page_no"]
SEARCH_LIMIT = 100

SEARCH_SQL = f"""\
select
  a.id,
  a.title,
  a.paper,
  coalesce(pp.name, a.paper) as paper_name,
  a.date,
  a.page_no,
  pg.page_name,
  newsarchive_snippet(:q, a.body, a.captions, a.byline, a.subtitle, a.kicker) as snippet,
  round(-hits.rank, 3) as score,
  a.page_id,
  pg.pdf_url
from (
  select articles.id as id, {FTS_TABLE}.rank as rank
  from {FTS_TABLE} join articles on articles.date_key = {FTS_TABLE}.rowid
  where {FTS_TABLE} match newsarchive_query(:q)
    and (:paper = '' or articles.paper = :paper)
    and (:date_from = '' or articles.date >= :date_from)
    and (:date_to = '' or articles.date <= :date_to)
    and (:page_no = '' or articles.page_no = :page_no)
    and {exact_forms_sql(":q", "articles.date_key", "articles.id")}
  order by {FTS_TABLE}.rank
  limit {SEARCH_LIMIT}
) hits
join articles a on a.id = hits.id
left join pages pg on pg.id = a.page_id
left join papers pp on pp.id = a.paper
order by hits.rank"""

SEARCH_HELP = (
    "<p>Search finds the exact characters you type, in titles, kickers, subtitles, bylines, "
    "text and captions: "
    "疫情, 魏都区, a single character such as 疫, or a long phrase. Several words separated "
    "by spaces must all occur. English words match whole words, case-insensitive; put a "
    'phrase in "double quotes". Traditional and simplified are folded: 臺灣 finds 台湾 and the '
    "reverse; <code>=臺灣</code> finds that form only. "
    "For OR, NOT and NEAR add <code>&amp;_searchmode=raw</code>, "
    'e.g. <code>疫情 OR 气凝胶</code>. <a href="{search}">Ranked search with highlighted '
    "snippets</a>.</p>"
)


def read_papers(db_path: str | Path) -> list[dict]:
    """The rows of the ``papers`` table (empty when the database has none yet)."""
    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return []
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from papers order by id")]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def papers_html(papers: list[dict]) -> str:
    """The papers as an escaped HTML list: name, description, link to the paper's site."""
    items = []
    for paper in papers:
        name = escape(paper.get("name") or paper["id"])
        text = f"<strong>{name}</strong>"
        if paper.get("description"):
            text += f" — {escape(paper['description'])}"
        link = paper.get("homepage") or paper.get("base_url") or ""
        if link.startswith(("http://", "https://")):
            text += f' (source: <a href="{escape(link)}">{escape(link)}</a>)'
        items.append(f"<li>{text}</li>")
    return f"<ul class=\"newsarchive-papers\">{''.join(items)}</ul>" if items else ""


def build_metadata(db_path: str | Path, database: str = "archive") -> dict:
    """The metadata dict for Datasette (0.65: table configuration lives here). It is public
    (``/-/metadata.json``): no paths of the server's disk go in it."""
    papers = read_papers(db_path)
    search_url = f"/{database}/search"
    names = ", ".join(p.get("name") or p["id"] for p in papers)
    return {
        "title": TITLE,
        "description": "Regional newspaper pages and articles, archived from e-paper PDFs.",
        "databases": {
            database: {
                "description_html": papers_html(papers),
                "source": f"e-paper sites of {names}" if names else "e-paper sites",
                "tables": {
                    "articles": {
                        "description_html": SEARCH_HELP.format(search=search_url),
                        "plugins": {"newsarchive": {"fts_table": FTS_TABLE, "fts_pk": "date_key"}},
                        "sort_desc": "date_key",
                        "columns": {
                            "date_key": "The date and the id in one number, rising with the "
                            "date: the search index's key (newest first when sorted by it).",
                            "source": "Where the text shown comes from: pdf (our extraction "
                            "of the page PDF) or html (the site's own article page at url).",
                            "pdf_text": "The matched PDF article's own text (JSON), kept for "
                            "comparison with the site's.",
                            "cer": "Character error rate of the PDF's text against the "
                            "site's, whitespace removed (cer_edits / cer_chars).",
                        },
                        # No default facets: over 100,000 hits three facets cost more than
                        # the search itself; ?_facet=paper (or a column's menu) adds one.
                        "label_column": "title",
                    },
                    "pages": {"sort_desc": "date", "facets": FACETS, "label_column": "page_name"},
                    "papers": {"label_column": "name"},
                    "crawl_runs": {"sort_desc": "started_at"},
                    "failures": {"sort_desc": "occurred_at", "facets": ["paper", "stage"]},
                    "site_articles": {
                        "description": "The site's own article pages, as published beside "
                        "each page PDF; polygon and bbox in PDF points.",
                        "label_column": "title",
                    },
                    "extraction_quality": {
                        "description": "Per page: how our PDF extraction agrees with the "
                        "site's own text (CER over matched articles; articles missing from "
                        "the extraction or extra in it), worst first.",
                        "facets": ["paper"],
                    },
                },
                "queries": {
                    "search": {
                        "title": "Ranked search · 全文检索",
                        "description": "Articles ordered by relevance (title counts most), "
                        f"the best {SEARCH_LIMIT} hits with highlighted snippets. "
                        "Traditional and simplified are one: 臺灣 finds 台湾 too; =臺灣 finds "
                        "that form only.",
                        "sql": SEARCH_SQL,
                        "params": ["q", "paper", "date_from", "date_to", "page_no"],
                        "hide_sql": True,
                    }
                },
            }
        },
    }


if __name__ == "__main__":  # python -m publish.metadata archive.db > metadata.json
    import json
    import sys

    print(json.dumps(build_metadata(sys.argv[1]), ensure_ascii=False, indent=2))
