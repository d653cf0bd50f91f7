"""Hostile audit 11: the way back from Word, XLSX cells, YAML corners, the build under stress.

Real git repositories (tests/gitrepo.py), DOCX built by cpomdocs and edited with lxml the way Word
writes edits, real `cpomdocs` processes where the process is what is attacked (a signal, a named
pipe, argv), the other commands in this process (tests/cli_support.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import cpomdocs_here
from gitrepo import CONTRACT, make_repo, run_git
from test_wordback import AMOUNT_AFTER, AMOUNT_BEFORE, build_docx
from wordback_support import DocxEditor

from cpomdocs import fmt

FOLDER = str(Path(CONTRACT).parent)
AMOUNT = fmt.amount(1156500, False)


def cpomdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `cpomdocs` process in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "cpomdocs", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft contract in git and three returned DOCX: an item added to a list of the contract,
    a 2027 amount of the annexes erased, a line typed under it."""
    root = tmp_path_factory.mktemp("hostile11")
    repo = make_repo(root / "repo")
    built = build_docx(repo, root / "build")
    editor = DocxEditor(built["contrat"], tracked=False)
    editor.add_paragraph_after("EPRD et ERRD de chaque exercice", "le rapport annuel")
    (repo / "retour").mkdir()
    (repo / "retour" / "contrat.docx").write_bytes(editor.save())
    editor = DocxEditor(built["annexes"], tracked=False)
    editor.delete_paragraph(AMOUNT)
    (repo / "retour" / "efface.docx").write_bytes(editor.save())
    editor = DocxEditor(built["annexes"], tracked=True)
    editor.add_paragraph_after(AMOUNT, "1 200 000 €")
    (repo / "retour" / "ajoute.docx").write_bytes(editor.save())
    run_git(repo, "add", "retour")
    run_git(repo, "commit", "-q", "-m", "retours")
    return repo


def _clean(repo: Path) -> str:
    return run_git(repo, "status", "--porcelain")


@pytest.mark.parametrize(
    ("rapport", "expected"),
    [
        (f"{FOLDER}/cpom.yaml", "ce rapport serait écrit dans le dossier du contrat"),
        (f"{FOLDER}/avenants/rapport.md", "ce rapport serait écrit dans le dossier du contrat"),
        ("retour/contrat.docx", "c'est un des documents importés, il serait écrasé"),
        ("retour/../retour/contrat.docx", "c'est un des documents importés, il serait écrasé"),
    ],
)
def test_a_report_over_the_contract_or_the_docx_is_refused(
    returned: Path, rapport: str, expected: str
) -> None:
    """`-r contracts/x/cpom.yaml` replaced the contract just updated by the Markdown report."""
    done = cpomdocs_here(returned, "import", "docx", "retour/contrat.docx", FOLDER, "-r", rapport)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"{rapport}: {expected}"), done.stderr
    assert _clean(returned) == ""


def test_a_report_that_cannot_be_written_stops_before_the_contract(returned: Path) -> None:
    """The report is written first: when it fails, the contract is left as it was."""
    done = cpomdocs_here(returned, "import", "docx", "retour/contrat.docx", FOLDER,
                         "-r", "retour/contrat.docx/rapport.md")  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "écriture impossible" in done.stderr
    assert _clean(returned) == ""


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        (["retour/contrat.docx", "retour/contrat.docx"], "retour/contrat.docx est donné deux fois"),
        (
            ["retour/efface.docx", "retour/ajoute.docx"],
            "retour/ajoute.docx et retour/efface.docx sont deux exemplaires du même document "
            "« annexes »",
        ),
    ],
)
def test_one_document_twice_is_refused(returned: Path, documents: list[str], expected: str) -> None:
    """The same DOCX given twice added its list item twice to the contract."""
    done = cpomdocs_here(returned, "import", "docx", *documents, FOLDER)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == (
        f"{expected} : un seul exemplaire de chaque document par import ; importez l'autre ensuite"
    )
    assert _clean(returned) == ""


@pytest.mark.parametrize("name", ["efface", "ajoute"])
def test_an_amount_erased_or_added_under_says_what_to_do(returned: Path, name: str) -> None:
    """A year's amount erased (or a line typed under it) is not « a list of texts »."""
    done = cpomdocs_here(returned, "import", "docx", "-n", f"retour/{name}.docx", FOLDER)
    assert done.returncode == 0, done.stderr
    assert (
        "une valeur de « financement.lignes.340005131.ars.forfait_global_soins » ne s'ajoute ni ne "
        "s'efface dans le document : corrigez le nombre dans sa cellule, ou modifiez le YAML"
    ) in done.stdout
    assert "Aucune modification des données." in done.stdout
    assert _clean(returned) == ""


