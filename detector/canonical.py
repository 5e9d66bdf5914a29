"""Canonical form: the normalised text with disguise undone, for matching only.

Recyclers who know a checker exists disguise a copy: they repost it in
traditional characters, spin its vocabulary (发展 → 开展), and change every
year, number and place. Matching runs on a canonical form where each of these
is undone:

* **Script**: traditional and variant characters (Hong Kong and Taiwan
  standards included) become simplified, one character for one, with the
  conversion tables of OpenCC.
* **Spin**: every word of the spin lexicon is folded to one word of its
  group, in both directions (开展 and 发展 both read 发展).
* **Entities** (optional, :attr:`Config.mask_entities`): years, numbers,
  ordinals, place names and placeholders become class tokens ``<Y>``,
  ``<N>``, ``<P>`` and ``<X>``, so a copy with all of them changed still
  collides with its source.

The canonical form is a :class:`~detector.normalize.NormalizedText` whose
offsets still point into the original text, so what is reported (passages,
swaps, HTML) shows the original.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import numpy as np

from detector.components import DisjointSets
from detector.config import Config
from detector.normalize import FurnitureRules, NormalizedText, normalize
from detector.places import gazetteer
from detector.swaps import Lexicon, load_lexicon

__all__ = [
    "TOKENS",
    "Canonicalizer",
    "canonical",
    "canonical_phrases",
    "fold_script",
    "matching_form",
    "to_simplified",
]

#: The class token of each kind of masked entity.
TOKENS = {"year": "<Y>", "number": "<N>", "place": "<P>", "placeholder": "<X>"}

_BMP = 0x10000
_HAN_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00))

_DIGIT = "0-9０-９"
_NUMBER = re.compile(rf"[{_DIGIT}]+(?:[.．][{_DIGIT}]+)*[%％‰]?")
_YEAR_DIGITS = re.compile(r"(?:1[89]|20)[0-9]{2}")
_YEAR_AFTER = re.compile(r"\s*(?:年|[-—–~～至到][0-9０-９])")
_YEAR_WORDS = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_ORDINAL = re.compile(rf"(?<=第)[一二三四五六七八九十百千万零〇两{_DIGIT}]+")
_PLACEHOLDER = re.compile(r"(?=[*＊×xXｘＸ某])(?:[*＊×]+|(?<![A-Za-z<])[xXｘＸ]+(?![A-Za-z>])|某某+)")
#: An administrative level after a deictic: 全县, 我市, 本区.
_ADMIN = re.compile(r"(?:全|我|本|该)[省市县区镇乡州旗]")
_PLACE_END = re.compile(r"[省市县区旗盟州]")


@functools.cache
def _script_table() -> np.ndarray:
    """Code point of the simplified form of each BMP character (itself when none).

    Built from OpenCC's ``t2s`` conversion; its Hong Kong and Taiwan variant
    tables (``hk2s``, ``tw2s``) are used for characters outside GB2312, so
    a character of simplified text is never turned into another.
    """
    import opencc

    table = np.arange(_BMP, dtype=np.uint32)
    points = [cp for lo, hi in _HAN_RANGES for cp in range(lo, hi)]
    joined = "\n".join(chr(cp) for cp in points)
    converted = {name: opencc.OpenCC(name).convert(joined).split("\n") for name in ("t2s", "hk2s", "tw2s")}
    for i, cp in enumerate(points):
        ch = chr(cp)
        try:
            ch.encode("gb2312")
            simplified_standard = True
        except UnicodeEncodeError:
            simplified_standard = False
        choices = [converted["t2s"][i]]
        if not simplified_standard:
            choices += [converted["hk2s"][i], converted["tw2s"][i]]
        for out in choices:
            if len(out) == 1 and out != ch:
                table[cp] = ord(out)
                break
    return table


def to_simplified(text: str) -> str:
    """Map traditional and variant characters to simplified ones, one for one (same length).

    Examples:
        >>> to_simplified("綠水青山就是金山銀山")
        '绿水青山就是金山银山'
    """
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    bmp = cps < _BMP
    mapped = cps.copy()
    mapped[bmp] = _script_table()[cps[bmp]]
    if np.array_equal(mapped, cps):
        return text
    return mapped.tobytes().decode("utf-32-le")


def fold_script(norm: NormalizedText) -> NormalizedText:
    """Map traditional and variant characters to simplified ones, one for one.

    The offsets do not change: character ``i`` of the result comes from the
    same place of the original as character ``i`` of ``norm``.

    Examples:
        >>> fold_script(normalize("堅持綠色發展，持續改善環境質量")).text
        '坚持绿色发展持续改善环境质量'
    """
    text = to_simplified(norm.text)
    if text is norm.text:
        return norm
    return NormalizedText(text, norm.offsets, norm.original, norm.removed)


def _spans_of(pattern: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    return ((m.start(), m.end()) for m in pattern.finditer(text))


class Canonicalizer:
    """Maps normalised texts to their canonical form.

    Args:
        lexicon: Spin pairs to fold (default: the bundled lexicon).
        script: Map traditional characters to simplified ones.
        spin: Fold the lexicon's words, each to the first word of its group.
        mask: Mask years, numbers, ordinals, places and placeholders.

    Examples:
        >>> c = Canonicalizer(mask=True)
        >>> c(normalize("2023年全縣開展x項目，投入1.5億元")).text
        '<Y>年<P>发展<X>项目投入<N>亿元'
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        script: bool = True,
        spin: bool = True,
        mask: bool = False,
    ) -> None:
        self.script = script
        self.mask = mask
        self._fold: dict[str, str] = {}
        if spin:
            self._fold = _fold_map(lexicon or load_lexicon(), self._script)
        words = sorted(self._fold, key=lambda w: (-len(w), w))
        self._spin = re.compile("|".join(map(re.escape, words))) if words else None

    def _script(self, text: str) -> str:
        return to_simplified(text) if self.script else text

    def text(self, text: str) -> str:
        """The canonical form of a short normalised text (a phrase), without offsets."""
        return self(NormalizedText(text, np.arange(len(text), dtype=np.int64), text)).text

    def __call__(self, norm: NormalizedText) -> NormalizedText:
        """The canonical form of a normalised text.

        Args:
            norm: The normalised text.

        Returns:
            A :class:`NormalizedText` whose offsets point into ``norm.original``.
        """
        text = self._script(norm.text)
        taken = bytearray(len(text) + 1)
        spans: list[tuple[int, int, str]] = []
        if self.mask and text:
            for start, end, token in _entities(norm, text):
                spans.append((start, end, token))
                taken[start:end] = b"\x01" * (end - start)
        if self._spin is not None:
            for m in self._spin.finditer(text):
                if 1 not in taken[m.start() : m.end()]:
                    replacement = self._fold[m.group()]
                    if replacement != m.group():
                        spans.append((m.start(), m.end(), replacement))
        if not spans:
            if text is norm.text:
                return norm
            return NormalizedText(text, norm.offsets, norm.original, norm.removed)
        spans.sort()
        return _replace(norm, text, spans)


