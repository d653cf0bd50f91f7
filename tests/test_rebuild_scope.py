"""A change rebuilds only the documents that show it (document_reads), counted on real builds of
a contract with comptes-rendus, in a real git repository; the result equals a clean build."""

from __future__ import annotations

import datetime as dt
import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from cpomdocs.build.schedule import build_portfolio
from cpomdocs.data.signoff import sign_off

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
LATER = "2026-11-12-comite-suivi.yaml"
EARLIER = "2026-06-20-dialogue-annuel.yaml"


def _commit(repo: Path, message: str, day: int) -> None:
    when = f"2026-12-{day:02d}T10:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"}
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
            cwd=repo, env=env, check=True,
        )  # fmt: skip


def _rebuilt(report, out: Path) -> list[str]:  # noqa: ANN001
    """The documents a build wrote (DOCX only in these tests), by name."""
    return sorted(
        p.relative_to(out / "ehpad-suivi").with_suffix("").as_posix() for p in report.written
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The builds of one contract folder through four commits, with what each rebuilt."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path_factory.mktemp("scope")
    folder = root / "contracts" / "ehpad-suivi"
    shutil.copytree(FIXTURE, folder)
    later = (folder / "comptes-rendus" / LATER).read_text(encoding="utf-8")
    (folder / "comptes-rendus" / LATER).unlink()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    _commit(root, "contrat et premier compte-rendu", 1)
    out = root / "build"

    def build() -> object:
        return build_portfolio([root / "contracts"], out, formats=("docx",), jobs=1)

    steps: dict[str, object] = {"first": build()}
    (folder / "comptes-rendus" / LATER).write_text(later, encoding="utf-8")
    _commit(root, "compte-rendu du comité de suivi", 2)
    steps["added"] = build()
    path = folder / "comptes-rendus" / LATER
    text = path.read_text(encoding="utf-8")
    assert "Hiver rigoureux" in text or "commentaire:" in text
    start = text.index("commentaire:", text.index("objectifs:"))
    end = text.index("\n", start)
    path.write_text(text[:start] + "commentaire: Travaux reportés au printemps." + text[end:])
    _commit(root, "commentaire modifié", 3)
    steps["comment"] = build()
    contract = folder / "cpom.yaml"
    text = contract.read_text(encoding="utf-8")
    old = "cibles: {2025: 15, 2026: 14, 2027: 13, 2028: 12, 2029: 12}"
    assert old in text
    contract.write_text(text.replace(old, old.replace("2027: 13", "2027: 12.5")), encoding="utf-8")
    # a signed contract: its new fingerprint (a new signed content: --nouveau-contenu)
    sign_off(contract, dt.date(2026, 12, 4), replace_content=True)
    _commit(root, "cible 2027 modifiée", 4)
    steps["target"] = build()
    clean = root / "clean"
    build_portfolio([root / "contracts"], clean, formats=("docx",), jobs=1)
    steps["out"], steps["clean"] = out, clean
    monkeypatch.undo()
    return steps


def test_first_build_makes_every_document(history) -> None:
    assert _rebuilt(history["first"], history["out"]) == [
        "annexes",
        "comptes-rendus/2026-06-20-dialogue-annuel",
        "contrat",
        "preparation-dialogue-2027-10-15",
    ]


def test_adding_a_report_rebuilds_it_and_the_preparatory_file_only(history) -> None:
    report = history["added"]
    assert _rebuilt(report, history["out"]) == [
        "comptes-rendus/2026-11-12-comite-suivi",
        "preparation-dialogue-2027-10-15",
    ]
    assert report.skipped == 3  # the contract, its annexes, the earlier compte-rendu


def test_editing_a_comment_does_not_rebuild_the_contract(history) -> None:
    assert _rebuilt(history["comment"], history["out"]) == [
        "comptes-rendus/2026-11-12-comite-suivi",
        "preparation-dialogue-2027-10-15",
    ]


def test_editing_a_target_rebuilds_the_documents_that_show_it(history) -> None:
    assert _rebuilt(history["target"], history["out"]) == [
        "annexes",
        "comptes-rendus/2026-06-20-dialogue-annuel",
        "comptes-rendus/2026-11-12-comite-suivi",
        "contrat",
        "preparation-dialogue-2027-10-15",
    ]


def test_incremental_builds_equal_a_clean_build(history) -> None:
    out, clean = history["out"], history["clean"]
    names = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*.docx"))
    assert names == sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    _, mismatch, errors = filecmp.cmpfiles(out, clean, names, shallow=False)
    assert (mismatch, errors) == ([], [])
