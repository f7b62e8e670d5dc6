"""Char source on pypdfium2 (the default): ~10x faster than pdfplumber for the same boxes.

Reads glyphs through pdfium's raw text API: one call per glyph for its box, the rest once per
text object, in compiled code (``_glyphs.c``) or, without it, through ctypes; then rules and
image regions from the page objects.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from . import fonts, orientation, visibility
from .chars import Box, Char, PageContent, PageTooLarge, rules_from_box
from .geometry import compose, transform

try:  # built by setup.py where a C compiler is; the same loop in Python otherwise
    from . import _glyphs
except ImportError:  # pragma: no cover - depends on the machine that installed us
    _glyphs = None

_SKIP_GENERATED = frozenset(" \r\n")
_HYPHEN_MARKERS = frozenset("\ufffe\x02")
_SPECIAL = _SKIP_GENERATED | _HYPHEN_MARKERS | frozenset(map(chr, range(32))) | {"\ufffd"}
# a stretch of glyphs, or one special char
_PIECES = re.compile(f"[^{re.escape(''.join(sorted(_SPECIAL)))}]+|.", re.DOTALL)


def decode_font_name(name: bytes) -> str:
    """Font names are bytes, often GBK (宋体) in Chinese PDFs."""
    for encoding in ("utf-8", "gbk"):
        try:
            return name.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name.decode("latin-1")


class PdfiumSource:
    """An opened PDF read with pypdfium2."""

    def __init__(self, path: str, max_chars: int) -> None:
        fonts.install()
        self._doc = pdfium.PdfDocument(path)
        self.page_count = len(self._doc)
        self.max_chars = max_chars

    def pages(self) -> Iterator[PageContent | Exception]:
        for index in range(self.page_count):
            try:
                yield self._read_page(index)
            except Exception as exc:  # one bad page never stops the others
                yield exc

    def close(self) -> None:
        self._doc.close()

    def _read_page(self, index: int) -> PageContent:
        page = self._doc[index]
        try:
            width, height = page.get_size()
            content = PageContent(number=index + 1, width=width, height=height)
            textpage = page.get_textpage()
            rotation = raw.FPDFPage_GetRotation(page.raw)
            content.rotation = rotation
            hidden = _hidden_text(page.raw)
            glyphs = None
            try:
                _read_chars(textpage.raw, content, self.max_chars, hidden)
                read = text_objects(textpage.raw, content.raw_chars)
                if orientation.needs_reading(content, rotation):
                    glyphs = orientation.read_glyphs(textpage.raw, _SPECIAL, _SKIP_GENERATED,
                                                     _HYPHEN_MARKERS, decode_font_name)
            finally:
                textpage.close()
            _read_objects(page.raw, content, read)
            frame = orientation.Frame(0, content.width, content.height)
            if glyphs is not None:
                if hidden:
                    content.hidden.clear()  # counted again, glyph by glyph
                    content.hidden_at.clear()
                    glyphs = _seen(glyphs, hidden, content)
                frame = orientation.reorient(content, glyphs, rotation)
            orientation.split_vertical(content, frame)
            return content
        finally:
            page.close()


def _hidden_text(page: ctypes.c_void_p) -> dict[int, visibility.Verdict]:
    """The page's text objects that hide some or all of their glyphs (visibility.py)."""
    rect = raw.FS_RECTF()
    raw.FPDF_GetPageBoundingBox(page, rect)
    box = (rect.left, rect.bottom, rect.right, rect.top)
    return visibility.verdicts(visibility.walk(page, box), box)


def _seen(glyphs: list[orientation.Glyph], hidden: dict[int, visibility.Verdict],
          content: PageContent) -> list[orientation.Glyph]:
    """The glyphs a reader sees; those not seen are counted by why in ``content.hidden``."""
    kept = []
    for g in glyphs:
        verdict = hidden.get(g.obj)
        why = verdict and visibility.hidden_reason(verdict, g.rect)
        if why:
            content.hidden[why] += 1
            content.hidden_at.append((g.rect[0], content.height - g.origin[1]))
        else:
            kept.append(g)
    return kept


def _address(func: object) -> int:
    """Where a pdfium function of pypdfium2's ctypes library is in memory."""
    return ctypes.cast(func, ctypes.c_void_p).value


