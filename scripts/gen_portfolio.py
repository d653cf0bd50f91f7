"""Generate a synthetic CPOM portfolio: N valid, varied contracts of realistic size.

    python scripts/gen_portfolio.py [-n 20] [-o DOSSIER] [--seed 1]

Each contract has 1 to 6 ESSMS (EHPAD and SSIAD for the elderly, IME/SESSAD/MAS/FAM/ESAT with a
dotation globalisée commune for the disabled), 5 to 10 objectives with 1 to 3 indicators each,
five years of financing from the ARS and the département, investments and a comité de suivi.
Names and numbers are invented; FINESS, SIREN and SIRET keys are valid (Luhn).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml

from cpomdocs.data.identifiers import with_luhn_key
from cpomdocs.data.signoff import sign_off

DEPARTEMENTS = [("34", "Hérault"), ("30", "Gard"), ("11", "Aude"), ("66", "Pyrénées-Orientales")]
TOWNS = ["Lunel", "Sète", "Agde", "Lodève", "Ganges", "Pézenas", "Béziers", "Clermont-l'Hérault"]
PA = [("500", "EHPAD", "hebergement_permanent", (40, 120)), ("354", "SSIAD", "domicile", (20, 80))]
PH = [
    ("183", "IME", "semi_internat", (20, 60)),
    ("182", "SESSAD", "milieu_ordinaire", (15, 50)),
    ("255", "MAS", "internat", (20, 50)),
    ("437", "FAM", "internat", (15, 40)),
    ("246", "ESAT", "travail_protege", (40, 120)),
]
AXES = ["Qualité de l'accompagnement", "Ressources humaines", "Activité", "Parcours", "Efficience"]
VERBS = ["Améliorer", "Développer", "Réduire", "Fidéliser", "Sécuriser", "Renforcer", "Ouvrir"]
THEMES = [
    "la fluidité des parcours",
    "l'absentéisme des équipes",
    "la prévention des chutes",
    "l'accueil temporaire",
    "la qualité de vie au travail",
    "l'inclusion en milieu ordinaire",
    "la consommation d'énergie",
    "les coopérations avec le secteur sanitaire",
    "le taux d'occupation",
    "la démarche qualité",
]
PLACES = ["Les Pins", "Le Jardin", "La Source", "Les Vignes"]
YEARS = [2025, 2026, 2027, 2028, 2029]


def _finess(dept: str, rng: random.Random) -> str:
    return with_luhn_key(f"{dept}{rng.randrange(10**6):06d}")


def _address(rng: random.Random, dept: str) -> dict[str, str]:
    return {
        "voie": f"{rng.randrange(1, 90)} rue des {rng.choice(['Tilleuls', 'Oliviers', 'Pins'])}",
        "code_postal": f"{dept}{rng.randrange(100, 999)}",
        "commune": rng.choice(TOWNS),
    }


def _person(rng: random.Random, title: str) -> dict[str, str]:
    first = rng.choice(["Anne", "Marc", "Julie", "Paul", "Inès", "Hugo", "Léa", "Omar"])
    last = rng.choice(["Martin", "Roux", "Fabre", "Garcia", "Vidal", "Blanc", "Bonnet", "Girard"])
    return {"nom": f"{first} {last}", "qualite": title}


def _yearly(base: float, rate: float) -> dict[int, float]:
    return {year: round(base * (1 + rate) ** n, 2) for n, year in enumerate(YEARS)}


def contract(index: int, rng: random.Random) -> dict[str, Any]:
    """One valid contract as plain data."""
    dept, dept_name = rng.choice(DEPARTEMENTS)
    handicap = index % 3 == 2
    ej = _finess(dept, rng)
    siren = with_luhn_key(f"{rng.randrange(10**7, 10**8)}")
    kinds = PH if handicap else PA
    count = rng.randint(3, 6) if handicap else rng.randint(1, 4)
    establishments: dict[str, Any] = {}
    for n in range(count):
        code, label, mode, (low, high) = kinds[n % len(kinds)] if handicap else rng.choice(kinds)
        establishments[_finess(dept, rng)] = {
            "nom": f"{label} {rng.choice(PLACES)} {n + 1}",
            "finess_ej": ej,
            "siret": with_luhn_key(f"{siren}{n + 1:04d}"),
            "categorie": {"code": code, "libelle": label},
            "adresse": _address(rng, dept),
            "autorisation": {"date": "2017-01-03", "reference": f"arrêté n° 2017-{n:04d}"},
            "capacites": {mode: {"autorisees": rng.randint(low, high)}},
            "habilitation_aide_sociale": not handicap,
            "tarification": "dotation globalisée commune"
            if handicap
            else "forfaits soins et dépendance",
            "publics": "adultes en situation de handicap"
            if handicap
            else "personnes âgées dépendantes",
            "activites": "Accompagnement global, projet personnalisé et coordination des soins.",
        }
    finess_list = list(establishments)
    objectives: dict[str, Any] = {}
    for n in range(1, rng.randint(5, 10) + 1):
        indicators = {}
        for k in range(1, rng.randint(1, 3) + 1):
            reference = round(rng.uniform(5, 95), 1)
            indicators[f"IND-{n}-{k}"] = {
                "libelle": f"Taux de suivi {n}.{k}",
                "methode_calcul": "numérateur × 100 / dénominateur",
                "source": "tableau de bord de la performance ANAP",
                "unite": "%",
                "sens": "hausse",
                "reference": {"valeur": reference, "annee": 2023},
                "cibles": {
                    y: min(100.0, round(reference + 1.5 * (i + 1), 1)) for i, y in enumerate(YEARS)
                },
            }
        actions = {
            f"A{n}.{k}": {
                "libelle": f"Action {k} de l'objectif {n} : plan de travail, formation et suivi",
                "pilote": rng.choice(["directrice", "cadre de santé", "responsable qualité"]),
                "echeance": f"{rng.choice(YEARS)}-12-31",
            }
            for k in range(1, rng.randint(1, 3) + 1)
        }
        objectives[f"O{n}"] = {
            "titre": f"{rng.choice(VERBS)} {rng.choice(THEMES)}",
            "axe": rng.choice(AXES),
            "etablissements": rng.sample(finess_list, k=min(len(finess_list), 2)),
            "constat": "Le diagnostic partagé montre un écart à la moyenne régionale.",
            "actions": actions,
            "indicateurs": indicators,
            "echeance": "2029-12-31",
            "financeur": rng.choice(["ars", "cd"]),
        }
    lines: dict[str, Any] = {}
    totals = dict.fromkeys(YEARS, 0.0)
    for finess in finess_list:
        if handicap:
            funding = {
                "ars": {"dotation_globalisee_commune": _yearly(rng.uniform(8e5, 3e6), 0.012)}
            }
        else:
            funding = {
                "ars": {"forfait_global_soins": _yearly(rng.uniform(4e5, 1.5e6), 0.015)},
                "cd": {"forfait_global_dependance": _yearly(rng.uniform(1.5e5, 5e5), 0.01)},
            }
        lines[finess] = funding
        for by_nature in funding.values():
            for amounts in by_nature.values():
                for year, value in amounts.items():
                    totals[year] = round(totals[year] + value, 2)
    financing: dict[str, Any] = {
        "lignes": lines,
        "totaux": totals,
        "affectation_resultats": "Les résultats sont affectés par le gestionnaire (R.314-234).",
        "investissements": [
            {
                "libelle": f"Travaux {k}",
                "etablissement": rng.choice(finess_list),
                "annee": rng.choice(YEARS),
                "montant": round(rng.uniform(5e4, 5e5), 2),
            }
            for k in range(1, rng.randint(1, 3) + 1)
        ],
    }
    if handicap:
        dgc = {
            y: round(sum(lines[f]["ars"]["dotation_globalisee_commune"][y] for f in lines), 2)
            for y in YEARS
        }
        financing["dotation_globalisee_commune"] = {"beneficiaire": finess_list[0], "montants": dgc}
    og_name = f"{'Association' if index % 2 else 'Fondation'} Synthèse {index:04d}"
    return {
        "reference": f"CPOM-ARS-OCC-{dept}-2025-{index:04d}",
        "version": 1 + index % 3,
        "statut": "projet" if index % 4 == 0 else "signé",
        "secteur": "personnes handicapées" if handicap else "personnes âgées",
        "base_legale": "L.313-12-2" if handicap else "L.313-12 IV ter",
        "territoire": f"{dept_name} ({dept})",
        "dates": {
            "signature": None if index % 4 == 0 else "2025-03-01",
            "effet": "2025-01-01",
            "fin": "2029-12-31",
        },
        "duree_mois": 60,
        "signature": {"lieu": "Montpellier"},
        "gestionnaire": {
            "nom": og_name,
            "finess_ej": ej,
            "siren": siren,
            "statut_juridique": "association loi 1901"
            if index % 2
            else "fondation reconnue d'utilité publique",
            "adresse": _address(rng, dept),
            "representant": _person(rng, "directeur général"),
            "presentation": f"{og_name} gère {count} établissements et services.",
        },
        "autorites": {
            "ars": {
                "type": "ARS",
                "nom": "Agence régionale de santé Occitanie",
                "representant": _person(rng, "directeur général"),
            },
            "cd": {
                "type": "conseil départemental",
                "nom": f"Département {dept_name}",
                "representant": _person(rng, "président du conseil départemental"),
            },
        },
        "etablissements": establishments,
        "visas": ["le code de l'action sociale et des familles, notamment son article L.313-11"],
        "preambule": "Le présent contrat fixe les objectifs et les moyens du gestionnaire.",
        "diagnostic": {
            "synthese": "Le diagnostic partagé a été conduit avec les équipes en 2024.",
            "forces": ["équipes stables", "partenariats actifs"],
            "faiblesses": ["locaux vieillissants"],
            "enjeux": ["adapter l'offre aux besoins du territoire"],
            "sources": ["tableau de bord ANAP 2023"],
        },
        "objectifs": objectives,
        "financement": financing,
        "suivi": {
            "comite": {
                "ars": [_person(rng, "inspectrice")],
                "cd": [_person(rng, "chef de service")],
                "gestionnaire": [_person(rng, "directeur général")],
            },
            "dialogues": [
                {"annee": 2027, "type": "point à mi-parcours"},
                {"annee": 2029, "type": "bilan final"},
            ],
            "evaluations": [
                {"libelle": "évaluation de la qualité (HAS)", "date_prevue": "2027-06-30"}
            ],
            "documents": ["EPRD et ERRD"],
        },
    }


SIGNED_OFF = dt.date(2026, 1, 5)  # a fixed sign-off date: the same portfolio every time


def generate(count: int, folder: Path, seed: int = 1) -> list[Path]:
    """Write `count` contract folders into `folder`; return them."""
    rng = random.Random(seed)
    folders = []
    for index in range(1, count + 1):
        target = folder / f"cpom-synthetique-{index:04d}"
        target.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(contract(index, rng), allow_unicode=True, sort_keys=False)
        (target / "cpom.yaml").write_text(text, encoding="utf-8")
        if "statut: signé" in text:  # a signed contract carries its fingerprint (cpomdocs sign-off)
            sign_off(target / "cpom.yaml", today=SIGNED_OFF)
        folders.append(target)
    return folders


def main() -> None:
    """Parse the command line and generate the portfolio."""
    parser = argparse.ArgumentParser(description="Génère un portefeuille synthétique de CPOM.")
    parser.add_argument("-n", "--contracts", dest="n", type=int, default=20, help="contrats (20)")
    parser.add_argument("-o", "--output", type=Path, help="dossier (par défaut : temporaire)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = args.output or Path(tempfile.mkdtemp(prefix="cpom-portefeuille-"))
    generate(args.n, folder, args.seed)
    print(folder)


if __name__ == "__main__":
    main()
