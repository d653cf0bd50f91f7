"""Legal and wording findings of the session 10 review: the handicap contract (dotation
globalisée commune, ESAT, FAM), comptes-rendus, and the date order of the acts."""

from __future__ import annotations

from pathlib import Path

from example_texts import CONTRACTS, CREATED, annexes_text, contract_text
from example_texts import copy_example as _copy
from example_texts import edit as _edit
from example_texts import flat as _flat

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.redline import accept_all
from cpomdocs.followup.reports import compose_report

FVO = "fondation-val-d-ouche-2027"


def _told(folder: Path, words: str) -> list[str]:
    return [str(p) for p in check_folder(folder).all_problems if words in p.message]


# --- Date order of the acts -------------------------------------------------------------------


def test_a_modifying_act_before_the_authorisation_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "asba-beaujolais-2024")
    path = folder / "avenants" / "01-extension-ehpad-les-vignes.yaml"
    line = _edit(path, "            date: 2025-09-15\n", "            date: 2016-09-15\n")
    assert _told(folder, "acte modificatif") == [
        f"{path}:{line}:19: etablissements.690794219.autorisation.modifications.0."
        "date: l'acte modificatif « arrêté conjoint ARS/Département n° 2025-4127 » du "
        "15 septembre 2016 ne suit pas l'autorisation qu'il modifie (arrêté conjoint "
        "ARS/Département n° 2016-5874 du 3 janvier 2017) de l'EHPAD Les Vignes : "
        "attendu une date postérieure au 3 janvier 2017"
    ]


def test_modifying_acts_out_of_order_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, FVO)
    source = folder / "cpom.yaml"
    old = "      reference: arrêté ARS n° 2016-1189 (renouvellement)\n"
    added = (
        "      modifications:\n"
        "        - {acte: arrêté ARS n° 2024-0301, date: 2024-03-01, objet: extension}\n"
        "        - {acte: arrêté ARS n° 2019-0210, date: 2019-02-10, objet: extension}\n"
    )
    line = _edit(source, old, old + added) + 3
    assert _told(folder, "acte modificatif") == [
        f"{source}:{line}:49: etablissements.210007605.autorisation.modifications.1.date: "
        "l'acte modificatif « arrêté ARS n° 2019-0210 » du 10 février 2019 précède "
        "« arrêté ARS n° 2024-0301 » du 1er mars 2024, cité avant lui (le contrat dit "
        "« modifié par … puis par … ») : listez les actes modificatifs dans l'ordre de leurs dates"
    ]


def test_a_renewal_and_an_echeance_follow_the_authorisation(tmp_path: Path) -> None:
    folder = _copy(tmp_path, FVO)
    source = folder / "cpom.yaml"
    line = _edit(source, "      renouvellement: 2025-09-01\n", "      renouvellement: 2009-09-01\n")
    _edit(source, "      echeance: 2038-05-14\n", "      echeance: 2008-05-14\n")
    told = _told(folder, "antérieur")
    assert told[0] == (
        f"{source}:{line}:23: etablissements.210007373.autorisation.renouvellement: "
        "renouvellement du 1er septembre 2009 antérieur ou égal à l'autorisation "
        "qu'il renouvelle (arrêté ARS n° 2010-0455 du 1er septembre 2010) : attendu "
        "une date postérieure au 1er septembre 2010"
    )
    assert "etablissements.210007597.autorisation.echeance: échéance du 14 mai" in told[1]


def test_an_avenant_after_the_contracts_end_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "chrs-estuaire-2026")
    path = next((folder / "avenants").glob("01-*.yaml"))
    text = path.read_text(encoding="utf-8")
    effet = next(line for line in text.splitlines() if line.startswith("  effet: "))
    line = _edit(path, effet + "\n", "  effet: 2031-03-01\n")
    assert _told(folder, "fin du contrat") == [
        f"{path}:{line}:10: dates.effet: date d'effet du 1er mars 2031 postérieure à "
        "la fin du contrat (31 décembre 2030) : un contrat échu ne se modifie plus ; "
        "attendu une date d'effet au plus tard le 31 décembre 2030"
    ]


