"""English passage recall and precision of ``detector check`` on drafts built from RBA statements.

Corpus: the Reserve Bank of Australia's monetary-policy statements
(``en_rba_decisions``), split by period: statements from ``--split`` (2008)
on are the indexed corpus; statements before ``--split - --gap`` (2006) are
the hosts drafts are built from. Consecutive statements share most of their
sentences, so a random half would put near copies of every host into the
corpus. With hosts up to 2007 (``--gap 0``) a clean draft from a 2006–07
statement shares real sentences with the 2008 statements and is flagged (1
of 8 in a 24-draft trial): real reuse, not a false positive; with hosts
before 2006 none is.

Drafts: a host statement's sentences with 1–3 borrowed pieces inserted at
sentence boundaries, each piece one sentence (100+ characters) or a
paragraph of 2–4 consecutive sentences taken from 1–2 corpus statements,
with a share of its numbers changed (strength 0, 0.5 or 1 of the
``NUMBER_TOKEN`` tokens: years + 1, 4.35 → 4.10, 2½ → 2¾, 25 → 26; at
strengths 0.5 and 1 pieces with a number are preferred); plus clean drafts
(hosts with nothing borrowed). The truth: each piece's source and character
span in the draft.

A borrowed piece counts as found when reported passages from sources that
hold it cover at least half of it; a reported passage is correct when at
least half of it lies inside borrowed text its source holds. Borrowed text
is held by the statement it was taken from and by every corpus statement
with the same text, numbers aside, up to small edits (rapidfuzz
``partial_ratio`` ≥ 80 on the number-masked texts): RBA boilerplate recurs
in dozens of statements, a word or a comma changed, and any of them is a
true source. The strict columns count only the statement a piece was taken
from. Character columns: every draft character labelled borrowed or not and
reported or not (any source). A clean draft is flagged when any source is
reported. Copy ratio AUC: borrowing vs clean drafts by
``DraftReport.copy_ratio``. Learned common share: the mean share of a
draft's characters inside common phrases the corpus index learned (never
counted as reuse).

A second, diagnostic table repeats the run with the learned common phrases
dropped (listed phrases kept), to show what they cost in English.

Usage:
    python -m benchmarks.en_reuse_quality [--drafts 60] [--seed 1] [--examples 10] [--write]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from benchmarks.results import machine, publish
from detector import CheckOptions, Corpus, Document, DraftReport
from detector.entities import FRACTIONS, NUMBER_TOKEN
from detector.scripts import SPACED_PASSAGE_FACTOR

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DETECTOR_CORPORA", ROOT.parent / "shared" / "corpora"))
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
SHORTEST_SENTENCE = 100
STRENGTHS = (0.0, 0.5, 1.0)
NEAR = 80
MIN_PASSAGES = (20, 30, 40)
NEXT_FRACTION = {"¼": "½", "½": "¾", "¾": "¼", "⅓": "⅔", "⅔": "⅓", "⅛": "⅜", "⅜": "⅝", "⅝": "⅞", "⅞": "⅛"}


@dataclass(frozen=True)
class Piece:
    """One borrowed piece: a sentence or a paragraph of 2–4 sentences."""

    source: str
    start: int
    end: int
    kind: str
    strength: float
    swaps: int


@dataclass
class Draft:
    """A generated draft, its host and what it borrows."""

    text: str
    host: str
    pieces: list[Piece] = field(default_factory=list)


@dataclass(frozen=True)
class Score:
    """What one setting of ``min_passage`` gives on all drafts."""

    recall: float
    precision: float
    f1: float
    strict_recall: float
    strict_precision: float
    char_precision: float
    char_recall: float
    char_f1: float
    borrowed: int
    reported: int
    flagged: int
    clean: int
    auc: float
    learned: float
    ms_per_draft: float


def sentences(text: str) -> list[str]:
    """A statement's sentences, whitespace collapsed."""
    return [s for s in SENTENCE_END.split(" ".join(text.split())) if s]


def masked(text: str) -> str:
    """Text with every number as ``#`` and whitespace collapsed: what a sentence is besides its numbers."""
    return " ".join(NUMBER_TOKEN.sub("#", text).split())


