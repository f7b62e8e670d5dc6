"""Site-family adapters, by the name used in the papers registry."""

from crawler.spiders.families.base import Family, PageInfo, PageLink, page_number
from crawler.spiders.families.chronam import ChronAm
from crawler.spiders.families.dated_html import DatedHtml
from crawler.spiders.families.founder_classic import FounderClassic
from crawler.spiders.families.founder_col import FounderCol, FounderColPc
from crawler.spiders.families.founder_new import FounderNew
from crawler.spiders.families.page_nn import PageNN
from crawler.spiders.families.resfile import Resfile
from crawler.spiders.families.xhby import Xhby

FAMILIES: dict[str, type[Family]] = {
    cls.name: cls
    for cls in (
        FounderClassic, FounderNew, FounderCol, FounderColPc, Xhby, PageNN, DatedHtml, Resfile,
        ChronAm,
    )
}


def guess_family(url: str) -> dict | None:
    """The registry fields an e-paper URL gives: family, base_url and, where the URL shows
    them, entry or lccn; None when no family's URLs look like it."""
    for name, cls in FAMILIES.items():
        found = cls().guess(url)
        if found:
            return {"family": name, **found}
    return None


def get_family(name: str) -> Family:
    """The adapter for a registry family name."""
    return FAMILIES[name]()


__all__ = [
    "FAMILIES", "Family", "PageInfo", "PageLink", "get_family", "guess_family", "page_number"
]
