"""What every Founder-made e-paper has in common, and the adapter interface.

An edition is reached at one URL per date; its HTML lists the pages (版面, "第01版：要闻");
each page's HTML names its PDF. Families differ only in URL shapes and where the links sit,
so an adapter is a few URL templates and selectors over this base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlparse

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.article_pages import SiteArticle
from crawler.spiders.families.hotspots import PageMap, page_map

# "第01版：要闻", "01版：要闻", "第A06版:关注", "A06版 关注"
PAGE_LABEL = re.compile(r"第?\s*([A-Za-z]?\d{1,3})\s*版\s*[：:]?\s*(.*)")
# Sibling sites hide the PDF link inside an HTML comment.
PDF_IN_COMMENT = re.compile(r"<p[^>]*id=[\"']?pdfUrl[\"']?[^>]*>\s*([^<\s]+\.pdf)\s*</p>", re.I)
PDF_ANYWHERE = re.compile(r"[\"'=]([^\"'\s<>=]*attachement/[^\"'\s<>]+\.pdf)", re.I)
_TEXT_NODES = etree.XPath("descendant-or-self::text()", smart_strings=False)


def texts(element: Selector) -> list[str]:
    """The text nodes under a selected element, as ``element.css("::text").getall()`` gives
    them, without a Selector object per node (this runs for every link of every page)."""
    return _TEXT_NODES(element.root)


@dataclass
class PageLink:
    """A page of an edition as the edition's page list gives it."""

    label: str  # "01", "A06"
    name: str | None  # "要闻"
    url: str
    pdf_url: str | None = None

    @property
    def number(self) -> int:
        return page_number(self.label)


@dataclass
class PageInfo:
    """What a page's own HTML says: its PDF, name and listed articles."""

    pdf_url: str | None
    name: str | None = None
    hints: list[dict] = field(default_factory=list)
    #: The page image and its article hot-spots (families with article pages).
    map: PageMap | None = None


def page_number(label: str) -> int:
    """Sortable page number: "05" -> 5; lettered sections "A06" -> 106, "B02" -> 202."""
    match = re.fullmatch(r"([A-Za-z]?)(\d+)", label.strip())
    if not match:
        raise ValueError(f"not a page label: {label!r}")
    letter, digits = match.groups()
    offset = (ord(letter.upper()) - ord("A") + 1) * 100 if letter else 0
    return offset + int(digits)


def parse_page_label(text: str) -> tuple[str, str | None] | None:
    """("01", "要闻") from "第01版：要闻"; None when the text is not a page label."""
    match = PAGE_LABEL.search(" ".join(text.split()))
    if not match:
        return None
    label, name = match.groups()
    label = label.upper()
    if label.isdigit():
        label = f"{int(label):02d}"
    return label, (name.strip() or None)


class Family:
    """A site family adapter; subclasses set URL templates and selectors."""

    name = ""
    #: CSS selectors of the page-list links, tried in order.
    page_link_selectors: tuple[str, ...] = ("a#pageLink",)
    #: CSS selectors of article links listed on a page (kept as hints).
    hint_selectors: tuple[str, ...] = ()
    #: Searches the URL of an article page; None: the family has no article pages.
    article_link: re.Pattern | None = None
    #: Matches the family's page or article URLs; groups ``base`` (the registry's base_url)
    #: and, for page URLs, ``entry`` (the first page's file name) — for ``papers add``.
    url_shape: re.Pattern | None = None
    #: The entry page when the registry names none.
    default_entry = ""

    def guess(self, url: str) -> dict | None:
        """The registry fields a URL of this family gives (base_url, entry), or None."""
        match = self.url_shape.search(url) if self.url_shape else None
        if not match:
            return None
        found = {k: v for k, v in match.groupdict().items() if v}
        if found.get("entry") == self.default_entry:
            del found["entry"]
        return found
    #: The site has no HTML, only page PDFs: the spider probes them (see resfile.py).
    pdf_only = False
    #: Dailies: a long run of dates without an edition means the site's archive ends there.
    #: Weeklies and historic titles have long gaps, so their families turn this off.
    daily = True

    def issue_url(self, paper: Paper, day: date) -> str:
        """URL of the edition's first page."""
        raise NotImplementedError

    def date_path(self, day: date) -> str:
        """The part of every URL of an edition that names its date."""
        raise NotImplementedError

    # edition ------------------------------------------------------------------------------

    def is_edition(self, response: TextResponse, day: date) -> bool:
        """False for soft 404s: a 200 that is not this date's edition (e.g. the home page)."""
        return self.date_path(day) in urlparse(response.url).path and bool(
            self.page_links(response)
        )

    def page_links(self, response: TextResponse) -> list[PageLink]:
        """The edition's pages, in order, without duplicates."""
        links: dict[str, PageLink] = {}
        for selector in self.page_link_selectors:
            for a in response.css(selector):
                text = " ".join(texts(a))
                parsed = parse_page_label(text)
                href = a.attrib.get("href")
                if not parsed or not href:
                    continue
                label, name = parsed
                links.setdefault(label, PageLink(label, name, response.urljoin(href)))
            if links:
                break
        return sorted(links.values(), key=lambda link: link.number)

    # page ---------------------------------------------------------------------------------

    def page_info(self, response: TextResponse) -> PageInfo:
        """The page's PDF URL (None when the page has none), article hints and map."""
        return PageInfo(
            pdf_url=self.find_pdf(response),
            hints=self.hints(response),
            map=page_map(response, self.article_link) if self.article_link else None,
        )

    def article_urls(self, info: PageInfo) -> list[str]:
        """The article pages to fetch: the map's, then listed ones the map does not draw."""
        if not self.article_link:
            return []
        urls = [spot.url for spot in info.map.hotspots] if info.map else []
        for hint in info.hints:
            url = hint.get("url")
            if url and url not in urls and self.article_link.search(url):
                urls.append(url)
        return urls

    def parse_article(self, response: TextResponse) -> SiteArticle:
        """The publisher's article from its page; ArticlePageError when it has none."""
        raise NotImplementedError(f"{self.name} has no article pages")

    def find_pdf(self, response: TextResponse) -> str | None:
        """A PDF link, else one hidden in a comment, else an attachement/…pdf URL."""
        href = response.css('a[href$=".pdf"]::attr(href), a[href$=".PDF"]::attr(href)').get()
        if not href:
            match = PDF_IN_COMMENT.search(response.text) or PDF_ANYWHERE.search(response.text)
            href = match.group(1) if match else None
        return response.urljoin(href) if href else None

    def hints(self, response: TextResponse) -> list[dict]:
        """Article titles and URLs the page lists (deduplicated, ``?div=`` dropped)."""
        seen: dict[str, dict] = {}
        for selector in self.hint_selectors:
            for a in response.css(selector):
                href = a.attrib.get("href")
                title = " ".join("".join(texts(a)).split())
                if not href:
                    continue
                url = response.urljoin(href).split("?")[0]
                entry = seen.setdefault(url, {"title": title or None, "url": url})
                if title and not entry["title"]:
                    entry["title"] = title
        return list(seen.values())
