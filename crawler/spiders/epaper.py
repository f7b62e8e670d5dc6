"""The one e-paper spider: dates -> edition -> pages (版面) -> page PDF URLs.

``scrapy crawl epaper -a paper=xcrb -a start=2023-06-01 -a end=2023-06-30`` (default: today
and yesterday; ``-a base_url=`` and ``-a entry=`` override the registry's site root and first
page). Site specifics live in the family adapters; pages already archived with status ok
are skipped (the archive is read once, at start). Dates without an edition (404/403, or a
200 that is not the edition: a soft 404) and pages without a PDF leave as ``PageFailure``
items, so the archive records why.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response, TextResponse

from crawler.items import PageFailure, PageItem
from crawler.papers import Paper, get_paper
from crawler.spiders.families import Family, PageLink, get_family
from pipelines.archive import Archive

# Links followed: anything else on a page (javascript:, mailto:, data:) is recorded as the
# page's failure, never handed to Scrapy (whose Request refuses it with a ValueError).
FETCHED_SCHEMES = ("http", "https")


def parse_day(value: str, name: str) -> date:
    """A YYYY-MM-DD argument, with an error naming it."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2023-06-01, got {value!r}") from None


class EpaperSpider(scrapy.Spider):
    name = "epaper"

    def __init__(
        self,
        paper: str | None = None,
        start: str | None = None,
        end: str | None = None,
        base_url: str | None = None,
        entry: str | None = None,
        papers: str | None = None,
        refresh: str | bool = False,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not paper:
            raise ValueError("missing -a paper=ID (see crawler/papers.toml)")
        self.paper: Paper = get_paper(paper, papers)
        # The demo and the tests point a paper at a local copy of its site.
        if base_url:
            self.paper = replace(self.paper, base_url=base_url.rstrip("/") + "/")
        if entry:
            self.paper = replace(self.paper, entry=entry)
        today = date.today()
        self.end = parse_day(end, "end") if end else today
        self.start_day = parse_day(start, "start") if start else self.end - timedelta(days=1)
        if self.start_day > self.end:
            raise ValueError(f"start {self.start_day} is after end {self.end}")
        # Re-download pages already archived (a PDF that changed is kept as a new version).
        self.refresh = str(refresh).lower() in ("1", "true", "yes")
        self.family: Family = get_family(self.paper.family)
        host = urlparse(self.paper.base_url).hostname
        self.allowed_domains = [host] if host else []
        self.archived: set[tuple[str, int]] = set()
        self.attempts: dict[tuple[str, int], int] = {}
        # The oldest date the site still serves, once a 403 or a long run of 404s shows it.
        self.floor: date | None = None
        self.missing: set[date] = set()

    def dates(self) -> Iterator[date]:
        """Newest first (today's edition before anything else), never before first_date."""
        first = date.fromisoformat(self.paper.first_date) if self.paper.first_date else None
        day = self.end
        while day >= self.start_day and (first is None or day >= first):
            yield day
            day -= timedelta(days=1)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with Archive(self.settings.get("ARCHIVE_DB")) as archive:
            span = self.paper.id, self.start_day.isoformat(), self.end.isoformat()
            self.archived = set() if self.refresh else archive.archived_pages(*span)
            self.attempts = archive.failed_attempts(*span)
        # At most EDITION_LOOKAHEAD editions in flight: when the site's archive ends (403),
        # only that many requests go past it.
        self.lookahead = asyncio.Semaphore(self.settings.getint("EDITION_LOOKAHEAD", 4))
        for day in self.dates():
            await self.lookahead.acquire()
            if self.floor and day < self.floor:
                self.logger.info("%s: the site's archive ends at %s", self.paper.id, self.floor)
                break
            yield self.request(
                self.family.issue_url(self.paper, day),
                callback=self.parse_edition,
                errback=self.edition_failed,
                cb_kwargs={"day": day},
            )

    def request(self, url: str, **kwargs) -> scrapy.Request:
        """A request, marked to bypass robots.txt when the registry says so."""
        if self.paper.ignore_robots:
            kwargs["meta"] = {**kwargs.get("meta", {}), "dont_obey_robotstxt": True}
        return scrapy.Request(url, **kwargs)

    # edition ------------------------------------------------------------------------------

    def parse_edition(self, response: Response, day: date):
        """Follow every page of the edition that is not archived yet."""
        self.lookahead.release()
        if self.floor and day < self.floor:
            return  # scheduled before the end of the site's archive was known
        if response.status in (403, 404):
            self.note_missing(day, response.status)
            yield self.failure(day, response.url, "edition", f"no edition: HTTP {response.status}")
            return
        response = self.decoded(response)
        if response is None or not self.family.is_edition(response, day):
            yield self.failure(
                day,
                response.url if response is not None else None,
                "edition",
                "no edition: the site answered with a page that is not this date's edition "
                "(soft 404)",
            )
            return
        stats = self.crawler.stats
        for link in self.family.page_links(response):
            key = (day.isoformat(), link.number)
            if key in self.archived:
                stats.inc_value("newsarchive/pages_skipped")
                continue
            if self.attempts.get(key, 0) >= self.settings.getint("PAGE_MAX_ATTEMPTS", 5):
                stats.inc_value("newsarchive/pages_given_up")
                continue
            if urlparse(link.url).scheme.lower() not in FETCHED_SCHEMES:
                reason = f"the page link is not an http(s) URL: {link.url[:200]!r}"
                yield self.failure(day, response.url, "page", reason, link)
            elif link.url == response.url:
                yield from self.parse_page(response, day=day, link=link)
            else:
                yield self.request(
                    link.url,
                    callback=self.parse_page,
                    errback=self.page_failed,
                    cb_kwargs={"day": day, "link": link},
                )

    def note_missing(self, day: date, status: int) -> None:
        """Find where the site's archive ends: a 403, or a long run of dates without edition."""
        if status == 403:
            self.floor = max(self.floor or day, day + timedelta(days=1))
            return
        if not self.family.daily:
            return
        self.missing.add(day)
        limit = self.settings.getint("EDITION_MISSING_DAYS_LIMIT", 31)
        if all(day + timedelta(days=i) in self.missing for i in range(limit)):
            self.floor = max(self.floor or day, day + timedelta(days=1))

    def edition_failed(self, failure):
        self.lookahead.release()
        day = failure.request.cb_kwargs["day"]
        yield self.failure(day, failure.request.url, "edition", f"edition failed: {failure.value}")

    # page ---------------------------------------------------------------------------------

    def parse_page(self, response: Response, day: date, link: PageLink):
        """One PageItem with the page's PDF URL, or a failure when the page has none."""
        decoded = self.decoded(response)
        if response.status != 200 or decoded is None:
            yield self.failure(
                day, response.url, "page", f"page HTML unavailable: HTTP {response.status}", link
            )
            return
        info = self.family.page_info(decoded)
        if not info.pdf_url:
            yield self.failure(day, response.url, "page", "the page has no PDF link", link)
            return
        if urlparse(info.pdf_url).scheme.lower() not in FETCHED_SCHEMES:
            reason = f"the page's PDF link is not an http(s) URL: {info.pdf_url[:200]!r}"
            yield self.failure(day, response.url, "page", reason, link)
            return
        yield PageItem(
            paper=self.paper.id,
            date=day.isoformat(),
            page_no=link.number,
            page_label=link.label,
            page_name=info.name or link.name,
            page_url=response.url,
            pdf_url=info.pdf_url,
            hints=info.hints,
            file_urls=[info.pdf_url],
        )

    def page_failed(self, failure):
        request = failure.request
        yield self.failure(
            request.cb_kwargs["day"],
            request.url,
            "page",
            f"page failed: {failure.value}",
            request.cb_kwargs["link"],
        )

    # helpers ------------------------------------------------------------------------------

    def decoded(self, response: Response) -> TextResponse | None:
        """The response as text, in the registry's encoding when the paper overrides it."""
        if not isinstance(response, TextResponse):
            return None
        if self.paper.encoding:
            return response.replace(encoding=self.paper.encoding)
        return response

    def failure(
        self,
        day: date,
        url: str | None,
        stage: str,
        reason: str,
        link: PageLink | None = None,
    ) -> PageFailure:
        self.logger.warning("%s %s: %s (%s)", self.paper.id, day, reason, url)
        return PageFailure(
            paper=self.paper.id,
            date=day.isoformat(),
            page_no=link.number if link else None,
            url=url,
            stage=stage,
            reason=reason,
        )
