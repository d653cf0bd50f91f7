"""What session 17's reader of the built examples fixed: the EPRD by its CASF name, the count of
the ESSMS a contract covers, the versions annotées' spaces, the CHRS subsidies' totals, and the
wording and typography found on the way. Each test reads a real PDF (pdftotext) or DOCX."""

from __future__ import annotations

import pytest
from test_review16 import _docx_text, _pdf_text

# --- 1. The EPRD by its name in the CASF (R.314-210 ff., R.314-221) -------------------------

EPRD = "état des prévisions de recettes et de dépenses"
WRONG_EPRD = "état prévisionnel des recettes et des dépenses"


@pytest.mark.parametrize(
    ("name", "document"),
    [("ehpad-les-cedres-2025", "contrat"), ("fondation-val-d-ouche-2027", "annexes")],
)
def test_the_eprd_is_named_as_the_casf_names_it(name: str, document: str) -> None:
    """cedres (article 4) and fondation (annexe 5, the dotation globalisée commune) said « état
    prévisionnel des recettes et des dépenses »; the CASF says « état des prévisions de recettes
    et de dépenses » (R.314-221: « L'état des prévisions de recettes et de dépenses satisfait
    les conditions suivantes »), as the asba preamble and the CHRS clause already did."""
    for text in (_pdf_text(name, document), " ".join(_docx_text(name, document))):
        assert WRONG_EPRD not in text
        assert EPRD in text


def test_the_eprd_sentence_of_an_ehpad_contract() -> None:
    assert (
        "Le gestionnaire transmet chaque année aux autorités de tarification un état des "
        "prévisions de recettes et de dépenses (EPRD) accompagné d’un plan global de financement "
        "pluriannuel (PGFP), puis l’état réalisé des recettes et des dépenses (ERRD)"
    ) in _pdf_text("ehpad-les-cedres-2025", "contrat")


# --- 4. The ESSMS a contract covers, counted by their kind ----------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("ehpad-les-cedres-2025", "un établissement du gestionnaire"),
        ("chrs-estuaire-2026", "deux établissements de l’organisme gestionnaire"),
        ("asba-beaujolais-2024", "quatre établissements et services du gestionnaire"),
        ("fondation-val-d-ouche-2027", "cinq établissements et services du gestionnaire"),
    ],
)
def test_the_contract_counts_its_essms_by_their_kind(name: str, count: str) -> None:
    """« Le présent contrat couvre un établissement ou service du gestionnaire » (one EHPAD) and
    « deux établissements et services » (two CHRS) read as a form: the count says what they
    are; a mix of establishments and services keeps « établissements et services »."""
    sentence = f"Le présent contrat couvre {count}, sur le territoire suivant"
    assert sentence in _pdf_text(name, "contrat")
    assert any(sentence in p for p in _docx_text(name, "contrat"))
    assert "un établissement ou service du" not in _pdf_text(name, "contrat")
