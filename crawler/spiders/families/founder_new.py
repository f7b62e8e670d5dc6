"""New Founder ``pc/layout`` e-papers (人民日报 since 2024-12, 中国青年报, 经济日报…).

Page list: ``a#pageLink`` ("01版：要闻"); PDF: ``p.right.btn a`` with a random UUID name under
``pc/attachement/`` (not derivable, so it is read from the page). Articles
(``pc/content/YYYYMM/DD/content_N.html``): ``div.article`` with ``h3`` kicker, ``h1`` title,
``h2`` subtitle, the byline in ``p.sec``'s first span (or ``<meta name="reporter">``), the
text in ``div#content``'s ``<founder-content>``.
"""

from __future__ import annotations

import re
from datetime import date

from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.article_pages import (
    SiteArticle,
    build_article,
    founder_body,
    text_of,
)
from crawler.spiders.families.base import Family, PageInfo, parse_page_label


class FounderNew(Family):
    name = "founder_new"
    page_link_selectors = ("a#pageLink", "#pageList a", "ul.ban-list a")
    hint_selectors = ("ul.news-list li a", 'map[name="PagePicMap"] area')
    article_link = re.compile(r"/content/\d{6}/\d{2}/content_\d+\.html$")
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)pc/(?:layout/\d{6}/\d{2}/(?P<entry>node_\w+\.html)|content/)"
    )
    default_entry = "node_01.html"

    def date_path(self, day: date) -> str:
        return f"/layout/{day:%Y%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}pc/layout/{day:%Y%m}/{day:%d}/{paper.entry or self.default_entry}"

    def page_info(self, response: TextResponse) -> PageInfo:
        info = super().page_info(response)
        banner = parse_page_label(" ".join(response.css("p.ban ::text").getall()))
        if banner:
            info.name = banner[1]
        return info

    def parse_article(self, response: TextResponse) -> SiteArticle:
        article = response.css("div.article")
        scope = article[0] if article else response
        byline = text_of(scope.css("p.sec span:first-child")) or response.css(
            'meta[name="reporter"]::attr(content)'
        ).get()
        return build_article(
            response,
            title=text_of(scope.css("h1")),
            kicker=text_of(scope.css("h3")),
            subtitle=text_of(scope.css("h2")),
            byline=byline.strip() if byline else None,
            body=founder_body(response, "div#content", "div#ozoom"),
        )
