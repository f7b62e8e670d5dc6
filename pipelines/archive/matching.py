"""Two sources of a page's articles: the PDF's (our extraction) and the site's own pages.

A Founder site publishes, beside each page PDF, every article's text and its region on the
page image (hot-spot polygons in the image's pixels). ``region`` maps those pixels into PDF
points (the image's size against the page's: the two rarely share an aspect ratio, so x and
y scale apart). ``pair`` matches PDF articles to site articles one to one, by region overlap
and text similarity; ``combine`` makes the rows the archive shows and indexes: the
publisher's text where the site has it (``source = "html"``, the matched PDF article's own
text kept in ``pdf_text``), the PDF's elsewhere (``source = "pdf"``), and for each matched
pair the agreement of the two texts (character error rate of the PDF's text against the
publisher's, whitespace removed). Pure functions over plain dicts: no database here.
"""

from __future__ import annotations

import json
from collections import Counter

from rapidfuzz.distance import Levenshtein

SOURCE_PDF = "pdf"
SOURCE_HTML = "html"
# How a row of a page with site articles pairs: both sources, the site's only (our
# extraction missed it), the PDF's only (the site has no such article).
MATCHED = "matched"
MISSING = "missing"
EXTRA = "extra"
# Fields compared, in this order, after removing all whitespace.
COMPARED = ("kicker", "title", "subtitle", "byline", "body")
# A pair is one article when its texts share this share of character bigrams (Dice) ...
SAME_TEXT = 0.5
# ... or when their regions overlap by this share of the smaller and the texts share some.
SAME_REGION = 0.5
SOME_TEXT = 0.15


def region(
    hotspot: dict | None, page_size: tuple[float, float] | None
) -> tuple[list | None, list | None]:
    """(polygons, bbox) in PDF points (top-left origin) of a hot-spot given in the pixels of
    an image of ``hotspot["image"]`` = [width, height]; (None, None) when either size is
    unknown or the site drew no region."""
    if not hotspot or not hotspot.get("polygons") or not hotspot.get("image") or not page_size:
        return None, None
    (width, height), (page_w, page_h) = hotspot["image"], page_size
    if not (width and height and page_w and page_h):
        return None, None
    sx, sy = page_w / width, page_h / height
    polygons = [[[round(x * sx, 2), round(y * sy, 2)] for x, y in ring] for ring in
                hotspot["polygons"]]
    xs = [x for ring in polygons for x, _ in ring]
    ys = [y for ring in polygons for _, y in ring]
    return polygons, [min(xs), min(ys), max(xs), max(ys)]


def compared_text(article: dict) -> str:
    """The article's text as compared: kicker, title, subtitle, byline, body, no whitespace."""
    return "".join("".join((article.get(f) or "").split()) for f in COMPARED)


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character bigrams (0: nothing shared, 1: same)."""
    if not a or not b:
        return 0.0
    grams_a = Counter(a[i : i + 2] for i in range(max(1, len(a) - 1)))
    grams_b = Counter(b[i : i + 2] for i in range(max(1, len(b) - 1)))
    shared = sum((grams_a & grams_b).values())
    return 2 * shared / (sum(grams_a.values()) + sum(grams_b.values()))


def overlap(a: list | None, b: list | None) -> float:
    """The share of the smaller of two boxes [x0, top, x1, bottom] that both cover."""
    if not a or not b:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return (w * h) / smaller if smaller > 0 else 0.0


def pair(pdf_articles: list[dict], site_articles: list[dict]) -> list[tuple[int, int]]:
    """(PDF index, site index) of the pairs that are one article, one to one: the best
    scoring first (text similarity plus region overlap), each article in one pair at most."""
    pdf_texts = [compared_text(a) for a in pdf_articles]
    site_texts = [compared_text(s) for s in site_articles]
    candidates = []
    for i, pdf in enumerate(pdf_articles):
        for j, site in enumerate(site_articles):
            sim = similarity(pdf_texts[i], site_texts[j])
            over = overlap(pdf.get("bbox"), site.get("bbox"))
            if sim >= SAME_TEXT or (over >= SAME_REGION and sim >= SOME_TEXT):
                candidates.append((sim + over, i, j))
    pairs, used_pdf, used_site = [], set(), set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_pdf and j not in used_site:
            pairs.append((i, j))
            used_pdf.add(i)
            used_site.add(j)
    return sorted(pairs)


def agreement(pdf_article: dict, site_article: dict) -> tuple[int, int]:
    """(edits, characters): the Levenshtein distance from the PDF's text to the publisher's,
    and the publisher's length, both without whitespace. CER = edits / characters."""
    reference = compared_text(site_article)
    return Levenshtein.distance(compared_text(pdf_article), reference), len(reference)


def _fields(article: dict) -> dict:
    return {
        "section": article.get("section"),
        "kicker": article.get("kicker"),
        "title": article.get("title"),
        "subtitle": article.get("subtitle"),
        "byline": article.get("byline"),
        "body": article.get("body"),
        "captions": list(article.get("captions") or []),
    }


def site_fields(site: dict) -> dict:
    """A site article (with ``paragraphs``) in the archive's article fields."""
    paragraphs = site.get("paragraphs")
    if isinstance(paragraphs, str):
        paragraphs = json.loads(paragraphs)
    captions = site.get("captions")
    if isinstance(captions, str):
        captions = json.loads(captions)
    return {**site, "body": "\n".join(paragraphs or []) or None, "captions": captions or []}


def combine(pdf_articles: list[dict], site_articles: list[dict], *, compare: bool) -> list[dict]:
    """The page's articles to archive, in the PDF's reading order, then the site's articles
    that no PDF article matched, in the site's order.

    Every row has the article fields plus ``source``, ``url`` and ``pdf_text``; when the page
    has site articles and ``compare`` (its PDF was extracted), also ``match`` and for a
    matched pair ``cer_edits``, ``cer_chars`` and ``cer``."""
    sites = [site_fields(s) for s in site_articles]
    pairs = dict(pair(pdf_articles, sites)) if compare else {}
    judged = compare and bool(sites)
    rows = []
    for i, pdf in enumerate(pdf_articles):
        row = {**_fields(pdf), "bbox": pdf.get("bbox"), "source": SOURCE_PDF, "url": None,
               "pdf_text": None, "match": EXTRA if judged else None}
        if i in pairs:
            site = sites[pairs[i]]
            edits, chars = agreement(pdf, site)
            row.update(
                {**_fields(site), "section": site.get("section") or pdf.get("section")},
                source=SOURCE_HTML,
                url=site.get("url"),
                pdf_text={**_fields(pdf), "bbox": pdf.get("bbox")},
                match=MATCHED,
                cer_edits=edits,
                cer_chars=chars,
                cer=round(edits / chars, 4) if chars else None,
            )
        rows.append(row)
    matched = set(pairs.values())
    for j, site in enumerate(sites):
        if j not in matched:
            rows.append({**_fields(site), "bbox": site.get("bbox"), "source": SOURCE_HTML,
                         "url": site.get("url"), "pdf_text": None,
                         "match": MISSING if judged else None})
    return rows
