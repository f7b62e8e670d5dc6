"""The extraction engine: a newspaper page PDF in, whole articles out.

``extract_pdf(path, source="pypdfium2")`` returns ``{"pages": [...]}`` as specified in
docs/architecture.md. Pipeline per page: chars (pypdfium2 or pdfplumber; read again by
pdfminer where pdfium left text objects unread) -> health check -> runs -> running
header/footer -> XY-cut with rules -> blocks -> fields -> (headings of a
scanned page re-read with Tesseract, when installed) -> articles -> paragraphs, with
script-aware joining and wordfreq de-hyphenation. Pure Python plus the
PDF libraries (and the ``tesseract`` program for scans): it runs in worker processes, so
nothing here imports Scrapy or Twisted.
"""

from .document import ExtractError, extract_pdf

# 0.6.0 (issue #12): no glyph lost to the CJK substitute font, pages whose reading lost text
# read again; galleys, bylines, section heads, subheads, credits, jump lines (docs/extraction.md)
# 0.6.1 (issue #14): turned and vertical pages read the way they run, text nobody sees left
# out, wrong ToUnicode maps garbled (orientation.py, visibility.py, mojibake.py)
# 0.6.2 (issue #12): kickers and decks set only a size up from the text read with their
# headline; title, deck, byline; unnamed English bylines; punctuation hung past a column
# edge is no text in the gutter; a byline across columns heads them; the channel test compiled
# 0.6.3 (issue #12): a line's punctuation hung past its column's edge never hides the gutter
# from the layout: a galley's edge where its text ends, a lone line's too (lines.ink_end)
EXTRACTOR_VERSION = "0.6.3"

__all__ = ["EXTRACTOR_VERSION", "ExtractError", "extract_pdf"]