def _fold_map(lexicon: Lexicon, script: Callable[[str], str]) -> dict[str, str]:
    """Each lexicon word's representative: the first word of its group, in lexicon order."""
    sets: DisjointSets[str] = DisjointSets(lexicon.pairs)
    for word, others in lexicon.pairs.items():
        for other in others:
            sets.union(word, other)
    fold: dict[str, str] = {}
    for word in lexicon.pairs:
        fold.setdefault(script(word), script(sets.find(word)))
    return fold


def _entities(norm: NormalizedText, text: str) -> list[tuple[int, int, str]]:
    """Spans of the normalised text to mask, with their tokens, sorted and disjoint.

    Years, numbers, ordinals and placeholders are found in the original text,
    where decimal points and separators are still there, and mapped through
    the offsets; place names are found in the script-folded normalised text.
    """
    original = norm.original
    label = np.full(len(original) + 1, -1, dtype=np.int64)
    used = bytearray(len(original) + 1)
    kinds: list[str] = []

    def mark(start: int, end: int, kind: str) -> None:
        if 1 in used[start:end]:
            return
        used[start:end] = b"\x01" * (end - start)
        label[start:end] = len(kinds)
        kinds.append(kind)

    for start, end in _spans_of(_YEAR_WORDS, original):
        mark(start, end, "year")
    for m in _NUMBER.finditer(original):
        digits = m.group()
        year = (
            _YEAR_DIGITS.fullmatch(digits.translate(_HALF_DIGITS)) is not None
            and _YEAR_AFTER.match(original, m.end()) is not None
        )
        mark(m.start(), m.end(), "year" if year else "number")
    for start, end in _spans_of(_ORDINAL, original):
        mark(start, end, "number")
    for start, end in _spans_of(_PLACEHOLDER, original):
        mark(start, end, "placeholder")
    ids = label[norm.offsets] if len(norm.offsets) else np.empty(0, np.int64)
    spans: list[tuple[int, int, str]] = []
    if (ids >= 0).any():
        edges = np.flatnonzero(np.diff(ids, prepend=-2, append=-2))
        for start, end in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
            entity = int(ids[start])
            if entity >= 0:
                spans.append((start, end, TOKENS[kinds[entity]]))
    taken = bytearray(len(text) + 1)
    for start, end, _ in spans:
        taken[start:end] = b"\x01" * (end - start)
    for start, end in _places(text):
        if 1 not in taken[start:end]:
            spans.append((start, end, TOKENS["place"]))
            taken[start:end] = b"\x01" * (end - start)
    spans.sort()
    return spans


