"""Text that a wrong Unicode map made: letters of a script the page is not in.

A font's ToUnicode map can be present and wrong. Glyph ids mapped as code points land in
Latin Extended-A/B (ĀāĂă… for a Chinese font's first glyphs), and a map off by an offset or
made for another font gives real but wrong Chinese characters, mostly rare ones. Both look
like text to the checks for missing maps, so they are told by what real text never is: a
page mostly in Latin Extended letters, or a page whose ideographs are mostly outside every
common-character list (GB 2312 level 1, Big5 level 1, JIS level 1: the 3,755, 5,401 and
2,965 characters that make up nearly all running Chinese and Japanese text).
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from .chars import Char

# Latin Extended-A and -B: a few in a hundred letters of Polish, Czech or Turkish text
EXTENDED_SHARE = 0.4
_EXTENDED = re.compile("[\u0100-\u024f]")
# ideographs outside the common lists: a few in a hundred in real text, most of a wrong map
RARE_SHARE = 0.3
MIN_IDEOGRAPHS = 20
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def _decoded(encoding: str, leads: range, trails: list[int], last: bytes) -> set[str]:
    decode = codecs.getdecoder(encoding)
    chars = set()
    for lead in leads:
        for trail in trails:
            code = bytes((lead, trail))
            if code > last:
                return chars
            chars.add(decode(code, "replace")[0])
    chars.discard("\ufffd")
    return chars


@cache
def common_ideographs() -> frozenset[str]:
    """The level-1 characters of GB 2312, Big5 and JIS X 0208, from Python's codecs."""
    gb = _decoded("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)), b"\xd7\xf9")
    big5 = _decoded("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)],
                    b"\xc6\x7e")
    jis = _decoded("shift_jis", range(0x88, 0x99), [*range(0x40, 0x7F), *range(0x80, 0xFD)],
                   b"\x98\x72")
    return frozenset(ch for ch in gb | big5 | jis if _IDEOGRAPH.fullmatch(ch))


def _reason(text: str) -> str | None:
    """Why ``text`` reads as a wrong Unicode map's output, or None."""
    n = len(text)
    extended = len(_EXTENDED.findall(text))
    if n and extended / n > EXTENDED_SHARE:
        return (f"{extended} of {n} glyphs are Latin Extended letters (a Unicode map that "
                "gives glyph numbers, not characters); text would be mojibake")
    ideographs = _IDEOGRAPH.findall(text)
    if len(ideographs) >= MIN_IDEOGRAPHS:
        common = common_ideographs()
        rare = sum(ch not in common for ch in ideographs)
        if rare / len(ideographs) > RARE_SHARE:
            return (f"{rare} of {len(ideographs)} Chinese characters are rare ones (a wrong "
                    "Unicode map); text would be mojibake")
    return None


def _suspect(text: str) -> bool:
    """Enough Latin Extended letters or rare ideographs that one font may be all wrong."""
    if len(_EXTENDED.findall(text)) >= MIN_IDEOGRAPHS:
        return True
    common = common_ideographs()
    return sum(ch not in common for ch in _IDEOGRAPH.findall(text)) >= MIN_IDEOGRAPHS


def mojibake_reason(text: str, glyphs: Sequence[Char] = ()) -> str | None:
    """Why a page's text (its glyphs joined) reads as a wrong Unicode map's output, or None.
    ``glyphs`` (with their font names) let one wrong font among right ones be told: a page
    whose articles are partly mojibake is no more ``ok`` than one that is all mojibake."""
    if reason := _reason(text):
        return reason
    if not glyphs or not _suspect(text):
        return None
    by_font: dict[str, list[str]] = defaultdict(list)
    for glyph in glyphs:
        by_font[glyph.font].append(glyph.text)
    for font, texts in by_font.items():
        if len(texts) >= MIN_IDEOGRAPHS and (reason := _reason("".join(texts))):
            return f"font {font}: {reason}"
    return None
