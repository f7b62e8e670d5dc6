"""New Founder ``pc/layout`` e-papers (人民日报 since 2024-12, 中国青年报, 经济日报…).

Page list: ``a#pageLink`` ("01版：要闻"); PDF: ``p.right.btn a`` with a random UUID name under
``pc/attachement/`` (not derivable, so it is read from the page).
"""

from __future__ import annotations

from datetime import date

from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.base import Family, PageInfo, parse_page_label


class FounderNew(Family):
    name = "founder_new"
    page_link_selectors = ("a#pageLink", "#pageList a", "ul.ban-list a")
    hint_selectors = ("ul.news-list li a", 'map[name="PagePicMap"] area')

    def date_path(self, day: date) -> str:
        return f"/layout/{day:%Y%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}pc/layout/{day:%Y%m}/{day:%d}/{paper.entry or 'node_01.html'}"

    def page_info(self, response: TextResponse) -> PageInfo:
        info = super().page_info(response)
        banner = parse_page_label(" ".join(response.css("p.ban ::text").getall()))
        if banner:
            info.name = banner[1]
        return info
