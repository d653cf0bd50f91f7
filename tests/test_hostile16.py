"""Hostile audit 16: the pull-request comment that pings people, quoted keys, odd inputs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import CONTRACT, make_repo, replaced, run_git, run_pr_workflow, scaffolded_pr_step
from markdown_it import MarkdownIt

from cpomdocs.cli.main import main

# What GitHub links or renders by itself in a comment's text (GFM autolinks, references, math).
_LIVE = re.compile(r"@\w|#\d|\bGH-\d|://|\bwww\.|\$", re.I)
_HOSTILE_NAME = "Les Cèdres @octocat (cf. #12, GH-7) https://evil.example www.evil.fr a@b.fr $x$"
_HOSTILE_LINES = [
    "Merci @lead-team et @org/juristes, voir org/repo#42.",
    "---",
    "- une puce",
    "1. un numéro",
    "  ===",
    "$\\sqrt{2}$ et [clic](https://phishing.example) <img src=x>",
]


def _md_tokens(markdown: str) -> list:
    """Every token GitHub-like Markdown makes of the comment, inline children included."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    return [t for token in tokens for t in [token, *(token.children or [])]]


def test_the_pull_request_comment_never_pings_links_or_marks_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "depot")
    path = repo / CONTRACT
    text = replaced(path.read_text("utf-8"), "nom: EHPAD Les Cèdres", f'nom: "{_HOSTILE_NAME}"')
    preamble = "".join(f"  {line}\n" for line in _HOSTILE_LINES)
    path.write_text(replaced(text, "preambule: |\n", "preambule: |\n" + preamble), "utf-8")
    run_git(repo, "commit", "-qam", "v4")
    path.write_text(replaced(path.read_text("utf-8"), "Merci @", "Merci bien @"), "utf-8")
    run_git(repo, "commit", "-qam", "v5")  # the hostile lines now unchanged: quoted as they are
    monkeypatch.chdir(repo)
    folder = str(path.parent.relative_to(repo))
    for revisions in ("HEAD~2..HEAD~1", "HEAD~1..HEAD"):
        done = CliRunner().invoke(main, ["diff", "--rev", revisions, folder, "--format", "md"])
        assert done.exit_code == 0, done.output
        _assert_inert(done.output, revisions == "HEAD~2..HEAD~1")


def _assert_inert(markdown: str, renamed: bool) -> None:
    tokens = _md_tokens(markdown)
    kinds = [t.type for t in tokens]
    assert not set(kinds) & {"link_open", "image", "ordered_list_open", "hr"}
    assert kinds.count("bullet_list_open") == 1  # the summary's own list, none in the quote
    assert {t.content for t in tokens if t.type == "html_inline"} <= {"<ins>", "</ins>", "<br>"}
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings == (["h3", "h4", "h4"] if renamed else ["h3", "h4"])
    shown = "\n".join(t.content for t in tokens if t.type == "text").replace("\u200b", "")
    assert _HOSTILE_NAME in shown or not renamed  # the reader still sees what was typed
    for line in _HOSTILE_LINES[1:]:
        assert line.strip() in shown
    for t in tokens:
        if t.type == "text":
            assert not _LIVE.search(t.content.replace("$", "")), t.content
    assert "$" not in re.sub(r"\\\$", "", markdown)  # every dollar escaped: no math


