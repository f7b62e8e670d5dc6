"""Browsing the archive by paper and date: the home page, a paper's calendar, an edition.

The home page (``/``, Datasette's index template) starts from search: a search box, every
paper with its coverage (first and last date, editions, pages, articles, gaps) and the
latest editions. A paper's calendar shows a year month by month, days with an edition linked
and missing days marked; an edition lists its pages (版面) with their names.
"""

from __future__ import annotations

import calendar
import datetime

from datasette.utils.asgi import NotFound, Response

from publish.page_image import THUMB_WIDTH

LATEST_EDITIONS = 10  # editions listed on the home page
# What changes when the crawler writes: the home page's figures are counted again then only
# (counting a million articles per paper costs more than the page may take).
STATE_SQL = ("select count(*), max(id), max(fetched_at), sum(status = 'ok'), "
             "(select max(id) from articles), (select count(*) from papers) from pages")
_HOME_CACHE: dict = {}
ROUTE = "/-/newsarchive"  # prefix of the plugin's pages


def paper_url(datasette, database: str, paper: str, year: int | None = None) -> str:
    """The calendar of ``paper`` (a year of it when given)."""
    path = datasette.urls.path(f"{ROUTE}/paper/{database}/{paper}")
    return f"{path}?year={year}" if year else path


def edition_url(datasette, database: str, paper: str, date: str) -> str:
    """The page list of one edition."""
    return datasette.urls.path(f"{ROUTE}/edition/{database}/{paper}/{date}")


def page_url(datasette, database: str, page_id: int) -> str:
    """The page view of one page."""
    return datasette.urls.path(f"{ROUTE}/page/{database}/{int(page_id)}")


def image_url(datasette, database: str, page_id: int, width: int) -> str:
    """The URL of a page's image at ``width`` pixels (publish.page_image.WIDTHS)."""
    return datasette.urls.path(f"{ROUTE}/image/{database}/{int(page_id)}/{width}.jpg")


async def _has_archive(db) -> bool:
    return {"papers", "pages", "articles"} <= set(await db.table_names())


async def coverage(db) -> list[dict]:
    """Every paper with its coverage: first and last date, editions, pages (ok and failed),
    articles and the days missing between its first and last edition."""
    rows = await db.execute(
        "select p.id, coalesce(p.name, p.id) as name, p.description, c.first_date, "
        "c.last_date, coalesce(c.dates, 0) as editions, coalesce(c.pages_ok, 0) as pages_ok, "
        "coalesce(c.pages_failed, 0) as pages_failed, coalesce(c.articles, 0) as articles, "
        "(select count(*) from coverage_gaps g where g.paper = p.id) as gaps "
        "from papers p left join paper_coverage c on c.paper = p.id order by p.id"
    )
    return [dict(r) for r in rows.rows]


async def latest_editions(db, limit: int = LATEST_EDITIONS) -> list[dict]:
    """The newest editions of all papers: paper, date, pages and articles."""
    rows = await db.execute(
        "with recent as (select distinct paper, date from pages order by date desc limit ?) "
        "select r.paper, coalesce(pp.name, r.paper) as name, r.date, "
        "(select count(*) from pages p where p.paper = r.paper and p.date = r.date) as pages, "
        "(select count(*) from articles a where a.paper = r.paper and a.date = r.date) "
        "as articles from recent r left join papers pp on pp.id = r.paper "
        "order by r.date desc, r.paper",
        [limit],
    )
    return [dict(r) for r in rows.rows]


def home_vars(datasette):
    """Template variables of the home page: ``newsarchive_home`` (the first database that is
    an archive, its papers with coverage and links, the latest editions), or nothing."""

    async def inner():
        archives = [name for name, db in datasette.databases.items() if await _has_archive(db)]
        if not archives:
            return {}
        database = archives[0]
        db = datasette.get_database(database)
        state = tuple((await db.execute(STATE_SQL)).first())
        if _HOME_CACHE.get("state") != (database, state):
            _HOME_CACHE.clear()
            _HOME_CACHE.update(state=(database, state), papers=await coverage(db),
                               editions=await latest_editions(db))
        papers = [dict(p) for p in _HOME_CACHE["papers"]]
        for paper in papers:
            paper["calendar"] = paper_url(datasette, database, paper["id"])
        editions = [dict(e) for e in _HOME_CACHE["editions"]]
        for edition in editions:
            edition["url"] = edition_url(datasette, database, edition["paper"], edition["date"])
        return {"newsarchive_home": {
            "database": database, "papers": papers, "editions": editions,
            "search": datasette.urls.database(database) + "/search",
        }}

    return inner


