"""The CI gate: which drafts of a check pass and which fail, and why.

A draft fails the gate when its copy ratio is above ``fail_above`` or, with
``fail_on="recycled"``, when a corpus document is a whole-document copy of
it (``fail_on="partial"`` also fails on documents that hold much of it).
This module is the policy only; :mod:`detector.sarif` and
:mod:`detector.junit` write what it decides for code hosts and CI servers.
Importing ``check_to_sarif``, ``sarif_to_json`` and ``check_to_junit`` from
here still works for one release; it is deprecated.

Examples:
    >>> from detector.results import CheckResult, DraftReport
    >>> check = CheckResult((DraftReport("a.txt", 900, 0.1), DraftReport("b.txt", 900, 0.5)))
    >>> verdict = Gate(fail_above=0.3).evaluate(check)
    >>> verdict.failed, verdict.reasons("a.txt"), verdict.reasons("b.txt")
    (True, (), ('copy ratio 50.0% is above 30.0%',))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from detector.errors import ConfigError
from detector.results import CheckResult, DraftReport

if TYPE_CHECKING:
    from detector.junit import check_to_junit
    from detector.sarif import check_to_sarif, sarif_to_json

__all__ = ["FailOn", "Gate", "GateResult", "check_to_junit", "check_to_sarif", "sarif_to_json"]

#: Which whole-document verdicts fail a draft: ``recycled`` only, or ``partial`` and ``recycled``.
FailOn = Literal["recycled", "partial"]

#: Writers that lived here before, now in their own modules (deprecated import path).
_MOVED = {
    "check_to_sarif": "detector.sarif",
    "sarif_to_json": "detector.sarif",
    "check_to_junit": "detector.junit",
}


@dataclass(frozen=True)
class Gate:
    """When a draft fails.

    Attributes:
        fail_above: Copy ratio above which a draft fails (``None``: never);
            the ratio judged is :attr:`~detector.results.DraftReport.counted_ratio`,
            the total without the exclusions that were switched on.
        fail_on: ``recycled`` or ``partial`` to fail drafts with whole-document
            near-duplicates of that verdict (``partial`` includes ``recycled``).

    Raises:
        ConfigError: ``fail_above`` is not a copy ratio from 0 to 1, or
            ``fail_on`` is neither ``recycled`` nor ``partial``.

    Examples:
        >>> from detector.results import DraftReport
        >>> Gate(fail_above=0.3).reasons(DraftReport("draft.txt", 1000, 0.42))
        ['copy ratio 42.0% is above 30.0%']
        >>> Gate(fail_on="everything")
        Traceback (most recent call last):
        detector.errors.ConfigError: fail_on must be 'recycled' or 'partial', not 'everything'
    """

    fail_above: float | None = None
    fail_on: FailOn | None = None

    def __post_init__(self) -> None:
        above = self.fail_above
        if above is not None and (
            isinstance(above, bool) or not isinstance(above, int | float) or not 0.0 <= above <= 1.0
        ):
            raise ConfigError(f"fail_above must be a copy ratio from 0 to 1, not {above!r}")
        if self.fail_on is not None and self.fail_on not in ("recycled", "partial"):
            raise ConfigError(f"fail_on must be 'recycled' or 'partial', not {self.fail_on!r}")

    def reasons(self, report: DraftReport) -> list[str]:
        """Why a draft fails the gate.

        Args:
            report: The draft's report.

        Returns:
            One reason per broken rule, empty when the draft passes.
        """
        found = []
        if self.fail_above is not None and report.counted_ratio > self.fail_above:
            name = "copy ratio" if report.counted_ratio == report.copy_ratio else "counted copy ratio"
            found.append(f"{name} {report.counted_ratio:.1%} is above {self.fail_above:.1%}")
        if self.fail_on is not None:
            verdicts = ("recycled",) if self.fail_on == "recycled" else ("recycled", "partial")
            for match in report.duplicates:
                if match.verdict in verdicts:
                    found.append(f"{match.verdict} from {match.id} (similarity {match.similarity:.3f})")
        return found

    def evaluate(self, result: CheckResult) -> GateResult:
        """Judge every draft of a check.

        Args:
            result: The check.

        Returns:
            Each draft with the reasons it failed.
        """
        return GateResult(tuple((r, tuple(self.reasons(r))) for r in result.reports))


@dataclass(frozen=True)
class GateResult:
    """Each draft with the reasons it failed (none when it passed)."""

    drafts: tuple[tuple[DraftReport, tuple[str, ...]], ...]

    @property
    def failed(self) -> bool:
        """Whether any draft failed."""
        return any(reasons for _, reasons in self.drafts)

    def reasons(self, draft: str) -> tuple[str, ...]:
        """The reasons one draft failed (empty when it passed or was not checked)."""
        for report, reasons in self.drafts:
            if report.draft == draft:
                return reasons
        return ()


def __getattr__(name: str) -> Any:
    """The writers once defined here, imported from their modules on first use."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