def test_a_follow_up_meeting_before_the_contract_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, FVO)
    path = folder / "comptes-rendus" / "2026-10-15-comite-de-pilotage.yaml"
    assert _told(folder, "avant la date d'effet") == []  # a comité de pilotage: the negotiation
    line = _edit(path, "\ntype: comité de pilotage\n", "\ntype: comité de suivi\n") + 1
    _edit(path, "\nexercice: 2025\n", "\nexercice: 2027\n")
    following = _edit(path, "  date: 2026-12-17\n", "  date: 2026-09-17\n")
    told = [str(p) for p in check_folder(folder).all_problems if p.file == str(path)]
    assert told == [
        f"{path}:{line + 2}:7: date: comité de suivi du 15 octobre 2026, avant la "
        "date d'effet du contrat (1er janvier 2027) et avant sa signature : seul un "
        "comité de pilotage de la négociation se tient avant le contrat ; attendu une date à "
        "partir du 1er janvier 2027, ou le type « comité de pilotage »",
        f"{path}:{line + 4}:11: exercice: exercice 2027 pas encore commencé à la date de la "
        "réunion (15 octobre 2026) : attendu 2026 au plus",
        f"{path}:{following}:9: prochaine_reunion.date: prochaine réunion le 17 septembre 2026, "
        "pas après celle-ci (15 octobre 2026) : attendu une date postérieure",
    ]


# --- The handicap contract: the dotation globalisée commune finances some ESSMS only ---------


def test_the_dgc_is_shared_among_the_essms_it_finances() -> None:
    told = annexes_text(FVO)
    assert (
        "La dotation globalisée commune est versée à l'IME Les Lavandières (FINESS 21 000 726 6). "
        "Elle finance l’IME Les Lavandières, le SESSAD Val d'Ouche et la MAS La Combe Fleurie, "
        "entre lesquels le gestionnaire la répartit dans son état des prévisions de recettes et "
        "de dépenses."
    ) in told
    assert "qui la répartit entre les établissements et services du contrat" not in told


def test_the_activity_modulation_names_the_essms_of_the_dgc() -> None:
    told = contract_text(FVO)
    assert (
        "un taux de réalisation de 95 % de l'activité cible de chaque établissement ou service "
        "financé par cette dotation (l’IME Les Lavandières, le SESSAD Val d'Ouche et la MAS La "
        "Combe Fleurie). Lorsque le taux constaté à l'état réalisé des recettes et des dépenses "
        "est inférieur à 90 %, et sauf circonstances particulières justifiant tout ou partie de la "
        "sous-activité, la dotation globalisée commune peut faire l'objet d'un abattement"
    ) in told


# --- Comptes-rendus ---------------------------------------------------------------------------


