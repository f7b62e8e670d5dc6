"""Extraction engine: text rules, small drawn pages, bad input (no typesetter needed)."""

from __future__ import annotations

import shutil
import sysconfig
import time
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from crawler.demo.editions import broadsheet_specs
from crawler.demo.typesetter import typeset_page
from pipelines.extract import EXTRACTOR_VERSION, ExtractError, extract_pdf, galleys, pdfium_source
from pipelines.extract.pdfium_source import PdfiumSource
from pipelines.extract.text.dehyphenate import join_hyphenated, mend_squeezed
from pipelines.extract.text.join import join_line, join_lines
from tests.corpora import PRACTICE_CORPUS

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
ZH = "STSong-Light"
SOURCES = ["pypdfium2", "pdfplumber"]


class G:
    """A glyph for the joiner: text, left/right edge, size, space-before flag."""

    def __init__(self, text: str, x0: float, width: float = 10.0, size: float = 10.0,
                 sp: int = 0) -> None:
        self.text, self.x0, self.x1, self.size, self.sp = text, x0, x0 + width, size, sp


def glyphs(text: str, step: float, width: float = 10.0) -> list[G]:
    return [G(ch, i * step, width) for i, ch in enumerate(text)]


def draw_glyphs(c: canvas.Canvas, text: str, x: float, y: float, step: float,
                size: float = 10.0, font: str = ZH) -> None:
    """A line on a fixed glyph pitch (justification spacing), a space leaving a gap.

    Each piece between spaces is one text run: pdfium drops a lone glyph of a
    non-embedded font, so pieces keep at least two glyphs.
    """
    start = 0
    for piece in text.split(" "):
        if piece:
            t = c.beginText(x + start * step, y)
            t.setFont(font, size)
            t.setCharSpace(step - pdfmetrics.stringWidth(piece[0], font, size))
            t.textOut(piece)
            c.drawText(t)
        start += len(piece) + 1


# ----------------------------------------------------------------------------- joining


def test_version_is_a_string():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION.count(".") == 2


def test_justified_han_gets_no_spaces():
    assert join_line(glyphs("认真履行责任", step=13.0)) == "认真履行责任"


def test_typographic_gap_between_digits_and_han_is_dropped():
    line = [G("1", 0, 5), G("1", 5, 5), G("月", 13, 10), G("2", 26, 5), G("0", 31, 5),
            G("日", 39, 10), G("上", 49, 10), G("午", 59, 10)]
    assert join_line(line) == "11月20日上午"


def test_real_wide_space_between_han_is_kept():
    name = [G(ch, 55 + i * 10, 10) for i, ch in enumerate("许廷合")]
    line = glyphs("本报记者", step=10.0) + name
    assert join_line(line) == "本报记者 许廷合"


def test_latin_words_keep_their_spaces():
    line = [G(ch, i * 5.0, 5.0, sp=2 if ch == "w" else 0) for i, ch in enumerate("hello")]
    line += [G(ch, 30 + i * 5.0, 5.0) for i, ch in enumerate("world")]
    assert join_line(line) == "hello world"


def test_latin_word_gaps_without_space_glyphs_become_spaces():
    """A Latin line (its own fast path) takes a space at a gap well over its letter gaps;
    the same gap next to a Han glyph (the mixed rule) is typographic."""
    def word(text: str, x: float) -> list[G]:
        return [G(ch, x + i * 5.5, 5.0) for i, ch in enumerate(text)]

    assert join_line(word("news", 0) + word("paper", 25) + word("day", 55)) == "news paper day"
    assert join_line(word("news", 0) + word("paper", 22.5)) == "newspaper"
    assert join_line(word("CNN", 0) + [G("报", 19.5, 10.0), G("道", 29.5, 10.0)]) == "CNN报道"


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("the inter-", "national market", "the international market"),
    ("a well-", "known engineer", "a well-known engineer"),
    ("Boeing 737–", "9 (737 MAX)", "Boeing 737–9 (737 MAX)"),
    ("AD 2018–", "23–51", "AD 2018–23–51"),
    ("see https://", "www.regulations.gov", "see https://www.regulations.gov"),
    ("organiza-", "tions were", "organizations were"),
    ("on the en-", "tablature of", "on the entablature of"),  # a rare word, no compound
    ("who re-", "nins in", "who renins in"),  # OCR noise is no compound either
    ("a fellow-", "workmen of", "a fellow-workmen of"),
    ("E-mail: help@pilatus-", "aircraft.ch", "E-mail: help@pilatus-aircraft.ch"),
    ("the North-", "West", "the North-West"),
    ("创新", "驱动", "创新驱动"),
    ("plain", "words", "plain words"),
])
def test_join_lines(first, second, joined):
    assert join_lines(first, second) == joined


