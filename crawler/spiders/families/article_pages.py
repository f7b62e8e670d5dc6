"""An article's own HTML page on a Founder e-paper: the publisher's kicker, title, subtitle,
byline, paragraphs and captions (shared/research/epaper-sites.md §2-§4).

The families put the fields in different places (``td.font01/02``, ``#PreTitle #Title
#SubTitle``, ``h3 h1 h2``), but the body is Founder's everywhere: a ``<founder-content>``
element, or the HTML between ``<!--enpcontent-->`` and ``<!--/enpcontent-->`` comments, or
``div#ozoom``; its paragraphs are ``<p>`` elements or runs separated by ``<br>``, indented
with full-width spaces. The ``<!--enpproperty … /enpproperty-->`` comment repeats title and
author as ``<founder-title>``/``<founder-author>`` tags. Pictures inside the body (an
``<img>`` with a caption beside it, or in its ``title``/``data-original-title``) give
captions, not paragraphs. Family adapters choose the fields; these functions do the rest.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from lxml import html as lxml_html
from parsel import Selector
from scrapy.http import TextResponse

# Text that is not the paper's text: decoding went wrong (U+FFFD, or UTF-8 read as Latin-1).
GARBLED_SHARE = 0.02
_MOJIBAKE = re.compile(r"[\ufffd\u00c0-\u00ff]")
_SPACE = re.compile(r"[\s\u3000\xa0]+")
_ENP_BLOCK = "<!--{0}-->(.*?)<!--/{0}-->"
_ENP_PROPERTY = re.compile(r"<!--\s*enpproperty(.*?)/enpproperty\s*-->", re.S | re.I)
_PROPERTY_TAG = re.compile(r"<founder-([a-z]+)>(.*?)</founder-\1>", re.S | re.I)
# A paragraph that is only a byline: □本报记者 许廷合 通讯员 谢纪元, 文/图 …, 记者 …
_BYLINE_PARAGRAPH = re.compile(
    r"^[□■◎]?\s*(本报(特约)?记者|记者|通讯员|本报通讯员|实习生|文[/／]|图[/／]|文图[/／])[^。！？]{1,40}$"
)
# A lead that opens with its byline: 本报讯（记者 许廷合 通讯员 丁姜岚）6月14日，…
_BYLINE_LEAD = re.compile(r"^(本报讯\s*[（(][^）)]{1,40}[）)])\s*(.*)$", re.S)


class ArticlePageError(ValueError):
    """The article page has no readable article (garbled, empty, not an article page)."""


@dataclass
class SiteArticle:
    """One article as the site publishes it; ``body`` paragraphs joined by ``"\\n"``."""

    url: str
    title: str | None
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)

    def as_record(self) -> dict:
        return asdict(self)


def clean(text: str | None) -> str | None:
    """Text with its runs of spaces (full-width, no-break) made one space; None if empty."""
    text = _SPACE.sub(" ", text or "").strip()
    return text or None


def text_of(selection) -> str | None:
    """The cleaned text of the first selected element, or None."""
    if not selection:
        return None
    return clean("".join(selection[0].xpath(".//text()").getall()))


def enp_block(page_text: str, name: str) -> str | None:
    """The HTML between ``<!--name-->`` and ``<!--/name-->``, or None."""
    match = re.search(_ENP_BLOCK.format(re.escape(name)), page_text, re.S | re.I)
    return match.group(1) if match else None


def enp_properties(page_text: str) -> dict[str, str]:
    """The ``<founder-NAME>`` tags of the ``enpproperty`` comment: {"title": …, "author": …}."""
    match = _ENP_PROPERTY.search(page_text)
    if not match:
        return {}
    props = {}
    for name, value in _PROPERTY_TAG.findall(match.group(1)):
        text = clean(lxml_html.fromstring(f"<span>{value}</span>").text_content())
        if text:
            props[name.lower()] = text
    return props


def _caption_of(img) -> str | None:
    return clean(img.attrib.get("data-original-title") or img.attrib.get("title"))


def body_of(body: Selector | None) -> tuple[list[str], list[str]]:
    """(paragraphs, captions) of an article body element.

    A table or figure holding an ``<img>`` is a picture: its text is the caption. An image's
    own ``title`` or ``data-original-title`` is a caption too. Every ``<p>`` is a paragraph,
    split further at ``<br>``; a body without ``<p>`` is split at ``<br>`` alone.
    """
    if body is None:
        return [], []
    root = lxml_html.fromstring(body.get())
    captions: list[str] = []
    for img in root.iter("img"):
        caption = _caption_of(img)
        if caption:
            captions.append(caption)
    for picture in list(root.xpath(".//table[.//img] | .//figure[.//img]")):
        caption = clean(picture.text_content())
        if caption:
            captions.append(caption)
        picture.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = root.xpath(".//p") or [root]
    paragraphs = []
    for block in blocks:
        for line in block.text_content().split("\n"):
            text = clean(line)
            if text and text not in captions:
                paragraphs.append(text)
    return paragraphs, captions


def founder_body(response: TextResponse, *containers: str) -> Selector | None:
    """The article body: ``<founder-content>``, the ``enpcontent`` comments, or the first
    of ``containers`` (CSS) that the page has."""
    for css in ("founder-content", *containers):
        found = response.css(css)
        if found:
            return found[0]
    block = enp_block(response.text, "enpcontent")
    if block is not None:
        return Selector(text=f"<div>{block}</div>").css("div")[0]
    return None


def split_byline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The byline the body opens with, and the paragraphs without it.

    A first paragraph that is only a byline (□本报记者 许廷合) is the byline; a lead that
    opens with 本报讯（记者 …） gives that part as the byline and keeps the rest.
    """
    if not paragraphs:
        return None, paragraphs
    first = paragraphs[0]
    if _BYLINE_PARAGRAPH.match(first):
        return first, paragraphs[1:]
    lead = _BYLINE_LEAD.match(first)
    if lead:
        rest = clean(lead.group(2))
        return lead.group(1), ([rest] if rest else []) + paragraphs[1:]
    return None, paragraphs


def check_readable(article: SiteArticle) -> SiteArticle:
    """The article, or ArticlePageError when it has no text or its text is garbled."""
    if not article.title and not article.paragraphs:
        raise ArticlePageError("the article page has no title and no text")
    text = "".join([article.title or "", *article.paragraphs])
    bad = len(_MOJIBAKE.findall(text))
    if bad > max(1, GARBLED_SHARE * len(text)) or "\ufffd" in (article.title or ""):
        raise ArticlePageError(
            f"the article page's text is garbled ({bad} of {len(text)} characters "
            "are replacement or Latin-1 characters: wrong encoding?)"
        )
    return article


def build_article(
    response: TextResponse,
    *,
    title: str | None,
    kicker: str | None,
    subtitle: str | None,
    byline: str | None,
    body: Selector | None,
    extra_captions: list[str] = (),
) -> SiteArticle:
    """A checked SiteArticle from the fields a family found; the enpproperty comment fills a
    missing title or byline, and a byline opening the body is taken from it."""
    props = enp_properties(response.text)
    paragraphs, captions = body_of(body)
    if not byline:  # a byline the markup names is the byline; else the body may open with it
        byline, paragraphs = split_byline(paragraphs)
    article = SiteArticle(
        url=response.url.split("?", 1)[0],
        title=title or props.get("title"),
        kicker=kicker,
        subtitle=subtitle,
        byline=byline or props.get("author"),
        paragraphs=paragraphs,
        captions=captions + [c for c in extra_captions if c not in captions],
    )
    return check_readable(article)
