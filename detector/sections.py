"""Sections: the parts of a speech or report, found from its headings.

Speeches and reports number their parts: 第一章, 一、 二、 三、, （一）
（二）, and in English "1. Introduction" or "Part 2". A report gives each
part its own copy ratio, as CNKI gives one per chapter. The outermost kind
of heading the text uses at least twice, numbered 1, 2, 3 … in order, makes
the sections; text before the first heading is the opening section. A
heading starts a line, or follows the end of a sentence when a scraped copy
ran the lines together.

Examples:
    >>> text = "同志们：\\n一、提高认识\\n要认识到位。\\n二、突出重点\\n要抓住重点。"
    >>> [(s.heading, s.start, s.end) for s in find_sections(text)]
    [('', 0, 5), ('一、提高认识', 5, 19), ('二、突出重点', 19, 32)]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

__all__ = ["Section", "find_sections"]

_CN = "零〇一二三四五六七八九十"
_START = r"(?:^|(?<=[\n。！？!?；;]))[ \t\u3000]*"
#: Kinds of heading, outermost first: (pattern with a ``n`` group for the number).
_KINDS = (
    re.compile(rf"{_START}第(?P<n>[{_CN}]{{1,3}}|\d{{1,2}})[章编篇部分]+", re.MULTILINE),
    re.compile(rf"{_START}(?:Part|PART|Chapter|CHAPTER)\s+(?P<n>\d{{1,2}}|[IVX]{{1,5}})\b", re.MULTILINE),
    re.compile(rf"{_START}(?P<n>[{_CN}]{{1,3}})[、．.]", re.MULTILINE),
    re.compile(rf"{_START}[（(](?P<n>[{_CN}]{{1,3}})[）)]", re.MULTILINE),
    re.compile(r"^[ \t]*(?P<n>\d{1,2})\.?[ \t]+(?=[A-Z])", re.MULTILINE),
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
#: Longest heading shown: the line up to its first sentence end, cut with … after this many characters.
HEADING_LENGTH = 40


@dataclass(frozen=True)
class Section:
    """One part of a text.

    Attributes:
        heading: The heading's line, up to its first sentence end (empty for
            the opening section before the first heading).
        start: Offset of the section's first character in the text.
        end: Offset after its last character.
    """

    heading: str
    start: int
    end: int


def number(text: str) -> int | None:
    """The value of a heading number: Arabic, Chinese (一 … 九十九) or Roman.

    Examples:
        >>> number("3"), number("十二"), number("二十"), number("IV"), number("百")
        (3, 12, 20, 4, None)
    """
    if text.isdigit():
        return int(text)
    if text in _ROMAN:
        return _ROMAN[text]
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in text:
        return digits.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or (tens and tens not in digits) or (units and units not in digits):
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)


def _heading_starts(text: str) -> list[int]:
    """Where the headings of the outermost kind used at least twice begin."""
    for pattern in _KINDS:
        starts: list[int] = []
        for m in pattern.finditer(text):
            if number(m.group("n")) == len(starts) + 1:
                starts.append(m.end() - len(m.group(0).lstrip(" \t\u3000")))
        if len(starts) >= 2:
            return starts
    return []


def _heading(text: str, start: int) -> str:
    line = text[start:].split("\n", 1)[0]
    cut = re.search(r"[。！？!?；;]", line)
    line = (line[: cut.start()] if cut else line).strip()
    return line if len(line) <= HEADING_LENGTH else line[: HEADING_LENGTH - 1] + "…"


def find_sections(text: str) -> list[Section]:
    """The sections of a text, in order, covering it whole.

    Args:
        text: The original text.

    Returns:
        The sections; one section with an empty heading when the text has no
        numbered headings.

    Examples:
        >>> [s.heading for s in find_sections("Intro.\\n1. Policy\\nRates.\\n2. Outlook\\nGrowth.")]
        ['', '1. Policy', '2. Outlook']
        >>> [(s.heading, s.start, s.end) for s in find_sections("没有标题的讲话。")]
        [('', 0, 8)]
    """
    starts = _heading_starts(text)
    if not starts:
        return [Section("", 0, len(text))]
    sections = [Section("", 0, starts[0])] if text[: starts[0]].strip() else []
    bounds = [*starts, len(text)]
    sections.extend(Section(_heading(text, s), s, e) for s, e in itertools.pairwise(bounds))
    return sections
