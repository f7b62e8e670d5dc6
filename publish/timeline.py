"""Hits over time: a query's articles per month (per paper), a second query to compare,
counts normalised by the articles archived that month, as a server-drawn SVG chart (no
script, nothing from a CDN) and as CSV.

The months come straight from the search index: its rowid is the article's ``date_key``,
whose high bits are the date's ordinal (``pipelines.archive.search.date_key``). The chart
of all papers counts hits per day from the index's rowids alone (``DAYS_SQL``); counts per
paper (the CSV, a chart of one paper) read the small covering index on ``date_key`` for
each hit's paper, never the articles' text.
"""

from __future__ import annotations

import csv
import datetime
import io

from datasette.utils.asgi import NotFound, Response
from markupsafe import escape

from pipelines.archive.search import FTS_TABLE, ID_BITS, fts_query
from publish.search_filter import exact_forms_sql

PER = 10_000  # normalised counts are hits per this many articles archived in the month
WIDTH, HEIGHT = 760, 240  # the chart's size in pixels
MARGIN = {"left": 56, "right": 16, "top": 28, "bottom": 36}
COLOURS = ("#1f5fbf", "#d9480f", "#2b8a3e", "#862e9c")  # one per query
_ARTICLES_PER_MONTH: dict[tuple, dict] = {}  # per database and archive state

HITS_SQL = f"""
select a.paper, substr(a.date, 1, 7) as month, count(*) as hits
from articles a
where a.date_key in (select rowid from {FTS_TABLE} where {FTS_TABLE} match :fts)
  and (:paper = '' or a.paper = :paper)
  and {exact_forms_sql(":q", "a.date_key", "a.id")}
group by a.paper, month order by month, a.paper"""


# Hits per day of every paper, from the index alone: a key's high bits are its day, its low
# bits the article's id.
DAYS_SQL = f"""
select {FTS_TABLE}.rowid >> {ID_BITS} as day, count(*) as hits
from {FTS_TABLE}
where {FTS_TABLE} match :fts
  and {exact_forms_sql(":q", f"{FTS_TABLE}.rowid",
                       f"({FTS_TABLE}.rowid & {(1 << ID_BITS) - 1})")}
group by day"""


async def hits_per_month(db, query: str, paper: str = "", *, per_paper: bool = True
                         ) -> dict[tuple[str, str], int]:
    """{(paper, 'YYYY-MM'): articles matching ``query``} (the same rules as search); with
    ``per_paper`` false and no ``paper``, {("", 'YYYY-MM'): …} for all papers together."""
    fts = fts_query(query)
    if not fts:
        return {}
    params = {"fts": fts, "q": query, "paper": paper}
    if per_paper or paper:
        rows = await db.execute(HITS_SQL, params)
        return {(r["paper"], r["month"]): r["hits"] for r in rows.rows}
    months: dict[tuple[str, str], int] = {}
    for day, hits in (await db.execute(DAYS_SQL, params)).rows:
        if day > 0:  # 0: an article without a date, on no month
            month = ("", datetime.date.fromordinal(day).isoformat()[:7])
            months[month] = months.get(month, 0) + hits
    return months


async def articles_per_month(db, database: str) -> dict[tuple[str, str], int]:
    """{(paper, 'YYYY-MM'): articles archived}, counted once per state of the archive."""
    state = (await db.execute("select max(id), max(date_key) from articles")).first()
    key = (database, tuple(state))
    if key not in _ARTICLES_PER_MONTH:
        rows = await db.execute(
            "select paper, substr(date, 1, 7) as month, count(*) as n from articles "
            "group by paper, month")
        _ARTICLES_PER_MONTH.clear()
        _ARTICLES_PER_MONTH[key] = {(r["paper"], r["month"]): r["n"] for r in rows.rows}
    return _ARTICLES_PER_MONTH[key]


