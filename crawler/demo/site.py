"""Build a local copy of a 许昌日报-style e-paper site (Founder "col" template).

Layout as on szb.21xc.com (shared/research/epaper-sites.md §4, §9 F3)::

    <code>/PC/layout/YYYYMM/DD/colNN.html       a page (版面): page list, PDF link, article list
    <code>/PC/con/YYYYMM/DD/cNNNNNN.html        an article
    <code>/PC/attachement/YYYYMM/DD/<uuid>.pdf  the page PDF (random name, read from the page)

Page PDFs are typeset by :mod:`crawler.demo.typesetter`. Odd pages hide the PDF link in an
HTML comment (``<!-- <p id="pdfUrl">…</p> -->``), even pages give a visible link, as sibling
sites do. ``build_site`` returns the truth of every page, keyed by (date, page number).
"""

from __future__ import annotations

import html
import uuid
from datetime import date
from pathlib import Path

from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page

WEEKDAYS = "一二三四五六日"

PAGE_HTML = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{paper}数字报</title>
</head>
<body>
<div class="header"><span class="date">{day:%Y年%m月%d日} 星期{weekday}</span></div>
<div class="nav-list"><ul>
{nav}
</ul></div>
<div class="paper-box">
{pdf}
<img class="preview" src="../../../pic/{ym}/{dd}/{image}.jpg.1" usemap="#PagePicMap">
<map name="PagePicMap">
{areas}
</map>
</div>
<div class="news-list"><ul>
{news}
</ul></div>
</body>
</html>
"""

ARTICLE_HTML = """<!DOCTYPE html>
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title></head>
<body>
<p id="PreTitle">{kicker}</p><h2 id="Title">{title}</h2><p id="SubTitle">{subtitle}</p>
<div class="detail-art"><div id="ozoom"><founder-content>{body}</founder-content></div></div>
</body>
</html>
"""

HOME_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{paper}数字报</title></head>
<body><p>{paper}数字报 — 首页</p></body></html>
"""


def build_site(
    root: str | Path,
    *,
    code: str = "xcrb",
    paper_name: str = "许昌日报",
    dates: list[date],
    pages: int = 4,
) -> dict[tuple[str, int], dict]:
    """Write the site under ``root``; return the typesetter's truth per (date, page_no)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    truths: dict[tuple[str, int], dict] = {}
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (root / "index.html").write_text(HOME_HTML.format(paper=paper_name), encoding="utf-8")
    article_id = 120540
    for day in dates:
        specs = edition_specs(paper_name, day, pages=pages, seed=day.toordinal())
        ym, dd = f"{day:%Y%m}", f"{day:%d}"
        layout = root / code / "PC" / "layout" / ym / dd
        layout.mkdir(parents=True, exist_ok=True)
        nav = "\n".join(
            f'  <li><a class="btn btn-block" href="col{s.page_label}.html">'
            f"{s.page_label}版：{s.page_name}</a></li>"
            for s in specs
        )
        for number, spec in enumerate(specs, start=1):
            name = uuid.UUID(int=(day.toordinal() << 16) + number).hex
            pdf_rel = f"attachement/{ym}/{dd}/{name}.pdf"
            pdf_path = root / code / "PC" / pdf_rel
            pdf_path.parent.mkdir(parents=True, exist_ok=True)
            truths[(day.isoformat(), number)] = typeset_page(spec, pdf_path)
            if number % 2:
                pdf = f'<!-- <p id="pdfUrl" style="display:none">../../../{pdf_rel}</p> -->'
            else:
                pdf = f'<div class="pull-right"><a href="../../../{pdf_rel}">PDF下载</a></div>'
            areas, news = [], []
            for article in spec.articles:
                article_id += 1
                href = f"../../../con/{ym}/{dd}/c{article_id}.html"
                areas.append(
                    f'<area coords="1.6,23.4,398.6,23.4,398.6,197.8,1.6,197.8" '
                    f'shape="polygon" href="{href}">'
                )
                news.append(
                    f'<li class="resultList"><a href="{href}"><h4>'
                    f"{html.escape(article.title)}</h4></a></li>"
                )
                write_article(root / code / "PC" / "con" / ym / dd / f"c{article_id}.html", article)
            (layout / f"col{spec.page_label}.html").write_text(
                PAGE_HTML.format(
                    paper=paper_name,
                    day=day,
                    weekday=WEEKDAYS[day.weekday()],
                    nav=nav,
                    pdf=pdf,
                    ym=ym,
                    dd=dd,
                    image=name,
                    areas="\n".join(areas),
                    news="\n".join(news),
                ),
                encoding="utf-8",
            )
    return truths


def write_article(path: Path, article) -> None:
    """The article's HTML page, as the site shows it next to the page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<p>　　{html.escape(p)}</p>" for p in article.paragraphs)
    path.write_text(
        ARTICLE_HTML.format(
            kicker=html.escape(article.kicker or ""),
            title=html.escape(article.title),
            subtitle=html.escape(article.subtitle or ""),
            body=body,
        ),
        encoding="utf-8",
    )
