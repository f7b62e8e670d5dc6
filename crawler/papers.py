"""The papers registry: which newspapers we archive, where, and with which site family."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from importlib import resources
from pathlib import Path


class RegistryError(ValueError):
    """The registry file or an entry in it is invalid."""


@dataclass(frozen=True)
class Paper:
    """One registry entry. ``lccn`` names a Chronicling America title (family ``chronam``);
    like ``entry`` it only addresses the crawl and is left out of the ``papers`` row."""

    id: str
    name: str
    family: str
    base_url: str
    first_date: str
    encoding: str = ""
    entry: str = ""
    #: Non-empty: crawl despite robots.txt, for this stated reason (recorded with each run).
    ignore_robots: str = ""
    description: str = ""
    homepage: str = ""
    #: Library of Congress Control Number, for the ``chronam`` family (Chronicling America).
    lccn: str = ""
    #: Where the entry's URL was seen (a research note and the page or code it quotes) and
    #: when (``SEEN``): every bundled entry says both, so each can be checked again.
    source: str = ""
    seen: str = ""

    def as_row(self) -> dict:
        """The ``papers`` table row."""
        row = asdict(self)
        row.pop("entry")
        row.pop("lccn")  # addresses the crawl, like entry; not a papers column
        row.pop("ignore_robots")
        row.pop("source")  # provenance of the registry entry, not of the archive
        row.pop("seen")
        return row


#: ``seen``: the date a source saw the entry's URL, as precise as the source is.
SEEN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

#: The operator's own registry beside the archive (archive.db's folder): it extends the
#: bundled one, as does the file NEWSARCHIVE_PAPERS names.
OWN_REGISTRY = "papers.toml"


def registry_path(db: str | Path | None = None) -> Path | None:
    """The operator's registry: the file NEWSARCHIVE_PAPERS names, else ``papers.toml``
    beside the archive ``db`` when there is one; None: the bundled registry alone."""
    path = os.environ.get("NEWSARCHIVE_PAPERS")
    if path:
        return Path(path)
    if db is not None:
        beside = Path(db).resolve().parent / OWN_REGISTRY
        if beside.is_file():
            return beside
    return None


def _entries(text: str, origin: str) -> dict[str, Paper]:
    """The checked entries of one registry file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: {exc}") from exc
    from crawler.spiders.families import FAMILIES  # here: the adapters import Paper

    known = {f.name for f in fields(Paper)}
    papers = {}
    for paper_id, entry in data.items():
        unknown = set(entry) - known
        if unknown:
            raise RegistryError(f"paper {paper_id}: unknown keys {sorted(unknown)}")
        try:
            paper = Paper(id=paper_id, **entry)
        except TypeError as exc:
            raise RegistryError(f"paper {paper_id}: {exc}") from exc
        if paper.family not in FAMILIES:
            raise RegistryError(
                f"paper {paper_id}: unknown family {paper.family!r} (one of {', '.join(FAMILIES)})"
            )
        if not paper.base_url.endswith("/"):
            raise RegistryError(f"paper {paper_id}: base_url must end with '/'")
        if paper.seen and not SEEN.fullmatch(paper.seen):
            raise RegistryError(
                f"paper {paper_id}: seen must be a date (YYYY, YYYY-MM or YYYY-MM-DD), "
                f"got {paper.seen!r}"
            )
        papers[paper_id] = paper
    return papers


def bundled_papers() -> dict[str, Paper]:
    """The registry shipped with the package (crawler/papers.toml)."""
    text = resources.files("crawler").joinpath("papers.toml").read_text(encoding="utf-8")
    return _entries(text, "papers.toml")


def load_papers(path: str | Path | None = None, *, db: str | Path | None = None
                ) -> dict[str, Paper]:
    """The bundled registry extended by the operator's (``path``, else ``registry_path``):
    its entries are added, and replace bundled ones of the same id."""
    papers = bundled_papers()
    own = Path(path) if path else registry_path(db)
    if own:
        papers.update(_entries(own.read_text(encoding="utf-8"), str(own)))
    return papers


def get_paper(
    paper_id: str, path: str | Path | None = None, *, db: str | Path | None = None
) -> Paper:
    """One registry entry, with a clear error naming the known papers."""
    papers = load_papers(path, db=db)
    try:
        return papers[paper_id]
    except KeyError:
        raise RegistryError(
            f"unknown paper {paper_id!r}; known: {', '.join(sorted(papers))}"
        ) from None
