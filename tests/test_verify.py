"""Verification: a genuine publication passes; a changed byte, a wrong root or a lost PDF/A fail."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_support import SIGNED_ID, make_pdf

from cpomdocs.cli.main import main
from cpomdocs.data.signoff import sign_off
from cpomdocs.errors import UsageError
from cpomdocs.publish.publish import MANIFEST, publish
from cpomdocs.publish.seal import MANIFEST_SIGNATURE, identity_of
from cpomdocs.publish.signing import TRUST_ENV, load_key, sign_pdf
from cpomdocs.publish.verify import (
    IDENTITY_MISMATCH,
    NO_MANIFEST,
    OUTSIDE,
    UNSIGNED_MANIFEST,
    Outcome,
    verify,
)
from cpomdocs.publish.verify_checks import NO_TRUST

CONTRACT_PDF = f"{SIGNED_ID}/contrat.pdf"


def _failures(report) -> set[tuple[str, str]]:
    return {(c.file, c.name) for c in report.failed}


def test_genuine_publication_passes(publication, publish_project):
    report = verify(publication.folder, [publish_project.certs.ca_pem])
    assert report.failed == []
    names = {(c.file, c.name) for c in report.checks if c.outcome is Outcome.OK}
    for check in ("empreinte", "version non signée", "signature", "PDF/A", "source"):
        assert (CONTRACT_PDF, check) in names
    signature = next(c for c in report.checks if (c.file, c.name) == (CONTRACT_PDF, "signature"))
    assert signature.message.startswith("intègre, signée par CN=Signataire de test,")


def test_one_changed_byte_fails(publication_copy, publish_project):
    path = publication_copy / CONTRACT_PDF
    data = bytearray(path.read_bytes())
    data[len(data) // 4] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify(publication_copy, [publish_project.certs.ca_pem])
    failed = _failures(report)
    assert (CONTRACT_PDF, "empreinte") in failed
    assert (CONTRACT_PDF, "version non signée") in failed
    assert (CONTRACT_PDF, "signature") in failed
    assert {file for file, _ in failed} == {CONTRACT_PDF}


def test_a_changed_byte_fails_without_the_manifest_too(publication, publish_project, tmp_path):
    data = bytearray((publication.folder / CONTRACT_PDF).read_bytes())
    data[len(data) // 4] ^= 0x01
    path = tmp_path / "modifie.pdf"
    path.write_bytes(bytes(data))
    report = verify(path, [publish_project.certs.ca_pem])
    assert (path.as_posix(), "signature") in _failures(report)


def test_bytes_appended_after_the_signature_fail(publication, publish_project, tmp_path):
    path = tmp_path / "complete.pdf"
    path.write_bytes((publication.folder / CONTRACT_PDF).read_bytes() + b"\n% ajout\n")
    report = verify(path, [publish_project.certs.ca_pem])
    [failure] = report.failed
    assert (failure.name, failure.message) == (
        "signature",
        "des octets ont été ajoutés après la signature",
    )


def test_wrong_trust_root_fails(publication, publish_project):
    report = verify(publication.folder, [publish_project.other_ca.ca_pem])
    failed = [c for c in report.failed if c.name == "signature"]
    assert len(failed) == 6
    assert failed[0].message.endswith("non reconnu par la racine de confiance")


def test_expired_certificate_fails(publish_project, tmp_path):
    """Said « expiré ou pas encore valide à la date de la signature »: pyHanko checks it today,
    so a contract signed while the certificate was valid was said signed with an expired one."""
    from cpomdocs.fmt import date_fr
    from cpomdocs.publish.testcert import make_test_certificates

    expired = make_test_certificates(tmp_path / "expire", days=-2, start_days_ago=10)
    path = tmp_path / "expire.pdf"
    key = load_key(expired.p12, expired.password)
    path.write_bytes(sign_pdf(make_pdf("Contrat", "texte", {"donnees": {}}), key, "essai"))
    [failure] = verify(path, [expired.ca_pem], render=False).failed
    day = date_fr((dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).date())
    assert (failure.name, failure.message) == (
        "signature",
        f"certificat de {key.subject} expiré depuis le {day} : sans horodatage qui prouve que "
        "la signature lui est antérieure, elle ne se vérifie plus (publiez avec --horodatage URL "
        "pour que les signatures survivent à leur certificat)",
    )


def test_trust_root_from_environment(publication, publish_project, monkeypatch):
    monkeypatch.setenv(TRUST_ENV, str(publish_project.certs.ca_pem))
    assert verify(publication.folder, []).failed == []


def test_no_trust_root_is_a_usage_error(publication, monkeypatch):
    monkeypatch.delenv(TRUST_ENV, raising=False)
    with pytest.raises(UsageError) as caught:
        verify(publication.folder, [])
    assert str(caught.value) == NO_TRUST
    assert NO_TRUST == (
        "aucune racine de confiance : passez --trust CERT.pem ou la variable CPOMDOCS_TRUST"
    )


def test_manifest_mismatches_fail(publication_copy, publish_project):
    shutil.copy(publication_copy / CONTRACT_PDF, publication_copy / "intrus.pdf")
    manifest = json.loads((publication_copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["documents"][0]["fichier"] = "disparu.pdf"
    (publication_copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    report = verify(publication_copy, [publish_project.certs.ca_pem])
    messages = {(c.file, c.message) for c in report.failed}
    assert ("intrus.pdf", "PDF présent mais absent du manifeste") in messages
    assert ("disparu.pdf", "listé dans le manifeste mais absent") in messages


def test_folder_without_manifest_fails(tmp_path, publish_project):
    report = verify(tmp_path, [publish_project.certs.ca_pem])
    assert [(c.name, c.message) for c in report.failed] == [("manifeste", NO_MANIFEST)]
    assert NO_MANIFEST == "manifest.json introuvable dans ce dossier"


def test_lost_pdfa_identification_and_missing_source_fail(publish_project, tmp_path):
    import weasyprint

    plain = weasyprint.HTML(string="<p>Contrat</p>").write_pdf()
    path = tmp_path / "plain.pdf"
    path.write_bytes(
        sign_pdf(
            plain, load_key(publish_project.certs.p12, publish_project.certs.password), "essai"
        )
    )
    report = verify(path, [publish_project.certs.ca_pem])
    messages = {c.name: c.message for c in report.failed}
    assert messages == {
        "PDF/A": "identification PDF/A-3b perdue (absente)",
        "source": "aucune source (JSON ou YAML) jointe au PDF",
    }


def test_unsigned_pdf_fails(publish_project, tmp_path):
    path = tmp_path / "non-signe.pdf"
    path.write_bytes(make_pdf("Contrat", "texte", {"donnees": {}}))
    report = verify(path, [publish_project.certs.ca_pem])
    assert [(c.name, c.message) for c in report.failed] == [
        ("signature", "aucune signature dans ce PDF")
    ]


def test_cli_reports_one_line_per_check_and_exits_1_on_failure(publication_copy, publish_project):
    path = publication_copy / CONTRACT_PDF
    data = bytearray(path.read_bytes())
    data[len(data) // 4] ^= 0x01
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(
        main, ["verify", str(publication_copy), "--trust", str(publish_project.certs.ca_pem)]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith(f"ÉCHEC       {CONTRACT_PDF} — empreinte : sha256 ") for line in lines
    )
    assert any(
        line.startswith(f"OK          {SIGNED_ID}/contrat-consolide.pdf — ") for line in lines
    )
    assert "Traceback" not in result.output


def test_cli_without_trust_exits_2(publication, monkeypatch):
    monkeypatch.delenv(TRUST_ENV, raising=False)
    result = CliRunner().invoke(main, ["verify", str(publication.folder)])
    assert result.exit_code == 2
    assert NO_TRUST in result.output


def test_pdf_20_declared_by_a_plain_pyhanko_signature_fails(publish_project, tmp_path):
    """pyHanko alone declares PDF 2.0 for an ECDSA key and desynchronises Producer: PDF/A broken."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields, signers
    from weasyprint import __version__ as weasyprint_version

    unsigned = make_pdf("Contrat", "texte", {"donnees": {}})
    key = load_key(publish_project.certs.p12, publish_project.certs.password)
    meta = signers.PdfSignatureMetadata(field_name="S", subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(meta, key.signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(unsigned)), output=out
    )
    path = tmp_path / "pyhanko.pdf"
    path.write_bytes(out.getvalue())
    report = verify(path, [publish_project.certs.ca_pem])
    [failure] = report.failed
    assert failure.name == "PDF/A"
    assert failure.message == (
        "PDF 2.0 déclaré : PDF/A-3 repose sur PDF 1.7 ; métadonnées Info et XMP discordantes : "
        f"Info /Producer « WeasyPrint {weasyprint_version}; {VENDOR} » ≠ XMP pdf:Producer "
        f"« {VENDOR} »"
    )


