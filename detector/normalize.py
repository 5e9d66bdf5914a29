"""Normalisation for matching, with an offset map back to the original text.

Matching happens on a folded copy of each document: scraped-page furniture
(headers, footers, page counters, chunk markers) removed, every character
folded with NFKC and lower-cased, and everything that is not a letter, a digit
or a redaction mark dropped. Digits are kept as they are: years and numbers
are what the diff must report. Every character of the folded text remembers
where it came from, so every report can point at the original.

Furniture rules are data: ``resources/furniture.toml`` ships the defaults and
users can add their own file in the same format.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import tomllib

from detector.entities import PLACEHOLDER_MARKS
from detector.errors import ConfigError

__all__ = [
    "FurnitureRules",
    "NormalizedText",
    "Removal",
    "find_furniture",
    "load_rules",
    "normalize",
]

_BMP = 0x10000


@dataclass(frozen=True)
class Removal:
    """A span of the original text removed as furniture.

    Attributes:
        start: Offset of the first removed character in the original text.
        end: Offset one past the last removed character.
        rule: Name of the rule that removed it (``chunk-marker`` for markers).
    """

    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class FurnitureRules:
    """Compiled furniture rules (see ``resources/furniture.toml``).

    Build one with :func:`load_rules`.
    """

    line: tuple[_Rule, ...] = ()
    inline: tuple[_Rule, ...] = ()
    marker: re.Pattern[str] | None = None
    terminal: str = ""
    min_mid_sentence: float = 0.5

    @functools.cached_property
    def line_start(self) -> re.Pattern[str] | None:
        """One pattern for the line rules anchored at the start of the line, matched there only."""
        return _either([r for r in self.line if _anchored(r.regex.pattern)], 0)

    @functools.cached_property
    def line_loose(self) -> re.Pattern[str] | None:
        """One pattern for the other line rules, searched in each line."""
        return _either([r for r in self.line if not _anchored(r.regex.pattern)], 0)

    @functools.cached_property
    def line_scan(self) -> re.Pattern[str] | None:
        """:attr:`line_loose` searched over all lines at once (``None``: line by line).

        Searched over the keys of all lines joined by newlines, it matches
        in every line where one of its rules matches the line alone; a match
        that runs into the next line is checked again on its first line
        only. Rules with string anchors or lookarounds, which see past the
        line, are searched line by line.
        """
        loose = [r for r in self.line if not _anchored(r.regex.pattern)]
        if any(_LINE_BOUND.search(r.regex.pattern) for r in loose):
            return None
        return _either(loose, re.MULTILINE)


#: What makes a line rule depend on more than its own line: string anchors, lookarounds.
_LINE_BOUND = re.compile(r"\\[AZ]|\(\?[=!<]")


def _anchored(pattern: str) -> bool:
    """Whether a pattern starts with ``^`` and has no ``|`` outside groups and classes.

    Examples:
        >>> _anchored("^第[0-9]+页$"), _anchored("^a|b"), _anchored("^(a|b)"), _anchored("a$")
        (True, False, True, False)
    """
    if not pattern.startswith("^"):
        return False
    depth, in_class, escaped = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
    return True


def _either(rules: Sequence[_Rule], flags: int) -> re.Pattern[str] | None:
    """One pattern matching where any of the rules matches (``None`` for no rules)."""
    if not rules:
        return None
    try:
        return re.compile("|".join(f"(?:{r.regex.pattern})" for r in rules), re.IGNORECASE | flags)
    except re.error:
        return re.compile("")  # a rule with inline flags: every line is checked rule by rule


def _compile(name: str, pattern: str, origin: str) -> _Rule:
    try:
        return _Rule(name, re.compile(pattern, re.IGNORECASE))
    except re.error as exc:
        raise ConfigError(f"{origin}: rule {name!r} has a bad pattern: {exc}") from None


def _parse_rules(data: dict, origin: str, base: FurnitureRules) -> FurnitureRules:
    def rules(kind: str) -> tuple[_Rule, ...]:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise ConfigError(f"{origin}: [[{kind}]] must be a list of tables")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or "pattern" not in item:
                raise ConfigError(f"{origin}: [[{kind}]] entry {i + 1} needs a 'pattern'")
            out.append(_compile(str(item.get("name", f"{kind}-{i + 1}")), item["pattern"], origin))
        return tuple(out)

    markers = data.get("chunk_markers", {})
    marker = base.marker
    if "pattern" in markers:
        marker = _compile("chunk-marker", markers["pattern"], origin).regex
        marker = re.compile(marker.pattern, re.MULTILINE)
    return FurnitureRules(
        line=base.line + rules("line"),
        inline=base.inline + rules("inline"),
        marker=marker,
        terminal=str(markers.get("terminal", base.terminal)),
        min_mid_sentence=float(markers.get("min_mid_sentence", base.min_mid_sentence)),
    )


def load_rules(extra: Iterable[str | Path] = (), *, defaults: bool = True) -> FurnitureRules:
    """Load furniture rules: the bundled defaults plus any extra TOML files.

    Args:
        extra: Paths of rule files in the format of ``resources/furniture.toml``;
            their rules are added to the defaults.
        defaults: Start from the bundled rules (``False``: only ``extra``).

    Returns:
        The compiled rules.

    Raises:
        ConfigError: A file is missing, is not TOML, or has a bad pattern.

    Examples:
        >>> rules = load_rules()
        >>> any(rule.name == "page-counter" for rule in rules.line)
        True
    """
    rules = _default_rules() if defaults else FurnitureRules()
    for path in extra:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: furniture rules file not found") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not a valid TOML rules file: {exc}") from None
        rules = _parse_rules(data, str(path), rules)
    return rules


@functools.cache
def _default_rules() -> FurnitureRules:
    text = resources.files("detector.resources").joinpath("furniture.toml").read_text("utf-8")
    return _parse_rules(tomllib.loads(text), "furniture.toml", FurnitureRules())


#: Lines longer than this are text, never furniture.
_MAX_FURNITURE_LINE = 300


def _line_key(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).split())


def find_furniture(text: str, rules: FurnitureRules | None = None) -> list[Removal]:
    """Find the furniture spans that :func:`normalize` removes.

    Args:
        text: The original text.
        rules: Rules from :func:`load_rules`; the bundled ones by default.

    Returns:
        Removed spans in text order.

    Examples:
        >>> [r.rule for r in find_furniture("第1页 / 共4页\\n正文")]
        ['page-counter']
    """
    rules = rules or _default_rules()
    lines = _split_lines(text)
    removals, dropped = _furniture_lines(text, lines, rules)
    for rule in rules.inline:
        removals.extend(Removal(m.start(), m.end(), rule.name) for m in rule.regex.finditer(text))
    if rules.marker is not None:
        removals.extend(_chunk_markers(text, lines, dropped, rules))
    removals.sort(key=lambda r: (r.start, r.end))
    return removals


def _split_lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, line)`` of each line, its newline included."""
    lines = []
    start = 0
    for part in text.split("\n"):
        end = min(start + len(part) + 1, len(text))
        lines.append((start, end, text[start:end]))
        start = end
    if lines and not lines[-1][2]:
        lines.pop()
    return lines


