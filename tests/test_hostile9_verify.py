"""Hostile audit 9, `verify`: a forged signature by a self-made CA, files that are not PDFs and
a manifest whose entries are not objects are refused in French, never « erreur interne »."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from publish_support import SIGNED_ID

from cpomdocs.cli.main import main
from cpomdocs.publish.publish import MANIFEST
from cpomdocs.publish.signing import load_key
from cpomdocs.publish.testcert import make_test_certificates
from cpomdocs.publish.verify import BAD_ENTRY, NOT_PDF, verify

CONTRACT_PDF = f"{SIGNED_ID}/contrat.pdf"


def _sign_again(pdf: bytes, p12, password: str) -> bytes:
    """A second signature, in an incremental update, by the holder of another PKCS#12."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password.encode())
    meta = signers.PdfSignatureMetadata(field_name="Intrus", md_algorithm="sha256")
    out = io.BytesIO()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    return out.getvalue()


def _verify_cli(path, trust) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["verify", str(path), "--trust", str(trust), "--sans-rendu"])
    assert "Traceback" not in done.output and "erreur interne" not in done.output
    return done.exit_code, done.output


def _verify_process(path, trust) -> tuple[int, str]:
    """A real process: pytest's log capture would hide what a library logs to stderr."""
    args = [sys.executable, "-m", "cpomdocs", "verify", str(path), "--trust", str(trust)]
    done = subprocess.run([*args, "--sans-rendu"], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def test_a_second_signature_by_a_self_made_ca_is_not_trusted(
    publication, publish_project, tmp_path
):
    # the intruder's PKCS#12 carries its own root: pyHanko then says CHAIN_GENERAL_FAILURE,
    # which the report used to print as « refusé (CERTIFICATE_CHAIN_GENERAL_FAILURE) »
    other = make_test_certificates(tmp_path / "intrus", signer_name="Intrus")
    path = tmp_path / "contresigne.pdf"
    genuine = (publication.folder / CONTRACT_PDF).read_bytes()
    path.write_bytes(_sign_again(genuine, other.p12, other.password))
    report = verify(path, [publish_project.certs.ca_pem], render=False)
    intruder = load_key(other.p12, other.password).subject
    assert ("signature 2", f"certificat de {intruder} non reconnu par la racine de confiance") in {
        (c.name, c.message) for c in report.failed
    }


@pytest.mark.parametrize("content", [b"", b"hello world", b"\x89PNG\r\n\x1a\n" + b"\0" * 64])
def test_a_file_that_is_not_a_pdf_is_refused_in_french(publish_project, tmp_path, content):
    path = tmp_path / "faux.pdf"
    path.write_bytes(content)
    code, output = _verify_cli(path, publish_project.certs.ca_pem)
    assert (code, output) == (
        1,
        f"ÉCHEC       {path.as_posix()} — fichier : {NOT_PDF}\n1 vérification en échec\n",
    )


def test_a_damaged_pdf_is_reported_without_english_noise(publication, publish_project, tmp_path):
    # junk before the header: offsets are wrong, pypdf repairs it and used to log in English
    path = tmp_path / "decale.pdf"
    path.write_bytes(b"%PDF-1.7\n%junk\n" + (publication.folder / CONTRACT_PDF).read_bytes())
    code, output = _verify_process(path, publish_project.certs.ca_pem)
    assert code == 1
    assert "incorrect startxref" not in output and "parsing for Object Streams" not in output
    assert f"ÉCHEC       {path.as_posix()} — signature : PDF illisible" in output


def test_manifest_entries_that_are_not_objects(publication_copy, publish_project):
    manifest = json.loads((publication_copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["documents"][0]["non_signe"] = "0" * 64
    manifest["documents"] += [1, "x"]
    (publication_copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    code, output = _verify_cli(publication_copy, publish_project.certs.ca_pem)
    assert code == 1
    count = len(manifest["documents"])
    for number in (count - 1, count):
        assert f"ÉCHEC       {MANIFEST} — entrée n° {number} : {BAD_ENTRY}\n" in output
    first = manifest["documents"][0]["fichier"]
    assert f"ÉCHEC       {first} — version non signée : entrée « non_signe » illisible\n" in output
