"""The running header and footer (date, page name, 编辑/校对, page number): no article's text.

A wide rule near the top (bottom) edge closes the header (opens the footer). Without one,
lines in the outer band that look like header matter (dates, 第N版, 编辑) are taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .chars import Box, PageContent
from .lines import Run, build_lines

HEAD_BAND = 0.15  # share of the page height a header rule may sit in
PLAIN_BAND = 0.07  # share of the page height searched without a rule
RULE_SPAN = 0.75  # share of the page width a header (footer) rule spans: a frame's edge does not
HEAD_PATTERN = re.compile(
    r"\d{4}\s*年|\d+\s*月\s*\d+\s*日|星期[一二三四五六日天]|第\s*[0-9０-９一二三四五六七八九十]+\s*[版页]"
    r"|编辑|校对|美编|版式|责编|Page\s+\d+|\bPAGE\b", re.IGNORECASE)


def _edge(rules: Sequence[Box], runs: Sequence[Run], page: PageContent,
          top: bool) -> float | None:
    """The rule that closes the header (opens the footer): the wide rule nearest the edge
    with text beyond it. A rule further in (under a headline set right below the header,
    over a last article) closes nothing."""
    wide = [r for r in rules if r[2] - r[0] >= RULE_SPAN * page.width]
    if top:
        ys = sorted(r[3] for r in wide if r[1] <= HEAD_BAND * page.height)
        return next((y for y in ys if any(r.bottom <= y + 1 for r in runs)), None)
    ys = sorted((r[1] for r in wide if r[3] >= (1 - HEAD_BAND) * page.height), reverse=True)
    return next((y for y in ys if any(r.top >= y - 1 for r in runs)), None)


def split_running_heads(
    runs: list[Run], page: PageContent
) -> tuple[list[Run], list[Run], list[Run]]:
    """(header runs, footer runs, the rest) of a page."""
    head_y = _edge(page.hrules, runs, page, top=True)
    foot_y = _edge(page.hrules, runs, page, top=False)
    header: list[Run] = []
    footer: list[Run] = []
    rest: list[Run] = []
    for run in runs:
        if head_y is not None and run.bottom <= head_y + 1:
            header.append(run)
        elif foot_y is not None and run.top >= foot_y - 1:
            footer.append(run)
        else:
            rest.append(run)
    if sum(len(r.chars) for r in header) > 0.25 * sum(len(r.chars) for r in runs):
        # so much above the rule: it underlines the first headline, it closes no header
        rest.extend(header)
        header = []
    if head_y is None:
        band = [r for r in rest if r.bottom <= PLAIN_BAND * page.height]
        header = _matching_lines(band)
    if foot_y is None:
        band = [r for r in rest if r.top >= (1 - PLAIN_BAND) * page.height]
        footer = _matching_lines(band)
    taken = {id(r) for r in header} | {id(r) for r in footer}
    return header, footer, [r for r in rest if id(r) not in taken]


def _matching_lines(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for line_runs in _group_by_line(runs):
        text = "".join(c.text for r in line_runs for c in r.chars)
        if HEAD_PATTERN.search(text):
            out.extend(line_runs)
    return out


def _group_by_line(runs: list[Run]) -> list[list[Run]]:
    groups: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.base):
        if groups and abs(run.base - groups[-1][0].base) <= 0.3 * run.size:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def heads_text(runs: list[Run]) -> str | None:
    """Text of header or footer runs: lines top to bottom, pieces joined by a space."""
    if not runs:
        return None
    return " ".join(ln.text for ln in build_lines(runs)) or None
