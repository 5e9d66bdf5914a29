"""Fixed thresholds or a calibrated model: which tells reuse from independence better.

Labelled pairs from real text. Sources: seeds 000–003 and the 31 provincial
government work reports of 2026.

* reuse: each source against its copies made by ``benchmarks/quality.py``'s
  transformations (``benchmarks/recycle.py``: years, numbers, places,
  placeholders and spin swapped; scraped-site furniture; paragraphs dropped
  and reordered; new paragraphs inserted; all of them) at strengths 0.3, 0.6
  and 1.0, and against partial copies: a run of half its paragraphs inside
  as much unrelated 2024 news text, verbatim or recycled at 0.6;
* independent: pairs of seeds (same topic), pairs of provincial reports (same
  genre, year and policy language), news transcripts of days three months
  apart, and the hardest: a source against another source's recycled copy or
  partial copy (same topic, with swaps, no shared text of their own).

Features of each pair come from ``detector.compare`` (source as ``a``):
similarity, the larger and the smaller containment, copy ratio, longest
passage and passage count (log scale), swaps per 1,000 characters.

Pairs are split by source family with ``GroupKFold``: a source and all its
copies are on one side. On the held-back folds the fixed rule (verdict not
``none``: similarity ≥ 0.5 or a containment ≥ 0.5; its score for the
curves is the largest of similarity and containments) is compared with a
logistic regression on standardised features (balanced class weights),
plain and calibrated (``CalibratedClassifierCV``, sigmoid). Metrics from
``sklearn.metrics``: precision, recall, F1, ROC AUC, average precision,
Brier score, the best-F1 threshold from ``precision_recall_curve``.

The model beats the thresholds only if its mean held-back F1 exceeds the
rule's by more than the variation across folds; then its coefficients and
scaling are printed as JSON, to be shipped as data (never a pickle).

Usage:
    python -m benchmarks.calibration [--reports 31] [--news 40] [--folds 5] [--write]

``--write`` replaces the calibration section of ``benchmarks/RESULTS.md``.
Needs scikit-learn (``pip install scikit-learn``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.drafts import mixed_drafts, paragraphs
from benchmarks.quality import STRENGTHS, _transformations
from benchmarks.recycle import recycle
from benchmarks.results import machine, publish
from benchmarks.reuse_quality import CORPORA, load
from detector import Config, Corpus, Document, compare, normalize, read_documents

FEATURES = (
    "similarity",
    "containment_max",
    "containment_min",
    "copy_ratio",
    "log_longest_passage",
    "log_passage_count",
    "swaps_per_1000",
)


@dataclass
class Pair:
    """One labelled pair: ``a`` the older document, ``b`` the one that may reuse it."""

    kind: str
    group: str
    reuse: bool
    a: Document
    b: Document


def _partial(source: str, filler: list[str], rng: random.Random, recycled: float | None) -> str:
    """A run of half the source's paragraphs inside as much unrelated text."""
    paras = [p for p in source.split("\n") if p.strip()]
    total = sum(len(p) for p in paras)
    start = rng.randrange(max(1, len(paras) // 2))
    block: list[str] = []
    for p in paras[start:]:
        if sum(len(x) for x in block) >= total / 2:
            break
        block.append(p)
    text = "\n".join(block)
    if recycled is not None:
        text = recycle(text, strength=recycled, seed=rng.randrange(1 << 30)).text
    budget = len(text)
    pieces: list[str] = []
    while sum(len(p) for p in pieces) < budget:
        pieces.append(rng.choice(filler))
    pieces.insert(rng.randrange(len(pieces) + 1), text)
    return "\n".join(pieces)


def build_pairs(reports: int, news_pairs: int, seed: int) -> list[Pair]:
    documents, filler = load()
    seeds = [d for d in documents if "cn_provincial_gwr_2026" not in (d.path or "")]
    provincial = [d for d in documents if "cn_provincial_gwr_2026" in (d.path or "")][:reports]
    sources = seeds + provincial
    transforms = _transformations(filler)
    rng = random.Random(seed)
    pairs: list[Pair] = []
    copies: dict[str, dict[str, Document]] = {}
    for number, src in enumerate(sources):
        group = src.id
        made: dict[str, Document] = {}
        for name, transform in transforms.items():
            for strength in STRENGTHS if name != "scraped-site furniture" else (1.0,):
                text = transform(src.text, strength, number)
                kind = name if name == "scraped-site furniture" else f"{name} {strength}"
                made[kind] = Document(f"{kind}:{src.id}", text)
        made["partial: half inside news text"] = Document(
            f"partial:{src.id}", _partial(src.text, filler, rng, None)
        )
        made["partial: half recycled 0.6 inside news text"] = Document(
            f"partial-recycled:{src.id}", _partial(src.text, filler, rng, 0.6)
        )
        copies[src.id] = made
        for kind, doc in made.items():
            pairs.append(Pair(f"reuse: {kind}", group, True, src, doc))
    for family in (seeds, provincial):
        for i, a in enumerate(family):
            for b in family[i + 1 :]:
                kind = "seed pairs (same topic)" if family is seeds else "provincial report pairs"
                pairs.append(Pair(f"independent: {kind}", a.id, False, a, b))
        for i, other in enumerate(family):
            src = family[(i + 1) % len(family)]
            if src is other:
                continue
            made = copies[src.id]
            pairs.append(
                Pair(
                    "independent: source vs another's copy (all of them 1.0)",
                    src.id,
                    False,
                    other,
                    made["all of them 1.0"],
                )
            )
            pairs.append(
                Pair(
                    "independent: source vs another's partial copy",
                    src.id,
                    False,
                    other,
                    made["partial: half recycled 0.6 inside news text"],
                )
            )
    news, _ = read_documents([CORPORA / "cn_xinwenlianbo_2024" / "news"])
    used = set()
    for number in range(news_pairs):
        i = (number * 7 + 1) % (len(news) - 91)
        if i in used or i % 6 == 0:  # news[::6] gave the filler
            i += 1
        used.add(i)
        a, b = news[i], news[i + 91]
        pairs.append(Pair("independent: news transcripts 3 months apart", f"news:{i}", False, a, b))
    return pairs


def features(pair: Pair) -> list[float]:
    c = compare(pair.a, pair.b)
    passages = c.passages
    swaps = sum(s.count for s in c.swaps)
    length = len(normalize(pair.b.text).text) or 1
    return [
        c.similarity,
        max(c.containment_a_in_b, c.containment_b_in_a),
        min(c.containment_a_in_b, c.containment_b_in_a),
        c.copy_ratio,
        math.log1p(max((p.length for p in passages), default=0)),
        math.log1p(len(passages)),
        swaps / length * 1000,
    ]


def _models() -> dict[str, Callable[[], Any]]:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def plain() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000))

    def calibrated() -> Any:
        return CalibratedClassifierCV(plain(), method="sigmoid", cv=3)

    return {"logistic (balanced)": plain, "logistic, calibrated (sigmoid)": calibrated}


