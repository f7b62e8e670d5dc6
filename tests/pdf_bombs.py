"""Hostile PDFs made by code (no committed binaries): small files that make a PDF reader
spend gigabytes or minutes. Used by the tests of the extraction limits and by
bench/adversarial.py."""

from __future__ import annotations

import zlib
from pathlib import Path

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    """A stream object's body: dictionary (with ``extra`` entries) and data."""
    if compress:
        data = zlib.compress(data, 6)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def document(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 is the catalog) with its xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def one_page(content: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>",
             more: list[bytes] = (), count: int = 1) -> bytes:
    """A one-page PDF: catalog 1, pages 2 (declaring ``count`` pages), page 3, content 4,
    font 5, then ``more`` objects from 6 on."""
    return document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources %s >>" % resources,
        stream(content),
        FONT,
        *more,
    ])


def text_page(text: str = "A page that reads well.") -> bytes:
    """An ordinary page: one line of text."""
    return one_page(b"BT /F1 12 Tf 72 760 Td (%s) Tj ET" % text.encode("latin-1"))


def form_fan(depth: int = 7, fanout: int = 10) -> bytes:
    """Forms drawing forms: form i draws form i+1 ``fanout`` times, ``depth`` levels, the
    last one a line of text: fanout**depth text objects from a file of a few KB."""
    forms = []
    first = 6
    for level in range(depth):
        if level == depth - 1:
            content = b"BT /F1 1 Tf 10 10 Td (x) Tj ET"
            resources = b"<< /Font << /F1 5 0 R >> >>"
        else:
            content = b"q 0.9 0 0 0.9 1 1 cm /X Do Q " * fanout
            resources = b"<< /XObject << /X %d 0 R >> >>" % (first + level + 1)
        forms.append(stream(content, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                     b"/Resources " + resources))
    return one_page(b"/X Do", b"<< /XObject << /X %d 0 R >> /Font << /F1 5 0 R >> >>" % first,
                    forms)


def text_objects(count: int = 100_000) -> bytes:
    """One glyph per text object, ``count`` text objects."""
    lines = (b"BT /F1 6 Tf %d %d Td (a) Tj ET\n" % (20 + i % 500, 20 + (i // 500) % 800)
             for i in range(count))
    return one_page(b"".join(lines))


def tiny_paths(count: int = 10_000_000) -> bytes:
    """``count`` one-point paths: ~14 bytes each in the content, a few KB compressed."""
    return one_page(b"0 0 m 1 1 l S\n" * count)


def stream_bomb(size: int = 1 << 30) -> bytes:
    """A content stream of ``size`` bytes of comments (about 1 MB compressed per GB)."""
    line = b"%" + b"x" * 1022 + b"\n"
    return one_page(b"BT /F1 12 Tf 72 760 Td (bomb) Tj ET\n" + line * (size // len(line)))


def page_count_lie(count: int = 1_000_000) -> bytes:
    """One real page in a page tree that declares ``count``."""
    return one_page(b"BT /F1 12 Tf 72 760 Td (The only real page.) Tj ET", count=count)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
