"""The law, right: corrected clauses in the built PDFs, sector content, conformance warnings."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document as DocxDocument
from pdftext import page_texts

from cpomdocs import fmt
from cpomdocs.build.schedule import BuildReport
from cpomdocs.cli.main import main
from cpomdocs.data.conformance import REQUIREMENTS
from cpomdocs.data.identifiers import with_luhn_key
from cpomdocs.data.legal import DEFAULT_VISAS
from cpomdocs.data.model import Contract, LegalBasis
from cpomdocs.data.validate import check_file
from cpomdocs.documents.blocks import Paragraph, Section
from cpomdocs.documents.compose import compose_contract
from cpomdocs.documents.markdown import plain_text

REPO = Path(__file__).resolve().parents[1]
CONTRACTS = REPO / "contracts"


def flat(text: str) -> str:
    """Text with hyphenation joined, spaces collapsed and apostrophes made straight."""
    text = re.sub("\u2010\\s*\n", "", text).replace("\u2019", "'")
    text = re.sub("(?<=\\w)-\n", "-", text)  # a name cut at its own hyphen (Auvergne-Rhône)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="module")
def texts(built_examples: tuple[Path, BuildReport]) -> dict[str, str]:
    """The text of each example's contract and annexes PDFs, keyed « id/contrat »."""
    output, report = built_examples
    assert not report.failed
    found = {}
    for folder in CONTRACTS.iterdir():
        for name in ("contrat", "annexes"):
            pdf = output / folder.name / f"{name}.pdf"
            if pdf.is_file():
                pages = " ".join(page_texts(pdf))
                found[f"{folder.name}/{name}"] = flat(pages)
    return found


def test_article_9_says_a_party_requests_the_prorogation(texts: dict[str, str]) -> None:
    text = texts["ehpad-les-cedres-2025/contrat"]
    assert (
        "Il peut être prorogé pour une durée d'un an au plus. La partie qui souhaite sa "
        "prorogation la demande par notification aux autres parties au plus tard six mois avant "
        "son terme, soit au plus tard le 30 juin 2029. À défaut d'une telle demande, les parties "
        "engagent la négociation d'un nouveau contrat."
    ) in text
    assert "une fois" not in text and "ne souhaite pas sa prorogation" not in text
    assert (
        "Article 8 – La révision du terme de la convention tripartite pluriannuelle préexistante "
        "au CPOM"
    ) in text


def test_future_amounts_are_forecasts_and_no_total_in_words(texts: dict[str, str]) -> None:
    contract = texts["ehpad-les-cedres-2025/contrat"]
    assert (
        "Les montants des années 2026 et suivantes sont indiqués à titre prévisionnel, sous "
        "réserve des dotations régionales limitatives, des taux d'évolution fixés chaque "
        "année lors de la campagne budgétaire et de ceux votés chaque année par le "
        "conseil départemental ; ils sont arrêtés chaque année par la décision de tarification "
        "de l'autorité compétente."
    ) in contract
    assert (
        "Pour l'année 2025, ces financements s'élèvent à 1 533 000 € (un million cinq cent "
        "trente-trois mille euros). Sur la durée du contrat, leur montant prévisionnel est de "
        "7 935 000 €."
    ) in contract
    assert "sept millions" not in contract
    annexes = texts["ehpad-les-cedres-2025/annexes"]
    assert "Total prévisionnel des financements sur la durée du contrat : 7 935 000 €" in annexes
    assert "sept millions" not in annexes


