"""Hostile text layers (issue #14, item 5): text that must come out right, or with an honest
status, never as wrong text filed ``ok``. Every PDF is written by the test
(tests/hostile_pdfs.py: raw bytes, so /Rotate, CMaps, ToUnicode maps, render modes, colours
and clipping are exactly as stated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_pdf, visibility
from pipelines.extract.visibility import CLIPPED, MODE, OUTSIDE, WHITE_FILL
from tests.hostile_pdfs import (
    A4,
    HELVETICA,
    Page,
    build_pdf,
    cjk_font,
    codes,
    text_lines,
    to_unicode_cmap,
    ucs2,
)

BODY = ["The council met on Tuesday to discuss the new bridge over the river.",
        "Residents asked for a footpath and better lighting at night.",
        "The mayor said work would begin in the spring of next year."]
BODY_TEXT = " ".join(BODY)
ZH = ["本报讯今年以来我市坚持稳中求进工作总基调全力推动经济高质量发展",
      "各项主要经济指标保持平稳增长全市地区生产总值同比增长百分之六点五",
      "规模以上工业增加值增长百分之八固定资产投资增长百分之十社会消费品"]


def extract(tmp_path: Path, pages: list[Page], streams: tuple[bytes, ...] = ()) -> list[dict]:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(build_pdf(pages, streams))
    return extract_pdf(path)["pages"]


def text_of(page: dict) -> str:
    return "\n".join(filter(None, (f"{a['title'] or ''}|{a['body']}" for a in page["articles"])))


# ----------------------------------------------------------------- wrong Unicode maps


def identity_page(mapping: dict[int, str]) -> tuple[list[Page], tuple[bytes, ...]]:
    """ZH set in an Identity-H font whose glyph i+1 is the i-th distinct character, with the
    ToUnicode map ``mapping`` (code -> text)."""
    alphabet = sorted(set("".join(ZH)))
    cid = {ch: i + 1 for i, ch in enumerate(alphabet)}
    lines = [codes([cid[ch] for ch in line]) for line in ZH * 3]
    content = "BT /F2 10 Tf 72 760 Td 14 TL\n" + "\n".join(f"{c} Tj T*" for c in lines) + "\nET"
    return [Page(content, fonts={"F2": cjk_font("Identity-H", to_unicode=3)})], (
        to_unicode_cmap({cid[ch]: mapping.get(cid[ch], ch) for ch in alphabet}),)


def test_a_right_tounicode_map_reads_as_text(tmp_path):
    pages, streams = identity_page({})
    (page,) = extract(tmp_path, pages, streams)
    assert page["status"] == "ok"
    assert page["articles"][0]["body"].replace("\n", "") == "".join(ZH * 3)


def test_tounicode_into_latin_extended_a_is_garbled(tmp_path):
    pages, streams = identity_page({code: chr(0x100 + code) for code in range(1, 200)})
    (page,) = extract(tmp_path, pages, streams)
    assert page["status"] == "garbled"
    assert page["articles"] == []
    assert "Latin Extended" in page["reason"] and "mojibake" in page["reason"]


def test_tounicode_into_wrong_chinese_characters_is_garbled(tmp_path):
    # a map off by a fixed offset: real ideographs, mostly rare ones
    alphabet = sorted(set("".join(ZH)))
    shifted = {i + 1: chr(ord(ch) + 0x1000) for i, ch in enumerate(alphabet)}
    pages, streams = identity_page(shifted)
    (page,) = extract(tmp_path, pages, streams)
    assert page["status"] == "garbled"
    assert "rare" in page["reason"] and "mojibake" in page["reason"]


def test_polish_text_in_latin_extended_is_not_garbled(tmp_path):
    polish = ["Rada miasta zebrała się we wtorek, żeby omówić nowy most na rzece.",
              "Mieszkańcy prosili o chodnik i lepsze oświetlenie w nocy."]
    content = text_lines(polish * 4, 72, 760, show=lambda s: ucs2(s))
    (page,) = extract(tmp_path, [Page(content, fonts={"F1": cjk_font("UniGB-UCS2-H")})])
    assert page["status"] == "ok"
    assert "zebrała się we wtorek, żeby" in page["articles"][0]["body"]


# ----------------------------------------------------------------- turned pages

LANDSCAPE = (0.0, 0.0, 842.0, 595.0)


def story(x: float, y: float, matrix=(1, 0, 0, 1)) -> str:
    """A title and BODY twice from origin (x, y), in the text space of ``matrix``."""
    a, b, c, d = matrix
    return (text_lines(["Bridge plan approved"], x, y, 20, matrix=matrix)
            + text_lines(BODY * 2, x - 30 * c, y - 30 * d, matrix=matrix))


def articles_of(page: dict) -> list[tuple]:
    return [(a["title"], a["body"], a["bbox"]) for a in page["articles"]]


@pytest.fixture
def landscape(tmp_path) -> list[tuple]:
    """The story on an upright landscape page: what a turned page must read as."""
    (page,) = extract(tmp_path, [Page(story(100, 520), media=LANDSCAPE)])
    assert page["status"] == "ok"
    assert page["articles"][0]["title"] == "Bridge plan approved"
    assert page["articles"][0]["body"] == f"{BODY_TEXT} {BODY_TEXT}"
    return articles_of(page)


@pytest.mark.parametrize("rotate, origin, matrix", [
    (90, (595 - 520, 100), (0, 1, -1, 0)),   # drawn running up the portrait page
    (270, (520, 842 - 100), (0, -1, 1, 0)),  # drawn running down it
])
def test_text_drawn_turned_on_a_rotated_page_reads_as_shown(tmp_path, landscape, rotate,
                                                            origin, matrix):
    (page,) = extract(tmp_path, [Page(story(*origin, matrix), rotate=rotate)])
    assert page["status"] == "ok"
    assert articles_of(page) == landscape  # text, and boxes in the page as shown


@pytest.mark.parametrize("rotate", [90, 270])
def test_upright_text_on_a_rotated_page_reads_whole_with_boxes_as_shown(tmp_path, rotate):
    (upright,) = extract(tmp_path, [Page(story(72, 760))])
    (page,) = extract(tmp_path, [Page(story(72, 760), rotate=rotate)])
    assert page["status"] == "ok" and page["header"] is None
    assert [a[:2] for a in articles_of(page)] == [a[:2] for a in articles_of(upright)]
    (x0, top, x1, bottom), (shown,) = upright["articles"][0]["bbox"], page["articles"]
    # shown a quarter turn clockwise (90) or counter-clockwise (270): 842 wide, 595 high
    expected = ([842 - bottom, x0, 842 - top, x1] if rotate == 90
                else [top, 595 - x1, bottom, 595 - x0])
    assert shown["bbox"] == pytest.approx(expected, abs=0.11)
    assert 0 <= shown["bbox"][1] < shown["bbox"][3] <= 595


# ----------------------------------------------------------------- text nobody sees

SPAM = ["casino bonus cheap pills casino bonus cheap pills casino bonus"] * 3
SEEN = text_lines(["Bridge plan approved"], 72, 760, 20) + text_lines(BODY * 2, 72, 730)
PANEL = "q 0 0 0 rg 60 460 420 60 re f Q\n"  # a black panel under the spam's lines
PHOTO = "q 420 0 0 60 60 460 cm /Im1 Do Q\n"  # an image under them
GRADIENT = "q 60 460 420 60 re W n /Sh1 sh Q\n"  # a dark gradient under them


def spam(prefix: str = "", y: float = 500) -> str:
    """SPAM (159 glyphs) from (72, y), after ``prefix`` (colour, clip) in its own q/Q."""
    return "q " + prefix + "\n" + text_lines(SPAM, 72, y) + "Q\n"


@pytest.mark.parametrize("hidden", [
    pytest.param(spam("1 1 1 rg"), id="white-on-paper"),
    pytest.param(spam("0 0 0 0 k"), id="white-cmyk-on-paper"),
    pytest.param(spam().replace("BT", "BT 3 Tr"), id="render-mode-3-over-nothing"),
    pytest.param(spam().replace("BT", "BT 7 Tr"), id="render-mode-7-over-nothing"),
    pytest.param(text_lines(SPAM, 72, 1000) + text_lines(SPAM, -700, 300), id="off-the-page"),
    pytest.param(spam("0 0 10 10 re W n"), id="clipped-away"),
])
def test_text_nobody_sees_is_not_archived(tmp_path, hidden):
    (page,) = extract(tmp_path, [Page(SEEN + hidden)])
    assert page["status"] == "ok"
    assert [(a["title"], a["body"]) for a in page["articles"]] == [
        ("Bridge plan approved", f"{BODY_TEXT} {BODY_TEXT}")]


@pytest.mark.parametrize("under, hidden", [
    pytest.param(PANEL, spam("1 1 1 rg"), id="white-on-a-black-panel"),
    pytest.param(PHOTO, spam("1 1 1 rg"), id="white-on-a-photo"),
    pytest.param(GRADIENT, spam("1 1 1 rg"), id="white-on-a-gradient"),
    pytest.param(PHOTO, spam().replace("BT", "BT 3 Tr"), id="ocr-layer-over-its-scan"),
])
def test_text_seen_against_what_is_under_it_is_kept(tmp_path, under, hidden):
    (page,) = extract(tmp_path, [Page(SEEN + under + hidden, images=("Im1",), shadings=("Sh1",))])
    assert page["status"] == "ok"
    assert "casino bonus cheap pills" in text_of(page)


@pytest.mark.parametrize("rotate", [0, 90])
def test_text_nobody_sees_on_a_turned_page_is_not_archived_either(tmp_path, rotate):
    (page,) = extract(tmp_path, [Page(SEEN + spam("1 1 1 rg") + spam("0 0 1 1 re W n", 300),
                                      rotate=rotate)])
    assert [(a["title"], a["body"]) for a in page["articles"]] == [
        ("Bridge plan approved", f"{BODY_TEXT} {BODY_TEXT}")]


def test_a_page_of_only_unseen_text_says_so(tmp_path):
    content = (spam("1 1 1 rg", 700) + spam(y=500).replace("BT", "BT 3 Tr")
               + spam("0 0 1 1 re W n", 300))
    (page,) = extract(tmp_path, [Page(content)])
    assert page["status"] == "no_text" and page["articles"] == []
    assert page["reason"] == ("no visible text: 0 glyphs seen, 477 drawn unseen (159 white "
                              "over no drawn background, 159 invisible (render mode 3) over "
                              "no image, 159 clipped away)")


def hostile_pages() -> list[Page]:
    return [Page(SEEN + hidden) for hidden in (
        spam("1 1 1 rg"), spam().replace("BT", "BT 3 Tr"), spam("0 0 10 10 re W n"),
        text_lines(SPAM, -700, 300), "q 0.5 0 0 0.5 0 0 cm\n" + spam("0 0 10 10 re W n") + "Q\n",
    )] + [Page(SEEN + PANEL + PHOTO + spam("1 1 1 rg"), images=("Im1",))]


def both_walks(path: Path, box=A4) -> list[tuple]:
    """Each page's walk, compiled and in Python, in a comparable form."""
    import pypdfium2 as pdfium

    if visibility._glyphs is None:
        pytest.skip("no C compiler where this was installed")  # pragma: no cover

    def key(drawn: visibility.Drawn) -> tuple:
        return (sorted((f.handle, f.flags, f.bounds, f.clip) for f in drawn.flagged),
                sorted(drawn.images), sorted(drawn.fills))

    doc = pdfium.PdfDocument(path)
    try:
        return [(key(visibility.walk(p.raw, box)), key(visibility.walk_python(p.raw, box)))
                for p in doc]
    finally:
        doc.close()


