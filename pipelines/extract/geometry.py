"""Affine matrices of PDF user space: forms nested in forms, boxes carried through them.

The Python walks over a page's objects (``pdfium_source.walk_objects``,
``visibility.walk_python``) and their compiled twins in ``_glyphs.c`` do this arithmetic in
the same order, so that both give the same boxes to the last bit.
"""

from __future__ import annotations

Matrix = tuple[float, float, float, float, float, float]  # a, b, c, d, e, f
Rect = tuple[float, float, float, float]  # left, bottom, right, top


def compose(outer: Matrix | None, inner: Matrix) -> Matrix:
    """``inner`` (a form's matrix) inside ``outer`` (None: the page itself)."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def transform(m: Matrix | None, rect: Rect) -> Rect:
    """The bounding box of ``rect`` carried through ``m`` (None: unchanged)."""
    if m is None:
        return rect
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((rect[0], rect[1]), (rect[0], rect[3]), (rect[2], rect[1]), (rect[2], rect[3])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)
