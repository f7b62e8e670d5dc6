"""The operator's registry extends the bundled one; `newsarchive papers [add]`."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.papers import SEEN, RegistryError, bundled_papers, get_paper, load_papers
from crawler.spiders.families import FAMILIES, guess_family


@pytest.mark.parametrize(
    "url, expected",
    [  # URLs as shared/research/epaper-sites.md quotes them
        ("http://szb.21xc.com/xcrb/PC/layout/202211/08/col01.html",
         {"family": "founder_col", "base_url": "http://szb.21xc.com/xcrb/"}),
        ("http://szb.21xc.com/xccb/PC/con/202007/20/c49636.html",
         {"family": "founder_col", "base_url": "http://szb.21xc.com/xccb/"}),
        ("http://newpaper.dahe.cn/dhb/html/2022-08/20/node_897.htm",
         {"family": "founder_classic", "base_url": "http://newpaper.dahe.cn/dhb/",
          "entry": "node_897.htm"}),
        ("https://zzrb.zynews.cn/html/2024-07/01/content_1447804.htm",
         {"family": "founder_classic", "base_url": "https://zzrb.zynews.cn/"}),
        ("https://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html",
         {"family": "founder_new", "base_url": "https://paper.people.com.cn/rmrb/"}),
        ("https://zqb.cyol.com/pc/layout/202609/16/node_06.html",
         {"family": "founder_new", "base_url": "https://zqb.cyol.com/", "entry": "node_06.html"}),
        ("https://chroniclingamerica.loc.gov/lccn/sn84038012/1906-04-18/ed-1.json",
         {"family": "chronam", "base_url": "https://chroniclingamerica.loc.gov/",
          "lccn": "sn84038012"}),
        ("http://epaper.example.cn/index.html", None),
    ],
)
def test_the_family_is_guessed_from_the_url(url, expected):
    assert guess_family(url) == expected


def test_papers_add_writes_beside_the_archive_and_extends_the_bundled(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSARCHIVE_PAPERS", raising=False)
    db = str(tmp_path / "archive.db")
    add = ["papers", "--db", db, "add", "dhb", "http://newpaper.dahe.cn/dhb/html/2022-08/20/"
           "node_897.htm", "--name", "大河报", "--first-date", "2022-01-01"]
    result = CliRunner().invoke(cli, add)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "guessed family founder_classic from the URL's shape "
        "(base_url http://newpaper.dahe.cn/dhb/, entry node_897.htm)"
    )
    paper = get_paper("dhb", db=db)
    assert (paper.name, paper.family, paper.base_url, paper.entry, paper.first_date) == (
        "大河报", "founder_classic", "http://newpaper.dahe.cn/dhb/", "node_897.htm", "2022-01-01")
    assert (paper.source, paper.seen) == (
        "newsarchive papers add http://newpaper.dahe.cn/dhb/html/2022-08/20/node_897.htm",
        date.today().isoformat())
    assert set(bundled_papers()) | {"dhb"} == set(load_papers(db=db))
    listed = CliRunner().invoke(cli, ["papers", "--db", db]).output.splitlines()
    assert [line.split()[0] for line in listed] == sorted(load_papers(db=db))
    assert next(line for line in listed if line.startswith("dhb")).endswith(
        f"({tmp_path / 'papers.toml'})")
    assert next(line for line in listed if line.startswith("xcrb")).endswith("(bundled)")
    again = CliRunner().invoke(cli, add)
    assert again.exit_code == 2 and "dhb is already in" in again.output
    unknown = CliRunner().invoke(cli, ["papers", "--db", db, "add", "x", "http://x.test/a"])
    assert unknown.exit_code == 2 and "cannot tell the site family" in unknown.output


def test_an_own_entry_replaces_the_bundled_one_of_its_id(tmp_path, monkeypatch):
    own = tmp_path / "mine.toml"
    own.write_text('[xcrb]\nname = "许昌日报 (mirror)"\nfamily = "founder_col"\n'
                   'base_url = "http://mirror.test/xcrb/"\nfirst_date = "2021-01-01"\n',
                   encoding="utf-8")
    monkeypatch.setenv("NEWSARCHIVE_PAPERS", str(own))
    papers = load_papers()
    assert papers["xcrb"].base_url == "http://mirror.test/xcrb/"
    assert papers["zzrb"] == bundled_papers()["zzrb"]


def test_every_bundled_paper_says_where_and_when_its_url_was_seen():
    papers = bundled_papers()
    for paper in papers.values():
        assert paper.source and SEEN.fullmatch(paper.seen), paper.id
        # the source quotes the URL the entry's base_url comes from (scheme aside)
        assert paper.base_url.split("://", 1)[1] in paper.source, paper.id
    assert {p.family for p in papers.values()} == set(FAMILIES)
    assert len(papers) >= 24


def test_a_seen_that_is_not_a_date_is_refused(tmp_path):
    bad = tmp_path / "papers.toml"
    bad.write_text('[x]\nname="X"\nfamily="founder_col"\nbase_url="http://x/"\n'
                   'first_date="2020-01-01"\nsource="a note"\nseen="last week"\n')
    with pytest.raises(RegistryError, match="seen must be a date .* got 'last week'"):
        load_papers(bad)
