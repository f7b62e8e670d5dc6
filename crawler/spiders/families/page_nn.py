"""E-papers of ``content/YYYYMMDD/PageNNXX.htm`` pages (法治日报 epaper.legaldaily.com.cn/fzrb,
新华每日电讯 mrdx.cn, 蚌埠日报 epaper.bbnews.cn:8080/szbhtm/rb).

The two-letter suffix (``TB``, ``HO``, ``DK``) is the paper's own, so the registry's
``entry`` names the first page (``Page01TB.htm``); the site's ``PaperIndex.htm`` only leads,
by two meta refreshes, to today's. Pages ``.banlist-li a[href^="Page"]``; articles
``.newslist a[href^="Articel"]``: title ``.xha-view-title h1``, text
``#article_view_content``. The PDF: the page's ``.pdf`` link.
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
from crawler.spiders.families.base import Family


class PageNN(Family):
    name = "page_nn"
    page_link_selectors = ('.banlist-li a[href^="Page"]', 'a[href^="Page"]')
    hint_selectors = ('.newslist a[href^="Articel"]', 'map[name="PagePicMap"] area')
    article_link = re.compile(r"/content/\d{8}/Articel\w+\.htm$")
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)content/\d{8}/(?:(?P<entry>Page\d\d[A-Z]{2}\.htm)|Articel)"
    )

    def date_path(self, day: date) -> str:
        return f"/content/{day:%Y%m%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        if not paper.entry:
            raise ValueError(
                f"paper {paper.id}: the page_nn family needs the first page's file name as "
                "entry in the registry (e.g. Page01TB.htm)"
            )
        return f"{paper.base_url}content/{day:%Y%m%d}/{paper.entry}"

    def parse_article(self, response: TextResponse) -> SiteArticle:
        return build_article(
            response,
            title=text_of(response.css(".xha-view-title h1")),
            kicker=None,
            subtitle=None,
            byline=None,  # no byline field: the text opens with it
            body=founder_body(response, "#article_view_content"),
        )