def test_compiled_walk_matches_python(tmp_path):
    path = tmp_path / "hostile.pdf"
    path.write_bytes(build_pdf(hostile_pages()))
    walks = both_walks(path)
    assert [c == py for c, py in walks] == [True] * 6
    assert [[f[1] for f in c[0]] for c, _ in walks][:4] == [
        [WHITE_FILL] * 3, [MODE] * 3, [CLIPPED] * 3, [OUTSIDE] * 3]


def test_compiled_walk_matches_python_on_the_real_corpus(real_corpus):
    for pdf in sorted(real_corpus.glob("*.pdf")):
        walks = both_walks(pdf, (0.0, 0.0, 300.0, 400.0))  # objects off it: flagged
        assert all(c == py for c, py in walks), pdf.name
        assert any(c[0] for c, _ in walks) or pdf.name.startswith("weekly"), pdf.name


def test_reading_again_gives_the_upright_glyphs(tmp_path, monkeypatch):
    """A page read again glyph by glyph (as turned pages are) keeps every glyph as the
    compiled reading had it: the text of a correct page never changes."""
    from pipelines.extract import orientation
    from pipelines.extract.pdfium_source import PdfiumSource

    path = tmp_path / "seen.pdf"
    path.write_bytes(build_pdf([Page(SEEN)]))

    def glyphs() -> list[tuple]:
        source = PdfiumSource(str(path), 10_000)
        try:
            (content,) = list(source.pages())
        finally:
            source.close()
        return [(c.text, c.x0, c.x1, c.base, c.size, c.font, c.sp) for c in content.chars]

    first = glyphs()
    monkeypatch.setattr(orientation, "needs_reading", lambda content, rotation: True)
    assert glyphs() == first and len(first) == 18 + 2 * len(BODY_TEXT.replace(" ", ""))