_HALF_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@functools.cache
def _place_names() -> tuple[frozenset[str], int]:
    """Full division names of three characters or more, and the longest length."""
    names = frozenset(n for n in gazetteer() if len(n) >= 3 and _PLACE_END.search(n[-1]))
    return names, max(map(len, names))


def _places(text: str) -> list[tuple[int, int]]:
    """Spans of division names (井研县) and deictic administrative levels (全县), disjoint."""
    names, longest = _place_names()
    found: list[tuple[int, int]] = []
    for m in _PLACE_END.finditer(text):
        end = m.end()
        for length in range(min(longest, end), 2, -1):
            if text[end - length : end] in names:
                found.append((end - length, end))
                break
    found.extend(_spans_of(_ADMIN, text))
    found.sort(key=lambda s: (s[0], -s[1]))
    disjoint: list[tuple[int, int]] = []
    for start, end in found:
        if not disjoint or start >= disjoint[-1][1]:
            disjoint.append((start, end))
    return disjoint


def _replace(norm: NormalizedText, text: str, spans: list[tuple[int, int, str]]) -> NormalizedText:
    """Replace disjoint sorted spans of ``text``; each new character maps into its span."""
    parts: list[str] = []
    offsets: list[np.ndarray] = []
    position = 0
    for start, end, new in spans:
        parts.append(text[position:start])
        offsets.append(norm.offsets[position:start])
        index = np.minimum(start + np.arange(len(new)), end - 1)
        index[-1] = end - 1
        parts.append(new)
        offsets.append(norm.offsets[index])
        position = end
    parts.append(text[position:])
    offsets.append(norm.offsets[position:])
    return NormalizedText("".join(parts), np.concatenate(offsets), norm.original, norm.removed)


@functools.lru_cache(maxsize=8)
def _canonicalizer(script: bool, mask: bool) -> Canonicalizer:
    return Canonicalizer(script=script, spin=script, mask=mask)


def canonical(norm: NormalizedText, config: Config) -> NormalizedText:
    """The form of a normalised text that matching uses under ``config``.

    With ``config.canonical`` the script and the spin are undone; with
    ``config.mask_entities`` entities are masked too. With neither, ``norm``
    itself.

    Examples:
        >>> canonical(normalize("為縣域開展提供根底"), Config()).text
        '为县域发展提供基础'
        >>> canonical(normalize("為縣域開展提供根底"), Config(canonical=False)).text
        '為縣域開展提供根底'
    """
    if not config.undoes_disguise:
        return norm
    return _canonicalizer(config.canonical, config.mask_entities)(norm)


def canonical_phrases(phrases: Iterable[str], config: Config) -> tuple[str, ...]:
    """Normalised common phrases in the form matching uses under ``config``.

    Examples:
        >>> canonical_phrases(["坚持开展第一要务"], Config(mask_entities=True))
        ('坚持发展第<N>要务',)
    """
    if not config.undoes_disguise:
        return tuple(phrases)
    convert = _canonicalizer(config.canonical, config.mask_entities)
    return tuple(dict.fromkeys(convert.text(p) for p in phrases))


def matching_form(text: str, config: Config, rules: FurnitureRules | None = None) -> NormalizedText:
    """Normalise a text, then take its canonical form under ``config``.

    With ``config.canonical``, furniture rules also find furniture written in
    traditional characters.

    Examples:
        >>> matching_form("２０２２年，全縣開展", Config(mask_entities=True)).text
        '<Y>年<P>发展'
    """
    fold = to_simplified if config.canonical else None
    return canonical(normalize(text, rules=rules, fold=fold), config)
