"""Layout rules of the extraction engine, each on a small page drawn here as newspapers set
them: glyph by glyph (one text object per glyph), columns on a grid, lines set too long,
letter-spacing, centred titles, section heads, subheads, bylines as printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipelines.extract import extract_pdf
from pipelines.extract.bylines import is_byline, is_photo_credit, split_trailing_byline
from pipelines.extract.fields import is_jump_line
from pipelines.extract.text.dehyphenate import should_join
from pipelines.extract.text.join import join_line

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
ZH = "STSong-Light"
PAGE = (600, 800)
BODY = 10.0


def glyphs(c: canvas.Canvas, text: str, x: float, y: float, pitch: float = BODY,
           size: float = BODY, font: str = ZH) -> float:
    """One text object per glyph, ``pitch`` apart (glyph-by-glyph justification); returns
    where the line ends."""
    for ch in text:
        if ch != " ":
            c.setFont(font, size)
            c.drawString(x, y, ch)
        x += pitch
    return x


def column(c: canvas.Canvas, lines: list[str], x: float, y: float, step: float = 14,
           pitch: float = BODY) -> None:
    for k, line in enumerate(lines):
        glyphs(c, line, x, y - k * step, pitch)


def page(tmp_path: Path, draw) -> dict:
    path = tmp_path / "page.pdf"
    c = canvas.Canvas(str(path), pagesize=PAGE)
    draw(c)
    c.save()
    result = extract_pdf(path)["pages"][0]
    assert result["status"] == "ok", result["reason"]
    return result


NUMBERS = "一二三四五六七八九十"


def texts(n: int, first: str) -> list[str]:
    """``n`` lines of 12 glyphs, each line's text telling where it stands."""
    return [f"{first}{NUMBERS[k]}行的文字写满一栏内" for k in range(n)]


def only_article(result: dict) -> dict:
    [article] = result["articles"]
    return article


# ------------------------------------------------------------------------------ columns


def test_short_columns_under_a_centred_title_are_read_column_by_column(tmp_path):
    """Five columns three lines deep under a centred title and a subtitle set at the left:
    no band between two lines is an article boundary."""
    cols = [texts(3, "甲乙丙丁戊"[k]) for k in range(5)]

    def draw(c):
        glyphs(c, "学思践悟担使命", 220, 700, 22, 22)
        glyphs(c, "——副题写在左边", 40, 672, 13, 13)
        for k, lines in enumerate(cols):
            column(c, lines, 40 + k * 106, 650, pitch=8)

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "学思践悟担使命"
    assert art["body"].replace("\n", "") == "".join("".join(lines) for lines in cols)


@pytest.mark.parametrize("side", ["left", "right"])
def test_text_wrapped_round_a_photo_at_the_side_reads_down_its_column(tmp_path, side):
    """Five lines of the first column run half its width beside a photo set into it (on
    the left or the right), then full width again: the column is read top to bottom, the
    short lines in their place, before the second column."""
    full = [f"左{NUMBERS[k % 10]}{'甲乙'[k // 10]}行的文字写满一栏内" for k in range(14)]
    beside = [f"旁{NUMBERS[k]}图边的字" for k in range(5)]
    first = full[:3] + beside + full[8:]
    second = [f"右{NUMBERS[k % 10]}{'甲乙'[k // 10]}行的文字写满一栏内" for k in range(14)]

    def draw(c):
        glyphs(c, "标题写在两栏之上啊", 80, 740, 20, 20)
        text_x, photo_x = (40 + 64, 40) if side == "left" else (40, 40 + 64)
        for k, line in enumerate(first):
            glyphs(c, line, text_x if 3 <= k < 8 else 40, 710 - 14 * k)
        c.drawImage(ImageReader(Image.new("RGB", (30, 20), (40, 90, 160))),
                    photo_x, 710 - 14 * 7 - 4, 56, 14 * 5 - 2)
        for k, line in enumerate(second):
            glyphs(c, line, 40 + 142, 710 - 14 * k)

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "标题写在两栏之上啊"
    assert art["body"].replace("\n", "") == "".join(first + second)