# ----------------------------------------------------------------- vertical writing

COLUMNS = ["许昌市召开全市经济工作会议", "会议总结了今年的工作成绩", "部署明年的重点任务和措施"]


def vertical_page(encoding: str, per_glyph: bool = False
                  ) -> tuple[list[Page], tuple[bytes, ...]]:
    """COLUMNS set top to bottom, right to left, in a vertical CMap: UniGB-UCS2-V shows
    UCS-2 codes, Identity-V glyph numbers mapped back by a ToUnicode map; ``per_glyph``:
    each glyph in a text object of its own (pdfium once dropped such glyphs, issue #12)."""
    alphabet = sorted(set("".join(COLUMNS)))
    cid = {ch: i + 1 for i, ch in enumerate(alphabet)}
    show = ucs2 if encoding == "UniGB-UCS2-V" else (lambda s: codes([cid[ch] for ch in s]))
    if per_glyph:
        content = "".join(f"BT /F2 14 Tf {500 - 30 * i} {780 - 14 * k} Td {show(ch)} Tj ET\n"
                          for i, col in enumerate(COLUMNS) for k, ch in enumerate(col))
    else:
        content = "".join(f"BT /F2 14 Tf {500 - 30 * i} 780 Td {show(col)} Tj ET\n"
                          for i, col in enumerate(COLUMNS))
    streams = () if encoding == "UniGB-UCS2-V" else (to_unicode_cmap(
        {n: ch for ch, n in cid.items()}),)
    font = cjk_font(encoding, to_unicode=3 if streams else None)
    return [Page(content, fonts={"F2": font})], streams


