"""Is a page's text layer worth archiving? Detects image-only pages and garbled fonts.

A font without a Unicode map yields (cid:N), U+FFFD, or its raw bytes read as Latin-1
(GBK mojibake such as ``¹ØÓÚ`` for 关于); storing that as text would poison search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import PageContent
from .mojibake import mojibake_reason
from .visibility import describe

MIN_CHARS = 10
UNMAPPED_SHARE = 0.05
LATIN1_SHARE = 0.25
PRIVATE_SHARE = 0.2
_LATIN1 = re.compile("[\u0080-\u00ff]")  # GBK bytes read as Latin-1
_PRIVATE = re.compile("[\ue000-\uf8ff\x00-\x1f]")  # private-use and control codes


@dataclass(frozen=True)
class Health:
    status: str  # ok | no_text | garbled
    reason: str | None = None


def check_page(content: PageContent) -> Health:
    """Classify a page before layout analysis."""
    visible = [c.text for c in content.chars]
    n = len(visible)
    if n + content.unmapped < MIN_CHARS:
        if content.hidden:
            return Health("no_text", f"no visible text: {n} glyphs seen, "
                                     f"{sum(content.hidden.values())} drawn unseen "
                                     f"({describe(content.hidden)})")
        images = len(content.images) + content.full_images
        if images:
            return Health("no_text", f"no text layer: {n} glyphs, {images} image(s); "
                                     "the page is a scan (needs OCR)")
        return Health("no_text", f"no text layer: {n} glyphs and no images (blank page)")
    total = n + content.unmapped
    if content.unmapped / total > UNMAPPED_SHARE:
        return Health("garbled", f"{content.unmapped} of {total} glyphs have no Unicode map "
                                 "(font without ToUnicode); text would be mojibake")
    text = "".join(visible)
    if len(text) != n:  # a glyph of several chars (a ligature): count its first
        text = "".join(t[0] for t in visible)
    latin1 = len(_LATIN1.findall(text))
    if latin1 / n > LATIN1_SHARE:
        return Health("garbled", f"{latin1} of {n} glyphs decode as Latin-1 bytes "
                                 "(likely GBK text in a font without a Unicode map)")
    private = len(_PRIVATE.findall(text))
    if private / n > PRIVATE_SHARE:
        return Health("garbled", f"{private} of {n} glyphs are private-use or control "
                                 "codes (font without a usable Unicode map)")
    if reason := mojibake_reason(text, content.chars):
        return Health("garbled", reason)
    return Health("ok")
