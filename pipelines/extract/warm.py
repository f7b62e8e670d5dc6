"""Imported once by the extraction workers' fork server (``pipelines.extraction.new_pool``):
the engine's modules, the PDF libraries and wordfreq's English word list (about half a
second to load) are then in memory before any worker is forked, instead of being loaded
again by every worker, which is recycled every few hundred pages. It also sets the garbage
collector up for extraction (:func:`tune_gc`), which the workers inherit."""

import gc

from pipelines.extract import extract_pdf  # noqa: F401  (imports the engine and pypdfium2)
from pipelines.extract.plumber_source import PlumberSource  # noqa: F401
from pipelines.extract.text.dehyphenate import should_join

YOUNG_OBJECTS = 10_000  # allocations between young collections (Python's default: 700)
OLDER_RUNS = 10  # young (then middle) collections between older ones (Python's default)


def tune_gc() -> None:
    """Fewer garbage collections: a page allocates about a hundred objects per glyph, nearly
    all freed by reference counting, yet with the default threshold a collection scanned the
    live ones every 700 allocations (2% of a page's instructions). What is loaded now (the
    modules' functions and classes; the word list holds no tracked objects) is frozen: never
    scanned again, so the collector leaves those pages shared with the forked workers."""
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, OLDER_RUNS, OLDER_RUNS)


should_join("inter", "national")  # loads the word frequencies
tune_gc()
