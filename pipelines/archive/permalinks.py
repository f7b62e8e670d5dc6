"""Stable article keys for permalinks and citations.

An article's id follows its slot on the page (``Archive._replace_articles``), so a better
extraction that reorders a page would move a cited id to another article. The key is made
from what identifies the article instead: paper, date, page and its heading,
``xcrb-20230616-01-3f2a9c1b`` (the text's hash; the body's start when there is no title).
When a re-extraction changes the heading, the old key is kept as an alias
(``article_aliases``) of the new article whose text is most like the old one's, so a
permalink once given out keeps resolving.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from difflib import SequenceMatcher

import sqlite_utils

ALIASES = "article_aliases"
SAME_ARTICLE = 0.6  # text similarity (0-1) above which a new article replaces an old one
_COMPARED = 400  # characters of each text compared
_NOT_TEXT = re.compile(r"[\W_]+")
_HEADING_CHARS = 60  # body characters keyed when an article has no title


def _normal(text: str | None) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text or "").lower())


def article_key(paper: str, date: str, page_no: int, article: dict) -> str:
    """The key of an article (before telling apart two of the same heading on a page)."""
    heading = _normal(article.get("title")) or _normal(article.get("body"))[:_HEADING_CHARS]
    digest = hashlib.sha1(heading.encode()).hexdigest()[:8]
    return f"{paper}-{(date or '').replace('-', '')}-{int(page_no or 0):02d}-{digest}"


def assign_keys(rows: list[dict]) -> None:
    """Set ``key`` on a page's article rows; the second article with the same heading gets
    ``-2``, the third ``-3`` (in reading order)."""
    seen: dict[str, int] = {}
    for row in rows:
        key = article_key(row["paper"], row["date"], row["page_no"], row)
        seen[key] = seen.get(key, 0) + 1
        row["key"] = key if seen[key] == 1 else f"{key}-{seen[key]}"


def _text(row: dict) -> str:
    return (_normal(row.get("title")) + _normal(row.get("body")))[:_COMPARED]


def successors(old: list[dict], new: list[dict]) -> dict[str, str]:
    """For each old article whose key is gone, the key of the new article most like it
    (when one is at least ``SAME_ARTICLE`` alike)."""
    new_keys = {r["key"] for r in new}
    out = {}
    for previous in old:
        if not previous.get("key") or previous["key"] in new_keys:
            continue
        text = _text(previous)
        best, score = None, SAME_ARTICLE
        for row in new:
            ratio = SequenceMatcher(None, text, _text(row), autojunk=False).ratio()
            if ratio >= score:
                best, score = row["key"], ratio
        if best:
            out[previous["key"]] = best
    return out


def record_aliases(db: sqlite_utils.Database, moved: dict[str, str]) -> None:
    """Remember that the old keys now mean the new ones (aliases pointing at an old key are
    moved on too, so a key resolves in one step)."""
    for old, new in moved.items():
        db.execute(f"update {ALIASES} set target = ? where target = ?", [new, old])
        db.execute(f"insert or replace into {ALIASES} (key, target) values (?, ?)", [old, new])


def ensure_keys(db: sqlite_utils.Database) -> int:
    """Give every article without a key its key (an archive from before keys); return how
    many had none. Also creates the alias table and the unique index on keys."""
    if not db[ALIASES].exists():
        db[ALIASES].create({"key": str, "target": str}, pk="key")
    names = ("id", "page_id", "paper", "date", "page_no", "title", "body")
    rows = [dict(zip(names, r, strict=True))
            for r in db.execute(
                "select id, page_id, paper, date, page_no, title, body from articles "
                "where page_id in (select distinct page_id from articles where key is null) "
                "order by page_id, seq").fetchall()]
    by_page: dict[int, list[dict]] = {}
    for row in rows:
        by_page.setdefault(row["page_id"], []).append(row)
    for page_rows in by_page.values():
        assign_keys(page_rows)
    db.conn.executemany("update articles set key = ? where id = ?",
                        [(r["key"], r["id"]) for r in rows])
    db["articles"].create_index(["key"], index_name="idx_articles_key", unique=True,
                                if_not_exists=True)
    return len(rows)
