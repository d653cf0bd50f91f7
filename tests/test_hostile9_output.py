"""Hostile audit 9, the output folder: one that is the contracts' folder, a contract's folder or
inside one is refused before anything is written (documents would mix with the sources)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.cli.main import main

WHY = (
    "les documents produits se mêleraient aux sources (et à leur dépôt git) ; choisissez un "
    "dossier à part, par exemple -o build"
)


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("source", "output", "where"),
    [
        ("contracts", "contracts", "le dossier des contrats"),
        ("contracts/c1", "contracts", "le dossier des contrats"),
        ("contracts", "contracts/c1", "dans le dossier du contrat c1"),
        ("contracts", "contracts/c2/sortie", "dans le dossier du contrat c2"),
        (".", ".", "le dossier des contrats"),  # from inside contracts/
    ],
)
def test_an_output_folder_among_the_sources_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, output: str, where: str
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    monkeypatch.chdir(contracts if source == "." else tmp_path)
    before = files(tmp_path)
    args = ["build", source, "-o", output, "--templates", str(templates), "-f", "pdf", "-j", "1"]
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.output) == (
        2,
        f"{output}: ce dossier de sortie est {where} : {WHY}\n",
    )
    assert files(tmp_path) == before


def test_an_output_folder_beside_the_contracts_still_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    monkeypatch.chdir(
        contracts / "c1"
    )  # the documented « cd contracts/x && build . -o ../../build »
    args = [
        "build",
        ".",
        "-o",
        "../../build",
        "--templates",
        str(templates),
        "-f",
        "pdf",
        "-j",
        "1",
    ]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "build" / "c1" / "fiche.pdf").is_file()


def test_export_into_a_contract_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, _ = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    monkeypatch.chdir(tmp_path)
    before = files(tmp_path)
    done = CliRunner().invoke(main, ["export", "contracts", "-o", "contracts"])
    assert (done.exit_code, done.output) == (
        2,
        f"contracts: ce dossier de sortie est le dossier des contrats : {WHY}\n",
    )
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "contracts/c1/cpom.yaml",
            "c'est une des versions comparées, elle serait écrasée : choisissez un autre fichier "
            "de sortie (-o)",
        ),
        (
            "ancien.yaml",
            "c'est une des versions comparées, elle serait écrasée : choisissez un autre fichier "
            "de sortie (-o)",
        ),
        (
            "contracts/c1/avenants/comparaison.pdf",
            "ce fichier de sortie est dans le dossier du contrat c1, parmi ses sources : "
            "écrivez-le ailleurs, par exemple -o build/comparaison.pdf",
        ),
    ],
)
def test_diff_never_writes_over_a_compared_file_or_among_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str, message: str
) -> None:
    small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contracts" / "c1" / "avenants").mkdir()
    source = tmp_path / "contracts" / "c1" / "cpom.yaml"
    (tmp_path / "ancien.yaml").write_bytes(source.read_bytes())
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    args = ["diff", "ancien.yaml", "contracts/c1/cpom.yaml", "-f", "json", "-o", output]
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.output) == (2, f"{output}: {message}\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
