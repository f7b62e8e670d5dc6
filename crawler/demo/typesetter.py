"""Newspaper page typesetter: draws e-paper-like page PDFs and returns their truth.

The demo site and the extraction tests and benchmarks use these pages, so they are hard the
way real e-paper PDFs are: 5-8 columns on a baseline grid, headlines spanning some columns,
every glyph positioned on its own (justified CJK lines have gaps between glyphs), CJK
line-breaking rules, English hyphenation, photos with captions, boxed briefs, separator
rules and, optionally, a content stream that is not in reading order.

Truth conventions (what an extractor should give back for each article):

* ``body`` is the paragraphs joined with "\\n". Line breaks, justification gaps and the
  hyphens added at line ends are not part of it; compound hyphens ("well-known") and
  numeric dashes ("737–9") broken at a line end are kept.
* A byline starting with 本报讯 is set inline at the start of the first paragraph; the truth
  keeps it in ``byline`` and the body starts after it. Other bylines get lines of their
  own above the body (broken before 通讯员/实习生); the truth is the Article's byline string.
* The kicker of the first brief of a group is drawn as the group's section head (周要闻).
* A space in Chinese text is drawn as a wide gap with no glyph, and a line never starts or
  ends at it. English words are drawn without space glyphs unless ``PageSpec.space_glyphs``.
* Articles are listed in reading order (regions left to right, top to bottom inside each).
  A body flows down each column of the article in turn; with ``narrow_titles`` the last
  column may start beside the headline, and photos may sit inside a column's text.
* Captions are the Article's captions; adverts (images with no text) belong to no article.
* ``header`` is the running header's items joined with single spaces.

Drawing: one TJ per line with per-glyph offsets (or Tc for evenly spaced lines when
``tc_spacing``); titles use fill+stroke (fake bold). The Chinese font is reportlab's built-in,
non-embedded STSong-Light: pdfium finds no glyph outlines, so its char boxes have no height
and it drops a text object holding a single CJK glyph, which is why no line holds only one.
"""

from __future__ import annotations

import datetime
import math
import os
import random
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas

ZH_FONT = "STSong-Light"
EN_FONT, EN_BOLD, EN_ITALIC = "Times-Roman", "Times-Bold", "Times-Italic"
pdfmetrics.registerFont(UnicodeCIDFont(ZH_FONT))

#: characters a CJK line may not start with (a character is pulled down instead)
NO_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}～")
#: characters a CJK line may not end with
NO_END = set("（《「『【〔〈“‘([{")
#: closing marks a full line may hang past its end (行末标点悬挂): one mark, in a gutter wide
#: enough to hold its em box and HANG_CLEAR points more (a pair at the end, 。”, is not hung
#: but pulls a character down, as no gutter holds two); kept apart from the engine's on purpose
HANG, HANG_MAX, HANG_CLEAR = set("，。、；：？！”’）》"), 1, 2.0
_ZH_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+\-/_]*|——|……| |\S", re.S)
_BYLINE_BREAK = re.compile(r"\s+(?=通讯员|实习生|特约记者|见习记者)")
_WEEKDAYS_ZH = "一二三四五六日"
_FONTS_MODE = {"bold": 2}

Lang = Literal["zh", "en"]
Kind = Literal["story", "brief", "sidebar"]


@dataclass
class Article:
    """One article as written; the truth of the page is built from these fields."""

    kicker: str | None
    title: str
    subtitle: str | None = None
    byline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    lang: Lang = "zh"
    kind: Kind = "story"


@dataclass
class PageSpec:
    """What to put on one page and how hard to make it."""

    paper_name: str
    date: datetime.date
    page_label: str
    page_name: str
    articles: list[Article]
    columns: int = 6
    width: float = 842.0
    height: float = 1191.0
    editor: str = "王晓燕"
    proofreader: str = "李明"
    seed: int = 0
    shuffle_drawing_order: bool = False
    title_split: bool = False
    lang: Lang = "zh"
    body_size: float = 9.5
    leading: float = 13.0
    column_rules: bool | None = None  # vertical rules between regions; None: seed decides
    space_glyphs: bool = False  # draw English spaces as glyphs instead of gaps
    fill_adverts: bool = True  # fill large leftover space with an image (no text)
    narrow_titles: bool = False  # some headlines leave the last column, which starts beside them
    tc_spacing: bool = False  # evenly spaced lines use the Tc operator instead of TJ offsets
    photo_position: Literal["top", "middle", "mixed"] = "mixed"  # photos atop or inside text
    # where a Chinese byline of its own stands: on lines of its own under the heads, set
    # from the left, right-aligned or letter-spaced across the column; or "trailing", in
    # parentheses at the end of the last paragraph (（本报记者 张三）), as many papers do
    byline_style: Literal["left", "right", "spaced", "trailing"] = "left"
    # some stories run on to another page: a jump line ends their text here (（下转第3版）,
    # "Continued on Page 5"), which is the article's own text
    jump_lines: bool = False
    # closing punctuation hung past the end of full body lines (行末标点悬挂) instead of a
    # character pulled down to start the next line with it
    hang_punctuation: bool = False


# --------------------------------------------------------------------------- metrics


@cache
def _w1000(ch: str, font: str) -> float:
    return pdfmetrics.stringWidth(ch, font, 1000)


def text_width(text: str, font: str, size: float) -> float:
    """Natural width of ``text`` in points."""
    return sum(_w1000(c, font) for c in text) * size / 1000.0


def display_width(text: str, lang: Lang, font: str, size: float) -> float:
    """Width of a one-line display text as set (a Chinese space is an em wide)."""
    if lang == "zh":
        return sum(_zh_tok_width(t, font, size) for t in zh_tokens(text))
    return text_width(text, font, size)


# --------------------------------------------------------------------------- lines

Glyphs = list[tuple[str, float]]  # (character, x offset from the line start)


def zh_tokens(text: str) -> list[str]:
    """Breakable units of Chinese text: a Han char, a Latin/digit run, ——, ……, a space."""
    toks = _ZH_TOKEN.findall(text.replace("\u3000", " "))
    while toks and toks[0] == " ":
        toks.pop(0)
    while toks and toks[-1] == " ":
        toks.pop()
    return toks