@pytest.fixture(scope="module")
def real(tmp_path_factory, publish_project):
    """The example contract really built (PDF), then published: its source renders again."""
    from publish_support import _git, example_text

    from cpomdocs.build.schedule import build_portfolio as build

    root = tmp_path_factory.mktemp("reel")
    folder = root / "contracts" / SIGNED_ID
    folder.mkdir(parents=True)
    (folder / "cpom.yaml").write_text(example_text(), "utf-8")
    sign_off(folder / "cpom.yaml", dt.date(2025, 3, 14))
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "contrat")
    built = build([root / "contracts"], root / "build", formats=("pdf",))
    assert not built.failed
    out = root / "publication"
    report = publish(
        root / "build",
        out,
        publish_project.certs.p12,
        publish_project.certs.password,
        [root / "contracts"],
        root,
    )
    assert not report.problems and len(report.published) == 2
    return root, out


def test_attached_source_renders_again_to_the_same_text(real, publish_project):
    root, out = real
    assert verify(out, [publish_project.certs.ca_pem], render=False).failed == []
    report = verify(out / CONTRACT_PDF, [publish_project.certs.ca_pem])
    assert report.failed == []
    [rendered] = [c for c in report.checks if c.name == "nouveau rendu"]
    assert rendered.message == "la source jointe redonne le même texte"
    source = next(c for c in report.checks if c.name == "source")
    assert source.message.startswith("source jointe « cpomdocs-source.json » (1 fichier, commit ")


