"""Portable Chinese + English full-text search: a shadow text indexed by stock FTS5.

SQLite's unicode61 tokenizer reads a run of Han characters as one token, so 魏都区 inside
魏都区召开… is never found. We index a *shadow* of each article instead, with the built-in
unicode61 tokenizer (design D′ of shared/research/cjk-search.md; docs/search.md):

* every CJK character is its own token;
* a run of Latin letters or digits stays one word, as unicode61 would make it;
* each space or punctuation character next to a CJK character becomes a token of its own (a
  private-use code, see ``gap_token``), so "中，国" is not the phrase 中国 and "许 昌" is not
  许昌; other spaces and punctuation separate words as usual.

A query term becomes a phrase of the same tokens (``fts_query``, ``fts_query_raw``), which makes
a Chinese term match exactly where ``instr()`` finds it, for any length from one character.
Text is NFKC-normalised first, so ５Ｇ finds 5G, and traditional and simplified forms are
folded together (``han_forms``), so 臺灣 finds 台湾 and the reverse; a search-box term written
``=臺灣`` (``EXACT_MARK``) finds that form only: the index gives the folded hits, and the
plugin keeps those where the exact form occurs (``exact_terms``).

The FTS table is contentless (``content=''``): the shadow is never stored, only the index.
Its rowid is the article's ``date_key`` (its date and id in one number), not its id, so that
the hits of a search come out newest first without reading the article rows.
:class:`pipelines.archive.Archive` writes index rows in the same transaction as the article
(no triggers: the shadow needs Python). Stock sqlite3 and Datasette still open the file.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

import sqlite_utils

from pipelines.archive import han_forms

FTS_TABLE = "articles_fts"
COLUMNS = ("kicker", "title", "subtitle", "byline", "body", "captions")
# bm25 weights, in COLUMNS order: a hit in the title counts most, then kicker and subtitle.
WEIGHTS = (5.0, 10.0, 5.0, 2.0, 1.0, 1.0)
# The rules that make the shadow text: raise it with any change to ``shadow_text`` or
# ``shadow_row``. The index is contentless, so an entry can only be deleted given the tokens it
# was indexed with; an index made under other rules (or columns) is rebuilt when the archive
# is opened (``ensure_search_index``), before anything is deleted from it.
SHADOW_RULES = 3
VERSIONS_TABLE = "index_versions"  # name of an index -> the version it was built with
# Beside the folded index: per article, the characters of its text that folding changed (臺,
# 灣 of 臺灣; none in most simplified text), so that a search for an exact form (=臺灣, =台湾)
# reads the text of only the hits that may hold another form (``forms_required``,
# ``forms_unsure``). Contentless too; a row only for articles that have such characters.
FORMS_TABLE = "articles_forms"

# Characters that are one token each: Han (with extensions), kana, Hangul, bopomofo, 々〆〇.
# Only letters and numbers, which unicode61 also reads as token characters.
CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3041-\u3096"
    "\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97c\uac00-\ud7a3\ud7b0-\ud7fb"
    "\uf900-\ufad9\U0001b000-\U0001b16f\U00020000-\U0003134f"
)
# A run of CJK characters | a word (letters/digits, not CJK) | a gap (space, punctuation…).
_PIECE = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)|([\W_]+)")


@lru_cache(maxsize=2)
def _needs_nfkc(astral: bool) -> re.Pattern:
    """Runs of characters that NFKC turns into (or changes as) letters or digits: full-width
    forms such as ５Ｇ, compatibility ideographs, circled numbers. Punctuation that NFKC
    changes (，→ ,) does not need it: ``gap_token`` normalises it. BMP characters only
    unless ``astral`` (a smaller class is much faster to scan)."""
    word = re.compile(r"[^\W_]")
    ranges: list[list[int]] = []
    for cp in range(0x30000 if astral else 0x10000):
        char = chr(cp)
        if 0xD800 <= cp < 0xE000 or (folded := unicodedata.normalize("NFKC", char)) == char:
            continue
        if not (word.match(char) or word.search(folded)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(re.escape(chr(a)) + "-" + re.escape(chr(b)) for a, b in ranges)
    return re.compile(f"[{body}]+")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _nfkc(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize(text: str) -> str:
    """NFKC where it makes letters or digits, so that ５Ｇ is 5G (punctuation is normalised
    by ``gap_token``). Cheap for the usual text, which has nothing else to change."""
    return _needs_nfkc(bool(_ASTRAL.search(text))).sub(_nfkc, text)


@lru_cache(maxsize=4096)
def gap_token(char: str) -> str:
    """The token(s) for a gap character next to CJK text: NFKC of it (so "，" is ","), each
    character as two private-use characters.

    unicode61 reads private-use characters as token characters, and no word of real text
    is made of them, so these tokens only ever match each other.
    """
    return " ".join(
        chr(0xE000 + (ord(c) >> 8)) + chr(0xF100 + (ord(c) & 0xFF))
        for c in unicodedata.normalize("NFKC", char)
    )


def gap_char(token: str) -> str | None:
    """The character a gap token stands for, or None when ``token`` is not a gap token."""
    if len(token) == 2 and "\ue000" <= token[0] < "\uf100" <= token[1] <= "\uf1ff":
        return chr(((ord(token[0]) - 0xE000) << 8) | (ord(token[1]) - 0xF100))
    return None


def shadow_text(text: str | None, *, fold: bool = True) -> str:
    """Return ``text`` as the space-separated tokens that unicode61 indexes (with Han
    characters in their folded form unless ``fold`` is false)."""
    if not text:
        return ""
    text = normalize(text)
    if fold:
        text = han_forms.fold(text)
    out: list[str] = []
    pieces = _PIECE.findall(text)
    last = len(pieces) - 1
    for i, (cjk, word, gap) in enumerate(pieces):
        if cjk:
            out.append(" ".join(cjk))
        elif word:
            out.append(word)
        elif (i > 0 and pieces[i - 1][0]) or (i < last and pieces[i + 1][0]):
            out.append(" ".join([gap_token(c) for c in gap]))
    if not out:
        # Only punctuation (say a query "，"): match it where it touches CJK text.
        out = [gap_token(c) for c in text if not c.isspace()]
        out = [t for t in out if t.strip()]
    return " ".join(out)


def tokens(text: str | None, *, fold: bool = True) -> list[str]:
    """The tokens of ``text`` as the index sees them (before unicode61 folds case); Han
    characters as written when ``fold`` is false."""
    return shadow_text(text, fold=fold).split()


def _phrase(text: str) -> str:
    """One FTS5 phrase of the tokens of ``text`` ("" when it has none)."""
    return '"' + " ".join(tokens(text)) + '"'


# A phrase that matches nothing and that Datasette's escape_fts leaves alone: one private-use
# character on its own is never a token (gap tokens are two characters).
NOTHING = '"\uf8ff"'
_ESCAPED_BITS = re.compile(r'\s+|(".*?")')


def query_terms(query: str) -> list[str]:
    """The terms of a search-box query, split like Datasette's ``escape_fts``: whitespace
    separates terms and "double quotes" keep a phrase (spaces included) together."""
    if query.count('"') % 2:
        query += '"'
    bits = [b for b in _ESCAPED_BITS.split(query) if b and b != '""']
    return [b[1:-1] if b.startswith('"') else b for b in bits]


EXACT_MARK = "="  # a search-box term =臺灣 finds that form only, not 台湾


def term_text(term: str) -> tuple[str, bool]:
    """A search-box term without its exact mark, and whether it had one."""
    if term.startswith(EXACT_MARK) and len(term) > len(EXACT_MARK):
        return term[len(EXACT_MARK):], True
    return term, False


def exact_terms(query: str) -> list[str]:
    """The terms of a search-box query marked exact (``=臺灣``) whose exact form finds less
    than the folded one: the hits must be checked against the text for these."""
    out = []
    for term in query_terms(query):
        text, exact = term_text(term)
        if exact and han_forms.has_other_forms(text):
            out.append(text)
    return out


def fts_query(query: str) -> str:
    """Translate a search-box query into FTS5: every term a phrase, terms ANDed.

    The result is left unchanged by Datasette's ``escape_fts``, so it can be passed where
    Datasette applies it. A query without terms gives ``NOTHING``. Terms marked exact are
    searched folded like the others (see ``exact_terms``).
    """
    phrases = [_phrase(term_text(term)[0]) for term in query_terms(query)]
    return " ".join(p for p in phrases if p != '""') or NOTHING


# FTS5 query syntax: spaces, "strings", the characters that are syntax, anything else (words).
_RAW_LEXEME = re.compile(r'(\s+)|("(?:[^"]|"")*"?)|([(){}:,+*^])|([^\s"(){}:,+*^]+)')
_OPERATORS = {"AND", "OR", "NOT"}


def fts_query_raw(query: str) -> str:
    """Translate an FTS5 query that uses operators (``_searchmode=raw``).

    OR, NOT, AND, NEAR(… , n), column filters (``title:``, ``{title body}:``, ``-body:``),
    ``*``, ``^``, ``+`` and parentheses are kept; every other word or "string" becomes a
    phrase of shadow tokens, exactly as in :func:`fts_query` (an exact mark, ``=臺灣``, is
    dropped: raw queries are always folded).
    """
    lexemes = [m.groups() for m in _RAW_LEXEME.finditer(query)]
    out: list[str] = []
    in_braces = False
    near_open = 0  # inside NEAR( … ): the distance after the last comma is kept
    for i, (space, string, syntax, word) in enumerate(lexemes):
        nxt = next((lx for lx in lexemes[i + 1 :] if not lx[0]), (None,) * 4)
        if space:
            out.append(" ")
        elif syntax:
            in_braces = (in_braces or syntax == "{") and syntax != "}"
            if syntax == ")" and near_open:
                near_open -= 1
            out.append(syntax)
        elif string:
            body = string[1:-1] if len(string) > 1 and string.endswith('"') else string[1:]
            out.append(_phrase(body.replace('""', '"')))
        elif word in _OPERATORS or in_braces or nxt[2] == ":":
            out.append(word)  # an operator or a column name
        elif word == "NEAR" and nxt[2] == "(":
            near_open += 1
            out.append(word)
        elif near_open and word.isdigit() and "".join(out).rstrip().endswith(","):
            out.append(word)  # the distance in NEAR(a b, 5)
        else:
            out.append(_phrase(term_text(word)[0]))  # =臺灣: folded here, like any term
    return "".join(out).strip() or NOTHING


def caption_list(value) -> list[str] | None:
    """The captions of a stored value (the archive keeps them as a JSON list), or None when
    the value is not such a list."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return [str(v) for v in value] if isinstance(value, list) else None