def _zh_tok_width(tok: str, font: str, size: float) -> float:
    return size if tok == " " else text_width(tok, font, size)


def _bad_break(toks: list[str], j: int) -> bool:
    """True when a line may not end before ``toks[j]``."""
    nxt, prev = toks[j], toks[j - 1]
    return nxt == " " or prev == " " or nxt[0] in NO_START or prev[-1] in NO_END


def break_zh(text: str, font: str, size: float, width: float, indent: float = 0.0,
             hang: bool = False) -> list[list[str]]:
    """Greedy CJK line breaking with kinsoku: a forbidden line start pulls a char down.
    With ``hang``, closing punctuation that would start a line hangs past the full line's
    end instead (行末标点悬挂, up to ``HANG_MAX`` marks), as many papers set it."""
    toks = zh_tokens(text)
    widths = [_zh_tok_width(t, font, size) for t in toks]
    lines: list[list[str]] = []
    i, n = 0, len(toks)
    while i < n:
        avail = width - (indent if not lines else 0.0)
        j, w = i, 0.0
        while j < n and w + widths[j] <= avail + 0.01:
            w += widths[j]
            j += 1
        j = max(j, i + 1)
        if hang:
            k = j
            while k < n and k - j < HANG_MAX and toks[k] in HANG:
                k += 1
            if k > j and not (k < n and _bad_break(toks, k)):
                j = k
        while i + 1 < j < n and _bad_break(toks, j):
            j -= 1
        lines.append(toks[i:j])
        i = j
    # pdfium drops a lone glyph of a font without outlines: keep >= 2 tokens on the last line
    while len(lines) > 1 and len(lines[-2]) > 2 and (
            len(lines[-1]) < 2 or _bad_break(lines[-2] + lines[-1], len(lines[-2]))):
        lines[-1].insert(0, lines[-2].pop())
    return lines


def place_zh(toks: list[str], font: str, size: float, width: float, justify: bool,
             tracking: float = 0.0, hang: bool = False) -> tuple[Glyphs, float]:
    """Glyph x offsets of one CJK line; justification spreads the slack between tokens.
    With ``hang``, closing punctuation at the end of an overfull line hangs past ``width``
    and the rest is justified to it."""
    widths = [_zh_tok_width(t, font, size) for t in toks]
    hung = 0
    while (hang and hung < HANG_MAX and len(toks) - hung > 1 and toks[-1 - hung] in HANG
           and sum(widths[:len(toks) - hung]) > width + 0.01):
        hung += 1
    gap = tracking
    n = len(toks) - hung
    if justify and n > 1:
        gap = (width - sum(widths[:n])) / (n - 1)
    out: Glyphs = []
    x = 0.0
    for k, (tok, w) in enumerate(zip(toks, widths, strict=True)):
        if tok != " ":
            cx = x
            for ch in tok:
                out.append((ch, cx))
                cx += _w1000(ch, font) * size / 1000.0
        x += w + (gap if k < n - 1 else 0.0)
    return out, x


@lru_cache(maxsize=1)
def _pyphen():
    try:
        import pyphen
    except ImportError:  # pragma: no cover - hyphenation is optional
        return None
    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=4096)
def _splits(word: str) -> tuple[tuple[str, str, bool], ...]:
    """Ways to break ``word`` at a line end: (drawn prefix, rest, soft hyphen added)."""
    out: list[tuple[str, str, bool]] = []
    if any(d in word[1:-1] for d in "-–"):
        for k, ch in enumerate(word[:-1]):
            if ch in "-–" and 0 < k and word[k + 1].isalnum():
                out.append((word[: k + 1], word[k + 1:], False))
        return tuple(out)
    m = re.match(r"^([“\"‘'(]*)([A-Za-z]+)(.*)$", word)
    dic = _pyphen()
    if not m or dic is None or len(m.group(2)) < 6:
        return ()
    lead, core = m.group(1), m.group(2)
    for pos in dic.positions(core):
        if pos >= 2 and len(core) - pos >= 3:
            cut = len(lead) + pos
            out.append((word[:cut] + "-", word[cut:], True))
    return tuple(out)


@dataclass
class EnLine:
    words: list[str]
    soft_hyphen: bool = False


def break_en(text: str, font: str, size: float, width: float, indent: float = 0.0,
             hyphenate: bool = True) -> list[EnLine]:
    """Greedy English line breaking with hyphenation of the word that does not fit."""
    space = text_width(" ", font, size)
    words = text.split()
    lines: list[EnLine] = []
    cur: list[str] = []
    cur_w = 0.0
    k = 0
    while k < len(words):
        word = words[k]
        avail = width - (indent if not lines else 0.0)
        ww = text_width(word, font, size)
        if cur_w + ww + space * len(cur) <= avail + 0.01:
            cur.append(word)
            cur_w += ww
            k += 1
            continue
        room = avail - cur_w - space * len(cur)
        best = None
        if hyphenate:
            for prefix, rest, soft in _splits(word):
                pw = text_width(prefix, font, size)
                if pw <= room and (best is None or pw > best[3]):
                    best = (prefix, rest, soft, pw)
        if best is not None:
            cur.append(best[0])
            lines.append(EnLine(cur, best[2]))
            words[k] = best[1]
        elif cur:
            lines.append(EnLine(cur))
        else:  # a single word wider than the line
            lines.append(EnLine([word]))
            k += 1
        cur, cur_w = [], 0.0
    if cur:
        lines.append(EnLine(cur))
    return lines


def place_en(words: list[str], font: str, size: float, width: float, justify: bool,
             space_glyphs: bool = False) -> tuple[Glyphs, float]:
    """Glyph x offsets of one English line; justification widens the word spaces."""
    space = text_width(" ", font, size)
    widths = [text_width(w, font, size) for w in words]
    gap = space
    if justify and len(words) > 1:
        gap = (width - sum(widths)) / (len(words) - 1)
    out: Glyphs = []
    x = 0.0
    for i, (word, w) in enumerate(zip(words, widths, strict=True)):
        cx = x
        for ch in word:
            out.append((ch, cx))
            cx += _w1000(ch, font) * size / 1000.0
        if space_glyphs and i < len(words) - 1:
            out.append((" ", cx))
        x += w + gap
    return out, x - gap


