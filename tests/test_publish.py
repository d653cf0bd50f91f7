"""Publication: signed PDF/A of signed documents only, and a manifest of where they come from."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_support import DRAFT_ID, SIGNED_ID, make_pdf
from pypdf import PdfReader

from cpomdocs.cli.main import main
from cpomdocs.errors import UsageError
from cpomdocs.publish.publish import (
    MANIFEST,
    NOT_BUILT,
    NOT_COMMITTED,
    publish,
)
from cpomdocs.publish.seal import IDENTITY_NAME, attachments, identity_of, sha256_bytes
from cpomdocs.publish.signing import (
    P12_ENV,
    PASSWORD_ENV,
    SigningError,
    declared_version,
    key_options,
    load_key,
    metadata_mismatches,
    pdfa_identification,
    sign_pdf,
)
from cpomdocs.publish.unsigned import NO_SOURCE, NOT_PDFA

SIGNED_FILES = {
    f"{SIGNED_ID}/contrat.pdf",
    f"{SIGNED_ID}/annexes.pdf",
    f"{SIGNED_ID}/contrat-consolide.pdf",
    f"{SIGNED_ID}/annexes-consolidees.pdf",
    f"{SIGNED_ID}/avenant-01.pdf",
    f"{SIGNED_ID}/comptes-rendus/2026-06-12-dialogue.pdf",
}
DRAFT_FILES = {
    f"{DRAFT_ID}/contrat.pdf",
    f"{DRAFT_ID}/annexes.pdf",
    f"{SIGNED_ID}/avenant-02.pdf",
    f"{SIGNED_ID}/comptes-rendus/2027-03-01-comite.pdf",
}


def _manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def test_only_signed_documents_are_published(publication):
    out, report = publication
    assert not report.problems
    files = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert files == SIGNED_FILES
    assert set(report.skipped) == DRAFT_FILES
    assert {e["fichier"] for e in _manifest(out)["documents"]} == SIGNED_FILES


def test_manifest_says_what_each_file_is_and_where_it_comes_from(publication, publish_project):
    out, _ = publication
    manifest = _manifest(out)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=publish_project.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert manifest["commit"] == head
    entries = {e["fichier"]: e for e in manifest["documents"]}
    for relative, entry in entries.items():
        assert entry["sha256"] == sha256_bytes((out / relative).read_bytes())
        assert entry["contrat"] == SIGNED_ID
        assert entry["signataire"].startswith("CN=Signataire de test,")
        assert all(source["commit"] == head for source in entry["sources"])
        for source in entry["sources"]:
            assert source["sha256"] == sha256_bytes(
                (publish_project.root / source["chemin"]).read_bytes()
            )
    contract = entries[f"{SIGNED_ID}/contrat.pdf"]
    assert (contract["type"], contract["version"]) == ("contrat", "2")
    assert [s["chemin"] for s in contract["sources"]] == [f"contracts/{SIGNED_ID}/cpom.yaml"]
    assert entries[f"{SIGNED_ID}/annexes.pdf"]["type"] == "annexes du contrat"
    consolidated = entries[f"{SIGNED_ID}/contrat-consolide.pdf"]
    assert consolidated["type"] == "contrat consolidé"
    assert consolidated["version"] == "avenant 1"
    assert [s["chemin"] for s in consolidated["sources"]] == [
        f"contracts/{SIGNED_ID}/cpom.yaml",
        f"contracts/{SIGNED_ID}/avenants/01-cibles-absenteisme.yaml",
    ]
    assert entries[f"{SIGNED_ID}/annexes-consolidees.pdf"]["type"] == "annexes consolidées"
    avenant = entries[f"{SIGNED_ID}/avenant-01.pdf"]
    assert (avenant["type"], avenant["version"]) == ("avenant", "avenant 1")
    report = entries[f"{SIGNED_ID}/comptes-rendus/2026-06-12-dialogue.pdf"]
    assert report["type"] == "compte-rendu"
    assert report["version"] == "dialogue de gestion annuel 2026-06-12"


def test_signed_pdf_is_the_built_pdf_plus_a_signature(publication, publish_project):
    out, _ = publication
    for relative in SIGNED_FILES:
        unsigned = (publish_project.build / relative).read_bytes()
        signed = (out / relative).read_bytes()
        assert signed.startswith(unsigned) and len(signed) > len(unsigned)
        fields = PdfReader(out / relative).get_fields()
        assert fields["Signature1"]["/FT"] == "/Sig"


def test_pdfa_identification_and_source_survive_signing(publication, publish_project):
    out, report = publication
    entries = {e["fichier"]: e for e in json.loads(report.manifest.read_text())["documents"]}
    for relative in SIGNED_FILES:
        signed = (out / relative).read_bytes()
        assert pdfa_identification(signed) == ("3", "B")
        assert metadata_mismatches(signed) == []
        assert declared_version(signed) == "1.7"
        built = attachments((publish_project.build / relative).read_bytes())
        found = attachments(signed)
        identity = json.loads(found.pop(IDENTITY_NAME))
        assert found == built
        assert "donnees" in json.loads(built["source.json"])
        assert identity == identity_of(entries[relative])
        assert (identity["fichier"], identity["commit"]) == (relative, entries[relative]["commit"])
        catalog = PdfReader(io.BytesIO(signed)).trailer["/Root"]
        names = catalog["/Names"]["/EmbeddedFiles"]["/Names"][::2]
        assert names == sorted(names) and IDENTITY_NAME in names  # a sorted name tree
        before = PdfReader(publish_project.build / relative).trailer["/Root"]["/AF"]
        relations = [spec.get_object()["/AFRelationship"] for spec in catalog["/AF"]]
        assert len(relations) == len(before) + 1 and relations[-1] == "/Data"  # PDF/A-3


def test_producer_entries_agree_after_signing(publish_project):
    """pyHanko appends to Info /Producer but not to the XMP one; the signer keeps them equal."""
    unsigned = make_pdf("Titre", "texte", {})
    assert PdfReader(io.BytesIO(unsigned)).metadata["/Producer"].startswith("WeasyPrint")
    signed = sign_pdf(
        unsigned, load_key(publish_project.certs.p12, publish_project.certs.password), "essai"
    )
    assert PdfReader(io.BytesIO(signed)).metadata["/Producer"].startswith("pyHanko")
    assert metadata_mismatches(signed) == []


def _copy_project_build(publish_project, tmp_path: Path) -> Path:
    build = tmp_path / "build"
    shutil.copytree(publish_project.build, build)
    return build


def test_missing_and_non_pdfa_builds_are_reported_and_others_published(publish_project, tmp_path):
    import weasyprint

    build = _copy_project_build(publish_project, tmp_path)
    (build / SIGNED_ID / "contrat-consolide.pdf").unlink()
    plain = weasyprint.HTML(string="<p>pas PDF/A</p>").write_pdf()
    (build / SIGNED_ID / "contrat.pdf").write_bytes(plain)
    out = tmp_path / "out"
    report = publish(
        build,
        out,
        publish_project.certs.p12,
        "cpomdocs-test",
        [publish_project.contracts],
        publish_project.root,
    )
    messages = {(p.file, p.message) for p in report.problems}
    assert messages == {
        ((build / SIGNED_ID / "contrat-consolide.pdf").as_posix(), NOT_BUILT),
        ((build / SIGNED_ID / "contrat.pdf").as_posix(), NOT_PDFA),
        ((build / SIGNED_ID / "contrat.pdf").as_posix(), NO_SOURCE),
    }
    assert report.failed
    assert len(report.published) == 4
    assert NOT_BUILT == "PDF introuvable : lancez d'abord « cpomdocs build »"
    assert NOT_PDFA == (
        "ce PDF n'est pas un PDF/A-3b (identification XMP pdfaid absente ou différente)"
    )
    assert NO_SOURCE == "ce PDF n'embarque pas sa source (pièce jointe JSON ou YAML absente)"


def test_wrong_password_is_a_clear_error(publish_project):
    with pytest.raises(SigningError) as caught:
        load_key(publish_project.certs.p12, "mauvais")
    assert str(caught.value) == (
        f"{publish_project.certs.p12}: impossible d'ouvrir la clé PKCS#12 (mot de passe incorrect "
        "ou fichier invalide)"
    )


def test_key_comes_from_options_then_environment(monkeypatch):
    monkeypatch.delenv(P12_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(UsageError) as caught:
        key_options(None, None)
    assert str(caught.value) == (
        "aucune clé de signature : passez --p12 FICHIER.p12 ou la variable CPOMDOCS_P12"
    )
    with pytest.raises(UsageError) as caught:
        key_options(Path("k.p12"), None)
    assert str(caught.value) == (
        "aucun mot de passe pour k.p12 : passez --password ou la variable CPOMDOCS_P12_PASSWORD"
    )
    monkeypatch.setenv(P12_ENV, "env.p12")
    monkeypatch.setenv(PASSWORD_ENV, "secret")
    assert key_options(None, None) == (Path("env.p12"), "secret")
    assert key_options(Path("opt.p12"), "x") == (Path("opt.p12"), "x")


def test_cli_publish_then_verify(publish_project, tmp_path, monkeypatch):
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    out = tmp_path / "pub"
    monkeypatch.chdir(publish_project.root)
    args = [
        "publish",
        str(publish_project.contracts),
        "--build-dir",
        str(publish_project.build),
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(main, [*args, "--trust", str(publish_project.certs.ca_pem)])
    assert result.exit_code == 0, result.output
    assert "6 documents signés" in result.output
    assert f"projet non publié : {DRAFT_ID}/contrat.pdf" in result.output
    assert "tout est conforme" in result.output
    assert (out / "index.html").is_file()


def test_cli_publish_without_key_exits_2(publish_project, monkeypatch):
    monkeypatch.delenv(P12_ENV, raising=False)
    result = CliRunner().invoke(main, ["publish", str(publish_project.contracts)])
    assert result.exit_code == 2
    assert "aucune clé de signature" in result.output


def test_uncommitted_source_is_a_warning_and_stale_files_are_removed(publish_project, tmp_path):
    contracts = tmp_path / "contracts"
    shutil.copytree(publish_project.contracts, contracts)
    build = _copy_project_build(publish_project, tmp_path)
    out = tmp_path / "out"
    first = publish(
        build, out, publish_project.certs.p12, "cpomdocs-test", [contracts], publish_project.root
    )
    assert {(p.message, p.severity.value) for p in first.problems} == {
        (NOT_COMMITTED, "avertissement")
    }
    assert not first.failed
    assert NOT_COMMITTED == "fichier source non commité : le manifeste ne peut pas citer son commit"
    shutil.rmtree(contracts / SIGNED_ID / "comptes-rendus")
    second = publish(
        build, out, publish_project.certs.p12, "cpomdocs-test", [contracts], publish_project.root
    )
    stale = out / SIGNED_ID / "comptes-rendus" / "2026-06-12-dialogue.pdf"
    assert second.removed == [stale]
    assert not stale.exists()
    assert len(second.published) == 5


def test_publication_folder_must_not_be_the_build_folder(publish_project):
    from cpomdocs.publish.publish import SAME_FOLDER

    with pytest.raises(UsageError) as caught:
        publish(
            publish_project.build,
            publish_project.build,
            publish_project.certs.p12,
            "x",
            [publish_project.contracts],
        )
    assert str(caught.value) == SAME_FOLDER
    assert SAME_FOLDER == "le dossier de publication doit être distinct du dossier de build"
