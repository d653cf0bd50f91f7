"""A version annotée of the build composes from the validated files, without reading them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpomdocs.build.catalog import contract_input, planned_documents, validated_data
from cpomdocs.versions import sources
from cpomdocs.versions.sources import around_avenant, read_avenant

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
WITH_AVENANTS = sorted(p for p in CONTRACTS.iterdir() if (p / "avenants").is_dir())


@pytest.mark.parametrize("folder", WITH_AVENANTS, ids=lambda p: p.name)
def test_the_validated_data_gives_the_versions_that_reading_the_folder_gives(folder: Path) -> None:
    source = contract_input(folder, None, None, "test")
    read = validated_data(source)
    assert read is not None
    numbers = [a["numero"] for a in read[1]]
    assert numbers
    for numero in numbers:
        assert around_avenant(*read, numero) == read_avenant(folder, numero)


def test_a_planned_version_annotee_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    source = contract_input(CONTRACTS / "chrs-estuaire-2026", None, None, "test")
    planned = [p for p in planned_documents(source) if p.name.startswith("comparaisons/")]
    assert planned

    def refused(path: Path) -> None:
        raise AssertionError(f"{path} lu une seconde fois")

    monkeypatch.setattr(sources, "load_document", refused)
    document = planned[0].compose()
    cover = document.blocks[0].children  # type: ignore[attr-defined]
    titles = [b.runs[0].text for b in cover if getattr(b, "style", "") == "title"]
    assert titles == ["Version annotée : contrat initial et avenant n° 1"]


def test_without_validated_data_the_folder_is_read() -> None:
    source = contract_input(CONTRACTS / "chrs-estuaire-2026", None, None, "test")
    source.checked.avenants[0].document = None
    assert validated_data(source) is None
