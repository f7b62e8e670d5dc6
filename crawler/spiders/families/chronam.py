"""Chronicling America (Library of Congress) and other chronam / Open ONI sites: a JSON API.

The title ``lccn/<lccn>.json`` lists ``issues`` [{url, date_issued}]; an issue
``lccn/<lccn>/YYYY-MM-DD/ed-1.json`` lists ``pages`` [{url, sequence}]; a page
``…/ed-1/seq-N.json`` names its ``pdf``, ``jp2``, ``text`` (``seq-N/ocr.txt``) and ``ocr``
(``seq-N/ocr.xml``, ALTO). A date without an issue answers 404. Pages have no printed label
in the API, so the label is the sequence number ("01", "02", …). Only a day's first edition
(``ed-1``) is crawled.
"""

from __future__ import annotations

import json
import re
from datetime import date

from scrapy.http import TextResponse

from crawler.papers import Paper
from crawler.spiders.families.base import Family, PageInfo, PageLink


def load_json(response: TextResponse) -> dict | None:
    """The response's JSON object, or None when the body is not one (an HTML error page)."""
    try:
        data = json.loads(response.text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def title_issue_dates(response: TextResponse) -> list[date]:
    """The dates of the issues a title JSON (``lccn/<lccn>.json``) lists, oldest first."""
    data = load_json(response) or {}
    days = set()
    for issue in data.get("issues") or []:
        try:
            days.add(date.fromisoformat(issue["date_issued"]))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(days)


class ChronAm(Family):
    name = "chronam"
    daily = False  # historic titles: weeklies, and gaps of months in the digitised run
    url_shape = re.compile(r"^(?P<base_url>https?://.+?/)lccn/(?P<lccn>sn\d+)")

    def issue_url(self, paper: Paper, day: date) -> str:
        if not paper.lccn:
            raise ValueError(f"paper {paper.id}: the chronam family needs an lccn in the registry")
        return f"{paper.base_url}lccn/{paper.lccn}{self.date_path(day)}.json"

    def date_path(self, day: date) -> str:
        return f"/{day:%Y-%m-%d}/ed-1"

    def is_edition(self, response: TextResponse, day: date) -> bool:
        """The issue JSON of this very date, with pages (not an HTML page or another date)."""
        data = load_json(response)
        return (
            data is not None
            and data.get("date_issued") == day.isoformat()
            and bool(self.page_links(response))
        )

    def page_links(self, response: TextResponse) -> list[PageLink]:
        """The issue's pages by sequence; each link is the page's JSON."""
        links: dict[str, PageLink] = {}
        for page in (load_json(response) or {}).get("pages") or []:
            sequence, url = page.get("sequence"), page.get("url")
            if not isinstance(sequence, int) or sequence < 1 or not url:
                continue
            label = f"{sequence:02d}"
            links.setdefault(label, PageLink(label, None, response.urljoin(url)))
        return sorted(links.values(), key=lambda link: link.number)

    def page_info(self, response: TextResponse) -> PageInfo:
        """The page's PDF; its OCR text and ALTO XML URLs as hints (for checking extraction)."""
        data = load_json(response) or {}
        pdf = data.get("pdf")
        hints = [
            {"kind": kind, "url": response.urljoin(data[key])}
            for key, kind in (("text", "ocr.txt"), ("ocr", "ocr.xml"))
            if data.get(key)
        ]
        return PageInfo(pdf_url=response.urljoin(pdf) if pdf else None, hints=hints)
