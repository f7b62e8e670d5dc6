"""Chronicling America (family ``chronam``): the adapter on the API's JSON, and a crawl of a
fixture copy of the API for The Park Record (LCCN sn85058233).

``tests/sites/chronam/`` holds the JSON in the real API's shape, with its absolute
``https://chroniclingamerica.loc.gov/`` URLs; the fixture site is that JSON with the host
rewritten to the local server, plus page PDFs typeset here from English articles.

The fixture API: 1896-01-04 has three pages (the PDF of seq-3 is missing), 1896-01-11 two
(the JSON of seq-2 is missing), the days between have no issue (404).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.demo.articles import EN_STORIES
from crawler.demo.server import LocalSite
from crawler.demo.typesetter import PageSpec, typeset_page
from crawler.papers import get_paper, load_papers
from crawler.spiders.families import get_family
from crawler.spiders.families.chronam import title_issue_dates
from pipelines.archive import Archive
from tests.crawling import run_spider
from tests.fixture_sites import SITES

LOC = "https://chroniclingamerica.loc.gov/"
SITE = SITES / "chronam"
ISSUES = "lccn/sn85058233/"

# The page PDFs the fixture API serves: (date, sequence) -> EN_STORIES indexes, columns.
PDFS: dict[tuple[str, int], tuple[tuple[int, ...], int]] = {
    ("1896-01-04", 1): ((0, 1, 2), 7),
    ("1896-01-04", 2): ((3, 4, 5), 7),
    ("1896-01-11", 1): ((2, 4, 5), 8),
}


def pdf_path(day: str, sequence: int) -> str:
    return f"{ISSUES}{day}/ed-1/seq-{sequence}.pdf"


def build_chronam_site(root: Path, url: str) -> dict[str, dict]:
    """Copy the fixture API to ``root`` with its URLs on ``url``; typeset the page PDFs.

    Returns the typesetter's truth by PDF path (relative to the site root)."""
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    for path in root.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(LOC, url.rstrip("/") + "/"), encoding="utf-8")
    truths = {}
    for (day, sequence), (stories, columns) in PDFS.items():
        spec = PageSpec(
            paper_name="The Park Record",
            date=date.fromisoformat(day),
            page_label=f"{sequence:02d}",
            page_name="Local News",
            articles=[EN_STORIES[i] for i in stories],
            columns=columns,
            editor="S. L. Raddon",
            seed=sequence,
            lang="en",
        )
        target = root / pdf_path(day, sequence)
        truths[pdf_path(day, sequence)] = typeset_page(spec, target)
    return truths


@pytest.fixture(scope="module")
def chronam_site(tmp_path_factory):
    """The fixture Chronicling America API on 127.0.0.1."""
    root = tmp_path_factory.mktemp("chronam")
    with LocalSite(root) as site:
        site.truths = build_chronam_site(root, site.url)
        yield site


def api_response(path: str, host: str = LOC) -> TextResponse:
    """A fixture API file as Scrapy hands it to the adapter (JSON is a TextResponse)."""
    body = (SITE / path).read_bytes()
    return TextResponse(url=host + path, body=body, encoding="utf-8")


# adapter, offline --------------------------------------------------------------------------


def test_registry_entry_and_issue_url():
    paper = get_paper("parkrecord")
    assert (paper.family, paper.lccn, paper.first_date) == ("chronam", "sn85058233", "1880-01-01")
    assert "lccn" not in paper.as_row()  # like entry, it addresses the crawl only
    family = get_family("chronam")
    assert family.issue_url(paper, date(1896, 1, 4)) == (
        "https://chroniclingamerica.loc.gov/lccn/sn85058233/1896-01-04/ed-1.json"
    )
    other = load_papers()["xcrb"]
    with pytest.raises(ValueError, match="needs an lccn"):
        family.issue_url(other, date(1896, 1, 4))


def test_issue_pages_by_sequence():
    family = get_family("chronam")
    issue = api_response(ISSUES + "1896-01-04/ed-1.json")
    links = family.page_links(issue)
    assert [(p.label, p.number, p.name, p.url) for p in links] == [
        (f"0{n}", n, None, f"{LOC}{ISSUES}1896-01-04/ed-1/seq-{n}.json") for n in (1, 2, 3)
    ]
    assert family.is_edition(issue, date(1896, 1, 4))
    assert not family.is_edition(issue, date(1896, 1, 11))  # another date's issue


def test_not_an_issue_is_a_soft_404():
    family = get_family("chronam")
    day = date(1896, 1, 4)
    url = f"{LOC}{ISSUES}1896-01-04/ed-1.json"
    html = TextResponse(url=url, body=b"<html><body>Page not found</body></html>", encoding="utf-8")
    assert not family.is_edition(html, day)
    assert family.page_links(html) == []
    empty = TextResponse(url=url, body=b'{"date_issued": "1896-01-04", "pages": []}')
    assert not family.is_edition(empty, day)
    listing = TextResponse(url=url, body=b"[]")
    assert not family.is_edition(listing, day)


