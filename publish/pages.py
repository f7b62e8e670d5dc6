"""Data for the article page and the search form, and the page-PDF route."""

from __future__ import annotations

import json
import re
import weakref
from pathlib import Path

from datasette.utils import urlsafe_components
from datasette.utils.asgi import NotFound, Response, asgi_send_file

from pipelines.pdf_header import BOM, HEAD_BYTES, has_pdf_header

PLUGIN = "newsarchive"


def pdf_url(datasette, database: str, page_id: int | None) -> str | None:
    """The URL of a page's PDF on this server (archived copy, else a redirect to the source)."""
    if page_id is None:
        return None
    return datasette.urls.path(f"/-/newsarchive/pdf/{database}/{int(page_id)}")


def _captions(value: str | None) -> list[str]:
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return [value] if value else []
    return [str(i) for i in items] if isinstance(items, list) else [str(items)]


def article_vars(datasette, database: str, request):
    """``article`` for row-<db>-articles.html: the text fields ready to print, plus its
    paper and page (name, page label, source links)."""

    async def inner():
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        db = datasette.get_database(database)
        rows = await db.execute(
            "select a.*, p.page_label, p.page_name, p.page_url, p.pdf_url, "
            "pp.name as paper_name, pp.description as paper_description, "
            "pp.homepage as paper_homepage "
            "from articles a left join pages p on p.id = a.page_id "
            "left join papers pp on pp.id = a.paper where a.id = ?",
            [pks[0]],
        )
        row = rows.first()
        if row is None:
            return {}
        article = dict(row)
        article["paragraphs"] = [p for p in (article.get("body") or "").split("\n") if p]
        article["caption_list"] = _captions(article.get("captions"))
        article["pdf_link"] = pdf_url(datasette, database, article.get("page_id"))
        if article.get("page_id") is not None:
            article["page_link"] = datasette.urls.row(database, "pages", article["page_id"])
        return {"article": article, "q": request.args.get("q", "")}

    return inner


def search_vars(datasette, database: str):
    """``newsarchive_papers``: (id, name) of every paper, for the search form."""

    async def inner():
        db = datasette.get_database(database)
        if "papers" not in await db.table_names():
            return {"newsarchive_papers": []}
        rows = await db.execute("select id, coalesce(name, id) as name from papers order by id")
        return {"newsarchive_papers": [dict(r) for r in rows.rows]}

    return inner


# Each server's directories (PDFs, page-image cache): kept here, not in the plugin's
# metadata, which anyone can read at /-/metadata.json.
_DIRS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def set_dirs(datasette, *, files: Path, image_cache: Path) -> None:
    """Serve the PDFs of ``datasette``'s archive from ``files``, page images from
    ``image_cache``."""
    _DIRS[datasette] = {"files": Path(files), "image_cache": Path(image_cache)}


def files_dir(datasette) -> Path | None:
    """Where the crawler stored the PDFs (``pages.pdf_path`` is relative to it)."""
    return _DIRS.get(datasette, {}).get("files")


def image_cache_dir(datasette) -> Path | None:
    """Where this server keeps the page images it renders."""
    return _DIRS.get(datasette, {}).get("image_cache")


def pdf_filename(row) -> str:
    """The name a saved page PDF gets: paper-date-pNN.pdf (only safe characters)."""
    name = f"{row['paper']}-{row['date']}-p{int(row['page_no'] or 0):02d}.pdf"
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


async def send_stored_pdf(send, path: Path, filename: str) -> None:
    """Send an archived PDF: shown inline as a PDF, never sniffed as anything else; a file
    that does not start like a PDF (stored before the header check was strict) is only
    offered as a download of unknown type."""
    with open(path, "rb") as handle:
        is_pdf = has_pdf_header(handle.read(HEAD_BYTES + len(BOM)))
    disposition = "inline" if is_pdf else "attachment"
    headers = {
        "content-disposition": f'{disposition}; filename="{filename}"',
        "x-content-type-options": "nosniff",
    }
    content_type = "application/pdf" if is_pdf else "application/octet-stream"
    await asgi_send_file(send, path, content_type=content_type, headers=headers)


async def page_pdf(request, send, datasette):
    """Send the archived PDF of a page; redirect to its source URL when there is none."""
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound("Database not found") from None
    row = (
        await db.execute(
            "select pdf_path, pdf_url, paper, date, page_no from pages where id = ?",
            [int(request.url_vars["page_id"])],
        )
    ).first()
    if row is None:
        raise NotFound("Page not found")
    root = files_dir(datasette)
    if root and row["pdf_path"]:
        path = (root / row["pdf_path"]).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            await send_stored_pdf(send, path, pdf_filename(row))
            return
    if (row["pdf_url"] or "").lower().startswith(("http://", "https://")):
        await Response.redirect(row["pdf_url"]).asgi_send(send)
        return
    raise NotFound("No PDF stored for this page")
