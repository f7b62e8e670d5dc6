"""Dump `extract_pdf` JSON of every reference PDF, or compare two dumps: the check that an
engine change leaves the text of correct pages byte-identical.

    python bench/corpus_output.py dump /tmp/before      # before the change
    python bench/corpus_output.py dump /tmp/after       # after it
    python bench/corpus_output.py compare /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DIRS = ("practice", "real")


def reference_pdfs(corpus: Path = CORPUS) -> list[Path]:
    """Every PDF of the practice and real corpora, in name order."""
    if not corpus.is_dir():
        corpus = Path("/work/shared/corpus")
    return sorted(p for d in DIRS for p in (corpus / d).glob("*.pdf"))


def dump(out: Path) -> None:
    from pipelines.extract import extract_pdf

    out.mkdir(parents=True, exist_ok=True)
    for pdf in reference_pdfs():
        doc = extract_pdf(pdf)
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
        (out / f"{pdf.parent.name}-{pdf.stem}.json").write_text(text + "\n", encoding="utf-8")
        print(pdf.name, flush=True)


def compare(before: Path, after: Path) -> int:
    """Print the files that differ; return their count."""
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differ = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
            differ += 1
            print(f"DIFFERS {name}")
    print(f"{len(names) - differ} of {len(names)} identical")
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out)
    else:
        sys.exit(1 if compare(args.before, args.after) else 0)


if __name__ == "__main__":
    main()
