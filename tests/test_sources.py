"""Only the contract's own sources are attached to its PDFs; other files are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build.provenance import PROVENANCE_NAME
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main
from cpomdocs.publish.seal import attachments

STRAY = (
    "avertissement: fichier ignoré : ni validé ni joint aux PDF (les sources d'un contrat sont "
    "cpom.yaml, avenants/*.yaml et comptes-rendus/*.yaml) ; rangez-le hors du dossier du contrat"
)


@pytest.fixture
def contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("x",))
    folder = contracts / "x"
    (folder / "notes").mkdir()
    (folder / "notes" / "interne.yaml").write_text("marge: 3 %\n", encoding="utf-8")
    (folder / "secret.json").write_text('{"mot_de_passe": "s3cret"}', encoding="utf-8")
    (folder / "avenants").mkdir()
    (folder / "avenants" / ".gitkeep").write_text("", encoding="utf-8")  # not reported
    return contracts, templates, folder


def test_stray_files_are_not_attached(contract, tmp_path: Path) -> None:
    contracts, templates, folder = contract
    report = build([contracts], tmp_path / "build", templates=templates, formats=("pdf",))
    assert report.failed == []
    pdf = (tmp_path / "build" / "x" / "fiche.pdf").read_bytes()
    attached = json.loads(attachments(pdf)[PROVENANCE_NAME])
    assert list(attached["fichiers"]) == ["cpom.yaml"]
    assert b"s3cret" not in pdf and "marge" not in json.dumps(attached)


def test_validate_warns_about_stray_files(contract) -> None:
    _, _, folder = contract
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{folder}/notes/interne.yaml: {STRAY}",
        f"{folder}/secret.json: {STRAY}",
        "1 contrat vérifié : 0 erreur, 2 avertissements",
    ]


@pytest.mark.parametrize("link", ["secret.json", "avenants/01-secret.yaml"])
def test_a_symlink_leaving_the_contract_folder_is_an_error(
    contract, tmp_path: Path, link: str
) -> None:
    contracts, templates, folder = contract
    outside = tmp_path / "identifiants.yaml"
    outside.write_text("cle: s3cret\n", encoding="utf-8")
    target = folder / link
    target.unlink(missing_ok=True)
    target.symlink_to(outside)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert (
        f"{target}: lien symbolique vers {outside}, hors du dossier du contrat : refusé (un "
        "contrat ne se compose que de ses propres fichiers, joints à ses PDF)"
    ) in result.output.splitlines()
    report = build([contracts], tmp_path / "build", templates=templates, formats=("pdf",))
    assert report.failed == ["x"]
    assert not (tmp_path / "build" / "x" / "fiche.pdf").exists()