def shift(token: str, rng: random.Random) -> str:
    """Another number written the same way: years + 1, decimals ± 0.25, fractions rotated, integers ± 1."""
    tail = token[-1] if token[-1] in "%％‰" else ""
    body = token[: len(token) - len(tail)]
    if body[-1] in FRACTIONS:
        return body[:-1] + NEXT_FRACTION.get(body[-1], "½") + tail
    if "/" in body:
        whole, _, fraction = body.partition("-")
        return f"{whole}-{'3/4' if fraction == '1/2' else '1/2'}{tail}"
    digits = body.replace(",", "")
    if not digits.replace(".", "", 1).isdigit():
        return token
    if "." in digits:
        places = len(digits.split(".")[1])
        step = 0.25 if places >= 2 else 0.5
        value = float(digits)
        value = value + step if value < step or rng.random() < 0.5 else value - step
        return f"{value:.{places}f}{tail}"
    value = int(digits)
    if len(digits) == 4 and 1900 <= value < 2100:
        value += 1
    else:
        value = value + 1 if value < 2 or rng.random() < 0.5 else value - 1
    return (f"{value:,}" if "," in body else str(value)) + tail


def change_numbers(text: str, strength: float, rng: random.Random) -> tuple[str, int]:
    """Text with each number changed with probability ``strength``, and how many were."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if rng.random() >= strength:
            return match.group()
        new = shift(match.group(), rng)
        count += new != match.group()
        return new

    return NUMBER_TOKEN.sub(replace, text), count


def load(split: int, gap: int) -> tuple[list[Document], list[Document]]:
    """Corpus statements (from ``split`` on) and host statements (before ``split - gap``)."""
    folder = CORPORA / "en_rba_decisions" / "docs"
    if not folder.is_dir():
        sys.exit(f"needs {folder} (set DETECTOR_CORPORA)")
    statements = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    corpus = [d for d in statements if int(d.id[:4]) >= split]
    hosts = [d for d in statements if int(d.id[:4]) < split - gap]
    return corpus, hosts


class Builder:
    """Builds drafts from host statements and borrowed corpus sentences."""

    def __init__(self, corpus: Sequence[Document], rng: random.Random) -> None:
        self.rng = rng
        self.sentences = {d.id: sentences(d.text) for d in corpus}

    def take(self, source: str, kind: str, taken: set[tuple[str, int]], numbered: bool) -> list[str]:
        """Sentences of one piece from a source: one long sentence or 2–4 in a row, with a number if asked."""
        parts = self.sentences[source]
        if kind == "sentence":
            options = [
                n for n, s in enumerate(parts) if len(s) >= SHORTEST_SENTENCE and (source, n) not in taken
            ]
            count = 1
        else:
            count = min(self.rng.randint(2, 4), len(parts))
            options = [
                n
                for n in range(len(parts) - count + 1)
                if all((source, m) not in taken for m in range(n, n + count))
            ]
        if not options:
            return []
        if numbered:
            with_numbers = [n for n in options if any(NUMBER_TOKEN.search(s) for s in parts[n : n + count])]
            options = with_numbers or options
        first = self.rng.choice(options)
        taken.update((source, m) for m in range(first, first + count))
        return parts[first : first + count]

    def draft(self, host: Document, pieces: int, source_count: int, strength: float) -> Draft:
        """A host's sentences with ``pieces`` borrowed pieces from ``source_count`` corpus statements."""
        units: list[tuple[list[str], str | None, str]] = [([s], None, "") for s in sentences(host.text)]
        chosen = self.rng.sample(sorted(self.sentences), source_count)
        taken: set[tuple[str, int]] = set()
        for number in range(pieces):
            kind = self.rng.choice(("sentence", "paragraph"))
            borrowed = self.take(chosen[number % source_count], kind, taken, strength > 0)
            if borrowed:
                units.insert(
                    self.rng.randrange(len(units) + 1), (borrowed, chosen[number % source_count], kind)
                )
        draft = Draft("", host.id)
        texts: list[str] = []
        position = 0
        for parts, source, kind in units:
            start = position
            swaps = 0
            for part in parts:
                text, changed = (part, 0) if source is None else change_numbers(part, strength, self.rng)
                texts.append(text)
                swaps += changed
                position += len(text) + 1
            if source is not None:
                draft.pieces.append(Piece(source, start, position - 1, kind, strength, swaps))
        draft.text = " ".join(texts)
        return draft


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def passages(report: DraftReport) -> list[tuple[str, int, int]]:
    return [(s.source, p.draft_start, p.draft_end) for s in report.sources for p in s.passages]


