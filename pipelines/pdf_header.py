"""What counts as a PDF file: ``%PDF-`` at its very start.

Readers tolerate a byte-order mark or whitespace before the header, so we do too; anything
else before it (an HTML page that carries a PDF further down: a polyglot that a browser
would render as HTML) is not a PDF. Used when a PDF is stored (crawl, import) and again when
a stored file is served.
"""

from __future__ import annotations

PDF_MAGIC = b"%PDF-"
BOM = b"\xef\xbb\xbf"
# PDF white-space characters (ISO 32000-1, 7.2.2): NUL, HT, LF, FF, CR, SP.
WHITESPACE = b"\x00\t\n\x0c\r "
HEAD_BYTES = 1024  # how far a header may be pushed by leading white space


def has_pdf_header(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts with ``%PDF-``, after at most a BOM and
    white space."""
    if head.startswith(BOM):
        head = head[len(BOM):]
    return head[:HEAD_BYTES].lstrip(WHITESPACE).startswith(PDF_MAGIC)