def _export_fill_and_import() -> None:
    """Export ehpad-suivi's workbook, fill PAP 2026 with 42, import it back: one value written."""
    import openpyxl

    from cpomdocs.spreadsheet.export import export

    export([Path("contracts/ehpad-suivi")], Path("build"))
    book = openpyxl.load_workbook("build/ehpad-suivi/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    for row in range(2, sheet.max_row + 1):
        if sheet[f"H{row}"].value == 2026 and sheet[f"B{row}"].value == "PAP":
            sheet[f"J{row}"] = 42
    book.save("rempli.xlsx")
    args = ["import", "realisations", "rempli.xlsx", "contracts/ehpad-suivi"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0 and "1 valeur écrite" in done.output, done.output


@pytest.mark.parametrize(
    "header", ['"realisations":', "'realisations' :  # saisi au comité", '"re\\u0061lisations":']
)
def test_import_realisations_reads_a_quoted_key(tmp_path, monkeypatch, header) -> None:
    """`"realisations":` (quoted by an editor or a converter) was refused « reportez les valeurs
    à la main »; it is the same key: its values are written, every other line kept."""
    import shutil

    from cpomdocs.data.load import load_document

    fixture = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
    shutil.copytree(fixture, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    draft = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml")
    text = replaced(draft.read_text(encoding="utf-8"), "\nrealisations:", f"\n{header}")
    draft.write_text(text, encoding="utf-8")
    _export_fill_and_import()
    after = draft.read_text(encoding="utf-8")
    assert after == text.replace("PAP: {2026: 80}", "PAP: {2026: 42}")
    assert load_document(draft).data["realisations"]["PAP"] == {"2026": 42}


EXAMPLE = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "v2.yaml"
    path.write_text(replaced(EXAMPLE.read_text("utf-8"), old, new), "utf-8")
    return path


@pytest.mark.parametrize("day", ["2026-02-30", "0000-01-01"])
def test_textconv_and_diff_show_a_date_that_does_not_exist_as_written(tmp_path, day) -> None:
    """`git diff` (textconv) and `cpomdocs diff` of a file whose date does not exist answered
    « erreur interne : ValueError: day is out of range for month »."""
    path = _edited(tmp_path, "  effet: 2025-01-01", f"  effet: {day}")
    done = CliRunner().invoke(main, ["textconv", str(path)])
    assert done.exit_code == 0 and f"Date d'effet : {day}\n" in done.output, done.output
    done = CliRunner().invoke(main, ["diff", str(EXAMPLE), str(path)])
    assert done.exit_code == 0, done.output
    assert f"~ Date d'effet : 1er janvier 2025 → {day}" in done.output


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("  effet: 2025-01-01", "  effet: 2026-02-30",
         'dates.effet : date "2026-02-30" invalide : attendu AAAA-MM-JJ (ex. 2026-01-31)'),
        ("duree_mois: 60", "duree_mois: -60", "duree_mois : -60 trop petit : 1 au moins"),
        ("  effet: 2025-01-01", "  effet: 2199-12-01",
         "dates.fin : la date de fin 2029-12-31 doit être postérieure à la date d'effet "
         "2199-12-01"),
    ],
)  # fmt: skip
def test_a_version_annotee_of_an_invalid_version_says_why_in_french(tmp_path, old, new, said):
    """`diff -f html/pdf/docx` printed pydantic's English (« Input should be greater than or
    equal to 1 ») with code 2, and a date d'effet after the end was « erreur interne :
    IndexError »."""
    path = _edited(tmp_path, old, new)
    output = tmp_path / "annotee.html"
    done = CliRunner().invoke(
        main, ["diff", str(EXAMPLE), str(path), "-f", "html", "-o", str(output)]
    )
    assert (done.exit_code, done.output.strip()) == (
        1,
        f"{path} (version 1) : contrat invalide ({said}), la version annotée demande deux "
        "contrats valides",
    )
    assert not output.exists()


def test_a_revision_s_faults_name_the_revision_not_a_temporary_copy(tmp_path, monkeypatch):
    """A damaged file in the history was reported as « /tmp/cpomdocs-rev-x/cpom.yaml:1:2 »; a
    blob of gigabytes was read whole into memory before being refused; a shallow CI clone
    answered « révision git inconnue » without saying why."""
    import subprocess

    repo = make_repo(tmp_path / "depot")
    path = repo / CONTRACT
    path.write_bytes(b"version: 4\nnom: caf\xe9\n")
    run_git(repo, "commit", "-qam", "abime")
    path.write_bytes(b"a" * (3 * 2**20))
    run_git(repo, "commit", "-qam", "enorme")
    monkeypatch.chdir(repo)
    folder = "contracts/ehpad-les-cedres"
    said = {
        ("--rev", "HEAD~2..HEAD~1", folder): f"HEAD~1:{CONTRACT}:2:9: octet 0xe9 invalide en UTF-8",
        (f"HEAD~2:{CONTRACT}", f"HEAD~1:{CONTRACT}"): f"HEAD~1:{CONTRACT}:2:9: octet 0xe9",
        ("--rev", "HEAD~1..HEAD", folder): f"HEAD~1:{CONTRACT}:2:9: octet 0xe9",
        (f"HEAD~2:{folder}", f"HEAD:{CONTRACT}"): (
            f"HEAD:{CONTRACT}: fichier trop volumineux (3,0 Mo) : 2 Mo au plus"
        ),
    }
    for args, start in said.items():
        done = CliRunner().invoke(main, ["diff", *args])
        assert done.exit_code == 1 and done.output.startswith(start), (args, done.output)
        assert "cpomdocs-rev-" not in done.output
    shallow = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    monkeypatch.chdir(shallow)
    done = CliRunner().invoke(main, ["diff", "--rev", "HEAD~1..HEAD", folder])
    assert (done.exit_code, done.output.strip()) == (
        2,
        "révision git inconnue : « HEAD~1 » : ce clone n'a pas tout l'historique (clone "
        "superficiel) ; récupérez-le avec « git fetch --unshallow », ou fetch-depth: 0 dans "
        "actions/checkout",
    )


def test_the_pull_request_workflow_compares_every_folder_whatever_its_name(tmp_path) -> None:
    """The scaffolded pr-diff step split `$folders` on spaces (« contracts/ehpad a » became
    « contracts/ehpad » and « a ») and ran under `bash -e`: one folder that could not be
    compared stopped the step, and no contract's differences were commented."""

    repo = tmp_path / "depot"
    script = scaffolded_pr_step(repo)
    for name in ("casse", "ehpad a", "x`@octocat`"):
        shutil.copytree(EXAMPLE.parent, repo / "contracts" / name)
    run_git(repo, "init", "-q", "-b", "main")
    git = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    run_git(repo, *git, "add", "-A")
    run_git(repo, *git, "commit", "-qm", "base")
    base = run_git(repo, "rev-parse", "HEAD").strip()
    (repo / "contracts/casse/cpom.yaml").write_text("version: [\n", "utf-8")
    changed = repo / "contracts/ehpad a/cpom.yaml"
    changed.write_text(replaced(changed.read_text("utf-8"), "duree_mois: 60", "duree_mois: 48"))
    shutil.rmtree(repo / "contracts/x`@octocat`")
    # another contract (a copy of the withdrawn one is now shown as its renaming: test_trust17)
    shutil.copytree(Path(__file__).parent / "fixtures" / "versions", repo / "contracts" / "-n")
    run_git(repo, *git, "add", "-A")
    run_git(repo, *git, "commit", "-qm", "pr")
    comment = run_pr_workflow(repo, script, base, tmp_path / "pr")
    assert "### Nouveau contrat : `` -n ``" in comment
    assert "_Différences de `` casse `` impossibles à établir : voir le journal._" in comment
    assert "| Durée | 60 mois | 48 mois | −12 |" in comment
    assert "### Contrat retiré : `` x`@octocat` ``" in comment
    assert (repo / "redlines" / "ehpad a.pdf").read_bytes().startswith(b"%PDF")


def _revised_and_signed(pdf: bytes, certs, change: str) -> bytes:
    """`pdf` with an incremental update (a figure drawn over the page, or an annotation that
    covers it, or nothing), signed by `certs`' key: a key under the trusted root."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    if change == "page":
        page["/Contents"] = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 700 Td (9 000 000 euros) Tj ET")
        )
        writer.update_container(page)
    elif change == "annotation":
        note = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (50, 600, 500, 700)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("9 000 000 euros"),
                generic.NameObject("/DA"): generic.TextStringObject("/Helv 30 Tf 0 g"),
            }
        )
        kept = list(page.get("/Annots", generic.ArrayObject()))  # the signature's widget stays
        page["/Annots"] = generic.ArrayObject([*kept, writer.add_object(note)])
        writer.update_container(page)
    signer = signers.SimpleSigner.load_pkcs12(str(certs.p12), passphrase=certs.password.encode())
    meta = signers.PdfSignatureMetadata(field_name="Seconde", md_algorithm="sha256")
    out = io.BytesIO()
    signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    return out.getvalue()


@pytest.mark.parametrize("change", ["page", "annotation", "none"])
def test_a_revision_signed_after_the_publication_does_not_pass_for_it(
    publication, publish_project, tmp_path, change
) -> None:
    """Someone holding a key under the same trusted root (a colleague, the counter-party under
    a shared national CA) changes a figure of a signed contract in an incremental update, then
    signs it: `verify` said « intègre, certificat de confiance » of both signatures. A plain
    countersignature (no change) still verifies."""
    from publish_support import SIGNED_ID

    from cpomdocs.publish.verify import verify

    path = tmp_path / "contrat.pdf"
    genuine = (publication.folder / SIGNED_ID / "contrat.pdf").read_bytes()
    path.write_bytes(_revised_and_signed(genuine, publish_project.certs, change))
    report = verify(path, [publish_project.certs.ca_pem], render=False)
    failed = {c.name: c.message for c in report.failed}
    assert "signature 2" not in failed  # the intruder's own signature is genuine
    if change == "none":
        assert "signature 1" not in failed
        return
    assert failed["signature 1"].startswith("document modifié après la signature de CN=")
    assert failed["signature 1"].endswith(
        " : une révision ajoutée ensuite, même signée, change ce qu'elle couvre (texte, pages "
        "ou annotations) : ce n'est plus le document signé"
    )


LONG = "y" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["validate", LONG], ["textconv", LONG], ["diff", LONG, "autre.yaml"],
        ["verify", LONG, "--trust", LONG], ["build", ".", "-o", LONG], ["init", LONG],
        ["merge", LONG], ["sign-off", LONG], ["import", "docx", LONG, LONG], ["export", LONG],
        ["schema", "-o", LONG],
    ],
)  # fmt: skip
def test_a_name_too_long_for_the_file_system_is_said_so(tmp_path, monkeypatch, args) -> None:
    """Every command answered « erreur interne : OSError: [Errno 36] File name too long »."""
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, args)
    assert (done.exit_code, done.output.strip()) == (
        2,
        f"« {'y' * 60}… » (300 caractères) : nom trop long pour le système de fichiers (255 "
        "octets au plus par nom de fichier ou de dossier) : raccourcissez-le",
    )
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("name", ["a\u0000b.pdf", "\udcff.pdf", "y" * 300 + ".pdf", "x/" * 2100])
def test_verify_reports_a_manifest_entry_no_file_can_have(
    publication_copy, publish_project, name
) -> None:
    """Someone who can write the publication (not sign) lists « a\\0b.pdf » or « \\udcff.pdf »
    in manifest.json: « erreur interne : ValueError: embedded null byte » (or UnicodeEncodeError);
    a name over 255 bytes stopped the whole verification. Now one failed entry, the rest
    checked; and a planted file whose name is not UTF-8 is named, not « erreur interne »."""
    import json
    import os

    manifest = publication_copy / "manifest.json"
    document = json.loads(manifest.read_text("utf-8"))
    document["documents"][0]["fichier"] = name
    manifest.write_text(json.dumps(document), "utf-8")
    os.close(os.open(os.fsencode(publication_copy) + b"/\xff\x01.pdf", os.O_CREAT | os.O_WRONLY))
    trust = str(publish_project.certs.ca_pem)
    done = CliRunner().invoke(main, ["verify", str(publication_copy), "--trust", trust])
    assert done.exit_code == 1, done.output
    shown = name.replace("\0", "\\u0000").replace("\udcff", "\\udcff")
    assert (
        f"ÉCHEC       {shown} — fichier : nom de fichier impossible ; chemin refusé : ce n'est pas "
        "un PDF du dossier de publication (fichier non lu)\n"
    ) in done.output
    assert (
        "ÉCHEC       \\udcff\\u0001.pdf — manifeste : PDF présent mais absent du manifeste\n"
        in (done.output)
    )
    assert "OK          manifest.json" not in done.output  # its signature no longer holds
    assert done.output.count("\nOK ") >= 5  # the other documents still verified


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_contract_folder_named_in_latin_1_is_refused_by_name(tmp_path, command) -> None:
    """A folder unzipped from an archive made on Windows, « café » written in Latin-1: validate
    said « 0 erreur », then every document of the build was « erreur interne :
    UnicodeEncodeError » (the id, the folder's name, goes into the PDF, the HTML, the cache)."""
    import os

    contracts = tmp_path / "contracts"
    contracts.mkdir()
    shutil.copytree(EXAMPLE.parent, os.fsdecode(os.fsencode(contracts) + b"/caf\xe9"))
    args = [command, str(contracts)] + (
        ["-o", str(tmp_path / "build")] if command == "build" else []
    )
    done = CliRunner().invoke(main, args)
    # hostile18: that contract fails (code 1), no longer the whole command (code 2): the other
    # contracts of the folder are validated and built
    assert done.exit_code == 1
    assert (
        f"{contracts}/caf\\xe9: nom de dossier de contrat refusé « caf\\xe9 » : l'identifiant du "
        "contrat est le nom de son dossier ; il ne peut être vide, ni « . » ou « .. », ni "
        "commencer par un point, ni contenir de séparateur de chemin, ni d'octet qui ne soit pas "
        "de l'UTF-8 (un nom venu d'une archive faite sous Windows ? renommez le dossier)\n"
    ) in done.output
    assert "erreur interne" not in done.output
    assert not [p for p in (tmp_path / "build").glob("*") if p.is_dir()]  # nothing built for it


@pytest.mark.parametrize("command", ["validate", "build"])
def test_an_avenant_named_in_latin_1_fails_its_contract_only(tmp_path, command) -> None:
    """An avenant file named in Latin-1: validate said « 0 erreur », build « erreur interne :
    UnicodeEncodeError » before any contract (the folder's digest encoded its name)."""
    import os

    contracts = tmp_path / "contracts"
    source = Path(__file__).parents[1] / "contracts" / "chrs-estuaire-2026"
    shutil.copytree(source, contracts / "e")
    [avenant] = (contracts / "e" / "avenants").iterdir()
    os.rename(avenant, os.fsdecode(os.fsencode(avenant)[: -len(".yaml")] + b"-caf\xe9.yaml"))
    args = [command, str(contracts)] + (
        ["-o", str(tmp_path / "build")] if command == "build" else []
    )
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1, done.output
    assert (
        f"{contracts}/e/avenants/{avenant.stem}-caf\\xe9.yaml: nom de fichier qui n'est pas de "
        "l'UTF-8 (venu d'une archive faite sous Windows ?) : aucun PDF ne peut joindre ce fichier "
        "sous ce nom ; renommez-le\n"
    ) in done.output
    assert "erreur interne" not in done.output


def _windows_saved(path: Path) -> bytes:
    """`path` rewritten as Notepad saves it: a byte-order mark and CRLF line ends."""
    data = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return data


def test_import_and_sign_off_keep_a_windows_file_s_line_ends(tmp_path, monkeypatch) -> None:
    """A compte-rendu (or a contract) saved on Windows, with CRLF and a byte-order mark, came
    back from `import realisations` (or `sign-off`) all LF without its mark: git showed every
    line of the file changed, hiding the one value that did."""

    from cpomdocs.data.signoff import sign_off

    fixture = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
    shutil.copytree(fixture, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    draft = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml")
    before = _windows_saved(draft)
    _export_fill_and_import()
    assert draft.read_bytes() == before.replace(b"PAP: {2026: 80}\r\n", b"PAP: {2026: 42}\r\n")

    signed = tmp_path / "signe"
    shutil.copytree(Path(__file__).parent / "fixtures" / "versions", signed)
    contract = signed / "cpom.yaml"
    text = contract.read_text("utf-8")
    contract.write_text(text[: text.index("empreinte:")], "utf-8")  # signed off here anew
    unsigned = _windows_saved(contract)
    sha256 = sign_off(contract, dt.date(2026, 11, 23))
    added = f'empreinte:\r\n  sha256: "{sha256}"\r\n  date: 2026-11-23\r\n'.encode()
    assert contract.read_bytes() == unsigned + added


def test_export_never_writes_through_a_link_out_of_its_output_folder(tmp_path) -> None:
    """`export -o out` where out/<id> is a symbolic link to a folder elsewhere: the workbook
    was written out there (build checks every target with write.inside; export did not)."""
    contracts, out, outside = tmp_path / "contracts", tmp_path / "out", tmp_path / "ailleurs"
    for name in ("c", "d"):
        shutil.copytree(EXAMPLE.parent, contracts / name)
    out.mkdir()
    outside.mkdir()
    (out / "c").symlink_to(outside)
    done = CliRunner().invoke(main, ["export", str(contracts), "-o", str(out)])
    assert done.exit_code == 1
    assert list(outside.iterdir()) == []
    assert (out / "d" / "tableau-de-bord.xlsx").is_file()  # the other contract is exported
    refused = (
        f"{out}/c: chemin « c/tableau-de-bord.xlsx » refusé : il sort du dossier de sortie {out}"
    )
    assert refused in done.output.splitlines()
    assert done.output.endswith("non exporté (voir ci-dessus) : c\n")


@pytest.mark.parametrize("key", ['"empreinte":', "? empreinte\n:"])
def test_sign_off_never_leaves_a_signed_contract_broken(tmp_path, key) -> None:
    """A signed contract whose `empreinte` key is written quoted: sign-off appended a second
    block, its check then raised on the duplicate key before putting the file back: **the signed
    contract was left invalid on disk**. The quoted key is now replaced; a spelling the edit
    cannot read (« ? empreinte ») is refused before anything is written."""
    from cpomdocs.data.load import load_document

    folder = tmp_path / "c"
    shutil.copytree(Path(__file__).parent / "fixtures" / "versions", folder)
    contract = folder / "cpom.yaml"
    contract.write_text(
        replaced(contract.read_text("utf-8"), "\nempreinte:", f"\n{key}"), encoding="utf-8"
    )
    before = contract.read_bytes()
    done = CliRunner().invoke(main, ["sign-off", str(contract)])
    if key.startswith("?"):
        assert (done.exit_code, done.output.strip()) == (
            1,
            f"{contract}: l'empreinte n'a pas pu être ajoutée sans modifier le contenu",
        )
        assert contract.read_bytes() == before
        return
    assert done.exit_code == 0, done.output
    text = contract.read_text("utf-8")
    assert text.count("empreinte") == 1 and '"empreinte"' not in text
    assert load_document(contract).data["empreinte"]["sha256"]