def month_grid(year: int, month: int, editions: dict[str, dict], first: str, last: str):
    """Weeks (Monday first) of one month; each day is None (outside the month) or a dict:
    ``date``, ``edition`` (the edition row or None) and ``missing`` (no edition on a day
    between the paper's first and last edition)."""
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(year, month):
        days = []
        for day in week:
            if day.month != month:
                days.append(None)
                continue
            iso = day.isoformat()
            edition = editions.get(iso)
            days.append({"day": day.day, "date": iso, "edition": edition,
                         "missing": edition is None and first <= iso <= last})
        weeks.append(days)
    return weeks


async def _paper(db, paper: str) -> dict:
    row = (await db.execute(
        "select id, coalesce(name, id) as name, description, homepage from papers where id = ?",
        [paper])).first()
    if row is None:
        raise NotFound("Paper not found")
    return dict(row)


async def calendar_page(request, datasette):
    """A paper's editions of one year (``?year=``, default the newest), month by month."""
    database, paper_id = request.url_vars["database"], request.url_vars["paper"]
    db = _database(datasette, database)
    paper = await _paper(db, paper_id)
    rows = await db.execute(
        "select date, count(*) as pages, sum(status = 'ok') as pages_ok from pages "
        "where paper = ? group by date order by date", [paper_id])
    editions = {r["date"]: dict(r) for r in rows.rows}
    years = sorted({int(d[:4]) for d in editions})
    try:
        year = int(request.args.get("year") or (years[-1] if years else 0))
    except ValueError:
        raise NotFound("No such year") from None
    first, last = (min(editions), max(editions)) if editions else ("", "")
    for date, edition in editions.items():
        edition["url"] = edition_url(datasette, database, paper_id, date)
    months = []
    if year:
        for month in range(1, 13):
            prefix = f"{year:04d}-{month:02d}"
            if not any(d.startswith(prefix) for d in editions) and not (
                first[:7] <= prefix <= last[:7]):
                continue
            months.append({
                "name": datetime.date(year, month, 1).strftime("%B %Y"),
                "id": prefix,
                "editions": sum(d.startswith(prefix) for d in editions),
                "weeks": month_grid(year, month, editions, first, last),
            })
    context = {
        "database": database, "paper": paper, "year": year, "months": months,
        "years": [{"year": y, "url": paper_url(datasette, database, paper_id, y)} for y in years],
        "first_date": first, "last_date": last, "editions": len(editions),
        "missing": sum(d["missing"] for m in months for w in m["weeks"] for d in w if d),
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
    return Response.html(await datasette.render_template(
        "newsarchive-calendar.html", context, request=request))


async def edition_page(request, datasette):
    """One edition: its pages with their numbers and names, each linked to its page view."""
    database = request.url_vars["database"]
    paper_id, date = request.url_vars["paper"], request.url_vars["date"]
    db = _database(datasette, database)
    paper = await _paper(db, paper_id)
    rows = await db.execute(
        "select p.id, p.page_no, p.page_label, p.page_name, p.status, p.reason, p.pdf_path, "
        "(select count(*) from articles a where a.page_id = p.id) as articles "
        "from pages p where p.paper = ? and p.date = ? order by p.page_no", [paper_id, date])
    pages = [dict(r) for r in rows.rows]
    if not pages:
        raise NotFound("No edition of this paper on that date")
    for page in pages:
        page["url"] = page_url(datasette, database, page["id"])
        if page["pdf_path"]:
            page["thumb"] = image_url(datasette, database, page["id"], THUMB_WIDTH)
    neighbours = {}
    for name, op, order in (("previous", "<", "desc"), ("next", ">", "asc")):
        row = (await db.execute(
            f"select date from pages where paper = ? and date {op} ? order by date {order} "
            "limit 1", [paper_id, date])).first()
        if row:
            neighbours[name] = {"date": row["date"],
                                "url": edition_url(datasette, database, paper_id, row["date"])}
    context = {
        "database": database, "paper": paper, "date": date, "pages": pages,
        "calendar": paper_url(datasette, database, paper_id, int(date[:4])),
        "search": datasette.urls.database(database) + "/search",  # within this edition
        **neighbours,
    }
    return Response.html(await datasette.render_template(
        "newsarchive-edition.html", context, request=request))


def _database(datasette, database: str):
    try:
        return datasette.get_database(database)
    except KeyError:
        raise NotFound("Database not found") from None
