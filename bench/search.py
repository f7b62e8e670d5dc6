"""Search benchmark: index size, build time, and latency through Datasette.

    .venv/bin/python bench/search.py                     # 1,000,000 articles
    .venv/bin/python bench/search.py --articles 20000    # a quick run

Builds a synthetic archive under bench/out/ (not committed): articles of about 1,000
characters, Chinese words drawn by frequency from wordfreq's word list with punctuation and
paragraphs, English sentences mixed in, and a few rare phrases sprinkled in. Articles are
loaded with plain SQL, then the search index is built by ``rebuild_index`` (what
``newsarchive reindex`` runs). Prints:

* index size over the article text it covers (UTF-8 bytes of title, byline, body, captions;
  the synthetic articles have no kicker or subtitle), the forms index included;
* index build time, and the cost of the index in ``Archive.save_page`` (one 10-article page);
* for 20 queries: hits through Datasette's JSON API compared with ``instr()`` ground truth,
  and p50/p95 latency of the JSON API and of the ranked search page (real HTTP, uvicorn on
  127.0.0.1, warm cache).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.archive import Archive, han_forms  # noqa: E402
from pipelines.archive.search import (  # noqa: E402
    CJK,
    FORMS_TABLE,
    FTS_TABLE,
    SUPPORT_INDEXES,
    date_key,
    fts_query,
    normalize,
    query_terms,
    rebuild_index,
    term_text,
)

PAPERS = ["xcrb", "hnrb", "zzrb", "lyrb", "kfrb"]
RARE = ["营商环境", "党的二十大", "纳米气凝胶毡", "魏都区", "5G网络", "５Ｇ基站", "疫情防控"]
ENGLISH_RARE = ["business environment", "aerogel"]
# Two-character words as researchers search them (0.1–10 % of articles in this corpus) …
QUERIES_2 = ["疫情", "环保", "扶贫", "医保", "养老", "就业", "旅游", "高铁", "交通", "许昌"]
# … and very common words, reported on their own (most articles contain them).
QUERIES_COMMON = ["中国", "发展", "教育"]
# Terms marked exact (=就业: that form only), against the same words folded.
QUERIES_EXACT = ["=就业", "=医保", "=旅游"]
QUERIES_OTHER = [
    "营商环境",
    "魏都区",
    "党的二十大",
    "纳米气凝胶毡",
    "疫",
    "疫情 就业",
    "business",
    '"business environment"',
    "５Ｇ",
    "5G网络",
]
QUERIES = QUERIES_2 + QUERIES_OTHER
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]+")
_WORD_EDGE = re.compile(rf"^[^\W_{CJK}]|[^\W_{CJK}]$")


class Vocabulary:
    """Words drawn by frequency: a table in which each word appears in proportion to its
    frequency (words rarer than 1 in 2 million drop out), so a draw is one index."""

    SIZE = 1 << 21

    def __init__(self, lang: str, pattern: re.Pattern, size: int):
        import wordfreq

        freq = wordfreq.get_frequency_dict(lang)
        items = sorted(
            ((w, f) for w, f in freq.items() if pattern.fullmatch(w)), key=lambda kv: -kv[1]
        )[:size]
        total = sum(f for _, f in items)
        self.table = [w for w, f in items for _ in range(round(f / total * self.SIZE))]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.table, k=k)


_VOCAB: dict[str, Vocabulary] = {}


def vocab(lang: str) -> Vocabulary:
    if lang not in _VOCAB:
        _VOCAB[lang] = (
            Vocabulary("zh", _CJK_WORD, 60000)
            if lang == "zh"
            else Vocabulary("en", _LATIN_WORD, 30000)
        )
    return _VOCAB[lang]


def chinese_paragraph(rng: random.Random, words: list[str]) -> str:
    """Sentences of 1–4 clauses of 4–12 words each, with Chinese punctuation."""
    out, i = [], 0
    while i < len(words):
        for clause in range(rng.randint(1, 4)):
            n = rng.randint(4, 12)
            chunk = words[i : i + n]
            i += n
            if rng.random() < 0.0005:  # each phrase in about 0.7 % of the articles
                chunk.insert(rng.randrange(len(chunk) + 1), rng.choice(RARE))
            out.append("".join(chunk))
            out.append("，" if clause < 3 and i < len(words) else rng.choice("。。。！？"))
            if i >= len(words):
                break
        if out[-1] == "，":
            out[-1] = "。"
        if rng.random() < 0.1:
            english = vocab("en").sample(rng, rng.randint(6, 14))
            if rng.random() < 0.003:
                english.insert(rng.randrange(len(english) + 1), rng.choice(ENGLISH_RARE))
            out.append(" ".join(english).capitalize() + ". ")
    return "".join(out).strip()


def article(rng: random.Random, target: int = 1000) -> dict:
    """One synthetic article of about ``target`` characters (Chinese words average 1.8)."""
    words = vocab("zh").sample(rng, target * 10 // 18 + rng.randint(-60, 60))
    cuts = sorted(rng.sample(range(1, len(words)), rng.randint(3, 9)))
    bounds = zip([0, *cuts], [*cuts, len(words)], strict=True)
    paragraphs = [chinese_paragraph(rng, words[a:b]) for a, b in bounds]
    captions = ["".join(vocab("zh").sample(rng, 6)) + " 记者 摄" for _ in range(rng.randint(0, 2))]
    return {
        "title": "".join(vocab("zh").sample(rng, rng.randint(3, 8))),
        "byline": "本报记者 " + "".join(vocab("zh").sample(rng, 1)),
        "body": "\n".join(p for p in paragraphs if p),
        "captions": json.dumps(captions, ensure_ascii=False),
    }


def _chunk(args: tuple[int, int, int]) -> list[tuple]:
    """Article rows first..first+count-1 (deterministic per chunk, for a process pool)."""
    seed, first, count = args
    rng = random.Random(seed * 1_000_003 + first)
    rows = []
    for article_id in range(first, first + count):
        page_id = (article_id - 1) // 10 + 1
        a = article(rng)
        rows.append(
            (
                article_id,
                page_id,
                (article_id - 1) % 10 + 1,
                a["title"],
                a["byline"],
                a["body"],
                a["captions"],
            )
        )
    return rows


def build(path: Path, n: int, seed: int, workers: int, distinct: int = 0) -> dict:
    """Create the archive with ``n`` articles (10 per page), then build the index; with
    ``distinct``, from that many articles repeated (``build_repeated``)."""
    if distinct and distinct < n:
        return build_repeated(path, n, seed, workers, distinct)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Archive(path).close()  # schema and an empty index, as the pipeline creates them
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = normal")
    for paper in PAPERS:
        conn.execute("insert into papers(id, name) values (?, ?)", [paper, paper.upper()])
    t0 = time.perf_counter()
    chunk = 5000
    jobs = [(seed, first, min(chunk, n - first + 1)) for first in range(1, n + 1, chunk)]
    with multiprocessing.Pool(workers) as pool:
        for rows in pool.imap(_chunk, jobs):
            pages = {r[1] for r in rows}
            conn.executemany(
                "insert or ignore into pages(id, paper, date, page_no, status, pdf_url) "
                "values (?, ?, ?, ?, 'ok', ?)",
                [
                    (
                        p,
                        PAPERS[p % len(PAPERS)],
                        _date(p),
                        p % 8 + 1,
                        f"https://example.org/{p}.pdf",
                    )
                    for p in pages
                ],
            )
            conn.executemany(
                "insert into articles(id, page_id, seq, paper, date, page_no, title, byline, "
                "body, captions, date_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r[0],
                        r[1],
                        r[2],
                        PAPERS[r[1] % len(PAPERS)],
                        _date(r[1]),
                        r[1] % 8 + 1,
                        *r[3:],
                        date_key(_date(r[1]), r[0]),
                    )
                    for r in rows
                ],
            )
            conn.commit()
            print(f"\r  articles {rows[-1][0]:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    conn.execute("analyze")
    conn.commit()
    conn.close()
    load = time.perf_counter() - t0

    import sqlite_utils

    db = sqlite_utils.Database(path)
    t0 = time.perf_counter()
    rebuild_index(db, progress=lambda d: print(f"\r  indexed {d:,}/{n:,}", end="", file=sys.stderr))
    print(file=sys.stderr)
    index_time = time.perf_counter() - t0
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
    return {"load_s": load, "index_s": index_time}


def _page_rows(pages) -> list[tuple]:
    return [(p, PAPERS[p % len(PAPERS)], _date(p), p % 8 + 1, f"https://example.org/{p}.pdf")
            for p in pages]


def _shadow_chunk(rows: list[tuple]) -> list[tuple]:
    """The index's shadow texts (COLUMNS order) and forms text of corpus rows (id, page,
    seq, title, byline, body, captions)."""
    from pipelines.archive.search import COLUMNS, forms_text, shadow_row

    out = []
    for r in rows:
        article = {"title": r[3], "byline": r[4], "body": r[5], "captions": r[6]}
        shadow = shadow_row(article)
        out.append((tuple(shadow[c] for c in COLUMNS), forms_text(article)))
    return out


def build_repeated(path: Path, n: int, seed: int, workers: int, distinct: int) -> dict:
    """The fast build: ``distinct`` synthetic articles are made and shadowed once, then
    written ``n / distinct`` times each, under new ids, pages and dates, with plain SQL, and
    their index rows inserted from the shadows made once. The index holds what
    ``rebuild_index`` would write for the same articles (the same ``shadow_row``, the same
    keys); hit counts scale with ``n`` as in the full build, and the build takes minutes
    instead of an hour at a million articles."""
    from pipelines.archive.search import COLUMNS

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Archive(path).close()  # schema, an empty index and its version, as the pipeline does
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = off")
    conn.execute("pragma cache_size = -262144")
    for paper in PAPERS:
        conn.execute("insert into papers(id, name) values (?, ?)", [paper, paper.upper()])
    t0 = time.perf_counter()
    chunk = 2000
    jobs = [(seed, first, min(chunk, distinct - first + 1))
            for first in range(1, distinct + 1, chunk)]
    with multiprocessing.Pool(workers) as pool:
        corpus = [r for rows in pool.imap(_chunk, jobs) for r in rows]
        shadows = [s for rows in pool.imap(_shadow_chunk, (corpus[i:i + chunk] for i in
                   range(0, distinct, chunk))) for s in rows]
    made = time.perf_counter() - t0
    print(f"  {distinct:,} distinct articles made and shadowed in {made:.0f} s",
          file=sys.stderr)
    conn.execute(f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('automerge', 0)")
    insert_fts = (f"insert into {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) "
                  f"values (?, {', '.join('?' * len(COLUMNS))})")
    insert_forms = f"insert into {FORMS_TABLE}(rowid, forms) values (?, ?)"
    batch = 10_000
    for first in range(1, n + 1, batch):
        ids = range(first, min(first + batch, n + 1))
        pages = {(i - 1) // 10 + 1 for i in ids}
        conn.executemany("insert into pages(id, paper, date, page_no, status, pdf_url) "
                         "values (?, ?, ?, ?, 'ok', ?)", _page_rows(sorted(pages)))
        rows, index, forms = [], [], []
        for i in ids:
            page = (i - 1) // 10 + 1
            k = (i - 1) % distinct
            src, date = corpus[k], _date(page)
            key = date_key(date, i)
            rows.append((i, page, (i - 1) % 10 + 1, PAPERS[page % len(PAPERS)], date,
                         page % 8 + 1, *src[3:], key))
            index.append((key, *shadows[k][0]))
            if shadows[k][1]:
                forms.append((key, shadows[k][1]))
        conn.executemany(
            "insert into articles(id, page_id, seq, paper, date, page_no, title, byline, "
            "body, captions, date_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(insert_fts, index)
        conn.executemany(insert_forms, forms)
        conn.commit()
        print(f"\r  articles and index {ids[-1]:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    conn.execute(f"insert into {FTS_TABLE}({FTS_TABLE}) values ('optimize')")
    conn.execute(f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('automerge', 4)")
    conn.execute("analyze")
    conn.commit()
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return {"load_s": load, "index_s": time.perf_counter() - t1, "repeated": True}


def _date(page_id: int) -> str:
    day = page_id // 40  # 40 pages (400 articles) a day across the papers
    return time.strftime("%Y-%m-%d", time.gmtime(946684800 + day * 86400))


def sizes(path: Path) -> dict:
    """Bytes of article text covered by the index, and bytes search adds (the index, its
    support indexes and the date_key column)."""
    conn = sqlite3.connect(path)
    text = conn.execute(
        "select sum(length(cast(coalesce(title, '') as blob)) + length(cast(coalesce(byline, '')"
        " as blob)) + length(cast(coalesce(body, '') as blob)) + "
        "length(cast(coalesce(captions, '') as blob))) from articles"
    ).fetchone()[0]
    index = conn.execute(
        "select sum(pgsize) from dbstat where name like ? or name like ? or name in ({})".format(
            ", ".join("?" * len(SUPPORT_INDEXES))
        ),
        [FTS_TABLE + "%", FORMS_TABLE + "%", *SUPPORT_INDEXES],
    ).fetchone()[0]
    index += conn.execute(  # the date_key column: an 8-byte integer per article
        "select 8 * count(*) from articles where date_key is not null"
    ).fetchone()[0]
    total = conn.execute("select sum(pgsize) from dbstat").fetchone()[0]
    conn.close()
    return {"text_bytes": text, "index_bytes": index, "db_bytes": total}


def save_page_cost(tmp: Path, seed: int) -> dict:
    """ms per 10-article page written by Archive.save_page, with and without the index."""
    from pipelines.archive import search

    rng = random.Random(seed)
    pages = [[article(rng) for _ in range(10)] for _ in range(60)]
    for a in itertools.chain.from_iterable(pages):
        a["captions"] = json.loads(a["captions"])
    result = {}
    original = (search.index_article, search.unindex_article)
    for label, indexed in (("with_index", True), ("without_index", False)):
        path = tmp / f"save_page_{label}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if not indexed:
            search.index_article = search.unindex_article = lambda *a, **k: None
        try:
            with Archive(path) as archive:
                t0 = time.perf_counter()
                for i, arts in enumerate(pages):
                    page = {"paper": "xcrb", "date": "2023-06-16", "page_no": i + 1, "status": "ok"}
                    archive.save_page(page, arts)
                result[label] = (time.perf_counter() - t0) / len(pages) * 1000
        finally:
            search.index_article, search.unindex_article = original
    return result


def _matcher(term: str):
    """instr() on folded text (NFKC, case, traditional/simplified; not the last for a term
    marked exact, which is then matched against text not folded either: see truth_counts); a
    term that starts or ends with a Latin letter or digit must also start or end a word there
    (search is word search for English)."""
    term, exact = term_text(term)
    term = normalize(term).lower() if exact else han_forms.fold(normalize(term)).lower()
    if not _WORD_EDGE.search(term):
        return lambda text: term in text
    pattern = re.compile(rf"(?<![^\W_{CJK}]){re.escape(term)}(?![^\W_{CJK}])")
    return lambda text: pattern.search(text) is not None


def truth_counts(path: Path, queries: list[str]) -> dict[str, int]:
    """Ground truth over NFKC + lower-cased text (see _matcher), one pass over all articles."""
    matchers = {q: [(term_text(t)[1], _matcher(t)) for t in query_terms(q)] for q in queries}
    counts = dict.fromkeys(queries, 0)
    conn = sqlite3.connect(path)
    cursor = conn.execute("select title, byline, body, captions from articles")
    while rows := cursor.fetchmany(5000):
        for row in rows:
            plain = [normalize(f).lower() for f in row if f]
            fields = {False: [han_forms.fold(f) for f in plain], True: plain}
            for q, ms in matchers.items():
                if all(any(m(f) for f in fields[exact]) for exact, m in ms):
                    counts[q] += 1
    conn.close()
    return counts


def fts_counts(path: Path, queries: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(path)
    sql = f"select count(*) from {FTS_TABLE} where {FTS_TABLE} match ?"
    counts = {q: conn.execute(sql, [fts_query(q)]).fetchone()[0] for q in queries}
    conn.close()
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    code = f"from publish.server import serve; serve({str(path)!r}, port={port})"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def timed(client: httpx.Client, url: str, params: dict) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    response = client.get(url, params=params)
    return (time.perf_counter() - t0) * 1000, response


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def latency(base: str, queries: list[str], repeats: int) -> tuple[dict, dict]:
    """Per-query timings (ms) of the JSON API and the ranked page; JSON hit counts."""
    times: dict[str, dict[str, list[float]]] = {}
    counts: dict[str, int | str] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for q in queries:
            urls = {
                "json": ("/archive/articles.json", {"_search": q}),
                "ranked": ("/archive/search", {"q": q}),
                "ranked_json": ("/archive/search.json", {"q": q}),
            }
            times[q] = {}
            for name, (url, params) in urls.items():
                _, response = timed(client, url, params)  # warm up
                if name == "json":
                    ok = response.status_code == 200
                    counts[q] = (response.json()["filtered_table_rows_count"] if ok
                                 else f"HTTP {response.status_code}")
                times[q][name] = [timed(client, url, params)[0] for _ in range(repeats)]
    return times, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per query")
    parser.add_argument("--reuse", action="store_true", help="reuse an archive already built")
    parser.add_argument("--no-verify", action="store_true", help="skip the instr() pass")
    parser.add_argument("--distinct", type=int, default=0, help="build from this many "
                        "distinct articles, repeated (fast); 0: every article its own")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"search-{args.articles}.db"

    print(f"search benchmark: {args.articles:,} articles, {path}")
    if not (args.reuse and path.exists()):
        b = build(path, args.articles, args.seed, args.workers, args.distinct)
        if b.get("repeated"):
            print(f"fast build from {args.distinct:,} distinct articles: articles and index "
                  f"{b['load_s']:.1f} s, optimize {b['index_s']:.1f} s")
        else:
            print(f"load articles (plain SQL): {b['load_s']:.1f} s")
            print(
                f"build index (rebuild_index): {b['index_s']:.1f} s "
                f"({b['index_s'] / args.articles * 1e6:.0f} µs per article)"
            )
    s = sizes(path)
    print(
        f"article text covered: {s['text_bytes'] / 1e6:,.1f} MB; search adds (FTS index and "
        f"support indexes): {s['index_bytes'] / 1e6:,.1f} MB = "
        f"{s['index_bytes'] / s['text_bytes']:.2f} x the text (database pages in use "
        f"{s['db_bytes'] / 1e6:,.1f} MB)"
    )
    cost = save_page_cost(args.out, args.seed)
    print(
        f"Archive.save_page, 10 articles: {cost['with_index']:.1f} ms with the index, "
        f"{cost['without_index']:.1f} ms without"
    )

    proc, base = start_server(path)
    try:
        times, json_counts = latency(base, QUERIES + QUERIES_COMMON + QUERIES_EXACT,
                                     args.repeats)
    finally:
        proc.terminate()
        proc.wait(10)
    everything = QUERIES + QUERIES_COMMON + QUERIES_EXACT
    direct = fts_counts(path, everything)
    truth = None if args.no_verify else truth_counts(path, everything)

    print(f"\n{'query':<24}{'hits':>10}{'instr()':>10}  {'json p50':>9}{'ranked p50':>11}")
    for q in everything:
        t = times[q]
        mark = (
            "" if truth is None else ("ok" if json_counts[q] == direct[q] == truth[q] else "DIFF")
        )
        print(
            f"{q:<24}{json_counts[q]:>10}{'' if truth is None else truth[q]:>10}  "
            f"{statistics.median(t['json']):>8.0f} {statistics.median(t['ranked']):>10.0f}  {mark}"
        )
    groups = {
        "JSON API, 2-character Chinese": [v for q in QUERIES_2 for v in times[q]["json"]],
        "JSON API, all 20 queries": [v for q in QUERIES for v in times[q]["json"]],
        "ranked page (HTML), all 20": [v for q in QUERIES for v in times[q]["ranked"]],
        "ranked JSON, all 20": [v for q in QUERIES for v in times[q]["ranked_json"]],
        "JSON API, very common words": [v for q in QUERIES_COMMON for v in times[q]["json"]],
        "ranked page, very common words": [v for q in QUERIES_COMMON for v in times[q]["ranked"]],
        "JSON API, the words of =words": [v for q in QUERIES_EXACT for v in times[q[1:]]["json"]],
        "JSON API, =words (exact form)": [v for q in QUERIES_EXACT for v in times[q]["json"]],
        "ranked page, =words (exact form)": [v for q in QUERIES_EXACT for v in times[q]["ranked"]],
    }
    print()
    for name, values in groups.items():
        print(f"{name:<34} p50 {pct(values, 50):7.0f} ms   p95 {pct(values, 95):7.0f} ms")
    if truth is not None:
        exact = all(json_counts[q] == direct[q] == truth[q] for q in everything)
        print(f"\nhits equal instr() truth on every query: {'yes' if exact else 'NO'}")


if __name__ == "__main__":
    main()
