"""Founder "col" e-papers (许昌日报 szb.21xc.com/xcrb/PC/layout/YYYYMM/DD/colNN.html).

Page list: ``div.nav-list a`` (sibling sites), PDF: an ``<a>`` or a ``pdfUrl`` paragraph hidden
in an HTML comment; articles under ``PC/con/YYYYMM/DD/cNNNN.html``: ``#PreTitle``, ``#Title``,
``#SubTitle``, the text in ``div#ozoom``'s ``<founder-content>``, pictures in
``div.attachment`` (their captions: the text beside each picture there).
"""

from __future__ import annotations

import re
from datetime import date

from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.article_pages import (
    SiteArticle,
    build_article,
    clean,
    founder_body,
    text_of,
)
from crawler.spiders.families.base import Family


class FounderCol(Family):
    name = "founder_col"
    page_link_selectors = (
        "div.nav-list a",
        "a#pageLink",
        "ul#layoutlist a",
        'a[href*="col"]',
    )
    hint_selectors = (
        "div.news-list li a",
        'map[name="PagePicMap"] area',
    )
    article_link = re.compile(r"/(con|content)/\d{6}/\d{2}/(c\d+|content_\d+)\.html?$")
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)PC/(?:layout/\d{6}/\d{2}/(?P<entry>col\w+\.html)|con/)"
    )
    default_entry = "col01.html"
    #: The folder of the pages and articles below base_url: "PC" at 21xc, "pc" elsewhere.
    root = "PC"

    def date_path(self, day: date) -> str:
        return f"/layout/{day:%Y%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        entry = paper.entry or self.default_entry
        return f"{paper.base_url}{self.root}/layout/{day:%Y%m}/{day:%d}/{entry}"

    def parse_article(self, response: TextResponse) -> SiteArticle:
        captions = [
            text
            for block in response.css("div.attachment")
            for text in (clean(t) for t in block.xpath(".//text()").getall())
            if text
        ]
        return build_article(
            response,
            title=text_of(response.css("#Title")),
            kicker=text_of(response.css("#PreTitle")),
            subtitle=text_of(response.css("#SubTitle")),
            byline=None,  # the template has no byline field: the body opens with it
            body=founder_body(response, "div#ozoom"),
            extra_captions=captions,
        )


class FounderColPc(FounderCol):
    """The same template under a lowercase ``pc/`` (甘肃日报 szb.gansudaily.com.cn/gsrb,
    咸阳日报 epaper.sxxynews.com, whose pages end in ``.htm``): the sites the page-list and
    hidden-PDF selectors above were first seen on."""

    name = "founder_col_pc"
    root = "pc"
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)pc/layout/\d{6}/\d{2}/(?P<entry>col\w+\.html?)"
    )
