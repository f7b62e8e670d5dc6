"""新华报业-style e-papers (新华日报 xh.xhby.net, 扬子晚报 epaper.yzwb.net, 江淮时报, 沂蒙晚报…).

URLs: ``pc/layout/YYYYMM/DD/node_1.html`` (or ``node_A01.html``, ``node_01.html``: the
registry's ``entry``); articles under ``pc/con/YYYYMM/DD/content_N.html`` or ``cN.html``.
Page list: the second link of each ``div.Therestlist`` item (the first is the thumbnail);
the page's name in ``div.newslisttit em``; its articles in ``div.newslist`` and the map.
Article pages: the title in ``div.newsdetatit h3``, the text in ``div.newsdetatext`` (or
``div.content founder-content``); the note shows no kicker, subtitle or byline field, so a
byline is the one the text opens with.
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
from crawler.spiders.families.base import Family, PageInfo, parse_page_label, texts


class Xhby(Family):
    name = "xhby"
    page_link_selectors = ("div.Therestlist li a:nth-of-type(2)", "div.Therestlist li a")
    hint_selectors = ("div.newslist li a", 'map[name="PagePicMap"] area')
    article_link = re.compile(r"/pc/con/\d{6}/\d{2}/(content_\d+|c\d+)\.html$")
    # Only the article URLs (pc/con/) tell this family from founder_new's pc/layout pages.
    url_shape = re.compile(r"^(?P<base_url>https?://.+?/)pc/con/\d{6}/\d{2}/")
    default_entry = "node_1.html"

    def date_path(self, day: date) -> str:
        return f"/layout/{day:%Y%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}pc/layout/{day:%Y%m}/{day:%d}/{paper.entry or self.default_entry}"

    def page_info(self, response: TextResponse) -> PageInfo:
        info = super().page_info(response)
        heading = response.css("div.newslisttit em")
        label = parse_page_label(" ".join(texts(heading[0]))) if heading else None
        if label:
            info.name = label[1]
        return info

    def parse_article(self, response: TextResponse) -> SiteArticle:
        return build_article(
            response,
            title=text_of(response.css("div.newsdetatit h3")),
            kicker=None,
            subtitle=None,
            byline=None,
            body=founder_body(response, "div.newsdetatext", "div.content"),
        )
