"""Items that leave the spider."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """One newspaper page (版面) of one edition, with where its PDF is.

    ``file_urls``/``files`` are FilesPipeline's fields; ``hints`` are the article titles and
    links the page's HTML lists, kept as hints for checking extraction.
    """

    paper: str
    date: str  # YYYY-MM-DD
    page_no: int
    page_label: str  # as printed: "01", "A06"
    page_name: str | None
    page_url: str | None  # None for PDFs imported from disk
    pdf_url: str | None
    hints: list[dict] = field(default_factory=list)
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
class PageFailure:
    """A date or page that could not be turned into a PageItem, and why."""

    paper: str
    date: str
    page_no: int | None
    url: str | None
    stage: str  # "edition" | "page"
    reason: str
