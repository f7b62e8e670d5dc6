"""Shared fixtures: local e-paper sites on 127.0.0.1 and the real-corpus location."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo.server import LocalSite
from tests.corpora import PRACTICE_CORPUS, REAL_CORPUS
from tests.fixture_sites import build_fixture_site


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    """../shared/corpus/real; tests using it skip only where that folder is absent."""
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"real corpus not present at {REAL_CORPUS} (outside checkout)")
    return REAL_CORPUS


@pytest.fixture(scope="session")
def practice_corpus() -> Path:
    """../shared/corpus/practice (pages typeset by others, with truth); skips only where that
    folder is absent."""
    if not PRACTICE_CORPUS.is_dir():
        pytest.skip(f"practice corpus not present at {PRACTICE_CORPUS} (outside checkout)")
    return PRACTICE_CORPUS


def _site(family: str, tmp_path_factory, **server_options):
    root = tmp_path_factory.mktemp(family)
    truths, published = build_fixture_site(family, root)
    with LocalSite(root, **server_options) as site:
        site.truths = truths
        site.published = published
        site.root = root
        yield site


@pytest.fixture(scope="session")
def col_site(tmp_path_factory):
    """许昌日报-style site; 2023-06-19 has no edition (404), 2023-06-20 redirects home."""
    yield from _site("founder_col", tmp_path_factory, soft_404=("/xcrb/PC/layout/202306/20/",))


@pytest.fixture(scope="session")
def classic_site(tmp_path_factory):
    """Classic Founder site; dates before November 2022 are outside its archive (403)."""
    yield from _site(
        "founder_classic", tmp_path_factory, forbidden=("/html/2022-09", "/html/2022-10")
    )


@pytest.fixture(scope="session")
def new_site(tmp_path_factory):
    """New Founder pc/layout site."""
    yield from _site("founder_new", tmp_path_factory)


@pytest.fixture(scope="session")
def xhby_site(tmp_path_factory):
    """新华报业-style site (新华日报): 2022-11-08, page 3 without a PDF."""
    yield from _site("xhby", tmp_path_factory)


@pytest.fixture(scope="session")
def dated_html_site(tmp_path_factory):
    """驻马店日报-style YYYYMMDD/html site: 2022-12-03, its index.htm a meta refresh to
    page_01.htm; page 02 without a PDF; 2022-12-04 missing (404)."""
    yield from _site("dated_html", tmp_path_factory)


@pytest.fixture(scope="session")
def page_nn_site(tmp_path_factory):
    """法治日报-style content/YYYYMMDD/PageNNTB.htm site: 2022-11-10, page 03 without a PDF."""
    yield from _site("page_nn", tmp_path_factory)


@pytest.fixture(scope="session")
def resfile_site(tmp_path_factory):
    """河南日报's PDF-only resfile site: three pages on 2022-11-09, nothing on 2022-11-10."""
    yield from _site("resfile", tmp_path_factory)
