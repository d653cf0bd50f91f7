"""Session 19 hostile audit: each test here failed before its fix (see the session note)."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from wordback_support import DocxEditor

from cpomdocs.cli.main import main
from cpomdocs.publish import testcert

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "ehpad-minimal"


def run(*args: str):
    done = CliRunner().invoke(main, list(args))
    assert "Traceback" not in done.output and "erreur interne" not in done.output, done.output
    assert done.exit_code != 3, done.output
    return done


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> testcert.TestCertificates:
    """A test root certificate and a signer's PKCS#12 under it."""
    return testcert.make_test_certificates(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def trust(keys: testcert.TestCertificates) -> Path:
    """The test root certificate (verify needs one)."""
    return keys.ca_pem


# --- verify: a PDF carrying many attachments, or one that inflates past a source's size ----------


def pdf_with(files: dict[str, bytes]) -> bytes:
    """A one-page PDF (pypdf, no rendering) carrying `files`, each deflated."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for name, data in files.items():
        stream = writer.add_attachment(name, b"")._embedded_file
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        stream._data = zlib.compress(data, 9)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_more_attachments_than_any_contract_has_sources_is_refused_unread(
    tmp_path: Path, trust: Path
) -> None:
    files = {"cpomdocs-source.json": b'{"format": "x"}'}
    files |= {f"piece-{n:03}.bin": b"\0" * 1000 for n in range(201)}
    pdf = tmp_path / "recu.pdf"
    pdf.write_bytes(pdf_with(files))
    done = run("verify", str(pdf), "--sans-rendu", "--trust", str(trust))
    assert done.exit_code == 1
    refused = (
        "pièces jointes illisibles : 202 pièces jointes (au plus 200 dans un PDF de cpomdocs : "
        "ses sources, sa provenance et son identité) : aucune n'est lue"
    )
    assert f"ÉCHEC       {pdf} — source : {refused}" in done.output
    assert f"ÉCHEC       {pdf} — identité : {refused}" in done.output


def test_an_attached_source_inflating_past_a_sources_size_is_a_bomb_not_inflated(
    tmp_path: Path, trust: Path
) -> None:
    # 6 MB of zeros in 6 kB: pypdf inflated it whole (75 MB each, 30 of them took 2.4 GB)
    files = {"cpomdocs-source.json": b'{"format": "x"}', "zz.yaml": b"\0" * 6_000_000}
    pdf = tmp_path / "recu.pdf"
    pdf.write_bytes(pdf_with(files))
    done = run("verify", str(pdf), "--sans-rendu", "--trust", str(trust))
    assert done.exit_code == 1
    assert (
        f"ÉCHEC       {pdf} — source : pièces jointes illisibles : une pièce jointe dépasse, "
        "décompressée, la taille permise (bombe de compression ?)"
    ) in done.output


# --- import docx: the counter-party's Word comments and footnotes --------------------------------


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal contract in git, and its contrat.docx as cpomdocs builds it."""
    import shutil
    import subprocess

    from cpomdocs.build.schedule import build_portfolio

    root = tmp_path_factory.mktemp("retour")
    folder = root / "contracts" / "c"
    shutil.copytree(MINIMAL, folder)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "a"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    report = build_portfolio([root / "contracts"], root / "build", formats=("docx",))
    assert report.failed == []
    return folder, root / "build" / "c" / "contrat.docx"


FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Sous réserve de la délibération du conseil '
    "départemental.</w:t></w:r></w:p></w:footnote></w:footnotes>"
)


def with_comment_and_footnote(built: Path, target: Path) -> None:
    """What a counter-party does in Word: a comment on a paragraph, a footnote on another."""
    import zipfile

    from docx import Document
    from docx.oxml import parse_xml

    document = Document(str(built))
    paragraphs = [p for p in document.paragraphs if p.runs and "représenté" in p.text]
    document.add_comment(
        paragraphs[0].runs[0], text="Nous demandons une cible de 95 %.", author="ARS Occitanie"
    )
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    reference = f'<w:r {namespace}><w:footnoteReference w:id="1"/></w:r>'
    paragraphs[1]._p.append(parse_xml(reference))
    document.save(str(target))
    with zipfile.ZipFile(target, "a") as package:
        package.writestr("word/footnotes.xml", FOOTNOTES)


