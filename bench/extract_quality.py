"""Extraction quality: the practice pages' line (the shared scorer's figures), our own
generated pages' line against naive pdfplumber, and the real corpus checks.

Run: ``.venv/bin/python bench/extract_quality.py [--pages N] [--seed S] [--source pypdfium2]
[--split both|tune|held_out|none] [--save FILE | --compare FILE]``

The practice pages (``../shared/corpus/practice``, typeset by someone else) are the figure that
counts (issue #12); they are scored by ``../shared/tools/score_pages.py`` itself, in process.
The real corpus line gives, per PDF, the Han characters that come out against pdfplumber's
reading, and the Han|Han line breaks left in 人民日报's bodies. ``--save`` writes the text of
every practice and real page to a file; ``--compare`` prints which pages' text changed since:
a change that alters text on any of them is understood before it lands. Our own pages come
in two halves of styles (``crawler.demo.editions.STYLES``: byline placement, type size and
leading, spacing operators, column rules, photo placement): rules are tuned on the first and
measured on the second.

Figures of our own pages (whitespace removed before comparing):

* order error  - edit distance of each true article body to its best-matching span of the
  page's output text, summed over all true characters;
* whole        - share of articles whose matched output body has CER <= 5%;
* titles / bylines exact - share of true titles (bylines) reproduced exactly;
* extra CJK spaces - spaces between two CJK glyphs beyond the truth's, per 1000 chars.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber  # noqa: E402

from crawler.demo.editions import broadsheet_specs  # noqa: E402
from crawler.demo.typesetter import typeset_page  # noqa: E402
from pipelines.extract import extract_pdf  # noqa: E402
from tests.corpora import (  # noqa: E402
    FIGURES,
    PRACTICE_CORPUS,
    REAL_CORPUS,
    SCORER,
    archived_han,
    load_scorer,
    pdfplumber_han,
    practice_line,
    practice_pages,
)

_WS = re.compile(r"\s+")
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’…—·]"
_CJK_SPACE = re.compile(rf"(?<={_CJK}) +(?={_CJK})")
FIELDS = ("kicker", "title", "subtitle", "byline", "body")


def squash(text: str | None) -> str:
    return _WS.sub("", text or "")


def levenshtein(a: str, b: str) -> int:
    """Plain edit distance (two rows)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def span_distance(needle: str, hay: str) -> int:
    """Edit distance of ``needle`` to its best-matching substring of ``hay``."""
    if not needle:
        return 0
    prev = [0] * (len(hay) + 1)  # free start anywhere in hay
    for i, cn in enumerate(needle, 1):
        cur = [i]
        for j, ch in enumerate(hay, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cn != ch)))
        prev = cur
    return min(prev)  # free end


def _grams(text: str, n: int = 3) -> set[str]:
    return {text[i:i + n] for i in range(max(len(text) - n + 1, 0))}


