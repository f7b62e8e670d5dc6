"""Undo line-end hyphenation with word frequencies, keeping real compounds (well-known).

Rule (research/pdf-extraction.md §2.3): keep the hyphen when the right part starts with a
capital or a digit (unless the whole word is set in capitals: INFORMA-TION); otherwise join
unless the joined word is rare (under ``WORD``) and the hyphenated phrase
is clearly more frequent (by ``PHRASE_MARGIN``) and common enough to be a compound of two
real words (``MIN_PHRASE``): a line-end hyphen is far more often a break than a compound's
own hyphen, and OCR noise (``re-nins``) or a rare word (``en-tablature``) gives no evidence
for a compound. Dashes (– —) are never hyphenation, nor a hyphen in an e-mail address or URL.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

HYPHENS = "-\u00ad\u2010\u2011\ufffe\x02"
_LEFT_WORD = re.compile(r"([A-Za-z\u00c0-\u024f]+)$")
_RIGHT_WORD = re.compile(r"^([A-Za-z\u00c0-\u024f]+)")
WORD = 2.5  # a joined word this common (zipf) is a word: the line-end hyphen was a break
CAPITALS_WORD = 2.0  # ... for a word set in capitals, whose own case wordfreq cannot see
PHRASE_MARGIN = 0.5  # zipf by which ``left-right`` must beat ``leftright`` to keep the hyphen
MIN_PHRASE = 2.0  # a rarer phrase is no evidence of a compound (its parts are hardly words)
_ADDRESS = re.compile(r"(?:@|://|\bwww\.)\S*$")  # the line ends inside an address or URL


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def should_join(left: str, right: str) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line form one word."""
    if not left or not right or not right[0].isalpha():
        return False
    joined = left + right
    z_joined = _zipf(joined.lower())
    if right[0].isupper():  # a word set in capitals breaks in capitals (INFORMA-TION)
        return left.isupper() and right.isupper() and z_joined >= CAPITALS_WORD
    if left[0].isupper():
        return z_joined >= 2.0 or _zipf(left.lower() + right) >= 2.0
    z_phrase = _zipf(f"{left}-{right}".lower())
    return not (z_joined < WORD and z_phrase >= max(z_joined + PHRASE_MARGIN, MIN_PHRASE))


def join_hyphenated(first: str, second: str) -> str | None:
    """Join two lines when ``first`` ends with a hyphenation; None if it does not.

    The soft hyphen and pdfium's hyphen markers always mean a broken word.
    """
    if not first or first[-1] not in HYPHENS:
        return None
    stem = first[:-1]
    if first[-1] in "\u00ad\ufffe\x02":
        return stem + second
    if _ADDRESS.search(stem):  # a hyphen in an e-mail address or URL is its own
        return first + second
    left = _LEFT_WORD.search(stem)
    right = _RIGHT_WORD.search(second)
    if left is None or right is None:
        return first + second
    if should_join(left.group(1), right.group(1)):
        return stem + second
    return first + second


# Some OCR text layers (iArchives over ABBYY) write a word broken at a line end whole on its
# first line, squeezed into the box of its first half, with a hyphen and a space put in
# before its last glyph or two (``how-eve- r,`` for ``how-ever,``, ``Al--i`` for ``Al-i``),
# and leave the second half out of the next line. Only words that keep a hyphen of their own
# come out so (the OCR joined the halves with it). Group 1: the word up to the put-in
# hyphen; group 2: its tail.
SQUEEZED = re.compile(r"(?:^|(?<=\s))(\S*-\S*?)- ?([^\s\-]{1,2})$")


def mend_squeezed(text: str) -> tuple[str, int, int] | None:
    """``text`` with a squeezed word at its end mended, the number of glyphs of the word
    before its tail and of the tail; None when the line does not end in that pattern (the
    caller checks that the glyphs are squeezed: set much smaller than the text around)."""
    m = SQUEEZED.search(text)
    if m is None:
        return None
    head, tail = m.group(1), m.group(2)
    return text[:m.start()] + head + tail, len(head) + 1, len(tail)
