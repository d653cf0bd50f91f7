"""Shared, expensive fixtures: the example portfolio built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpomdocs.build.schedule import BuildReport
from cpomdocs.build.schedule import build_portfolio as build

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "contracts"


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """Every example contract of contracts/ built once (PDF, and DOCX when available)."""
    output = tmp_path_factory.mktemp("build")
    return output, build([EXAMPLES], output)