def test_dehyphenation_leaves_plain_lines_alone():
    assert join_hyphenated("no hyphen here", "next") is None


@pytest.mark.parametrize(("line", "mended"), [
    ("During the afternoon how-eve- r,", ("During the afternoon how-ever,", 8, 2)),
    ("as a Joke. Al--i", ("as a Joke. Al-i", 4, 1)),
    ("by universities and scien-- ;", ("by universities and scien-;", 7, 1)),
    ("the tug-of-w-", None),  # a line-end hyphen: no tail
    ("a well-to- do", ("a well-todo", 8, 2)),  # text alone matches: sizes decide
    ("a plain- line", None),  # no hyphen of its own before the put-in one
])
def test_squeezed_word_pattern(line, mended):
    assert mend_squeezed(line) == mended


def test_only_a_squeezed_word_is_mended():
    """The OCR layer squeezes the word into the box of its first half (set at a third of
    the body size); at body size the same text is left alone."""
    from types import SimpleNamespace

    from pipelines.extract.paragraphs import _line_text

    def line(sizes):
        text = "the afternoon how-eve- r,"
        chars = [SimpleNamespace(text=t, size=sizes[1] if i >= 12 else sizes[0])
                 for i, t in enumerate(text.replace(" ", ""))]
        return SimpleNamespace(text=text, chars=chars)

    assert _line_text(line((9.0, 3.0)), 9.0) == "the afternoon how-ever,"
    assert _line_text(line((9.0, 9.0)), 9.0) == "the afternoon how-eve- r,"


# ----------------------------------------------------------------------------- drawn pages


def photo() -> ImageReader:
    from PIL import Image

    return ImageReader(Image.new("RGB", (30, 20), (40, 90, 160)))



def two_column_page(path: Path) -> None:
    """A header, a 2-column article drawn right column first, a photo with its caption."""
    c = canvas.Canvas(str(path), pagesize=(400, 500))
    c.setFont(ZH, 8)
    for x, item in ((20, "2023年6月16日"), (90, "星期五"), (250, "第3版"), (300, "编辑：王晓燕")):
        c.drawString(x, 480, item)
    c.line(20, 470, 380, 470)
    # right column first: the stream is not in reading order
    draw_glyphs(c, "续写第二栏文字内容", 210, 380, 12)
    draw_glyphs(c, "到此结束。", 210, 366, 12)
    left = ["第一栏的文字在这", "里继续并且一直写到", "栏底为止还有下一栏"] * 3
    for k, line in enumerate(left):
        draw_glyphs(c, ("  " if k == 0 else "") + line, 20, 380 - 14 * k, 12)
    draw_glyphs(c, "□本报记者 许廷合", 20, 400, 10)
    draw_glyphs(c, "魏都区创新驱动发展", 60, 430, 24, size=20)
    c.drawImage(photo(), 20, 120, 150, 100)
    c.setFont(ZH, 7)
    c.drawString(20, 108, "企业车间一角。许廷合 摄")  # a real space glyph before 摄
    c.save()


