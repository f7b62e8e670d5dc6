"""PDF-only e-papers: page PDFs at ``resfile/YYYY-MM-DD/NN/<file>`` with no HTML at all
(河南日报 newpaper.dahe.cn/hnrb/resfile/…/hnrbYYYYMMDDNN.pdf, 延庆报 …/resfile/…/NN/NN.pdf).

The pages of an edition are found by asking for page 01, 02, … (HEAD requests, so nothing is
downloaded twice) until the first that is missing: that is where the edition ends. The
registry's ``entry`` is the file name's pattern, ``{date}`` (YYYYMMDD) and ``{page}`` (NN)
filled in per page.
"""

from __future__ import annotations

import re
from datetime import date

from scrapy.http import Response

from crawler.papers import Paper
from crawler.spiders.families.base import Family, PageLink


class Resfile(Family):
    name = "resfile"
    #: The spider probes this family's pages (``page_url``) instead of reading a page list.
    pdf_only = True
    url_shape = re.compile(
        r"^(?P<base_url>https?://.+?/)resfile/\d{4}-\d{2}-\d{2}/\d{2}/"
    )
    default_entry = "{page}.pdf"
    #: NN has two digits: no probe beyond page 99, whatever a host answers.
    last_page = 99

    def guess(self, url: str) -> dict | None:
        found = super().guess(url)
        if found:
            name = url.rsplit("/", 1)[1]
            digits = re.fullmatch(r"(.*?)(\d{8})?(\d{2})\.pdf", name)
            if digits and digits.group(2):
                found["entry"] = f"{digits.group(1)}{{date}}{{page}}.pdf"
        return found

    def date_path(self, day: date) -> str:
        return f"/resfile/{day:%Y-%m-%d}/"

    def page_url(self, paper: Paper, day: date, number: int) -> str:
        """The PDF of page ``number`` of the edition."""
        name = (paper.entry or self.default_entry).format(
            date=f"{day:%Y%m%d}", page=f"{number:02d}"
        )
        return f"{paper.base_url}resfile/{day:%Y-%m-%d}/{number:02d}/{name}"

    def issue_url(self, paper: Paper, day: date) -> str:
        return self.page_url(paper, day, 1)

    def is_page_pdf(self, response: Response, day: date) -> bool:
        """A 200 for a PDF of this date (not a redirect to an HTML home page)."""
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        return (
            response.status == 200
            and self.date_path(day) in response.url
            and ("pdf" in kind or "octet-stream" in kind)
        )

    def page_link(self, paper: Paper, day: date, number: int) -> PageLink:
        url = self.page_url(paper, day, number)
        return PageLink(f"{number:02d}", None, url, pdf_url=url)
