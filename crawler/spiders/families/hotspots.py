"""A page's article map: the ``<map name="PagePicMap">`` hot-spots over the page image.

Founder sites draw every article's region on the page image as ``<area coords>`` polygons in
the image's pixel space (integers over a ``_b.jpg`` on classic sites, floats over a 400×575
thumbnail whose size the ``<img>`` declares on ``pc/layout`` sites). The same article may
be listed twice (``content_N.htm?div=-1`` and ``?div=0``, same coords): it is one article.
Mapping the pixels into PDF points needs the image's size: the ``<img>``'s width and height
when it declares them (the browser scales the image, and the map with it), else the size of
the image itself (``image_size`` reads it from the first bytes of the file).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from PIL import Image, UnidentifiedImageError
from scrapy.http import TextResponse

# Bytes of an image fetched to learn its size: JPEG and PNG headers are in the first few KB.
IMAGE_HEAD_BYTES = 65536
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class Hotspot:
    """One article of the map: its URL (``?div=`` dropped) and its polygons in image pixels."""

    url: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)


@dataclass
class PageMap:
    """The page image and the articles drawn over it, in map order."""

    image_url: str | None
    #: The pixel space of the coords when the ``<img>`` declares it (width, height).
    image_size: tuple[int, int] | None
    hotspots: list[Hotspot] = field(default_factory=list)


def article_url(response: TextResponse, href: str) -> str:
    """The article's absolute URL without its query (``?div=-1``, ``?div=0``)."""
    return response.urljoin(href).split("?", 1)[0].split("#", 1)[0]


def polygon(coords: str, shape: str | None) -> list[tuple[float, float]] | None:
    """An area's outline as points: a polygon as given, a rect as its four corners."""
    numbers = [float(n) for n in _NUMBER.findall(coords or "")]
    shape = (shape or "rect").strip().lower()
    if shape in ("rect", "rectangle") and len(numbers) == 4:
        x0, y0, x1, y1 = numbers
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if shape in ("poly", "polygon") and len(numbers) >= 6 and len(numbers) % 2 == 0:
        return list(zip(numbers[0::2], numbers[1::2], strict=True))
    return None


def declared_size(img) -> tuple[int, int] | None:
    """The (width, height) an ``<img>`` declares in its attributes, if both are numbers."""
    try:
        width, height = int(float(img.attrib["width"])), int(float(img.attrib["height"]))
    except (KeyError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def page_map(response: TextResponse, article_link: re.Pattern) -> PageMap:
    """The page's map: areas whose href is an article (``article_link`` searches the URL)."""
    img = response.xpath("//img[@usemap]")
    image_url = response.urljoin(img.attrib["src"]) if img and img.attrib.get("src") else None
    spots: dict[str, Hotspot] = {}
    for area in response.xpath("//map[translate(@name, 'PAGEICM', 'pageicm')='pagepicmap']//area"):
        href = area.attrib.get("href")
        outline = polygon(area.attrib.get("coords", ""), area.attrib.get("shape"))
        if not href or outline is None:
            continue
        url = article_url(response, href)
        if not article_link.search(url):
            continue
        spot = spots.setdefault(url, Hotspot(url))
        if outline not in spot.polygons:
            spot.polygons.append(outline)
    return PageMap(image_url, declared_size(img[0]) if img else None, list(spots.values()))


def image_size(body: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of an image from its first bytes; None if it is none."""
    try:
        with Image.open(io.BytesIO(body)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None
