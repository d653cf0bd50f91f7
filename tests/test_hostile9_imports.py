"""Hostile audit 9, the two imports: a DOCX or an XLSX damaged inside its zip (bad deflate data,
garbled XML) or inflated by a zip bomb in a part other than the body is refused in French, with
nothing written, never « erreur interne »."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.spreadsheet.export import export
from cpomdocs.wordback import read as wordback_read

FIXTURES = Path(__file__).parent / "fixtures"
REPORT = "contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml"


def rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The zip `data` with these parts replaced (or added), deflated as Word and Excel do."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts.get(name, source.read(name)))
        for name in parts.keys() - set(source.namelist()):
            target.writestr(name, parts[name])
    return out.getvalue()


def damage(data: bytes, part: str) -> bytes:
    """The zip `data` with `part`'s deflate stream made invalid (first block of type 3, which
    does not exist): its directory is intact, so the zip opens; unpacking the part fails."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    return data[:start] + b"\x07" + data[start + 1 :]


def change_late(data: bytes, part: str) -> bytes:
    """The zip `data` with `part` stored unpacked and its last number changed by one digit: the
    XML still parses, but the CRC no longer matches, which zipfile finds only at the part's end."""
    plain = zipfile.ZipFile(io.BytesIO(data)).read(part)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            kind = zipfile.ZIP_STORED if info.filename == part else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, zipfile.ZipFile(io.BytesIO(data)).read(info), kind)
    stored = out.getvalue()
    last = [m.start() for m in re.finditer(rb"<v>\d", plain)][-1] + 3
    digit = stored.rfind(plain) + last
    assert stored[digit : digit + 1].isdigit()
    changed = b"1" if stored[digit : digit + 1] != b"1" else b"2"
    return stored[:digit] + changed + stored[digit + 1 :]


def run(*args: str):
    done = CliRunner().invoke(main, ["import", *args])
    assert "Traceback" not in done.output and "erreur interne" not in done.output
    return done


# --- import docx -------------------------------------------------------------------------------


@pytest.fixture
def word(tmp_path: Path) -> bytes:
    """A real DOCX (python-docx): every refusal tested here comes before its origin is asked."""
    import docx

    document = docx.Document()
    document.add_paragraph("Contrat pluriannuel d'objectifs et de moyens, version de l'ARS")
    document.core_properties.author = "ARS"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _refused_docx(tmp_path: Path, data: bytes) -> tuple[Path, str]:
    folder = tmp_path / "contracts" / "ehpad-les-cedres"
    shutil.copytree(FIXTURES / "versions", folder)
    before = sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    path = tmp_path / "retour.docx"
    path.write_bytes(data)
    done = run("docx", str(path), str(folder), "-r", str(tmp_path / "rapport.md"))
    assert done.exit_code == 1
    assert sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file()) == before
    assert not (tmp_path / "rapport.md").exists()
    return path, done.output


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "docProps/core.xml"])
def test_docx_with_bad_deflate_data(tmp_path: Path, word: bytes, part: str) -> None:
    path, output = _refused_docx(tmp_path, damage(word, part))
    assert output == f"{path} : fichier endommagé : la partie {part} n'est pas du XML lisible\n"


def test_docx_with_unreadable_custom_properties(tmp_path: Path, word: bytes) -> None:
    custom = b'<?xml version="1.0"?><Properties><property name="cpomdocs.contrat">'
    path, output = _refused_docx(tmp_path, rezip(word, {"docProps/custom.xml": custom}))
    assert output == (
        f"{path} : fichier endommagé : la partie docProps/custom.xml n'est pas du XML lisible\n"
    )


@pytest.mark.parametrize("part", ["word/styles.xml", "docProps/core.xml", "docProps/custom.xml"])
def test_docx_zip_bomb_outside_the_body(
    tmp_path: Path, word: bytes, part: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the limit is lowered so that the bomb stays small: 2 MB of spaces in 2 kB
    monkeypatch.setattr(wordback_read, "MAX_PART_BYTES", 2**20)
    bomb = b'<?xml version="1.0"?>' + b" " * (2 * 2**20) + b"<x/>"
    path, output = _refused_docx(tmp_path, rezip(word, {part: bomb}))
    assert output == f"{path} : document trop volumineux pour être importé\n"


# --- import realisations -----------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The follow-up fixture exported; the working directory is the project's root."""
    shutil.copytree(FIXTURES / "reports" / "ehpad-suivi", tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    export([Path("contracts/ehpad-suivi")], Path("build"))
    return Path("build/ehpad-suivi/tableau-de-bord.xlsx").read_bytes()


def _refused_xlsx(data: bytes) -> str:
    before = Path(REPORT).read_bytes()
    Path("rempli.xlsx").write_bytes(data)
    done = run("realisations", "rempli.xlsx", "contracts/ehpad-suivi")
    assert done.exit_code == 1
    assert Path(REPORT).read_bytes() == before
    return done.stderr


def test_xlsx_with_a_damaged_sheet(workbook: bytes) -> None:
    # read-only openpyxl unpacks a sheet only when its rows are read, after opening succeeded
    stderr = _refused_xlsx(change_late(workbook, "xl/worksheets/sheet1.xml"))
    assert stderr == (
        "rempli.xlsx: classeur illisible (BadZipFile) : un fichier .xlsx enregistré par Excel "
        "ou LibreOffice était attendu\n"
    )


def test_xlsx_with_a_garbled_row_number(workbook: bytes) -> None:
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    garbled = sheet.replace(b'<row r="3"', b'<row r="3l width3"', 1)
    assert garbled != sheet
    stderr = _refused_xlsx(rezip(workbook, {"xl/worksheets/sheet1.xml": garbled}))
    assert stderr == (
        "rempli.xlsx: classeur illisible (ValueError) : un fichier .xlsx enregistré par Excel "
        "ou LibreOffice était attendu\n"
    )


def test_xlsx_merged_realise_cells_are_reported_not_skipped(workbook: bytes) -> None:
    import openpyxl

    Path("exporte.xlsx").write_bytes(workbook)
    book = openpyxl.load_workbook("exporte.xlsx")
    sheet = book["Indicateurs"]
    sheet.merge_cells("J2:J4")  # one value typed for three indicator rows
    sheet["J2"] = 95
    book.save("rempli.xlsx")
    before = Path(REPORT).read_text(encoding="utf-8")
    done = run("realisations", "rempli.xlsx", "contracts/ehpad-suivi")
    assert done.exit_code == 1
    for row in (3, 4):
        assert (
            f"rempli.xlsx!Indicateurs!J{row}: cellule fusionnée avec J2 : une valeur par ligne "
            "est attendue, défusionnez les cellules : valeur ignorée\n"
        ) in done.stderr
    assert Path(REPORT).read_text(encoding="utf-8") != before  # J2 itself is imported
