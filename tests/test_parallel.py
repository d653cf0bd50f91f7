"""Parallel rendering gives the bytes of a serial build; shards partition and merge back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build.schedule import BuildEvent, BuildReport
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main

REPO = Path(__file__).resolve().parents[1]
CONTRACT = "ehpad-les-cedres-2025"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_parallel_build_is_byte_identical_to_serial(
    built_examples: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    serial, _ = built_examples  # built with one process
    events: list[BuildEvent] = []
    report = build([REPO / "contracts" / CONTRACT], tmp_path, jobs=2, on_event=events.append)
    assert report.failed == [] and report.documents >= 3
    expected = files_of(serial / CONTRACT)
    assert {"contrat.pdf", "contrat.docx", "annexes.pdf"} <= set(expected)
    assert files_of(tmp_path / CONTRACT) == expected  # byte-identical: reproducible builds
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert events[0] == BuildEvent("contract", CONTRACT, rank=1, total=1)
    written = [e.path for e in events if e.kind == "written"]
    assert sorted(written) == sorted(tmp_path / CONTRACT / name for name in expected)


def test_shards_partition_the_portfolio_and_merge_joins_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = ("c1", "c2", "c3", "c4")
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=ids)
    shards = [tmp_path / "part-1", tmp_path / "part-2"]
    built: list[set[str]] = []
    for number, out in enumerate(shards, start=1):
        build([contracts], out, templates=templates, formats=("pdf",), shard=(number, 2))
        built.append({p.name for p in out.iterdir() if p.is_dir()})
    assert built[0].isdisjoint(built[1]) and built[0] | built[1] == set(ids)
    assert all(built)  # both parts have work with this portfolio
    merged = tmp_path / "site"
    result = CliRunner().invoke(main, ["merge", *map(str, shards), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    assert result.output == f"4 contrats réunis dans {merged}/ ; page : {merged}/index.html\n"
    page = (merged / "index.html").read_text(encoding="utf-8")
    for cid in ids:
        assert f'href="{cid}/fiche.pdf"' in page
        assert (merged / cid / "note.pdf").read_bytes() == next(
            (s / cid / "note.pdf").read_bytes() for s in shards if (s / cid).is_dir()
        )
    again = build([contracts], merged, templates=templates, formats=("pdf",))
    assert (again.documents, again.skipped) == (0, 8)  # the merged cache serves a full build


def test_merge_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["merge", str(tmp_path), "-o", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert result.output == f"{tmp_path}: pas un dossier produit par « cpomdocs build »\n"


def test_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--shard", "3/2"])
    assert result.exit_code == 2
    assert result.output == "--shard '3/2' : K doit être compris entre 1 et N\n"