@pytest.mark.parametrize("hostile", ["=1+1", "+33 1 23 45 67 89", "-2 % sur 2026", "@SUM(A1)"])
def test_text_that_reads_as_a_formula_is_marked_quote_prefix(tmp_path: Path, hostile: str) -> None:
    """Text cells starting with = + - @ carry « quotePrefix »: Excel and LibreOffice keep them
    text when someone edits them (data_type « s » alone holds only until the cell is retyped)."""
    import openpyxl

    from cpomdocs.data.signoff import sign_off
    from cpomdocs.spreadsheet.export import export

    folder = tmp_path / "contracts" / "ehpad-suivi"
    fixture = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
    shutil.copytree(fixture, folder)
    source = folder / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("libelle: Taux d'absentéisme des aides-soignants", f"libelle: '{hostile}'")
    source.write_text(text.replace("nom: EHPAD Les Cèdres", f"nom: '{hostile}'"), "utf-8")
    sign_off(source, replace_content=True)
    book = openpyxl.load_workbook(export([folder], tmp_path / "out").written[0])
    for cell in (book["Indicateurs"]["C2"], book["Financement"]["B2"]):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (hostile, "s", True)
    plain = book["Indicateurs"]["B2"]  # the indicator code
    assert plain.data_type == "s" and not plain.quotePrefix  # ordinary text: no mark
    assert book["Indicateurs"]["K2"].data_type == "f"  # the gap stays a formula


def _draft(tmp_path: Path, old: str, new: str) -> Path:
    """The v3 draft of tests/gitrepo.py in contracts/x, with `old` replaced by `new`."""
    from gitrepo import replaced, versions

    folder = tmp_path / "contracts" / "x"
    folder.mkdir(parents=True)
    (folder / "cpom.yaml").write_text(replaced(versions()[2][0], old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  O1:\n", '  "O1\\n":\n',
         "cpom.yaml:109:3: objectifs.O1\\n: clé « O1\\n » invalide : attendu un identifiant "
         "d'objectif (ex. « O1 », « O2.3 »)"),
        ("2027: 1156500.00", '"2027\\n": 1156500.00',
         "cpom.yaml:155:68: financement.lignes.340005131.ars.forfait_global_soins.2027\\n: clé "
         "« 2027\\n » invalide : attendu une année de 2000 à 2099 (ex. 2026)"),
        ("  O1:\n", '  "O1\\u2028":\n',
         "cpom.yaml:109:3: objectifs.O1\\u2028: clé « O1\\u2028 » invalide : attendu un "
         "identifiant d'objectif (ex. « O1 », « O2.3 »)"),
    ],
)  # fmt: skip
def test_a_key_ending_in_a_line_break_is_refused_on_one_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """`^O[0-9]+$` matched « O1\\n » with Python's re.search (its `$` also matches before a final
    newline): a second objective « O1 » that prints like the first was accepted."""
    _draft(tmp_path, old, new)
    done = cpomdocs_here(tmp_path, "validate", "contracts/x")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert lines[0] == f"contracts/x/{expected}", lines
    assert lines[1] == "1 contrat vérifié : 1 erreur, 0 avertissement"


