"""Classic Founder e-papers (郑州日报 and most Henan dailies: html/YYYY-MM/DD/node_N.htm).

Node ids are not page numbers (an edition may start at node_2 or node_897), so the entry node
comes from the registry. The page list is a table of ``a#pageLink`` rows, each with the page's
PDF (``../../../images/YYYY-MM/DD/NN/CODEYYYYMMDDNN.pdf``) in the same row, or none. Articles
are ``content_N.htm`` pages: ``td.font01`` title between ``td.font02`` kicker and subtitle,
the text in ``<founder-content>`` inside ``div#ozoom``.
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


class FounderClassic(Family):
    name = "founder_classic"
    page_link_selectors = ("a#pageLink",)
    hint_selectors = ('map[name="PagePicMap"] area', "ul.ul02_l li a")
    article_link = re.compile(r"/content_\d+(?:_\d+)?\.htm$")  # content_19621_7108962.htm too
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)html/\d{4}-\d{2}/\d{2}/(?:(?P<entry>node_\w+\.htm)|content_)"
    )
    default_entry = "node_1.htm"

    def date_path(self, day: date) -> str:
        return f"/html/{day:%Y-%m}/{day:%d}/"

    def issue_url(self, paper: Paper, day: date) -> str:
        return f"{paper.base_url}html/{day:%Y-%m}/{day:%d}/{paper.entry or self.default_entry}"

    def find_pdf(self, response: TextResponse) -> str | None:
        """The PDF in this page's own row of the page list; that row may have none."""
        for row in response.xpath("//tr[.//a[@id='pageLink']]"):
            href = row.css("a#pageLink::attr(href)").get()
            if href and response.urljoin(href) == response.url:
                pdf = row.css('a[href$=".pdf"]::attr(href)').get()
                return response.urljoin(pdf) if pdf else None
        return super().find_pdf(response)

    def parse_article(self, response: TextResponse) -> SiteArticle:
        """``td.font01`` is the title; a ``td.font02`` above it the kicker, below it the
        subtitle; ``<founder-author>`` (or the enpproperty comment) the byline."""
        kicker = subtitle = title = None
        for td in response.xpath("//td[@class='font01' or @class='font02']"):
            text = text_of([td])
            if not text:
                continue
            if td.attrib["class"] == "font01" and title is None:
                title = text
            elif title is None:
                kicker = text
            elif subtitle is None:
                subtitle = text
        return build_article(
            response,
            title=title,
            kicker=kicker,
            subtitle=subtitle,
            byline=text_of(response.css("founder-author")),
            body=founder_body(response, "div#ozoom"),
        )