def test_results_are_allocated_by_the_chosen_rule(texts: dict[str, str]) -> None:
    base = (
        "Le résultat de chaque établissement ou service, tel qu'il ressort de son compte de "
        "résultat, est affecté par le gestionnaire dans les conditions prévues à l'article "
        "R.314-234 du code de l'action sociale et des familles."
    )
    fungible = (
        "En application de l'article R.314-235 du même code, le présent contrat autorise le "
        "gestionnaire à affecter le résultat d'un établissement ou service à un autre "
        "établissement ou service relevant du périmètre du contrat."
    )
    association = texts["asba-beaujolais-2024/contrat"]
    assert base + " " + fungible in association
    assert (
        "Pour la part hébergement des établissements habilités à l'aide sociale (EHPAD Les "
        "Vignes, EHPAD Le Clos des Saules), l'affectation du résultat suit la règle fixée par le "
        "Département du Rhône : l'excédent de la part hébergement vient en réduction des tarifs "
        "hébergement de l'exercice N+2, sauf décision contraire du président du conseil "
        "départemental."
    ) in association
    public = texts["ehpad-les-cedres-2025/contrat"]
    assert base in public and "R.314-235" not in public
    for text in texts.values():
        assert "par sections soins et dépendance" not in text
        assert "sections soins et dépendance sont affectés" not in text
    assert (
        "En application de l'arrêté du 25 octobre 2019 fixant le contenu du cahier des charges "
        "du contrat pluriannuel d'objectifs et de moyens prévu à l'article L.313-11-2 du code "
        "de l'action sociale et des familles pour les établissements mentionnés à l'article "
        "L.345-1 du même code, l'organisme gestionnaire affecte librement les "
        "résultats entre les établissements, services et dispositifs couverts par le présent "
        "contrat qui relèvent d'un même budget opérationnel de programme, dans le respect de "
        "l'article R.314-51 du même code."
    ) in texts["chrs-estuaire-2026/contrat"]
    # Every example EHPAD is habilitated: no L.342-1 sentence.
    assert not any("L.342-1" in text for text in texts.values())


def test_ehpad_tariff_inputs_and_dependency_scores_as_measures(texts: dict[str, str]) -> None:
    text = texts["asba-beaujolais-2024/contrat"]
    assert (
        "724 (validé le 15 novembre 2022 par le médecin du Département du Rhône) 205 (validé le "
        "6 décembre 2022 par le médecin de l'ARS Auvergne-Rhône-Alpes) avant le 30 juin 2026"
    ) in text
    assert "ne constituent pas des objectifs du contrat" in text
    assert "7,48 €" in text and "68,50 €" in text and "66,20 €" in text
    annexes = texts["asba-beaujolais-2024/annexes"]
    assert "GIR moyen pondéré" not in annexes  # no longer an indicator « plus haut est mieux »
    cedres = texts["ehpad-les-cedres-2025/contrat"]
    assert "Financement complémentaire : PASA" in texts["ehpad-les-cedres-2025/annexes"]
    for visa in ("décret n° 2016-1814", "décret n° 2016-1815", "loi n° 2015-1702"):
        assert f"Vu le {visa}" in cedres or f"Vu la {visa}" in cedres


def test_every_contract_names_authorities_habilitation_annexes_and_roles(
    texts: dict[str, str],
) -> None:
    text = texts["asba-beaujolais-2024/contrat"]
    assert (
        "représentée par Bernard Ravinel, président du conseil d'administration, en vertu de la "
        "délibération du conseil d'administration du 28 mars 2024 autorisant son président à "
        "signer le présent contrat, ci-après dénommée « le gestionnaire »."
    ) in text
    assert (
        "est autorisé par arrêté préfectoral n° 2009-0712 du 1er juillet 2009. L'autorisation a "
        "été délivrée par le préfet du Rhône et renouvelée le 1er juillet 2024. Elle"
    ) in text  # review17: no ARS before 1 April 2010
    assert "court jusqu'au 30 juin 2039." in text  # on the next page since review19's visas
    assert "Annexe 8 : Habilitation à l'aide sociale Annexe 9 : Frais de siège" in text
    assert (
        "Les annexes font partie intégrante du présent contrat et ont la même valeur que lui : "
        "elles sont opposables aux parties."
    ) in text
    assert "Les conséquences de la non-atteinte des objectifs" in text
    assert "Articulation avec les autres contrats du gestionnaire" in text
    assert (
        "Le présent contrat ne porte que sur les établissements et services de son périmètre : "
        "les objectifs qu'il fixe et les moyens qu'il prévoit ne concernent pas les "
        "établissements et services couverts par ces autres contrats, qui restent régis par "
        "leurs propres stipulations."
    ) in text
    assert "ne se cumulent pas" not in text and "qu'il alloue" not in text
    assert "un rapport final d'exécution du contrat" in text
    annexes = texts["asba-beaujolais-2024/annexes"]
    assert "Annexe 9 – Frais de siège" in annexes and "2,9 %" in annexes
    assert "organigramme de l'association au 1er janvier 2024" in annexes
    committee = annexes[annexes.index("Annexe 7 – Composition") :]
    assert "directrice administrative et financière" in committee
    assert "Laure Demange" not in committee  # by role: a staff change needs no avenant


