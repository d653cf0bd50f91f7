"""A newcomer's path through the README (session 17), once the contract is signed: an avenant,
its publication, a DOCX brought back from Word, a comparison with another branch. Each friction
met on the way, fixed, and held here by the command a user types, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from gitrepo import git_as_tester
from newcomer17_support import CEDRES, ROOT, cli, copy_cedres, replace_once

from cpomdocs.data.validate import check_folder
from cpomdocs.publish.publishable import publishable_documents


def _signed_avenant(folder: Path, effet: str) -> Path:
    """An avenant written by `new avenant`, filled in, signed on 20 November 2026, sealed."""
    result = cli("new", "avenant", str(folder), "--effet", effet)
    assert result.exit_code == 0, result.output
    path = folder / "avenants" / "01-projet.yaml"
    replace_once(
        path,
        ("objet: à compléter", "objet: extension de 2 places"),
        ("statut: projet", "statut: signé"),
        ("dates:\n", "dates:\n  signature: 2026-11-20\n"),
        ("  lieu: à compléter", "  lieu: Montpellier"),
        ("  À compléter : exposé des motifs de l'avenant.", "  Extension."),
        (
            "modifications: {}",
            'modifications:\n  etablissements:\n    "340005131":\n      autorisation:\n'
            "        modifications:\n          - {acte: arrêté n° 2026-77, date: 2026-10-01,"
            " objet: extension}",
        ),
    )
    result = cli("sign-off", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_a_signed_avenant_not_yet_in_effect_has_no_consolidated_version_to_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # publish asked for contrat-consolide.pdf, which build does not make before the avenant
    # takes effect: « PDF introuvable : lancez d'abord « cpomdocs build » », code 1, forever.
    folder = copy_cedres(tmp_path)
    _signed_avenant(folder, "2027-07-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796342400")  # 4 December 2026
    documents, skipped = publishable_documents(check_folder(folder))
    assert skipped == []
    assert [d.relative for d in documents] == [
        f"{CEDRES}/contrat.pdf",
        f"{CEDRES}/annexes.pdf",
        f"{CEDRES}/avenant-01.pdf",
    ]
    # So it was for the example chrs-estuaire-2026 (avenant signed, effective 1 January 2027):
    # `make publish`, as the README gives it, failed on a fresh clone.
    example = check_folder(ROOT / "contracts" / "chrs-estuaire-2026")
    assert not [d for d in publishable_documents(example)[0] if "consolid" in d.relative]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1817856000")  # 10 August 2027: in effect
    documents, _ = publishable_documents(check_folder(folder))
    consolidated = [d for d in documents if "consolid" in d.relative]
    assert [(d.relative, d.version) for d in consolidated] == [
        (f"{CEDRES}/contrat-consolide.pdf", "avenant 1"),
        (f"{CEDRES}/annexes-consolidees.pdf", "avenant 1"),
    ]


def test_the_avenant_import_docx_writes_is_listed_by_validate_until_filled_in(
    tmp_path: Path,
) -> None:
    # Its objet « … (à compléter) », its date and « Exposé des motifs à rédiger. » passed
    # validate silently: an avenant could be signed with them.
    folder = copy_cedres(tmp_path)
    result = cli("build", str(folder), "-o", str(tmp_path / "build"), "-f", "docx")
    assert result.exit_code == 0, result.output
    document = Document(str(tmp_path / "build" / CEDRES / "annexes.docx"))
    rows = [row for table in document.tables for row in table.rows]
    targets = next(r for r in rows if r.cells[0].text == "TO-HP" and "(2023)" in r.cells[1].text)
    run = next(r for p in targets.cells[4].paragraphs for r in p.runs if r.text == "97\xa0%")
    run.text = "98\xa0%"  # the 2027 target of the occupancy rate
    returned = tmp_path / "annexes-ARS.docx"
    document.save(str(returned))
    dry = cli("import", "docx", "-n", str(returned), str(folder))
    assert dry.exit_code == 0, dry.output
    target = folder / "avenants" / "01-modifications-docx.yaml"
    assert (
        "Rien n'est écrit (--dry-run) : sans cette option, le projet d'avenant serait écrit "
        f"dans `{target}`."
    ) in dry.output.splitlines()
    assert not target.exists()
    result = cli("import", "docx", str(returned), str(folder))
    assert result.exit_code == 0, result.output
    assert f"Projet d'avenant écrit dans `{target}`." in result.output.splitlines()
    result = cli("validate", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{target}:5:8: avertissement: objet: à compléter",
        f"{target}:8:3: avertissement: dates.effet: à compléter (date proposée)",
        f"{target}:9:9: avertissement: motifs: à compléter",
        "1 contrat vérifié : 0 erreur, 3 avertissements",
    ]


def test_a_branch_the_clone_has_only_as_a_remote_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README's « cpomdocs diff --rev main.. contracts/x » in a clone checked out on another
    # branch answered « révision git inconnue : « main » », without the name that works.
    copy_cedres(tmp_path / "origine")
    git_as_tester(tmp_path, "clone", "-q", "-b", "main", "origine", "clone")
    clone = tmp_path / "clone"
    git_as_tester(clone, "checkout", "-q", "-b", "avenant-2")
    git_as_tester(clone, "branch", "-q", "-D", "main")
    monkeypatch.chdir(clone)
    result = cli("diff", "--rev", "main..", f"contracts/{CEDRES}", "-f", "md")
    assert result.exit_code == 2
    assert result.stderr == (
        "révision git inconnue : « main » : ce clone n'a pas de branche locale « main », écrivez"
        " « origin/main » (la branche du dépôt distant)\n"
    )
    result = cli("diff", "--rev", "origin/main..", f"contracts/{CEDRES}")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Aucune différence."
