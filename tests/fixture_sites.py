"""Fixture e-paper sites for the tests: committed byte-exact HTML + PDFs made at test time.

``tests/sites/<family>/`` holds the HTML as the real sites serve it (unquoted attributes, a
GBK page declared GB2312, PDF links inside comments…); ``tests/sites/pdfs.toml`` lists the
page PDFs, which are typeset here so the tests know each page's true articles, and
``tests/sites/articles.toml`` what each page publishes beside its PDF: its image, hot-spot
map, title list and article pages (crawler/demo/publisher.py), written over the committed
page's ``<map>`` and list, with the same text as the PDF except where it says otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from crawler.demo import publisher
from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import PageSpec, typeset_page

SITES = Path(__file__).parent / "sites"
# Where each family's page HTML keeps its map and its title list's items.
MAP = re.compile(rb"<map\b.*?</map>", re.I | re.S)
LISTS = {
    "founder_classic": re.compile(rb'(<ul class="ul02_l">)(.*?)(</ul>)', re.S),
    "founder_new": re.compile(rb'(<ul class="news-list">)(.*?)(</ul>)', re.S),
    "founder_col": re.compile(rb'(<div class="news-list"><ul>)(.*?)(</ul>)', re.S),
    "xhby": re.compile(rb'(<div class="newslist"><ul>)(.*?)(</ul>)', re.S),
    "page_nn": re.compile(rb'(<div class="newslist"><ul>)(.*?)(</ul>)', re.S),
    "dated_html": re.compile(rb'(<div class="bmnr_list"><ul>)(.*?)(</ul>)', re.S),
}
ARTICLE_HREF = {
    "founder_classic": "content_{id}.htm",
    "founder_new": "../../../content/{ym}/{dd}/content_{id}.html",
    "founder_col": "../../../con/{ym}/{dd}/c{id}.html",
    "xhby": "../../../con/{ym}/{dd}/content_{id}.html",
    "page_nn": "Articel{id}TB.htm",
    "dated_html": "content_{ym}{dd}{id}.htm",
}
# A typo the site's page corrects: the first of these characters in the article's first
# paragraph is printed as its look-alike.
TYPOS = {"的": "地", "在": "再", "已": "己", "和": "合", "是": "事"}
EXTRA_PARAGRAPH = "（本报记者 许廷合 整理）"


@dataclass
class PublishedPage:
    """What one fixture page publishes: its articles as the site has them (with their
    absolute URL path), which of them answer 404 or are garbled, the image's pixel space."""

    layout: str
    articles: list[tuple[str, publisher.PublishedArticle]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    garbled: list[str] = field(default_factory=list)
    space: tuple[int, int] | None = None
    page_size: tuple[float, float] | None = None


def with_typo(spec: PageSpec, index: int) -> tuple[PageSpec, str]:
    """The spec with a typo in article ``index``'s first paragraph; and that article's title."""
    article = spec.articles[index]
    first = article.paragraphs[0]
    position = min((first.index(c) for c in TYPOS if c in first), default=None)
    if position is None:
        raise ValueError(f"no character to mistype in {article.title!r}")
    typo = first[:position] + TYPOS[first[position]] + first[position + 1:]
    changed = dataclasses.replace(article, paragraphs=[typo, *article.paragraphs[1:]])
    articles = [changed if i == index else a for i, a in enumerate(spec.articles)]
    return dataclasses.replace(spec, articles=articles), article.title


def spec_of(entry: dict) -> PageSpec:
    day = datetime.date.fromisoformat(entry["date"])
    return edition_specs(entry["paper"], day, pages=entry["index"] + 1, seed=day.toordinal())[
        entry["index"]
    ]


def build_fixture_site(family: str, root: Path) -> tuple[dict[str, dict], dict]:
    """Copy the family's site to ``root`` and write its PDFs and what its pages publish;
    return the PDFs' truths by path and the pages' PublishedPage by page HTML path."""
    shutil.copytree(SITES / family, root, dirs_exist_ok=True)
    pdfs = tomllib.loads((SITES / "pdfs.toml").read_text(encoding="utf-8"))[family]
    pages = tomllib.loads((SITES / "articles.toml").read_text(encoding="utf-8")).get(family, {})
    by_pdf = {entry["pdf"]: layout for layout, entry in pages.items() if "pdf" in entry}
    truths, published = {}, {}
    ids = iter(range(5_000_001, 6_000_000))
    for relative, spec in pdfs.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if spec["kind"] == "corrupt":
            target.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
            continue
        page = spec_of(spec)
        layout = by_pdf.get(relative)
        entry = pages.get(layout, {})
        corrected = {}
        if "typo" in entry:
            printed, title = with_typo(page, entry["typo"])
            corrected[title] = page.articles[entry["typo"]].paragraphs[0]
            page = printed
        truths[relative] = typeset_page(page, target)
        if spec["kind"] == "truncated":
            data = target.read_bytes()
            target.write_bytes(data[: len(data) // 2])
            del truths[relative]
        elif layout:
            published[layout] = publish(
                family, root, layout, entry, page, truths[relative], target, corrected, ids
            )
    for layout, entry in pages.items():
        if layout in published:
            continue
        if entry.get("empty"):
            published[layout] = publish(family, root, layout, entry, None, None, None, {}, ids)
            continue
        page = spec_of(entry)
        with tempfile.TemporaryDirectory() as scratch:  # typeset only for where articles are
            pdf = Path(scratch) / "page.pdf"
            truth = typeset_page(page, pdf)
            published[layout] = publish(family, root, layout, entry, page, truth, pdf, {}, ids)
    return truths, published


def publish(family, root, layout, entry, spec, truth, pdf, corrected, ids) -> PublishedPage:
    """Write the page's image, map, title list and article pages; return what it published."""
    path = root / layout
    result = PublishedPage(layout)
    html = path.read_bytes()
    encoding = "gbk" if b"charset=gb2312" in html[:300] else "utf-8"
    articles: list[publisher.PublishedArticle] = []
    if not entry.get("empty"):
        day = spec.date
        if "image" in entry:  # else the page has no image map, only its title list
            image_src = re.search(
                rb'<img[^>]*?src="?([^" >]+)"?[^>]*usemap', html, re.I
            ).group(1)
            declared = re.search(rb'<img width="(\d+)" height="(\d+)"', html)
            result.space = (
                (int(declared.group(1)), int(declared.group(2)))
                if declared else tuple(entry["image"])
            )
            result.page_size = (spec.width, spec.height)
            publisher.render_image(
                pdf, (path.parent / image_src.decode()).resolve(), tuple(entry["image"])
            )
        for index, article in enumerate(spec.articles):
            number = next(ids)
            href = ARTICLE_HREF[family].format(id=number, ym=f"{day:%Y%m}", dd=f"{day:%d}")
            own = next(a for a in truth["articles"] if a["title"] == article.title)
            site = publisher.from_truth(own, href)
            if article.title in corrected:
                site.paragraphs[0] = corrected[article.title]
            if index == entry.get("extra_paragraph"):
                site.paragraphs.append(EXTRA_PARAGRAPH)
            articles.append(site)
            url_path = "/" + str((path.parent / href).resolve().relative_to(root.resolve()))
            result.articles.append((url_path, site))
            if index in entry.get("missing", []):
                result.missing.append(url_path)
                continue
            body = publisher.article_page(
                family,
                site,
                paper=spec.paper_name,
                date=day.isoformat(),
                label=spec.page_label,
                encoding=entry.get("encoding", "utf-8"),
            )
            if index in entry.get("garbled", []):
                body = body.decode("utf-8").encode("gbk")  # declared UTF-8, bytes GBK
                result.garbled.append(url_path)
            target = (path.parent / href).resolve()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
    if family in publisher.COORD_DECIMALS:  # a family whose pages have an image map
        map_html = publisher.map_html(
            family, articles, result.page_size or (1, 1), result.space or (1, 1)
        )
        html = MAP.sub(lambda _: map_html.encode(encoding), html, count=1)
    items = publisher.title_list(family, articles).encode(encoding)
    html = LISTS[family].sub(lambda m: m.group(1) + items + m.group(3), html, count=1)
    path.write_bytes(html)
    return result