def _furniture_lines(
    text: str, lines: Sequence[tuple[int, int, str]], rules: FurnitureRules
) -> tuple[list[Removal], set[int]]:
    """Lines that a line rule removes, and their indexes."""
    removals: list[Removal] = []
    dropped: set[int] = set()
    if not rules.line or sum(1 for _, _, line in lines if not line.isspace()) < 2:
        return removals, dropped
    keys = _line_keys(text, lines)
    for i in _candidate_lines(keys, rules):
        for rule in rules.line:
            if rule.regex.search(keys[i]):
                start, end, _ = lines[i]
                removals.append(Removal(start, end, rule.name))
                dropped.add(i)
                break
    return removals, dropped


def _line_keys(text: str, lines: Sequence[tuple[int, int, str]]) -> list[str]:
    """What line rules see of each line: NFKC-folded, inner whitespace collapsed, stripped.

    Lines too long to be furniture get an empty key. When every character
    folds to one character on its own, the text is folded in one pass.
    """
    folded = _nfkc_simple(text)
    keys = []
    for start, end, line in lines:
        if end - start > _MAX_FURNITURE_LINE:
            keys.append("")
        elif folded is not None:
            keys.append(" ".join(folded[start:end].split()))
        else:
            keys.append(_line_key(line))
    return keys


def _candidate_lines(keys: Sequence[str], rules: FurnitureRules) -> list[int]:
    """Indexes of the lines where some line rule may match (each is checked rule by rule)."""
    found: set[int] = set()
    if rules.line_start is not None:
        found.update(i for i, key in enumerate(keys) if key and rules.line_start.match(key))
    if rules.line_scan is not None:
        found.update(_scan_joined(keys, rules.line_scan))
    elif rules.line_loose is not None:
        found.update(i for i, key in enumerate(keys) if key and rules.line_loose.search(key))
    return sorted(found)


def _scan_joined(keys: Sequence[str], pattern: re.Pattern[str]) -> list[int]:
    """Indexes of the keys in which ``pattern`` finds a match, searched over all keys joined."""
    joined = "\n".join(keys)
    ends = np.cumsum([len(key) + 1 for key in keys])
    found: list[int] = []
    position = 0
    while (m := pattern.search(joined, position)) is not None:
        index = int(np.searchsorted(ends, m.start(), side="right"))
        if index >= len(keys):
            break
        if keys[index]:
            found.append(index)
        position = int(ends[index])
    return found


