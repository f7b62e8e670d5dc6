"""Compose plausible editions (for the demo and fixture sites) and hard benchmark pages."""

from __future__ import annotations

import dataclasses
import datetime
import random

from crawler.demo.articles import EN_STORIES, ZH_BRIEFS, ZH_STORIES
from crawler.demo.typesetter import Article, PageSpec

PAGE_NAMES = ["要闻", "综合", "魏都新闻", "周末", "民生", "经济", "文化", "时评"]
EDITORS = ["王晓燕", "陈静", "刘洋", "张慧敏", "孙磊", "赵丽"]
PROOFREADERS = ["李明", "周婷", "杨帆", "吴昊", "郑雪"]


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


SECTION_HEADS = ["一周要闻", "周要闻", "本地简讯", "魏都快讯"]


def _pick(rng: random.Random, bank: list[Article], n: int) -> list[Article]:
    return rng.sample(bank, min(n, len(bank)))


def _briefs(rng: random.Random, n: int) -> list[Article]:
    """``n`` briefs for one box; the first carries the box's section head as its kicker."""
    picked = [dataclasses.replace(a, kicker=None) for a in _pick(rng, ZH_BRIEFS, n)]
    picked[0] = dataclasses.replace(picked[0], kicker=rng.choice(SECTION_HEADS))
    return picked


STORIES_PER_PAGE = 2  # 4 pages x 2 stories: 3 days in a row print 24 different stories


def _day_stories(paper_name: str, date: datetime.date, n: int) -> list:
    """``n`` stories for the edition of ``date``: the next ones of the paper's fixed running
    order of the bank, so editions of consecutive days print different stories, as real
    ones do, until the bank is used up."""
    deck = list(ZH_STORIES)
    _rng(paper_name, "deck").shuffle(deck)
    start = date.toordinal() * n
    return [deck[(start + i) % len(deck)] for i in range(n)]


def edition_specs(paper_name: str, date: datetime.date, pages: int = 4,
                  seed: int = 0) -> list[PageSpec]:
    """One day's edition: ``pages`` Chinese pages of 2 stories each, and on some pages a box
    of briefs, drawn deterministically from the bank (the stories change with the date)."""
    rng = _rng(paper_name, date.isoformat(), seed)
    specs = []
    stories = _day_stories(paper_name, date, pages * STORIES_PER_PAGE)
    for n in range(pages):
        name = PAGE_NAMES[n % len(PAGE_NAMES)]
        k = STORIES_PER_PAGE
        arts = stories[n * k:(n + 1) * k]
        if rng.random() < 0.5 or name == "魏都新闻":
            arts += _briefs(rng, rng.randint(2, max(2, 6 - k)))
        specs.append(PageSpec(
            paper_name=paper_name, date=date, page_label=f"{n + 1:02d}", page_name=name,
            articles=arts, columns=rng.choice([6, 6, 7, 8]),
            editor=rng.choice(EDITORS), proofreader=rng.choice(PROOFREADERS),
            seed=rng.randrange(1 << 30), shuffle_drawing_order=rng.random() < 0.7,
            title_split=rng.random() < 0.5,
        ))
    return specs


# Styles drawn independently per page, each split in two: the engine is tuned on pages of
# the first kind and measured on pages of the second (bench/extract_quality.py prints both)
STYLES = {
    "byline_style": (("left", "right"), ("spaced", "trailing")),
    "type": (((9.5, 13.0), (10.0, 14.0)), ((10.5, 14.5), (9.0, 12.5))),
    "tc_spacing": ((False,), (True, False)),
    "column_rules": ((None,), (True, False)),
    "photo_position": (("mixed", "top"), ("middle", "mixed")),
    "jump_lines": ((False,), (True, False)),
    "hang_punctuation": ((False,), (True, False)),
}
SPLITS = ("tune", "held_out")


def _styled(spec: PageSpec, split: str, seed: int, i: int) -> PageSpec:
    """``spec`` with every style axis drawn from its ``split`` half."""
    rng = _rng("styles", split, seed, i)
    half = SPLITS.index(split)
    pick = {axis: rng.choice(halves[half]) for axis, halves in STYLES.items()}
    body_size, leading = pick.pop("type")
    return dataclasses.replace(spec, body_size=body_size, leading=leading, **pick)


def broadsheet_specs(n: int, seed: int = 0, split: str | None = None) -> list[PageSpec]:
    """``n`` varied hard pages for the extraction quality and speed benchmarks: 5-8
    columns, shuffled drawing order, sidebars, photos, split titles; one page in four is
    English. With ``split`` ("tune" or "held_out"), each page also takes one of that half's
    styles on every axis of ``STYLES``."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {SPLITS}")
    rng = _rng("broadsheet", seed)
    specs = []
    for i in range(n):
        english = i % 4 == 3
        date = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        if english:
            arts = _pick(rng, EN_STORIES, rng.randint(4, 6))
            spec = PageSpec(
                paper_name="The Evening Ledger", date=date.replace(year=1911),
                page_label=f"{i % 12 + 1:02d}", page_name="City News", articles=arts,
                columns=rng.choice([6, 7, 8]), editor="J. H. Marsh", seed=rng.randrange(1 << 30),
                shuffle_drawing_order=True, lang="en", narrow_titles=rng.random() < 0.7,
                space_glyphs=rng.random() < 0.5,
            )
        else:
            arts = _pick(rng, ZH_STORIES, rng.randint(5, 8))
            arts += _briefs(rng, rng.randint(2, 4))
            spec = PageSpec(
                paper_name="许昌日报", date=date, page_label=f"{i % 12 + 1:02d}",
                page_name=rng.choice(PAGE_NAMES), articles=arts,
                columns=rng.choice([5, 6, 7, 8]), editor=rng.choice(EDITORS),
                proofreader=rng.choice(PROOFREADERS), seed=rng.randrange(1 << 30),
                shuffle_drawing_order=True, title_split=rng.random() < 0.6,
                narrow_titles=rng.random() < 0.7,
            )
        specs.append(spec if split is None else _styled(spec, split, seed, i))
    return specs
