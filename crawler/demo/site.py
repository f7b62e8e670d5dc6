"""Build a local copy of a 许昌日报-style e-paper site (Founder "col" template).

Layout as on szb.21xc.com (shared/research/epaper-sites.md §4, §9 F3)::

    <code>/PC/layout/YYYYMM/DD/colNN.html       a page (版面): page list, PDF link, article list
    <code>/PC/con/YYYYMM/DD/cNNNNNN.html        an article
    <code>/PC/attachement/YYYYMM/DD/<uuid>.pdf  the page PDF (random name, read from the page)

Page PDFs are typeset by :mod:`crawler.demo.typesetter`. Odd pages hide the PDF link in an
HTML comment (``<!-- <p id="pdfUrl">…</p> -->``), even pages give a visible link, as sibling
sites do. Each page also has its image (``PC/pic/…jpg.1``, the PDF rendered), a hot-spot map
over it and one article page per article, with the PDF's text (crawler/demo/publisher.py).
``build_site`` returns the truth of every page, keyed by (date, page number).
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from crawler.demo import publisher
from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page

WEEKDAYS = "一二三四五六日"
IMAGE_SIZE = (600, 849)  # the page image the hot-spot map is drawn over (the PDF: 842x1191 pt)

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
{map}
</div>
<div class="news-list"><ul>
{news}
</ul></div>
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
            truth = truths[(day.isoformat(), number)] = typeset_page(spec, pdf_path)
            publisher.render_image(
                pdf_path, root / code / "PC" / "pic" / ym / dd / f"{name}.jpg.1", IMAGE_SIZE
            )
            if number % 2:
                pdf = f'<!-- <p id="pdfUrl" style="display:none">../../../{pdf_rel}</p> -->'
            else:
                pdf = f'<div class="pull-right"><a href="../../../{pdf_rel}">PDF下载</a></div>'
            published = []
            for article in spec.articles:
                article_id += 1
                href = f"../../../con/{ym}/{dd}/c{article_id}.html"
                own = next(a for a in truth["articles"] if a["title"] == article.title)
                site = publisher.from_truth(own, href)
                published.append(site)
                target = root / code / "PC" / "con" / ym / dd / f"c{article_id}.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(
                    publisher.article_page(
                        "founder_col", site, paper=paper_name, date=day.isoformat(),
                        label=spec.page_label, encoding="utf-8",
                    )
                )
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
                    map=publisher.map_html(
                        "founder_col", published, (spec.width, spec.height), IMAGE_SIZE
                    ),
                    news=publisher.title_list("founder_col", published),
                ),
                encoding="utf-8",
            )
    return truths