def test_publish_refuses_a_stale_build(real, publish_project, tmp_path):
    from cpomdocs.publish.unsigned import STALE_BUILD

    root, _ = real
    contracts = tmp_path / "contracts"
    shutil.copytree(root / "contracts", contracts)
    path = contracts / SIGNED_ID / "cpom.yaml"
    path.write_text(path.read_text("utf-8").replace("Montpellier", "Sète"), encoding="utf-8")
    # a new signed text, with its own fingerprint (a new signed content: --nouveau-contenu)
    sign_off(path, dt.date(2025, 3, 14), replace_content=True)
    report = publish(
        root / "build",
        tmp_path / "out",
        publish_project.certs.p12,
        "cpomdocs-test",
        [contracts],
        root,
    )
    assert {p.message for p in report.problems if p.is_error} == {STALE_BUILD}
    assert report.published == []
    assert STALE_BUILD == (
        "PDF périmé : les fichiers du contrat ont changé depuis « cpomdocs build », relancez-le"
    )


def test_provenance_records_files_schema_and_commit(real):
    from cpomdocs.build.provenance import PROVENANCE_NAME, schema_digest
    from cpomdocs.gitinfo import git_output
    from cpomdocs.publish.seal import attachments

    root, out = real
    provenance = json.loads(attachments((out / CONTRACT_PDF).read_bytes())[PROVENANCE_NAME])
    assert provenance["commit"] == git_output(root, "rev-parse", "HEAD")
    assert provenance["schema_sha256"] == schema_digest()
    assert provenance["document"] == "contrat"
    assert provenance["modifications_non_commitees"] is False
    yaml_text = (root / "contracts" / SIGNED_ID / "cpom.yaml").read_text(encoding="utf-8")
    assert provenance["fichiers"] == {"cpom.yaml": yaml_text}


def test_source_that_renders_to_another_text_fails(real, tmp_path):
    """A PDF whose attached source says something else than its pages is caught."""
    from pypdf import PdfWriter

    from cpomdocs.build.provenance import PROVENANCE_NAME
    from cpomdocs.publish.seal import attachments
    from cpomdocs.publish.verify import VerifyReport, check_source

    root, _ = real
    built = (root / "build" / CONTRACT_PDF).read_bytes()
    provenance = json.loads(attachments(built)[PROVENANCE_NAME])
    text = provenance["fichiers"]["cpom.yaml"]
    forged_yaml = tmp_path / "cpom.yaml"
    forged_yaml.write_text(text.replace("Clermont-l'Hérault", "Lodève"), encoding="utf-8")
    # a forger recomputes the fingerprint too (a new signed content: --nouveau-contenu)
    sign_off(forged_yaml, dt.date(2025, 3, 14), replace_content=True)
    provenance["fichiers"]["cpom.yaml"] = forged_yaml.read_text(encoding="utf-8")
    writer = PdfWriter(clone_from=io.BytesIO(built))
    del writer.root_object["/Names"]["/EmbeddedFiles"]
    writer.add_attachment(PROVENANCE_NAME, json.dumps(provenance).encode("utf-8"))
    forged = io.BytesIO()
    writer.write(forged)
    report = VerifyReport()
    check_source(forged.getvalue(), "faux.pdf", report)
    [failure] = report.failed
    assert failure.name == "nouveau rendu"
    assert failure.message.startswith("la source jointe donne un autre texte : « …")
    assert "Lodève" in failure.message