def test_word_comments_and_footnotes_of_a_returned_docx_are_reported_not_lost(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, built = returned
    docx = tmp_path / "contrat-ARS.docx"
    with_comment_and_footnote(built, docx)
    done = run("import", "docx", "-n", str(docx), str(folder))
    assert done.exit_code == 0, done.output
    assert "Aucune modification des données." in done.output  # true: a comment is not data
    assert (
        "## Commentaires, notes et en-têtes (2) — non relus comme données, à reprendre\n\n"
        "- commentaire de ARS Occitanie ("
    ) in done.output
    assert (
        ", sur « L’Agence régionale de santé Occitanie, représentée par Laure… » : "
        "« Nous demandons une cible de 95 %. »\n"
        "- note de bas de page, sur « Le Département de l’Hérault, représenté par Sophie Delmas, "
        "p… » : « Sous réserve de la délibération du conseil départemental. »\n"
    ) in done.output


# --- merge: a part whose file is far larger than any document built ------------------------------


def test_merge_refuses_a_huge_file_in_a_part_before_writing_anything(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    import os
    import shutil

    part = tmp_path / "part-1"
    shutil.copytree(returned[1].parent.parent, part)
    huge = part / "c" / "contrat.docx"
    os.truncate(huge, 257 * 2**20)  # sparse; 3 GB was read whole: « erreur interne : MemoryError »
    done = run("merge", str(part), "-o", str(tmp_path / "site"))
    assert done.exit_code == 2
    assert done.output == (
        f"{huge}: fichier de 257 Mo, trop volumineux pour un document construit (256 Mo au "
        "plus) : reconstruisez cette part (cpomdocs build --shard K/N) ; rien n'est copié\n"
    )
    assert not (tmp_path / "site").exists()
    shutil.copy(returned[1], huge)
    done = run("merge", str(part), "-o", str(tmp_path / "site"))
    assert done.output.startswith(f"1 contrat réuni dans {tmp_path / 'site'}/ ; page : ")
    assert (tmp_path / "site" / "c" / "contrat.docx").read_bytes() == returned[1].read_bytes()


# --- a contract saved in UTF-16 (PowerShell 5's « > », Notepad's « Unicode ») --------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_contract_saved_in_utf16_is_named_so(tmp_path: Path, encoding: str) -> None:
    contract = tmp_path / "contracts" / "c" / "cpom.yaml"
    contract.parent.mkdir(parents=True)
    contract.write_bytes((MINIMAL / "cpom.yaml").read_text("utf-8").encode(encoding))
    done = run("validate", str(contract.parent))
    assert done.exit_code == 1
    assert done.output.startswith(
        f"{contract}:1:1: fichier enregistré en UTF-16 (le « Unicode » du Bloc-notes, ou la "
        "redirection « > » de PowerShell 5) : enregistrez-le en UTF-8\n"
    )  # was « octet 0xff invalide en UTF-8 (et non en Windows-1252 ou Latin-1) », or « U+0000 »


# --- publish: two at once into the same publication folder ---------------------------------------


def test_a_second_publish_into_a_folder_being_published_waits_its_turn(
    tmp_path: Path, keys: testcert.TestCertificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from cpomdocs.build.cache import output_lock
    from cpomdocs.publish.placement import STAGING_PREFIX

    shutil.copytree(MINIMAL, tmp_path / "contracts" / "c")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPOMDOCS_P12_PASSWORD", keys.password)
    publication = tmp_path / "publication"
    staging = publication / f"{STAGING_PREFIX}premier"  # the first publish's, being signed
    staging.mkdir(parents=True)
    with output_lock(publication):  # the first publish, still at work
        done = run("publish", "--p12", str(keys.p12), "-o", "publication")
    assert done.exit_code == 1
    assert done.output == (
        "publication: une autre commande cpomdocs écrit déjà dans ce dossier (verrou "
        "publication/.cpomdocs.lock) : attendez qu'elle se termine, puis relancez\n"
    )  # it went on: the first one's staging folder removed as a killed run's leftover
    assert staging.is_dir()


# --- import docx: the file it writes, changed while it ran ---------------------------------------


def test_an_import_does_not_replace_a_file_written_while_it_ran(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    from cpomdocs.wordback.importer import import_docx, write_result
    from cpomdocs.wordback.read import WordbackError

    folder = returned[0]
    editor = DocxEditor(returned[1].read_bytes(), tracked=False)
    editor.replace("78", "80", row="Hébergement permanent", cell=2)
    docx = tmp_path / "contrat-ARS.docx"
    docx.write_bytes(editor.save())
    result = import_docx(docx, folder)  # the ARS's DOCX, read
    assert result.target == folder / "avenants" / "02-modifications-docx.yaml"
    other = "# l'avenant que l'import du DOCX du Département vient d'écrire\nnumero: 2\n"
    result.target.write_text(other, encoding="utf-8")  # meanwhile, another import
    try:
        with pytest.raises(WordbackError) as raised:
            write_result(result)
        assert str(raised.value) == (
            f"{result.target} : fichier créé pendant l'import (un éditeur, un autre import ?) : "
            "rien n'est écrit ; relancez l'import"
        )
        assert result.target.read_text(encoding="utf-8") == other  # was replaced silently
    finally:
        result.target.unlink()


def test_a_docx_of_many_thousand_parts_is_refused_before_its_table_of_contents_is_read(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil
    import zipfile

    docx = tmp_path / "contrat-ARS.docx"
    shutil.copy(returned[1], docx)
    with zipfile.ZipFile(docx, "a") as package:  # 1 million of them: 25 s and 730 MB
        for number in range(25_000):
            package.writestr(f"x/{number}", b"")
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    assert done.exit_code == 1
    assert done.output == (
        f"{docx} : document trop volumineux pour être importé (sommaire du zip de plus de 1 Mo : "
        "des milliers de parties, ce n'est pas un document enregistré par Word ou LibreOffice)\n"
    )


def test_a_heading_whose_bookmarks_come_in_another_order_is_not_a_clause_change(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    """LibreOffice, saving a commented document, put the heading's own bookmark
    (« _perimetre_du_cpom… ») before the paragraph's key (« _p… »): read as the key, it made
    two « modifications de clause type » that nobody wrote."""
    import zipfile

    from lxml import etree

    from cpomdocs.wordback.paragraphs import W

    with zipfile.ZipFile(returned[1]) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    body = etree.fromstring(parts["word/document.xml"])
    heading = next(p for p in body.iter(f"{W}p") if "Périmètre du CPOM" in "".join(p.itertext()))
    key, own = list(heading.iter(f"{W}bookmarkStart"))[:2]
    assert (key.get(f"{W}name")[:3], own.get(f"{W}name")[:3]) == ("_pc", "_pe")
    key.addprevious(own)  # as LibreOffice saved it: the heading's own bookmark first
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, standalone=True)
    docx = tmp_path / "contrat-LibreOffice.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    assert done.exit_code == 0
    assert "Aucune modification des données." in done.output
    assert "Modifications de clause type" not in done.output, done.output


def test_thousands_of_comments_are_not_thousands_of_report_lines(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil
    import zipfile

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    comments = "".join(
        f'<w:comment w:id="{n}" w:author="X"><w:p><w:r><w:t>n° {n}</w:t></w:r></w:p></w:comment>'
        for n in range(600)
    )
    docx = tmp_path / "contrat-ARS.docx"
    shutil.copy(returned[1], docx)
    with zipfile.ZipFile(docx, "a") as package:
        package.writestr("word/comments.xml", f"<w:comments {namespace}>{comments}</w:comments>")
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    title = "## Commentaires, notes et en-têtes (600) — non relus comme données, à reprendre"
    assert title in done.output
    assert done.output.count("\n- commentaire de X : « n° ") == 500
    assert done.output.endswith("- commentaire de X : « n° 499 »\n- … et 100 autres, non montrés\n")


# --- verify: a manifest listing a flood of documents ---------------------------------------------


def test_a_manifest_listing_more_documents_than_any_portfolio_is_one_line(
    tmp_path: Path, trust: Path
) -> None:
    import json

    documents = [{"fichier": f"x/{n}.pdf"} for n in range(20_001)]
    (tmp_path / "manifest.json").write_text(json.dumps({"documents": documents}), "utf-8")
    done = run("verify", str(tmp_path), "--sans-rendu", "--trust", str(trust))
    assert done.exit_code == 1
    assert done.output.count("\n") <= 4, done.output[:400]  # was one line per entry
    assert (
        "ÉCHEC       manifest.json — manifeste : 20\u202f001 documents listés (20\u202f000 au "
        "plus) : aucun n'est vérifié\n"
    ) in done.output


# --- the pull request workflow: a comment longer than GitHub takes -------------------------------


def test_the_pull_request_comment_is_cut_to_what_github_takes(tmp_path: Path) -> None:
    """A campaign touching every contract made a diff.md over 65 536 characters: GitHub
    refused the comment, and the previous push's comment stayed, read as this one's."""
    import subprocess
    import sys

    import yaml

    repo = tmp_path / "depot"
    assert run("init", str(repo)).exit_code == 0
    workflow = yaml.safe_load((repo / ".github/workflows/pr-diff.yml").read_text("utf-8"))
    steps = workflow["jobs"]["diff"]["steps"]
    [step] = [s for s in steps if s.get("name") == "Préparer le commentaire"]
    [comment] = [s for s in steps if "gh pr comment" in s.get("run", "")]
    assert "--body-file commentaire.md" in comment["run"]
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    line = "| Dotation 2027 de l’EHPAD | 1 234 500,00 € | 1 260 000,00 € | +2,07 % |\n"
    for text in ("<!-- cpomdocs-diff -->\nCourt.\n", "<!-- cpomdocs-diff -->\n" + line * 2000):
        (repo / "diff.md").write_text(text, encoding="utf-8")
        script = ["bash", "-eo", "pipefail", "-c", step["run"]]
        subprocess.run(script, cwd=repo, env=env, check=True)
        posted = (repo / "commentaire.md").read_text(encoding="utf-8")
        if len(text) < 60_000:
            assert posted == text
        else:
            assert len(posted) <= 60_200 and posted.startswith(text[:59_000])
            assert posted.endswith(
                f"{line}\n> **Différences tronquées** : 146\u202f023 caractères, plus qu'un "
                "commentaire n'en tient ; le texte entier est dans le résumé de l'exécution.\n"
            )


# --- a contract named twice on the command line, or two contracts of one name -------------------


def test_a_contract_named_twice_is_built_once(tmp_path: Path, monkeypatch) -> None:
    import shutil

    shutil.copytree(MINIMAL, tmp_path / "contracts" / "c")
    monkeypatch.chdir(tmp_path)
    done = run("build", "contracts", "contracts/c", "-f", "docx", "-q")  # « erreur interne »
    assert done.exit_code == 0, done.output
    assert "8 documents construits (8 fichiers dans build/)" in done.output


def test_two_contracts_of_one_name_are_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch
) -> None:
    import shutil

    for part in ("2019-2023", "2024-2028"):
        shutil.copytree(MINIMAL, tmp_path / part / "ehpad-x")
    monkeypatch.chdir(tmp_path)
    for command in ("build", "export"):
        done = run(command, "2019-2023", "2024-2028")
        assert done.exit_code == 2
        assert done.output == (
            "2019-2023/ehpad-x et 2024-2028/ehpad-x : deux contrats du même nom « ehpad-x », "
            "dont les documents iraient dans le même dossier de sortie : renommez l'un d'eux "
            "(le nom du dossier est l'identifiant du contrat)\n"
        )  # the second one's files were written over the first one's
        assert not (tmp_path / "build").exists()


def test_a_footer_edited_in_word_is_reported_its_page_numbers_are_not(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    import zipfile

    with zipfile.ZipFile(returned[1]) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    footers = [n for n in parts if n.startswith("word/footer")]
    assert all(b"CPOM-TEST-2025-001 \xe2\x80\x93 version 1<" in parts[n] for n in footers)
    for name in footers:  # the reference edited; the page numbers as Word writes them again
        parts[name] = parts[name].replace(b"version 1<", b"version 2, contre-proposition<")
        parts[name] = parts[name].replace(b"<w:t>1</w:t>", b"<w:t>12</w:t>")
    docx = tmp_path / "contrat-ARS.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    assert done.exit_code == 0, done.output
    assert done.output.endswith(  # was lost without a word: template text, not read at all
        "## Commentaires, notes et en-têtes (2) — non relus comme données, à reprendre\n\n"
        "- en-tête ou pied de page modifié : « CPOM-TEST-2025-001 – version 2, "
        "contre-proposition page / »\n"
        "- en-tête ou pied de page modifié : « CPOM-TEST-2025-001 – version 2, "
        "contre-proposition »\n"
    )


def test_publish_holds_its_folder_s_lock(publish_project, tmp_path: Path) -> None:
    """Two publishes at once each removed the other's staging folder as a killed run's: a
    publish finds the lock another command holds, and leaves none behind (its verification
    with --trust runs on the staged files, inside the same lock)."""
    import pytest

    from cpomdocs.build.cache import output_lock
    from cpomdocs.errors import OutputError
    from cpomdocs.publish.publish import publish

    project, folder = publish_project, tmp_path / "publication"
    arguments = (project.build, folder, project.certs.p12, project.certs.password)
    folder.mkdir()
    with output_lock(folder), pytest.raises(OutputError) as held:
        publish(*arguments, [project.contracts], project.root)
    assert str(held.value) == (
        f"{folder}: une autre commande cpomdocs écrit déjà dans ce dossier (verrou "
        f"{folder}/.cpomdocs.lock) : attendez qu'elle se termine, puis relancez"
    )
    report = publish(*arguments, [project.contracts], project.root)
    assert report.published and not report.failed
    assert not (folder / ".cpomdocs.lock").exists()  # a publication is served as it is


def test_a_failure_repeated_for_thousands_of_files_is_shown_a_hundred_times(
    publication_copy: Path, publish_project
) -> None:
    planted = publication_copy / "planté"
    planted.mkdir()
    for number in range(150):  # 20 000 of them made 20 041 lines
        (planted / f"{number:03}.pdf").write_bytes(b"%PDF-1.7\n")
    trust = publish_project.certs.ca_pem
    done = run("verify", str(publication_copy), "--sans-rendu", "--trust", str(trust))
    assert done.exit_code == 1
    said = "manifeste : PDF présent mais absent du manifeste"
    assert done.output.count(said) == 101
    assert f"ÉCHEC       … et 50 autres fichiers — {said}\n" in done.output


def test_a_tracked_change_s_date_is_shown_inert_in_the_report(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    """hostile15 made the report's texts inert Markdown, not the dates of tracked changes: a
    `w:date` of « <b>x</b>[a](http://e.x/p) » was HTML on GitHub."""
    import zipfile

    from wordback_support import DATE

    editor = DocxEditor(returned[1].read_bytes(), tracked=True)
    editor.replace("couvre", "concerne")  # fixed clause text: reported, with its date
    with zipfile.ZipFile(io.BytesIO(editor.save())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    crafted = b"&lt;b&gt;x&lt;/b&gt;[a](http://e.x/p)"
    parts["word/document.xml"] = parts["word/document.xml"].replace(DATE.encode(), crafted)
    docx = tmp_path / "contrat-ARS.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    # the date is cut at 10 characters, as Word's « 2026-11-30T… »: « <b>x</b>[a » was HTML
    assert "« modification de clause type » — Nadia Benali (ARS), \\<b>x\\</b>\\[a\n" in (
        done.output
    )


def test_the_version_a_docx_claims_is_shown_inert_in_the_report(
    returned: tuple[Path, Path], tmp_path: Path
) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(returned[1]) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/custom.xml"] = re.sub(
        rb'(name="cpomdocs.version"[^>]*><vt:lpwstr>)[^<]*',
        rb"\g<1>1, [valider ici](https://e.x/p) &lt;b&gt;x&lt;/b&gt;",
        parts["docProps/custom.xml"],
    )
    docx = tmp_path / "contrat-ARS.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    done = run("import", "docx", "-n", str(docx), str(returned[0]))
    assert (  # was a live link and HTML: the version is read from the DOCX, unchecked
        "Contrat `c`, version 1, \\[valider ici\\](https://e.x/p) \\<b>x\\</b>, document "
        "construit depuis le commit `"
    ) in done.output


def test_build_of_a_folder_holding_no_contract_says_so(tmp_path: Path, monkeypatch) -> None:
    import shutil

    shutil.copytree(MINIMAL, tmp_path / "contracts" / "c")
    monkeypatch.chdir(tmp_path)
    done = run("build", ".")  # at the repository's root: « 0 document construit », code 0
    assert done.exit_code == 2
    assert done.output == (
        ".: aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers directs : les contrats "
        "sont dans contracts, nommez-le\n"
    )
    assert not (tmp_path / "build").exists()


def test_init_into_the_git_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    done = run("init", str(tmp_path / ".git"))  # tab completion after « init . »
    assert done.exit_code == 2
    assert done.output == (
        f"{tmp_path / '.git'} : c'est le dossier interne de git, pas le dépôt : lancez la "
        "commande à la racine du dépôt (cpomdocs init .)\n"
    )  # the 13 files of a repository were written among git's own
    assert list((tmp_path / ".git").iterdir()) == []


def test_the_half_written_copy_a_killed_run_left_goes_at_the_next_write(tmp_path: Path) -> None:
    """A SIGKILL (a CI runner lost) during a write left `.diff.md.k3j9x2q1.tmp` beside it for
    good, in a folder that is served or uploaded; one written now (another run) is kept."""
    import os
    import time

    target = tmp_path / "diff.md"
    killed, running = tmp_path / ".diff.md.k3j9x2q1.tmp", tmp_path / ".diff.md.a8c0m2zz.tmp"
    for path in (killed, running):
        path.write_bytes(b"### Diff")
    hour_ago = time.time() - 3600
    os.utime(killed, (hour_ago, hour_ago))
    contract = str(MINIMAL / "cpom.yaml")
    done = run("diff", contract, contract, "-f", "md", "-o", str(target))
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".diff.md.a8c0m2zz.tmp", "diff.md"]


@pytest.mark.parametrize("args", [["build", "contracts", "-f", "docx", "-o", ""], ["init", ""]])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    tmp_path: Path, monkeypatch, args: list[str]
) -> None:
    import shutil

    shutil.copytree(MINIMAL, tmp_path / "contracts" / "c")
    monkeypatch.chdir(tmp_path)
    done = run(*args)  # `-o "$SORTIE"`, the variable unset: built into the repository's root
    assert done.exit_code == 2
    assert done.output.endswith(
        " : chemin vide : un chemin était attendu (variable d'environnement non définie ?)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contracts"]
