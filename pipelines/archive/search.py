"""Portable Chinese + English full-text search: a shadow text indexed by stock FTS5.

SQLite's unicode61 tokenizer reads a run of Han characters as one token, so 魏都区 inside
魏都区召开… is never found. We index a *shadow* of each article in which every CJK
character is its own token (and punctuation or spacing between CJK characters is a sentinel
token, so a phrase cannot match across "，"), with the built-in unicode61 tokenizer. A user's
query becomes phrases of the same tokens (``fts_query``). Decision and measurements:
shared/research/cjk-search.md (design D′); stock sqlite3 and Datasette can open the file.

The FTS table is contentless (``content=''``): the shadow text is not stored a second time,
only the index. Rows are written and deleted by :class:`pipelines.archive.Archive` in the same
transaction as the article (no triggers: the shadow needs Python).
"""

from __future__ import annotations

import re

import sqlite_utils

FTS_TABLE = "articles_fts"
COLUMNS = ("title", "byline", "body", "captions")
# bm25 weights, in COLUMNS order: a hit in the title counts most.
WEIGHTS = (10.0, 2.0, 1.0, 1.0)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\U00020000-\U0002ebef"
SENTINEL = "\ue000"  # a private-use character: a token that no query word can contain
_CJK_CHAR = re.compile(f"[{CJK}]")
# A run of characters unicode61 does not index (spaces, punctuation) next to a CJK char.
_GAP_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[\W_]+|[\W_]+(?=[{CJK}])")


def shadow_text(text: str | None) -> str:
    """Return ``text`` with each CJK character a token and CJK-adjacent gaps a sentinel."""
    if not text:
        return ""
    text = _GAP_NEAR_CJK.sub(f" {SENTINEL} ", text)
    return _CJK_CHAR.sub(lambda m: f" {m.group()} ", text)


def fts_query(query: str) -> str:
    """Turn a user's query into FTS5 phrases: whitespace-separated terms are ANDed."""
    phrases = []
    for term in query.split():
        tokens = shadow_text(term).split()
        if tokens:
            phrases.append('"' + " ".join(t.replace('"', '""') for t in tokens) + '"')
    return " ".join(phrases)


def shadow_row(article: dict) -> dict:
    """The FTS row of an article (captions as stored: JSON text of a list)."""
    return {column: shadow_text(article.get(column)) for column in COLUMNS}


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create the contentless FTS5 index and set its bm25 column weights."""
    if FTS_TABLE in db.table_names():
        return
    columns = ", ".join(COLUMNS)
    db.execute(
        f"create virtual table {FTS_TABLE} using fts5({columns}, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    weights = ", ".join(str(w) for w in WEIGHTS)
    db.execute(f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('rank', 'bm25({weights})')")


def index_article(db: sqlite_utils.Database, article_id: int, article: dict) -> None:
    """Add one article to the index (the caller removes its old version first)."""
    row = shadow_row(article)
    db.execute(
        f"insert into {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)",
        [article_id, *(row[c] for c in COLUMNS)],
    )


def unindex_article(db: sqlite_utils.Database, article_id: int, old: dict) -> None:
    """Remove an article from the contentless index, given the text it was indexed with."""
    row = shadow_row(old)
    db.execute(
        f"insert into {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(COLUMNS)}) "
        "values ('delete', ?, ?, ?, ?, ?)",
        [article_id, *(row[c] for c in COLUMNS)],
    )