def months_between(first: str, last: str) -> list[str]:
    """Every 'YYYY-MM' from ``first`` to ``last``."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


async def series(db, database: str, queries: list[str], paper: str = "", *,
                 per_paper: bool = True) -> dict:
    """Per query and month: hits, articles archived and hits per ``PER`` articles (and the
    counts per paper, unless ``per_paper`` is false)."""
    archived = await articles_per_month(db, database)
    counted = {q: await hits_per_month(db, q, paper, per_paper=per_paper) for q in queries}
    months_seen = {m for c in counted.values() for _, m in c} or {m for _, m in archived}
    if not months_seen:
        return {"months": [], "queries": [], "archived": archived}
    months = months_between(min(months_seen), max(months_seen))
    out = []
    for query, counts in counted.items():
        points = []
        for month in months:
            hits = sum(n for (p, m), n in counts.items() if m == month)
            total = sum(n for (p, m), n in archived.items()
                        if m == month and (not paper or p == paper))
            points.append({"month": month, "hits": hits, "articles": total,
                           "normalised": round(hits * PER / total, 2) if total else 0.0})
        by_paper = sorted({p for p, _ in counts})
        out.append({"query": query, "points": points, "papers": by_paper, "counts": counts})
    return {"months": months, "queries": out, "archived": archived}


def svg(data: dict, normalised: bool) -> str:
    """The chart: one line per query over the months, a dot per month with its figures."""
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    months, field = data["months"], "normalised" if normalised else "hits"
    top = max([p[field] for q in data["queries"] for p in q["points"]] + [0]) or 1
    n = max(len(months) - 1, 1)

    def x(i):
        return MARGIN["left"] + (plot_w * i / n if len(months) > 1 else plot_w / 2)

    def y(v):
        return MARGIN["top"] + plot_h * (1 - v / top)

    unit = f"hits per {PER:,} articles" if normalised else "articles with a hit"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>{escape(unit)} per month</title>",
        f'<line x1="{MARGIN["left"]}" y1="{y(0):.1f}" x2="{WIDTH - MARGIN["right"]}" '
        f'y2="{y(0):.1f}" stroke="#999"/>',
        f'<line x1="{MARGIN["left"]}" y1="{MARGIN["top"]}" x2="{MARGIN["left"]}" '
        f'y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{MARGIN["left"] - 6}" y="{MARGIN["top"] + 4}" text-anchor="end">'
        f"{_number(top)}</text>",
        f'<text x="{MARGIN["left"] - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
        f'<text x="{MARGIN["left"]}" y="{MARGIN["top"] - 12}" fill="#555">{escape(unit)}</text>',
    ]
    step = max(1, len(months) // 12)
    for i, month in enumerate(months):
        if i % step == 0 or i == len(months) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - MARGIN["bottom"] + 16}" '
                         f'text-anchor="middle" fill="#555">{month}</text>')
    for k, query in enumerate(data["queries"]):
        colour = COLOURS[k % len(COLOURS)]
        points = query["points"]
        line = " ".join(f"{x(i):.1f},{y(p[field]):.1f}" for i, p in enumerate(points))
        parts.append(f'<polyline class="series" data-query="{escape(query["query"])}" '
                     f'fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        for i, p in enumerate(points):
            parts.append(
                f'<circle class="point" cx="{x(i):.1f}" cy="{y(p[field]):.1f}" r="3" '
                f'fill="{colour}" data-month="{p["month"]}" data-hits="{p["hits"]}">'
                f'<title>{escape(query["query"])} {p["month"]}: {p["hits"]} of '
                f'{p["articles"]} articles ({p["normalised"]} per {PER:,})</title></circle>')
        parts.append(f'<text x="{MARGIN["left"] + 150 * k + 120}" y="{MARGIN["top"] - 12}" '
                     f'fill="{colour}">■ {escape(query["query"])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def to_csv(data: dict) -> str:
    """The chart's numbers: per query and month all papers (paper empty), then per paper."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["query", "paper", "month", "hits", "articles", f"hits_per_{PER}"])
    for query in data["queries"]:
        for p in query["points"]:
            writer.writerow([query["query"], "", p["month"], p["hits"], p["articles"],
                             p["normalised"]])
        for (paper, month), hits in sorted(query["counts"].items(), key=lambda i: i[0][::-1]):
            total = data["archived"].get((paper, month), 0)
            writer.writerow([query["query"], paper, month, hits, total,
                             round(hits * PER / total, 2) if total else 0.0])
    return out.getvalue()


def queries_of(request) -> list[str]:
    """The query and the one to compare (``q``, ``compare``), non-empty ones."""
    return [q for q in (request.args.get("q", ""), request.args.get("compare", "")) if q.strip()]


async def timeline_route(request, datasette):
    """``/-/newsarchive/timeline/<db>.svg`` or ``.csv`` with ``q``, ``compare``,
    ``paper`` and ``normalise``."""
    database, fmt = request.url_vars["database"], request.url_vars["format"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound("Database not found") from None
    data = await series(db, database, queries_of(request), request.args.get("paper", ""),
                        per_paper=fmt == "csv")  # the chart draws all papers together
    if fmt == "csv":
        name = f"hits-per-month-{datetime.date.today().isoformat()}.csv"
        return Response(to_csv(data), content_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    body = svg(data, bool(request.args.get("normalise")))
    return Response(body, content_type="image/svg+xml; charset=utf-8",
                    headers={"Cache-Control": "max-age=60"})