def test_a_framed_advert_under_an_article_joins_neither_neighbour(tmp_path):
    """An advert in a frame (display lines, a hotline, an address) under one article,
    beside another across a column rule: both articles come out whole, the advert apart."""
    first = [f"甲{NUMBERS[k]}行的文字写满一栏内" for k in range(8)]
    second = [f"乙{NUMBERS[k % 10]}{'上下'[k // 10]}行的文字写满一栏内" for k in range(20)]

    def draw(c):
        glyphs(c, "魏都区召开工作推进会", 40, 750, 13, 13)
        column(c, first, 40, 725)
        c.rect(36, 440, 130, 160)
        glyphs(c, "盛大开业", 50, 560, 24, 24)
        glyphs(c, "全场八折优惠", 55, 520, 16, 16)
        glyphs(c, "订购热线许昌市魏都区", 45, 490, 9, 9)
        c.line(176, 440, 176, 770)
        glyphs(c, "城市书房成了市民第二书房", 190, 750, 16, 16)
        column(c, second, 190, 725)

    got = {a["title"]: a for a in page(tmp_path, draw)["articles"]}
    assert got["魏都区召开工作推进会"]["body"] == "".join(first)
    assert got["城市书房成了市民第二书房"]["body"] == "".join(second)
    assert "订购热线" not in got["魏都区召开工作推进会"]["body"] + got[
        "城市书房成了市民第二书房"]["body"]


@pytest.mark.parametrize("overruns, gutter", [
    ({3: "长长"}, 22),  # two glyphs set past the column's edge, almost touching the next
    # closing punctuation hung past the edge (行末标点悬挂), over where the next column starts
    ({1: "”，", 3: "。”"}, 12),
], ids=["set-too-long", "hung-punctuation"])
def test_a_line_past_its_column_edge_does_not_join_the_next_column(tmp_path, overruns,
                                                                   gutter):
    """Lines run past their column's edge into the gutter: the two columns are still read
    one after the other, never line by line."""
    left, right = texts(8, "左"), texts(8, "右")
    for k, extra in overruns.items():
        left[k] += extra

    def draw(c):
        glyphs(c, "标题写在两栏之上", 80, 720, 20, 20)
        column(c, left, 40, 690, step=17)
        column(c, right, 40 + 12 * 10 + gutter, 690, step=17)

    art = only_article(page(tmp_path, draw))
    assert art["body"].replace("\n", "") == "".join(left) + "".join(right)


def test_a_brief_in_two_columns_whose_lines_all_hang_punctuation(tmp_path):
    """A brief set across two columns, two lines in each, in a gutter just wide enough for
    a hung mark (one em and 2 pt): every line of the first column ends in punctuation hung
    past its edge, so no line ends on the edge; the columns are read one after the other."""
    left = ["简讯第一行的文字写满一栏、", "简讯第二行的文字写满一栏，"]
    right = ["右栏第一行的文字写满一栏", "右栏末行。"]
    gutter = BODY + 2

    def draw(c):
        glyphs(c, "简讯标题跨两栏排", 40, 720, 16, 16)
        column(c, left, 40, 690)
        column(c, right, 40 + 12 * BODY + gutter, 690)

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "简讯标题跨两栏排"
    assert art["body"].replace("\n", "") == "".join(left) + "".join(right)


def test_a_line_under_a_photo_that_hangs_punctuation_ends_its_column(tmp_path):
    """A photo across two columns; the first column's last line, set under the photo, hangs
    a comma past the edge to within 2 pt of the second column: the story reads down the
    first column, under the photo, then the second column from its top."""
    above, right = texts(4, "左"), texts(4, "右")
    under = "左栏图下一行的文字写满了，"
    gutter = BODY + 2

    def draw(c):
        glyphs(c, "图文报道的标题", 60, 730, 16, 16)
        column(c, above, 40, 700)
        column(c, right, 40 + 12 * BODY + gutter, 700)
        c.drawImage(ImageReader(Image.new("RGB", (30, 20), (40, 90, 160))),
                    40, 700 - 14 * 4 - 70, 12 * BODY * 2 + gutter, 70)
        glyphs(c, under, 40, 700 - 14 * 4 - 90)

    art = only_article(page(tmp_path, draw))
    assert art["body"].replace("\n", "") == "".join(above) + under + "".join(right)


def test_a_letter_spaced_column_is_not_interleaved_with_its_neighbour(tmp_path):
    """A boxed sidebar set letter-spaced (glyphs 0.7 em apart) beside a plain column."""
    spaced = [f"栏{k}字距加宽" for k in range(8)]  # a half-width digit: set on the pitch
    plain = texts(8, "旁")

    def draw(c):
        glyphs(c, "边栏标题", 60, 720, 20, 20)
        column(c, spaced, 40, 690, pitch=17)
        column(c, plain, 40 + 7 * 17 + 20, 690, pitch=10)

    body = only_article(page(tmp_path, draw))["body"].replace("\n", "")
    assert body == "".join(spaced) + "".join(plain)


