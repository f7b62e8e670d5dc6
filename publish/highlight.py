"""Find a query's hits in the original article text: highlighted titles and snippets.

FTS5's own ``snippet()`` would show the shadow text (spaced characters, private-use gap
tokens), so hits are found again here, on the original text, with the same rules as the
index: NFKC and case folded, CJK characters and the punctuation next to them exact (but a
Han character stands for each of its traditional and simplified forms, unless the term is
marked exact: ``=臺灣``), Latin words whole. Hits are marked with ⟦ ⟧, readable in JSON and
CSV; :func:`marks_to_html` turns them into ``<mark>`` after escaping the text.
:func:`has_exact_forms` is what the search keeps of the index's folded hits for terms
marked exact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from pipelines.archive import han_forms
from pipelines.archive.search import (
    CJK,
    EXACT_MARK,
    caption_list,
    exact_terms,
    gap_char,
    normalize,
    query_terms,
    term_text,
    tokens,
)

MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"
_WORD_EDGE_BEFORE = rf"(?<![^\W_{CJK}])"
_WORD_EDGE_AFTER = rf"(?![^\W_{CJK}])"


def _is_word(token: str) -> bool:
    return gap_char(token) is None and not re.fullmatch(f"[{CJK}]", token)


def _char_pattern(token: str, exact: bool) -> str:
    """A CJK or gap token as a regex: a Han character matches each of its forms unless
    ``exact``."""
    char = gap_char(token) or token.lower()
    variants = char if exact else han_forms.forms(char)
    return re.escape(char) if len(variants) == 1 else f"[{re.escape(variants)}]"


def _term_pattern(term: str) -> str | None:
    """A regex for one query term over folded text (None when the term has no tokens)."""
    term, exact = term_text(term)
    toks = tokens(term, fold=not exact)
    if not toks:
        return None
    parts = []
    for i, tok in enumerate(toks):
        if i and _is_word(toks[i - 1]) and _is_word(tok):
            parts.append(r"[\W_]+")
        parts.append(re.escape(tok.lower()) if _is_word(tok) else _char_pattern(tok, exact))
    if _is_word(toks[0]):
        parts.insert(0, _WORD_EDGE_BEFORE)
    if _is_word(toks[-1]):
        parts.append(_WORD_EDGE_AFTER)
    return "".join(parts)


@lru_cache(maxsize=256)
def query_pattern(query: str) -> re.Pattern | None:
    """One regex matching any term of ``query`` in folded text (None: nothing to find)."""
    patterns = [p for p in map(_term_pattern, query_terms(query or "")) if p]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True)))


def _folded(text: str) -> tuple[str, list[int] | None]:
    """``text`` NFKC-normalised and lower-cased, with a map from folded to original offsets
    (None when they are the same offsets)."""
    lowered = text.lower()
    if len(lowered) == len(text) and unicodedata.is_normalized("NFKC", lowered):
        return lowered, None
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        out.append(folded)
        offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


def hits(text: str | None, query: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of every hit of a term of ``query``."""
    pattern = query_pattern(query)
    if not text or pattern is None:
        return []
    folded, offsets = _folded(text)
    spans = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
    if offsets is None:
        return spans
    return [(offsets[s], offsets[e - 1] + 1) for s, e in spans]


def has_exact_forms(query: str, *texts: str | None) -> bool:
    """Whether every term of ``query`` marked exact (``=臺灣``) occurs in that form in one of
    ``texts`` (a search keeps an index hit only then; captions as stored, a JSON list)."""
    for term in exact_terms(query):
        pattern = _exact_pattern(term)
        # CJK characters only (the usual term): the index's own normalisation is enough and
        # far cheaper than NFKC of Chinese text (its full-width punctuation) char by char.
        fold = normalize if _CJK_ONLY.fullmatch(term) else _nfkc_lower
        if not any(pattern.search(fold(_plain(t))) for t in texts if t):
            return False
    return True


_CJK_ONLY = re.compile(f"[{CJK}]+")


def _nfkc_lower(text: str) -> str:
    return _folded(text)[0]


_NEVER = r"(?!)"


@lru_cache(maxsize=256)
def _exact_pattern(term: str) -> re.Pattern:
    return re.compile(_term_pattern(EXACT_MARK + term) or _NEVER)


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, pos), min(e, end)
        if s >= e:
            continue
        out += [text[pos:s], MARK_OPEN, text[s:e], MARK_CLOSE]
        pos = e
    out.append(text[pos:end])
    return "".join(out)


def highlight(text: str | None, query: str) -> str | None:
    """``text`` with every hit of ``query`` between ⟦ and ⟧."""
    if not text:
        return text
    return _marked(text, hits(text, query), 0, len(text))


def _plain(text: str | None) -> str:
    """Captions (a JSON list in the archive) as one line; other text unchanged."""
    captions = caption_list(text)
    return (text or "") if captions is None else " / ".join(captions)


def snippet(query: str, *texts: str | None, size: int = 120, before: int = 30) -> str:
    """About ``size`` characters around the first hit in the first of ``texts`` that has
    one (else the start of the first text), hits marked, newlines as spaces."""
    plain = [_plain(t) for t in texts]
    text, spans = next(
        ((t, s) for t in plain if (s := hits(t, query))), (plain[0] if plain else "", [])
    )
    start = max(0, spans[0][0] - before) if spans else 0
    end = min(len(text), start + size)
    start = max(0, min(start, end - size))
    for s, e in spans:  # never cut a hit in two
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    body = _marked(text, spans, start, end).replace("\n", " ")
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def marks_to_html(value: str | None) -> Markup:
    """Escape ``value`` and turn its ⟦ ⟧ hit marks into ``<mark>`` elements."""
    escaped = str(escape(value or ""))
    return Markup(
        escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    )
