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
  ordinals, place names and placeholders (as :mod:`detector.entities`
  defines them) become class tokens ``<Y>``, ``<N>``, ``<P>`` and ``<X>``,
  so a copy with all of them changed still collides with its source.

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
from detector.entities import number_spans, place_spans, placeholder_spans, year_spans
from detector.normalize import FurnitureRules, NormalizedText, normalize
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
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = cps < _BMP
    mapped = cps.copy()
    mapped[bmp] = _script_table()[cps[bmp]]
    if np.array_equal(mapped, cps):
        return text
    return mapped.tobytes().decode("utf-32-le", "surrogatepass")


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
            for start, end, token in _entities(norm, text, self._script):
                spans.append((start, end, token))
                taken[start:end] = b"\x01" * (end - start)
        if self._spin is not None:
            masked = bool(spans)
            for m in self._spin.finditer(text):
                if masked and 1 in taken[m.start() : m.end()]:
                    continue
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


def _entities(norm: NormalizedText, text: str, script: Callable[[str], str]) -> list[tuple[int, int, str]]:
    """Spans of the normalised text to mask, with their tokens, sorted and disjoint.

    Years, numbers, ordinals and placeholders are found in the (script-folded)
    original text, where decimal points, separators and the unit after a
    number are still there, and mapped through the offsets; place names are
    found in the normalised text. Definitions: :mod:`detector.entities`.
    """
    spans = _original_entities(norm, script(norm.original))
    taken = bytearray(len(text) + 1)
    for start, end, _ in spans:
        taken[start:end] = b"\x01" * (end - start)
    for start, end in place_spans(text):
        if 1 not in taken[start:end]:
            spans.append((start, end, TOKENS["place"]))
            taken[start:end] = b"\x01" * (end - start)
    spans.sort()
    return spans


def _original_entities(norm: NormalizedText, original: str) -> list[tuple[int, int, str]]:
    """Years, numbers and placeholders of ``original``, as spans of the normalised text."""
    label = np.full(len(original) + 1, -1, dtype=np.int64)
    used = bytearray(len(original) + 1)
    kinds: list[str] = []
    finders = (("year", year_spans), ("number", number_spans), ("placeholder", placeholder_spans))
    for kind, find in finders:
        for start, end in find(original):
            if 1 in used[start:end]:
                continue
            used[start:end] = b"\x01" * (end - start)
            label[start:end] = len(kinds)
            kinds.append(kind)
    ids = label[norm.offsets] if len(norm.offsets) else np.empty(0, np.int64)
    spans: list[tuple[int, int, str]] = []
    if (ids >= 0).any():
        edges = np.flatnonzero(np.diff(ids, prepend=-2, append=-2))
        for start, end in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
            entity = int(ids[start])
            if entity >= 0:
                spans.append((start, end, TOKENS[kinds[entity]]))
    return spans


def _replace(norm: NormalizedText, text: str, spans: list[tuple[int, int, str]]) -> NormalizedText:
    """Replace disjoint sorted spans of ``text``; each new character maps into its span."""
    parts: list[str] = []
    repeats = np.ones(len(text), dtype=np.int64)
    position = 0
    for start, end, new in spans:
        parts += (text[position:start], new)
        kept = min(len(new), end - start) - 1
        repeats[start + kept : end - 1] = 0
        repeats[end - 1] = len(new) - kept
        position = end
    parts.append(text[position:])
    offsets = np.repeat(norm.offsets, repeats)
    return NormalizedText("".join(parts), offsets, norm.original, norm.removed)


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