def test_a_headline_right_under_the_header_rule_is_an_article(tmp_path):
    """The running header closes at the rule nearest the page's top; a headline set right
    under it, with a rule of its own under its article, is no running head."""
    def draw(c):
        c.setFont(ZH, 8)
        c.drawString(40, 770, "2023年6月13日 星期五")
        c.line(30, 762, 570, 762)
        glyphs(c, "李朝锋主持召开推进会", 100, 735, 24, 24)
        column(c, texts(3, "头"), 40, 705)
        c.line(30, 665, 570, 665)
        glyphs(c, "第二篇文章的标题", 100, 640, 24, 24)
        column(c, texts(3, "二"), 40, 610)

    result = page(tmp_path, draw)
    assert result["header"] == "2023年6月13日 星期五"
    assert [a["title"] for a in result["articles"]] == ["李朝锋主持召开推进会", "第二篇文章的标题"]


# ------------------------------------------------------------------------------ fields


def test_a_section_head_stays_apart_from_the_brief_under_it(tmp_path):
    """【一周要闻】 set in the title's size over a brief: the section, not part of the title."""
    def draw(c):
        glyphs(c, "【一周要闻】", 40, 720, 14, 14)
        glyphs(c, "魏都区召开工作推进会", 40, 700, 14, 14)
        column(c, texts(4, "简"), 40, 675)

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "魏都区召开工作推进会"
    assert art["section"] == "【一周要闻】" and art["kicker"] is None


def test_a_bold_subhead_inside_an_article_stays_in_it(tmp_path):
    """A bold line of body size between two paragraphs of one column is a subhead."""
    def draw(c):
        c.setFont("Times-Bold", 18)
        c.drawString(40, 740, "Council Votes on New Budget")
        c.setFont("Times-Roman", 10)
        for k in range(4):
            c.drawString(40, 715 - 12 * k, f"The council met and talked over line {k} here.")
        c.setFont("Times-Bold", 10)
        c.drawString(40, 715 - 12 * 4 - 6, "Schools Come First")
        c.setFont("Times-Roman", 10)
        for k in range(4):
            c.drawString(40, 715 - 12 * 5 - 12 - 12 * k, f"Then the schools got line {k} here.")

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "Council Votes on New Budget"
    assert "\nSchools Come First\n" in art["body"]
    assert art["body"].endswith("Then the schools got line 3 here.")


def test_an_english_byline_under_the_headline_is_the_byline(tmp_path):
    """"By NAME, Staff Writer" set a little larger than the body, under a centred title."""
    def draw(c):
        c.setFont("Times-Bold", 18)
        c.drawCentredString(300, 740, "Council Votes on New Budget")
        c.setFont("Times-Roman", 10)
        c.drawString(40, 720, "By MARGARET OWENS, Staff Writer")
        c.setFont("Times-Roman", 9)
        for k in range(6):
            c.drawString(40, 700 - 12 * k, f"The council met on line {k} of the first column")
            c.drawString(320, 700 - 12 * k, f"and went on on line {k} of the second column.")

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "Council Votes on New Budget"
    assert art["byline"] == "By MARGARET OWENS, Staff Writer"
    assert not art["body"].startswith("By")


def test_a_kicker_and_a_deck_a_size_up_in_the_body_face_are_no_body_text(tmp_path):
    """An article ends above a rule; the next one's kicker and deck are set in the body's
    face only a little larger than its text (under the heading size): the kicker is not
    read as the last paragraph of the article above, nor the deck as the first of its own."""
    def draw(c):
        glyphs(c, "魏都区召开工作推进会", 40, 760, 18, 18)
        column(c, texts(4, "甲"), 40, 735)
        c.setLineWidth(0.8)
        c.line(36, 670, 300, 670)
        glyphs(c, "稳就业惠民生", 110, 650, 11, 11)
        glyphs(c, "家门口的招聘会送来好岗位", 40, 628, 18, 18)
        glyphs(c, "全程约九十分钟票价十八元", 60, 608, 11.5, 11.5)
        column(c, texts(4, "乙"), 40, 585)

    first, second = page(tmp_path, draw)["articles"]
    assert first["title"] == "魏都区召开工作推进会"
    assert first["body"] == "".join(texts(4, "甲"))
    assert second["kicker"] == "稳就业惠民生"
    assert second["title"] == "家门口的招聘会送来好岗位"
    assert second["subtitle"] == "全程约九十分钟票价十八元"
    assert second["body"] == "".join(texts(4, "乙"))


