"""The page typesetter draws exactly its truth, realistically (justified CJK, kinsoku,
hyphenation, shuffled stream order), deterministically and fast."""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from crawler.demo.articles import EN_STORIES, ZH_BRIEFS, ZH_STORIES
from crawler.demo.editions import broadsheet_specs, edition_specs
from crawler.demo.typesetter import (
    NO_START,
    PageSpec,
    Typeset,
    break_en,
    break_zh,
    typeset_edition,
    typeset_page,
    typeset_page_layout,
)

DATE = datetime.date(2023, 6, 16)
FIELDS = ("kicker", "title", "subtitle", "byline", "body")


def zh_spec(**kw) -> PageSpec:
    base = dict(paper_name="许昌日报", date=DATE, page_label="05", page_name="魏都新闻",
                articles=ZH_STORIES[:4] + ZH_BRIEFS[:3], columns=6, seed=3,
                shuffle_drawing_order=True, title_split=True)
    base.update(kw)
    return PageSpec(**base)


def en_spec(**kw) -> PageSpec:
    base = dict(paper_name="The Evening Ledger", date=datetime.date(1911, 6, 16),
                page_label="05", page_name="City News", articles=EN_STORIES, columns=7,
                seed=5, shuffle_drawing_order=True, lang="en", editor="J. H. Marsh")
    base.update(kw)
    return PageSpec(**base)


SPECS = {
    "zh": zh_spec(narrow_titles=True),
    "zh-8col": zh_spec(columns=8, seed=11, articles=ZH_STORIES[4:12] + ZH_BRIEFS[3:]),
    "zh-5col-plain": zh_spec(columns=5, seed=1, shuffle_drawing_order=False,
                             title_split=False, articles=ZH_STORIES[8:12]),
    "zh-tc": zh_spec(seed=8, tc_spacing=True, articles=ZH_STORIES[10:16] + ZH_BRIEFS[4:]),
    "en": en_spec(),
    "en-spaces": en_spec(seed=9, columns=6, space_glyphs=True, narrow_titles=True),
}


@pytest.fixture(scope="module", params=sorted(SPECS))
def page(request, tmp_path_factory) -> tuple[Typeset, Path]:
    path = tmp_path_factory.mktemp("pages") / f"{request.param}.pdf"
    return typeset_page_layout(SPECS[request.param], str(path)), path


def truth_chars(truth: dict) -> Counter:
    texts = [truth["header"]]
    for art in truth["articles"]:
        texts += [art[f] for f in FIELDS if art[f]] + art["captions"]
    return Counter(ch for t in texts for ch in t if not ch.isspace())


def test_truth_has_the_extraction_shape(page):
    ts, _ = page
    assert set(ts.truth) == {"number", "header", "articles"}
    assert ts.truth["number"] == 1
    assert ts.truth["articles"]
    for art in ts.truth["articles"]:
        assert set(art) == {*FIELDS, "captions", "bbox"}
        assert art["title"] and art["body"]
        assert "\n\n" not in art["body"] and not art["body"].startswith("\n")
        x0, top, x1, bottom = art["bbox"]
        assert 0 <= x0 < x1 <= ts.spec.width and 0 <= top < bottom <= ts.spec.height


def test_one_page_of_the_requested_size(page):
    ts, path = page
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert (pdf.pages[0].width, pdf.pages[0].height) == (ts.spec.width, ts.spec.height)


def test_drawn_characters_equal_the_truth(page):
    """Nothing drawn is missing from the truth and vice versa (line-end hyphens aside)."""
    ts, path = page
    with pdfplumber.open(path) as pdf:
        drawn = Counter(c["text"] for c in pdf.pages[0].chars if not c["text"].isspace())
    want = truth_chars(ts.truth)
    assert drawn - want == (Counter({"-": ts.soft_hyphens}) if ts.soft_hyphens else Counter())
    assert want - drawn == Counter()


def test_pdfium_reads_every_character(page):
    """pypdfium2 (the default char source) sees the same characters as pdfplumber."""
    ts, path = page
    doc = pdfium.PdfDocument(str(path))
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    # pdfium reports a hyphen at a line end as U+FFFE
    drawn = Counter(ch for ch in text.replace("\ufffe", "-") if not ch.isspace())
    want = truth_chars(ts.truth)
    want["-"] += ts.soft_hyphens
    assert drawn == +want


def _chars_in(chars: list[dict], bbox, pad: float = 0.5) -> list[dict]:
    x0, top, x1, bottom = bbox
    mid = (top + bottom) / 2
    return sorted((c for c in chars if x0 - pad <= (c["x0"] + c["x1"]) / 2 <= x1 + pad
                   and top - pad <= mid <= bottom + pad and abs(c["bottom"] - bottom) < 4
                   and not c["text"].isspace()), key=lambda c: c["x0"])


