"""Session 17 hostile audit: each test here failed before its fix (see the session note)."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.wordback.read import read_docx_bytes

FIXTURES = Path(__file__).parent / "fixtures"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(*args: str):
    done = CliRunner().invoke(main, list(args))
    assert "Traceback" not in done.output and "erreur interne" not in done.output, done.output
    assert done.exit_code != 3, done.output
    return done


# --- import docx: odd bodies ---------------------------------------------------------------------


def word_with(body: str) -> bytes:
    """A real DOCX (python-docx) whose body ends with `body` (WordprocessingML, prefix w:)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Contrat pluriannuel d'objectifs et de moyens, version de l'ARS")
    out = io.BytesIO()
    document.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    xml = source.read("word/document.xml").decode()
    at = xml.index("<w:sectPr")
    xml = xml[:at] + body + xml[at:]
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = xml.encode() if name == "word/document.xml" else source.read(name)
            target.writestr(name, part)
    return edited.getvalue()


def refused_docx(tmp_path: Path, data: bytes) -> str:
    """`import docx` of `data` into a copy of the versions fixture: refused, nothing written."""
    folder = tmp_path / "contracts" / "ehpad-les-cedres"
    shutil.copytree(FIXTURES / "versions", folder)
    before = sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    path = tmp_path / "retour.docx"
    path.write_bytes(data)
    done = run("import", "docx", str(path), str(folder), "-r", str(tmp_path / "rapport.md"))
    assert done.exit_code == 1
    assert sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file()) == before
    assert not (tmp_path / "rapport.md").exists()
    return done.output


def test_a_table_row_outside_any_table_is_read(tmp_path: Path) -> None:
    row = "<w:tr><w:tc><w:p><w:r><w:t>ligne sans tableau</w:t></w:r></w:p></w:tc></w:tr>"
    output = refused_docx(tmp_path, word_with(row))  # was « erreur interne : IndexError »
    assert "n'a pas été produit par cpomdocs" in output
    assert read_docx_bytes(word_with(row), "x").paragraphs[-1].text == "ligne sans tableau"


def test_many_bookmarks_in_one_paragraph_are_read_in_linear_time() -> None:
    # 42 KB of DOCX (80 000 runs, each after a value bookmark) took 7.5 minutes: the paragraph's
    # text was joined again at every bookmark
    runs = '<w:bookmarkStart w:id="1" w:name="_vx"/><w:r><w:t>ab</w:t></w:r>' * 30_000
    data = word_with(f"<w:p>{runs}</w:p>")
    start = time.monotonic()
    document = read_docx_bytes(data, "x")
    assert time.monotonic() - start < 8  # was about 50 s
    assert len(document.paragraphs[-1].text) == 60_000


def test_a_chain_of_deleted_paragraph_marks_is_joined_in_linear_time() -> None:
    # 37 KB of DOCX (40 000 paragraphs whose marks are tracked deletions) took 4.6 minutes
    mark = '<w:pPr><w:rPr><w:del w:id="5" w:author="a"/></w:rPr></w:pPr>'
    data = word_with(f"<w:p>{mark}<w:r><w:t>ab</w:t></w:r></w:p>" * 15_000)
    start = time.monotonic()
    document = read_docx_bytes(data, "x")
    assert time.monotonic() - start < 8  # was about 40 s
    assert len(document.paragraphs[-1].text) == 30_000


def test_a_docx_of_too_many_paragraphs_is_refused_early(tmp_path: Path) -> None:
    # 200 KB of DOCX (60 MB of short paragraphs) took 66 s and 2.3 GB before its report
    data = word_with("<w:p><w:r><w:t>Bla</w:t></w:r></w:p>" * 25_000)
    output = refused_docx(tmp_path, data)
    expected = "document trop long pour être importé (25\u202f001 paragraphes, 20\u202f000 au plus)"
    assert expected in output


# --- links out of a contract folder: refused, and never read --------------------------------------

SECRET = "jeton: ghp_SECRET0123456789 # ne doit jamais paraître\n"


