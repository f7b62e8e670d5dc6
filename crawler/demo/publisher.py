"""What a Founder site publishes beside each page PDF, for the sample sites: page image,
hot-spot map, title list and article pages, in each family's markup.

A typeset page's truth (its articles and where the typesetter put them) becomes what a
Founder site publishes beside the PDF: a page image (the PDF rendered to a JPEG of another
size), a ``<map name="PagePicMap">`` whose ``<area coords>`` outline each article in that
image's pixels, a title list, and one HTML page per article with the same text as the PDF.
The markup follows shared/research/epaper-sites.md: classic pages with unquoted attributes,
``td.font01/02`` and ``<br>``-separated paragraphs (in GBK when asked), ``pc/layout`` pages
with ``h3/h1/h2`` and ``<!--enpcontent-->``, "col" pages with ``#PreTitle #Title #SubTitle``.
Used by the demo (``crawler/demo/site.py``) and the tests' fixture sites.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2

# Map coordinates as each family writes them: integers over the _b.jpg (classic), floats
# with decimals over the image or the declared thumbnail (pc/layout, col).
COORD_DECIMALS = {"founder_classic": 0, "founder_new": 4, "founder_col": 1, "xhby": 2}
IMAGE_QUALITY = 60


@dataclass
class PublishedArticle:
    """An article as a sample site publishes it (its page's URL relative to the layout page)."""

    href: str
    kicker: str | None
    title: str
    subtitle: str | None
    byline: str | None
    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    #: Top-left-origin box in PDF points of the article on its page; None: not drawn.
    bbox: list[float] | None = None


def from_truth(truth: dict, href: str) -> PublishedArticle:
    """The site's version of a typeset article: the same fields and text."""
    return PublishedArticle(
        href=href,
        kicker=truth.get("kicker"),
        title=truth["title"],
        subtitle=truth.get("subtitle"),
        byline=truth.get("byline"),
        paragraphs=[p for p in (truth.get("body") or "").split("\n") if p],
        captions=list(truth.get("captions") or []),
        bbox=truth.get("bbox"),
    )


def render_image(pdf: str | Path, target: str | Path, size: tuple[int, int]) -> None:
    """Write the PDF's first page as a JPEG of ``size`` pixels (the page image)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, _ = page.get_size()
        image = page.render(scale=size[0] / width).to_pil().convert("RGB").resize(size)
    finally:
        document.close()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=IMAGE_QUALITY)


def coords(
    bbox: list[float], page_size: tuple[float, float], space: tuple[int, int], decimals: int
) -> str:
    """An area's ``coords``: the bbox's four corners in the image's pixel space."""
    sx, sy = space[0] / page_size[0], space[1] / page_size[1]
    x0, y0, x1, y1 = bbox[0] * sx, bbox[1] * sy, bbox[2] * sx, bbox[3] * sy

    def fmt(v: float) -> str:
        return str(round(v)) if decimals == 0 else f"{round(v, decimals):g}"

    return ",".join(fmt(v) for v in (x0, y0, x1, y0, x1, y1, x0, y1))


def map_html(
    family: str,
    articles: list[PublishedArticle],
    page_size: tuple[float, float],
    space: tuple[int, int],
) -> str:
    """The ``<map>`` element of a page, as the family writes it."""
    decimals = COORD_DECIMALS[family]
    drawn = [a for a in articles if a.bbox]
    if family == "founder_classic":  # every article twice: ?div=-1 and ?div=0
        areas = "\n".join(
            f'<Area coords="{coords(a.bbox, page_size, space, decimals)}" shape="polygon" '
            f'href="{a.href}?div={div}">'
            for a in drawn
            for div in ("-1", "0")
        )
        return f"<map name=PagePicMap>{areas}</map>"
    areas = "\n".join(
        f'<area coords="{coords(a.bbox, page_size, space, decimals)}" shape="polygon" '
        f'href="{a.href}">'
        for a in drawn
    )
    tag = "MAP" if family == "founder_new" else "map"
    return f'<{tag} name="PagePicMap">\n{areas}\n</{tag}>'


def title_list(family: str, articles: list[PublishedArticle]) -> str:
    """The page's title list (标题导航) items."""
    if family == "founder_classic":
        return "\n".join(
            f"<li>&middot;<a href={a.href}?div=-1><div style=\"display:inline\" "
            f"id=mp{a.href.split('_')[-1].split('.')[0]}>{html.escape(a.title)}</div></a>"
            for a in articles
        )
    if family == "founder_new":
        return "\n".join(
            f'<li><span>·</span><a href="{a.href}"> {html.escape(a.title)} </a></li>'
            for a in articles
        )
    if family in ("xhby", "page_nn", "dated_html"):
        return "\n".join(
            f'<li><a href="{a.href}">{html.escape(a.title)}</a></li>' for a in articles
        )
    return "\n".join(
        f'<li class="resultList"><a href="{a.href}"><h4>{html.escape(a.title)}</h4></a></li>'
        for a in articles
    )


def _e(text: str | None) -> str:
    return html.escape(text or "")


def _lead(article: PublishedArticle) -> list[str]:
    """The body as printed: a 本报讯（…） byline opens the first paragraph, another byline
    is a paragraph of its own."""
    paragraphs = list(article.paragraphs)
    if article.byline and article.byline.startswith("本报讯") and paragraphs:
        paragraphs[0] = article.byline + paragraphs[0]
    elif article.byline:
        paragraphs.insert(0, article.byline)
    return paragraphs


def classic_article(article: PublishedArticle, *, charset: str, date: str) -> str:
    paragraphs = "<br>\n".join(f"　　{_e(p)}" for p in _lead(article))
    pictures = "".join(
        f"<table><tr><td><IMG src=../../../images/tplimg/{i}.jpg></td></tr>"
        f"<tr><td class=font03>{_e(c)}</td></tr></table>"
        for i, c in enumerate(article.captions)
    )
    return f"""<html><head><meta http-equiv=Content-Type content="text/html; charset={charset}">
<title>{_e(article.title)}</title></head><body>
<table width=100% border=0 cellspacing=0 cellpadding=0><tbody>
<tr><td class=font02 align=center>{_e(article.kicker)}</td></tr>
<tr><td class=font01 align=center>{_e(article.title)}</td></tr>
<tr><td class=font02 align=center>{_e(article.subtitle)}</td></tr>
</tbody></table>
<div id=ozoom><founder-content>{pictures}<P>{paragraphs}</P></founder-content></div>
<!--enpproperty <founder-date>{date}</founder-date><founder-title>{_e(article.title)}\
</founder-title><founder-author>{_e(article.byline)}</founder-author>\
<founder-type>1</founder-type> /enpproperty-->
</body></html>
"""


def new_article(article: PublishedArticle, *, paper: str, date: str, label: str) -> str:
    reporter = (
        f'<meta name="reporter" content="{_e(article.byline)}">' if article.byline else ""
    )
    paragraphs = "".join(f"<p>　　{_e(p)}</p>" for p in article.paragraphs)
    pictures = "".join(
        f'<p><img src="../../../pic/{i}.jpg" data-original-title="{_e(c)}"></p>'
        for i, c in enumerate(article.captions)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="PageNumber" content="{label}">{reporter}<title>{_e(article.title)}</title></head>
<body><div class="article-box" id="ozoom"><div class="article">
<h3>{_e(article.kicker)}</h3><h1>{_e(article.title)}</h1><h2>{_e(article.subtitle)}</h2>
<p class="sec"><span>{_e(article.byline)}</span><span class="date">来源：{_e(paper)}</span>
<span class="newstime">（{date}&nbsp;&nbsp;{label}版）</span></p>
<div id="content" class="article-text"><founder-content><!--enpcontent-->\
{pictures}{paragraphs}<!--/enpcontent--></founder-content></div>
</div></div></body></html>
"""


def col_article(article: PublishedArticle) -> str:
    paragraphs = "".join(f"<p>　　{_e(p)}</p>" for p in _lead(article))
    pictures = "".join(
        f'<div class="attachment"><img src="../../../pic/{i}.jpg"><p>{_e(c)}</p></div>'
        for i, c in enumerate(article.captions)
    )
    return f"""<!DOCTYPE html>
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(article.title)}</title></head>
<body>
<p id="PreTitle">{_e(article.kicker)}</p><h2 id="Title">{_e(article.title)}</h2>\
<p id="SubTitle">{_e(article.subtitle)}</p>
<div class="detail-art"><div id="ozoom"><founder-content>{paragraphs}</founder-content></div></div>
{pictures}
</body>
</html>
"""


def xhby_article(article: PublishedArticle) -> str:
    """新华报业's article page: the title in ``div.newsdetatit h3``, the text in
    ``div.newsdetatext`` (all the research note shows of it: no kicker or subtitle)."""
    paragraphs = "".join(f"<p>　　{_e(p)}</p>" for p in _lead(article))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{_e(article.title)}</title></head>
<body><div id="ScroLeft">
<div class="newsdetatit"><h3>{_e(article.title)}</h3></div>
<div class="newsdetatext"><founder-content>{paragraphs}</founder-content></div>
</div></body></html>
"""


def page_nn_article(article: PublishedArticle) -> str:
    """A ``PageNNXX`` site's ``Articel…htm``: title ``.xha-view-title h1``, text
    ``#article_view_content`` (what the research note shows)."""
    paragraphs = "".join(f"<p>{_e(p)}</p>" for p in _lead(article))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{_e(article.title)}</title></head>
<body><div class="xha-view-title"><h1>{_e(article.title)}</h1></div>
<div id="article_view_content">{paragraphs}</div>
</body></html>
"""


def dated_html_article(article: PublishedArticle) -> str:
    """A ``YYYYMMDD/html`` site's ``content_…htm``: 引题, 标题, 副题 in
    ``div.bmnr_con_yinti/_biaoti/_futi``, the text in ``div#zoom``."""
    paragraphs = "<br>\n".join(f"　　{_e(p)}" for p in _lead(article))
    return f"""<html><head><meta charset="utf-8"><title>{_e(article.title)}</title></head>
<body><div class="bmnr_con">
<div class="bmnr_con_yinti">{_e(article.kicker)}</div>
<div class="bmnr_con_biaoti">{_e(article.title)}</div>
<div class="bmnr_con_futi">{_e(article.subtitle)}</div>
<div id="zoom">{paragraphs}</div>
</div></body></html>
"""


def article_page(
    family: str, article: PublishedArticle, *, paper: str, date: str, label: str, encoding: str
) -> bytes:
    """The article's HTML page, encoded as the site serves it."""
    if family == "founder_classic":
        charset = "gb2312" if encoding.lower() in ("gbk", "gb2312", "gb18030") else "utf-8"
        text = classic_article(article, charset=charset, date=date)
    elif family == "founder_new":
        text = new_article(article, paper=paper, date=date, label=label)
    elif family == "xhby":
        text = xhby_article(article)
    elif family == "page_nn":
        text = page_nn_article(article)
    elif family == "dated_html":
        text = dated_html_article(article)
    else:
        text = col_article(article)
    return text.encode(encoding)
