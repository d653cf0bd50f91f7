"""`git diff` of a compte-rendu in a user's repository: the meeting's own words, one fact per
line (it showed « Lieu de signature », « Date de l'acte modificatif », « Type d'autorité »)."""

from __future__ import annotations

import sys
from pathlib import Path

from gitrepo import git_as_tester, replaced, run_git

ROOT = Path(__file__).parents[1]
REPORT = "contracts/asba-beaujolais-2024/comptes-rendus/2026-10-08-point-a-mi-parcours.yaml"


def _repo(tmp_path: Path) -> Path:
    """A git repository holding the asba compte-rendu, with the textconv the README sets."""
    repo = tmp_path / "depot"
    (repo / REPORT).parent.mkdir(parents=True)
    (repo / REPORT).write_text((ROOT / REPORT).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / ".gitattributes").write_text("contracts/**/*.yaml diff=cpom\n")
    git_as_tester(repo, "init", "-q")
    command = f"{Path(sys.executable).parent / 'cpomdocs'} textconv"
    run_git(repo, "config", "diff.cpom.textconv", command)
    git_as_tester(repo, "add", "-A")
    git_as_tester(repo, "commit", "-q", "-m", "compte-rendu")
    return repo


def test_git_diff_of_a_report_speaks_of_the_meeting(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    text = (repo / REPORT).read_text(encoding="utf-8")
    text = replaced(text, "TO-HP: {2024: 96.8, 2025: 97.3}", "TO-HP: {2024: 96.8, 2025: 97.6}")
    text = replaced(text, "date: 2026-10-08", "date: 2026-10-09")
    (repo / REPORT).write_text(text, encoding="utf-8")
    out = run_git(repo, "diff", "--", REPORT).replace("\u202f", " ").replace("\xa0", " ")
    changed = [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == [
        "-Date de la réunion : 8 octobre 2026",
        "+Date de la réunion : 9 octobre 2026",
        "-Indicateur TO-HP, valeur réalisée 2025 : 97,3",
        "+Indicateur TO-HP, valeur réalisée 2025 : 97,6",
    ]


def test_every_part_of_a_report_has_its_words(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    shown = (
        run_git(repo, "show", "--textconv", f"HEAD:{REPORT}")
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )
    lines = shown.splitlines()
    assert lines[:6] == [
        "== Compte-rendu ==",
        "Type de réunion : point à mi-parcours",
        "Statut : approuvé",
        "Date de la réunion : 8 octobre 2026",
        "Lieu : délégation départementale de l'ARS Auvergne-Rhône-Alpes, Lyon",
        "Exercice examiné : 2025",
    ]
    for start in (
        "Participant (gestionnaire) : Philippe Aubrac (directeur général)",
        "Document examiné : EPRD 2026 et PGFP 2026-2031",
        "Activité de l'ESSMS 69 079 432 6 : capacité 64 places, activité prévue 22 338,",
        "Objectif O1, commentaire :",
        "Exécution financière : exercice 2025, ESSMS 69 079 432 6, résultat prévu −8 000,00 €,",
        "Point d'attention :",
        "Décision",
        "Action ",
        "Prochaine réunion : ",
    ):
        assert any(line.startswith(start) for line in lines), start
    for contract_word in ("signature", "acte modificatif", "autorité", "Realisations", "_"):
        assert not any(contract_word in line.split(" : ")[0] for line in lines), contract_word
