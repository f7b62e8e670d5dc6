"""E-papers dated ``YYYYMMDD/html/`` (驻马店日报 zmdrb.zmdnews.cn/zmdrb, 哈尔滨日报 hebrb).

An edition starts at ``YYYYMMDD/html/index.htm``, which sends the reader on to
``page_01.htm`` (Scrapy's meta-refresh middleware follows it); pages ``page_NN.htm`` link
each other by their "第NN版：名" labels and list their articles
(``content_YYYYMMDD00NNNN.htm``, kept as hints; their ``div.bmnr_con_biaoti`` /
``div#zoom`` pages are not fetched yet). The PDF is whatever ``.pdf`` link the page has.
"""

from __future__ import annotations

import re
from datetime import date

from crawler.papers import Paper
from crawler.spiders.families.base import Family


class DatedHtml(Family):
    name = "dated_html"
    page_link_selectors = ('a[href^="page_"]',)
    hint_selectors = ('a[href^="content_"]', 'map[name="PagePicMap"] area')
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)\d{8}/html/(?:(?P<entry>page_\w+\.htm)|index\.htm|content_)"
    )
    default_entry = "index.htm"

    def date_path(self, day: date) -> str:
        return f"/{day:%Y%m%d}/html/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}{day:%Y%m%d}/html/{paper.entry or self.default_entry}"
