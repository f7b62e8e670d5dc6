"""Photos and their captions, taken out of the page before the column analysis.

A photo spanning two columns, with body text above and below it and a caption under it,
would block the column gutters; without it, the columns flow around the photo as printed.
A caption is the small (or differently set) text right under a photo, within its width.
"""

from __future__ import annotations

from collections.abc import Sequence

from .chars import Box
from .lines import Run

CAPTION_GAP_EM = 1.5  # caption top at most this far below the photo, in body em
OVERRUN = 0.5  # a caption line from the photo's edge may run past it by this share of it


def take_captions(runs: Sequence[Run], images: Sequence[Box], body: float,
                  body_font: str) -> tuple[list[list[Run]], list[Run]]:
    """(caption runs per photo that has one, remaining runs)."""
    taken: set[int] = set()
    captions: list[list[Run]] = []
    for x0, _top, x1, bottom in images:
        found: list[Run] = []
        limit = bottom + CAPTION_GAP_EM * body
        for run in sorted(runs, key=lambda r: r.top):
            if id(run) in taken or run.top < bottom - 2 or run.top > limit:
                continue
            if run.x0 < x0 - 2 or run.x0 >= x1 or not _caption_like(run, body, body_font):
                continue
            # set to the photo's width; a line set too long still starts at its edge
            if run.x1 > x1 + 2 and not (abs(run.x0 - x0) <= 2
                                        and run.x1 <= x1 + OVERRUN * (x1 - x0)):
                continue
            found.append(run)
            limit = max(limit, run.bottom + 0.6 * run.size)  # the caption's next line
        if found:
            taken.update(id(r) for r in found)
            captions.append(found)
    return captions, [r for r in runs if id(r) not in taken]


def _caption_like(run: Run, body: float, body_font: str) -> bool:
    font = run.chars[0].font
    return run.size < 0.95 * body or (font != body_font and run.size < 1.1 * body)
