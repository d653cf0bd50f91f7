"""What a draft leaves « à compléter » that the follow-up documents show as blanks.

A compte-rendu and the file preparing a dialogue print the contract's indicator references and
targets, and the compte-rendu's own measures and actual values. In a draft, a value still to fill
prints the highlighted blank « [à compléter] » (cpomdocs.blanks), is never counted as 0 (no
status, no gap, no point on a chart), and a value the file simply does not give keeps its own
words (« – », « non renseignée »): « to fill » is a task of the editor, « absent » a fact the
meeting records. Both sets are data/placeholders.pending_figures' dotted paths (Checked.figures):
the numbers present on a line marked « # à compléter », so an absent value is in neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cpomdocs import blanks
from cpomdocs.data.document import dotted

BLANK = blanks.PENDING_TEXT


@dataclass(frozen=True)
class Pending:
    """The figures to fill of a contract (`contract`) and of the compte-rendu shown (`report`)."""

    contract: frozenset[str] = frozenset()
    report: frozenset[str] = frozenset()

    def reference(self, oid: str, code: str) -> bool:
        """True when the reference value of indicator `code` (objective `oid`) is to fill."""
        return _indicator(oid, code, "reference", "valeur") in self.contract

    def reference_year(self, oid: str, code: str) -> bool:
        """True when the year of that reference value is to fill."""
        return _indicator(oid, code, "reference", "annee") in self.contract

    def target(self, oid: str, code: str, year: int) -> bool:
        """True when the target of indicator `code` for `year` is to fill."""
        return _indicator(oid, code, "cibles", str(year)) in self.contract

    def target_years(self, oid: str, code: str, years: Iterable[int]) -> list[int]:
        """Which of `years` (an indicator's cibles) hold a target to fill, in order."""
        return sorted(y for y in years if self.target(oid, code, y))

    def actual(self, code: str, year: int) -> bool:
        """True when the compte-rendu's actual value of `code` for `year` is to fill."""
        return dotted(("realisations", code, str(year))) in self.report

    def in_report(self, *path: str | int) -> bool:
        """True when the compte-rendu's number at `path` is to fill."""
        return dotted(path) in self.report


NONE = Pending()  # a signed contract, an approved compte-rendu: nothing to fill


def _indicator(oid: str, code: str, *rest: str) -> str:
    return dotted(("objectifs", oid, "indicateurs", code, *rest))


def or_blank(pending: bool, shown: str) -> str:
    """The blank « [à compléter] » for a value to fill, else `shown`."""
    return BLANK if pending else shown
