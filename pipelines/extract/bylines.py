"""Bylines and credits: who wrote an article, in the forms newspapers print them.

Chinese papers print a byline on its own line under the title or the kicker (□本报记者 许廷合
通讯员 蒋之恒, right-aligned or letter-spaced as often as not), at the head of the body
(本报讯（记者 … ）), or at its end in parentheses (（记者 张三）); American papers print
"By NAME", "By NAME, Staff Writer", "Special to the …" or a wire service's name on a line of
its own under the headline. A credit for help (（本报记者某某参与采写）) is no body text either.
A photographer's credit ends a caption (… 许廷合 摄, 新华社记者 卢汉欣摄).

Every pattern here matches a whole line (or a whole parenthesis): body text that merely
starts with "By" or 记者 is no byline.
"""

from __future__ import annotations

import re

_ROLE = (r"(?:本报记者|本报通讯员|本报特约记者|特约记者|见习记者|首席记者|新华社记者|中新社记者|"
         r"记者|通讯员|实习生|本报评论员|评论员|特约撰稿人|撰稿|本报)")
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_NAMES = rf"\s*{_NAME}(?:[\s、，,]+{_NAME})*"  # names apart by spaces (or 、)
# □本报记者 许廷合 通讯员 蒋之恒; 文/张三; 本报记者 张三 实习生 李四
ZH_BYLINE = re.compile(
    rf"^[□■◇◆]?\s*(?:{_ROLE}{_NAMES}(?:\s+{_ROLE}{_NAMES})*|[文图]\s*[/／·]\s*{_NAME}"
    rf"(?:\s+[文图]\s*[/／·]\s*{_NAME})*)\s*$")
# a photographer's credit: 新华社记者 卢汉欣摄, 许廷合 摄, 苗秋闹摄（新华社发）, 图/张三
PHOTO_CREDIT = re.compile(
    rf"^(?:{_ROLE})?\s*{_NAME}(?:[\s、]+{_NAME})*\s*(?:摄影?|供图|制图|绘)"
    rf"(?:\s*[（(][^）)]{{2,12}}[）)])?$|^图\s*[/／]\s*\S{{2,12}}$")
# a role alone (新华社记者), the names elsewhere: still who wrote it
ROLE_ONLY = re.compile(rf"^[□■◇◆]?\s*{_ROLE}$")
# the byline's names wrapped onto a short line of their own
NAMES_ONLY = re.compile(rf"^[\u4e00-\u9fff·]{{1,4}}(?:\s+{_NAME})*$")
# 本报讯（记者 许廷合 通讯员 丁姜岚）, 本报许昌电（记者 …）: opens the first paragraph
INLINE_BYLINE = re.compile(r"^(本报讯|本报[^\s（(]{1,8}电)\s*[（(]([^）)]{2,40})[）)]")
# （记者 张三）, （本报记者 张三 通讯员 李四）, （本报记者某某参与采写）: ends the last paragraph
TRAILING_BYLINE = re.compile(
    rf"[（(]\s*(?:{_ROLE}{_NAMES}(?:\s+{_ROLE}{_NAMES})*"
    rf"|(?:{_ROLE})?\s*[\u4e00-\u9fff·、\s]{{2,30}}(?:参与采写|对本文亦有贡献|参与报道|协助采访))\s*[）)]$")

_EN_NAME = r"[A-Z][A-Za-z.'’-]*(?:\s+(?:[A-Z][A-Za-z.'’-]*|de|van|von|da|del|la|le))*"
_EN_ROLE = (r"(?:[A-Z][A-Za-z.'’-]*\s+)*(?i:staff\s+writer|staff\s+reporter|writer|reporter|"
            r"correspondent|editor|columnist|critic|photographer|contributor|staff)")
_EN_STAFF = (r"(?:[A-Z][A-Za-z.'’-]*\s+)*(?i:staff\s+writer|staff\s+reporter|"
             r"staff\s+correspondent|correspondent)")
_WIRE = (r"(?:The\s+|THE\s+)?(?i:associated\s+press|AP|reuters|united\s+press"
         r"(?:\s+international)?|UPI|agence\s+france-presse|AFP|bloomberg(?:\s+news)?|"
         r"international\s+news\s+service)")
# staff without a name: By a Staff Correspondent, From Our Own Reporter, Staff Report
_EN_UNNAMED = (rf"(?:By|BY|From|FROM)\s+(?i:an?|our|the)\s+(?i:own\s+)?{_EN_ROLE}"
               r"|(?i:(?:from\s+)?staff\s+reports?|wire\s+reports|news\s+services)")
# By ROBERT HALE; By MARGARET OWENS, Staff Writer; Special to the Record; Associated Press
EN_BYLINE = re.compile(
    rf"^(?:(?:By|BY)\s+{_EN_NAME}(?:\s*(?:,|and|&)\s*{_EN_NAME})*(?:\s*,\s*{_EN_ROLE})?"
    rf"(?:\s*,\s*{_WIRE})?|{_EN_UNNAMED}"
    rf"|(?:Special|SPECIAL|Exclusive|EXCLUSIVE)\s+(?:to|TO)\s+(?:the\s+|THE\s+)?{_EN_NAME}"
    rf"|{_WIRE}|{_EN_STAFF})(?:\.|\s*,)?$")  # "By NAME," broken before its role
EN_BYLINE_CHARS = 80  # an English byline is at most this long


def is_byline(text: str) -> bool:
    """Whether a whole line (or block) of text is a byline, in Chinese or English."""
    text = text.strip()
    if not text or is_photo_credit(text):
        return False
    return (ZH_BYLINE.match(text) is not None or ROLE_ONLY.match(text) is not None
            or (len(text) <= EN_BYLINE_CHARS and EN_BYLINE.match(text) is not None))


def is_photo_credit(text: str) -> bool:
    """Whether a whole line is a photographer's credit (it goes with the photo's caption)."""
    return PHOTO_CREDIT.match(text.strip()) is not None


def split_trailing_byline(paragraph: str) -> tuple[str, str | None]:
    """(the paragraph without it, the byline) when a paragraph ends with a byline or a
    credit in parentheses; (paragraph, None) otherwise."""
    m = TRAILING_BYLINE.search(paragraph)
    if m is None:
        return paragraph, None
    return paragraph[:m.start()].rstrip(), m.group(0)