@pytest.mark.parametrize("link", ["cpom.yaml", "comptes-rendus/x.yaml", "avenants/02-x.yaml"])
def test_a_file_linked_out_of_the_folder_is_not_quoted(tmp_path: Path, link: str) -> None:
    folder = tmp_path / "contracts" / "c"
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", folder)
    secret = tmp_path / "secret.yaml"
    secret.write_text(SECRET, encoding="utf-8")
    (folder / link).parent.mkdir(exist_ok=True)
    (folder / link).unlink(missing_ok=True)
    (folder / link).symlink_to(secret)
    done = run("validate", str(folder))
    assert done.exit_code == 1
    assert "lien symbolique vers" in done.output
    assert "ghp_" not in done.output and "jeton" not in done.output  # was quoted: « pas "jeton… »


def test_the_sources_of_a_linked_avenants_folder_are_not_attached(tmp_path: Path) -> None:
    from cpomdocs.build.provenance import ProvenanceError, contract_sources

    folder = tmp_path / "contracts" / "c"
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", folder)
    elsewhere = tmp_path / "ailleurs"
    shutil.move(folder / "avenants", elsewhere)
    (folder / "avenants").symlink_to(elsewhere)
    with pytest.raises(ProvenanceError):  # were read from outside, to be joined to the PDFs
        contract_sources(folder)


# --- import realisations: the tableau de bord of another contract ---------------------------------

REPORT = "contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml"


