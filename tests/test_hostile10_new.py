"""cpomdocs new refuses (code 2, nothing written) any --effet or --date whose draft validate
would then refuse: out of the model's bounds or out of the contract's time."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpomdocs.cli.main import main
from cpomdocs.data.validate import validate_paths

ROOT = Path(__file__).parent.parent
CHRS = "contracts/chrs-estuaire-2026"  # effet 2026-01-01, fin 2030-12-31
MEETING = ["--type", "comité de suivi"]
DATES = st.one_of(  # near the contract's time, near the model's years, anywhere
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2033, 12, 31)),
    st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2105, 12, 31)),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def run(*args: str):
    result = CliRunner().invoke(main, ["new", *args])
    assert "Traceback" not in result.output and "erreur interne" not in result.output
    return result


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / CHRS, tmp_path / CHRS)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compte-rendu", CHRS, *MEETING, "--date", "9999-12-31"],
         "--date 9999-12-31 : hors de la période du contrat : attendu une date du 2026-01-01 "
         "(date d'effet) au 2031-12-31 (fin de l'année qui suit la fin du contrat, le 2030-12-31)"),
        (["compte-rendu", CHRS, *MEETING, "--date", "2025-12-31"], "--date 2025-12-31 : hors de"),
        (["compte-rendu", CHRS, *MEETING, "--date", "2032-01-01"], "--date 2032-01-01 : hors de"),
        (["avenant", CHRS, "--effet", "1800-01-01"],
         "--effet 1800-01-01 : date hors limites : attendu une date de 1900 à 2199"),
        (["avenant", CHRS, "--effet", "2025-12-31"],
         "--effet 2025-12-31 : antérieure à la date d'effet du contrat (2026-01-01) : un avenant "
         "prend effet pendant le contrat"),
        (["avenant", CHRS, "--effet", "2031-01-01"],
         "--effet 2031-01-01 : postérieure à la fin du contrat (2030-12-31) : un avenant "
         "prend effet pendant le contrat"),
        (["contracts/neuf", "--base", "chrs", "--effet", "9999-12-31"],
         "--effet 9999-12-31 : date d'effet hors limites : attendu une date du 2001-01-01 au "
         "2095-01-01 (un contrat de 60 mois : son année de référence, celle qui précède la date "
         "d'effet, et sa dernière année vont de 2000 à 2099)"),
        (["contracts/neuf", "--base", "ehpad", "--effet", "2000-12-31"], "--effet 2000-12-31 : "),
        (["contracts/neuf", "--base", "ehpad", "--effet", "2095-01-02"], "--effet 2095-01-02 : "),
    ],
)  # fmt: skip
def test_refused_option(project: Path, args: list[str], message: str) -> None:
    before = snapshot(project)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert snapshot(project) == before


def _written_or_refused(project: Path, args: list[str]) -> None:
    """Either refused (code 2, nothing written) or written, and then valid (no error)."""
    before = snapshot(project)
    result = run(*args)
    if result.exit_code == 2:
        assert snapshot(project) == before
        return
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.split()[1])
    target = written.parent if written.name == "cpom.yaml" else Path(CHRS)
    try:
        report = validate_paths([target])
    finally:
        shutil.rmtree(target) if target.name == "neuf" else written.unlink()
    assert report.errors == 0, [str(p) for p in report.problems if p.is_error]


@PROPERTY
@given(day=DATES)
def test_any_meeting_date(project: Path, day: dt.date) -> None:
    _written_or_refused(project, ["compte-rendu", CHRS, *MEETING, "--date", day.isoformat()])


@PROPERTY
@given(day=DATES)
def test_any_avenant_effet(project: Path, day: dt.date) -> None:
    _written_or_refused(project, ["avenant", CHRS, "--effet", day.isoformat()])


@PROPERTY
@given(day=DATES, base=st.sampled_from(["ehpad", "handicap", "generique", "chrs"]))
def test_any_contract_effet(project: Path, day: dt.date, base: str) -> None:
    _written_or_refused(project, ["contracts/neuf", "--base", base, "--effet", day.isoformat()])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("con", "contracts/con : nom de dossier de contrat refusé : « con » est un nom réservé de "
         "Windows, un clone du dépôt y échouerait (ex. contracts/ehpad-les-tilleuls-2027)"),
        ("nul.2027", "contracts/nul.2027 : nom de dossier de contrat refusé : « nul » est un nom"),
        ("lpt1", "contracts/lpt1 : nom de dossier de contrat refusé : « lpt1 » est un nom"),
        ("ehpad-2027.", "contracts/ehpad-2027. : nom de dossier de contrat refusé : il finit par "
         "un point, que Windows ôte des noms, un clone du dépôt y échouerait (ex. "
         "contracts/ehpad-2027)"),
        ("a" * 300, "aaaaaaaaaaaaaaaaaaaa… : nom de dossier de contrat trop long (300 "
         "caractères) : 100 au plus (ex. contracts/ehpad-les-tilleuls-2027)"),
        ("été", "contracts/été : nom de dossier de contrat invalide"),
        ("a b", "contracts/a b : nom de dossier de contrat invalide"),
    ],
)  # fmt: skip
def test_refused_contract_name(project: Path, name: str, message: str) -> None:
    before = snapshot(project)
    result = run(f"contracts/{name}", "--base", "ehpad")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert snapshot(project) == before


@pytest.mark.parametrize("name", ["console", "com10", "a" * 100])
def test_accepted_contract_name(project: Path, name: str) -> None:
    assert run(f"contracts/{name}", "--base", "ehpad").exit_code == 0
    assert (project / "contracts" / name / "cpom.yaml").is_file()
