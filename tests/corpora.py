"""Where the shared corpora are, and the practice pages' scorer (``../shared/tools``).

Neither is committed: they sit beside the checkout (../shared/) on the project's machines,
and tests using them skip only where that folder is absent (an outside user's checkout).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_CORPUS = SHARED / "corpus" / "real"
PRACTICE_CORPUS = SHARED / "corpus" / "practice"
SCORER = SHARED / "tools" / "score_pages.py"
# the figures of the scorer's TOTAL line, in its order
FIGURES = ("order_cer", "art_ok", "title_ok", "byline_ok", "spaces_per_1k", "hyphen_ok")


def load_scorer() -> ModuleType:
    """``score_pages.py`` as a module (it needs rapidfuzz, a test extra)."""
    spec = importlib.util.spec_from_file_location("score_pages", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def practice_pages(folder: Path = PRACTICE_CORPUS) -> list[tuple[Path, dict]]:
    """(pdf, truth) of every practice page."""
    return [(truth.with_name(truth.name.replace(".truth.json", ".pdf")),
             json.loads(truth.read_text()))
            for truth in sorted(folder.glob("*.truth.json"))]


def practice_line(docs: dict[str, dict], scorer: ModuleType) -> dict[str, float]:
    """The scorer's TOTAL figures for extraction documents keyed by practice PDF name."""
    total: dict[str, float] = {}
    for pdf, truth in practice_pages():
        scored = scorer.score_page(truth, scorer.norm_articles(docs[pdf.name]))
        for key, value in scored.items():
            total[key] = total.get(key, 0) + value
    return {
        "order_cer": total["order_edits"] / max(1, total["chars"]),
        "art_ok": total["art_ok"] / max(1, total["n"]),
        "title_ok": total["title_ok"] / max(1, total["titles"]),
        "byline_ok": total["byline_ok"] / max(1, total["bylines"]),
        "spaces_per_1k": 1000 * total["spaces"] / max(1, total["chars"]),
        "hyphen_ok": total["hyph_ok"] / max(1, total["hyph"]),
    }


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ARTICLE_TEXT = ("kicker", "title", "subtitle", "byline", "body")


def archived_han(doc: dict) -> int:
    """Han characters an extraction document puts out: headers, article fields, captions."""
    return sum(len(HAN.findall((page.get("header") or "") + "".join(
        "".join(a.get(k) or "" for k in ARTICLE_TEXT) + "".join(a["captions"])
        for a in page["articles"]))) for page in doc["pages"])


def pdfplumber_han(pdf: Path) -> int:
    """Han characters pdfplumber reads in ``pdf``, a glyph drawn over itself counted once."""
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return sum(len({(c["text"], round(c["x0"]), round(c["top"])) for c in p.chars
                        if HAN.match(c["text"])}) for p in opened.pages)
