"""The README's first runs are real: a newcomer who types them gets what the README shows
(init, new, validate of the new project in text and JSON, the Markdown and JSON diff of the
asba avenant). Lines shown before « … » are the first lines of the real output."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ELLIPSIS = "…"
CEDRES = "ehpad-les-cedres-2025"


def _block(command: str, nth: int = 0) -> list[str]:
    """The lines that follow the `nth` « $ command » in a fenced block of the README, up to the
    fence or the next « $ » line."""
    lines = README.splitlines()
    start = [i for i, line in enumerate(lines) if line == f"$ {command}"][nth]
    shown = []
    for line in lines[start + 1 :]:
        if line.startswith(("```", "$ ")):
            break
        shown.append(line)
    return shown


def _run(*args: str) -> list[str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()


def _check(shown: list[str], real: list[str]) -> None:
    """Lines before an « … » line are the real first lines; after it, the real last ones."""
    marks = [i for i, line in enumerate(shown) if line.strip() == ELLIPSIS]
    if marks:
        cut = marks[0]
        head, tail = shown[:cut], shown[cut + 1 :]
        assert real[: len(head)] == head
        assert not tail or real[-len(tail) :] == tail
    else:
        assert real == shown


@pytest.fixture(scope="module")
def depot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository made as the README says: init, then new, from the folder above it."""
    here = tmp_path_factory.mktemp("readme")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(here)
        _check(_block("cpomdocs init depot"), _run("init", "depot"))
        patch.chdir(here / "depot")
        command = "cpomdocs new contracts/ehpad-les-tilleuls-2027 --base ehpad"
        _check(_block(command), _run(*command.split()[1:]))
    return here / "depot"


