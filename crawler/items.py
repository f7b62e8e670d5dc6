"""Items that leave the spider."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """One newspaper page (版面) of one edition, with where its PDF is.

    ``file_urls``/``files`` are FilesPipeline's fields; ``hints`` are the article titles and
    links the page's HTML lists. ``site_articles`` are the site's own article pages fetched
    for this page (``SiteArticle.as_record()`` plus ``hotspot``: the page image's size and
    the article's polygons in its pixels); None when they were not fetched. ``pdf_url`` is
    None for a page that has article pages but no PDF (and for a PDF imported from disk,
    which has ``files``).
    """

    paper: str
    date: str  # YYYY-MM-DD
    page_no: int
    page_label: str  # as printed: "01", "A06"
    page_name: str | None
    page_url: str | None  # None for PDFs imported from disk
    pdf_url: str | None
    hints: list[dict] = field(default_factory=list)
    site_articles: list[dict] | None = None
    file_urls: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    # Filled by the pipelines.
    http_status: int | None = None
    fetched_at: str | None = None
    download_error: str | None = None
    # The PDF was downloaded but our own host could not store it (full disk, read-only files
    # store): not the page's fault, so it does not use up one of the page's attempts.
    store_error: str | None = None
    extraction: dict | None = None  # pipelines.extract output, or {"status", "reason"}


@dataclass
class SiteArticlesItem:
    """Article pages fetched again for a page archived before, whose article pages failed
    then (``site_articles`` as on PageItem); the page's PDF is not fetched again."""

    paper: str
    date: str
    page_no: int
    site_articles: list[dict] = field(default_factory=list)


@dataclass
class PageFailure:
    """A date or page that could not be turned into a PageItem, and why."""

    paper: str
    date: str
    page_no: int | None
    url: str | None
    stage: str  # "edition" | "page" | "article"
    reason: str
