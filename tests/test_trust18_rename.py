"""trust18: a contract folder renamed *and* rewritten beyond git's rename detection is paired
with its old folder by the contract's reference, else its OG's FINESS or SIREN."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from gitrepo import make_repo, replaced, run_git, run_pr_workflow, scaffolded_pr_step

from cpomdocs.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
OLD, NEW = "contracts/ehpad-les-cedres", "contracts/ehpad-cedres-clermont"


def _rewritten(text: str, **changes: object) -> str:
    """The same contract written another way (JSON-like flow style, keys sorted): git sees
    less than half of its lines again, so no rename."""
    data = yaml.safe_load(text)
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True, default_flow_style=True)


def _renamed_repo(tmp_path: Path, commit: bool = True, **changes: object) -> Path:
    """The negotiation repository, then the contract folder renamed and its cpom.yaml
    rewritten (duration 60 → 48 months and `changes`), committed."""
    repo = make_repo(tmp_path / "depot")
    run_git(repo, "mv", OLD, NEW)
    path = repo / NEW / "cpom.yaml"
    text = replaced(path.read_text("utf-8"), "duree_mois: 60", "duree_mois: 48")
    path.write_text(_rewritten(text, **changes), "utf-8")
    run_git(repo, "add", "-A")
    if commit:
        run_git(repo, "commit", "-qm", "dossier renommé et réécrit")
    moved = run_git(repo, "diff", "-M", "--name-status", "HEAD~1" if commit else "HEAD")
    assert not moved.startswith("R"), moved  # git itself does not pair them
    return repo


def _diff(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["diff", "--rev", "HEAD~1..HEAD", *args])
    return done.exit_code, done.output


def test_a_renamed_and_rewritten_folder_is_paired_by_its_reference(tmp_path, monkeypatch) -> None:
    """It was « n'existe pas dans la révision »: now one diff, saying which name it had, and
    only the true change (the rewriting changed no value)."""
    repo = _renamed_repo(tmp_path)
    code, output = _diff(repo, monkeypatch, NEW, "-f", "md")
    assert code == 0, output
    assert output.replace("\\", "").startswith(
        f"### Différences du contrat : HEAD~1:{OLD} (version 3) → HEAD:{NEW} (version 3), "
        f"renommé (anciennement « {OLD} »)\n"
    ), output
    assert "| Durée | 60 mois | 48 mois | −12 |" in output
    code, output = _diff(repo, monkeypatch, NEW, "--ancien-nom")
    assert (code, output) == (0, f"{OLD}\0")


def test_on_disk_too(tmp_path, monkeypatch) -> None:
    """`--rev HEAD..`: the folder renamed and rewritten in the working tree, not committed."""
    repo = _renamed_repo(tmp_path, commit=False)
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["diff", "--rev", "HEAD..", NEW])
    assert done.exit_code == 0, done.output
    assert f"{NEW} (version 3), renommé (anciennement « {OLD} »)" in done.output, done.output


def test_without_a_reference_the_og_identifiers_pair_them(tmp_path, monkeypatch) -> None:
    """The reference removed on one side: the OG's FINESS EJ and SIREN still name it."""
    repo = _renamed_repo(tmp_path, reference=None)
    code, output = _diff(repo, monkeypatch, NEW)
    assert code == 0, output
    assert f"renommé (anciennement « {OLD} »)" in output, output


def test_another_reference_is_another_contract(tmp_path, monkeypatch) -> None:
    """The next CPOM of the same OG, in a new folder while the old one is withdrawn, is not a
    rename: the two references differ (the same OG is not enough)."""
    repo = _renamed_repo(tmp_path, reference="CPOM-ARS-OCC-34-2030-002")
    code, output = _diff(repo, monkeypatch, NEW)
    assert code == 2 and f"« {NEW} » n'existe pas dans la révision HEAD~1" in output, output
    code, output = _diff(repo, monkeypatch, NEW, "--ancien-nom")
    assert (code, output) == (0, "")


def test_two_withdrawn_folders_of_one_contract_are_not_guessed(tmp_path, monkeypatch) -> None:
    """Two withdrawn folders with the same reference: no guess, the folder is new."""
    repo = make_repo(tmp_path / "depot")
    shutil.copytree(repo / OLD, repo / "contracts/copie")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "copie")
    run_git(repo, "rm", "-rq", "contracts/copie")
    run_git(repo, "mv", OLD, NEW)
    path = repo / NEW / "cpom.yaml"
    path.write_text(_rewritten(path.read_text("utf-8")), "utf-8")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "renommé")
    code, output = _diff(repo, monkeypatch, NEW, "--ancien-nom")
    assert (code, output) == (0, "")


def test_the_ancien_nom_option_is_for_one_folder_between_revisions(tmp_path, monkeypatch) -> None:
    repo = _renamed_repo(tmp_path)
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["diff", "--ancien-nom", NEW, OLD])
    assert done.exit_code == 2
    assert "--ancien-nom s'emploie seul avec --rev A..B DOSSIER" in done.output


def test_the_pull_request_workflow_pairs_a_rewritten_rename(tmp_path) -> None:
    """The workflow's step, run for real: « Contrat retiré » + « Nouveau contrat » before; now
    one diff « renommé (anciennement …) », and its version annotée."""
    repo = tmp_path / "depot"
    script = scaffolded_pr_step(repo)
    shutil.copytree(FIXTURES / "versions", repo / "contracts" / "ancien nom")
    git = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, *git, "add", "-A")
    run_git(repo, *git, "commit", "-qm", "base")
    base = run_git(repo, "rev-parse", "HEAD").strip()
    run_git(repo, "mv", "contracts/ancien nom", "contracts/nouveau nom")
    path = repo / "contracts/nouveau nom/cpom.yaml"
    path.write_text(_rewritten(path.read_text("utf-8"), duree_mois=48), "utf-8")
    run_git(repo, *git, "commit", "-qam", "pr")
    comment = run_pr_workflow(repo, script, base, tmp_path / "pr")
    assert "Contrat retiré" not in comment and "Nouveau contrat" not in comment, comment
    assert "renommé (anciennement « contracts/ancien nom »)" in comment, comment
    assert "| Durée | 60 mois | 48 mois | −12 |" in comment, comment
    assert (repo / "redlines" / "nouveau nom.pdf").read_bytes().startswith(b"%PDF")