def test_handicap_modulation_activity_and_esat_funding(texts: dict[str, str]) -> None:
    text = texts["fondation-val-d-ouche-2027/contrat"]
    assert (
        "En application de l'article L.313-12-2 du code de l'action sociale et des "
        "familles, le présent contrat prévoit une modulation de la dotation globalisée commune "
        "en fonction des objectifs d'activité qu'il définit."
    ) in text
    assert "un taux de réalisation de 95 % de l'activité cible" in text
    assert (
        "la dotation globalisée commune peut faire l'objet d'un abattement, dont le projet est "
        "communiqué préalablement au gestionnaire"
    ) in text
    assert "à proportion de l'écart constaté" not in text  # a legal effect no text gives
    assert "IME Les Lavandières 64 210 11 200 journées 65,5" in text
    assert (
        "est autorisé par arrêté ARS n° 2010-0455 du 1er septembre 2010. L'autorisation a été "
        "délivrée par le directeur général de l'ARS de Bourgogne et renouvelée le 1er septembre "
        "2025."
    ) in text
    assert "renouvelé en 2025 du" not in text
    annexes = texts["fondation-val-d-ouche-2027/annexes"]
    assert "Dotation globale de fonctionnement de l'ESAT (État, programme 157)" in annexes


def test_chrs_example_builds_with_the_prefect_as_tarification_authority(
    built_examples: tuple[Path, BuildReport], texts: dict[str, str]
) -> None:
    output, _ = built_examples
    text = texts["chrs-estuaire-2026/contrat"]
    assert (
        "Le préfet de la région Pays de la Loire, représenté par Hervé Le Bihan, directeur "
        "départemental de l'emploi, du travail et des solidarités de la Loire-Atlantique, "
        "ci-après dénommé « l'autorité de tarification » ;"
    ) in text
    assert "ci-après dénommée « l'organisme gestionnaire »." in text
    assert "Vu l'arrêté du 25 octobre 2019 fixant le contenu du cahier des charges" in text
    assert "sa durée totale ne pouvant excéder six ans" in text
    annexes = texts["chrs-estuaire-2026/annexes"]
    for code in ("SORTIE-LO", "SORTIE-LA", "DLS-ACTIVE", "SEJOUR-LONG"):
        assert code in annexes
    assert "Accueil de jour La Passerelle (veille sociale)" in annexes
    folder = output / "chrs-estuaire-2026"
    docx = DocxDocument(str(folder / "contrat.docx"))
    assert any(
        "l'autorité de tarification" in p.text.replace("\u2019", "'") for p in docx.paragraphs
    )
    assert (folder / "avenant-01.pdf").is_file() and (folder / "avenant-01.docx").is_file()


