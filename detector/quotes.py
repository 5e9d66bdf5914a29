"""Quotations: text a draft quotes on purpose, counted as quoted rather than copied.

Speeches quote central documents and leaders' words on purpose
(习近平总书记强调，“……”), and name documents by their titles (《……》).
A report shows the copy ratio with that text removed beside the total, as
CNKI shows 去除引用文献复制比. Two kinds of span are quotations:

* text inside quotation marks (“…”, 「…」, 『…』, "…") attached to an
  attribution: a verb of saying just before the opening mark (指出：“…”,
  强调，“…”, said "…") or just after the closing one (“…”，他说。, "…,"
  she said);
* titles in 《…》 (and 〈…〉).

Quotation marks without an attribution (scare quotes, slogans such as
“两山”理念) are not quotations: copying them is copying.

Examples:
    >>> text = "习近平总书记指出：“绿水青山就是金山银山。”我们要深入学习《中华人民共和国环境保护法》。"
    >>> [text[s:e] for s, e in quotation_spans(text)]
    ['“绿水青山就是金山银山。”', '《中华人民共和国环境保护法》']
"""

from __future__ import annotations

import re

import numpy as np

from detector.normalize import NormalizedText

__all__ = ["ATTRIBUTION_VERBS", "quotation_spans", "quoted_mask"]

#: Verbs that attribute a quotation to its speaker or document, Chinese then English.
ATTRIBUTION_VERBS = (
    "指出",
    "强调",
    "要求",
    "提出",
    "认为",
    "表示",
    "讲到",
    "讲话",
    "说过",
    "说道",
    "说",
    "讲",
    "写道",
    "告诫",
    "号召",
    "批示",
    "指示",
    "寄语",
    "宣布",
    "明确",
    "所说",
    "所言",
    "称",
)
#: Verbs that attribute a quotation placed before them (“…”，他说。).
_AFTER_VERBS = ("指出", "强调", "说道", "说", "表示", "写道", "称")
_EN_VERBS = (
    "said",
    "says",
    "say",
    "stated",
    "states",
    "noted",
    "notes",
    "wrote",
    "writes",
    "added",
    "remarked",
    "declared",
    "emphasised",
    "emphasized",
    "stressed",
    "argued",
    "observed",
    "according to",
    "in the words of",
)
_CN_VERB = "|".join(ATTRIBUTION_VERBS)
_CN_AFTER = "|".join(_AFTER_VERBS)
_EN_VERB = "|".join(v.replace(" ", r"\s+") for v in _EN_VERBS)
#: A quotation: at least six characters between the marks (shorter ones are names and
#: slogans); “…” may hold one level of “…” inside.
_QUOTED = r"“(?:[^“”]|“[^“”]{0,200}”){6,2000}”|「[^「」]{6,2000}」|『[^『』]{6,2000}』|\"[^\"\n]{6,2000}\""
#: A verb, up to a colon or comma and spaces, then the quotation.
_BEFORE = re.compile(rf"(?:{_CN_VERB}|\b(?:{_EN_VERB})\b)[：:，,]?\s{{0,3}}(?P<q>{_QUOTED})", re.IGNORECASE)
#: The quotation, then within a short clause a verb of saying.
_AFTER = re.compile(
    rf"(?P<q>{_QUOTED})[，,。.]?\s{{0,3}}(?:[^，,。.！!？?；;“”\"\n]{{0,12}}?(?:{_CN_AFTER})[。，,.：:]|"
    rf"[^,.;!?\"\n]{{0,30}}?\b(?:{_EN_VERB})\b)",
    re.IGNORECASE,
)
_TITLE = re.compile(r"《[^《》\n]{1,200}》|〈[^〈〉\n]{1,200}〉")


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """The quotations of a text: attributed quotations and titles, quotation marks included.

    Args:
        text: The original text.

    Returns:
        Sorted, non-overlapping ``(start, end)`` spans of ``text``.

    Examples:
        >>> [s for s in quotation_spans('He said: "Inflation is too high." It was "transitory".')]
        [(9, 33)]
        >>> quotation_spans("坚持“绿水青山就是金山银山”理念")
        []
        >>> text = "“发展是第一要务”，他说。"
        >>> [text[s:e] for s, e in quotation_spans(text)]
        ['“发展是第一要务”']
    """
    spans = [m.span("q") for pattern in (_BEFORE, _AFTER) for m in pattern.finditer(text)]
    spans.extend(m.span() for m in _TITLE.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def quoted_mask(norm: NormalizedText, spans: list[tuple[int, int]]) -> np.ndarray:
    """Which characters of a normalised text come from the given spans of its original.

    Args:
        norm: The normalised text, with offsets into the original.
        spans: ``(start, end)`` spans of the original text.

    Returns:
        Boolean array, one value per character of ``norm.text``.

    Examples:
        >>> from detector import normalize
        >>> n = normalize("他说：“节约资源，保护环境。”")
        >>> quoted_mask(n, quotation_spans(n.original)).astype(int).tolist()
        [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    delta = np.zeros(len(norm.original) + 1, dtype=np.int64)
    for start, end in spans:
        delta[start] += 1
        delta[end] -= 1
    inside = np.cumsum(delta[:-1]) > 0
    return inside[np.asarray(norm.offsets, dtype=np.int64)]