class Holders:
    """Whether a corpus statement holds a stretch of borrowed text, numbers aside, up to small edits.

    Strict: only the statement the piece was taken from. Otherwise also any
    statement where the number-masked stretch matches with rapidfuzz's
    ``partial_ratio`` ≥ ``NEAR`` (RBA statements repeat sentences with a word
    or a comma changed: "is declining" / "has been declining").
    """

    def __init__(self, corpus: Sequence[Document], strict: bool) -> None:
        self.strict = strict
        self.masked = {d.id: masked(d.text) for d in corpus}

    def __call__(self, piece: Piece, source: str, text: str) -> bool:
        if source == piece.source:
            return True
        if self.strict or source not in self.masked:
            return False
        key = masked(text)
        return key in self.masked[source] or fuzz.partial_ratio(key, self.masked[source]) >= NEAR


def judge(draft: Draft, found: list[tuple[str, int, int]], holds: Holders) -> tuple[list[bool], list[bool]]:
    """Whether each piece is found, and whether each reported passage is correct."""
    covered = np.zeros(len(draft.text) + 1, dtype=bool)
    inside = []
    for source, p0, p1 in found:
        held = 0
        for piece in draft.pieces:
            s0, s1 = max(p0, piece.start), min(p1, piece.end)
            if s0 < s1 and holds(piece, source, draft.text[s0:s1]):
                covered[s0:s1] = True
                held += s1 - s0
        inside.append(2 * held >= p1 - p0)
    pieces = [2 * int(covered[p.start : p.end].sum()) >= p.end - p.start for p in draft.pieces]
    return pieces, inside