#: Code points below this hold every canonical decomposition (the planes above
#: hold none in any Unicode version so far).
_DECOMPOSED = 0x30000


@functools.cache
def _nfkc_tables() -> tuple[np.ndarray, np.ndarray]:
    """NFKC of each BMP character on its own, and whether that is also its NFKC in any text.

    A character qualifies when it folds to one character, neither it nor
    its fold is a combining mark, and neither can be the second half of a
    composition (so no neighbour changes its fold).
    """
    second = {
        int(d.split()[1], 16)
        for d in map(unicodedata.decomposition, map(chr, range(_DECOMPOSED)))
        if d and not d.startswith("<") and len(d.split()) == 2
    }
    second.update(range(0x1161, 0x1176))
    second.update(range(0x11A8, 0x11C3))
    table = np.arange(_BMP, dtype=np.uint32)
    simple = np.zeros(_BMP, dtype=bool)
    for cp in range(_BMP):
        if 0xD800 <= cp < 0xE000 or cp in second or unicodedata.combining(chr(cp)):
            continue
        ch = chr(cp)
        folded = ch if unicodedata.is_normalized("NFKC", ch) else unicodedata.normalize("NFKC", ch)
        if len(folded) == 1 and ord(folded) not in second and not unicodedata.combining(folded):
            table[cp] = ord(folded)
            simple[cp] = True
    return table, simple


def _nfkc_simple(text: str) -> str | None:
    """The NFKC form of a text whose characters all fold on their own (same length), else ``None``."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if cps.size and int(cps.max()) >= _BMP:
        return None
    table, simple = _nfkc_tables()
    if not simple[cps].all():
        return None
    return table[cps].tobytes().decode("utf-32-le")


def _chunk_markers(
    text: str,
    lines: Sequence[tuple[int, int, str]],
    dropped: set[int],
    rules: FurnitureRules,
) -> list[Removal]:
    assert rules.marker is not None
    starts = [start for start, _, _ in lines]
    chain: list[tuple[re.Match[str], int]] = []
    expected = 1
    for m in rules.marker.finditer(text):
        if int(m.group(1)) != expected:
            continue
        index = int(np.searchsorted(starts, m.start(), side="right")) - 1
        if index in dropped:
            continue
        chain.append((m, index))
        expected += 1
    if len(chain) < 2:
        return []
    mid = 0
    for _, index in chain[1:]:
        previous = next(
            (
                lines[j][2].strip()
                for j in range(index - 1, -1, -1)
                if j not in dropped and lines[j][2].strip()
            ),
            "",
        )
        if previous and previous[-1] not in rules.terminal:
            mid += 1
    if mid < rules.min_mid_sentence * (len(chain) - 1):
        return []
    return [Removal(m.start(1), m.end(), "chunk-marker") for m, _ in chain]


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """Text folded for matching, with the map back to the original.

    Attributes:
        text: The folded text: letters, digits and redaction marks only.
        offsets: ``offsets[i]`` is the index in ``original`` of ``text[i]``
            (an int64 numpy array, non-decreasing).
        original: The text that was normalised.
        removed: Furniture spans removed from the original.
    """

    text: str
    offsets: np.ndarray
    original: str
    removed: tuple[Removal, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of :attr:`text` to the original text.

        Args:
            start: Start offset in the folded text.
            end: End offset (exclusive) in the folded text; ``end > start``.

        Returns:
            ``(original_start, original_end)``, end exclusive.

        Examples:
            >>> n = normalize("２０２２年，全县")
            >>> n.text
            '2022年全县'
            >>> n.original_span(5, 7)
            (6, 8)
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside the text of length {len(self.text)}")
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1

    def codepoints(self) -> np.ndarray:
        """The folded text as a uint32 array of code points."""
        return np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)


def _fold_char(ch: str) -> str:
    """Fold one character: NFKC and lower case, repeated to a fixed point."""
    out = ch
    for _ in range(4):
        folded = "".join(unicodedata.normalize("NFKC", c).lower() for c in out)
        folded = unicodedata.normalize("NFKC", folded)
        if folded == out:
            break
        out = folded
    return out


def _keeps(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN" or ch in PLACEHOLDER_MARKS


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lookup tables over the Basic Multilingual Plane.

    Returns ``(fold, keep, special)``: the one-character fold of each code
    point, whether a (folded) code point is kept, and which code points fold
    to more or fewer than one character and need the slow path.
    """
    fold = np.arange(_BMP, dtype=np.uint32)
    keep = np.zeros(_BMP, dtype=bool)
    special = np.zeros(_BMP, dtype=bool)
    special[0xD800:0xE000] = True
    for cp in range(_BMP):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        keep[cp] = _keeps(ch)
        stable = unicodedata.is_normalized("NFKC", ch) and ch.lower() == ch
        folded = ch if stable else _fold_char(ch)
        if len(folded) == 1:
            fold[cp] = ord(folded)
        elif not _fold_kept(ch):
            fold[cp] = ord(" ")  # folds to characters that are all dropped, e.g. "…"
        else:
            special[cp] = True
    return fold, keep, special


