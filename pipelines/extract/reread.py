"""Re-read the headings of a scanned page with Tesseract, in two runs per page.

An OCR text layer over a scan can be far worse than a modern OCR engine: the Topaz Times
layer is 55% accurate, and its headlines (typed with a lettering guide) come out as
``evacuate I 41 C UA 17 BALDWIN``. We render each heading block's area from the scan and
read all of a page's crops with one ``tesseract`` run (a list of images: each crop is
segmented on its own while the model loads once; stacking the crops into one image read
worse), then the headlines' lines alone with a second run (see :func:`reread_headings`).
The first run also reads the first line of body blocks that the layer reads as noise: a
headline in lettering the layer sized as body text (``ISH 0 f fops`` for SHARECROP OFFERS)
becomes a heading when Tesseract reads it in capitals taller than the lines under it (see
:func:`headline_candidates`).
Tesseract was chosen over RapidOCR (pip, ONNX) on the Topaz headline areas: 0.90-1.00
similarity to the headlines typed by people in 0.2-0.5 s a crop, against 0.67-1.00 in 2-9 s.

Tesseract is a Debian package (``tesseract-ocr``), not a pip one: without it on PATH the
page keeps the layer's text, and a note is logged once.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .blocks import Block
from .chars import Box
from .fields import ends_broken
from .lines import Line
from .text.script import in_capitals

log = logging.getLogger(__name__)

DPI = 300  # render scale of the crops: Tesseract is trained on text at about 300 dpi
MARGIN = 3.0  # points of scan around a heading block's box (OCR boxes are tight)
BORDER_PX = 20  # white pixels around each crop (Tesseract misreads glyphs at an image edge)
TIMEOUT = 30.0  # seconds for one tesseract run (two a page; EXTRACT_TIMEOUT is 120 a PDF)
BUDGET = 60.0  # seconds of tesseract runs per PDF: further pages keep their layer's headings
MAX_CROPS = 20  # headings re-read on one page at most (the largest): about 0.2 s each
MIN_CONF = 60.0  # mean word confidence (0-100) of a reading we trust
ART_CONF = 40.0  # a heading no line of which Tesseract reads surer than this may be artwork
EDGE_CONF = 10.0  # words this unsure at either end of a line are dropped (specks, neighbours)
MAX_HEIGHT_PT = 120.0  # a heading block taller than this is no headline: not re-read
MORE_LINES = 2.5  # a crop reaches this many of the heading's lines below it (more lines)
PAD_SHARE = 0.3  # white space kept above and below a headline, in its first line's height
CAPS_SHARE = 0.7  # a line with this share of its letters upper case is set in capitals
CAPS_LETTERS = 2  # (of at least this many letters)
CAPS_HEIGHT = 0.7  # a further headline line is at least this share of the first's height
COLUMN_SHARE = 0.6  # a crop is widened up to this share of the page (a column or two)
WIDEN = 4.0  # and up to this many times the heading's width
KNOWN_ZIPF = 2.0  # a word this frequent in English (wordfreq's zipf scale) is a real word
MIN_KNOWN = 0.3  # share of a reading's letters that must be in real words
SLACK = 0.15  # a reading may hold this share of the layer's letters fewer in real words
MAX_CANDIDATES = 8  # body lines re-read on one page at most as possible headlines
CANDIDATE_KNOWN = 0.5  # a body block's first line with less of its letters in real words
CANDIDATE_LETTERS = 4  # (and at least this many letters) may be a misread headline
CANDIDATE_LINES = 3  # a headline opens a block of this many layer lines at least
DISPLAY_HEIGHT = 1.25  # a candidate read this much taller than the lines under it is display


@cache
def tesseract() -> str | None:
    """The tesseract executable, or None (logged once) when it is not installed."""
    path = shutil.which("tesseract")
    if path is None:
        log.warning("tesseract not found: headings of scanned pages keep their OCR layer's "
                    "text (install Debian's tesseract-ocr to re-read them)")
    return path


@dataclass
class ReadLine:
    """One line Tesseract read in a crop: its text, mean word confidence and extent (points,
    page coordinates)."""

    text: str
    conf: float
    top: float
    bottom: float


class ScanReader:
    """Renders areas of one PDF's pages and reads them with Tesseract."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._doc = None
        self.budget = BUDGET  # seconds of tesseract left for this PDF (a PDF of many scans
        # must not outlast the crawl's per-PDF timeout)

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def read(self, number: int, boxes: Sequence[Box]) -> list[list[ReadLine]] | None:
        """The lines read in each box of page ``number`` (1-based), top to bottom; None
        when Tesseract is missing or failed, or the PDF's time budget is spent. One
        tesseract run reads all the boxes (given as a list of images: each is segmented on
        its own, the model loads once)."""
        exe = tesseract()
        if exe is None:
            return None
        if self.budget <= 0:
            log.warning("tesseract's %g s for %s are spent: page %d keeps its OCR layer's "
                        "headings", BUDGET, self.path, number)
            return None
        if not boxes:
            return []
        with tempfile.TemporaryDirectory(prefix="newsarchive-ocr-") as tmp:
            tops = []
            names = []
            for k, (image, top) in enumerate(self._crops(number, boxes)):
                name = os.path.join(tmp, f"{k}.pgm")
                with open(name, "wb") as fh:
                    fh.write(image)
                names.append(name)
                tops.append(top)
            listing = os.path.join(tmp, "crops.txt")
            with open(listing, "w") as fh:
                fh.write("\n".join(names) + "\n")
            started = time.monotonic()
            try:
                out = subprocess.run([exe, listing, "stdout", "--psm", "6", "tsv"],
                                     capture_output=True, timeout=min(TIMEOUT, self.budget),
                                     check=True,
                                     env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("tesseract failed on page %d of %s: %s", number, self.path, exc)
                return None
            finally:
                self.budget -= time.monotonic() - started
        return _lines(out.decode("utf-8", "replace"), tops)

    def _crops(self, number: int, boxes: Sequence[Box]) -> list[tuple[bytes, float]]:
        """Each box of the page rendered as a grey PGM image, with the page y (points) of
        its first row."""
        import pypdfium2 as pdfium

        if self._doc is None:
            self._doc = pdfium.PdfDocument(self.path)
        page = self._doc[number - 1]
        width, height = page.get_size()
        out = []
        for x0, top, x1, bottom in boxes:
            x0, top = max(x0 - MARGIN, 0.0), max(top - MARGIN, 0.0)
            x1, bottom = min(x1 + MARGIN, width), min(bottom + MARGIN, height)
            bitmap = page.render(scale=DPI / 72, grayscale=True,
                                 crop=(x0, height - bottom, width - x1, top))
            w, h, stride, buf = bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
            side = b"\xff" * BORDER_PX
            blank = [b"\xff" * (w + 2 * BORDER_PX)] * BORDER_PX
            rows = blank + [side + buf[r * stride:r * stride + w] + side for r in range(h)] + blank
            out.append((f"P5 {w + 2 * BORDER_PX} {h + 2 * BORDER_PX} 255\n".encode()
                        + b"".join(rows), top - BORDER_PX * 72 / DPI))
        page.close()
        return out


def _lines(tsv: str, tops: list[float]) -> list[list[ReadLine]]:
    """Tesseract's TSV words of each crop grouped into lines by their height on the image
    (Tesseract can cut a line of a headline in pieces); unsure words at either end of a
    line (specks, bits of neighbours) are dropped."""
    words: list[list[tuple[int, int, int, str, float]]] = [[] for _ in tops]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        k = int(row.get("page_num") or 0) - 1
        if row.get("level") == "5" and text and 0 <= k < len(tops):
            top = int(row["top"])
            words[k].append((top, top + int(row["height"]), int(row["left"]), text,
                             float(row["conf"])))
    scale = 72 / DPI
    out: list[list[ReadLine]] = []
    for crop_words, y in zip(words, tops, strict=True):
        groups: list[list[tuple[int, int, int, str, float]]] = []
        for word in sorted(crop_words, key=lambda w: (w[0] + w[1]) / 2):
            if groups and (word[0] + word[1]) / 2 <= max(w[1] for w in groups[-1]):
                groups[-1].append(word)
            else:
                groups.append([word])
        lines = []
        for found in groups:
            found.sort(key=lambda w: w[2])
            while found and found[0][4] < EDGE_CONF:
                found.pop(0)
            while found and found[-1][4] < EDGE_CONF:
                found.pop()
            if found:
                lines.append(ReadLine(" ".join(w[3] for w in found),
                                      sum(w[4] for w in found) / len(found),
                                      y + min(w[0] for w in found) * scale,
                                      y + max(w[1] for w in found) * scale))
        out.append(lines)
    return out


def _caps(text: str) -> bool:
    """Whether a line Tesseract read is set in capitals."""
    return in_capitals(text, CAPS_SHARE, CAPS_LETTERS)


def headline(lines: list[ReadLine], top: float, bottom: float) -> list[ReadLine]:
    """The lines of a headline read from a heading's crop: the first line in the heading's
    own box (top..bottom), then the lines right under it in capitals of about its height,
    when it is in capitals (a headline typed in capitals runs on for a few lines, and the
    text layout may have put those lines in other blocks)."""
    first = [ln for ln in lines if top - MARGIN <= (ln.top + ln.bottom) / 2 <= bottom]
    if not first:
        return []
    height = max(ln.bottom - ln.top for ln in first)
    out = [ln for ln in first if ln.bottom - ln.top >= CAPS_HEIGHT * height]
    if all(_caps(ln.text) for ln in out):
        for ln in lines:
            if ln.top <= out[-1].top:
                continue
            if (not _caps(ln.text) or ln.bottom - ln.top < CAPS_HEIGHT * height
                    or ln.top - out[-1].bottom > 0.5 * height):
                break
            out.append(ln)
    return out


def reread_headings(blocks: list[Block], number: int, page_width: float,
                    reader: ScanReader) -> list[Block]:
    """Heading blocks of a scanned page re-read from the scan where that reads better
    (see :func:`better_reading`); blocks that a headline's further lines cover (the text
    layout put them apart) are left out of the result, their text being in the headline.
    A body block whose first line is re-read as a headline (see :func:`headline_candidates`)
    is split into that heading and the rest.

    Two tesseract runs: the first reads each heading with a few lines under it, to find
    the headline's lines; the second reads those lines alone (lines of body text in a crop
    change how Tesseract sizes the text, and it reads the headline worse).
    """
    heads = [b for b in blocks if b.kind == "heading" and b.bottom - b.top <= MAX_HEIGHT_PT]
    heads = sorted(sorted(heads, key=lambda b: -b.size)[:MAX_CROPS], key=lambda b: b.top)
    crops = [_crop(b, blocks, page_width) for b in heads]
    parents: dict[int, Block] = {}  # target index -> the body block a candidate line opens
    for parent, row in headline_candidates(blocks):
        parents[len(heads)] = parent
        heads.append(Block(row, parent.frame, "heading"))
        crops.append(_candidate_crop(parent, row))
    first = reader.read(number, crops) if heads else None
    if first is None:  # no tesseract (or it failed): the layer's text stays
        return blocks
    found = [headline(lines, b.top, b.bottom) for b, lines in zip(heads, first, strict=True)]
    for k in parents:
        if found[k] and not _display(found[k], first[k]):
            found[k] = []
    keep = [k for k, lines in enumerate(found) if lines]
    tight = [(crops[k][0], min(heads[k].top, found[k][0].top) - _pad(found[k]), crops[k][2],
              found[k][-1].bottom + _pad(found[k])) for k in keep]
    again = dict(zip(keep, reader.read(number, tight) or [[] for _ in keep], strict=True))
    taken: set[int] = set()
    split: dict[int, list[Block]] = {}  # id of a body block -> its heading and the rest
    read: list[Box] = []  # areas of the headlines re-read (candidates come after headings)
    for k, block in enumerate(heads):
        if id(block) in taken or k in parents and any(_inside(block.bbox, a) for a in read):
            continue  # a candidate line already in a heading's reading is no headline again
        if not found[k]:
            if k not in parents and _artwork(block, first[k]):
                block.kind = "body"
            continue
        lo, hi = found[k][0].top, found[k][-1].bottom
        inside = [ln for ln in again[k] if lo <= (ln.top + ln.bottom) / 2 <= hi]
        readings = [_reading(lines) for lines in (inside, found[k]) if lines]
        block.reading = better_reading(block.text, max(readings, key=_score))
        if block.reading is None and k not in parents and _artwork(block, first[k]):
            block.kind = "body"
        if block.reading is not None:
            read.append((crops[k][0], lo - MARGIN, crops[k][2], hi + MARGIN))
        if block.reading is not None and k in parents:
            split[id(parents[k])] = _split_headline(parents[k], block, hi)
            block = split[id(parents[k])][0]
        more = [ln for ln in found[k] if ln.top >= block.bottom - 0.5 * (ln.bottom - ln.top)]
        if block.reading is None or not more:
            continue
        area = (crops[k][0], more[0].top - MARGIN, crops[k][2], more[-1].bottom + MARGIN)
        taken.update(id(b) for b in blocks if b is not block and b.kind != "image"
                     and id(b) not in split and _inside(b.bbox, area))
    return [part for b in blocks if id(b) not in taken for part in split.get(id(b), [b])]


def headline_candidates(blocks: list[Block]) -> list[tuple[Block, list[Line]]]:
    """Body blocks of a scanned page whose first line may be a headline that the text layer
    misread as body text (lettering done by another hand than the body's typewriter, which
    the layer reads as noise and sizes as body text), with that line (the layer's pieces
    of it): a line of at least a few letters, less than half of them in real words,
    opening a block of a few lines, and neither ending in a broken word nor under a line
    that ends in one (running text goes on there). At most MAX_CANDIDATES, the noisiest
    first. Tesseract confirms or drops them (see :func:`_display`)."""
    found = []
    for block in blocks:
        if block.kind != "body" or len(block.lines) < CANDIDATE_LINES:
            continue
        row = _first_row(block)
        text = " ".join(ln.text for ln in row)
        known, total = known_letters(text)
        if (total < CANDIDATE_LETTERS or known >= CANDIDATE_KNOWN * total or ends_broken(text)
                or _after_break(row, blocks)):
            continue
        found.append((known / total, block, row))
    found.sort(key=lambda c: c[0])
    return [(block, row) for _share, block, row in found[:MAX_CANDIDATES]]


def _first_row(block: Block) -> list[Line]:
    """A block's first line with the layer lines beside it (OCR baselines are noisy, so the
    layer can cut one printed line into a few)."""
    first = block.lines[0]
    edge = first.bottom - 0.3 * (first.bottom - first.top)
    row = [first]
    for line in block.lines[1:]:
        if line.top >= edge:
            break
        row.append(line)
    return row


def _after_break(row: list[Line], blocks: list[Block]) -> bool:
    """Whether the nearest line above ``row`` in its column ends in a broken word."""
    top = min(ln.top for ln in row)
    x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
    above = [ln for b in blocks if b.kind != "image" for ln in b.lines
             if (ln.top + ln.bottom) / 2 < top and ln.x0 < x1 and ln.x1 > x0]
    return bool(above) and ends_broken(max(above, key=lambda ln: ln.bottom).text)


def _candidate_crop(parent: Block, row: list[Line]) -> Box:
    """The area to read for a candidate line: the width of its block (the layer may have
    read only pieces of a headline), from the line down a few of the block's lines."""
    step = (parent.bottom - parent.top) / len(parent.lines)
    bottom = max(ln.bottom for ln in row)
    return (parent.x0, min(ln.top for ln in row), parent.x1, bottom + MORE_LINES * step)


def _display(found: list[ReadLine], lines: list[ReadLine]) -> bool:
    """Whether the headline Tesseract found in a candidate's crop is display lettering: in
    capitals, DISPLAY_HEIGHT times as tall as the (upper) median of the lines it read under
    it, at least two (the body text; a run-in lead in small capitals is as tall as these)."""
    below = sorted(ln.bottom - ln.top for ln in lines
                   if (ln.top + ln.bottom) / 2 > found[-1].bottom)
    height = found[0].bottom - found[0].top
    return (_caps(found[0].text) and len(below) >= 2
            and height >= DISPLAY_HEIGHT * below[len(below) // 2])


def _split_headline(parent: Block, head: Block, bottom: float) -> list[Block]:
    """A body block opened by a re-read headline (``head``: its first row and the reading),
    as a heading block (that row and the lines down to the headline's ``bottom``) and a body
    block of the rest."""
    lines = parent.lines
    k = len(head.lines)
    while k < len(lines) and (lines[k].top + lines[k].bottom) / 2 <= bottom:
        k += 1
    heading = Block(lines[:k], parent.frame, "heading")
    heading.level = round(heading.size, 1)
    heading.reading = head.reading
    return [heading] + ([Block(lines[k:], parent.frame, "body")] if k < len(lines) else [])


def _pad(lines: list[ReadLine]) -> float:
    """White space to keep above and below a headline's lines (Tesseract misreads a line
    that touches the crop's edge)."""
    return PAD_SHARE * (lines[0].bottom - lines[0].top)


def _reading(lines: list[ReadLine]) -> tuple[str, float]:
    """The text of lines and their mean confidence."""
    return " ".join(ln.text for ln in lines), sum(ln.conf for ln in lines) / len(lines)


def _score(reading: tuple[str, float]) -> tuple[int, float]:
    """Which of two readings of a headline is better: more letters in real words, then
    surer."""
    return known_letters(reading[0])[0], reading[1]


def _artwork(block: Block, lines: list[ReadLine]) -> bool:
    """Whether a heading is no text at all (a masthead's drawn letters, a drawing): neither
    its layer nor Tesseract reads words in its box. Headings in a script other than the Latin
    one are never taken for artwork (Tesseract reads English here)."""
    text = block.text
    if any(not c.isascii() and c.isalpha() for c in text):
        return False
    known, total = known_letters(text)
    conf = max((ln.conf for ln in lines
                if block.top <= (ln.top + ln.bottom) / 2 <= block.bottom), default=0.0)
    return known < MIN_KNOWN * total and conf < ART_CONF


def _crop(block: Block, blocks: list[Block], page_width: float) -> Box:
    """The area to read for a heading: its box and a few of its lines under it (a
    headline's further lines), as wide as the blocks right under it when that stays within
    a column or two and a few times its width (a headline's first word can stand alone in
    the text layer, and its next line can be wider)."""
    x0, top, x1, bottom = block.bbox
    step = (bottom - top) / max(len(block.lines), 1)
    low = bottom + MORE_LINES * step
    under = [b for b in blocks if b is not block and b.kind != "image"
             and bottom - step <= b.top <= low and b.x0 < x1 and b.x1 > x0]
    wx0 = min([x0] + [b.x0 for b in under])
    wx1 = max([x1] + [b.x1 for b in under])
    if wx1 - wx0 <= min(COLUMN_SHARE * page_width, WIDEN * (x1 - x0)):
        x0, x1 = wx0, wx1
    return (x0, top, x1, low)


def _inside(box: Box, area: Box) -> bool:
    """Whether most of ``box`` lies in ``area``."""
    w = min(box[2], area[2]) - max(box[0], area[0])
    h = min(box[3], area[3]) - max(box[1], area[1])
    size = (box[2] - box[0]) * (box[3] - box[1])
    return w > 0 and h > 0 and w * h >= 0.7 * size


def known_letters(text: str) -> tuple[int, int]:
    """Letters of ``text`` in real English words of three letters or more (OCR noise is
    full of short "words": ``SU D RE``), and all its letters."""
    from wordfreq import zipf_frequency

    total = known = 0
    for token in text.split():
        word = "".join(c for c in token if c.isalpha())
        total += len(word)
        if len(word) >= 3 and zipf_frequency(word.lower(), "en") >= KNOWN_ZIPF:
            known += len(word)
    return known, total


def better_reading(layer: str, reading: tuple[str, float] | None) -> str | None:
    """The re-read text when it is better than the layer's, else None.

    The layer is old OCR of the same scan; Tesseract reads it again at 300 dpi. We take its
    reading when Tesseract is sure of it (mean word confidence >= MIN_CONF), at least
    MIN_KNOWN of it is real words, and it holds about as many letters in real words as the
    layer's text or more (SLACK: a rare word such as ``RELOCATORS`` counts as none): so a
    reading never loses more than a short word the layer had right, a reading that is
    mostly noise is dropped, and headings in a script Tesseract was not asked for keep
    their text (it reads them unsure, and as no English words). Only headings of scanned
    pages are re-read, never born-digital text.
    """
    if reading is None:
        return None
    text, conf = reading
    text = " ".join(w for w in text.split() if any(c.isalnum() for c in w))
    text = text.strip(" -|,.;:'\"»«~_—")
    known, total = known_letters(text)
    if not total or conf < MIN_CONF or known < MIN_KNOWN * total:
        return None
    layer_known, layer_total = known_letters(layer)
    return text if known >= layer_known - SLACK * layer_total else None