def test_sigterm_mid_build_unwinds_like_ctrl_c(tmp_path: Path) -> None:
    """`kill PID` (a CI job cancelled) during a build: the French message, code 143, no
    temporary file, every PDF written whole; it died with « leaked semaphore objects »."""
    import signal
    import time

    example = Path(__file__).parents[1] / "contracts" / "fondation-val-d-ouche-2027"
    shutil.copytree(example, tmp_path / "contracts" / example.name)
    build = subprocess.Popen(
        [sys.executable, "-m", "cpomdocs", "build", "-o", "out", "-j", "1", "-f", "pdf"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list((tmp_path / "out").rglob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the first document written: the others are being rendered
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 128 + signal.SIGTERM, stderr
    assert stderr == (
        "interrompu (signal TERM) : les fichiers déjà écrits sont complets, les autres n'ont pas "
        "été écrits ; relancez la commande pour terminer\n"
    )
    written = list((tmp_path / "out").rglob("*"))
    assert not [p for p in written if ".tmp" in p.name]
    pdfs = [p.read_bytes() for p in written if p.suffix == ".pdf"]
    assert pdfs and all(p.startswith(b"%PDF-") and p.rstrip().endswith(b"%%EOF") for p in pdfs)
    assert len(pdfs) < 5, "the build ended before the signal: nothing was tested"


@pytest.mark.parametrize(("make", "kind"), [("mkdir", "dossier"), ("mkfifo", "tube nommé")])
def test_init_says_a_readme_that_is_not_a_file(tmp_path: Path, make: str, kind: str) -> None:
    """`init` where README.md is a folder (or a pipe) said « conservé (déjà présent) »: the
    repository was left without a README, and the run said all was well."""
    import os

    getattr(os, make)(tmp_path / "README.md")
    done = cpomdocs(tmp_path, "init", ".")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert (
        f"refusé      README.md : c'est un {kind}, un fichier était attendu : rien n'est écrit "
        "à sa place"
    ) in lines
    assert "12 fichiers écrits, 0 conservé, 1 refusé." in lines
    assert not any(line.startswith("conservé") for line in lines)


def test_a_huge_docx_is_refused_before_it_is_read(returned: Path, tmp_path: Path) -> None:
    """A 1 GB « .docx » was read whole into memory (1.1 GB peak) before being called damaged:
    a bigger one would have ended in MemoryError. Its size is now checked first."""
    huge = tmp_path / "retour-énorme.docx"
    with huge.open("wb") as handle:
        handle.truncate(300 * 2**20)  # sparse: costs no disk
    done = cpomdocs_here(returned, "import", "docx", str(huge), FOLDER)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == (
        f"{huge} : document trop volumineux pour être importé (300 Mo) : 256 Mo au plus\n"
    )


@pytest.fixture(scope="module")
def signed_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A signed contract with a signed avenant (tests/fixtures/versions) in git, its annexes."""
    from cpomdocs.build.schedule import build_portfolio

    root = tmp_path_factory.mktemp("signe")
    repo = root / "repo"
    shutil.copytree(Path(__file__).parent / "fixtures" / "versions", repo / FOLDER)
    run_git(root, "init", "-q", "-b", "main", str(repo))
    run_git(repo, "add", "-A")
    run_git(repo, "-c", "user.email=r@example.org", "-c", "user.name=R", "commit", "-qm", "signé")
    report = build_portfolio([repo / "contracts"], root / "build", formats=("docx",))
    assert report.failed == []
    return repo, (root / "build" / Path(FOLDER).name / "annexes.docx").read_bytes()


@pytest.mark.parametrize(
    "command",
    [
        ["import", "docx", "annexes.docx", FOLDER],
        ["new", "avenant", FOLDER],
        ["import", "realisations", "classeur.xlsx", FOLDER],
        ["sign-off", f"{FOLDER}/avenants/01-extension-pasa.yaml"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_folder_linked_elsewhere_is_not_written_through(
    signed_repo: tuple[Path, bytes], tmp_path: Path, command: list[str]
) -> None:
    """A contract whose avenants/ is a link to a folder elsewhere: `import docx` and `new
    avenant` wrote their draft there, out of the contract (import docx validated a copy that
    followed the link), `sign-off` rewrote the avenant out there; `import realisations` would
    write a compte-rendu the same way."""
    repo = tmp_path / "repo"
    shutil.copytree(signed_repo[0], repo, symlinks=True)
    avenants = repo / FOLDER / "avenants"
    elsewhere = tmp_path / "ailleurs"
    avenants.rename(elsewhere)
    avenants.symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    editor = DocxEditor(signed_repo[1], tracked=False)
    editor.replace(AMOUNT_BEFORE, AMOUNT_AFTER, row="Forfait global de soins")
    (repo / "annexes.docx").write_bytes(editor.save())
    (repo / "classeur.xlsx").write_bytes(b"")
    done = cpomdocs_here(repo, *command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == (
        f"{FOLDER}/avenants: lien symbolique vers {elsewhere}, hors du dossier du contrat : "
        "refusé (un contrat ne se compose que de ses propres fichiers, joints à ses PDF) ; "
        "rien n'est écrit\n"
    )
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before


@pytest.mark.parametrize("shard", ["", " 1/2", "١/2", "1/2/"])
def test_a_blank_or_odd_shard_is_refused(tmp_path: Path, shard: str) -> None:
    """`--shard ""` (an empty CI matrix variable) built the whole portfolio in every job."""
    (tmp_path / "contracts").mkdir()
    done = cpomdocs(tmp_path, "build", "--shard", shard, "-o", "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr == f"--shard {shard!r} : attendu K/N, par exemple 2/8\n"
    assert not (tmp_path / "out").exists()
