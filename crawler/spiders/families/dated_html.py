"""E-papers dated ``YYYYMMDD/html/`` (驻马店日报 zmdrb.zmdnews.cn/zmdrb, 哈尔滨日报 hebrb).

An edition starts at ``YYYYMMDD/html/index.htm``, which sends the reader on to
``page_01.htm`` (Scrapy's meta-refresh middleware follows it); pages ``page_NN.htm`` link
each other by their "第NN版：名" labels and list their articles
(``content_YYYYMMDD00NNNN.htm``): 引题, 标题, 副题 in ``div.bmnr_con_yinti`` /
``_biaoti`` / ``_futi``, the text in ``div#zoom``. The PDF is whatever ``.pdf`` link the page has.
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


class DatedHtml(Family):
    name = "dated_html"
    page_link_selectors = ('a[href^="page_"]',)
    hint_selectors = ('a[href^="content_"]', 'map[name="PagePicMap"] area')
    article_link = re.compile(r"/\d{8}/html/content_\d+\.htm$")
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)\d{8}/html/(?:(?P<entry>page_\w+\.htm)|index\.htm|content_)"
    )
    default_entry = "index.htm"

    def date_path(self, day: date) -> str:
        return f"/{day:%Y%m%d}/html/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}{day:%Y%m%d}/html/{paper.entry or self.default_entry}"

    def parse_article(self, response: TextResponse) -> SiteArticle:
        return build_article(
            response,
            title=text_of(response.css("div.bmnr_con_biaoti")),
            kicker=text_of(response.css("div.bmnr_con_yinti")),
            subtitle=text_of(response.css("div.bmnr_con_futi")),
            byline=None,  # no byline field: the text opens with it
            body=founder_body(response, "div#zoom"),
        )
