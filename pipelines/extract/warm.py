"""Imported once by the extraction workers' fork server (``pipelines.extraction.new_pool``):
the engine's modules, the PDF libraries and wordfreq's English word list (about half a
second to load) are then in memory before any worker is forked, instead of being loaded
again by every worker, which is recycled every few hundred pages."""

from pipelines.extract import extract_pdf  # noqa: F401  (imports the engine and pypdfium2)
from pipelines.extract.plumber_source import PlumberSource  # noqa: F401
from pipelines.extract.text.dehyphenate import should_join

should_join("inter", "national")  # loads the word frequencies