def test_full_cjk_lines_are_justified_with_gaps_between_glyphs():
    ts, path = _zh_page()
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    full = [ln for ln in ts.lines if ln.role == "body" and ln.justified]
    assert len(full) > 50
    loose = 0
    for ln in full:
        got = _chars_in(chars, ln.bbox)
        assert "".join(c["text"] for c in got) == ln.text
        gaps = [b["x0"] - a["x1"] for a, b in zip(got, got[1:], strict=False)]
        assert min(gaps) > -0.01
        loose += min(gaps) > 0.05
        assert got[-1]["x1"] == pytest.approx(max(c["x1"] for c in got))
    assert loose > len(full) // 2  # most full lines carry visible inter-glyph gaps
    # justified lines of one column end flush at the same x
    ends = Counter(round(ln.bbox[2]) for ln in full)
    assert ends.most_common(1)[0][1] > 10


def test_no_line_starts_with_forbidden_punctuation():
    ts, path = _zh_page()
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    checked = 0
    for ln in ts.lines:
        if ln.role in ("body", "caption", "title", "byline"):
            assert ln.text[0] not in NO_START, ln.text
            got = _chars_in(chars, ln.bbox)
            assert got[0]["text"] == ln.text[0]
            checked += 1
    assert checked > 100


def test_kinsoku_pulls_a_character_down():
    text = "一二三四五，六七八。"
    lines = break_zh(text, "STSong-Light", 10, 50)  # five characters a line
    assert ["".join(t) for t in lines] == ["一二三四", "五，六七", "八。"]
    for toks in break_zh("营商环境（一）。“疫情”防控，5G网络覆盖率12.3%。", "STSong-Light",
                         10, 40):
        assert toks[0][0] not in NO_START and toks[-1][-1] not in "（“"
    assert "12.3%" in break_zh("覆盖率达到12.3%以上", "STSong-Light", 10, 200)[0]


def _rejoin(lines) -> str:
    """Undo line breaking the way an extractor should: drop soft hyphens, keep compounds."""
    parts: list[str] = []
    glue = False
    for ln in lines:
        words = list(ln.words)
        if ln.soft_hyphen:
            words[-1] = words[-1][:-1]
        for k, word in enumerate(words):
            if k == 0 and glue:
                parts[-1] += word
            else:
                parts.append(word)
        glue = ln.soft_hyphen or words[-1].endswith(("-", "–"))
    return " ".join(parts)


def test_english_hyphenation_and_compounds():
    text = "the well-known international engineer reported on the 737–9 extraordinary"
    ends, soft = set(), 0
    for width in range(40, 120, 3):
        lines = break_en(text, "Times-Roman", 10, width)
        assert _rejoin(lines) == text, (width, lines)
        ends |= {ln.words[-1] for ln in lines}
        soft += sum(ln.soft_hyphen for ln in lines)
    assert "well-" in ends  # a compound broken at its own hyphen
    assert "737–" in ends  # a numeric dash at a line end
    assert soft > 0


def test_shuffled_drawing_order_puts_bodies_before_titles():
    ts, path = _zh_page()
    with pdfplumber.open(path) as pdf:
        stream = "".join(c["text"] for c in pdf.pages[0].chars)
    index = {a.title: i for i, a in enumerate(ts.spec.articles)}
    before = 0
    for art in ts.truth["articles"]:
        title = art["title"].replace(" ", "")
        first_body = next(ln.text for ln in ts.lines
                          if ln.role == "body" and ln.article == index[art["title"]])
        t, b = stream.find(title), stream.find(first_body)
        assert t >= 0 and b >= 0
        before += b < t
    assert before >= 1
    plain = SPECS["zh-5col-plain"]
    ts2 = typeset_page_layout(plain, str(path.with_name("plain.pdf")))
    with pdfplumber.open(path.with_name("plain.pdf")) as pdf:
        stream = "".join(c["text"] for c in pdf.pages[0].chars)
    for art in ts2.truth["articles"]:
        assert stream.find(art["title"].replace(" ", "")) < stream.find(art["body"][:4])


