"""Text a PDF carries but nobody sees: it is not printed text, so it is not archived.

pdfium's text page holds every glyph a content stream shows, seen or not. Left out here:

* render mode 3 (invisible) or 7 (clip only) over no image: an OCR layer lies over its
  scan and is kept, the same text over nothing is hidden text (keyword stuffing, a stamp);
* white fill (or a fully transparent one) over no image, no filled shape that is not
  white and no shading: white on paper; white on a dark panel, a gradient, a photo or a
  scan (OCR layers are often white) stays;
* glyphs off the page, or outside the clip paths of their text object (clipped away).

The walk over the page's objects (``_glyphs.flagged_text_objects``, compiled; the same walk
in Python otherwise) returns only the text objects that are not plainly visible, so an
ordinary page costs one pass of C and nothing else. Glyphs found hidden are blanked in the
text the glyph loop reads (:func:`blank_hidden`), so the rest of the reading is the same.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import pypdfium2.raw as raw

from .chars import PageContent
from .geometry import Matrix, compose, transform

try:  # the walk compiled (setup.py), the same walk in Python otherwise
    from . import _glyphs
except ImportError:  # pragma: no cover - depends on the machine that installed us
    _glyphs = None

Rect = tuple[float, float, float, float]  # left, bottom, right, top: user space

HIDDEN_MODES = (3, 7)  # FPDF_TEXTRENDERMODE_INVISIBLE, FPDF_TEXTRENDERMODE_CLIP
FILLED_MODES = (0, 2, 4, 6)  # modes that paint the glyphs with the fill colour
WHITE = 250  # each of r, g, b at least this is white (paper)
# what the walk flags a text object for
MODE, WHITE_FILL, OUTSIDE, CLIPPED = 1, 2, 4, 8
# reasons, as a page's status reason lists them
REASONS = {MODE: "invisible (render mode 3) over no image",
           WHITE_FILL: "white over no drawn background",
           OUTSIDE: "off the page", CLIPPED: "clipped away"}


class Flagged(NamedTuple):
    """A text object that may not be seen: why (flags), its box and its clip box (a scan's
    OCR layer, white, has thousands: a tuple each, as the compiled walk makes them)."""

    handle: int
    flags: int
    bounds: Rect
    clip: Rect | None  # None: no clip path


@dataclass(frozen=True)
class Drawn:
    """A page's flagged text objects, and what lies under text: images and filled shapes
    that are not white (only gathered when a flagged object needs them)."""

    flagged: list[Flagged]
    images: list[Rect]
    fills: list[Rect]


def _inside(x: float, y: float, rect: Rect) -> bool:
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


def _centre(rect: Rect) -> tuple[float, float]:
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


def _over(rect: Rect, under: list[Rect]) -> bool:
    x, y = _centre(rect)
    return any(_inside(x, y, u) for u in under)


@dataclass(frozen=True)
class Verdict:
    """What of a flagged object is hidden: all of it (``reason``), or the glyphs outside
    ``region`` (``region_reason``)."""

    reason: str | None
    region: Rect | None
    region_reason: str


def verdicts(drawn: Drawn, page_box: Rect) -> dict[int, Verdict]:
    """The flagged objects that hide something, by handle."""
    out: dict[int, Verdict] = {}
    images, under = drawn.images, drawn.images + drawn.fills
    for obj in drawn.flagged:
        reason = None
        if obj.flags & MODE and not _over(obj.bounds, images):
            reason = REASONS[MODE]
        elif obj.flags & WHITE_FILL and not _over(obj.bounds, under):
            reason = REASONS[WHITE_FILL]
        region, why = page_box, REASONS[OUTSIDE]
        if obj.flags & CLIPPED and obj.clip is not None:
            c = obj.clip
            region = (max(region[0], c[0]), max(region[1], c[1]), min(region[2], c[2]),
                      min(region[3], c[3]))
            why = REASONS[CLIPPED]
        if reason or obj.flags & (OUTSIDE | CLIPPED):
            out[obj.handle] = Verdict(reason, region, why)
    return out


def hidden_reason(verdict: Verdict, rect: Rect) -> str | None:
    """Why a glyph (its user-space box) of a flagged object is not seen, or None."""
    if verdict.reason:
        return verdict.reason
    x, y = _centre(rect)
    return None if verdict.region and _inside(x, y, verdict.region) else verdict.region_reason


def _fn(func: object, restype: type | None) -> ctypes._CFuncPtr:
    return ctypes.PYFUNCTYPE(restype)(ctypes.cast(func, ctypes.c_void_p).value)


_TEXT_OBJECT = _fn(raw.FPDFText_GetTextObject, ctypes.c_void_p)
_LOOSE_BOX = _fn(raw.FPDFText_GetLooseCharBox, None)
_MATRIX = _fn(raw.FPDFText_GetMatrix, None)
UNSEEN = "\x01"  # a control code: the glyph loop skips it, as it skips every control code


def blank_hidden(tp: ctypes.c_void_p, text: str, verdicts: dict[int, Verdict],
                 content: PageContent) -> str:
    """``text`` (a text page's chars) with each glyph nobody sees replaced by UNSEEN, so
    that the glyph loop leaves it out and nothing else of the reading changes; they are
    counted by why in ``content.hidden``, and their places kept in ``content.hidden_at``
    (a second reading of the page leaves them out too: health.seen_only)."""
    get_object, loose_box, get_matrix = _TEXT_OBJECT, _LOOSE_BOX, _MATRIX
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    rect_ref, matrix_ref = ctypes.byref(rect), ctypes.byref(matrix)
    out = list(text)
    for i in range(len(text)):
        verdict = verdicts.get(get_object(tp, i))
        if verdict is None:
            continue
        loose_box(tp, i, rect_ref)
        why = verdict.reason or hidden_reason(verdict, (rect.left, rect.bottom, rect.right,
                                                        rect.top))
        if why:
            out[i] = UNSEEN
            content.hidden[why] += 1
            get_matrix(tp, i, matrix_ref)
            content.hidden_at.append((rect.left, content.height - matrix.f))
    return "".join(out)


def describe(hidden: Counter[str]) -> str:
    """``hidden`` (reason -> glyphs) in words, most first."""
    return ", ".join(f"{n} {why}" for why, n in hidden.most_common())


# ------------------------------------------------------------------ the walk, in Python


# in the order the compiled walk takes them
FUNCTIONS = (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType,
             raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, raw.FPDFPageObj_GetMatrix,
             raw.FPDFPageObj_GetBounds, raw.FPDFTextObj_GetTextRenderMode,
             raw.FPDFPageObj_GetFillColor, raw.FPDFPageObj_GetClipPath,
             raw.FPDFClipPath_CountPaths, raw.FPDFClipPath_CountPathSegments,
             raw.FPDFClipPath_GetPathSegment, raw.FPDFPathSegment_GetPoint,
             raw.FPDFPath_GetDrawMode)
ADDRESSES = tuple(ctypes.cast(f, ctypes.c_void_p).value for f in FUNCTIONS)

def _contains(outer: Rect, inner: Rect) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def walk(page: ctypes.c_void_p, page_box: Rect) -> Drawn:
    """The page's flagged text objects (and, when one needs them, images and fills)."""
    if _glyphs is None:
        return walk_python(page, page_box)
    address = ctypes.cast(page, ctypes.c_void_p).value
    flagged, images, fills = _glyphs.flagged_text_objects(address, page_box, ADDRESSES)
    return Drawn(list(map(Flagged._make, flagged)), images, fills)


def walk_python(page: ctypes.c_void_p, page_box: Rect) -> Drawn:
    """:func:`walk` in Python (``_glyphs.c`` has it compiled: change both)."""
    (count, get, kind_of, form_count, form_get, get_matrix, bounds_of, mode_of, fill_of,
     clip_of, clip_count, seg_count, seg_get, point_of, draw_mode) = (
        _fn(f, r) for f, r in zip(FUNCTIONS, (
            ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int),
            strict=True))
    vp = ctypes.c_void_p
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    box_refs = [ctypes.byref(v) for v in (left, bottom, right, top)]
    rgba = (ctypes.c_uint * 4)()
    rgba_refs = [ctypes.byref(rgba, 4 * i) for i in range(4)]
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    m = raw.FS_MATRIX()
    flagged: list[Flagged] = []
    under: list[tuple[int, Rect]] = []  # (FPDF_PAGEOBJ_IMAGE or _PATH, box)
    stack: list[tuple[int, Matrix | None]] = [(get(page, i), None) for i in range(count(page))]
    while stack:
        handle, matrix = stack.pop()
        obj = vp(handle)
        kind = kind_of(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            get_matrix(obj, ctypes.byref(m))
            inner = compose(matrix, (m.a, m.b, m.c, m.d, m.e, m.f))
            stack.extend((form_get(obj, j), inner) for j in range(form_count(obj)))
            continue
        if kind not in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH,
                        raw.FPDF_PAGEOBJ_SHADING):
            continue
        if not bounds_of(obj, *box_refs):
            continue
        rect = transform(matrix, (left.value, bottom.value, right.value, top.value))
        if kind == raw.FPDF_PAGEOBJ_SHADING:  # a gradient lies under text as a fill does
            under.append((raw.FPDF_PAGEOBJ_PATH, rect))
            continue
        if kind == raw.FPDF_PAGEOBJ_PATH:
            fill_of(obj, *rgba_refs)
            if (draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke)) and fill.value
                    and rgba[3] and min(rgba[0], rgba[1], rgba[2]) < WHITE):
                under.append((kind, rect))
            continue
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            under.append((kind, rect))
            continue
        flags = 0
        mode = mode_of(obj)
        fill_of(obj, *rgba_refs)
        if mode in HIDDEN_MODES:
            flags |= MODE
        elif mode in FILLED_MODES and (rgba[3] == 0 or min(rgba[0], rgba[1], rgba[2]) >= WHITE):
            flags |= WHITE_FILL
        if not _contains(page_box, rect):
            flags |= OUTSIDE
        clip = None
        if cp := clip_of(obj):
            cp = vp(cp)
            for i in range(max(clip_count(cp), 0)):
                xs, ys = [], []
                for s in range(max(seg_count(cp, i), 0)):
                    if point_of(vp(seg_get(cp, i, s)), ctypes.byref(x), ctypes.byref(y)):
                        xs.append(x.value)
                        ys.append(y.value)
                if xs:
                    part = transform(matrix, (min(xs), min(ys), max(xs), max(ys)))
                    clip = part if clip is None else (
                        max(clip[0], part[0]), max(clip[1], part[1]),
                        min(clip[2], part[2]), min(clip[3], part[3]))
            if clip is not None and not _contains(clip, rect):
                flags |= CLIPPED
        if flags:
            flagged.append(Flagged(handle, flags, rect, clip))
    if not any(f.flags & (MODE | WHITE_FILL) for f in flagged):
        return Drawn(flagged, [], [])
    images = [rect for kind, rect in under if kind == raw.FPDF_PAGEOBJ_IMAGE]
    fills = [rect for kind, rect in under if kind == raw.FPDF_PAGEOBJ_PATH]
    return Drawn(flagged, images, fills)
