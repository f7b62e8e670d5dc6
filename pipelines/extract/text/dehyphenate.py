"""Undo line-end hyphenation with word frequencies, keeping real compounds (well-known).

Rule (research/pdf-extraction.md §2.3): keep the hyphen when the right part starts with a
capital or a digit; otherwise join unless the hyphenated phrase is more frequent than the
joined word and the joined word is rare. Dashes (– —) are never hyphenation.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

HYPHENS = "-\u00ad\u2010\u2011\ufffe\x02"
_LEFT_WORD = re.compile(r"([A-Za-z\u00c0-\u024f]+)$")
_RIGHT_WORD = re.compile(r"^([A-Za-z\u00c0-\u024f]+)")


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def should_join(left: str, right: str) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line form one word."""
    if not left or not right or not right[0].isalpha() or right[0].isupper():
        return False
    joined = left + right
    z_joined = _zipf(joined.lower())
    if left[0].isupper():
        return z_joined >= 2.0 or _zipf(left.lower() + right) >= 2.0
    z_phrase = _zipf(f"{left}-{right}".lower())
    return not (z_phrase > z_joined and z_joined < 3.0)


def join_hyphenated(first: str, second: str) -> str | None:
    """Join two lines when ``first`` ends with a hyphenation; None if it does not.

    The soft hyphen and pdfium's hyphen markers always mean a broken word.
    """
    if not first or first[-1] not in HYPHENS:
        return None
    stem = first[:-1]
    if first[-1] in "\u00ad\ufffe\x02":
        return stem + second
    left = _LEFT_WORD.search(stem)
    right = _RIGHT_WORD.search(second)
    if left is None or right is None:
        return first + second
    if should_join(left.group(1), right.group(1)):
        return stem + second
    return first + second