@pytest.mark.parametrize("encoding", ["UniGB-UCS2-V", "Identity-V"])
@pytest.mark.parametrize("per_glyph", [False, True], ids=["one-object", "object-per-glyph"])
def test_vertical_columns_read_top_down_right_to_left(tmp_path, encoding, per_glyph):
    (page,) = extract(tmp_path, *vertical_page(encoding, per_glyph))
    assert page["status"] == "ok"
    (article,) = page["articles"]
    assert article["body"] == "".join(COLUMNS)  # every glyph, in reading order
    # boxed as shown: three columns 14 pt wide centred on x 440-500, 13 glyphs from y 780
    assert article["bbox"] == [433.0, 62.0, 507.0, 244.0]


def test_a_vertical_headline_on_a_page_of_rows_is_kept(tmp_path):
    body = text_lines(ZH * 4, 72, 700, 10, 14, font="F2", show=ucs2)
    head = f"BT /F3 24 Tf 520 760 Td {ucs2('全市经济运行稳中向好')} Tj ET\n"
    fonts = {"F2": cjk_font(), "F3": cjk_font("UniGB-UCS2-V")}
    (page,) = extract(tmp_path, [Page(body + head, fonts=fonts)])
    assert page["status"] == "ok"
    assert [(a["title"], a["body"].replace("\n", "")) for a in page["articles"]] == [
        (None, "".join(ZH * 4)), ("全市经济运行稳中向好", "")]