def characters(draft: Draft, found: list[tuple[str, int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per character of the draft: borrowed, and reported (any source)."""
    truth = np.zeros(len(draft.text), dtype=bool)
    for p in draft.pieces:
        truth[p.start : p.end] = True
    reported = np.zeros(len(draft.text), dtype=bool)
    for _, p0, p1 in found:
        reported[p0:p1] = True
    return truth, reported


def ratio(y_true: list[bool], y_pred: list[bool], metric: str) -> float:
    """sklearn's precision or recall of labels, 1.0 on no predictions / nan on no positives."""
    if metric == "precision":
        return float(precision_score(y_true, y_pred, zero_division=1.0)) if y_pred else 1.0
    return float(recall_score(y_true, y_pred, zero_division=np.nan)) if y_true else float("nan")


def learned_share(report: DraftReport, length: int) -> float:
    """Share of the draft's characters the corpus's learned common phrases cover."""
    return sum(c.draft_end - c.draft_start for c in report.common_phrases if c.origin == "learned") / length


def score(
    corpus: Corpus, drafts: list[Draft], min_passage: int, holds: dict[bool, Holders]
) -> tuple[Score, list[DraftReport]]:
    """Check every draft at one ``min_passage`` and score what comes back."""
    found: dict[bool, list[bool]] = {False: [], True: []}
    correct: dict[bool, list[bool]] = {False: [], True: []}
    truth_chars, reported_chars, ratios, borrows, shares = [], [], [], [], []
    reports = []
    seconds = 0.0
    for draft in drafts:
        start = time.perf_counter()
        report = corpus.check(draft.text, min_passage=min_passage)
        seconds += time.perf_counter() - start
        reports.append(report)
        got = passages(report)
        for strict, judge_by in holds.items():
            pieces, right = judge(draft, got, judge_by)
            found[strict] += pieces
            correct[strict] += right
        truth, reported = characters(draft, got)
        truth_chars.append(truth)
        reported_chars.append(reported)
        ratios.append(report.copy_ratio)
        borrows.append(bool(draft.pieces))
        shares.append(learned_share(report, len(draft.text)))
    recall = ratio([True] * len(found[False]), found[False], "recall")
    precision = ratio(correct[False], [True] * len(correct[False]), "precision")
    truth_all, reported_all = np.concatenate(truth_chars), np.concatenate(reported_chars)
    return Score(
        recall=recall,
        precision=precision,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        strict_recall=ratio([True] * len(found[True]), found[True], "recall"),
        strict_precision=ratio(correct[True], [True] * len(correct[True]), "precision"),
        char_precision=float(precision_score(truth_all, reported_all, zero_division=1.0)),
        char_recall=float(recall_score(truth_all, reported_all, zero_division=np.nan)),
        char_f1=float(f1_score(truth_all, reported_all, zero_division=0.0)),
        borrowed=len(found[False]),
        reported=len(correct[False]),
        flagged=sum(not d.pieces and bool(r.sources) for d, r in zip(drafts, reports, strict=True)),
        clean=borrows.count(False),
        auc=float(roc_auc_score(borrows, ratios)) if 0 < sum(borrows) < len(borrows) else float("nan"),
        learned=float(np.mean(shares)),
        ms_per_draft=1000 * seconds / len(drafts),
    ), reports


def build(corpus: Sequence[Document], hosts: Sequence[Document], count: int, seed: int) -> list[Draft]:
    """``count`` borrowing drafts (strengths in turn) and ``count // 3`` clean ones."""
    rng = random.Random(seed)
    builder = Builder(corpus, rng)
    drafts = []
    for number in range(count):
        source_count = rng.randint(1, 2)
        host = hosts[number % len(hosts)] if number < len(hosts) else rng.choice(hosts)
        drafts.append(
            builder.draft(host, rng.randint(1, 3), source_count, STRENGTHS[number % len(STRENGTHS)])
        )
    clean_hosts = rng.sample(list(hosts), min(count // 3, len(hosts)))
    return drafts + [builder.draft(h, 0, 1, 0.0) for h in clean_hosts]


def breakdown(drafts: list[Draft], reports: list[DraftReport], holds: Holders) -> list[str]:
    """Recall (any holder) by piece kind and strength."""
    rows: dict[tuple[str, float], list[bool]] = {}
    for draft, report in zip(drafts, reports, strict=True):
        pieces, _ = judge(draft, passages(report), holds)
        for piece, hit in zip(draft.pieces, pieces, strict=True):
            rows.setdefault((piece.kind, piece.strength), []).append(hit)
    out = ["| piece | numbers changed | borrowed | recall |", "|---|---|---|---|"]
    for (kind, strength), hits in sorted(rows.items()):
        out.append(f"| {kind} | {strength:.0%} | {len(hits)} | {np.mean(hits):.3f} |")
    return out


def examples(drafts: list[Draft], reports: list[DraftReport], holds: Holders, limit: int) -> list[str]:
    """Missed pieces and wrong passages, draft text against the truth."""
    out = []
    for draft, report in zip(drafts, reports, strict=True):
        got = passages(report)
        pieces, correct = judge(draft, got, holds)
        for piece, hit in zip(draft.pieces, pieces, strict=True):
            if not hit:
                near = [(s, p0, p1) for s, p0, p1 in got if overlap(p0, p1, piece.start, piece.end)]
                out.append(
                    f"- missed ({draft.host}, {piece.kind}, {piece.swaps} numbers changed) "
                    f"from {piece.source} {piece.start}–{piece.end}: "
                    f"{draft.text[piece.start : piece.end]!r}; passages over it: {near}"
                )
        for (source, p0, p1), right in zip(got, correct, strict=True):
            if not right:
                truth = [(p.source, p.start, p.end) for p in draft.pieces]
                out.append(
                    f"- wrong ({draft.host}) from {source} {p0}–{p1}: {draft.text[p0:p1]!r}; "
                    f"borrowed: {truth}"
                )
    return out[:limit]


HEADER = [
    "| min passage (characters in English) | recall | precision | F1 | strict recall "
    "| strict precision | char precision | char recall | char F1 | passages "
    "| clean drafts flagged | copy ratio AUC | learned common share | ms/draft |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]


def row(min_passage: int, s: Score) -> str:
    return (
        f"| {min_passage} ({min_passage * SPACED_PASSAGE_FACTOR}) "
        f"| {s.recall:.3f} | {s.precision:.3f} | {s.f1:.3f} "
        f"| {s.strict_recall:.3f} | {s.strict_precision:.3f} | {s.char_precision:.3f} | {s.char_recall:.3f} "
        f"| {s.char_f1:.3f} | {s.reported} | {s.flagged}/{s.clean} | {s.auc:.3f} | {s.learned:.3f} "
        f"| {s.ms_per_draft:.0f} |"
    )


def without_learned(corpus: Corpus) -> None:
    """Diagnostic: drop the common phrases the corpus's reuse index learned (listed ones stay)."""
    index = corpus.reuse_index()
    index.stock = dataclasses.replace(index.stock, learned=np.empty(0, dtype=np.uint64))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--split", type=int, default=2008, help="first year of the corpus statements")
    parser.add_argument("--gap", type=int, default=2, help="years before --split left out of the hosts")
    parser.add_argument("--examples", type=int, default=0, help="print up to N misses and wrong passages")
    parser.add_argument("--write", action="store_true", help="replace the section in benchmarks/RESULTS.md")
    args = parser.parse_args()
    started = time.perf_counter()
    documents, hosts = load(args.split, args.gap)
    corpus = Corpus()
    corpus.add_many(documents)
    corpus.reuse_index()
    built = time.perf_counter() - started
    drafts = build(documents, hosts, args.drafts, args.seed)
    pieces = [p for d in drafts for p in d.pieces]
    holds = {False: Holders(documents, strict=False), True: Holders(documents, strict=True)}
    default = CheckOptions().min_passage
    scores = {m: score(corpus, drafts, m, holds) for m in sorted({default, *MIN_PASSAGES})}
    without_learned(corpus)
    probe = {m: score(corpus, drafts, m, holds) for m in sorted({default, *MIN_PASSAGES})}
    out = [
        f"corpus: {len(documents)} RBA statements {args.split}–, "
        f"{sum(len(d.text) for d in documents):,} characters "
        f"(indexed in {built:.1f} s); hosts: {len(hosts)} statements before {args.split - args.gap}; "
        f"{args.drafts} drafts borrowing {len(pieces)} pieces "
        f"({sum(p.kind == 'sentence' for p in pieces)} sentences, "
        f"{sum(p.kind == 'paragraph' for p in pieces)} paragraphs, "
        f"{min(p.end - p.start for p in pieces)}–{max(p.end - p.start for p in pieces)} characters, "
        f"{sum(p.swaps for p in pieces)} numbers changed), {sum(not d.pieces for d in drafts)} clean drafts",
        "",
        "Defaults (`corpus.check(draft, min_passage=…)`):",
        "",
        *HEADER,
        *(row(m, s) for m, (s, _) in scores.items()),
        "",
        f"Recall by piece (--min-passage {default}):",
        "",
        *breakdown(drafts, scores[default][1], holds[False]),
        "",
        "Diagnostic, not a setting: the same drafts with the common phrases the corpus index learned "
        "dropped (`reuse_index().stock.learned` emptied; listed phrases kept):",
        "",
        *HEADER,
        *(row(m, s) for m, (s, _) in probe.items()),
        "",
        f"Recall by piece, learned phrases dropped (--min-passage {default}):",
        "",
        *breakdown(drafts, probe[default][1], holds[False]),
        "",
        machine(),
        "",
        f"`python -m benchmarks.en_reuse_quality --drafts {args.drafts} --seed {args.seed}` "
        f"({time.perf_counter() - started:.0f} s)",
    ]
    publish("en_reuse_quality", "\n".join(out), args.write)
    if args.examples:
        for name, runs in (("defaults", scores), ("learned phrases dropped", probe)):
            print(f"\nExamples, {name} (--min-passage {default}):\n")
            print("\n".join(examples(drafts, runs[default][1], holds[False], args.examples)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
