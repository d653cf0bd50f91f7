"""An avenant's exposé des motifs that names an article or an annex of the contract which the
avenant does not amend: a warning at build naming the file, the line of « motifs » and what the
avenant does amend (composed for real; the CLI build once)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import cpomdocs_here

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.inputs import folder_digest
from cpomdocs.build.planned import avenant_warning
from cpomdocs.documents.motifs import named

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "contracts"
FIXTURE = Path(__file__).parent / "fixtures" / "versions"
TARGET = """numero: 2
objet: cible 2027 du taux d'occupation
statut: projet
dates: {effet: 2027-01-01}
motifs: |
  Le dialogue de gestion a constaté une montée en charge plus lente que prévu. Le présent
  avenant ajuste la cible 2027 du taux d'occupation (MOTS).
modifications:
  objectifs:
    O1:
      indicateurs:
        TO-HP:
          cibles: {2027: 98}
"""


def warnings(folder: Path) -> dict[str, str]:
    """The motifs warning of each avenant of a contract folder, composed as the build does."""
    source = contract_input(folder, None, None, folder_digest(folder))
    assert not source.failure, source.failure
    return {
        p.name: avenant_warning(source, p.name, p.compose())
        for p in planned_documents(source)
        if p.name.startswith("avenant-")
    }


def with_target(tmp_path: Path, words: str) -> Path:
    """The asba example with an avenant n° 2 changing a target (annex 4 only), whose motifs
    say `words` of what it amends."""
    folder = tmp_path / "contracts" / "asba"
    shutil.copytree(EXAMPLES / "asba-beaujolais-2024", folder)
    avenant = folder / "avenants" / "02-cible.yaml"
    avenant.write_text(TARGET.replace("MOTS", words), encoding="utf-8")
    return folder


def test_the_examples_motifs_name_only_what_their_avenants_amend() -> None:
    for folder in (EXAMPLES / "asba-beaujolais-2024", EXAMPLES / "chrs-estuaire-2026", FIXTURE):
        found = warnings(folder)
        assert found and set(found.values()) == {""}, (folder.name, found)


def test_a_motifs_naming_an_article_left_alone_is_said(tmp_path: Path) -> None:
    folder = with_target(tmp_path, "article 3 et annexe 4")  # the asba example until today
    assert warnings(folder)["avenant-02"] == (
        f"{folder}/avenants/02-cible.yaml:5 : motifs : l'exposé des motifs cite l'article 3, que "
        "l'avenant ne modifie pas (il remplace l'annexe 4) : corrigez l'exposé des motifs, ou "
        "ajoutez la modification qu'il annonce"
    )
    assert warnings(with_target(tmp_path / "ok", "annexe 4"))["avenant-02"] == ""


def test_the_build_says_it_and_strict_refuses(tmp_path: Path) -> None:
    with_target(tmp_path, "articles 3 et 4, annexes 4 et 5")
    command = ["build", "contracts", "-o", "build", "-j", "1", "-f", "docx", "-q"]
    done = cpomdocs_here(tmp_path, *command)  # in this process: the same exit code and output
    strict = cpomdocs_here(tmp_path, *command, "--strict")
    said = (
        "avertissement : contracts/asba/avenants/02-cible.yaml:5 : motifs : l'exposé des motifs "
        "cite les articles 3 et 4 et l'annexe 5, que l'avenant ne modifie pas (il remplace "
        "l'annexe 4) : corrigez l'exposé des motifs, ou ajoutez la modification qu'il annonce"
    )
    assert done.returncode == 0 and said in done.stderr + done.stdout, done.stderr
    assert "1 avertissement" in done.stderr + done.stdout
    assert "diffère du texte signé" not in done.stderr + done.stdout
    assert strict.returncode == 1 and "échec : avenant n° 2 : contracts/asba" in strict.stderr


@pytest.mark.parametrize(
    ("motifs", "articles", "annexes"),
    [
        ("(articles 1er et 4, annexes 1 et 8) ; (annexe 4) ; (article 4 et annexe 5).", {1, 4},
         {1, 4, 5, 8}),
        ("inférieure au seuil fixé à l'article D.313-2 du code de l'action sociale", set(), set()),
        ("en application de l'article 2 de l'arrêté du 3 mars 2017", set(), set()),
        ("l'article 1er du présent avenant prend effet", set(), set()),
        ("l'article 4 du contrat et les articles 6 à 8.", {4, 6, 7, 8}, set()),
    ],
    ids=["asba", "code", "arrete", "this-avenant", "range"],
)  # fmt: skip
def test_only_the_contract_s_articles_and_annexes_are_read(
    motifs: str, articles: set[int], annexes: set[int]
) -> None:
    assert named(motifs) == (articles, annexes)
