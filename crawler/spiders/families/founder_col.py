"""Founder "col" e-papers (许昌日报 szb.21xc.com/xcrb/PC/layout/YYYYMM/DD/colNN.html).

Page list: ``div.nav-list a`` (sibling sites), PDF: an ``<a>`` or a ``pdfUrl`` paragraph hidden
in an HTML comment; articles under ``PC/con/YYYYMM/DD/cNNNN.html``.
"""

from __future__ import annotations

from datetime import date

from crawler.papers import Paper
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

    def date_path(self, day: date) -> str:
        return f"/layout/{day:%Y%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}PC/layout/{day:%Y%m}/{day:%d}/{paper.entry or 'col01.html'}"
