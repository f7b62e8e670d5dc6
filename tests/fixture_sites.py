"""Fixture e-paper sites for the tests: committed byte-exact HTML + PDFs made at test time.

``tests/sites/<family>/`` holds the HTML as the real sites serve it (unquoted attributes, a
GBK page declared GB2312, PDF links inside comments…); ``tests/sites/pdfs.toml`` lists the
page PDFs, which are typeset here so the tests know each page's true articles.
"""

from __future__ import annotations

import datetime
import shutil
import tomllib
from pathlib import Path

from crawler.demo.editions import edition_specs
from crawler.demo.typesetter import typeset_page

SITES = Path(__file__).parent / "sites"


def build_fixture_site(family: str, root: Path) -> dict[str, dict]:
    """Copy the family's site to ``root`` and write its PDFs; return truths by PDF path."""
    shutil.copytree(SITES / family, root, dirs_exist_ok=True)
    manifest = tomllib.loads((SITES / "pdfs.toml").read_text(encoding="utf-8"))[family]
    truths = {}
    for relative, spec in manifest.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if spec["kind"] == "corrupt":
            target.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
            continue
        day = datetime.date.fromisoformat(spec["date"])
        page = edition_specs(spec["paper"], day, pages=spec["index"] + 1, seed=day.toordinal())[
            spec["index"]
        ]
        truths[relative] = typeset_page(page, target)
        if spec["kind"] == "truncated":
            data = target.read_bytes()
            target.write_bytes(data[: len(data) // 2])
            del truths[relative]
    return truths