def _c_function(func: object, restype: type | None) -> ctypes._CFuncPtr:
    """A lean ctypes prototype for a pdfium function, about 1.5x faster per call than
    pypdfium2's: no argument conversion (callers pass ctypes objects or plain ints), and the
    GIL is kept across the call (PYFUNCTYPE; pdfium never calls back into Python, and a
    worker extracts one page at a time). A restype of None skips converting the result."""
    return ctypes.PYFUNCTYPE(restype)(_address(func))


_GET_OBJECT = _c_function(raw.FPDFText_GetTextObject, ctypes.c_void_p)
_LOOSE_BOX = _c_function(raw.FPDFText_GetLooseCharBox, None)  # result unused
_IS_GENERATED = _c_function(raw.FPDFText_IsGenerated, ctypes.c_int)
_GET_MATRIX = _c_function(raw.FPDFText_GetMatrix, ctypes.c_int)
_FONT_SIZE = _c_function(raw.FPDFText_GetFontSize, ctypes.c_double)
_FONT_INFO = _c_function(raw.FPDFText_GetFontInfo, ctypes.c_ulong)


# what the compiled loop calls, in its order
_FUNCTIONS = tuple(map(_address, (
    raw.FPDFText_GetTextObject, raw.FPDFText_GetLooseCharBox, raw.FPDFText_IsGenerated,
    raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize, raw.FPDFText_GetFontInfo,
)))


def _read_chars(tp: ctypes.c_void_p, content: PageContent, max_chars: int,
                hidden: dict[int, visibility.Verdict] | None = None) -> None:
    """Glyphs of a text page, with the page's count of glyphs without a Unicode map;
    without the glyphs nobody sees (``hidden``: visibility.verdicts)."""
    count = raw.FPDFText_CountChars(tp)
    content.raw_chars = max(count, 0)
    if count <= 0:
        return
    if count > max_chars:
        raise PageTooLarge(f"page has {count} glyphs, over the limit of {max_chars}")
    buf = ctypes.create_string_buffer(2 * count + 2)
    raw.FPDFText_GetText(tp, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count:  # surrogate pairs: fall back to one call per glyph
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(count))
    vtp = ctypes.cast(tp, ctypes.c_void_p)
    if hidden:
        text = visibility.blank_hidden(vtp, text, hidden, content)
    if _glyphs is not None:
        content.unmapped += _glyphs.read_glyphs(vtp.value, text, content.height, content.chars,
                                                Char, decode_font_name, _FUNCTIONS)
    else:
        content.unmapped += read_glyphs(vtp, text, content.height, content.chars)
    for i in range(0, count, 16):  # a sample is enough to see a missing Unicode map
        content.unmapped += raw.FPDFText_HasUnicodeMapError(tp, i) * 16


def read_glyphs(vtp: ctypes.c_void_p, text: str, height: float, chars: list[Char]) -> int:
    """Append the glyphs of a text page (``text``: its chars, from pdfium) to ``chars``;
    return how many had no Unicode map. Font, size and matrix are read once per text object
    (one text-showing operator); the baseline follows the glyph's loose box. ``_glyphs.c``
    is this loop compiled: change both."""
    rect = raw.FS_RECTF()  # left, top, right, bottom: read all four at once as floats
    rect_ref = ctypes.byref(rect)
    read_rect = memoryview(rect).cast("B").cast("f").tolist
    get_object, loose_box = _GET_OBJECT, _LOOSE_BOX
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    name_buf = ctypes.create_string_buffer(256)
    flags_ref = ctypes.byref(ctypes.c_int())
    font_names: dict[bytes, str] = {}
    append = chars.append
    unmapped = 0
    pending_space = 0
    last_obj = None
    size, font, descent, upright = 0.0, "", 0.0, True
    for piece in _PIECES.finditer(text):
        start, end = piece.span()
        glyph = None  # None: the text's own chars
        if end - start == 1 and (ch := text[start]) in _SPECIAL:
            if ch in _SKIP_GENERATED:
                if ch == " ":
                    pending_space = max(pending_space, 1 if _IS_GENERATED(vtp, start) else 2)
                continue
            if ch not in _HYPHEN_MARKERS:  # control codes, U+FFFD (no Unicode map)
                unmapped += ch == "\ufffd"
                continue
            glyph = "-"
        # glyphs between generated chars come from one text object when both ends do: pdfium
        # lists each object's glyphs together, so one call per piece, not one per glyph
        obj = get_object(vtp, start)
        one_object = end - start == 1 or obj == get_object(vtp, end - 1)
        for i in range(start, end):
            if not one_object:
                obj = get_object(vtp, i)
            loose_box(vtp, i, rect_ref)
            left, _top, right, bottom = read_rect()
            if obj != last_obj:
                last_obj = obj
                _GET_MATRIX(vtp, i, matrix_ref)  # f: the baseline of the object's start
                upright = abs(matrix.b) <= 0.05 * abs(matrix.a) and matrix.a > 0
                size = _FONT_SIZE(vtp, i) * math.hypot(matrix.c, matrix.d)
                descent = matrix.f - bottom
                _FONT_INFO(vtp, i, name_buf, 256, flags_ref)
                key = name_buf.value
                font = font_names.get(key) or font_names.setdefault(key, decode_font_name(key))
            if not upright or size <= 0:
                continue  # rotated text (margin notes, vertical stamps) is not page text
            append(Char(glyph or text[i], left, right, height - (bottom + descent), size, font,
                        pending_space))
            pending_space = 0
    return unmapped