def report_text(name: str, index: int = 0) -> str:
    """The text of an example's compte-rendu, on one line."""
    checked = check_folder(CONTRACTS / name)
    assert checked.contract.document is not None
    contract = Contract.model_validate(checked.contract.document.data)
    reports = [r.model for r in checked.reports]
    document = compose_report(contract, reports[index], reports, contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def test_a_meeting_before_the_contract_keeps_what_was_said_of_the_objectives() -> None:
    told = report_text(FVO)
    assert "Observations sur les objectifs Objectif Observation O2 – Organiser les transitions" in (
        told
    )
    assert "Le Département demande une cible plus ambitieuse pour 2031" in told
    assert "les parties la jugent soutenable au vu du PGFP" in told


def test_the_fam_names_both_of_its_tariffs_without_nested_brackets() -> None:
    told = contract_text(FVO)
    assert (
        "Mode de tarification : prix de journée (hébergement, arrêté par le Département ; soins, "
        "forfait global annuel arrêté par l'ARS)."
    ) in told
    assert "((" not in told and "(ARS) ;" not in told


def test_the_fvo_financing_says_forecast_once_and_sets_the_esat_commercial_budget_apart() -> None:
    told = contract_text(FVO)
    assert "sont indiqués à titre prévisionnel" in told
    assert "sont indicatifs" not in told
    assert (
        "Le résultat du budget annexe de production et de commercialisation de l'ESAT, qui ne "
        "relève pas de la tarification, est affecté selon les règles propres à ce budget."
    ) in told


def test_minutes_give_a_deficit_without_a_detached_minus_sign() -> None:
    told = report_text("asba-beaujolais-2024", 1)
    assert "Second déficit consécutif du Clos des Saules (31 500 €)" in told
    assert "− " not in told
    assert "EPRD 2026 approuvé le 30 juillet 2026 ; résultat réalisé" not in told
    assert "Ensemble du CPOM, 2026 24 000 € – – décidée avec l'ERRD 2026" in told


def test_a_contract_writes_its_counts_in_letters() -> None:
    told = contract_text(FVO)
    assert "Le présent contrat couvre cinq établissements et services du gestionnaire" in told
    assert "les parties fixent au gestionnaire sept objectifs :" in told
    assert ", en trois exemplaires originaux." in told
    assert "en deux exemplaires originaux." in contract_text("chrs-estuaire-2026")


def test_a_fam_without_the_departement_among_the_parties_is_warned(tmp_path: Path) -> None:
    folder = _copy(tmp_path, FVO)
    source = folder / "cpom.yaml"
    _edit(source, "    type: conseil départemental\n", "    type: préfet\n")  # no Département
    text = source.read_text(encoding="utf-8")
    line = text[: text.index('  "210007597":')].count("\n") + 1 + 4
    told = _told(folder, "FAM")
    assert told == [
        f"{source}:{line}:5: avertissement: etablissements.210007597.categorie: requis par le "
        "modèle (L.313-12-2 ; CASF, art. L.313-12-2) : la partie du Département pour un FAM ou "
        "un EAM (hébergement) ; à renseigner : une autorité de type « conseil départemental » "
        "ou « métropole », qui arrête le tarif d'hébergement du FAM"
    ]


def test_the_soins_tariff_is_named_as_the_decree_names_it() -> None:
    told = annexes_text(FVO)
    assert "FAM Le Suzon – FINESS 21 000 759 7 Financeur Nature" in told
    assert "ARS Bourgogne-Franche-Comté Forfait global de soins 664 800 €" in told
    assert "Forfait global soins" not in told + annexes_text("ehpad-les-cedres-2025")


def test_an_action_due_after_its_objective_or_the_contract_is_warned(tmp_path: Path) -> None:
    folder = _copy(tmp_path, FVO)
    source = folder / "cpom.yaml"
    late = _edit(source, "        echeance: 2029-06-30\n", "        echeance: 2032-06-30\n")
    text = source.read_text(encoding="utf-8")
    start = text.index("  O5:\n")
    end = text.index("    echeance: 2031-12-31\n", start)
    source.write_text(text[:end] + "    echeance: 2028-12-01\n" + text[end + 25 :], "utf-8")
    a52 = text[: text.index("        echeance: 2029-12-31\n", start)].count("\n") + 1
    assert _told(folder, "échéance du") == [
        f"{source}:{late}:19: avertissement: objectifs.O3.actions.A3.3.echeance: échéance du "
        "30 juin 2032 hors de la période du contrat (1er janvier 2027 – 31 décembre 2031) : "
        "attendu une date comprise dans cette période",
        f"{source}:{a52 - 5}:19: avertissement: objectifs.O5.actions.A5.1.echeance: échéance du "
        "31 décembre 2028 postérieure à celle de l'objectif O5 (1er décembre 2028) : attendu une "
        "date au plus tard le 1er décembre 2028",
        f"{source}:{a52}:19: avertissement: objectifs.O5.actions.A5.2.echeance: échéance du "
        "31 décembre 2029 postérieure à celle de l'objectif O5 (1er décembre 2028) : attendu une "
        "date au plus tard le 1er décembre 2028",
    ]


def test_a_mas_lists_its_internat_before_its_temporary_and_day_places() -> None:
    told = contract_text(FVO)
    assert (
        "MAS La Combe Fleurie Internat 44 44 MAS La Combe Fleurie Hébergement temporaire 2 2 "
        "MAS La Combe Fleurie Accueil de jour 4 4 FAM Le Suzon Internat 30 30"
    ) in told
    assert (
        "Mode d'accueil Places autorisées Places installées Internat 30 30 Accueil de jour"
        in (annexes_text(FVO).split("FAM Le Suzon Rubrique")[1])
    )