@pytest.mark.parametrize("source", SOURCES)
def test_columns_in_reading_order_with_fields(tmp_path, source):
    path = tmp_path / "page.pdf"
    two_column_page(path)
    page = extract_pdf(path, source=source)["pages"][0]
    assert page["status"] == "ok" and page["reason"] is None
    assert page["header"] == "2023年6月16日 星期五 第3版 编辑：王晓燕"
    [article] = page["articles"]
    assert article["title"] == "魏都区创新驱动发展"
    assert article["byline"] == "□本报记者 许廷合"
    assert article["body"] == "第一栏的文字在这里继续并且一直写到栏底为止还有下一栏" * 3 + (
        "续写第二栏文字内容到此结束。")
    assert article["captions"] == ["企业车间一角。许廷合 摄"]
    x0, top, x1, bottom = article["bbox"]
    assert x0 < x1 and top < bottom and top > 40  # below the header, top-left origin


def test_paragraphs_from_indents_and_short_lines(tmp_path):
    path = tmp_path / "paras.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 300))
    draw_glyphs(c, "  第一段开头缩进两字", 20, 250, 12)
    draw_glyphs(c, "第一段结束。", 20, 236, 12)
    draw_glyphs(c, "  第二段开头缩进后面", 20, 222, 12)
    draw_glyphs(c, "接着写满整整一行字！", 20, 208, 12)
    c.save()
    [article] = extract_pdf(path)["pages"][0]["articles"]
    assert article["body"] == ("第一段开头缩进两字第一段结束。\n"
                               "第二段开头缩进后面接着写满整整一行字！")


def test_sources_agree_on_a_drawn_page(tmp_path):
    path = tmp_path / "page.pdf"
    two_column_page(path)
    a, b = (extract_pdf(path, source=s)["pages"][0]["articles"] for s in SOURCES)
    assert [x["body"] for x in a] == [x["body"] for x in b]


def test_glyphs_of_a_cjk_font_not_embedded_are_boxed_by_their_advances(tmp_path):
    """STSong-Light is named, not embedded: each glyph spans exactly its advance from the
    PDF's widths (pipelines.extract.fonts), not the outline of whatever font the host has
    (pdfium's built-in Latin font made a digit overhang its advance by a third)."""
    path, size, text = tmp_path / "zh.pdf", 12.0, "价格2026年上涨15%，同比"
    c = canvas.Canvas(str(path))
    c.setFont(ZH, size)
    c.drawString(72, 700, text)
    c.save()
    source = PdfiumSource(str(path), max_chars=1000)
    try:
        [content] = source.pages()
    finally:
        source.close()
    assert "".join(ch.text for ch in content.chars) == text
    x = 72.0
    for ch in content.chars:
        advance = pdfmetrics.stringWidth(ch.text, ZH, size)
        assert (ch.x0, ch.x1) == pytest.approx((x, x + advance), abs=0.01), ch.text
        x += advance


# ----------------------------------------------------------------------------- glyph loop