def filled_workbook(tmp_path: Path, title: str | None) -> Path:
    """The follow-up fixture's tableau de bord, its first Réalisé cell filled, saved by openpyxl
    (as a spreadsheet saves it) under `title` (None: the title export gave)."""
    from openpyxl import load_workbook

    from cpomdocs.spreadsheet.export import export

    shutil.copytree(FIXTURES / "reports" / "ehpad-suivi", tmp_path / "contracts" / "ehpad-suivi")
    export([tmp_path / "contracts" / "ehpad-suivi"], tmp_path / "build")
    book = load_workbook(tmp_path / "build" / "ehpad-suivi" / "tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("Réalisé") + 1, 12.5)
    if title is not None:
        book.properties.title = title
    path = tmp_path / "rempli.xlsx"
    book.save(path)
    return path


def test_the_tableau_de_bord_of_another_cpom_is_refused(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path, "Tableau de bord du CPOM CPOM-AUTRE-2026-007")
    before = (tmp_path / REPORT).read_bytes()
    done = run("import", "realisations", str(path), str(tmp_path / "contracts" / "ehpad-suivi"))
    assert done.exit_code == 1  # was 0: its figures written into this contract's compte-rendu
    assert "ce classeur est le tableau de bord du CPOM CPOM-AUTRE-2026-007, pas celui du " in (
        done.output
    )
    assert (tmp_path / REPORT).read_bytes() == before


def test_the_contract_s_own_tableau_de_bord_is_still_imported(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path, None)
    before = (tmp_path / REPORT).read_bytes()
    done = run("import", "realisations", str(path), str(tmp_path / "contracts" / "ehpad-suivi"))
    assert done.exit_code == 0, done.output
    assert (tmp_path / REPORT).read_bytes() != before


# --- diff --rev: a renamed folder among many withdrawn siblings -----------------------------------


def test_finding_a_renamed_folder_among_many_siblings_costs_a_few_git_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml
    from gitrepo import git_as_tester

    from cpomdocs import gitinfo
    from cpomdocs.versions import renames, sources

    repo = tmp_path / "depot"
    text = (FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml").read_text(encoding="utf-8")
    for n in range(120):
        folder = repo / "contracts" / f"c{n}"
        folder.mkdir(parents=True)
        (folder / "cpom.yaml").write_text(text.replace("CPOM-TEST-2025-001", f"REF-{n}"), "utf-8")
    git_as_tester(repo, "init", "-q")
    git_as_tester(repo, "add", "-A")
    git_as_tester(repo, "commit", "-qm", "A")
    old = git_as_tester(repo, "rev-parse", "HEAD")
    git_as_tester(repo, "rm", "-rq", "contracts")
    data = yaml.safe_load(text.replace("CPOM-TEST-2025-001", "REF-1"))  # c1, not c10…c119
    new = repo / "contracts" / "regroupe"
    new.mkdir(parents=True)
    (new / "cpom.yaml").write_text(yaml.safe_dump(data, default_flow_style=True), "utf-8")
    git_as_tester(repo, "add", "-A")
    git_as_tester(repo, "commit", "-qm", "B")
    calls = []

    def counted(cwd: Path, *args: str) -> bytes:
        calls.append(args)
        return gitinfo.git(cwd, *args)

    monkeypatch.setattr(renames, "git", counted)
    monkeypatch.setattr(sources, "git", counted)
    monkeypatch.chdir(repo)
    assert renames.old_name(f"{old}..HEAD", "contracts/regroupe") == "contracts/c1"
    assert len(calls) < 30, len(calls)  # was about eight for each of the 120 siblings


# --- a link that loops (git stores it like any file) ----------------------------------------------

LOOP = "lien symbolique qui ne mène nulle part (il boucle sur lui-même) : refusé"


def test_a_looping_link_in_one_contract_does_not_stop_the_others(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    for name in ("a", "b"):
        shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", contracts / name)
    (contracts / "a" / "comptes-rendus" / "x.yaml").symlink_to("x.yaml")
    done = run("validate", str(contracts))  # was « erreur interne : RuntimeError: Symlink loop »
    assert done.exit_code == 1
    assert f"x.yaml: {LOOP}" in done.output
    assert "2 contrats vérifiés : 1 erreur" in done.output
    drafted = run("new", "avenant", str(contracts / "a"))
    assert drafted.exit_code == 1 and f"{LOOP} ; rien n'est écrit" in drafted.output
    assert sorted(p.name for p in (contracts / "a" / "avenants").iterdir()) == ["01-credits.yaml"]


def test_new_in_a_folder_that_is_a_looping_link(tmp_path: Path) -> None:
    (tmp_path / "boucle").symlink_to("boucle")
    done = run("new", str(tmp_path / "boucle" / "x"), "--base", "ehpad")
    assert done.exit_code == 2
    assert "écriture impossible : trop de liens symboliques à suivre (une boucle ?)" in done.output
    report = run("new", "compte-rendu", str(tmp_path / "boucle"), "--type", "comité de suivi",
                 "--date", "2027-06-15")  # fmt: skip
    assert report.exit_code == 2 and "pas de cpom.yaml ici" in report.output


def test_a_write_into_a_missing_folder_says_why_in_french(tmp_path: Path) -> None:
    done = run("new", "/proc/cpomdocs-absent", "--base", "ehpad")
    assert done.exit_code == 2
    assert "écriture impossible : dossier introuvable" in done.output
    assert "No such file" not in done.output


@pytest.mark.parametrize("command", ["build", "export"])
def test_an_output_folder_that_loops_is_refused(tmp_path: Path, command: str) -> None:
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", tmp_path / "contracts" / "a")
    (tmp_path / "sortie").symlink_to("sortie")
    done = run(command, str(tmp_path / "contracts"), "-o", str(tmp_path / "sortie"))
    assert done.exit_code == 2  # was « erreur interne : RuntimeError: Symlink loop »
    assert f"sortie: dossier de sortie impossible : {LOOP}" in done.output


# --- verify: a PDF anyone made, its source rendered again ----------------------------------------


@pytest.mark.parametrize("created", [None, ["2025-01-01"]])
def test_verify_of_a_pdf_whose_source_has_no_creation_date(tmp_path: Path, created: object) -> None:
    import datetime as dt
    import json

    import weasyprint

    from cpomdocs.publish.testcert import make_test_certificates

    contract = (FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml").read_text(encoding="utf-8")
    source = {"format": "cpomdocs-source/1", "contrat": "c", "document": "contrat",
              "fichiers": {"cpom.yaml": contract}}  # fmt: skip
    if created is not None:
        source["cree"] = created
    day = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    attached = weasyprint.Attachment(
        string=json.dumps(source).encode(), name="cpomdocs-source.json", created=day, modified=day
    )
    pdf = tmp_path / "recu.pdf"  # a PDF received by mail: anyone may have made it
    pdf.write_bytes(weasyprint.HTML(string="<p>x</p>").write_pdf(attachments=[attached]))
    ca = make_test_certificates(tmp_path / "ac").ca_pem
    done = run("verify", str(pdf), "--trust", str(ca))  # was « erreur interne : KeyError: 'cree' »
    assert done.exit_code == 1
    why = "source jointe : date de création (« cree ») absente ou illisible"
    assert f"ÉCHEC       {pdf} — nouveau rendu : {why}" in done.output


def test_a_sheet_of_too_many_rows_is_refused_before_its_cells_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from cpomdocs.spreadsheet import read_sheet

    path = filled_workbook(tmp_path, None)
    book = load_workbook(path)
    for row in range(1000, 1300):  # 500 000 such rows (7 MB of XLSX) took 66 s and 0.7 GB,
        book["Indicateurs"].cell(row, 10, 1.5)  # and printed a line for each
    book.save(path)
    monkeypatch.setattr(read_sheet, "MAX_ROWS", 1000)
    before = (tmp_path / REPORT).read_bytes()
    done = run("import", "realisations", str(path), str(tmp_path / "contracts" / "ehpad-suivi"))
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and "Indicateurs: plus de 1 000 lignes" in done.output
    assert (tmp_path / REPORT).read_bytes() == before


# --- git diff through the textconv driver, on a file that does not read --------------------------


@pytest.mark.parametrize("broken", ["", "reference: [pas fermé\n", "\xff\xfe"])
def test_git_diff_goes_on_over_a_contract_that_does_not_read(tmp_path: Path, broken: str) -> None:
    import subprocess
    import sys

    from gitrepo import git_as_tester

    repo = tmp_path / "depot"
    contract = repo / "contracts" / "x" / "cpom.yaml"
    contract.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml", contract)
    (repo / ".gitattributes").write_text("contracts/**/*.yaml diff=cpom\n", encoding="utf-8")
    git_as_tester(repo, "init", "-q")
    git_as_tester(
        repo, "config", "diff.cpom.textconv", f"{Path(sys.executable).parent}/cpomdocs textconv"
    )
    git_as_tester(repo, "add", "-A")
    git_as_tester(repo, "commit", "-qm", "signé")
    contract.write_bytes(broken.encode("latin-1"))  # emptied, half-typed, another encoding
    git_as_tester(repo, "commit", "-qam", "en cours")
    for args in (["diff", "HEAD~1"], ["log", "-p"]):
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr  # was « fatal: unable to read files to diff »
        shown = done.stdout.decode("utf-8", "replace")
        assert "\n-== Contrat ==\n" in shown and "CPOM-TEST-2025-001" in shown
        assert "+(fichier illisible par cpomdocs : son texte tel quel)" in shown


# --- schema -o into a contract folder --------------------------------------------------------


@pytest.mark.parametrize("inside", ["", "avenants"])
def test_schemas_are_not_written_among_a_contract_s_sources(tmp_path: Path, inside: str) -> None:
    folder = tmp_path / "contracts" / "c"
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    done = run("schema", "-o", str(folder / inside))
    assert done.exit_code == 2  # avenants/cpom.schema.json was then read as an avenant
    assert "parmi ses sources : écrivez les schémas ailleurs, par exemple -o schema" in done.output
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


# --- a contract folder whose name is refused, among others ----------------------------------------


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_folder_whose_name_is_refused_does_not_stop_the_others(
    tmp_path: Path, command: str
) -> None:
    contracts = tmp_path / "contracts"
    for name in (".ancienne-version", "bon"):  # a copy kept aside by hand
        shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", contracts / name)
    args = [command, str(contracts)] + (
        ["-o", str(tmp_path / "sortie")] if command == "export" else []
    )
    done = run(*args)
    assert done.exit_code == 1  # was 2, nothing validated nor exported
    assert "nom de dossier de contrat refusé « .ancienne-version »" in done.output
    if command == "validate":
        assert "2 contrats vérifiés : 1 erreur, 0 avertissement" in done.output
    else:
        assert (tmp_path / "sortie" / "bon" / "tableau-de-bord.xlsx").is_file()


def test_a_folder_whose_name_is_refused_does_not_stop_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incremental_support import small_portfolio

    from cpomdocs.build.schedule import build_portfolio

    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    shutil.copytree(contracts / "c1", contracts / ".c1-copie")
    report = build_portfolio([contracts], tmp_path / "build", templates=templates, formats=("pdf",))
    assert report.failed == [str(contracts / ".c1-copie")]  # was UsageError: nothing built
    assert (tmp_path / "build" / "c1").is_dir() and not (tmp_path / "build" / ".c1-copie").exists()


def test_a_folder_named_on_the_command_line_is_still_refused(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", tmp_path / ".copie")
    done = run("validate", str(tmp_path / ".copie"))
    assert done.exit_code == 2 and "nom de dossier de contrat refusé « .copie »" in done.output
