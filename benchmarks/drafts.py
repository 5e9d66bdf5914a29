"""Make drafts that borrow paragraphs from a corpus, with ground truth.

A draft is a run of independent paragraphs (filler) with ``k`` paragraphs
taken from one to three corpus documents inserted at random places. Each
borrowed paragraph is recycled by :func:`recycle.recycle` (years moved,
numbers nudged, places and words swapped), so passages must be found through
the edits. The ground truth records, for every borrowed paragraph, its source
and its span in the normalised draft.

Usage:
    python -m benchmarks.drafts  # prints one example draft and its truth
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.recycle import recycle
from detector import normalize

__all__ = ["Borrowed", "Draft", "make_draft", "mixed_drafts", "paragraphs"]


@dataclass(frozen=True)
class Borrowed:
    """One borrowed paragraph: its source and its span in the normalised draft."""

    source: str
    start: int
    end: int
    swaps: int


@dataclass
class Draft:
    """A generated draft and what it borrows."""

    text: str
    borrowed: list[Borrowed] = field(default_factory=list)
    length: int = 0

    @property
    def true_ratio(self) -> float:
        """Share of the normalised draft inside borrowed paragraphs."""
        return sum(b.end - b.start for b in self.borrowed) / self.length if self.length else 0.0


def paragraphs(text: str, *, shortest: int = 50, longest: int = 1500) -> list[str]:
    """Lines of a text whose normalised length is within the bounds."""
    return [line.strip() for line in text.split("\n") if shortest <= len(normalize(line).text) <= longest]


def make_draft(
    sources: dict[str, list[str]],
    filler: list[str],
    rng: random.Random,
    *,
    borrowed: int = 3,
    source_count: int = 2,
    filler_count: int = 12,
    strength: float = 0.5,
    lengths: tuple[int, int] = (50, 1500),
) -> Draft:
    """Build one draft.

    Args:
        sources: Corpus document id → its candidate paragraphs.
        filler: Independent paragraphs (from documents not in the corpus).
        rng: Random source.
        borrowed: Number of borrowed paragraphs.
        source_count: Number of corpus documents they come from.
        filler_count: Number of filler paragraphs.
        strength: Recycling strength of the borrowed paragraphs.
        lengths: Normalised length bounds of a borrowed paragraph.
    """
    eligible = {
        doc: [p for p in paras if lengths[0] <= len(normalize(p).text) <= lengths[1]]
        for doc, paras in sources.items()
    }
    eligible = {doc: paras for doc, paras in eligible.items() if paras}
    chosen_sources = rng.sample(sorted(eligible), min(source_count, len(eligible)))
    taken: list[tuple[str, str]] = []
    for number in range(borrowed):
        doc = chosen_sources[number % len(chosen_sources)]
        options = [p for p in eligible[doc] if (doc, p) not in taken]
        if options:
            taken.append((doc, rng.choice(options)))
    pieces: list[tuple[str, str | None, int]] = [(p, None, 0) for p in rng.sample(filler, filler_count)]
    for doc, paragraph in taken:
        made = recycle(paragraph, strength=strength, seed=rng.randrange(1 << 30))
        pieces.insert(rng.randrange(len(pieces) + 1), (made.text, doc, sum(made.swaps.values())))
    draft = Draft("")
    texts = []
    position = 0
    for text, doc, swaps in pieces:
        size = len(normalize(text).text)
        if doc is not None:
            draft.borrowed.append(Borrowed(doc, position, position + size, swaps))
        texts.append(text)
        position += size
    draft.text = "\n".join(texts)
    draft.length = len(normalize(draft.text).text)
    if draft.length != position:
        raise AssertionError("paragraph lengths do not add up after normalisation")
    return draft


def mixed_drafts(
    sources: dict[str, list[str]],
    filler: list[str],
    rng: random.Random,
    count: int,
    *,
    strength: float | None = None,
    vary_lengths: bool = False,
) -> list[Draft]:
    """Drafts borrowing 1–4 paragraphs from 1–3 sources among 6–16 filler paragraphs.

    Args:
        sources: Corpus document id → its candidate paragraphs.
        filler: Independent paragraphs.
        rng: Random source.
        count: Number of drafts.
        strength: Recycling strength (default: 0.3, 0.6 or 1.0 at random).
        vary_lengths: Cycle the borrowed paragraphs' lengths through 50–150,
            100–300 and 300–1,500 characters.
    """
    drafts = []
    for number in range(count):
        low = (50, 100, 300)[number % 3]
        lengths = (low, low * 3 if low < 300 else 1500) if vary_lengths else (50, 1500)
        drafts.append(
            make_draft(
                sources,
                filler,
                rng,
                borrowed=rng.randint(1, 4),
                source_count=rng.randint(1, 3),
                filler_count=rng.randint(6, 16),
                strength=rng.choice((0.3, 0.6, 1.0)) if strength is None else strength,
                lengths=lengths,
            )
        )
    return drafts


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    seeds = {
        str(p): paragraphs(p.read_text(encoding="utf-8"))
        for p in sorted((root / "data" / "speeches").glob("00[0-3]_*.txt"))
    }
    filler = paragraphs((root / "data" / "speeches" / "004_5be64723186af613.txt").read_text(encoding="utf-8"))
    draft = make_draft(dict(list(seeds.items())[:3]), filler, random.Random(1), filler_count=4)
    print(draft.text)
    print()
    for b in draft.borrowed:
        print(f"borrowed from {b.source}: normalised {b.start}–{b.end}, {b.swaps} swaps")
    print(f"true copy ratio {draft.true_ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
