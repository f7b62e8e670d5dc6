"""Hits per month (issue #15, item 4): the chart's numbers equal a GROUP BY over the
``instr()`` truth; normalised by the articles archived per month; compare; SVG and CSV."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections import Counter

import pytest

from publish.server import build_datasette
from publish.timeline import PER
from tests.datasette_client import get
from tests.search_corpus import build_archive, truth


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = build_archive(tmp_path_factory.mktemp("timeline") / "archive.db")
    return build_datasette(path), path


def months_of(path, ids) -> Counter:
    conn = sqlite3.connect(path)
    try:
        return Counter((p, d[:7]) for i, p, d in conn.execute(
            "select id, paper, date from articles") if i in ids)
    finally:
        conn.close()


def table(ds, **params) -> list[dict]:
    response = get(ds, "/-/newsarchive/timeline/archive.csv", **params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("query", ["疫情", "营商环境", "5G", "许昌 营商环境", "青铜器"])
def test_hits_per_month_equal_group_by_over_the_instr_truth(archive, query):
    ds, path = archive
    want = months_of(path, truth(path, query))
    rows = table(ds, q=query)
    per_paper = {(r["paper"], r["month"]): int(r["hits"]) for r in rows if r["paper"]}
    assert per_paper == dict(want)
    totals = Counter()
    for (_, month), n in want.items():
        totals[month] += n
    assert {r["month"]: int(r["hits"]) for r in rows if not r["paper"] and int(r["hits"])} \
        == dict(totals)


def test_counts_are_normalised_by_the_articles_archived_that_month(archive):
    ds, path = archive
    conn = sqlite3.connect(path)
    archived = Counter(d[:7] for (d,) in conn.execute("select date from articles"))
    conn.close()
    for row in table(ds, q="疫情"):
        if not row["paper"]:
            assert int(row["articles"]) == archived[row["month"]]
            assert float(row[f"hits_per_{PER}"]) == pytest.approx(
                int(row["hits"]) * PER / archived[row["month"]], abs=0.01)


def test_compare_gives_a_second_series(archive):
    ds, path = archive
    rows = table(ds, q="疫情", compare="5G")
    assert {r["query"] for r in rows} == {"疫情", "5G"}
    five_g = sum(int(r["hits"]) for r in rows if r["query"] == "5G" and not r["paper"])
    assert five_g == len(truth(path, "5G"))


def test_svg_chart_draws_a_line_per_query_and_a_point_per_month(archive):
    ds, path = archive
    response = get(ds, "/-/newsarchive/timeline/archive.svg", q="疫情", compare="5G",
                   normalise="1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    text = response.text
    assert re.findall(r'<polyline class="series" data-query="([^"]+)"', text) == ["疫情", "5G"]
    months = {r["month"] for r in table(ds, q="疫情", compare="5G")}
    assert text.count('<circle class="point"') == 2 * len(months)
    assert "hits per 10,000 articles" in text and "<script" not in text


@pytest.mark.parametrize("query", ["疫情", "营商环境", "5G", "许昌 营商环境"])
def test_the_chart_s_points_equal_the_instr_truth_per_month(archive, query):
    ds, path = archive
    text = get(ds, "/-/newsarchive/timeline/archive.svg", q=query).text
    drawn = {m: int(n) for m, n in re.findall(r'data-month="([\d-]+)" data-hits="(\d+)"', text)}
    want = Counter()
    for (_, month), n in months_of(path, truth(path, query)).items():
        want[month] += n
    assert {m: n for m, n in drawn.items() if n} == dict(want) != {}
    one = get(ds, "/-/newsarchive/timeline/archive.svg", q=query, paper="xcrb").text
    drawn = {m: int(n) for m, n in re.findall(r'data-month="([\d-]+)" data-hits="(\d+)"', one)}
    want = {m: n for (p, m), n in months_of(path, truth(path, query)).items() if p == "xcrb"}
    assert {m: n for m, n in drawn.items() if n} == want


def test_search_page_shows_the_chart_and_its_csv(archive):
    ds, _ = archive
    text = get(ds, "/archive/search", q="疫情", compare="5G").text
    assert re.search(r'<img src="/-/newsarchive/timeline/archive\.svg\?q=%E7%96%AB%E6%83%85'
                     r'&amp;compare=5G', text)
    assert 'href="/-/newsarchive/timeline/archive.csv?q=' in text
