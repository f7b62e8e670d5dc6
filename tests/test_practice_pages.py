"""The engine on pages typeset by someone else (``../shared/corpus/practice``), scored by the
shared scorer (``../shared/tools/score_pages.py``): issue #12's targets, for the default
reader. A change that lowers any figure fails here; bench/extract_quality.py prints them."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_pdf
from tests.corpora import SCORER, load_scorer, practice_line, practice_pages

TARGETS = {  # figure: (bound, whether the figure must be at most (True) or at least it)
    "order_cer": (0.01, True),
    "art_ok": (0.90, False),
    "title_ok": (0.95, False),
    "byline_ok": (0.90, False),
    "spaces_per_1k": (0.5, True),
    "hyphen_ok": (0.97, False),
}


@pytest.fixture(scope="module")
def line(practice_corpus) -> dict[str, float]:
    if not SCORER.is_file():
        pytest.skip(f"scorer not present at {SCORER} (outside checkout)")
    docs = {pdf.name: extract_pdf(pdf) for pdf, _ in practice_pages(practice_corpus)}
    return practice_line(docs, load_scorer())


@pytest.mark.parametrize("figure", list(TARGETS))
def test_practice_pages_meet_the_target(line, figure):
    bound, at_most = TARGETS[figure]
    assert (line[figure] <= bound) if at_most else (line[figure] >= bound), line


def test_every_practice_page_is_ok(practice_corpus):
    for pdf, _ in practice_pages(practice_corpus):
        pages = extract_pdf(pdf, reread=False)["pages"]
        assert [(p["status"], p["reader"]) for p in pages] == [("ok", "pypdfium2")], pdf.name