def test_a_kicker_and_a_deck_a_size_up_stand_with_their_title_over_its_columns(tmp_path):
    """A kicker whose word space falls on the gutter of the two columns under it, and a
    deck centred over the second column, both a size up from the text: read with the
    title, not as text of the columns they stand over."""
    def draw(c):
        glyphs(c, "稳就业", 108, 760, 11, 11)
        glyphs(c, "惠民生", 152, 760, 11, 11)  # an em's space: over the gutter at 145-152
        glyphs(c, "家门口的招聘会送来好岗位", 45, 738, 18, 18)
        glyphs(c, "全程约九十分钟", 116, 716, 11.5, 11.5)
        column(c, texts(6, "左"), 25, 695)
        column(c, texts(6, "右"), 152, 695)

    art = only_article(page(tmp_path, draw))
    assert art["kicker"] == "稳就业 惠民生"
    assert art["title"] == "家门口的招聘会送来好岗位"
    assert art["subtitle"] == "全程约九十分钟"
    assert art["body"] == "".join(texts(6, "左") + texts(6, "右"))


def justified(c: canvas.Canvas, text: str, x: float, y: float, width: float,
              size: float = 9.5) -> None:
    """A Latin line set justified to ``width``: its words drawn one by one, spread."""
    words = text.split()
    natural = sum(pdfmetrics.stringWidth(w, "Times-Roman", size) for w in words)
    space = (width - natural) / (len(words) - 1)
    c.setFont("Times-Roman", size)
    for word in words:
        c.drawString(x, y, word)
        x += pdfmetrics.stringWidth(word, "Times-Roman", size) + space


def test_a_byline_across_two_columns_heads_both(tmp_path):
    """"By NAME, Staff Writer" set across the two columns under the headline, closer to
    them than a band, over justified lines whose word spaces may line up with the gutter:
    the columns are read one after the other, not line by line."""
    left = ["These markers, labeled", "with the words that are", "set in the first column",
            "of this page to be read", "before the other column."]
    right = ["general description of the", "changes that would be made",
             "to these checklists and the", "purpose of each change in", "the second column here."]

    def draw(c):
        c.setFont("Times-Bold", 18)
        c.drawString(42, 742, "Public Docket Opened")
        c.setFont("Times-Roman", 10)
        c.drawString(42, 722, "By MARGARET OWENS, Staff Writer")
        for k, (a, b) in enumerate(zip(left, right, strict=True)):
            justified(c, a, 53.4 if k == 0 else 42, 707.5 - 12.8 * k, 106 if k == 0 else 117.4)
            justified(c, b, 170.4, 707.5 - 12.8 * k, 117.4)

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "Public Docket Opened"
    assert art["byline"] == "By MARGARET OWENS, Staff Writer"
    assert art["body"].replace("\n", " ") == " ".join(left + right)


def test_a_deck_in_italic_over_the_byline_is_the_subtitle(tmp_path):
    """Title, a deck in italic at body size, then "By a Staff Correspondent": the deck is
    the subtitle (not the byline), the byline the byline (not the body's first line)."""
    def draw(c):
        c.setFont("Times-Bold", 18)
        c.drawString(40, 740, "New Waterworks Approved")
        c.setFont("Times-Italic", 10)
        c.drawString(40, 722, "Aldermen Vote Seven to Three for")
        c.drawString(40, 710, "the Engineer's Plan")
        c.setFont("Times-Roman", 10)
        c.drawString(40, 694, "By a Staff Correspondent")
        for k in range(6):
            c.drawString(40, 678 - 12 * k, f"The council met on line {k} of the first column")

    art = only_article(page(tmp_path, draw))
    assert art["title"] == "New Waterworks Approved"
    assert art["subtitle"] == "Aldermen Vote Seven to Three for the Engineer's Plan"
    assert art["byline"] == "By a Staff Correspondent"
    assert art["body"].startswith("The council met on line 0")


@pytest.mark.parametrize("text, byline", [
    ("By ROBERT HALE", True), ("By Robert Hale and Ann Lee", True),
    ("By MARGARET OWENS, Staff Writer", True), ("Special to the Record", True),
    ("By MARGARET OWENS,", True),  # broken before its role, which a river set apart
    ("By a Staff Correspondent", True), ("From Our Own Reporter", True), ("Staff Report", True),
    ("By Our Education Correspondent", True), ("By the way, the council", False),
    ("From our readers", False), ("Staff reported the leak", False),
    ("The Associated Press", True), ("Times Staff Writer", True),
    ("By contrast, the FAA", False), ("By Monday the agency will", False),
    ("□本报记者 许廷合 通讯员 蒋之恒", True), ("本报记者 许廷合", True), ("文/张三", True),
    ("新华社记者", True), ("新华社记者 卢汉欣摄", False), ("魏都区召开工作推进会", False),
])
def test_bylines_as_printed(text, byline):
    assert is_byline(text) is byline


