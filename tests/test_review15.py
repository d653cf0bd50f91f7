"""What the readers of session 13 found: a compte-rendu saying twice that an indicator was not
evaluated, the end of an objective alone on a page of the annexes, and the words of the
examples (law, French, layout)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from cpomdocs.data.validate import check_folder
from cpomdocs.followup.reports import followup_jobs
from cpomdocs.render.pdf import render_pdf

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CHRS = EXAMPLES / "chrs-estuaire-2026"
CREATED = "2026-12-03T00:00:00Z"


def _flat(text: str) -> str:
    """Text read back from a PDF, spaces and apostrophes as typed in the YAML."""
    text = re.sub("\u2010\\s*\n", "", text)  # a word WeasyPrint hyphenated at a line's end
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _pages(pdf: bytes) -> list[str]:
    return [_flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def asba_jobs() -> dict[str, object]:
    return {job.name: job for job in followup_jobs(check_folder(ASBA))}


# --- a compte-rendu says once that an indicator was not evaluated ----------------------------


def test_a_comment_that_says_the_indicator_is_not_evaluated_is_not_repeated(asba_jobs) -> None:
    job = asba_jobs["comptes-rendus/2026-10-08-point-a-mi-parcours"]
    text = " ".join(_pages(render_pdf(job.compose(CREATED, None))))  # type: ignore[attr-defined]
    assert "l'indicateur n'est pas évalué pour 2025." in text
    assert "TELEMED : valeur réalisée non renseignée" not in text
    # the summary table still shows the missing value and the status
    assert re.search(r"TELEMED .*? – – non évalué", text)


def test_a_missing_value_the_comment_does_not_mention_is_still_shown() -> None:
    from cpomdocs.followup.report_rows import already_said

    reason = "valeur réalisée non renseignée"
    # the comment speaks of something else
    assert not already_said("Les plannings sont en place.", "ROT", "Taux de rotation", reason,
                            alone=True)  # fmt: skip
    # it says « non évalué » but two indicators lack a value and it names neither
    assert not already_said("L'indicateur n'est pas évalué.", "ROT", "Taux de rotation", reason,
                            alone=False)  # fmt: skip
    # it names this one
    assert already_said("Le ROT n'est pas encore connu.", "ROT", "Taux de rotation", reason,
                        alone=False)  # fmt: skip
    assert already_said("L'indicateur n'est pas évalué pour 2025.", "ROT", "Taux", reason,
                        alone=True)  # fmt: skip
    # a value still to fill in a draft is the editor's task: always shown
    assert not already_said("Non évalué.", "ROT", "Taux", "valeur réalisée [à compléter]",
                            alone=True)  # fmt: skip
