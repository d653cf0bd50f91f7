"""Review 13: what the law says (L.313-12-2 on the activity modulation), and tariffs printed
with the figures the data holds (point GIR, hébergement price, indicators in euros)."""

from __future__ import annotations

from pathlib import Path

from example_texts import contract_text, copy_example, edit, flat

from cpomdocs import fmt
from cpomdocs.data.cents import is_money
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.compose import compose_contract
from cpomdocs.documents.redline import accept_all

FVO = "fondation-val-d-ouche-2027"
CEDRES = "ehpad-les-cedres-2025"
ET = "340005131"  # the EHPAD Les Cèdres
RULE = "un montant s'écrit au centime près au plus (deux décimales)"


# --- 1. The activity modulation: L.313-12-2 CASF (law18: R.314-43-2 not verified) ----------


def test_the_modulation_is_an_abattement_bounded_as_r314_43_2_says() -> None:
    told = contract_text(FVO)
    assert "En application de l'article L.313-12-2 du code de l'action sociale" in told
    assert (
        "est inférieur à 90 %, et sauf circonstances particulières justifiant tout ou partie de la "
        "sous-activité, la dotation globalisée commune peut faire l'objet d'un abattement, dont le "
        "projet est communiqué préalablement au gestionnaire. Le pourcentage d'abattement est "
        "défini pour chaque établissement ou service ; il ne peut excéder la moitié de l'écart "
        "entre l'objectif d'activité fixé par le contrat et l'activité constatée."
    ) in told
    assert "peut être modulée" not in told  # a rise no text provides for


# --- 2. Tariffs: the hébergement price to the cent, the point GIR as written ------------------


def test_tariff_paths() -> None:
    assert is_money(("etablissements", "690793419", "ehpad", "tarif_hebergement"))
    assert is_money(("modifications", "etablissements", "690793419", "ehpad", "tarif_hebergement"))
    assert not is_money(("etablissements", "690793419", "ehpad", "valeur_point_gir"))
    assert not is_money(("etablissements", "690793419", "ehpad", "gmp", "valeur"))


def test_an_hebergement_price_below_the_cent_is_refused_at_its_place(tmp_path: Path) -> None:
    folder = copy_example(tmp_path, CEDRES)
    cpom = folder / "cpom.yaml"
    line = edit(cpom, "tarif_hebergement: 64.80", "tarif_hebergement: 64.805")
    found = [str(p) for p in check_folder(folder).all_problems if "centime" in p.message]
    assert found == [
        f"{cpom}:{line}:26: etablissements.{ET}.ehpad.tarif_hebergement: « 64.805 » : {RULE}"
    ]


def test_the_point_gir_is_printed_with_every_decimal_the_arrete_gives(tmp_path: Path) -> None:
    folder = copy_example(tmp_path, CEDRES)
    edit(folder / "cpom.yaml", "valeur_point_gir: 7.62", "valeur_point_gir: 7.6245")
    assert not [p for p in check_folder(folder).all_problems if "centime" in p.message]
    told = contract_text_of(folder)
    assert "EHPAD Les Cèdres 7,6245 €" in told
    assert "7,62 €" not in told


def contract_text_of(folder: Path) -> str:
    """The composed contract of a copied example, on one line."""
    found = check_folder(folder)
    assert found.contract.document is not None
    contract = Contract.model_validate(found.contract.document.data)
    document = compose_contract(contract, contract_id=folder.name, created="2026-12-03T00:00:00Z")
    return flat(accept_all(document.blocks))


def test_the_examples_tariffs_keep_their_cents() -> None:
    told = contract_text(CEDRES)
    assert "7,62 €" in told and "64,80 €" in told


def test_an_indicator_in_euros_keeps_every_decimal() -> None:
    assert fmt.with_unit(12.345, "€") == "12,345\u00a0€"
    assert fmt.with_unit(1200, "€") == "1\u202f200,00\u00a0€"
    assert fmt.with_unit(-3.5, "€") == "\u22123,50\u00a0€"
    assert fmt.exact_amount(1234.5678) == "1\u202f234,5678\u00a0€"