# --------------------------------------------------------------------------- drawing


@dataclass
class Run:
    """One line of glyphs, drawn as one TJ with per-glyph positions."""

    font: str
    size: float
    x: float
    y: float  # baseline, PDF coordinates
    glyphs: Glyphs
    bold: bool = False

    def box(self) -> tuple[float, float, float, float]:
        """Approximate ink box (x0, y0, x1, y1) in PDF coordinates."""
        last, lx = self.glyphs[-1]
        x1 = self.x + lx + _w1000(last, self.font) * self.size / 1000.0
        return (self.x + self.glyphs[0][1], self.y - 0.12 * self.size, x1,
                self.y + 0.88 * self.size)


@dataclass
class Block:
    """A unit of the content stream: some shapes and text runs of one role of one article."""

    article: int | None
    role: str
    runs: list[Run] = field(default_factory=list)
    shapes: list[tuple] = field(default_factory=list)


@dataclass
class LineInfo:
    """A drawn line, for tests: text without spaces and box in top-left coordinates."""

    article: int | None
    role: str
    text: str
    bbox: tuple[float, float, float, float]
    size: float
    justified: bool


def _encode(text: str, font: str) -> str:
    if font == ZH_FONT:
        return "<" + text.encode("utf-16-be").hex() + ">"
    return "<" + text.encode("cp1252").hex() + ">"


def _draw_with_tc(t: Any, run: Run) -> bool:
    """Draw an evenly spaced run as one Tj with character spacing (Tc); False if uneven."""
    if len(run.glyphs) < 3:
        return False
    gaps = []
    for (ch, x), (_, nx) in zip(run.glyphs, run.glyphs[1:], strict=False):
        gaps.append(nx - x - _w1000(ch, run.font) * run.size / 1000.0)
    if max(gaps) - min(gaps) > 0.001 or gaps[0] < 0.01:
        return False
    text = "".join(ch for ch, _ in run.glyphs)
    t._code.append(f"{gaps[0]:.3f} Tc {_encode(text, run.font)} Tj 0 Tc")
    return True


def _draw_block(c: rl_canvas.Canvas, block: Block, images: dict[int, ImageReader],
                tc_spacing: bool = False) -> None:
    for shape in block.shapes:
        kind = shape[0]
        if kind == "line":
            _, x0, y0, x1, y1, lw = shape
            c.setLineWidth(lw)
            c.line(x0, y0, x1, y1)
        elif kind == "rect":
            _, x, y, w, h, lw, grey = shape
            c.setLineWidth(lw)
            if grey is not None:
                c.setFillGray(grey)
            c.rect(x, y, w, h, stroke=1 if lw else 0, fill=1 if grey is not None else 0)
            c.setFillGray(0)
        elif kind == "image":
            _, idx, x, y, w, h = shape
            c.drawImage(images[idx], x, y, w, h)
    if not block.runs:
        return
    t = c.beginText()
    font = size = bold = None
    for run in block.runs:
        if (run.font, run.size) != (font, size):
            font, size = run.font, run.size
            t.setFont(font, size)
        if run.bold != bold:
            bold = run.bold
            t.setTextRenderMode(2 if bold else 0)
            if bold:
                c.setLineWidth(size * 0.035)
        t._code.append(f"1 0 0 1 {run.x:.3f} {run.y:.3f} Tm")
        if tc_spacing and _draw_with_tc(t, run):
            continue
        parts = []
        expect = 0.0
        for i, (ch, x) in enumerate(run.glyphs):
            if i and abs(x - expect) > 0.001:
                parts.append(f"{-(x - expect) * 1000.0 / run.size:.2f}")
            parts.append(_encode(ch, run.font))
            expect = x + _w1000(ch, run.font) * run.size / 1000.0
        t._code.append("[" + " ".join(parts) + "] TJ")
    c.drawText(t)


