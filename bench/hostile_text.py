"""What the hostile-text checks (issue #14 item 5) cost an ordinary page: extraction of the
practice pages with the checks as shipped against the same code with them switched off
(the walk for text nobody sees, the look for turned pages and vertical writing), passes in
turn, best of each, CPU seconds.

    python bench/hostile_text.py --rounds 5
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path

from pipelines.extract import extract_pdf, orientation, pdfium_source

PRACTICE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "practice"


@contextmanager
def checks_off():
    saved = (pdfium_source._hidden_text, orientation.needs_reading, orientation.split_vertical)
    pdfium_source._hidden_text = lambda page: {}
    orientation.needs_reading = lambda content, rotation: False
    orientation.split_vertical = lambda content, frame: None
    try:
        yield
    finally:
        (pdfium_source._hidden_text, orientation.needs_reading,
         orientation.split_vertical) = saved


def one_pass(pdfs: list[Path]) -> float:
    start = time.process_time()
    for pdf in pdfs:
        extract_pdf(pdf, reread=False)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pdfs = sorted(PRACTICE.glob("*.pdf"))
    one_pass(pdfs)  # warm: fonts, caches, the common-character table
    on, off = [], []
    for _ in range(args.rounds):
        with checks_off():
            off.append(one_pass(pdfs))
        on.append(one_pass(pdfs))
    pages = len(pdfs)
    print(f"{pages} practice pages, {args.rounds} rounds, CPU seconds a pass")
    print(f"checks off: best {min(off):.3f} s ({1000 * min(off) / pages:.1f} ms a page)")
    print(f"checks on:  best {min(on):.3f} s ({1000 * min(on) / pages:.1f} ms a page)")
    print(f"ratio on/off (best passes): {min(on) / min(off):.3f}")
    ratios = sorted(a / b for a, b in zip(on, off, strict=True))
    print(f"ratio on/off (median of pass pairs): {ratios[len(ratios) // 2]:.3f}")


if __name__ == "__main__":
    main()
