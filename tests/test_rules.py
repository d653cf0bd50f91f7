"""Business rules and identifier checks, each message asserted with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpomdocs.data import identifiers as ids
from cpomdocs.data import rules, rules_acts
from cpomdocs.data.load import load_document, load_text
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingReport
from cpomdocs.data.model_terms import add_months
from cpomdocs.data.schema import Kind, check_model, check_schema

FOLDER = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
VALID = (FOLDER / "cpom.yaml").read_text(encoding="utf-8")
AVENANT = (FOLDER / "avenants" / "01-credits.yaml").read_text(encoding="utf-8")
REPORT = (FOLDER / "comptes-rendus" / "2027-10-15-mi-parcours.yaml").read_text(encoding="utf-8")


def edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def loaded(text: str, kind: Kind, name: str) -> tuple:
    doc = load_text(text, Path(name))
    assert check_schema(doc, kind) == []
    model, problems = check_model(doc, kind)
    assert problems == []
    return doc, model


def contract_problems(*changes: tuple[str, str]) -> list[str]:
    doc, contract = loaded(edit(VALID, *changes), Kind.CONTRACT, "c.yaml")
    return [str(p) for p in sorted(rules.check_contract(doc, contract))]


def test_valid_contract_has_no_problem() -> None:
    assert contract_problems() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            [("    financeur: ars\n", "    financeur: drees\n")],
            "c.yaml:64:16: objectifs.O1.financeur: « drees » n'est pas une autorité signataire du "
            "contrat (autorites : ars, cd34)",
        ),
        (
            [("      cd34:\n        forfait", "      cd30:\n        forfait")],
            "c.yaml:87:7: financement.lignes.340005131.cd30: « cd30 » n'est pas une autorité "
            "signataire du contrat (autorites : ars, cd34)",
        ),
        (
            [
                (
                    "    echeance: 2029-12-31\n    financeur: ars",
                    "    echeance: 2030-06-30\n    financeur: ars",
                )
            ],
            "c.yaml:63:15: objectifs.O1.echeance: échéance du 30 juin 2030 hors de la période du "
            "contrat (1er janvier 2025 – 31 décembre 2029) : attendu une date comprise dans "
            "cette période",
        ),
        (
            [("    axe: Activité\n", "    axe: Activité\n    etablissements: ['340000017']\n")],
            "c.yaml:68:22: objectifs.O2.etablissements.0: ESSMS 340000017 absent du périmètre du "
            "contrat (etablissements)",
        ),
        (
            [('  lignes:\n    "340005131":', '  lignes:\n    "340000017":')],
            "c.yaml:84:5: financement.lignes.340000017: ESSMS 340000017 absent du périmètre du "
            "contrat (etablissements)",
        ),
        (
            [
                (
                    "        forfait_global_soins: {2025",
                    "        forfait_global_soins: {2031: 1, 2025",
                )
            ],
            "c.yaml:86:32: financement.lignes.340005131.ars.forfait_global_soins.2031: année 2031 "
            "hors de la période du contrat (2025–2029)",
        ),
        (
            [("    ars: [{nom: Nadia", "    drees: [{nom: Nadia")],
            "c.yaml:93:5: suivi.comite.drees: « drees » n'est pas une autorité signataire du "
            "contrat (autorites : ars, cd34)",
        ),
        (
            [("  fin: 2029-12-31\n", "  fin: 2029-12-30\n")],
            "c.yaml:12:8: dates.fin: la date de fin 2029-12-30 ne correspond pas à la date d'effet "
            "et à la durée (60 mois) : attendu 2029-12-31",
        ),
        (
            [("  signature: 2025-03-14\n", "")],
            "c.yaml:9:1: dates: un contrat au statut « signé » doit avoir une date de signature : "
            "ajoutez sous dates une ligne « signature: AAAA-MM-JJ » (le jour de la signature)",
        ),
        (
            [("  signature: 2025-03-14\n", "  signature: 2030-01-02\n")],
            "c.yaml:10:14: dates.signature: la date de signature est postérieure à la fin du "
            "contrat",
        ),
        (
            [("2025: 10.5, 2026: 9.5, 2027: 9,", "2025: 10.5, 2027: 9,")],
            "c.yaml:62:17: avertissement: objectifs.O1.indicateurs.ABS-AS.cibles: pas de cible "
            "pour 2026",
        ),
        (
            [("{valeur: 11.2, annee: 2023}", "{valeur: 11.2, annee: 2026}")],
            "c.yaml:61:42: avertissement: objectifs.O1.indicateurs.ABS-AS.reference.annee: l'année "
            "de référence est postérieure à la première cible",
        ),
        (
            [("    - {annee: 2027, type: point à mi-parcours}\n", "")],
            "c.yaml:95:3: avertissement: suivi.dialogues: aucun dialogue de gestion prévu la 3e "
            "année du contrat (2027)",
        ),
        (
            [('{code: "500", libelle: EHPAD}', '{code: "501", libelle: EHPAD}')],
            "c.yaml:37:23: avertissement: etablissements.340005131.categorie.code: catégorie "
            "FINESS 501 inconnue de cpomdocs",
        ),
        (
            [('{code: "500", libelle: EHPAD}', '{code: "500", libelle: MAS}')],
            "c.yaml:37:39: avertissement: etablissements.340005131.categorie.libelle: le code 500 "
            "correspond à « EHPAD »",
        ),
        (
            [("{autorisees: 78, installees: 78}", "{autorisees: 78, installees: 80}")],
            "c.yaml:40:40: avertissement: etablissements.340005131.capacites."
            "hebergement_permanent: plus de places installées que de places autorisées",
        ),
        (
            [('  finess_ej: "340005123"\n  siren', '  finess_ej: "340005124"\n  siren')],
            "c.yaml:18:14: avertissement: gestionnaire.finess_ej: clé de contrôle FINESS "
            "inhabituelle (le contrôle de Luhn, vérifié sur les numéros réels, échoue) : vérifiez "
            "le numéro",
        ),
    ],
)
def test_contract_rule(changes: list[tuple[str, str]], expected: str) -> None:
    assert expected in contract_problems(*changes)


def test_prorogation_moves_the_expected_end() -> None:
    later_end = ("fin: 2029-12-31", "fin: 2030-12-31")
    assert contract_problems(later_end) == [
        "c.yaml:12:8: dates.fin: la date de fin 2030-12-31 ne correspond pas à la date d'effet et "
        "à la durée (60 mois) : attendu 2029-12-31"
    ]
    prorogation = (
        "signature:\n  lieu",
        "prorogations:\n  - {duree_mois: 12, decision: 2029-05-01}\nsignature:\n  lieu",
    )
    assert contract_problems(later_end, prorogation) == []


def test_common_allocation_must_add_up() -> None:
    dgc = (
        '  dotation_globalisee_commune:\n    beneficiaire: "340005131"\n'
        "    montants: {2025: 100.00}\n  affectation_resultats"
    )
    problems = contract_problems(("  affectation_resultats", dgc))
    assert problems == [
        "c.yaml:92:22: financement.dotation_globalisee_commune.montants.2025: dotation "
        "globalisée commune 2025 de 100,00\xa0€, mais les parts des ESSMS font 0,00\xa0€"
    ]


def test_dates_are_checked_once_when_the_period_is_broken() -> None:
    assert contract_problems(("fin: 2029-12-31", "fin: 2024-12-31")) == [
        "c.yaml:12:8: dates.fin: la date de fin 2024-12-31 doit être postérieure à la date "
        "d'effet 2025-01-01"
    ]


def contract() -> Contract:
    doc, model = loaded(VALID, Kind.CONTRACT, "c.yaml")
    return model


def test_avenant_rules() -> None:
    good = loaded(AVENANT, Kind.AVENANT, "a1.yaml")
    assert rules_acts.check_avenants(contract(), [good]) == []
    text = edit(
        AVENANT, ("numero: 1", "numero: 3"), ("signature: 2026-02-10", "signature: 2025-03-01")
    )
    text = edit(text, ("effet: 2026-01-01", "effet: 2024-06-01"))
    doc, avenant = loaded(text, Kind.AVENANT, "a3.yaml")
    assert isinstance(avenant, Avenant)
    assert [str(p) for p in rules_acts.check_avenants(contract(), [good, (doc, avenant)])] == [
        "a3.yaml:1:9: numero: avenant n° 3 : les avenants sont numérotés sans trou, attendu 2",
        "a3.yaml:4:20: dates.signature: signé le 1er mars 2025, avant ou le jour de la signature "
        "du contrat (14 mars 2025) : attendu une date postérieure",
        "a3.yaml:4:39: dates.effet: date d'effet du 1er juin 2024 antérieure à celle du contrat "
        "(1er janvier 2025) : attendu le 1er janvier 2025 ou après",
    ]


def test_report_names_only_what_the_contract_holds() -> None:
    doc, report = loaded(REPORT, Kind.REPORT, "cr.yaml")
    assert isinstance(report, MeetingReport)
    assert rules_acts.check_report(contract(), doc, report) == []
    text = edit(
        REPORT,
        ("  ars: [{nom", "  drees: [{nom"),
        ("  TO-HP:", "  TO-XX:"),
        ("  O1: {comm", "  O9: {comm"),
        ('  "340005131": {capacite', '  "340000017": {capacite'),
    )
    doc, report = loaded(text, Kind.REPORT, "cr.yaml")
    assert [str(p) for p in sorted(rules_acts.check_report(contract(), doc, report))] == [
        "cr.yaml:7:3: participants.drees: « drees » n'est pas une autorité signataire du contrat "
        "(autorites : ars, cd34)",
        "cr.yaml:10:3: activite.340000017: ESSMS 340000017 absent du périmètre du contrat",
        "cr.yaml:13:3: realisations.TO-XX: indicateur « TO-XX » absent du contrat (indicateurs :"
        " ABS-AS, TO-HP)",
        "cr.yaml:15:3: objectifs.O9: objectif « O9 » absent du contrat (objectifs : O1, O2)",
    ]


def test_luhn_based_identifiers() -> None:
    assert ids.siren_valid("433702156") and not ids.siren_valid("433702157")
    assert ids.siren_valid("433702156") and not ids.siren_valid("43370215")
    assert ids.siret_valid("43370215600012") and not ids.siret_valid("43370215600013")
    # La Poste: digit sum multiple of 5 instead of Luhn.
    assert ids.siret_valid("35600000000001") and not ids.siret_valid("35600000000002")
    assert ids.with_luhn_key("34000512") == "340005123"
    assert ids.finess_key_valid("340005131") and not ids.finess_key_valid("340005132")
    corsica = ids.with_luhn_key("2000012")
    assert ids.finess_key_valid("2A" + corsica[2:]) and ids.finess_key_valid("2B" + corsica[2:])


def test_identifier_display() -> None:
    assert ids.format_finess("340005131") == "34 000 513 1"
    assert ids.format_siret("43370215600012") == "433 702 156 00012"
    assert ids.format_siren("433702156") == "433 702 156"
    assert ids.finess_department("970001234") == "970"
    assert ids.finess_department("2A0001234") == "2A"


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 1), 60) == dt.date(2030, 1, 1)


def test_euros_in_french() -> None:
    assert rules.euros(1234500) == "1\u202f234\u202f500,00\xa0€"


def test_example_contracts_follow_the_rules() -> None:
    for path in sorted(Path(__file__).parents[1].glob("contracts/*/cpom.yaml")):
        doc = load_document(path)
        model, problems = check_model(doc, Kind.CONTRACT)
        assert problems == [] and model is not None
        assert [p for p in rules.check_contract(doc, model) if p.is_error] == [], path


def test_a_service_given_lodging_places_is_warned() -> None:
    # A newcomer copies the EHPAD's block to add a SSIAD: its « hebergement_permanent » passed.
    problems = contract_problems(
        ('categorie: {code: "500", libelle: EHPAD}', 'categorie: {code: "354", libelle: SSIAD}')
    )
    assert [p for p in problems if "mode d'accueil" in p] == [
        "c.yaml:40:17: avertissement: etablissements.340005131.capacites.hebergement_permanent: "
        "mode d'accueil « hebergement_permanent » inhabituel pour un SSIAD, service qui intervient "
        "sans héberger : attendu « domicile »"
    ]