def test_page_pdf_and_ocr_hints():
    family = get_family("chronam")
    page = api_response(ISSUES + "1896-01-04/ed-1/seq-2.json")
    info = family.page_info(page)
    base = f"{LOC}{ISSUES}1896-01-04/ed-1/seq-2"
    assert info.pdf_url == base + ".pdf"
    assert info.name is None
    assert info.hints == [
        {"kind": "ocr.txt", "url": base + "/ocr.txt"},
        {"kind": "ocr.xml", "url": base + "/ocr.xml"},
    ]
    bare = TextResponse(url=base + ".json", body=b'{"sequence": 2, "pdf": null}')
    assert family.page_info(bare).pdf_url is None
    assert family.page_info(bare).hints == []


def test_relative_urls_resolve_against_the_response():
    """Open ONI installs behind a proxy may answer with root-relative URLs."""
    family = get_family("chronam")
    body = json.dumps(
        {
            "date_issued": "1896-01-04",
            "pages": [{"url": "/lccn/x/1896-01-04/ed-1/seq-1.json", "sequence": 1}],
        }
    ).encode()
    issue = TextResponse(url="http://oni.test/lccn/x/1896-01-04/ed-1.json", body=body)
    assert [p.url for p in family.page_links(issue)] == [
        "http://oni.test/lccn/x/1896-01-04/ed-1/seq-1.json"
    ]


def test_title_lists_issue_dates():
    title = api_response("lccn/sn85058233.json")
    assert title_issue_dates(title) == [
        date(1895, 12, 28),
        date(1896, 1, 4),
        date(1896, 1, 11),
        date(1896, 1, 18),
    ]


# crawl -------------------------------------------------------------------------------------


def assert_titles_match(rows: list[dict], truth: dict) -> None:
    """The archived page is the typeset one: every title found is a true title, and every true
    title is in the page's text (English pages may leave a title inside the body)."""
    true_titles = [a["title"] for a in truth["articles"]]
    found = [r["title"] for r in rows if r["title"]]
    assert set(found) <= set(true_titles)
    text = " ".join(f"{r['title'] or ''} {r['body'] or ''}" for r in rows)
    text = " ".join(text.split())  # a title left in the body keeps its line breaks
    assert [t for t in true_titles if t not in text] == []


@deferred_f_from_coro_f
async def test_chronam_crawl(chronam_site, tmp_path):
    await run_spider(
        tmp_path,
        paper="parkrecord",
        start="1896-01-04",
        end="1896-01-11",
        base_url=f"{chronam_site.url}/",
    )
    with Archive(tmp_path / "archive.db") as archive:
        db = archive.db
        pages = [
            (r["date"], r["page_no"], r["page_label"], r["status"])
            for r in db["pages"].rows_where(order_by="date, page_no")
        ]
        failures = sorted(
            (r["date"], r["page_no"] or 0, r["stage"], r["reason"]) for r in db["failures"].rows
        )
        articles: dict[tuple, list[dict]] = {}
        for r in db["articles"].rows_where(order_by="date, page_no, seq"):
            articles.setdefault((r["date"], r["page_no"]), []).append(r)
        first = archive.page("parkrecord", "1896-01-04", 1)
        paper_row = db["papers"].get("parkrecord")
    assert pages == [
        ("1896-01-04", 1, "01", "ok"),
        ("1896-01-04", 2, "02", "ok"),
        ("1896-01-04", 3, "03", "download_failed"),
        ("1896-01-11", 1, "01", "ok"),
    ]
    no_issue = [(f"1896-01-{d:02d}", 0, "edition", "no edition: HTTP 404") for d in range(5, 11)]
    assert [f for f in failures if f[2] == "edition"] == no_issue
    others = [f for f in failures if f[2] != "edition"]
    assert [(d, n, stage) for d, n, stage, _ in others] == [
        ("1896-01-04", 3, "download"),
        ("1896-01-11", 2, "page"),
    ]
    assert others[1][3] == "page HTML unavailable: HTTP 404"

    site = chronam_site.url
    assert first["page_url"] == f"{site}/{ISSUES}1896-01-04/ed-1/seq-1.json"
    assert first["pdf_url"] == f"{site}/{pdf_path('1896-01-04', 1)}"
    assert json.loads(first["hints"])[0] == {
        "kind": "ocr.txt",
        "url": f"{site}/{ISSUES}1896-01-04/ed-1/seq-1/ocr.txt",
    }
    assert paper_row["family"] == "chronam"
    for day, sequence in PDFS:
        truth = chronam_site.truths[pdf_path(day, sequence)]
        assert_titles_match(articles[(day, sequence)], truth)