def text_objects(tp: ctypes.c_void_p, count: int) -> set[int]:
    """Addresses of the text objects whose glyphs the text page holds. pdfium leaves some
    out by design (a duplicate drawn over itself for fake bold, an object of no width), and
    in any case text its font lookup cannot box: the page's objects against this set is the
    check that a reading lost nothing (health.check_reading)."""
    if _glyphs is not None:
        return _glyphs.text_objects(ctypes.cast(tp, ctypes.c_void_p).value, count,
                                    _FUNCTIONS[0])
    seen = set()
    for i in range(count):
        if obj := _GET_OBJECT(tp, i):
            seen.add(obj)
    return seen


# what the compiled object walk calls, in its order
_OBJECT_FUNCTIONS = tuple(map(_address, (
    raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType,
    raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, raw.FPDFPageObj_GetMatrix,
    raw.FPDFPageObj_GetBounds, raw.FPDFPath_CountSegments,
)))
Drawn = tuple[int, float, float, float, float, int]  # kind, x0, y0, x1, y1, path segments


def walk_objects(page: ctypes.c_void_p, read: set[int]) -> tuple[int, int, list[Drawn]]:
    """Every object of a page, forms opened: the count of text objects and of those not in
    ``read``, and the paths and images with their boxes in page space (PDF points, origin
    bottom left). ``_glyphs.c`` has this walk compiled (a page holds thousands of text
    objects): change both."""
    if _glyphs is not None:
        return _glyphs.walk_objects(ctypes.cast(page, ctypes.c_void_p).value, read,
                                    _OBJECT_FUNCTIONS)
    n = raw.FPDFPage_CountObjects(page)
    stack = [(raw.FPDFPage_GetObject(page, i), None) for i in range(n)]
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    texts = unread = 0
    drawn: list[Drawn] = []
    while stack:
        obj, matrix = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts += 1
            unread += ctypes.cast(obj, ctypes.c_void_p).value not in read
            continue
        if kind == raw.FPDF_PAGEOBJ_FORM:
            m = raw.FS_MATRIX()
            raw.FPDFPageObj_GetMatrix(obj, m)
            inner = compose(matrix, (m.a, m.b, m.c, m.d, m.e, m.f))
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                stack.append((raw.FPDFFormObj_GetObject(obj, j), inner))
            continue
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = transform(matrix, (left.value, bottom.value, right.value, top.value))
        segments = raw.FPDFPath_CountSegments(obj) if kind == raw.FPDF_PAGEOBJ_PATH else 0
        drawn.append((kind, x0, y0, x1, y1, segments))
    return texts, unread, drawn


def _read_objects(page: ctypes.c_void_p, content: PageContent, read: set[int]) -> None:
    """Collect rules, frames and image regions from the page's drawing objects, and count
    its text objects and those of them not in ``read``."""
    content.text_objects, content.unread_objects, drawn = walk_objects(page, read)
    page_area = content.width * content.height
    for kind, x0, y0, x1, y1, segments in drawn:
        box: Box = (x0, content.height - y1, x1, content.height - y0)
        area = (x1 - x0) * (y1 - y0)
        if area > 0.6 * page_area:  # a scan, the page background or a clipping frame
            content.full_images += kind == raw.FPDF_PAGEOBJ_IMAGE
            continue
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            if x1 - x0 > 4 and y1 - y0 > 4:
                content.images.append(box)
            continue
        found = rules_from_box(box)
        if len(found) == 4 and segments > 8:  # a drawing (logo, chart), not a frame
            content.images.append(box)
            continue
        for orient, rule in found:
            (content.hrules if orient == "h" else content.vrules).append(rule)