@lru_cache(maxsize=16)
def _photo(variant: int) -> ImageReader:
    """A small deterministic raster 'photo' (gradient and shapes)."""
    from PIL import Image, ImageDraw

    rng = random.Random(variant)
    img = Image.new("RGB", (96, 64))
    d = ImageDraw.Draw(img)
    a, b = rng.randint(40, 120), rng.randint(120, 220)
    for yy in range(64):
        v = a + (b - a) * yy // 63
        d.line([(0, yy), (95, yy)], fill=(v, v + rng.randint(0, 20) % 30, 255 - v))
    for _ in range(5):
        x0, y0 = rng.randint(0, 80), rng.randint(0, 50)
        d.ellipse([x0, y0, x0 + rng.randint(8, 30), y0 + rng.randint(8, 20)],
                  fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return ImageReader(img)


# --------------------------------------------------------------------------- page layout


@dataclass
class _Frame:
    x0: float
    colw: float
    gutter: float
    ncols: int

    def col_x(self, i: int) -> float:
        return self.x0 + i * (self.colw + self.gutter)

    @property
    def width(self) -> float:
        return self.ncols * self.colw + (self.ncols - 1) * self.gutter


@dataclass
class _Region:
    col0: int
    ncols: int
    line0: int
    line1: int
    cursor: int = 0
    items: list[Any] = field(default_factory=list)  # unit ids or child region lists
    children: list[_Region] | None = None
    separators: list[int] = field(default_factory=list)  # gap lines holding a rule

    def __post_init__(self) -> None:
        self.cursor = self.line0

    def leaves(self) -> list[_Region]:
        if self.children is None:
            return [self]
        return [leaf for ch in self.children for leaf in ch.leaves()]


SECTION_HEAD_SIZE = 12.0
JUMP_SHARE = 0.5  # of the stories of a page with jump lines, this share runs on elsewhere
KICKER_SIZE = {"zh": 11.0, "en": 10.0}
SUBTITLE_SIZE = {"zh": 12.0, "en": 10.5}


def _min_title_size(lang: Lang, role: str) -> float:
    """Smallest title size: a title is always the largest heading of its article (larger
    than its kicker, subtitle and section head, as in real papers); a long title in a
    narrow frame wraps rather than shrinking below this."""
    if role in ("brief", "sidebar"):
        return SECTION_HEAD_SIZE + 1.0
    return max(KICKER_SIZE[lang], SUBTITLE_SIZE[lang]) + 2.0


@dataclass
class _PhotoSlot:
    n: int  # caption index
    cols: list[int]
    start: int  # first grid row, relative to the body's first line
    lines: int  # rows taken by photo, caption and gap
    photo_lines: int
    mid: bool  # may slide down into the text


@dataclass
class _Placed:
    ids: list[int]
    lines: int
    blocks: list[Block]
    truths: list[dict]
    infos: list[LineInfo]
    soft_hyphens: int


_PATTERNS = {
    5: [[3, 2], [2, 3]],
    6: [[4, 2], [3, 3], [2, 4], [2, 2, 2]],
    7: [[4, 3], [5, 2], [3, 4], [3, 2, 2]],
    8: [[5, 3], [3, 5], [4, 4], [3, 3, 2]],
}


@dataclass
class Typeset:
    """A typeset page: the truth plus what tests need to check the drawing."""

    truth: dict
    lines: list[LineInfo]
    soft_hyphens: int
    blocks: list[Block]
    spec: PageSpec


class _PageComposer:
    """Lays out one PageSpec into blocks; see the module docstring for the truth rules."""

    MARGIN_X = 36.0
    MARGIN_TOP = 30.0
    MARGIN_BOTTOM = 36.0

    def __init__(self, spec: PageSpec) -> None:
        self.spec = spec
        self.rng = random.Random(f"{spec.seed}:{spec.page_label}:{spec.date}")
        self.L = spec.leading
        self.size = spec.body_size
        self.gutter = 10.0 if spec.columns <= 6 else 8.0
        if spec.hang_punctuation:  # a hung mark sits in the gutter, clear of the next column
            self.gutter = max(self.gutter, spec.body_size + HANG_CLEAR)
        inner = spec.width - 2 * self.MARGIN_X
        self.colw = (inner - (spec.columns - 1) * self.gutter) / spec.columns
        self.soft_hyphens = 0
        self.infos: list[LineInfo] = []
        self.lang = spec.lang

    # ---- coordinates
    def line_top(self, k: float) -> float:
        return self.body_top - k * self.L

    def baseline(self, k: int, size: float | None = None) -> float:
        return self.line_top(k) - self.L / 2 - 0.38 * (size or self.size)

    def frame(self, col0: int, ncols: int) -> _Frame:
        return _Frame(self.MARGIN_X + col0 * (self.colw + self.gutter), self.colw,
                      self.gutter, ncols)

    # ---- runs
    def _run(self, block: Block, font: str, size: float, x: float, y: float, glyphs: Glyphs,
             bold: bool = False, justified: bool = False) -> None:
        if not glyphs:
            return
        run = Run(font, size, x, y, glyphs, bold)
        block.runs.append(run)
        x0, y0, x1, y1 = run.box()
        text = "".join(g for g, _ in glyphs if not g.isspace())
        self.infos.append(LineInfo(block.article, block.role, text,
                                   (x0, self.spec.height - y1, x1, self.spec.height - y0),
                                   size, justified))

    def _set_lines(self, block: Block, text: str, lang: Lang, size: float, x0: float,
                   width: float, y: float, leading: float, *, bold: bool = False,
                   align: str = "center", italic: bool = False, tracking: float = 0.0,
                   ) -> float:
        """Set a display text (kicker, title, caption...) from baseline ``y`` down; returns
        the baseline after the last line."""
        if lang == "zh":
            lines = break_zh(text, ZH_FONT, size, width)
            placed = [place_zh(t, ZH_FONT, size, width, False, tracking) for t in lines]
            font = ZH_FONT
        else:
            font = EN_BOLD if bold else (EN_ITALIC if italic else EN_FONT)
            bold = False
            lines_en = break_en(text, font, size, width, hyphenate=False)
            placed = [place_en(ln.words, font, size, width, False, self.spec.space_glyphs)
                      for ln in lines_en]
        for glyphs, used in placed:
            dx = {"center": (width - used) / 2, "right": width - used}.get(align, 0.0)
            self._run(block, font, size, x0 + max(dx, 0.0), y, glyphs, bold)
            y -= leading
        return y

    # ---- articles
    def compose_article(self, idx: int, art: Article, fr: _Frame, line0: int, line1: int,
                        *, section_head: str | None = None, role_size: str = "story",
                        ) -> _Placed | None:
        """Lay out one article in frame ``fr`` from grid line ``line0``; None if it does
        not fit above ``line1``."""
        mark = len(self.infos)
        soft_before = self.soft_hyphens
        lang = art.lang
        blocks: list[Block] = []
        y = self.line_top(line0)
        full = fr.width

        def block(role: str) -> Block:
            b = Block(idx, role)
            blocks.append(b)
            return b

        narrow = (self.spec.narrow_titles and role_size in ("story", "lead") and fr.ncols >= 3
                  and not art.captions and self.rng.random() < 0.5)
        if narrow:
            full = fr.width - fr.colw - fr.gutter
        if section_head:
            b = block("kicker")
            hs = SECTION_HEAD_SIZE
            b.shapes.append(("rect", fr.x0, y - 1.9 * self.L, full, 1.9 * self.L, 0, 0.82))
            self._set_lines(b, section_head, lang, hs, fr.x0, full, y - 0.95 * self.L - 0.35 * hs,
                            hs * 1.3, bold=True)
            y -= 1.9 * self.L + 0.4 * self.L
        elif art.kicker:
            ks = KICKER_SIZE[lang]
            y = self._set_lines(block("kicker"), art.kicker, lang, ks, fr.x0, full, y - ks,
                                ks * 1.35, italic=True) + ks * 0.35
        tsize = self._title_size(art, fr, role_size)
        tfont = ZH_FONT if lang == "zh" else EN_BOLD
        floor = _min_title_size(lang, role_size)  # below it the title wraps instead
        while tsize > floor and display_width(art.title, lang, tfont, tsize) > full:
            tsize -= 1
        tsize = max(tsize, floor)
        tb = block("title")
        y -= tsize * 0.95
        halves = art.title.split(" ")
        if (self.spec.title_split and lang == "zh" and len(halves) == 2
                and display_width(art.title, lang, tfont, tsize) + 3 * tsize < full
                and self.rng.random() < 0.8 and role_size != "brief"):
            g0, _ = place_zh(zh_tokens(halves[0]), tfont, tsize, full, False)
            g1, w1 = place_zh(zh_tokens(halves[1]), tfont, tsize, full, False)
            self._run(tb, tfont, tsize, fr.x0 + 0.5 * tsize, y, g0, True)
            self._run(tb, tfont, tsize, fr.x0 + full - w1 - 0.5 * tsize, y, g1, True)
            y -= tsize * 1.3
        else:
            tracking = 0.0
            nat = display_width(art.title, lang, tfont, tsize)
            if lang == "zh" and role_size == "story" and nat < 0.5 * full:
                tracking = min(0.3 * tsize, (0.65 * full - nat) / max(len(art.title) - 1, 1))
            y = self._set_lines(tb, art.title, lang, tsize, fr.x0, full, y, tsize * 1.3,
                                bold=True, tracking=tracking,
                                align="left" if role_size == "brief" else "center")
        y += tsize * 0.3
        if art.subtitle:
            ss = SUBTITLE_SIZE[lang]
            y = self._set_lines(block("subtitle"), art.subtitle, lang, ss, fr.x0, full,
                                y - ss * 1.1, ss * 1.35, italic=True) + ss * 0.35
        body_line = line0 + math.ceil((self.line_top(line0) - y + 0.3 * self.L) / self.L)

        lows = [0] * fr.ncols  # first grid line of each column, relative to body_line
        if narrow:  # the last column starts at the top, beside the headline
            lows[-1] = line0 - body_line
        photos = self._plan_photos(art, fr)

        seq: list[tuple[str, Any]] = []  # (role, (glyph-producer args))
        paragraphs = list(art.paragraphs)
        byline = art.byline
        inline = byline and byline.startswith("本报讯")
        trailing = (byline and not inline and lang == "zh" and paragraphs
                    and self.spec.byline_style == "trailing")
        if trailing:  # no □ mark: it leads a byline of its own, never one in parentheses
            byline = f"（{byline.lstrip('□')}）"
            paragraphs[-1] += byline
        elif byline and inline and paragraphs:
            paragraphs[0] = byline + paragraphs[0]
        elif byline:
            for part in (_BYLINE_BREAK.split(art.byline) if lang == "zh" else [art.byline]):
                if lang == "zh":
                    seq += [("byline", t) for t in break_zh(part, ZH_FONT, self.size, fr.colw)]
                else:
                    seq += [("byline", ln.words) for ln in
                            break_en(part, EN_ITALIC, self.size, fr.colw, hyphenate=False)]
        jump = (self.spec.jump_lines and role_size == "story" and not trailing
                and len(paragraphs) > 1 and self.rng.random() < JUMP_SHARE)
        if jump:
            page = self.rng.randint(2, 16)
            paragraphs.append(f"（下转第{page}版）" if lang == "zh"
                              else f"Continued on Page {page}")
        for p in paragraphs:
            seq.extend(self._body_lines(p, lang, fr.colw))
        if not seq:
            seq.append(("body", None))
        h, rows = self._flow(len(seq), lows, photos, fr.ncols)
        if body_line + h > line1:
            self.infos = self.infos[:mark]
            self.soft_hyphens = soft_before
            return None
        for ph in photos:
            self._photo(idx, art.captions[ph.n], lang, fr, ph, body_line + ph.start, blocks)
        it = iter(seq)
        for c in range(fr.ncols):
            b = block("body")
            for k in rows[c]:
                item = next(it, None)
                if item is None:
                    break
                self._draw_body_line(b, item, lang, fr.col_x(c), fr.colw,
                                     self.baseline(body_line + k))
        used_lines = body_line + h - line0
        truth = {
            "kicker": section_head or art.kicker,
            "title": art.title,
            "subtitle": art.subtitle,
            "byline": byline,
            "body": "\n".join(art.paragraphs + paragraphs[len(art.paragraphs):]),
            "captions": list(art.captions),
            "bbox": None,
        }
        return _Placed([idx], used_lines, [b for b in blocks if b.runs or b.shapes], [truth],
                       self.infos[mark:], self.soft_hyphens - soft_before)

    def _title_size(self, art: Article, fr: _Frame, role: str) -> float:
        """The title's preferred size: by role, then by the frame's width."""
        if role in ("brief", "sidebar"):
            return _min_title_size(art.lang, role)
        if role == "lead":
            return 26.0 if art.lang == "zh" else 24.0
        return {1: 14.0, 2: 17.0, 3: 20.0}.get(fr.ncols, 22.0)

    def _plan_photos(self, art: Article, fr: _Frame) -> list[_PhotoSlot]:
        """Where the article's photos go: column sets and heights in grid lines."""
        slots: list[_PhotoSlot] = []
        tops = [0] * fr.ncols
        k = fr.ncols if fr.ncols < 3 else 2
        pos = self.spec.photo_position
        mid = len(art.captions) == 1 and (
            pos == "middle" or (pos == "mixed" and self.rng.random() < 0.5))
        for n, caption in enumerate(art.captions):
            cols = list(range(fr.ncols - k, fr.ncols))
            if mid or (n % 2 == 1 and fr.ncols >= 2 * k):
                cols = list(range(k))
            w = len(cols) * fr.colw + (len(cols) - 1) * fr.gutter
            ph = max(4, min(16, round(w * 0.62 / self.L)))
            cs, lead = (8.0, 8.0 * 1.3) if art.lang == "zh" else (8.0, 8.0 * 1.25)
            if art.lang == "zh":
                m = len(break_zh(caption, ZH_FONT, cs, w))
            else:
                m = len(break_en(caption, EN_ITALIC, cs, w, hyphenate=False))
            used = math.ceil((ph * self.L + 2 + 1.1 * cs + m * lead) / self.L) + 1
            start = max(tops[c] for c in cols)
            slots.append(_PhotoSlot(n, cols, start, used, ph, mid))
            for c in cols:
                tops[c] = start + used
        return slots

    def _flow(self, nlines: int, lows: list[int], photos: list[_PhotoSlot], ncols: int,
              ) -> tuple[int, list[list[int]]]:
        """Balance ``nlines`` text lines over the columns around the photos; returns the
        body height and each column's grid rows (relative to the body's first line)."""

        def rows_for(h: int) -> list[list[int]]:
            out = []
            for c in range(ncols):
                blocked = {r for p in photos if c in p.cols
                           for r in range(p.start, p.start + p.lines)}
                out.append([r for r in range(lows[c], h) if r not in blocked])
            return out

        h = max([1] + [p.start + p.lines for p in photos])
        while sum(len(r) for r in rows_for(h)) < nlines and h < 10_000:
            h += 1
        rows = rows_for(h)
        for p in photos:
            if not p.mid:
                continue
            # slide the photo down inside the text of its columns: captions inside sentences
            left, ends = nlines, []
            for c in range(ncols):
                take = rows[c][:left]
                left -= len(take)
                if c in p.cols:
                    ends.append(take[-1] + 1 if take else 0)
            slack = min(ends) - (p.start + p.lines)
            if slack >= 3:
                p.start += self.rng.randint(2, slack)
                rows = rows_for(h)
        return h, rows

    def _photo(self, idx: int, caption: str, lang: Lang, fr: _Frame, slot: _PhotoSlot,
               line: int, blocks: list[Block]) -> None:
        """Draw a photo over the slot's columns from grid ``line``, its caption below."""
        cols = slot.cols
        x = fr.col_x(cols[0])
        w = len(cols) * fr.colw + (len(cols) - 1) * fr.gutter
        ph = slot.photo_lines
        top = self.line_top(line)
        pb = Block(idx, "photo")
        pb.shapes.append(("image", (self.spec.seed + idx * 7 + slot.n) % 9, x,
                          top - ph * self.L, w, ph * self.L - 2))
        blocks.append(pb)
        cs = 8.0
        cb = Block(idx, "caption")
        blocks.append(cb)
        y = top - ph * self.L - 2 - cs * 1.1
        if lang == "zh":
            lines = break_zh(caption, ZH_FONT, cs, w)
            for i, toks in enumerate(lines):
                g, _ = place_zh(toks, ZH_FONT, cs, w, i < len(lines) - 1)
                self._run(cb, ZH_FONT, cs, x, y, g, justified=i < len(lines) - 1)
                y -= cs * 1.3
        else:
            self._set_lines(cb, caption, lang, cs, x, w, y, cs * 1.25, italic=True,
                            align="left")

    def _body_lines(self, text: str, lang: Lang, width: float) -> list[tuple[str, Any]]:
        size = self.size
        out: list[tuple[str, Any]] = []
        if lang == "zh":
            lines = break_zh(text, ZH_FONT, size, width, indent=2 * size,
                             hang=self.spec.hang_punctuation)
            for i, toks in enumerate(lines):
                out.append(("body", (toks, i == 0, i == len(lines) - 1)))
        else:
            lines_en = break_en(text, EN_FONT, size, width, indent=1.5 * size)
            for i, ln in enumerate(lines_en):
                out.append(("body", (ln, i == 0, i == len(lines_en) - 1)))
        return out

    def _draw_body_line(self, b: Block, item: tuple[str, Any], lang: Lang, x: float,
                        width: float, y: float) -> None:
        role, data = item
        size = self.size
        if data is None:
            return
        if role == "byline":
            if lang == "zh":
                style = self.spec.byline_style
                spaced = style == "spaced" and len(data) > 1
                g, used = place_zh(list("".join(data)) if spaced else data, ZH_FONT, size,
                                   min(width, 1.6 * size * len("".join(data))), spaced)
                shift = max(0.0, width - used) if style == "right" else 0.0
                self._run(b, ZH_FONT, size, x + shift, y, g)
            else:
                g, used = place_en(data, EN_ITALIC, size, width, False, self.spec.space_glyphs)
                self._run(b, EN_ITALIC, size, x + max(0.0, width - used) / 2, y, g)
            return
        line, first, last = data
        indent = 0.0
        if first:
            indent = 2 * size if lang == "zh" else 1.5 * size
        if lang == "zh":
            g, _ = place_zh(line, ZH_FONT, size, width - indent, not last,
                            hang=self.spec.hang_punctuation)
            self._run(b, ZH_FONT, size, x + indent, y, g, justified=not last)
        else:
            if line.soft_hyphen:
                self.soft_hyphens += 1
            g, _ = place_en(line.words, EN_FONT, size, width - indent, not last,
                            self.spec.space_glyphs)
            self._run(b, EN_FONT, size, x + indent, y, g, justified=not last)

    def compose_box(self, idxs: list[int], arts: list[Article], fr: _Frame, line0: int,
                    line1: int) -> _Placed | None:
        """A boxed sidebar or group of briefs (each its own article) inside a border."""
        pad = 5.0
        inner_w = fr.width - 2 * pad
        ncols = fr.ncols
        colw = (inner_w - (ncols - 1) * fr.gutter) / ncols
        inner = _Frame(fr.x0 + pad, colw, fr.gutter, ncols)
        mark, soft = len(self.infos), self.soft_hyphens
        line = line0 + 1
        blocks: list[Block] = []
        truths: list[dict] = []
        ids: list[int] = []
        for n, (idx, art) in enumerate(zip(idxs, arts, strict=True)):
            head = art.kicker if (n == 0 and art.kind == "brief") else None
            role = "brief" if art.kind == "brief" else "sidebar"
            if n and art.kind == "brief":
                line += 1
            placed = self.compose_article(idx, art, inner, line, line1 - 1, section_head=head,
                                          role_size=role)
            if placed is None:
                if not truths:
                    self.infos = self.infos[:mark]
                    self.soft_hyphens = soft
                    return None
                break
            line += placed.lines
            blocks += placed.blocks
            truths += placed.truths
            ids += placed.ids
        end = line + 1
        frame_block = Block(None, "rule")
        frame_block.shapes.append(("rect", fr.x0, self.line_top(end) + 0.4 * self.L, fr.width,
                                   self.line_top(line0) - self.line_top(end) - 0.8 * self.L,
                                   0.8, None))
        blocks.append(frame_block)
        return _Placed(ids, end - line0, blocks, truths, self.infos[mark:],
                       self.soft_hyphens - soft)

    # ---- page
    def header(self) -> tuple[list[Block], str]:
        spec = self.spec
        d = spec.date
        W, H = spec.width, spec.height
        b = Block(None, "header")
        if spec.lang == "zh":
            items = [f"{d.year}年{d.month}月{d.day}日 星期{_WEEKDAYS_ZH[d.weekday()]}",
                     spec.paper_name, f"第{spec.page_label}版：{spec.page_name}",
                     f"编辑：{spec.editor} 校对：{spec.proofreader}"]
        else:
            items = [d.strftime("%A, %B ") + f"{d.day}, {d.year}", spec.paper_name,
                     f"Page {int(spec.page_label)}: {spec.page_name}",
                     f"Editor: {spec.editor}"]
        lang = spec.lang
        y1 = H - self.MARGIN_TOP - 24
        inner = W - 2 * self.MARGIN_X
        x0 = self.MARGIN_X
        self._set_lines(b, items[0], lang, 10.5, x0, inner, y1, 14, align="left")
        self._set_lines(b, items[1], lang, 26.0, x0, inner, y1, 30, align="center", bold=True)
        self._set_lines(b, items[2], lang, 10.5, x0, inner, y1, 14, align="right", bold=True)
        self._set_lines(b, items[3], lang, 9.0, x0, inner, y1 - 17, 14, align="right")
        rule_y = y1 - 26
        b.shapes.append(("line", x0, rule_y, W - x0, rule_y, 1.6))
        b.shapes.append(("line", x0, rule_y - 2.5, W - x0, rule_y - 2.5, 0.4))
        self.body_top = rule_y - 10
        self.nlines = int((self.body_top - self.MARGIN_BOTTOM) // self.L)
        return [b], " ".join(items)

    def compose(self) -> Typeset:
        spec, rng = self.spec, self.rng
        header_blocks, header_text = self.header()
        pattern = rng.choice(_PATTERNS.get(spec.columns, [[spec.columns]]))
        regions: list[_Region] = []
        col = 0
        for w in pattern:
            regions.append(_Region(col, w, 0, self.nlines))
            col += w
        units = self._units()
        placed: dict[int, _Placed] = {}
        lead_done = False
        for uid, unit in enumerate(units):
            boxed = unit[0][1].kind != "story" or len(unit) > 1
            leaves = [lf for r in regions for lf in r.leaves()]
            if boxed:
                leaves.sort(key=lambda r: (r.ncols, -(r.line1 - r.cursor)))
            elif not lead_done:
                leaves.sort(key=lambda r: (-r.ncols, r.col0))
            else:
                leaves.sort(key=lambda r: (-(r.line1 - r.cursor), r.col0))
            result = None
            partial: tuple[int, _Region] | None = None
            for leaf in leaves:
                target = leaf
                if (not boxed and leaf.items and leaf.ncols >= 4 and rng.random() < 0.6
                        and leaf.line1 - leaf.cursor > 25):
                    a = leaf.ncols // 2
                    start = leaf.cursor + 1
                    leaf.children = [_Region(leaf.col0, a, start, leaf.line1),
                                     _Region(leaf.col0 + a, leaf.ncols - a, start, leaf.line1)]
                    leaf.items.append(leaf.children)
                    target = leaf.children[0]
                mark = (len(self.infos), self.soft_hyphens)
                result = self._place(unit, target, lead=not boxed and not lead_done)
                if result is None and target is not leaf:
                    leaf.items.pop()
                    leaf.children = None
                if result is not None and len(result.ids) < len(unit):
                    # not every brief fits here: remember, undo, look for a roomier leaf
                    if partial is None or len(result.ids) > partial[0]:
                        partial = (len(result.ids), leaf)
                    self.infos = self.infos[: mark[0]]
                    self.soft_hyphens = mark[1]
                    result = None
                if result is not None:
                    self._record(target, uid, result)
                    break
            if result is None and partial is not None:
                result = self._place(unit, partial[1], lead=False)
                if result is not None:
                    self._record(partial[1], uid, result)
            if result is None and not boxed and len(unit[0][1].paragraphs) > 1:
                result = self._place_trimmed(unit, leaves, uid)
            if result is not None:
                placed[uid] = result
                if not boxed:
                    lead_done = True
        # reading order
        ordered: list[int] = []

        def walk(region: _Region) -> None:
            for item in region.items:
                if isinstance(item, list):
                    for child in item:
                        walk(child)
                else:
                    ordered.append(item)
        for r in regions:
            walk(r)
        decor = self._decorations(regions)
        articles: list[dict] = []
        art_blocks: list[list[Block]] = []
        for uid in ordered:
            articles += placed[uid].truths
            art_blocks.append(placed[uid].blocks)
        self._fill_bboxes(ordered, placed, articles)
        blocks = self._drawing_order(header_blocks, art_blocks, decor)
        truth = {"number": 1, "header": header_text, "articles": articles}
        return Typeset(truth, self.infos, self.soft_hyphens, blocks, spec)

    def _units(self) -> list[list[tuple[int, Article]]]:
        """Group the articles: consecutive briefs form one box; others stand alone."""
        units: list[list[tuple[int, Article]]] = []
        for i, art in enumerate(self.spec.articles):
            if art.kind == "brief" and units and units[-1][-1][1].kind == "brief":
                units[-1].append((i, art))
            else:
                units.append([(i, art)])
        return units

    @staticmethod
    def _record(region: _Region, uid: int, result: _Placed) -> None:
        if region.items:
            region.separators.append(region.cursor)
            region.cursor += 1
        region.items.append(uid)
        region.cursor += result.lines

    def _place(self, unit: list[tuple[int, Article]], region: _Region, lead: bool,
               ) -> _Placed | None:
        start = region.cursor + (1 if region.items else 0)
        fr = self.frame(region.col0, region.ncols)
        if len(unit) > 1 or unit[0][1].kind != "story":
            return self.compose_box([i for i, _ in unit], [a for _, a in unit], fr, start,
                                    region.line1)
        idx, art = unit[0]
        return self.compose_article(idx, art, fr, start, region.line1,
                                    role_size="lead" if lead else "story")

    def _place_trimmed(self, unit: list[tuple[int, Article]], leaves: list[_Region], uid: int,
                       ) -> _Placed | None:
        """Drop trailing paragraphs until the story fits the leaf with the most room."""
        idx, art = unit[0]
        leaf = max(leaves, key=lambda r: (r.line1 - r.cursor, -r.col0))
        paragraphs = list(art.paragraphs)
        while len(paragraphs) > 1:
            paragraphs.pop()
            short = Article(art.kicker, art.title, art.subtitle, art.byline, paragraphs,
                            art.captions, art.lang, art.kind)
            result = self._place([(idx, short)], leaf, lead=False)
            if result is not None:
                self._record(leaf, uid, result)
                return result
        return None

    def _decorations(self, regions: list[_Region]) -> list[Block]:
        """Separator rules between stacked items and regions, and advert fillers."""
        out: list[Block] = []
        rules = Block(None, "rule")
        out.append(rules)
        want_vrules = self.spec.column_rules
        if want_vrules is None:
            want_vrules = self.rng.random() < 0.5
        bottom = self.line_top(self.nlines)

        def walk(region: _Region) -> None:
            fr = self.frame(region.col0, region.ncols)
            for item in region.items:
                if isinstance(item, list):
                    y = self.line_top(item[0].line0) + self.L / 2
                    rules.shapes.append(("line", fr.x0, y, fr.x0 + fr.width, y, 0.6))
                    for b in item[1:]:
                        x = self.frame(b.col0, 1).x0 - self.gutter / 2
                        rules.shapes.append(("line", x, y - 2, x, bottom, 0.4))
                    for child in item:
                        walk(child)
            leaf_free = region.line1 - region.cursor
            for k in region.separators:
                y = self.line_top(k) - self.L / 2
                rules.shapes.append(("line", fr.x0, y, fr.x0 + fr.width, y, 0.6))
            if (region.children is None and self.spec.fill_adverts and leaf_free >= 8):
                top = self.line_top(region.cursor + 1)
                ad = Block(None, "advert")
                ad.shapes.append(("image", 8, fr.x0, bottom, fr.width, top - bottom))
                ad.shapes.append(("rect", fr.x0, bottom, fr.width, top - bottom, 0.8, None))
                out.append(ad)

        for r in regions:
            walk(r)
        if want_vrules:
            for b in regions[1:]:
                x = self.frame(b.col0, 1).x0 - self.gutter / 2
                rules.shapes.append(("line", x, self.body_top, x, bottom, 0.5))
        return out

    def _fill_bboxes(self, ordered: list[int], placed: dict[int, _Placed],
                     articles: list[dict]) -> None:
        """Each article's bbox: the union of its glyph boxes and images (top-left origin)."""
        boxes: dict[int, list[float]] = {}
        for uid in ordered:
            for b in placed[uid].blocks:
                if b.article is None:
                    continue
                ext = [r.box() for r in b.runs]
                ext += [(s[2], s[3], s[2] + s[4], s[3] + s[5]) for s in b.shapes
                        if s[0] == "image"]
                for x0, y0, x1, y1 in ext:
                    cur = boxes.setdefault(b.article, [x0, y0, x1, y1])
                    cur[:] = [min(cur[0], x0), min(cur[1], y0), max(cur[2], x1),
                              max(cur[3], y1)]
        H = self.spec.height
        ids = [a for uid in ordered for a in placed[uid].ids]
        for art, a in zip(articles, ids, strict=True):
            x0, y0, x1, y1 = boxes[a]
            art["bbox"] = [round(x0, 2), round(H - y1, 2), round(x1, 2), round(H - y0, 2)]

    def _drawing_order(self, header: list[Block], arts: list[list[Block]],
                       decor: list[Block]) -> list[Block]:
        if not self.spec.shuffle_drawing_order:
            return header + [b for blocks in arts for b in blocks] + decor
        rng = self.rng
        rank = {"body": 0, "caption": 1, "photo": 2, "byline": 3, "subtitle": 4, "title": 5,
                "kicker": 6, "rule": 7}
        groups = []
        for blocks in arts:
            bs = sorted(blocks, key=lambda b: (rank.get(b.role, 8), rng.random()))
            if rng.random() < 0.3:
                rng.shuffle(bs)
            groups.append(bs)
        rng.shuffle(groups)
        out = [b for g in groups for b in g]
        for extra in header + decor:
            out.insert(rng.randint(0, len(out)), extra)
        return out


# --------------------------------------------------------------------------- public API


def compose_page(spec: PageSpec) -> Typeset:
    """Lay out ``spec`` without writing anything (the truth and the drawn lines)."""
    return _PageComposer(spec).compose()


def _draw(c: rl_canvas.Canvas, page: Typeset) -> None:
    c.setPageSize((page.spec.width, page.spec.height))
    images = {i: _photo(i) for i in range(9)}
    for block in page.blocks:
        _draw_block(c, block, images, page.spec.tc_spacing)
    c.showPage()


def _canvas(path: str | os.PathLike) -> rl_canvas.Canvas:
    c = rl_canvas.Canvas(str(path), invariant=1, pageCompression=1)
    c.setTitle("newsarchive demo page")
    return c


def typeset_page_layout(spec: PageSpec, path: str | os.PathLike) -> Typeset:
    """Write a one-page PDF for ``spec``; returns the truth with the drawn lines."""
    page = compose_page(spec)
    c = _canvas(path)
    _draw(c, page)
    c.save()
    return page


def typeset_page(spec: PageSpec, path: str | os.PathLike) -> dict:
    """Write a one-page PDF for ``spec`` at ``path`` and return its truth (one entry of the
    extraction output's ``pages``: number, header, articles)."""
    return typeset_page_layout(spec, path).truth


def typeset_edition(specs: list[PageSpec], path: str | os.PathLike) -> list[dict]:
    """Write several pages into one PDF; returns one truth per page, numbered from 1."""
    c = _canvas(path)
    truths = []
    for n, spec in enumerate(specs, start=1):
        page = compose_page(spec)
        page.truth["number"] = n
        _draw(c, page)
        truths.append(page.truth)
    c.save()
    return truths