def windowed_span_distance(needle: str, hay: str) -> int:
    """span_distance restricted to the region of ``hay`` sharing most 3-grams with needle."""
    if len(hay) <= 3 * len(needle) + 200:
        return span_distance(needle, hay)
    grams = _grams(needle)
    width = len(needle) + 100
    step = max(len(needle) // 4, 20)
    best, best_at = -1, 0
    for start in range(0, max(len(hay) - width, 0) + step, step):
        score = len(grams & _grams(hay[start:start + width]))
        if score > best:
            best, best_at = score, start
    lo = max(best_at - len(needle), 0)
    return span_distance(needle, hay[lo:best_at + width + len(needle)])


def page_text(articles: list[dict]) -> str:
    parts = []
    for art in articles:
        parts += [art.get(f) or "" for f in FIELDS]
        parts += art.get("captions") or []
    return "\n".join(parts)


def extra_cjk_spaces(output: str, truth: str) -> int:
    return max(len(_CJK_SPACE.findall(output)) - len(_CJK_SPACE.findall(truth)), 0)


def match(truth_art: dict, outputs: list[dict]) -> dict | None:
    """The output article sharing most 3-grams with the true title and body."""
    key = _grams(squash(truth_art["title"]) + squash(truth_art["body"]))
    best, best_score = None, 0
    for out in outputs:
        score = len(key & _grams(squash(out.get("title")) + squash(out.get("body"))))
        if score > best_score:
            best, best_score = out, score
    return best


class Score:
    def __init__(self) -> None:
        self.true_chars = self.order_dist = 0
        self.articles = self.whole = self.titles = self.titles_ok = 0
        self.bylines = self.bylines_ok = self.out_chars = self.extra_spaces = 0

    def add_page(self, truth: dict, outputs: list[dict] | None, naive: str | None) -> None:
        hay = squash(naive if naive is not None else page_text(outputs or []))
        out_text = naive if naive is not None else page_text(outputs or [])
        self.out_chars += len(squash(out_text))
        self.extra_spaces += extra_cjk_spaces(out_text, page_text(truth["articles"]))
        for art in truth["articles"]:
            body = squash(art["body"])
            dist = windowed_span_distance(body, hay)
            self.true_chars += len(body)
            self.order_dist += dist
            self.articles += 1
            if naive is not None:
                self.whole += dist <= 0.05 * len(body)
                continue
            got = match(art, outputs or []) or {}
            self.whole += levenshtein(body, squash(got.get("body"))) <= 0.05 * len(body)
            if art["title"]:
                self.titles += 1
                self.titles_ok += got.get("title") == art["title"]
            if art["byline"]:
                self.bylines += 1
                self.bylines_ok += got.get("byline") == art["byline"]

    def figures(self) -> dict[str, float]:
        return {
            "order_error": self.order_dist / max(self.true_chars, 1),
            "whole": self.whole / max(self.articles, 1),
            "titles_exact": (self.titles_ok / self.titles) if self.titles else float("nan"),
            "bylines_exact": (self.bylines_ok / self.bylines) if self.bylines else float("nan"),
            "extra_cjk_spaces_per_1000": 1000 * self.extra_spaces / max(self.out_chars, 1),
        }


def naive_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


_HAN_BREAK = re.compile(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]")


def corpus_docs(source: str) -> dict[str, dict]:
    """extract_pdf of every practice and real PDF, by file name."""
    pdfs = sorted(PRACTICE_CORPUS.glob("*.pdf")) + sorted(REAL_CORPUS.glob("*.pdf"))
    return {pdf.name: extract_pdf(pdf, source=source) for pdf in pdfs}


def practice_report(docs: dict[str, dict]) -> None:
    if not SCORER.is_file() or not PRACTICE_CORPUS.is_dir():
        print(f"practice pages: not here ({PRACTICE_CORPUS}, {SCORER})")
        return
    line = practice_line(docs, load_scorer())
    print(f"practice pages ({len(practice_pages())}, typeset by others; targets order_cer "
          "<= 0.01, art_ok >= 0.90, title_ok >= 0.95, byline_ok >= 0.90, spaces_per_1k "
          "<= 0.5, hyphen_ok >= 0.97):")
    print("  " + " ".join(f"{key}={line[key]:.4f}" for key in FIGURES))


def real_report(docs: dict[str, dict]) -> None:
    print("real corpus: Han characters archived / pdfplumber's reading (target >= 0.99)")
    for pdf in sorted(REAL_CORPUS.glob("*.pdf")):
        doc = docs[pdf.name]
        ours, theirs = archived_han(doc), pdfplumber_han(pdf)
        statuses = sorted({p["status"] for p in doc["pages"]})
        ratio = f"{ours / theirs:.3f}" if theirs else "  n/a"
        print(f"  {pdf.name:42} {ours:7d} / {theirs:7d} = {ratio}  {','.join(statuses)}")
    rmrb = docs.get("rmrb-2025-10-20-retypeset.pdf")
    if rmrb:
        breaks = sum(len(_HAN_BREAK.findall(a["body"])) for p in rmrb["pages"]
                     for a in p["articles"])
        print(f"  rmrb Han|Han body line breaks: {breaks} (113 at cf6b697; the rest: subheads)")


def page_texts(docs: dict[str, dict]) -> dict[str, str]:
    return {f"{name} p{p['number']}": json.dumps(
        {k: p.get(k) for k in ("status", "reason", "header", "articles")}, ensure_ascii=False)
        for name, doc in docs.items() for p in doc["pages"]}


def compare(docs: dict[str, dict], saved: Path) -> None:
    before, after = json.loads(saved.read_text()), page_texts(docs)
    changed = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
    print(f"pages whose output changed since {saved}: {len(changed)} of {len(after)}")
    for key in changed:
        print(f"  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="pypdfium2", choices=["pypdfium2", "pdfplumber"])
    parser.add_argument("--no-naive", action="store_true", help="skip the pdfplumber baseline")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    parser.add_argument("--keep", metavar="DIR", help="write the pages and truths to DIR")
    parser.add_argument("--split", default="both", choices=["both", "tune", "held_out", "none"],
                        help="our own pages' styles: the half tuned on, the half held out "
                             "(crawler.demo.editions.STYLES), both, or none")
    parser.add_argument("--save", metavar="FILE", type=Path,
                        help="write every practice and real page's output to FILE")
    parser.add_argument("--compare", metavar="FILE", type=Path,
                        help="list the practice and real pages whose output differs from FILE")
    args = parser.parse_args()
    if REAL_CORPUS.is_dir() or PRACTICE_CORPUS.is_dir():
        docs = corpus_docs(args.source)
        practice_report(docs)
        real_report(docs)
        if args.save:
            args.save.write_text(json.dumps(page_texts(docs), ensure_ascii=False))
        if args.compare:
            compare(docs, args.compare)
    for split in ("tune", "held_out") if args.split == "both" else (args.split,):
        own_pages(args, None if split == "none" else split)


def own_pages(args: argparse.Namespace, split: str | None) -> None:
    """Our own generated pages' line against naive pdfplumber on the same pages."""
    ours, naive = Score(), Score()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for i, spec in enumerate(broadsheet_specs(args.pages, seed=args.seed, split=split)):
            path = folder / f"{split}-page{i}.pdf"
            truth = typeset_page(spec, str(path))
            if args.keep:
                path.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False))
            page = extract_pdf(path, source=args.source)["pages"][0]
            ours.add_page(truth, page["articles"], None)
            if args.verbose:
                _report_misses(i, spec.lang, truth, page)
            if not args.no_naive:
                naive.add_page(truth, None, naive_text(path))
    print(f"our own {args.pages} generated pages, styles {split or 'plain'} (seed {args.seed}), "
          f"source {args.source}, {time.perf_counter() - started:.1f} s")
    a = ours.figures()
    b = naive.figures() if not args.no_naive else None
    print(f"{'figure':28} {'ours':>9} {'naive':>9}")
    for key, value in a.items():
        other = "" if b is None else f"{b[key]:9.4f}"
        if key in ("titles_exact", "bylines_exact") and b is not None:
            other = f"{'n/a':>9}"
        print(f"{key:28} {value:9.4f} {other}")
    if b is not None:
        ratio = b["order_error"] / max(a["order_error"], 1e-9)
        print(f"order error ratio naive/ours: {ratio:.1f}x")


def _report_misses(i: int, lang: str, truth: dict, page: dict) -> None:
    outs = page["articles"]
    for art in truth["articles"]:
        got = match(art, outs) or {}
        for f in ("kicker", "title", "subtitle", "byline"):
            if got.get(f) != art[f]:
                print(f"p{i} {lang} {f}: want {art[f]!r} got {got.get(f)!r}")
        body = squash(art["body"])
        d = levenshtein(body, squash(got.get("body")))
        if d > 0.05 * len(body):
            print(f"p{i} {lang} body CER {d / max(len(body), 1):.2f} of {art['title']!r}")
        if got.get("body") != art["body"] and d <= 0.05 * len(body):
            print(f"p{i} {lang} body differs (paragraphs/spaces) in {art['title']!r}")
        if got.get("captions") != art["captions"]:
            print(f"p{i} {lang} captions want {art['captions']} got {got.get('captions')}")


if __name__ == "__main__":
    main()