def rule_score(x: np.ndarray) -> np.ndarray:
    return np.maximum(x[:, 0], x[:, 1])


def rule_predict(x: np.ndarray, config: Config) -> np.ndarray:
    return (x[:, 0] >= config.recycled_threshold) | (x[:, 1] >= config.partial_threshold)


def summary(
    y: np.ndarray, predicted: np.ndarray, score: np.ndarray, probability: np.ndarray
) -> dict[str, float]:
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        f1_score,
        precision_recall_curve,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    precision, recall, thresholds = precision_recall_curve(y, score)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1])) if len(thresholds) else 0
    return {
        "precision": precision_score(y, predicted, zero_division=0),
        "recall": recall_score(y, predicted, zero_division=0),
        "f1": f1_score(y, predicted, zero_division=0),
        "auc": roc_auc_score(y, score),
        "ap": average_precision_score(y, score),
        "brier": brier_score_loss(y, probability),
        "best_f1": float(f1[best]) if len(thresholds) else float("nan"),
        "best_threshold": float(thresholds[best]) if len(thresholds) else float("nan"),
    }


def evaluate(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int) -> tuple[dict, dict, dict]:
    """Out-of-fold predictions of the rule and the models; F1 per fold."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    config = Config()
    names = ["fixed thresholds (verdict ≠ none)", *_models()]
    oof_pred = {n: np.zeros(len(y), bool) for n in names}
    oof_score = {n: np.zeros(len(y)) for n in names}
    fold_f1: dict[str, list[float]] = defaultdict(list)
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        rule = rule_predict(x[test], config)
        oof_pred[names[0]][test] = rule
        oof_score[names[0]][test] = rule_score(x[test])
        fold_f1[names[0]].append(f1_score(y[test], rule, zero_division=0))
        for name, make in _models().items():
            model = make().fit(x[train], y[train])
            p = model.predict_proba(x[test])[:, 1]
            oof_pred[name][test] = p >= 0.5
            oof_score[name][test] = p
            fold_f1[name].append(f1_score(y[test], p >= 0.5, zero_division=0))
    return oof_pred, oof_score, fold_f1


def per_draft(count: int, seed: int) -> list[str]:
    """Copy ratio AUC of drafts that borrow against drafts that borrow nothing."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    documents, filler = load()
    corpus = Corpus(Config())
    corpus.add_many(documents)
    sources = {doc.id: paragraphs(doc.text) for doc in documents}
    rng = random.Random(seed)
    borrowed = mixed_drafts(sources, filler, rng, count)
    clean = ["\n".join(rng.sample(filler, rng.randint(6, 16))) for _ in range(count)]
    ratios = [corpus.check(d.text).copy_ratio for d in borrowed] + [corpus.check(t).copy_ratio for t in clean]
    y = [1] * count + [0] * count
    caught = sum(r > 0 for r in ratios[:count])
    false = sum(r > 0 for r in ratios[count:])
    return [
        "| drafts | copy ratio ROC AUC | average precision | borrowing drafts with copy ratio > 0 | "
        "clean drafts with copy ratio > 0 |",
        "|---|---|---|---|---|",
        f"| {count} borrowing 1–4 paragraphs (strength 0.3/0.6/1.0), {count} clean | "
        f"{roc_auc_score(y, ratios):.3f} | {average_precision_score(y, ratios):.3f} | "
        f"{caught}/{count} | {false}/{count} |",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=31, help="Provincial reports used as sources.")
    parser.add_argument("--news", type=int, default=40, help="Pairs of news transcripts.")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--drafts", type=int, default=30, help="Drafts of each kind for the per-draft table.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="Update benchmarks/RESULTS.md.")
    args = parser.parse_args()
    try:
        import sklearn
    except ImportError:
        sys.exit("needs scikit-learn (pip install scikit-learn)")
    started = time.perf_counter()
    pairs = build_pairs(args.reports, args.news, args.seed)
    x = np.array([features(p) for p in pairs])
    compared = time.perf_counter() - started
    y = np.array([p.reuse for p in pairs], int)
    groups = np.array([p.group for p in pairs])
    oof_pred, oof_score, fold_f1 = evaluate(x, y, groups, args.folds)
    names = list(oof_pred)
    rule, model = names[0], names[1]
    command = (
        "python -m benchmarks.calibration"
        + (f" --reports {args.reports}" if args.reports != 31 else "")
        + (f" --news {args.news}" if args.news != 40 else "")
    )
    out = [
        f"Measured {datetime.date.today()} on {machine()}, scikit-learn {sklearn.__version__}.",
        "",
        f"`{command}`",
        "",
        f"{len(pairs)} pairs ({int(y.sum())} reuse, {int(len(y) - y.sum())} independent) from "
        f"{len(set(groups))} source families, {args.folds} folds by family (GroupKFold); "
        f"`detector.compare` on every pair took {compared:.0f} s.",
        "",
        "### Held-back pairs, all folds pooled",
        "",
        "Precision, recall and F1 at the rule's thresholds or at probability 0.5; ROC AUC and average "
        "precision of the score (the rule's: the largest of similarity and containments); Brier score "
        "of the probability (the rule's: its 0/1 verdict); best F1 over thresholds of the score "
        "(`precision_recall_curve`, chosen on the held-back pairs themselves, so optimistic).",
        "",
        "| method | precision | recall | F1 | F1 per fold, mean ± sd | ROC AUC | average precision | Brier | "
        "best F1 | at threshold |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        prob = oof_pred[name].astype(float) if name == rule else oof_score[name]
        s = summary(y, oof_pred[name], oof_score[name], prob)
        f = np.array(fold_f1[name])
        out.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
            f"{f.mean():.3f} ± {f.std(ddof=1):.3f} | {s['auc']:.4f} | {s['ap']:.4f} | {s['brier']:.4f} | "
            f"{s['best_f1']:.3f} | {s['best_threshold']:.3f} |"
        )
    out += [
        "",
        "### By kind of pair: share called reuse (recall for reuse pairs, false-positive rate for "
        "independent ones)",
        "",
        "| kind | pairs | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    kinds = sorted({p.kind for p in pairs}, key=lambda k: (not k.startswith("reuse"), k))
    kind_of = np.array([p.kind for p in pairs])
    for kind in kinds:
        mask = kind_of == kind
        cells = " | ".join(f"{oof_pred[n][mask].mean():.3f}" for n in names)
        out.append(f"| {kind} | {int(mask.sum())} | {cells} |")
    out += [
        "",
        "### Features (medians by label)",
        "",
        "| feature | reuse | independent |",
        "|---|---|---|",
        *(
            f"| {f} | {np.median(x[y == 1, i]):.3f} | {np.median(x[y == 0, i]):.3f} |"
            for i, f in enumerate(FEATURES)
        ),
    ]
    rule_f1 = np.array(fold_f1[rule])
    model_f1 = np.array(fold_f1[model])
    margin = model_f1.mean() - rule_f1.mean()
    variation = max(rule_f1.std(ddof=1), model_f1.std(ddof=1))
    diff = model_f1 - rule_f1
    wins = margin > variation
    out += [
        "",
        "### Decision",
        "",
        f"Held-back F1 per fold: fixed thresholds {' '.join(f'{v:.3f}' for v in rule_f1)}; "
        f"{model} {' '.join(f'{v:.3f}' for v in model_f1)}. "
        f"Model minus rule: {margin:+.3f} (paired per fold {diff.mean():+.3f} ± {diff.std(ddof=1):.3f}); "
        f"variation across folds (largest sd): {variation:.3f}.",
        "",
        "**the model beats the fixed thresholds**" if wins else "**the fixed thresholds are kept**",
    ]
    if wins:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        scaler = StandardScaler().fit(x)
        fitted = LogisticRegression(class_weight="balanced", max_iter=1000).fit(scaler.transform(x), y)
        data = {
            "features": list(FEATURES),
            "mean": [round(float(v), 6) for v in scaler.mean_],
            "scale": [round(float(v), 6) for v in scaler.scale_],
            "coef": [round(float(v), 6) for v in fitted.coef_[0]],
            "intercept": round(float(fitted.intercept_[0]), 6),
        }
        out += ["", "```json", json.dumps(data, indent=1), "```"]
    out += ["", "### Per draft", "", *per_draft(args.drafts, args.seed)]
    out += ["", f"({time.perf_counter() - started:.0f} s)"]
    publish("calibration", "\n".join(out), args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
