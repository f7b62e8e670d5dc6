"""Raw PDF bytes for hostile-text tests: pages whose /Rotate, CMaps, ToUnicode maps, render
modes, colours and clipping are exactly what a test says (reportlab writes none of these
by choice). Fonts are referred to by resource name in the content stream."""

from __future__ import annotations

from dataclasses import dataclass, field

A4 = (0.0, 0.0, 595.0, 842.0)
HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def cjk_font(encoding: str = "UniGB-UCS2-H", to_unicode: int | None = None) -> str:
    """STSong-Light, not embedded, as Chinese PDFs name it; ``to_unicode``: the object number
    of a ToUnicode CMap stream (see :func:`to_unicode_cmap`)."""
    tu = f" /ToUnicode {to_unicode} 0 R" if to_unicode else ""
    return ("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /" + encoding
            + tu + " /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont "
            "/STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
            " /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light "
            "/Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
            "/CapHeight 880 /StemV 93 >> >>] >>")


def to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap for 2-byte codes: code -> text."""
    lines = [f"<{code:04X}> <{''.join(f'{ord(ch):04X}' for ch in text)}>"
             for code, text in sorted(mapping.items())]
    body = "\n".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar"
                     for chunk in (lines[i:i + 100] for i in range(0, len(lines), 100)))
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
            ).encode()


def ucs2(text: str) -> str:
    """A hex string of UCS-2 codes, what UniGB-UCS2-H/V fonts show."""
    return "<" + "".join(f"{ord(ch):04X}" for ch in text) + ">"


def codes(numbers: list[int]) -> str:
    """A hex string of 2-byte codes (CIDs, for Identity-H/V fonts)."""
    return "<" + "".join(f"{n:04X}" for n in numbers) + ">"


def latin(text: str) -> str:
    """A literal string for a simple font."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


@dataclass
class Page:
    """One page: its content stream, fonts (resource name -> font dict, see :func:`cjk_font`),
    media box, /Rotate and images."""

    content: str
    fonts: dict[str, str] = field(default_factory=lambda: {"F1": HELVETICA})
    media: tuple[float, float, float, float] = A4
    rotate: int = 0
    images: tuple[str, ...] = ()  # resource names of a small grey image each
    shadings: tuple[str, ...] = ()  # resource names of a dark blue-to-green gradient each


GRADIENT = ("<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 600 0] /Function "
            "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0.5] /C1 [0 0.4 0] /N 1 >> >>")
GREY_IMAGE = (b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
              b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x60\x40\x20\nendstream")


def build_pdf(pages: list[Page], streams: tuple[bytes, ...] = ()) -> bytes:
    """A PDF of ``pages``. ``streams`` are extra stream objects (ToUnicode CMaps), numbered
    3, 4, ... in order, for fonts to refer to."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled in below)
    for data in streams:
        objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    kids = []
    for page in pages:
        stream = page.content.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_ref = len(objects)
        image_refs = []
        for _ in page.images:
            objects.append(GREY_IMAGE)
            image_refs.append(len(objects))
        fonts = " ".join(f"/{name} {font}" for name, font in page.fonts.items())
        images = " ".join(f"/{name} {ref} 0 R" for name, ref in zip(page.images, image_refs,
                                                                   strict=True))
        shadings = " ".join(f"/{name} {GRADIENT}" for name in page.shadings)
        media = " ".join(f"{v:g}" for v in page.media)
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [{media}] /Rotate {page.rotate}"
                        f" /Contents {content_ref} 0 R /Resources << /Font << {fonts} >> "
                        f"/XObject << {images} >> /Shading << {shadings} >> >> >>").encode())
        kids.append(f"{len(objects)} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def text_lines(lines: list[str], x: float, y: float, size: float = 10.0, leading: float = 13.0,
               font: str = "F1", matrix: tuple[float, float, float, float] = (1, 0, 0, 1),
               show=latin) -> str:
    """A text object setting ``lines`` from (x, y) down (along the matrix's own axes)."""
    a, b, c, d = matrix
    ops = [f"BT /{font} {size:g} Tf {a:g} {b:g} {c:g} {d:g} {x:g} {y:g} Tm {leading:g} TL"]
    ops += [f"{show(line)} Tj T*" for line in lines]
    return "\n".join(ops) + "\nET\n"