def test_deterministic_for_a_seed(tmp_path):
    spec = zh_spec()
    a = typeset_page(spec, str(tmp_path / "a.pdf"))
    b = typeset_page(spec, str(tmp_path / "b.pdf"))
    assert a == b
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    typeset_page(zh_spec(seed=4), str(tmp_path / "c.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "c.pdf").read_bytes()


def test_header_is_its_own_text():
    ts, _ = _zh_page()
    assert ts.truth["header"] == (
        "2023年6月16日 星期五 许昌日报 第05版：魏都新闻 编辑：王晓燕 校对：李明")


def test_inline_byline_and_section_head_conventions(tmp_path):
    spec = zh_spec(articles=[ZH_STORIES[2], *ZH_BRIEFS[:2]], shuffle_drawing_order=False)
    ts = typeset_page_layout(spec, str(tmp_path / "p.pdf"))
    arts = {a["title"]: a for a in ts.truth["articles"]}
    story = arts[ZH_STORIES[2].title]
    assert story["byline"].startswith("本报讯") and not story["body"].startswith("本报讯")
    first_line = next(ln.text for ln in ts.lines if ln.role == "body")
    assert first_line.startswith("本报讯（记者")
    assert arts[ZH_BRIEFS[0].title]["kicker"] == ZH_BRIEFS[0].kicker
    assert arts[ZH_BRIEFS[0].title]["body"].endswith("（魏宣）")


def test_edition_specs_are_deterministic_and_vary_by_date(tmp_path):
    a = edition_specs("许昌日报", DATE, pages=4, seed=0)
    b = edition_specs("许昌日报", DATE, pages=4, seed=0)
    c = edition_specs("许昌日报", DATE + datetime.timedelta(days=1), pages=4, seed=0)
    assert a == b and len(a) == 4
    assert [s.page_label for s in a] == ["01", "02", "03", "04"]
    assert [s.articles for s in a] != [s.articles for s in c]
    for spec in a:
        assert 2 <= sum(art.kind == "story" for art in spec.articles) <= 5
    truths = typeset_edition(a, str(tmp_path / "ed.pdf"))
    assert [t["number"] for t in truths] == [1, 2, 3, 4]
    with pdfplumber.open(tmp_path / "ed.pdf") as pdf:
        assert len(pdf.pages) == 4


def test_editions_of_consecutive_days_print_different_stories():
    """The demo's three dates: no story appears in two editions (issue #15, item 7)."""
    from crawler.cli import DEMO_DATES

    titles = [
        {a.title for spec in edition_specs("许昌日报", day, pages=4, seed=day.toordinal())
         for a in spec.articles if a.kind == "story"}
        for day in DEMO_DATES
    ]
    assert [len(t) for t in titles] == [8, 8, 8]
    assert len(set.union(*titles)) == 24


def test_broadsheets_are_varied_and_fast(tmp_path):
    specs = broadsheet_specs(8, seed=1)
    assert {s.columns for s in specs} >= {6, 8} or len({s.columns for s in specs}) >= 3
    assert {s.lang for s in specs} == {"zh", "en"}
    start = time.perf_counter()
    for n, spec in enumerate(specs):
        truth = typeset_page(spec, str(tmp_path / f"b{n}.pdf"))
        assert len(truth["articles"]) >= 3
    assert (time.perf_counter() - start) / len(specs) < 0.5


def test_search_words_are_in_the_bank():
    zh = [" ".join(a.paragraphs + [a.title]) for a in ZH_STORIES + ZH_BRIEFS]
    for word in ("营商环境", "疫情", "5G网络", "魏都区"):
        assert sum(word in t for t in zh) >= 3, word
    assert len(ZH_STORIES) >= 16 and len(EN_STORIES) >= 6


_cache: dict[str, tuple[Typeset, Path]] = {}


def _zh_page() -> tuple[Typeset, Path]:
    if "zh" not in _cache:
        import tempfile

        path = Path(tempfile.mkdtemp()) / "zh.pdf"
        _cache["zh"] = (typeset_page_layout(SPECS["zh"], str(path)), path)
    return _cache["zh"]


def _overlap(a, b, tol: float = 0.3) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > tol
            and min(a[3], b[3]) - max(a[1], b[1]) > tol)


@pytest.mark.parametrize("n", range(8))
def test_nothing_collides_on_the_benchmark_pages(n):
    """No drawn line overlaps another line or a picture, and all stay on the page."""
    spec = broadsheet_specs(8, seed=2)[n]
    from crawler.demo.typesetter import compose_page

    ts = compose_page(spec)
    boxes = [ln.bbox for ln in ts.lines]
    H = spec.height
    pictures = [(s[2], H - s[3] - s[5], s[2] + s[4], H - s[3]) for b in ts.blocks
                for s in b.shapes if s[0] == "image"]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= spec.width and 0 <= a[1] and a[3] <= H
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (ts.lines[i], b)
        for p in pictures:
            assert not _overlap(a, p), (ts.lines[i], p)


def test_photos_can_sit_inside_the_text_of_a_column(tmp_path):
    """A caption with body lines of its own article above and below it in one column."""
    spec = zh_spec(photo_position="middle", articles=ZH_STORIES[:8], seed=6)
    ts = typeset_page_layout(spec, str(tmp_path / "mid.pdf"))
    inside = 0
    for cap in (ln for ln in ts.lines if ln.role == "caption"):
        col = [ln for ln in ts.lines if ln.role == "body" and ln.article == cap.article
               and abs(ln.bbox[0] - cap.bbox[0]) < 30]
        above = any(ln.bbox[3] < cap.bbox[1] for ln in col)
        below = any(ln.bbox[1] > cap.bbox[3] for ln in col)
        inside += above and below
    assert inside >= 1


def test_editions_keep_every_article_whole():
    """The demo archive must hold exactly the articles the edition planned."""
    from crawler.demo.typesetter import compose_page

    for day in range(12):
        date = DATE + datetime.timedelta(days=day)
        for spec in edition_specs("许昌日报", date, pages=4):
            got = {a["title"]: a for a in compose_page(spec).truth["articles"]}
            for art in spec.articles:
                assert got[art.title]["body"] == "\n".join(art.paragraphs)


@pytest.mark.parametrize("n", range(8))
def test_the_title_is_the_largest_heading_of_its_article(n):
    """As in real papers, a title is never smaller than its kicker, subtitle or section
    head: in a narrow frame a long title wraps instead of shrinking below them."""
    from crawler.demo.typesetter import compose_page

    specs = broadsheet_specs(8, seed=5) + edition_specs("许昌日报", DATE, pages=4)
    ts = compose_page(specs[n % len(specs)])
    sizes: dict[tuple[int, str], float] = {}
    for ln in ts.lines:
        if ln.article is not None and ln.role in ("kicker", "title", "subtitle"):
            key = (ln.article, ln.role)
            sizes[key] = max(sizes.get(key, 0.0), ln.size)
    titles = {a: s for (a, role), s in sizes.items() if role == "title"}
    assert titles
    for (article, role), size in sizes.items():
        if role != "title":
            assert titles[article] > size, (article, role)


def test_styled_broadsheets_draw_every_axis_from_their_half():
    """tune and held_out pages take each style from their own half of STYLES, so that rules
    tuned on the first are measured on pages unlike them; the plain pages stay as they were."""
    from crawler.demo.editions import SPLITS, STYLES

    plain = broadsheet_specs(6, seed=4)
    for half, split in enumerate(SPLITS):
        specs = broadsheet_specs(6, seed=4, split=split)
        assert [s.articles for s in specs] == [s.articles for s in plain]
        for spec in specs:
            assert spec.byline_style in STYLES["byline_style"][half]
            assert (spec.body_size, spec.leading) in STYLES["type"][half]
            assert spec.photo_position in STYLES["photo_position"][half]
            assert spec.jump_lines in STYLES["jump_lines"][half]
            assert spec.hang_punctuation in STYLES["hang_punctuation"][half]
    with pytest.raises(ValueError, match="unknown split"):
        broadsheet_specs(2, split="train")


def test_hung_punctuation_stands_in_the_gutter_clear_of_the_next_column(tmp_path):
    """With hang_punctuation, full lines hang one closing mark past the column's edge (the
    line justified to the edge without it), and the gutter holds it: its em box ends at
    least HANG_CLEAR before the next column's text on that baseline."""
    from crawler.demo.typesetter import HANG, HANG_CLEAR

    spec = next(s for s in broadsheet_specs(4, seed=0) if s.lang == "zh")
    spec = dataclasses.replace(spec, hang_punctuation=True)
    lines = [ln for ln in typeset_page_layout(spec, str(tmp_path / "p.pdf")).lines
             if ln.role == "body"]
    widths = Counter(round(ln.bbox[2] - ln.bbox[0]) for ln in lines if ln.justified)
    column = widths.most_common(1)[0][0]
    hung = [ln for ln in lines if ln.justified and ln.text[-1] in HANG
            and abs(ln.bbox[2] - ln.bbox[0] - column - spec.body_size) < 1]
    assert len(hung) >= 5
    for a in hung:
        after = [b.bbox[0] - a.bbox[2] for b in lines
                 if abs(b.bbox[3] - a.bbox[3]) < 0.5 and b.bbox[0] > a.bbox[0] + column / 2]
        assert all(gap >= HANG_CLEAR - 0.01 for gap in after), (a.text, after)


def test_trailing_bylines_end_the_last_paragraph_in_parentheses(tmp_path):
    spec = next(s for s in broadsheet_specs(8, seed=0, split="held_out")
                if s.byline_style == "trailing" and s.lang == "zh")
    truth = typeset_page(spec, str(tmp_path / "p.pdf"))
    trailing = [a for a in truth["articles"] if (a["byline"] or "").startswith("（")]
    assert trailing and all(a["byline"].endswith("）") and "□" not in a["byline"]
                            and a["byline"] not in a["body"] for a in trailing)
    with pdfplumber.open(tmp_path / "p.pdf") as pdf:
        drawn = "".join(c["text"] for c in pdf.pages[0].chars)
    assert all(a["byline"].replace(" ", "") in drawn for a in trailing)