def test_chrs_example_validates_strictly() -> None:
    result = CliRunner().invoke(
        main, ["validate", "--strict", str(CONTRACTS / "chrs-estuaire-2026")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 contrat vérifié : 0 erreur, 0 avertissement")


# Conformance and sector rules, on the single-EHPAD example changed in memory.


def _messages(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "cpom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sorted(f"{p.field}: {p.message}" for p in check_file(path).problems)


@pytest.fixture
def cedres() -> dict[str, Any]:
    data = yaml.safe_load((CONTRACTS / "ehpad-les-cedres-2025/cpom.yaml").read_text("utf-8"))
    data.pop("empreinte")
    data["statut"] = "projet"  # edited in memory: a signed file would need its fingerprint
    return data


def test_conformance_warns_on_missing_model_content(tmp_path: Path, cedres: dict) -> None:
    data = copy.deepcopy(cedres)
    del data["gestionnaire"]["representant"]["habilitation"]
    del data["etablissements"]["340005131"]["ehpad"]["gmp"]
    data["financement"]["affectation_resultats"] = "Les résultats sont affectés librement."
    assert _messages(tmp_path, data) == sorted(
        [
            "gestionnaire.representant: requis par le modèle (L.313-12 IV ter ; modèle de "
            "contrat, désignation des parties) : la délibération habilitant le signataire du "
            "gestionnaire ; à renseigner : gestionnaire.representant.habilitation",
            "etablissements.340005131: requis par le modèle (L.313-12 IV ter ; arrêté du 3 mars "
            "2017) : le GMP et le PMP validés de chaque EHPAD et leur réévaluation la 3e année ; à "
            "renseigner : ehpad.gmp",
            "financement.affectation_resultats: requis par le modèle (L.313-12 IV ter ; CASF, art. "
            "R.314-234 et R.314-235) : la règle d'affectation des résultats ; à renseigner : "
            "affectation_resultats.regle",
        ]
    )


def test_strict_validation_fails_on_conformance_warnings(tmp_path: Path, cedres: dict) -> None:
    data = copy.deepcopy(cedres)
    del data["gestionnaire"]["representant"]["habilitation"]
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "cpom.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    lenient = CliRunner().invoke(main, ["validate", str(folder)])
    strict = CliRunner().invoke(main, ["validate", "--strict", str(folder)])
    assert lenient.exit_code == 0 and strict.exit_code == 1
    assert "avertissement: gestionnaire.representant: requis par le modèle" in strict.output


def test_dependency_score_as_rising_target_is_warned(tmp_path: Path, cedres: dict) -> None:
    data = copy.deepcopy(cedres)
    data["objectifs"]["O3"]["indicateurs"]["GMP"] = {
        "libelle": "GIR moyen pondéré",
        "methode_calcul": "points GIR / résidents",
        "source": "coupe AGGIR",
        "unite": "points",
        "sens": "hausse",
        "reference": {"valeur": 738, "annee": 2024},
        "cibles": {y: 740 for y in range(2025, 2030)},
    }
    assert (
        "objectifs.O3.indicateurs.GMP.sens: le GMP et le PMP sont des mesures validées de la "
        "dépendance et des besoins en soins, pas des cibles à relever : décrivez-les dans "
        "etablissements.<FINESS>.ehpad (valeur, date de validation, réévaluation)"
    ) in _messages(tmp_path, data)


def test_esat_funded_by_health_insurance_is_warned(tmp_path: Path) -> None:
    source = CONTRACTS / "fondation-val-d-ouche-2027/cpom.yaml"
    data = yaml.safe_load(source.read_text("utf-8"))
    lines = data["financement"]["lignes"]["210007605"]["ars"]
    lines["dotation_globalisee_commune"] = lines.pop("dotation_globale_esat")
    dgc = data["financement"]["dotation_globalisee_commune"]["montants"]
    for year, amount in lines["dotation_globalisee_commune"].items():
        dgc[year] += amount
    assert _messages(tmp_path, data) == [
        "financement.lignes.210007605.ars.dotation_globalisee_commune: le fonctionnement d'un "
        "ESAT est financé par l'État (aide sociale, programme 157, crédits gérés par l'ARS), non "
        "par l'assurance maladie : utilisez la nature dotation_globale_esat"
    ]


def test_fungibility_for_a_public_manager_is_warned(tmp_path: Path, cedres: dict) -> None:
    data = copy.deepcopy(cedres)
    data["financement"]["affectation_resultats"]["regle"] = "fongibilité"
    assert _messages(tmp_path, data) == [
        "financement.affectation_resultats.regle: la fongibilité des résultats entre ESSMS "
        "(R.314-235 CASF) vaut pour un gestionnaire privé ; un gestionnaire public a déjà un "
        "bilan unique : choisissez « par ESSMS »"
    ]


def test_chrs_contract_without_its_model_content_is_warned(tmp_path: Path) -> None:
    source = CONTRACTS / "chrs-estuaire-2026/cpom.yaml"
    data = yaml.safe_load(source.read_text("utf-8"))
    data.pop("empreinte")
    data["statut"] = "projet"
    data["visas"] = []
    del data["objectifs"]["O2"]
    assert _messages(tmp_path, data) == sorted(
        [
            "objectifs: requis par le modèle (L.313-11-2 ; arrêté du 25 octobre 2019) : les quatre "
            "indicateurs obligatoires ; à renseigner : indicateur SEJOUR-LONG : taux de présence "
            "au-delà d'une durée de séjour anormalement longue",
            "objectifs: requis par le modèle (L.313-11-2 ; arrêté du 25 octobre 2019) : les deux "
            "axes stratégiques obligatoires ; à renseigner : un objectif d'axe « Adapter l'offre à "
            "l'évolution des besoins des territoires et des personnes accueillies »",
            "visas: requis par le modèle (L.313-11-2 ; arrêté du 25 octobre 2019) : les visas du "
            "modèle (PDALHPD, programmation, Logement d'abord) ; à renseigner : visa : PDALHPD, "
            "visa : arrêté régional de programmation des CPOM, visa : plan Logement d'abord",
        ]
    )


def test_every_requirement_cites_its_text_and_field() -> None:
    for requirement in REQUIREMENTS:
        assert requirement.text and requirement.field and requirement.bases


def _chrs() -> dict[str, Any]:
    data = yaml.safe_load((CONTRACTS / "chrs-estuaire-2026/cpom.yaml").read_text("utf-8"))
    data.pop("empreinte")
    data["statut"] = "projet"
    return data


def test_chrs_contract_in_two_regions_is_an_error(tmp_path: Path) -> None:
    data = _chrs()
    finess = with_luhn_key("35001870")  # Ille-et-Vilaine, région Bretagne
    essms = copy.deepcopy(data["etablissements"]["440018745"])
    essms.update(nom="CHRS Le Relais de Vilaine", siret=with_luhn_key("5183672060009"))
    essms["adresse"].update(code_postal="35000", commune="Rennes")
    data["etablissements"][finess] = essms
    path = tmp_path / "cpom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    errors = [p for p in check_file(path).problems if p.is_error]
    assert [str(p) for p in errors] == [
        f"{path}:{_key_line(path, finess)}:3: etablissements.{finess}: le CPOM d'un CHRS ne peut "
        "pas être interrégional (arrêté du 25 octobre 2019, cahier des charges) : CHRS Le Relais "
        f"de Vilaine (FINESS {fmt.finess(finess)}, département 35) est en région Bretagne, alors "
        "que CHRS Le Phare (département 44) est en région Pays de la Loire ; concluez un contrat "
        "par région"
    ]


def _key_line(path: Path, key: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(f"'{key}':"))


def test_chrs_contract_in_one_region_passes_the_region_rule(tmp_path: Path) -> None:
    data = _chrs()
    assert not any("interrégional" in m for m in _messages(tmp_path, data))


def test_free_allocation_in_one_programme_for_a_public_manager_is_warned(
    tmp_path: Path,
) -> None:
    data = _chrs()
    data["gestionnaire"]["statut_juridique"] = "établissement public social et médico-social"
    assert (
        "financement.affectation_resultats.regle: la libre affectation des résultats entre les "
        "établissements, services et dispositifs d'un même budget opérationnel de programme vaut "
        "pour un gestionnaire privé (arrêté du 25 octobre 2019) : choisissez « par "
        "ESSMS »"
    ) in _messages(tmp_path, data)


def _not_habilitated(cedres: dict) -> dict:
    data = copy.deepcopy(cedres)
    essms = data["etablissements"]["340005131"]
    essms["habilitation_aide_sociale"] = False
    essms.pop("places_habilitees", None)
    essms.pop("habilitation_acte", None)
    data["financement"]["affectation_resultats"].pop("hebergement", None)
    return data


def test_tariff_for_an_ehpad_not_habilitated_is_warned(tmp_path: Path, cedres: dict) -> None:
    assert _messages(tmp_path, _not_habilitated(cedres)) == [
        "etablissements.340005131.ehpad.tarif_hebergement: EHPAD Les Cèdres n'est "
        "pas habilité à l'aide sociale : il relève de l'article L.342-1 CASF et le prix de ses "
        "prestations d'hébergement est fixé dans les conditions de l'article L.342-3, non par un "
        "tarif hébergement arrêté par le Département ; retirez ehpad.tarif_hebergement ou "
        "indiquez habilitation_aide_sociale: true"
    ]


def test_contract_of_an_ehpad_not_habilitated_limits_care_surpluses(cedres: dict) -> None:
    data = _not_habilitated(cedres)
    del data["etablissements"]["340005131"]["ehpad"]["tarif_hebergement"]
    contract = Contract.model_validate(data)
    blocks = compose_contract(contract, contract_id="x", created="2025-03-14T09:00:00Z").blocks
    text = flat(" ".join(_plain(blocks)))
    assert (
        "Pour l'établissement non habilité à l'aide sociale, qui relève de l'article L.342-1 du "
        "code de l'action sociale et des familles (EHPAD Les Cèdres), les excédents dégagés sur "
        "les financements afférents aux soins et à la dépendance ne peuvent être affectés ni à une "
        "réserve d'investissement ou de trésorerie, ni à la compensation de charges "
        "d'amortissement."
    ) in text
    assert "Pour la part hébergement" not in text


def _plain(blocks: list) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(plain_text(block.runs))
        elif isinstance(block, Section):
            out.extend(_plain(block.children))
    return out


def test_the_requirements_cite_the_checked_texts() -> None:
    texts = {(r.what, r.bases): r.text for r in REQUIREMENTS}
    assert texts[("l'autorité qui a délivré l'autorisation", tuple(LegalBasis))] == (
        "CASF, art. L.313-3"
    )
    chrs = (LegalBasis.CHRS,)
    assert texts[("la règle d'affectation des résultats", chrs)] == ("arrêté du 25 octobre 2019")
    ehpad_visas = " ".join(DEFAULT_VISAS[LegalBasis.EHPAD])
    assert (
        "le décret n° 2016-1814 du 21 décembre 2016 relatif aux principes généraux de la "
        "tarification, au forfait global de soins, au forfait global dépendance et aux tarifs "
        "journaliers des établissements hébergeant des personnes âgées dépendantes relevant du I "
        "et du II de l'article L.313-12 du code de l'action sociale et des familles"
    ) in ehpad_visas


NOTA = "le préfet de département est également cosignataire (arrêté du 25 octobre 2019"


def _chrs_in_maine_et_loire(data: dict[str, Any]) -> dict[str, Any]:
    """The example's CHRS moved to Angers (49): the préfet de région (Nantes, 44) is not theirs."""
    moved = {}
    for n, essms in enumerate(data["etablissements"].values()):
        essms["adresse"].update(code_postal="49000", commune="Angers")
        moved[with_luhn_key(f"4900187{n}")] = essms
    old = list(data["etablissements"])
    data["etablissements"] = moved
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for before, after in zip(old, moved, strict=True):
        text = text.replace(before, after)
    return yaml.safe_load(text)


def test_subsidised_chrs_activities_without_the_departement_prefect_are_warned(
    tmp_path: Path,
) -> None:
    data = _chrs_in_maine_et_loire(_chrs())
    messages = [m for m in _messages(tmp_path, data) if NOTA in m]
    assert len(messages) == 1
    assert "financement.activites_subventionnees" in messages[0]
    assert "(département 49) avec type: préfet" in messages[0]


def test_the_departement_prefect_as_a_party_satisfies_the_nota(tmp_path: Path) -> None:
    data = _chrs_in_maine_et_loire(_chrs())
    data["autorites"]["prefet_49"] = {
        "type": "préfet",
        "nom": "Préfet de Maine-et-Loire",
        "representant": {"nom": "Anne Colin", "qualite": "directrice départementale"},
    }
    assert not any(NOTA in m for m in _messages(tmp_path, data))


def test_the_region_prefect_signs_for_the_chief_departement_and_plain_chrs_need_no_nota(
    tmp_path: Path,
) -> None:
    data = _chrs()  # Nantes (44) is the chef-lieu of Pays de la Loire
    assert not any(NOTA in m for m in _messages(tmp_path, data))
    moved = _chrs_in_maine_et_loire(_chrs())
    moved["financement"].pop("activites_subventionnees")
    assert not any(NOTA in m for m in _messages(tmp_path, moved))
