"""Errors of the output folder and of the render, for people: full disk, read-only folder, a file
where a folder is expected, a render out of time. French, exit 1, no « erreur interne »."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build import catalog
from cpomdocs.build.planned import ContractInput, PlannedDocument
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"montage impossible ici (root requis) : {done.stderr.strip()}")


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A tiny tmpfs, filled up."""
    disk = tmp_path / "disque"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk))
    try:
        filler = os.open(disk / "remplissage", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"\0" * 4096):
                pass
        except OSError:
            pass
        os.close(filler)
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder bind-mounted read-only (chmod does not stop root, who runs these tests)."""
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    mount("--bind", str(folder), str(folder))
    try:
        mount("-o", "remount,bind,ro", str(folder))
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def run_build(contracts: Path, templates: Path, out: Path, *options: str) -> tuple[int, str]:
    args = ["build", str(contracts), "-o", str(out), "--templates", str(templates), "-f", "pdf"]
    result = CliRunner().invoke(main, [*args, "-j", "1", *options])
    assert "erreur interne" not in result.output and "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_full_disk_is_said_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_disk: Path
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    code, output = run_build(contracts, templates, full_disk / "build")
    assert code == 1
    assert f"{full_disk}/build/c1/fiche.pdf: écriture impossible : disque plein" in output
    assert output.splitlines()[-1] == (
        f"{full_disk}/build/index.html: écriture impossible : disque plein"
    )
    assert not list(full_disk.rglob("*.tmp")) and not list(full_disk.rglob("*.pdf"))


def test_a_read_only_output_folder_is_said_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: Path
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    code, output = run_build(contracts, templates, read_only)
    assert code == 1
    assert output == (
        f"{read_only}/.cpomdocs.lock: écriture impossible : système de fichiers en lecture seule\n"
    )


def test_a_file_where_a_contract_folder_is_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "build"
    out.mkdir()
    (out / "c1").write_text("un fichier", encoding="utf-8")
    code, output = run_build(contracts, templates, out)
    assert code == 1
    assert (
        f"  échec : fiche : {out}/c1/fiche.pdf: écriture impossible : un fichier se trouve là où "
        "un dossier est attendu"
    ) in output.splitlines()


def slow_documents(source: ContractInput) -> list[PlannedDocument]:
    """A document whose composition never ends, and a quick one after it."""
    quick = catalog.DOCUMENT_SOURCES_BEFORE[0](source)  # type: ignore[attr-defined]

    def forever() -> object:
        time.sleep(60)
        raise AssertionError("le délai n'a pas interrompu le rendu")

    return [PlannedDocument("lent", "lent", forever, ("fiche.md.j2",)), *quick]


def test_a_render_out_of_time_fails_alone_with_a_french_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    monkeypatch.setattr(catalog, "DOCUMENT_SOURCES_BEFORE", catalog.DOCUMENT_SOURCES, raising=False)
    monkeypatch.setattr(catalog, "DOCUMENT_SOURCES", [slow_documents])
    started = time.monotonic()
    code, output = run_build(contracts, templates, tmp_path / "build", "--timeout", "1")
    assert time.monotonic() - started < 20
    assert code == 1
    assert (
        "  échec : lent : rendu interrompu au bout de 1 s (limite de --timeout) : document trop "
        "volumineux ou trop complexe ; aucun fichier écrit pour lui"
    ) in output.splitlines()
    assert (tmp_path / "build" / "c1" / "fiche.pdf").is_file()  # the others are built
    assert not (tmp_path / "build" / "c1" / "lent.pdf").exists()


def test_workers_keep_working_after_a_render_out_of_time(tmp_path: Path) -> None:
    """In real worker processes: every render over its limit fails, the build goes on."""
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    source = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
    subprocess.run(["cp", "-r", str(source), str(contracts / "c1")], check=True)
    report = build([contracts], tmp_path / "build", formats=("pdf",), jobs=2, timeout=0.01)
    assert report.failed == ["c1"] and report.written == []
    messages = report.failures["c1"]
    assert len(messages) == 8
    assert all("rendu interrompu au bout de 0,01 s (limite de --timeout)" in m for m in messages)