def test_validate_of_a_new_project_is_what_the_readme_shows(
    depot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README said « 53 avertissements » and « dates.effet: à compléter » when `new` gave 55,
    # the date's line saying which default it holds.
    monkeypatch.chdir(depot)
    command = "cpomdocs validate contracts/ehpad-les-tilleuls-2027"
    _check(_block(command), _run(*command.split()[1:]))


def test_validate_json_of_a_new_project_is_what_the_readme_shows(
    depot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(depot)
    command = "cpomdocs validate contracts/ehpad-les-tilleuls-2027 -f json"
    _check(_block(command), _run(*command.split()[1:]))
    real = json.loads("\n".join(_run(*command.split()[1:])))
    assert real["bilan"] in README and f'"avertissements": {real["avertissements"]},' in README


def test_markdown_diff_of_the_asba_avenant_is_what_the_readme_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    fence = re.search(r"````markdown\n(.*?)````", README, re.S)
    assert fence is not None
    shown = fence.group(1).splitlines()
    real = _run("diff", "--avenant", "1", "contracts/asba-beaujolais-2024", "-f", "md")
    cut = shown.index("| … | | | |")
    assert real[:cut] == shown[:cut]


def test_json_diff_entry_in_the_readme_is_a_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    command = "cpomdocs diff --avenant 1 contracts/asba-beaujolais-2024 -f json"
    shown = _block(command)
    # The README writes the narrow and plain no-break spaces of the output as spaces.
    real = "\n".join(_run(*command.split()[1:])).replace("\u202f", " ").replace("\xa0", " ")
    assert "\n".join(shown[:4]) == "\n".join(real.splitlines()[:4])
    entry = "\n".join(shown[shown.index("    {") : shown.index("    },") + 1])
    assert entry.count('"chemin"') == 1
    assert entry in real


def test_new_avenant_and_report_are_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README showed one line (« écrit … ») where `new` prints two.
    shutil.copytree(ROOT / "contracts" / CEDRES, tmp_path / "contracts" / CEDRES)
    monkeypatch.chdir(tmp_path)
    for command in (
        f"cpomdocs new avenant contracts/{CEDRES}",
        f'cpomdocs new compte-rendu contracts/{CEDRES} --type "dialogue de gestion annuel" '
        "--date 2027-06-17",
    ):
        _check(_block(command), _run(*shlex.split(command)[1:]))
    written = next((tmp_path / "contracts" / CEDRES / "comptes-rendus").glob("2027-06-17-*"))
    fence = README[README.index("```yaml\nexercice: 2026") :]
    excerpt = fence[len("```yaml\n") : fence.index("```", 3)].splitlines()
    lines = written.read_text(encoding="utf-8").splitlines()
    assert [line for line in excerpt if line not in lines] == []


def test_validate_of_a_damaged_portfolio_is_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README said a value of the wrong type stopped the check at the schema: now the rules
    # run on the rest, and « cd30 » shows beside the unquoted SIREN (data/salvage).
    valid = (ROOT / "tests/fixtures/valid/ehpad-minimal/cpom.yaml").read_text(encoding="utf-8")
    unsigned = valid[: valid.index("empreinte:")]
    damage = {
        "ime-les-saules": [
            ('siren: "433702156"', "siren: 433702156"),
            ("cibles: {2025: 10.5, 2026: 9.5", "cibles: {2025: 10.5, 20266: 9.5"),
            ("    constat: Le taux d'occupation", "    constats: Le taux d'occupation"),
            ("    financeur: ars", "    financeur: cd30"),
        ],
        "mas-le-phare": [
            ('siren: "433702156"', 'siren: "433702157"'),
            ("    financeur: cd34", "    financeur: cd30"),
            (
                "totaux: {2025: 1533000.00, 2026: 1557100.00}",
                "totaux: {2025: 1533000.00, 2026: 1557000.00}",
            ),
        ],
    }
    for name, pairs in damage.items():
        text = unsigned
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        (tmp_path / "portefeuille" / name).mkdir(parents=True)
        (tmp_path / "portefeuille" / name / "cpom.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "portefeuille" / "ok").mkdir()
    (tmp_path / "portefeuille" / "ok" / "cpom.yaml").write_text(valid, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _check(_block("cpomdocs validate portefeuille"), _run("validate", "portefeuille"))


def test_new_with_several_essms_is_what_the_readme_shows(depot: Path) -> None:
    command = (
        "cpomdocs new contracts/og-les-tilleuls-2027 --base ehpad --essms ehpad --essms sessad"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(depot)
        _check(_block(command), _run(*command.split()[1:]))
        listed = README[README.index("avec `--essms`, une fois chacun") :]
        names = re.findall(r"`([a-z-]+)`", listed[: listed.index(")")])[1:]
    from cpomdocs.scaffold.essms import ESSMS

    assert names == list(ESSMS)  # the README lists every category, in the table's order


def test_signing_day_is_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README did not say how a project becomes signed, and validate's « doit avoir une date
    # de signature » did not say where the date goes. The contract is the one `new` wrote,
    # filled in (tests/fixtures/newcomer17): its lines are the draft's, values replaced.
    filled = (ROOT / "tests/fixtures/newcomer17/ehpad-les-tilleuls-rempli.yaml").read_text(
        encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    _run("new", "contracts/ehpad-les-tilleuls-2027", "--base", "ehpad", "--effet", "2027-01-01")
    path = tmp_path / "contracts/ehpad-les-tilleuls-2027/cpom.yaml"
    draft = path.read_text(encoding="utf-8").splitlines()
    assert len(draft) == len(filled.splitlines())
    assert all(a == b or "compl" in a for a, b in zip(draft, filled.splitlines(), strict=True))
    path.write_text(filled.replace("statut: projet", "statut: signé", 1), encoding="utf-8")
    command = "cpomdocs validate contracts/ehpad-les-tilleuls-2027"
    _check(_block(command, 1), _run(*command.split()[1:]))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("dates:\n", "dates:\n  signature: 2026-12-01\n", 1), "utf-8")
    _check(_block(command, 2), _run(*command.split()[1:]))
    signing = "cpomdocs sign-off contracts/ehpad-les-tilleuls-2027/cpom.yaml"
    _check(_block(signing), _run(*signing.split()[1:]))
    _check(_block(command, 3), _run(*command.split()[1:]))


def test_the_realisations_round_trip_is_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `git diff -U0` showed nothing: the compte-rendu `new` had just written was never added;
    # its hunks were also those of an older, shorter compte-rendu.
    asba = "contracts/asba-beaujolais-2024"
    shutil.copytree(ROOT / asba, tmp_path / asba)
    monkeypatch.chdir(tmp_path)

    def git(*args: str) -> list[str]:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "asba")
    command = (
        f'cpomdocs new compte-rendu {asba} --type "dialogue de gestion annuel" --date 2027-06-15'
    )
    _check(_block(command), _run(*shlex.split(command)[1:]))
    assert _block(f"git add {asba}/comptes-rendus") == git("add", f"{asba}/comptes-rendus") == []
    _check(_block(f"cpomdocs export {asba}"), _run("export", asba))
    book = openpyxl.load_workbook(f"build/{asba.split('/')[1]}/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    header = [cell.value for cell in sheet[1]]
    code, year, done = (header.index(name) for name in ("Code", "Année", "Réalisé"))
    values = {"TO-HP": 97.1, "TO-HT": 76.4, "TR-SSIAD": 95.2, "ABS": 10.1}
    for row in sheet.iter_rows(min_row=2):
        if row[year].value == 2026 and row[code].value in values:
            row[done].value = values[row[code].value]
    sheet["J14"] = "en attente ERRD"
    book.save("tableau-de-bord-rempli.xlsx")
    command = f"cpomdocs import realisations tableau-de-bord-rempli.xlsx {asba}"
    result = CliRunner().invoke(main, command.split()[1:])
    assert result.exit_code == 1
    _check(_block(command), result.stderr.splitlines() + result.stdout.splitlines())
    _check(_block("git diff -U0 --no-textconv"), git("diff", "-U0", "--no-textconv"))