def test_a_publication_by_another_cpomdocs_is_not_called_a_forgery(real, publish_project, tmp_path):
    """A clause worded otherwise by a later cpomdocs is « non vérifié », with the reason, not a
    failure: the same published PDF fails only against the cpomdocs that made it."""
    import os
    import subprocess
    import sys

    import cpomdocs

    root, _ = real
    other = tmp_path / "autre" / "cpomdocs"  # another cpomdocs: one clause worded otherwise
    shutil.copytree(Path(cpomdocs.__file__).parent, other, ignore=shutil.ignore_patterns("*.pyc"))
    template = other / "templates" / "contrat.md.j2"
    clause = "Toute révision fait l'objet d'un avenant signé par l'ensemble des parties."
    text = template.read_text(encoding="utf-8")
    assert clause in text
    template.write_text(text.replace(clause, clause.replace("l'ensemble des", "toutes les")))
    from publish_support import _git

    project = tmp_path / "projet"
    shutil.copytree(root / "contracts", project / "contracts")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "contrat")
    env = {**os.environ, "PYTHONPATH": str(other.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "cpomdocs", "build", "contracts", "-f", "pdf", "-j", "1", "-q"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    certs = publish_project.certs
    report = publish(
        project / "build", project / "publication", certs.p12, certs.password,
        [project / "contracts"], project,
    )  # fmt: skip
    assert not report.problems
    checked = verify(project / "publication" / CONTRACT_PDF, [certs.ca_pem])
    [rendered] = [c for c in checked.checks if c.name == "nouveau rendu"]
    assert rendered.outcome is Outcome.SKIPPED
    assert rendered.message.startswith("produit par une autre version de cpomdocs (")
    assert "toutes les parties" in rendered.message
    assert rendered.message.endswith("refaites la vérification avec la version qui l'a produit")
    assert checked.failed == []


# The hostile audit's forgeries (issue 13, finding 3): each is caught, and said so.


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _rewrite(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _entry(manifest: dict, relative: str) -> dict:
    return next(e for e in manifest["documents"] if e["fichier"] == relative)


def _tampered(publish_project) -> str:
    subject = load_key(publish_project.certs.p12, publish_project.certs.password).subject
    return f"manifeste modifié après sa signature par {subject}"


def test_genuine_publication_has_a_signed_manifest_and_sealed_identities(
    publication, publish_project
):
    report = verify(publication.folder, [publish_project.certs.ca_pem], render=False)
    first = report.checks[0]
    assert (first.file, first.name, first.outcome) == (MANIFEST, "signature du manifeste", "OK")
    assert first.message.startswith("intègre, signée par CN=Signataire de test,")
    identity = next(c for c in report.checks if (c.file, c.name) == (CONTRACT_PDF, "identité"))
    assert identity.outcome is Outcome.OK
    assert identity.message == (
        f"scellée dans le PDF, conforme au manifeste : contrat {SIGNED_ID} (2)"
    )


def test_another_contracts_signed_pdf_with_its_hashes_copied_fails(
    publication_copy, publish_project
):
    """The audit's swap: another contract's genuine signed contrat.pdf, its sha256 copied."""
    from cpomdocs.publish.seal import sha256_bytes

    key = load_key(publish_project.certs.p12, publish_project.certs.password)
    unsigned = (publish_project.build / CONTRACT_PDF).read_bytes()
    manifest = _manifest(publication_copy)
    other = dict(_entry(manifest, CONTRACT_PDF), contrat="asba-beaujolais-2024")
    other["fichier"] = "asba-beaujolais-2024/contrat.pdf"
    foreign = sign_pdf(unsigned, key, "Publication", identity=identity_of(other))
    (publication_copy / CONTRACT_PDF).write_bytes(foreign)
    entry = _entry(manifest, CONTRACT_PDF)
    entry["sha256"] = sha256_bytes(foreign)
    entry["non_signe"] = other["non_signe"]
    _rewrite(publication_copy, manifest)
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert {(c.file, c.name, c.message) for c in report.failed} == {
        (MANIFEST, "signature du manifeste", _tampered(publish_project)),
        (CONTRACT_PDF, "identité", f"{IDENTITY_MISMATCH} (fichier, contrat)"),
    }


def test_a_pdf_moved_to_another_entry_fails_even_without_the_manifest_signature(
    publication_copy, publish_project
):
    """Swapped within the publication, manifest hashes copied and its signature deleted."""
    manifest = _manifest(publication_copy)
    annexes = f"{SIGNED_ID}/annexes.pdf"
    shutil.copy(publication_copy / annexes, publication_copy / CONTRACT_PDF)
    source, target = _entry(manifest, annexes), _entry(manifest, CONTRACT_PDF)
    target["sha256"], target["non_signe"] = source["sha256"], source["non_signe"]
    _rewrite(publication_copy, manifest)
    (publication_copy / MANIFEST_SIGNATURE).unlink()
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert {(c.file, c.name, c.message) for c in report.failed} == {
        (MANIFEST, "signature du manifeste", UNSIGNED_MANIFEST),
        (CONTRACT_PDF, "identité", f"{IDENTITY_MISMATCH} (fichier, type)"),
    }
    assert UNSIGNED_MANIFEST == (
        "manifest.json.p7s absent : le manifeste n'est pas signé, ses entrées ne prouvent rien"
    )


def test_a_withdrawn_document_fails(publication_copy, publish_project):
    """The audit's withdrawal: a PDF deleted together with its entry."""
    manifest = _manifest(publication_copy)
    manifest["documents"] = [e for e in manifest["documents"] if e["fichier"] != CONTRACT_PDF]
    (publication_copy / CONTRACT_PDF).unlink()
    _rewrite(publication_copy, manifest)
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert [(c.file, c.name, c.message) for c in report.failed] == [
        (MANIFEST, "signature du manifeste", _tampered(publish_project))
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [("commit", "0" * 40), ("type", "avenant"), ("version", "9"), ("contrat", "autre")],
)
def test_an_edited_entry_fails(publication_copy, publish_project, key, value):
    manifest = _manifest(publication_copy)
    _entry(manifest, CONTRACT_PDF)[key] = value
    _rewrite(publication_copy, manifest)
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert {(c.file, c.name, c.message) for c in report.failed} == {
        (MANIFEST, "signature du manifeste", _tampered(publish_project)),
        (CONTRACT_PDF, "identité", f"{IDENTITY_MISMATCH} ({key})"),
    }


@pytest.mark.parametrize("fichier", ["../../../../etc/passwd", "/etc/passwd", "a/../../x.pdf"])
def test_a_file_outside_the_publication_is_refused_unread(
    publication_copy, publish_project, fichier
):
    manifest = _manifest(publication_copy)
    manifest["documents"][0]["fichier"] = fichier
    _rewrite(publication_copy, manifest)
    args = [
        "verify",
        str(publication_copy),
        "--trust",
        str(publish_project.certs.ca_pem),
        "--sans-rendu",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"ÉCHEC       {fichier} — fichier : {OUTSIDE}\n" in result.output
    assert "root:" not in result.output
    assert OUTSIDE == (
        "chemin refusé : ce n'est pas un PDF du dossier de publication (fichier non lu)"
    )


def test_a_manifest_signed_by_an_untrusted_key_fails(publication_copy, publish_project):
    from cpomdocs.publish.seal import sign_manifest

    other = load_key(publish_project.other_ca.p12, publish_project.other_ca.password)
    data = (publication_copy / MANIFEST).read_bytes()
    (publication_copy / MANIFEST_SIGNATURE).write_bytes(sign_manifest(data, other.signer))
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    [failure] = [c for c in report.failed if c.file == MANIFEST]
    assert (
        failure.message == f"certificat de {other.subject} non reconnu par la racine de confiance"
    )


def test_a_lone_signed_pdf_says_what_it_is(publication, publish_project):
    report = verify(publication.folder / CONTRACT_PDF, [publish_project.certs.ca_pem], render=False)
    identity = next(c for c in report.checks if c.name == "identité")
    assert identity.outcome is Outcome.OK
    assert identity.message.startswith(f"{CONTRACT_PDF} : contrat {SIGNED_ID} (2), commit ")
