"""The operator's registry extends the bundled one; `newsarchive papers [add]`."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.papers import SEEN, Paper, RegistryError, bundled_papers, get_paper, load_papers
from crawler.spiders.families import FAMILIES, get_family, guess_family


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


#: A page or article path of each family, as the research note quotes them, put after an
#: entry's base_url: the URL shape `newsarchive papers add` would guess the entry from.
FAMILY_SAMPLE_PATHS = {
    "founder_classic": "html/2022-11/07/node_2.htm",
    "founder_new": "pc/layout/202412/25/node_01.html",
    "founder_col": "PC/layout/202211/08/col01.html",
    "founder_col_pc": "pc/layout/202204/18/col01.htm",
    "xhby": "pc/con/202211/08/c123.html",  # only its articles tell it from founder_new
    "page_nn": "content/20221110/Page01TB.htm",
    "dated_html": "20221203/html/index.htm",
    "resfile": "resfile/2022-11-09/01/01.pdf",
    "chronam": "lccn/sn85058233/1935-08-02/ed-1.json",
}


def test_every_bundled_paper_says_where_and_when_its_url_was_seen():
    papers = bundled_papers()
    for paper in papers.values():
        assert paper.source and SEEN.fullmatch(paper.seen), paper.id
        # the source quotes the URL the entry's base_url comes from (scheme aside)
        assert paper.base_url.split("://", 1)[1] in paper.source, paper.id
    assert {p.family for p in papers.values()} == set(FAMILIES)
    assert len(papers) >= 40  # issue 13: at least 40 real papers


def test_bundled_ids_are_short_and_each_paper_is_listed_once():
    papers = bundled_papers()
    for paper_id in papers:
        assert re.fullmatch(r"[a-z][a-z0-9_]{1,11}", paper_id), paper_id
    sites = Counter((p.family, p.base_url, p.entry, p.lccn) for p in papers.values())
    assert [site for site, n in sites.items() if n > 1] == []
    names = Counter(p.name for p in papers.values())
    assert [name for name, n in names.items() if n > 1] == []


#: A URL as a source quotes it (templates with ``{date}`` are not guessed: no digits).
QUOTED_URL = re.compile(r"https?://[^\s,]+")


def url_problems(paper: Paper) -> list[str]:
    """Where an entry's fields contradict the URLs: the ones its source quotes, its
    base_url with its family's sample path, and the first edition the crawl asks for."""
    problems = []
    for url in QUOTED_URL.findall(paper.source):
        guessed = guess_family(url)
        if guessed is None or (paper.family == "xhby" and guessed["family"] == "founder_new"):
            continue  # no shape we know, or 新华报业's pc/layout page (only pc/con tells C)
        if (guessed["family"], guessed["base_url"]) != (paper.family, paper.base_url):
            problems.append(f"source quotes {url}: {guessed}")
    sample = paper.base_url + FAMILY_SAMPLE_PATHS[paper.family]
    guessed = guess_family(sample)
    if guessed is None or (guessed["family"], guessed["base_url"]) != (
            paper.family, paper.base_url):
        problems.append(f"{sample}: {guessed}")
    family = get_family(paper.family)
    url = family.issue_url(paper, date.fromisoformat(paper.first_date))
    guessed = guess_family(url)
    if guessed and guessed["family"] == paper.family:  # not C's pages, nor nbs.… names
        default = family.default_entry or ""
        if (guessed["base_url"], guessed.get("entry", default), guessed.get("lccn", "")) != (
                paper.base_url, paper.entry or default, paper.lccn):
            problems.append(f"first edition {url}: {guessed}")
    return problems


@pytest.mark.parametrize("paper", bundled_papers().values(), ids=lambda p: p.id)
def test_a_bundled_papers_urls_agree_with_its_family_base_url_and_entry(paper):
    assert url_problems(paper) == []


def test_every_newscrapy_paper_quotes_a_url_of_its_own_family():
    papers = [p for p in bundled_papers().values()
              if p.source.startswith("xiaoxiaosuaxuan/newscrapy:")]
    assert len(papers) >= 20
    for paper in papers:
        families = {g["family"] for url in QUOTED_URL.findall(paper.source)
                    if (g := guess_family(url))}
        assert paper.family in families, paper.id


def test_an_entry_its_urls_contradict_is_caught():
    bcrb = bundled_papers()["bcrb"]  # http://bcrbszb.bcxww.com/html/2022-09/02/node_2.htm
    assert url_problems(bcrb) == []
    assert url_problems(replace(bcrb, family="founder_new")) == [
        "source quotes http://bcrbszb.bcxww.com/html/2022-09/02/node_2.htm: "
        "{'family': 'founder_classic', 'base_url': 'http://bcrbszb.bcxww.com/', "
        "'entry': 'node_2.htm'}"]
    assert len(url_problems(replace(bcrb, base_url="http://bcrbszb.bcxww.com/html/"))) == 1
    assert url_problems(replace(bcrb, base_url="bcrbszb.bcxww.com/"))[1:] == [
        "bcrbszb.bcxww.com/html/2022-11/07/node_2.htm: None"]  # the note's "scheme not given"
    assert url_problems(replace(bcrb, entry="node_2.html")) == [
        "first edition http://bcrbszb.bcxww.com/html/2022-09/02/node_2.html: "
        "{'family': 'founder_classic', 'base_url': 'http://bcrbszb.bcxww.com/', "
        "'entry': 'node_2.htm'}"]


def test_a_seen_that_is_not_a_date_is_refused(tmp_path):
    bad = tmp_path / "papers.toml"
    bad.write_text('[x]\nname="X"\nfamily="founder_col"\nbase_url="http://x/"\n'
                   'first_date="2020-01-01"\nsource="a note"\nseen="last week"\n')
    with pytest.raises(RegistryError, match="seen must be a date .* got 'last week'"):
        load_papers(bad)
