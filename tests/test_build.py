"""Tests of the build: reproducible outputs, source dates, failures isolated, extensible list."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import example_data, write_contract

from cpomdocs.build import catalog as build_module
from cpomdocs.build.cache import CACHE_FILE
from cpomdocs.build.catalog import source_date
from cpomdocs.build.planned import PlannedDocument
from cpomdocs.build.schedule import BuildEvent
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main
from cpomdocs.documents.blocks import DocumentMeta
from cpomdocs.documents.compose import compose_markdown
from cpomdocs.errors import UsageError

REPO = Path(__file__).resolve().parents[1]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote, but its cache (which records how long each render took)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != CACHE_FILE
    }


def test_source_date_epoch_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert source_date(tmp_path) == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_bad_source_date_epoch_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "demain")
    with pytest.raises(UsageError) as caught:
        source_date(tmp_path)
    assert str(caught.value) == "SOURCE_DATE_EPOCH invalide : « demain » (secondes depuis 1970)"


def test_source_date_is_the_last_commit_of_the_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = tmp_path / "contracts" / "c1"
    write_contract(folder, example_data())
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2025-02-03T04:05:06Z",
        "GIT_COMMITTER_DATE": "2025-02-03T04:05:06Z",
    }
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "c1"]):
        subprocess.run(command, cwd=tmp_path, env=env, check=True)
    assert source_date(folder) == dt.datetime(2025, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


def test_source_date_falls_back_to_the_files_mtime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write_contract(tmp_path / "c1", example_data())
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert source_date(tmp_path / "c1") == dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)


def test_one_failing_contract_does_not_stop_the_others(tmp_path: Path) -> None:
    sources = tmp_path / "contracts"
    write_contract(sources / "a-valide", example_data())
    (sources / "b-casse").mkdir()
    (sources / "b-casse" / "cpom.yaml").write_text("reference: [\n", encoding="utf-8")
    output = tmp_path / "build"
    result = CliRunner().invoke(
        main, ["build", str(sources), "-o", str(output), "-f", "pdf", "--templates", "absent"]
    )
    assert result.exit_code == 1
    built = sorted(p.name for p in (output / "a-valide").iterdir())
    assert built == ["annexes.pdf", "contrat.pdf", "preparation-dialogue-2027-10-15.pdf"]
    assert not (output / "b-casse").exists()
    lines = result.stdout.splitlines()
    # each contract with its rank among the contracts built (progress on a long build);
    # its documents in the order they end: longest first
    assert lines[0] == "▸ a-valide (1/2)"
    index = lines.index("  contrat …")
    assert lines[index + 1] == f"    {output / 'a-valide' / 'contrat.pdf'}"
    assert "▸ b-casse (2/2)" in lines
    assert "  échec : contrat invalide : aucun document produit" in result.stderr
    assert "b-casse/cpom.yaml:2:1" in result.stderr
    assert "3 documents construits (3 fichiers dans " in result.stderr
    assert ", 1 contrat en échec, en " in result.stderr
    assert result.stderr.rstrip().endswith("Échec pour : b-casse")


def test_documents_a_contract_yields_can_be_extended(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "fiche.md.j2").write_text("# Fiche {{ numero }}\n\nContrat {{ id }}.\n")

    def fiche(source: build_module.ContractInput) -> list[PlannedDocument]:
        meta = DocumentMeta("Fiche", "Fiche", "OG", "Fiche", [], "v1", source.created)
        context = {"numero": 1, "id": source.id}
        return [
            PlannedDocument(
                "fiche", "fiche", lambda: compose_markdown("fiche.md.j2", context, meta, templates)
            )
        ]

    monkeypatch.setattr(build_module, "DOCUMENT_SOURCES", [fiche])
    write_contract(tmp_path / "contracts" / "c1", example_data())
    events: list[BuildEvent] = []
    report = build(
        [tmp_path / "contracts"], tmp_path / "out", formats=("pdf",), on_event=events.append
    )
    assert [p for p in report.written if p.suffix == ".pdf"] == [
        tmp_path / "out" / "c1" / "fiche.pdf"
    ]
    assert report.documents == 1
    assert [(e.kind, e.document) for e in events] == [
        ("contract", ""),
        ("document", "fiche"),
        ("written", "fiche"),
    ]


def test_planned_documents_name_the_templates_they_use(tmp_path: Path) -> None:
    write_contract(tmp_path / "c1", example_data())
    checked = build_module.check_folder(tmp_path / "c1")
    source = build_module.ContractInput(
        "c1", tmp_path / "c1", checked, checked.contract.model, "cpom.yaml", b"", "x", None
    )
    planned = {p.name: p.templates for p in build_module.planned_documents(source)}
    assert planned["contrat"] == (
        "_affectation-resultats.md.j2",
        "_couverture.md.j2",
        "_financement-synthese.md.j2",
        "contrat.md.j2",
    )
    assert "annexe-5-financiere.md.j2" in planned["annexes"]
    assert "annexe-habilitation.md.j2" in planned["annexes"]  # included when it applies
