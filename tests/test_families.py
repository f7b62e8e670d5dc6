"""Site-family adapters on the fixture sites' HTML, byte for byte as the sites serve it."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.http import HtmlResponse

from crawler.papers import RegistryError, get_paper, load_papers
from crawler.spiders.families import get_family, page_number
from crawler.spiders.families.base import parse_page_label
from tests.fixture_sites import SITES


def response(family: str, path: str, host: str = "http://site.test/") -> HtmlResponse:
    body = (SITES / family / path).read_bytes()
    return HtmlResponse(url=host + path, body=body)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第01版：要闻", ("01", "要闻")),
        ("01版：要闻", ("01", "要闻")),
        ("第A06版:关注", ("A06", "关注")),
        ("5版 魏都新闻", ("05", "魏都新闻")),
        ("第 04 版：", ("04", None)),
        ("上一版", None),
    ],
)
def test_page_labels(text, expected):
    assert parse_page_label(text) == expected


def test_page_numbers_sort_lettered_sections_after_plain_ones():
    assert [page_number(x) for x in ("01", "16", "A01", "A06", "B02")] == [1, 16, 101, 106, 202]
    with pytest.raises(ValueError):
        page_number("要闻")


def test_founder_col_pages_and_pdf_in_comment_or_link():
    family = get_family("founder_col")
    first = response("founder_col", "xcrb/PC/layout/202306/16/col01.html")
    links = family.page_links(first)
    assert [(p.label, p.name, p.url.rsplit("/", 1)[1]) for p in links] == [
        ("01", "要闻", "col01.html"),
        ("02", "综合", "col02.html"),
        ("05", "魏都新闻", "col05.html"),
    ]
    assert family.is_edition(first, date(2023, 6, 16))
    assert not family.is_edition(first, date(2023, 6, 17))
    assert family.find_pdf(first) == "http://site.test/xcrb/PC/attachement/202306/16/6f1c0a9be2.pdf"
    second = response("founder_col", "xcrb/PC/layout/202306/16/col02.html")
    assert family.find_pdf(second).endswith("/xcrb/PC/attachement/202306/16/b7e4d21f09.pdf")
    none = response("founder_col", "xcrb/PC/layout/202306/16/col05.html")
    assert family.find_pdf(none) is None
    assert family.hints(first) == [
        {
            "title": "魏都区召开优化营商环境工作推进会",
            "url": "http://site.test/xcrb/PC/con/202306/16/c120540.html",
        }
    ]


def test_founder_classic_node_ids_are_not_page_numbers_and_pdf_comes_from_the_row():
    family = get_family("founder_classic")
    page = response("founder_classic", "html/2022-11/08/node_3.htm")
    links = family.page_links(page)
    assert [(p.label, p.name, p.url.rsplit("/", 1)[1]) for p in links] == [
        ("01", "要闻", "node_2.htm"),
        ("02", "综合", "node_3.htm"),
        ("04", "郑州新闻", "node_5.htm"),
    ]
    assert family.find_pdf(page) is None  # page 02's row has no PDF
    node5 = response("founder_classic", "html/2022-11/08/node_5.htm")
    assert family.find_pdf(node5) == ("http://site.test/images/2022-11/08/04/ZZRB2022110804.pdf")


def test_gb2312_declared_page_with_gbk_bytes_decodes():
    page = response("founder_classic", "html/2022-11/10/node_2.htm")
    links = get_family("founder_classic").page_links(page)
    assert [(p.label, p.name) for p in links] == [("01", "镕城要闻")]


def test_founder_new_pdf_with_random_name_and_banner_name():
    family = get_family("founder_new")
    page = response("founder_new", "rmrb/pc/layout/202412/25/node_02.html")
    info = family.page_info(page)
    assert info.pdf_url == (
        "http://site.test/rmrb/pc/attachement/202412/25/a4c2e0b1-7d3f-4e55-9a61-2f0c8b7d6e10.pdf"
    )
    assert info.name == "要闻"
    assert [p.label for p in family.page_links(page)] == ["01", "02", "03"]
    assert (
        family.page_info(response("founder_new", "rmrb/pc/layout/202412/25/node_03.html")).pdf_url
        is None
    )


def test_registry_has_the_papers_and_rejects_bad_entries(tmp_path):
    papers = load_papers()
    assert {"xcrb", "xccb", "zzrb"} <= set(papers)
    assert papers["xcrb"].family == "founder_col"
    assert papers["zzrb"].family == "founder_classic"
    bad = tmp_path / "papers.toml"
    bad.write_text('[x]\nname="X"\nfamily="nope"\nbase_url="http://x/"\nfirst_date="2020-01-01"\n')
    with pytest.raises(RegistryError, match="unknown family 'nope'"):
        load_papers(bad)
    bad.write_text('[x]\nname="X"\nfamily="founder_col"\nbase_url="http://x"\nfirst_date="2020"\n')
    with pytest.raises(RegistryError, match="must end with '/'"):
        load_papers(bad)
    with pytest.raises(RegistryError, match="known: "):
        get_paper("nope")
