"""Character classes that decide spacing: CJK glyphs never take a space between them."""

from __future__ import annotations

import re
from functools import lru_cache

# Han, kana, CJK symbols and punctuation, full-width forms, and the quotes, dashes and dots
# that Chinese text sets full width. Ranges are inclusive.
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),
    (0x3200, 0x33FF),  # enclosed, compatibility
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # hangul
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # vertical forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3134F),  # extensions B-G
)
_CJK_EXTRA = frozenset("“”‘’…—·□■○●◆◇△▲☆★")
# closing punctuation a CJK line may hang past its column's edge (行末标点悬挂)
HANGING = frozenset("，。、；：？！”’）》」』")
MAX_HUNG = 2  # closing punctuation marks a line may hang past its column's edge (”，)


@lru_cache(maxsize=8192)
def is_cjk(ch: str) -> bool:
    """True for a glyph that Chinese/Japanese text sets without spaces around it."""
    if ch in _CJK_EXTRA:
        return True
    cp = ord(ch)
    if cp < 0x2E80:
        return False
    for lo, hi in _CJK_RANGES:
        if lo <= cp <= hi:
            return True
    return False


_CJK_CLASS = (
    "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _CJK_RANGES)
    + "".join(re.escape(c) for c in sorted(_CJK_EXTRA)) + "]"
)
_ALL_CJK = re.compile(_CJK_CLASS + "*")
_ANY_CJK = re.compile(_CJK_CLASS)


def all_cjk(text: str) -> bool:
    """True when every character of ``text`` is CJK (one regex scan, for whole lines)."""
    return _ALL_CJK.fullmatch(text) is not None


def any_cjk(text: str) -> bool:
    """True when some character of ``text`` is CJK (one regex scan, for whole lines)."""
    return _ANY_CJK.search(text) is not None


def in_capitals(text: str, share: float, min_letters: int) -> bool:
    """Whether ``text`` is set in capitals: at least ``min_letters`` letters, ``share`` of
    them upper case (OCR reads a few capitals as small letters)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and sum(c.isupper() for c in letters) >= share * len(letters)


def is_han(ch: str) -> bool:
    """True for a Han ideograph (the unit of Chinese text)."""
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F
