"""The page view (the stored PDF as an image with its articles' boxes over it), the page
image route with HTTP caching, and the thumbnail on the article page.

A page whose PDF is not here (not downloaded, or stored elsewhere) degrades to its list of
articles and the link to its source; a PDF that cannot be rendered the same way.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import quote

from datasette.utils.asgi import NotFound, Response, asgi_send_file

from publish import page_image
from publish.browse import edition_url, image_url, page_url
from publish.pages import files_dir, image_cache_dir

PLUGIN = "newsarchive"
IMAGE_MAX_AGE = 7 * 24 * 3600  # seconds a browser may keep a page image before revalidating
_IMAGES: dict[str, page_image.PageImages] = {}


def images(datasette) -> page_image.PageImages | None:
    """The image cache configured for this server (``pages.image_cache_dir``), or None."""
    configured = image_cache_dir(datasette)
    if not configured:
        return None
    if configured not in _IMAGES:
        _IMAGES[configured] = page_image.PageImages(configured)
    return _IMAGES[configured]


def stored_pdf(datasette, pdf_path: str | None) -> Path | None:
    """The archived PDF file of a page, when it is here."""
    root = files_dir(datasette)
    if not (root and pdf_path):
        return None
    path = (root / pdf_path).resolve()
    return path if path.is_relative_to(root.resolve()) and path.is_file() else None


def bbox(value: str | None) -> list[float] | None:
    """An article's box [x0, top, x1, bottom] from its JSON, or None."""
    try:
        box = json.loads(value or "null")
    except ValueError:
        return None
    if isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box):
        return [float(v) for v in box]
    return None


async def _page_row(datasette, database: str, page_id: int) -> dict:
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound("Database not found") from None
    row = (await db.execute(
        "select p.*, coalesce(pp.name, p.paper) as paper_name from pages p "
        "left join papers pp on pp.id = p.paper where p.id = ?", [page_id])).first()
    if row is None:
        raise NotFound("Page not found")
    return dict(row)


async def picture(datasette, page: dict) -> dict | None:
    """What the templates need to draw a page: image URLs and the page size in points
    (None when the page has no PDF here or it cannot be read)."""
    cache = images(datasette)
    pdf = stored_pdf(datasette, page.get("pdf_path"))
    if cache is None or pdf is None:
        return None
    sha = page.get("sha256") or await asyncio.to_thread(page_image.file_sha256, pdf)
    try:
        width, height = await asyncio.to_thread(cache.size, pdf, sha)
    except page_image.PageImageError:
        return None
    database = page["_database"]
    urls = {w: image_url(datasette, database, page["id"], w) for w in page_image.WIDTHS}
    return {
        "width": width, "height": height, "pdf": pdf,
        "src": urls[page_image.VIEW_WIDTH], "thumb": urls[page_image.THUMB_WIDTH],
        "srcset": ", ".join(f"{u} {w}w" for w, u in urls.items()),
    }


async def page_image_route(request, send, datasette):
    """Send a page image (rendered on first request), with an ETag and Cache-Control."""
    database = request.url_vars["database"]
    width = int(request.url_vars["width"])
    if width not in page_image.WIDTHS:
        raise NotFound(f"Images come at widths {', '.join(map(str, page_image.WIDTHS))}")
    page = await _page_row(datasette, database, int(request.url_vars["page_id"]))
    cache = images(datasette)
    pdf = stored_pdf(datasette, page.get("pdf_path"))
    if cache is None or pdf is None:
        raise NotFound("No PDF stored for this page")
    sha = page.get("sha256") or await asyncio.to_thread(page_image.file_sha256, pdf)
    etag = f'"{sha[:32]}-{width}"'
    headers = {"Cache-Control": f"public, max-age={IMAGE_MAX_AGE}", "ETag": etag}
    if etag in (request.headers.get("if-none-match") or ""):
        await Response("", status=304, headers=headers).asgi_send(send)
        return
    path = cache.cached(sha, width)
    if path is None:
        try:
            path = await asyncio.to_thread(cache.image, pdf, sha, width)
        except page_image.PageImageError as exc:
            raise NotFound(f"The page PDF cannot be rendered: {exc}") from None
    await asgi_send_file(send, path, content_type="image/jpeg", headers=headers,
                         chunk_size=1 << 16)


async def page_view(request, datasette):
    """A page: its image with a box per article (hover names it, click opens it), the
    query's hits highlighted (``?q=``), and its articles listed."""
    database = request.url_vars["database"]
    page = await _page_row(datasette, database, int(request.url_vars["page_id"]))
    page["_database"] = database
    query = request.args.get("q", "")
    db = datasette.get_database(database)
    rows = await db.execute(
        "select id, seq, kicker, title, subtitle, bbox from articles where page_id = ? "
        "order by seq", [page["id"]])
    articles = []
    for row in rows.rows:
        article = dict(row)
        article["box"] = bbox(article.pop("bbox"))
        url = datasette.urls.row(database, "articles", article["id"])
        article["url"] = f"{url}?q={quote(query, safe='')}" if query else url
        articles.append(article)
    pic = await picture(datasette, page)
    hit_boxes, hit_error = [], None
    if pic and query.strip():
        try:
            hit_boxes = await asyncio.to_thread(page_image.hit_boxes, pic["pdf"], query)
        except page_image.PageImageError as exc:
            hit_error = str(exc)
    context = {
        "database": database, "page": page, "articles": articles, "picture": pic,
        "q": query, "hit_boxes": hit_boxes, "hit_error": hit_error,
        "edition": edition_url(datasette, database, page["paper"], page["date"]),
        "pdf_link": datasette.urls.path(f"/-/newsarchive/pdf/{database}/{page['id']}"),
        "search": datasette.urls.database(database) + "/search",
    }
    return Response.html(await datasette.render_template(
        "newsarchive-page.html", context, request=request))


async def article_thumbnail(datasette, database: str, article: dict) -> dict | None:
    """The article page's thumbnail: its page image, the page size and the article's box."""
    if article.get("page_id") is None:
        return None
    page = await _page_row(datasette, database, article["page_id"])
    page["_database"] = database
    pic = await picture(datasette, page)
    if pic is None:
        return None
    return {**pic, "box": bbox(article.get("bbox")),
            "page_view": page_url(datasette, database, page["id"])}