def test_photo_credits_trailing_bylines_and_jump_lines():
    assert is_photo_credit("新华社记者 卢汉欣摄") and is_photo_credit("苗秋闹摄（新华社发）")
    assert not is_photo_credit("魏都区摄影协会")
    split = split_trailing_byline("取得扎实成效。（记者 张三）")
    assert split == ("取得扎实成效。", "（记者 张三）")
    assert split_trailing_byline("取得扎实成效。（魏宣）") == ("取得扎实成效。（魏宣）", None)
    assert split_trailing_byline("成效。（本报记者王五参与采写）")[1] == "（本报记者王五参与采写）"
    for line in ("（下转第2版）", "上接第一版", "Continued on Page 5", "From Page A1"):
        assert is_jump_line(line), line
    assert not is_jump_line("Page views rise")


# ------------------------------------------------------------------------------ text


class G:
    def __init__(self, text: str, x0: float, width: float = 10.0, size: float = 10.0) -> None:
        self.text, self.x0, self.x1, self.size, self.sp = text, x0, x0 + width, size, 0


def test_justification_after_full_width_punctuation_is_no_space():
    line = [G(ch, i * 10) for i, ch in enumerate("清清爽爽干事，")]
    line += [G(ch, 77 + i * 10) for i, ch in enumerate("干干净净做人")]  # 0.7 em after ，
    assert join_line(line) == "清清爽爽干事，干干净净做人"
    halves = [G(ch, i * 25, 25, 25) for i, ch in enumerate("“只进一扇门”")]
    halves += [G(ch, 175 + 25 + i * 25, 25, 25) for i, ch in enumerate("审批压缩")]  # an em
    assert join_line(halves) == "“只进一扇门” 审批压缩"


@pytest.mark.parametrize("left, right, joined", [
    ("INFORMA", "TION", True), ("DIS", "AGREE", True), ("check", "lists", True),
    ("rule", "making", True), ("well", "known", False), ("nose", "down", False),
    ("AOA", "Sensor", False),
])
def test_line_end_hyphens(left, right, joined):
    assert should_join(left, right) is joined


def test_hung_punctuation_and_kinsoku_short_lines_break_no_paragraph(tmp_path):
    """Lines ending in punctuation hung past the column's edge, and a line left a glyph
    short by line-breaking rules, do not end paragraphs; an indent does."""
    lines = ["  第一段开头缩进两字写满", "中间一行写满了一整栏，", "这一行因规则短了一",
             "第一段的最后一行结束。", "  第二段开头缩进两字写满", "第二段到这里就结束了。"]

    def draw(c):
        glyphs(c, "段落的标题", 40, 740, 22, 22)
        column(c, lines, 40, 710)

    art = only_article(page(tmp_path, draw))
    assert art["body"] == ("第一段开头缩进两字写满中间一行写满了一整栏，这一行因规则短了一"
                           "第一段的最后一行结束。\n第二段开头缩进两字写满第二段到这里就结束了。")


def test_a_letter_spaced_byline_of_two_lines_is_the_byline(tmp_path):
    """A byline letter-spaced across its column, broken before 通讯员: each line's tracking
    is found again after its word space, and a two-glyph name (孟 佳) takes no space."""
    def draw(c):
        glyphs(c, "魏都区召开工作推进会", 40, 720, 16, 16)
        glyphs(c, "□本报记者 孟佳", 40, 696, 17)  # 0.7 em between glyphs, 2.4 em words
        glyphs(c, "通讯员 吕晨", 40, 682, 17)
        column(c, texts(5, "正"), 40, 662)

    art = only_article(page(tmp_path, draw))
    assert art["byline"] == "□本报记者 孟佳 通讯员 吕晨"
    assert art["body"].startswith("正一行")


def test_a_two_glyph_piece_is_measured_against_its_lines_spacing():
    """A wide word space splits a line in pieces; a piece of two glyphs has one gap, which
    is not a space when the rest of its line is letter-spaced as widely."""
    spaced = [G(ch, i * 17) for i, ch in enumerate("通讯员")]
    spaced += [G(ch, 85 + i * 17) for i, ch in enumerate("吕晨")]  # 2.4 em word space
    assert join_line(spaced) == "通讯员 吕晨"
    padded = [G(ch, i * 10) for i, ch in enumerate("韩晓明")]
    padded += [G(ch, 55 + i * 20) for i, ch in enumerate("姜波")]  # a 2-glyph name padded
    assert join_line(padded) == "韩晓明 姜 波"