def _built(module: object, source: str) -> None:
    """Fail where a C compiler is but ``source`` was not built; skip where none is."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if module is None:
        if shutil.which(compiler):
            pytest.fail(f"{compiler} is here but pipelines/extract/{source} was not built: "
                        "reinstall (pip install -e .) and read its build log")
        pytest.skip(f"no C compiler ({compiler}): extraction runs the Python twin")


@pytest.fixture
def compiled():
    """The compiled glyph loop (``_glyphs.c``): built at install wherever a C compiler is."""
    _built(pdfium_source._glyphs, "_glyphs.c")
    return pdfium_source._glyphs


def glyphs_both_ways(path: Path, monkeypatch) -> tuple[list, list]:
    """Every page's glyphs (all their fields), unmapped count, text objects (read and not),
    rules and image regions, compiled and in Python."""
    out = []
    for loop in (pdfium_source._glyphs, None):
        monkeypatch.setattr(pdfium_source, "_glyphs", loop)
        source = PdfiumSource(str(path), max_chars=200_000)
        try:
            out.append([(p.unmapped, p.text_objects, p.unread_objects, p.full_images, p.hrules,
                         p.vrules, p.images,
                         [tuple(getattr(c, f) for f in c.__slots__) for c in p.chars])
                        for p in source.pages()])
        finally:
            source.close()
    return out[0], out[1]


def test_compiled_glyph_loop_matches_python_on_drawn_pages(tmp_path, monkeypatch, compiled):
    """Han, Latin words, a hyphenated line break, rotated text, a photo, and rules inside
    nested, transformed forms (XObjects)."""
    path = tmp_path / "page.pdf"
    two_column_page(path)
    c = canvas.Canvas(str(tmp_path / "mixed.pdf"), pagesize=(400, 300))
    c.setFont("Times-Roman", 10)
    c.drawString(20, 250, "The council met on Tuesday to dis-")
    c.drawString(20, 238, "cuss the budget for 2024.")
    c.saveState()
    c.translate(380, 40)
    c.rotate(90)
    c.drawString(0, 0, "a margin note")
    c.restoreState()
    c.setFont(ZH, 9)
    c.drawString(20, 200, "价格2026年上涨15%")
    c.beginForm("rules")
    c.line(0, 0, 120, 0)
    c.rect(0, 10, 60, 40)
    c.drawString(5, 20, "框内文字")
    c.endForm()
    c.beginForm("outer")
    c.saveState()
    c.translate(10, 5)
    c.scale(1.5, 0.5)
    c.doForm("rules")
    c.restoreState()
    c.endForm()
    c.saveState()
    c.translate(200, 100)
    c.doForm("outer")
    c.restoreState()
    c.save()
    for pdf in (path, tmp_path / "mixed.pdf"):
        compiled_glyphs, python_glyphs = glyphs_both_ways(pdf, monkeypatch)
        assert compiled_glyphs == python_glyphs
        assert sum(len(page[-1]) for page in compiled_glyphs) > 40
    rules = compiled_glyphs[0][4]  # the mixed page's rules, through both forms (stroke: 1.5)
    assert any(abs(x0 - 208.5) < 0.01 and abs(x1 - 391.5) < 0.01 for x0, _, x1, _ in rules)


def test_compiled_glyph_loop_matches_python_on_the_real_corpus(real_corpus, monkeypatch,
                                                                compiled):
    """Scans with OCR layers, GBK fonts without a Unicode map, Japanese, a government text,
    and the practice pages."""
    for pdf in sorted(real_corpus.glob("*.pdf")) + sorted(PRACTICE_CORPUS.glob("*.pdf")):
        compiled_glyphs, python_glyphs = glyphs_both_ways(pdf, monkeypatch)
        assert compiled_glyphs == python_glyphs, pdf.name


def test_compiled_glyph_loop_rejects_bad_arguments(compiled):
    with pytest.raises(TypeError):
        compiled.read_glyphs(1, "text", 100.0, [], object, str)
    with pytest.raises(ValueError, match="null function"):
        compiled.read_glyphs(1, "text", 100.0, [], object, str, (0,) * 6)


# ----------------------------------------------------------------------------- channel test


@pytest.fixture
def channels():
    """The compiled channel test of galleys (``_channels.c``)."""
    compiled = galleys._PARTED if galleys._PARTED is not galleys.parted else None
    _built(compiled, "_channels.c")
    return compiled


def verdicts_both_ways(paths: list[Path], monkeypatch, compiled) -> tuple[int, list[str]]:
    """Extract ``paths`` with every gap's channel test run compiled and in Python: (gaps
    tested, the gaps where the two disagree)."""
    tested, differ = 0, []

    def both(*args):
        nonlocal tested
        python = galleys.parted(*args)
        verdict = compiled(*args)
        tested += 1
        if verdict is not python:
            differ.append(f"line {args[4]}, gap {args[5]:.2f}-{args[6]:.2f}: {verdict}")
        return verdict

    monkeypatch.setattr(galleys, "_PARTED", both)
    for path in paths:
        extract_pdf(path)
    return tested, differ


def test_compiled_channel_test_matches_python_on_generated_pages(tmp_path, monkeypatch,
                                                                   channels):
    """Chinese and English broadsheets in the held-out styles: 5-8 columns, sidebars,
    photos, letter-spaced and trailing bylines, other type sizes."""
    paths = []
    for i, spec in enumerate(broadsheet_specs(4, seed=11, split="held_out")):
        paths.append(tmp_path / f"p{i}.pdf")
        typeset_page(spec, str(paths[-1]))
    tested, differ = verdicts_both_ways(paths, monkeypatch, channels)
    assert tested > 500 and differ == []


def test_compiled_channel_test_matches_python_on_the_corpora(real_corpus, monkeypatch,
                                                              channels):
    paths = sorted(real_corpus.glob("*.pdf")) + sorted(PRACTICE_CORPUS.glob("*.pdf"))
    tested, differ = verdicts_both_ways(paths, monkeypatch, channels)
    assert tested > 5000 and differ == []


def test_compiled_channel_test_rejects_bad_arguments(channels):
    with pytest.raises(TypeError, match="17 arguments"):
        channels([], [], [], [], 0)
    with pytest.raises(ValueError, match="disagree"):
        channels([1.0], [], [], [], 0, 1.0, 2.0, 10.0, 0.0, 5.0, 12.0, *galleys.CHANNEL)


def test_unknown_source_is_a_value_error(tmp_path):
    path = tmp_path / "page.pdf"
    two_column_page(path)
    with pytest.raises(ValueError, match="unknown char source"):
        extract_pdf(path, source="tesseract")


# ----------------------------------------------------------------------------- bad input


def test_blank_page_is_no_text(tmp_path):
    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path))
    c.showPage()
    c.save()
    page = extract_pdf(path)["pages"][0]
    assert page["status"] == "no_text" and "blank" in page["reason"]
    assert page["articles"] == []


@pytest.mark.parametrize(("payload", "reason"), [
    (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "HTML"),
    (b"", "empty file"),
    (b"PK\x03\x04 not a pdf at all", "no %PDF- header"),
])
def test_not_a_pdf(tmp_path, payload, reason):
    path = tmp_path / "page.pdf"
    path.write_bytes(payload)
    with pytest.raises(ExtractError, match=reason):
        extract_pdf(path)


@pytest.mark.parametrize("source", SOURCES)
def test_truncated_pdf(tmp_path, source):
    whole = tmp_path / "whole.pdf"
    two_column_page(whole)
    data = whole.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        doc = extract_pdf(path, source=source)
    except ExtractError as exc:
        assert "PDF" in str(exc)
    else:  # pdfium may rebuild what is left: then each page says what happened
        assert all(p["status"] in ("ok", "no_text", "error") for p in doc["pages"])


@pytest.mark.parametrize("source", SOURCES)
def test_corrupt_pdf(tmp_path, source):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(ExtractError, match="PDF"):
        extract_pdf(path, source=source)


@pytest.mark.parametrize("source", SOURCES)
def test_encrypted_pdf(tmp_path, source):
    path = tmp_path / "encrypted.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "classified")
    c.save()
    with pytest.raises(ExtractError, match="encrypted|password"):
        extract_pdf(path, source=source)


def test_zero_page_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    with pytest.raises(ExtractError, match="zero pages"):
        extract_pdf(path)


def test_huge_page_returns_a_status_quickly(tmp_path):
    path = tmp_path / "huge.pdf"
    c = canvas.Canvas(str(path), pagesize=(5000, 5000))
    c.setFont("Helvetica", 4)
    line = "x" * 1000
    for row in range(200):
        c.drawString(10, 4990 - row * 24, line)
    c.save()
    started = time.monotonic()
    page = extract_pdf(path)["pages"][0]
    assert time.monotonic() - started < 10
    assert page["status"] == "error" and "too large" in page["reason"]