def _captions_text(value) -> str | None:
    """Captions as indexed: one per line."""
    captions = caption_list(value)
    return value if captions is None else "\n".join(captions)


def shadow_row(article: dict) -> dict:
    """The FTS row of an article (captions as stored: JSON text of a list)."""
    row = {column: article.get(column) for column in COLUMNS}
    row["captions"] = _captions_text(row["captions"])
    return {column: shadow_text(value) for column, value in row.items()}


def create_index(db: sqlite_utils.Database) -> None:
    """Create the empty contentless FTS5 index, with the bm25 column weights, and the index
    of the forms folded away (``FORMS_TABLE``)."""
    columns = ", ".join(COLUMNS)
    db.execute(
        f"create virtual table [{FTS_TABLE}] using fts5({columns}, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    weights = ", ".join(str(w) for w in WEIGHTS)
    db.execute(f"insert into [{FTS_TABLE}]([{FTS_TABLE}], rank) "
               f"values ('rank', 'bm25({weights})')")
    db.execute(f"create virtual table [{FORMS_TABLE}] using fts5(forms, content='', "
               "tokenize='unicode61 remove_diacritics 0')")


def forms_text(article: dict) -> str:
    """The characters of an article's indexed text that folding changes, each once, in code
    point order, space-separated ("" when there are none, as in most simplified text)."""
    texts = [article.get(c) for c in COLUMNS]
    texts[COLUMNS.index("captions")] = _captions_text(texts[COLUMNS.index("captions")])
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(han_forms.folded_away(normalize(text)))
    return " ".join(sorted(found))


def _forms_phrase(chars) -> list[str]:
    return [f'"{c}"' for c in sorted(set(chars))]


def forms_required(query: str) -> str | None:
    """An FTS5 query over ``FORMS_TABLE`` that an exact-form hit of ``query`` must match: it
    has every non-folded character written in its exact terms (臺 and 灣 for =臺灣); None when
    those terms are written in folded forms only (=台湾)."""
    chars = [c for term in exact_terms(query) for c in normalize(term)
             if han_forms.fold(c) != c]
    return " AND ".join(_forms_phrase(chars)) or None


def forms_unsure(query: str) -> str | None:
    """An FTS5 query over ``FORMS_TABLE`` for the hits of ``query`` whose text must be read
    to tell whether they hold the exact forms: those that also have another form of a
    character of a term written in folded forms (臺, 灣, 台 of 灣… for =台湾). Hits outside it
    have only the folded forms, so they are hits as they stand. None when every hit must be
    read (a term has characters written in a form folding changes: =臺灣)."""
    terms = exact_terms(query)
    if forms_required(query) is not None or not terms:
        return None
    others = [f for term in terms for c in normalize(term) for f in han_forms.forms(c)
              if f != c]
    return " OR ".join(_forms_phrase(others)) or None


# Indexes that keep search results fast on a large archive. The index refers to articles by
# ``date_key`` (see :func:`date_key`): the hits of a search, in key order, are its articles
# newest first, so listing the newest 50 of 100,000 hits reads 50 rows; counts and facets of
# a search read (date_key, paper, date, page_no) from this small covering index instead of
# the wide article rows.
SUPPORT_INDEXES = {  # name: (columns, unique)
    "articles_search_keys": (["date_key", "paper", "date", "page_no"], True),
    "articles_search_date": (["date"], False),
}
OLD_INDEXES = ("articles_search_ids",)  # replaced by articles_search_keys


ID_BITS = 32  # a date_key is (day << ID_BITS) | article id


def date_key(date: str | None, article_id: int) -> int:
    """An article's key in the search index: the days from 0001-01-01 to its date in the high
    bits, its id in the low ``ID_BITS`` (unique; rises with the date, then with the id)."""
    try:
        day = datetime.date.fromisoformat((date or "")[:10]).toordinal()
    except ValueError:
        day = 0
    return day << ID_BITS | article_id


def fill_date_keys(db: sqlite_utils.Database) -> int:
    """Set ``date_key`` where it is missing (an archive from before the column); return how
    many articles had none."""
    rows = db.execute("select id, date from articles where date_key is null").fetchall()
    db.conn.executemany(
        "update articles set date_key = ? where id = ?", [(date_key(d, i), i) for i, d in rows]
    )
    return len(rows)


def ensure_support_indexes(db: sqlite_utils.Database) -> None:
    """Create the indexes of ``SUPPORT_INDEXES`` that are missing (drop replaced ones)."""
    for name in OLD_INDEXES:
        db.execute(f"drop index if exists [{name}]")
    for name, (columns, unique) in SUPPORT_INDEXES.items():
        db["articles"].create_index(columns, index_name=name, if_not_exists=True, unique=unique)


def index_version() -> str:
    """The version of the index this code writes: its shadow rules, columns and the table
    that folds traditional and simplified forms."""
    return f"{SHADOW_RULES}:{','.join(COLUMNS)}:{han_forms.fingerprint()}"


def stored_version(db: sqlite_utils.Database) -> str | None:
    """The version the archive's index was built with (None: from before versions)."""
    if VERSIONS_TABLE not in db.table_names():
        return None
    row = db.execute(f"select version from [{VERSIONS_TABLE}] where name = ?",
                     [FTS_TABLE]).fetchone()
    return row[0] if row else None


def _record_version(db: sqlite_utils.Database) -> None:
    db[VERSIONS_TABLE].upsert(
        {"name": FTS_TABLE, "version": index_version(),
         "built_at": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()},
        pk="name",
    )


def ensure_search_index(db: sqlite_utils.Database) -> int | None:
    """Create the index and its support indexes on first use (existing ones are kept).

    An index built under other rules or columns (``stored_version`` is not
    ``index_version``), or an archive from before ``date_key``, is rebuilt from the
    articles: return how many articles were indexed then, else None."""
    if FTS_TABLE not in db.table_names():
        fill_date_keys(db)
        db.execute(f"drop table if exists {FORMS_TABLE}")
        create_index(db)
        _record_version(db)
    elif fill_date_keys(db) or stored_version(db) != index_version():
        return rebuild_index(db)
    ensure_support_indexes(db)
    return None


_SLOTS = ", ".join("?" * len(COLUMNS))
_INSERT = f"insert into {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) values (?, {_SLOTS})"
_DELETE = (
    f"insert into {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(COLUMNS)}) "
    f"values ('delete', ?, {_SLOTS})"
)


_INSERT_FORMS = f"insert into {FORMS_TABLE}(rowid, forms) values (?, ?)"
_DELETE_FORMS = f"insert into {FORMS_TABLE}({FORMS_TABLE}, rowid, forms) values ('delete', ?, ?)"


def index_article(db: sqlite_utils.Database, key: int, article: dict) -> None:
    """Add one article to the index under its ``date_key`` (the caller removes its old
    version first)."""
    row = shadow_row(article)
    db.execute(_INSERT, [key, *(row[c] for c in COLUMNS)])
    if forms := forms_text(article):
        db.execute(_INSERT_FORMS, [key, forms])


def unindex_article(db: sqlite_utils.Database, key: int, old: dict) -> None:
    """Remove an article from the contentless index, given its ``date_key`` and the text it
    was indexed with."""
    row = shadow_row(old)
    db.execute(_DELETE, [key, *(row[c] for c in COLUMNS)])
    if forms := forms_text(old):
        db.execute(_DELETE_FORMS, [key, forms])


def _index_rows(articles: Iterable[tuple[int, dict]]) -> tuple[list[list], list[list]]:
    """The FTS rows and the forms rows (where there are any) of ``(date_key, article)``."""
    rows, forms = [], []
    for key, article in articles:
        shadow = shadow_row(article)
        rows.append([key, *(shadow[c] for c in COLUMNS)])
        if changed := forms_text(article):
            forms.append([key, changed])
    return rows, forms


def index_articles(db: sqlite_utils.Database, articles: Iterable[tuple[int, dict]]) -> None:
    """``index_article`` for many ``(date_key, article)``, one prepared statement a table."""
    rows, forms = _index_rows(articles)
    db.conn.executemany(_INSERT, rows)
    db.conn.executemany(_INSERT_FORMS, forms)


def unindex_articles(db: sqlite_utils.Database, articles: Iterable[tuple[int, dict]]) -> None:
    """``unindex_article`` for many ``(date_key, article)``, one prepared statement a table."""
    rows, forms = _index_rows(articles)
    db.conn.executemany(_DELETE, rows)
    db.conn.executemany(_DELETE_FORMS, forms)


def _shadow_batch(rows: list[tuple]) -> tuple[list[list], list[list]]:
    """FTS rows ``[key, *COLUMNS]`` (shadow texts) and forms rows ``[key, forms]`` (where
    there are any) for ``(key, *COLUMNS)`` rows."""
    out, forms = [], []
    for key, *texts in rows:
        article = dict(zip(COLUMNS, texts, strict=True))
        shadow = shadow_row(article)
        out.append([key, *(shadow[c] for c in COLUMNS)])
        if changed := forms_text(article):
            forms.append([key, changed])
    return out, forms


def _shadow_batches(batches: Iterator[list[tuple]], workers: int) -> Iterator[tuple]:
    """Shadow batches in ``workers`` processes (in this one when 0), in order, with only a
    few batches in flight so memory stays small."""
    if workers <= 0:
        yield from map(_shadow_batch, batches)
        return
    context = multiprocessing.get_context("spawn")  # safe under Twisted/threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_shadow_batch, batch))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def rebuild_index(
    db: sqlite_utils.Database,
    *,
    batch: int = 1000,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Drop and rebuild the whole index from ``articles`` in one transaction; return the
    number of articles indexed. Shadows are computed in ``workers`` processes (default: one
    per CPU but one, none for small archives); ``progress(done)`` is called per batch.

    The transaction keeps searches consistent while it runs but holds the write lock:
    run it when no crawl is writing.
    """
    total = db.execute("select count(*) from articles").fetchone()[0]
    if workers is None:
        workers = (os.cpu_count() or 1) - 1 if total > 20 * batch else 0
    done = 0
    cache_size = db.execute("pragma cache_size").fetchone()[0]
    db.execute("pragma cache_size = -262144")  # 256 MB: the new index stays in memory
    with db.atomic():
        fill_date_keys(db)
        db.execute(f"drop table if exists {FTS_TABLE}")
        db.execute(f"drop table if exists {FORMS_TABLE}")
        create_index(db)
        cursor = db.conn.execute(
            f"select date_key, {', '.join(COLUMNS)} from articles order by date_key"
        )
        batches = iter(lambda: cursor.fetchmany(batch), [])
        # Bulk load: merge segments once at the end instead of while inserting.
        db.execute(f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('automerge', 0)")
        for values, forms in _shadow_batches(batches, workers):
            db.conn.executemany(_INSERT, values)
            db.conn.executemany(_INSERT_FORMS, forms)
            done += len(values)
            if progress:
                progress(done)
        db.execute(f"insert into {FTS_TABLE}({FTS_TABLE}) values ('optimize')")
        db.execute(f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('automerge', 4)")
        db.execute(f"insert into {FORMS_TABLE}({FORMS_TABLE}) values ('optimize')")
        ensure_support_indexes(db)
        _record_version(db)
    db.execute(f"pragma cache_size = {int(cache_size)}")
    return done
