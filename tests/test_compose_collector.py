"""A document composes with the garbage collector paused: composing makes no cycles to free."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.jobs import collector_paused
from cpomdocs.build.planned import PlannedDocument
from cpomdocs.documents.blocks import ComposedDocument

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"


def test_a_planned_document_composes_with_the_collector_off_then_on_again() -> None:
    seen: list[bool] = []

    def compose() -> ComposedDocument:
        seen.append(gc.isenabled())
        raise ValueError("composition ratée")

    planned = PlannedDocument("contrat", "contrat", compose)
    assert gc.isenabled()
    with pytest.raises(ValueError, match="composition ratée"):
        planned.compose()
    assert seen == [False]
    assert gc.isenabled()  # back on, even after a failure


def test_a_collector_already_off_stays_off_and_a_nested_pause_leaves_it_off() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not turn it on under the outer one
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_composing_any_example_document_leaves_no_garbage_in_cycles() -> None:
    """The pause's premise: with the collector off, nothing a composition drops waits for it
    (a cycle made while composing would stay in memory until the next collection). Each
    document is composed a second time, as a warm worker does: the first compte-rendu of a
    process leaves 20 objects of matplotlib's first use."""
    planned = [
        document
        for folder in sorted(CONTRACTS.iterdir())
        for document in planned_documents(contract_input(folder, None, None, "collector"))
    ]
    for document in planned:
        document.compose()
    for document in planned:
        with collector_paused():  # kept off after the composition: else a young collection
            gc.collect()  # that the first allocation starts would free the cycles unseen
            assert document.compose().blocks
            assert gc.collect() == 0, document.name
    names = {document.name for document in planned}
    assert {"contrat", "annexes", "avenant-01", "comparaisons/avenant-01"} <= names
    assert any(name.startswith("comptes-rendus/") for name in names)
