"""Classic Founder e-papers (郑州日报 and most Henan dailies: html/YYYY-MM/DD/node_N.htm).

Node ids are not page numbers (an edition may start at node_2 or node_897), so the entry node
comes from the registry. The page list is a table of ``a#pageLink`` rows, each with the page's
PDF (``../../../images/YYYY-MM/DD/NN/CODEYYYYMMDDNN.pdf``) in the same row, or none.
"""

from __future__ import annotations

from datetime import date

from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.base import Family


class FounderClassic(Family):
    name = "founder_classic"
    page_link_selectors = ("a#pageLink",)
    hint_selectors = ('map[name="PagePicMap"] area', "ul.ul02_l li a")

    def date_path(self, day: date) -> str:
        return f"/html/{day:%Y-%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}html/{day:%Y-%m}/{day:%d}/{paper.entry or 'node_1.htm'}"

    def find_pdf(self, response: TextResponse) -> str | None:
        """The PDF in this page's own row of the page list; that row may have none."""
        for row in response.xpath("//tr[.//a[@id='pageLink']]"):
            href = row.css("a#pageLink::attr(href)").get()
            if href and response.urljoin(href) == response.url:
                pdf = row.css('a[href$=".pdf"]::attr(href)').get()
                return response.urljoin(pdf) if pdf else None
        return super().find_pdf(response)