def test_a_real_page_of_vertical_japanese_reads_down_its_columns(real_corpus):
    (page,) = extract_pdf(real_corpus / "kanpo-4817-2008-04-25-p4.pdf")["pages"]
    text = text_of(page)
    assert ("|道路交通法施行令の一部を改正する政令\n内閣は、道路交通法の一部を改正する"
            "法律（平成十九年法律第九十号）の一部の施行に伴い、") in text
    assert "第一条の二第四項第三号中「一・五メートル」を「一メートル」に改め、" in text


def test_one_font_of_mojibake_among_right_text_is_garbled(tmp_path):
    alphabet = sorted(set("".join(ZH)))
    cid = {ch: i + 1 for i, ch in enumerate(alphabet)}
    wrong = text_lines(ZH[:2], 72, 400, font="F2", show=lambda s: codes([cid[ch] for ch in s]))
    content = text_lines(BODY * 6, 72, 760) + wrong
    fonts = {"F1": HELVETICA, "F2": cjk_font("Identity-H", to_unicode=3)}
    cmap = to_unicode_cmap({n: chr(0x100 + n) for n in cid.values()})
    (page,) = extract(tmp_path, [Page(content, fonts=fonts)], (cmap,))
    assert page["status"] == "garbled" and page["articles"] == []
    assert page["reason"].startswith("font STSong-Light: 63 of 63 glyphs are Latin Extended")


def test_text_drawn_upside_down_on_a_page_rotated_half_a_turn_reads_as_shown(tmp_path):
    (upright,) = extract(tmp_path, [Page(story(72, 760))])
    (page,) = extract(tmp_path, [Page(story(595 - 72, 842 - 760, (-1, 0, 0, -1)), rotate=180)])
    assert page["status"] == "ok"
    assert articles_of(page) == articles_of(upright)


def test_a_second_reading_leaves_out_the_text_nobody_sees(tmp_path):
    """pdfium's text page loses a body (the substitute font as it was before #12), pdfminer's
    reading is kept, and the white line pdfium found hidden stays out of it."""
    from reportlab.pdfgen import canvas

    from tests.test_reading_health import BODY as LOST_BODY
    from tests.test_reading_health import TITLE, glyph_page, lossy_extract

    plain, path = tmp_path / "plain.pdf", tmp_path / "glyphs.pdf"
    glyph_page(plain)  # the same page, and the white line under it
    c = canvas.Canvas(str(path), pagesize=(360, 400))
    c.setFont("STSong-Light", 20)
    c.drawString(40, 350, TITLE)
    per_line = 22
    for k in range(0, len(LOST_BODY), per_line):
        for j, ch in enumerate(LOST_BODY[k:k + per_line]):
            c.setFont("STSong-Light", 12)
            c.drawString(40 + 12 * j + (24 if k == 0 else 0), 310 - 16 * (k // per_line), ch)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("Helvetica", 10)
    c.drawString(40, 60, "casino bonus cheap pills casino bonus cheap pills")
    c.save()
    (page,) = lossy_extract(path, tmp_path, "normal")["pages"]
    assert page["status"] == "ok" and page["reader"] == "pdfplumber"
    assert "".join(a["body"] for a in page["articles"]) == LOST_BODY
    assert "casino" not in text_of(page)


def test_a_turned_page_that_lost_text_is_incomplete_not_read_unturned(tmp_path):
    """pdfminer reads no page turned: a turned page whose first reading lost text is
    'incomplete', not filed with a reading in the wrong frame."""
    from reportlab.pdfgen import canvas

    from tests.test_reading_health import BODY as LOST_BODY
    from tests.test_reading_health import lossy_extract

    path = tmp_path / "turned.pdf"
    c = canvas.Canvas(str(path), pagesize=(360, 400))
    c.setPageRotation(90)
    for k in range(0, len(LOST_BODY), 22):
        for j, ch in enumerate(LOST_BODY[k:k + 22]):
            c.setFont("STSong-Light", 12)
            c.drawString(40 + 12 * j, 310 - 16 * (k // 22), ch)
    c.save()
    (page,) = lossy_extract(path, tmp_path, "normal")["pages"]
    assert page["status"] == "incomplete" and page["articles"] == []
    assert page["reason"].endswith("the page is read turned, which a second reading cannot: "
                                   "text may be missing")
