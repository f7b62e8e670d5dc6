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
from scrapy.http.request import NO_CALLBACK

from crawler.items import PageFailure, PageItem, SiteArticlesItem
from crawler.papers import Paper, get_paper
from crawler.spiders.families import Family, PageLink, get_family
from crawler.spiders.families.article_pages import ArticlePageError, SiteArticle
from crawler.spiders.families.hotspots import IMAGE_HEAD_BYTES, Hotspot, PageMap, image_size
from pipelines.archive import Archive
from pipelines.archive.store import now


def fetched(url: str) -> bool:
    """Whether a link from a page may be requested: http(s) only (never file:// or data:)."""
    return urlparse(url).scheme.lower() in FETCHED_SCHEMES


def site_record(
    url: str, article: SiteArticle, spot: Hotspot | None, size: tuple[int, int] | None
) -> dict:
    """A site article as the item carries it: its fields and its hot-spot in image pixels
    (with the image's size: without it the pixels cannot be mapped onto the PDF)."""
    hotspot = None
    if spot and size:
        hotspot = {"image": list(size),
                   "polygons": [[list(point) for point in ring] for ring in spot.polygons]}
    return {**article.as_record(), "url": url, "hotspot": hotspot, "fetched_at": now()}

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
        self.missing_articles: dict[tuple[str, int], set[str]] = {}
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
            # Archived pages whose article pages failed: those are fetched again.
            self.missing_articles = (
                archive.pages_missing_articles(*span, self.settings.getint("PAGE_MAX_ATTEMPTS", 5))
                if self.settings.getbool("FETCH_ARTICLE_PAGES", True) and not self.refresh
                else {}
            )
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
                **({"method": "HEAD"} if self.family.pdf_only else {}),
            )

    def request(self, url: str, **kwargs) -> scrapy.Request:
        """A request, marked to bypass robots.txt when the registry says so."""
        if self.paper.ignore_robots:
            kwargs["meta"] = {**kwargs.get("meta", {}), "dont_obey_robotstxt": True}
        return scrapy.Request(url, **kwargs)

    # edition ------------------------------------------------------------------------------

    async def parse_edition(self, response: Response, day: date):
        """Follow every page of the edition that is not archived yet."""
        self.lookahead.release()
        if self.floor and day < self.floor:
            return  # scheduled before the end of the site's archive was known
        if response.status in (403, 404):
            self.note_missing(day, response.status)
            yield self.failure(day, response.url, "edition", f"no edition: HTTP {response.status}")
            return
        if self.family.pdf_only:
            for output in self.parse_probed_page(response, day, 1):
                yield output
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
                if key in self.missing_articles:
                    yield self.request(
                        link.url,
                        callback=self.parse_page_articles,
                        dont_filter=True,
                        cb_kwargs={"day": day, "link": link},
                    )
                continue
            if self.attempts.get(key, 0) >= self.settings.getint("PAGE_MAX_ATTEMPTS", 5):
                stats.inc_value("newsarchive/pages_given_up")
                continue
            if urlparse(link.url).scheme.lower() not in FETCHED_SCHEMES:
                reason = f"the page link is not an http(s) URL: {link.url[:200]!r}"
                yield self.failure(day, response.url, "page", reason, link)
            elif link.url == response.url:
                async for output in self.parse_page(response, day=day, link=link):
                    yield output
            else:
                yield self.request(
                    link.url,
                    callback=self.parse_page,
                    errback=self.page_failed,
                    cb_kwargs={"day": day, "link": link},
                )

    def parse_probed_page(self, response: Response, day: date, number: int):
        """A PDF-only site's page ``number`` (a HEAD answer): its PageItem and the probe of
        the next page; the first missing page ends the edition (page 1 missing: no edition,
        which parse_edition has already said)."""
        if response.status != 200:
            return
        if not self.family.is_page_pdf(response, day):
            if number == 1:
                yield self.failure(
                    day, response.url, "edition",
                    "no edition: the site answered with a page that is not this date's PDF "
                    "(soft 404)",
                )
            return
        link = self.family.page_link(self.paper, day, number)
        if (day.isoformat(), link.number) in self.archived:
            self.crawler.stats.inc_value("newsarchive/pages_skipped")
        else:
            yield PageItem(
                paper=self.paper.id, date=day.isoformat(), page_no=link.number,
                page_label=link.label, page_name=None, page_url=link.url,
                pdf_url=link.pdf_url, hints=[], file_urls=[link.pdf_url],
            )
        if number >= self.family.last_page:
            return
        following = self.family.page_link(self.paper, day, number + 1)
        yield self.request(
            following.url,
            method="HEAD",
            callback=self.probed_page,
            errback=self.page_failed,
            cb_kwargs={"day": day, "link": following},
        )

    def probed_page(self, response: Response, day: date, link: PageLink):
        """The answer to a PDF-only site's probe of the page ``link``."""
        yield from self.parse_probed_page(response, day, link.number)

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

    async def parse_page(self, response: Response, day: date, link: PageLink):
        """One PageItem with the page's PDF URL and, when the site has them, its article
        pages; a failure when the page has no PDF (the item still comes when it has article
        pages: their text is all there is of the page)."""
        decoded = self.decoded(response)
        if response.status != 200 or decoded is None:
            yield self.failure(
                day, response.url, "page", f"page HTML unavailable: HTTP {response.status}", link
            )
            return
        info = self.family.page_info(decoded)
        fetch = self.settings.getbool("FETCH_ARTICLE_PAGES", True)
        urls = [u for u in self.family.article_urls(info) if fetched(u)] if fetch else []
        if not info.pdf_url:
            yield self.failure(day, response.url, "page", "the page has no PDF link", link)
            if not urls:
                return
        elif urlparse(info.pdf_url).scheme.lower() not in FETCHED_SCHEMES:
            reason = f"the page's PDF link is not an http(s) URL: {info.pdf_url[:200]!r}"
            yield self.failure(day, response.url, "page", reason, link)
            return
        item = PageItem(
            paper=self.paper.id,
            date=day.isoformat(),
            page_no=link.number,
            page_label=link.label,
            page_name=info.name or link.name,
            page_url=response.url,
            pdf_url=info.pdf_url,
            hints=info.hints,
            file_urls=[info.pdf_url] if info.pdf_url else [],
        )
        if urls:
            item.site_articles = []
            for failure in await self.fetch_articles(item, info.map, urls, day, link):
                yield failure
            if not item.pdf_url and not item.site_articles:
                return
        yield item

    # article pages -------------------------------------------------------------------------

    async def parse_page_articles(self, response: Response, day: date, link: PageLink):
        """An archived page's article pages that failed before, fetched again."""
        decoded = self.decoded(response)
        if response.status != 200 or decoded is None:
            return
        info = self.family.page_info(decoded)
        wanted = self.missing_articles.get((day.isoformat(), link.number), set())
        urls = [url for url in self.family.article_urls(info) if url in wanted and fetched(url)]
        if not urls:
            return
        item = SiteArticlesItem(self.paper.id, day.isoformat(), link.number)
        for failure in await self.fetch_articles(item, info.map, urls, day, link):
            yield failure
        yield item

    async def fetch(self, url: str, **kwargs) -> Response:
        """A response fetched while the page's callback waits: through the downloader's
        middlewares (robots.txt, retries, Retry-After, HTTP cache) and the host's throttle,
        like any request. The page's response stays in the scraper meanwhile, so pages
        waiting for their articles count against SCRAPER_SLOT_MAX_ACTIVE_SIZE."""
        request = self.request(url, callback=NO_CALLBACK, dont_filter=True, **kwargs)
        return await self.crawler.engine.download_async(request)

    async def fetch_articles(
        self,
        item: PageItem | SiteArticlesItem,
        page_map: PageMap | None,
        urls: list[str],
        day: date,
        link: PageLink,
    ) -> list[PageFailure]:
        """Fill ``item.site_articles`` from the article pages at ``urls`` (in their order;
        requested together, the downloader's per-host limits spacing them); return the
        failures (stage ``article``) of those that are missing or unreadable. The size of the
        page image comes first when the map needs it and the page does not declare it."""
        spots = {spot.url: spot for spot in page_map.hotspots} if page_map else {}
        size = page_map.image_size if page_map else None
        if spots and size is None and page_map.image_url and fetched(page_map.image_url):
            size = await self.image_size(page_map.image_url)
        outcomes = await asyncio.gather(*(self.fetch_article(url) for url in urls))
        failures = []
        for url, outcome in zip(urls, outcomes, strict=True):
            if isinstance(outcome, str):
                failures.append(self.failure(day, url, "article", outcome, link))
            else:
                item.site_articles.append(site_record(url, outcome, spots.get(url), size))
        stats = self.crawler.stats
        stats.inc_value("newsarchive/article_pages", len(item.site_articles))
        if failures:
            stats.inc_value("newsarchive/article_pages_failed", len(failures))
        return failures

    async def fetch_article(self, url: str) -> SiteArticle | str:
        """The publisher's article at ``url``, or why there is none."""
        try:
            response = await self.fetch(url)
        except Exception as exc:  # a timeout after retries, robots.txt, a reset
            return f"article page failed: {exc}"
        decoded = self.decoded(response)
        if response.status != 200 or decoded is None:
            return f"article page unavailable: HTTP {response.status}"
        try:
            return self.family.parse_article(decoded)
        except ArticlePageError as exc:
            return f"article page unreadable: {exc}"

    async def image_size(self, url: str) -> tuple[int, int] | None:
        """The page image's size in pixels, from its first bytes; None when unreadable."""
        try:
            response = await self.fetch(url, headers={"Range": f"bytes=0-{IMAGE_HEAD_BYTES - 1}"})
        except Exception as exc:
            self.logger.warning("page image failed: %s: %s", url, exc)
            return None
        size = image_size(response.body) if response.status in (200, 206) else None
        if size is None:
            self.logger.warning("page image without a readable size: %s", url)
        return size

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