@functools.lru_cache(maxsize=4096)
def _fold_kept(ch: str) -> str:
    return "".join(c for c in _fold_char(ch) if _keeps(c))


def _fold(index: np.ndarray, cps: np.ndarray) -> tuple[str, np.ndarray]:
    """Fold code points ``cps`` found at ``index`` of the original: the kept text and its offsets.

    Most characters fold to one character by table; the few that fold to
    several (or lie outside the Basic Multilingual Plane) are folded one by
    one and spliced in, all with array operations.
    """
    table, keep, special = _tables()
    bmp = cps < _BMP
    slow = ~bmp
    slow[bmp] = special[cps[bmp]]
    if not slow.any():
        folded = table[cps]
        mask = keep[folded]
        return folded[mask].tobytes().decode("utf-32-le"), index[mask].astype(np.int64)
    pieces = [_fold_kept(chr(cp)) for cp in cps[slow].tolist()]
    lengths = np.zeros(len(cps), dtype=np.int64)
    fast = ~slow
    folded = table[np.where(fast, cps, 0)]
    lengths[fast] = keep[folded[fast]]
    lengths[slow] = [len(piece) for piece in pieces]
    starts = np.cumsum(lengths) - lengths
    out = np.empty(int(lengths.sum()), dtype=np.uint32)
    single = fast & (lengths == 1)
    out[starts[single]] = folded[single]
    spliced = np.frombuffer("".join(pieces).encode("utf-32-le"), dtype=np.uint32)
    if spliced.size:
        slow_lengths = lengths[slow]
        within = np.arange(spliced.size) - np.repeat(np.cumsum(slow_lengths) - slow_lengths, slow_lengths)
        out[np.repeat(starts[slow], slow_lengths) + within] = spliced
    return out.tobytes().decode("utf-32-le"), np.repeat(index, lengths).astype(np.int64)


def normalize(
    text: str,
    *,
    rules: FurnitureRules | None = None,
    furniture: bool = True,
    fold: Callable[[str], str] | None = None,
) -> NormalizedText:
    """Fold text for matching and keep the map back to the original.

    Steps: drop scraped-page furniture and chunk markers (when ``furniture``),
    fold each character with NFKC and lower case (full-width to half-width,
    compatibility forms to their plain letters), and drop every character that
    is not a letter, a digit or a redaction mark (``*``, ``×``). Digits are
    never changed. A lone surrogate (half of a UTF-16 pair, or a byte kept by
    ``surrogateescape``) is not a letter either: it is dropped like
    punctuation, so the folded text is always valid Unicode. The result is
    idempotent: normalising ``result.text`` again gives ``result.text``.

    Args:
        text: The original text.
        rules: Furniture rules from :func:`load_rules` (bundled ones by default).
        furniture: Remove furniture and chunk markers.
        fold: A one-for-one character mapping applied to the copy of the
            text the furniture rules are matched on (for instance traditional
            to simplified characters, so that rules written in one script
            find furniture written in the other). It must keep the length.

    Returns:
        A :class:`NormalizedText`.

    Examples:
        >>> normalize("坚决打赢２０２２年污染防治攻坚战，").text
        '坚决打赢2022年污染防治攻坚战'
        >>> normalize("Hello, World!").text
        'helloworld'
        >>> normalize("全县\\ud800生态").text
        '全县生态'
    """
    seen = text if fold is None or not furniture else fold(text)
    return _normalized(text, text if seen == text else seen, rules or _default_rules(), furniture)


@functools.lru_cache(maxsize=4)
def _normalized(text: str, seen: str, rules: FurnitureRules, furniture: bool) -> NormalizedText:
    """:func:`normalize` of ``text``, furniture found in ``seen``; the last few results are kept.

    Reports fold one text several ways (matching, alignment, the text as
    written); the ways that share a normalisation share its result.
    """
    removals = find_furniture(seen, rules) if furniture else []
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    alive = np.ones(len(cps), dtype=bool)
    for removal in removals:
        alive[removal.start : removal.end] = False
    index = np.flatnonzero(alive)
    normalized, offsets = _fold(index, cps[index])
    return NormalizedText(normalized, offsets, text, tuple(removals))
