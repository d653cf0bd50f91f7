"""Hostile audit 15: trust roots out of their dates, a certificate issued by a signer's own
certificate, letters that only imitate Latin ones (full-width, mathematical, Roman numerals)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpomdocs.fmt import date_fr
from cpomdocs.publish.verify import verify

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


def _chain(folder: Path, root_from: dt.datetime, root_to: dt.datetime, by_signer: bool = False):
    """A root valid from `root_from` to `root_to`, and a signer's PKCS#12 (password « pw ») valid
    now; with `by_signer`, the signer's certificate is issued by another signer's certificate
    (CA:FALSE) that the root issued, as a forger holding a genuine signer's key would do."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cpomdocs.publish.testcert import _key_usage, _name

    def certificate(subject, issuer, key, issuer_key, start, end, ca):
        return (
            x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
            .add_extension(_key_usage(signer=not ca), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )  # fmt: skip

    root_key, middle_key, key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = certificate("AC", "AC", root_key, root_key, root_from, root_to, True)
    chain, issuer, issuer_key = [root], "AC", root_key
    if by_signer:
        month = (NOW - DAY, NOW + 30 * DAY)
        middle = certificate("Signataire", "AC", middle_key, root_key, *month, False)
        chain, issuer, issuer_key = [middle, root], "Signataire", middle_key
    signer = certificate("Directeur ARS", issuer, key, issuer_key, NOW - DAY, NOW + 30 * DAY, False)
    folder.mkdir()
    (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12 = pkcs12.serialize_key_and_certificates(
        b"s", key, signer, chain, serialization.BestAvailableEncryption(b"pw")
    )
    (folder / "s.p12").write_bytes(p12)
    return folder / "ca.pem", folder / "s.p12"


def _signed_pdf(tmp_path: Path, p12: Path):
    from publish_support import make_pdf

    from cpomdocs.publish.signing import load_key, sign_pdf

    key = load_key(p12, "pw")
    path = tmp_path / "contrat.pdf"
    path.write_bytes(sign_pdf(make_pdf("Contrat", "texte", {"donnees": {}}), key, "essai"))
    return path, key


ROOT = "CN=AC,O=cpomdocs - certificat de test sans valeur,C=FR"
EXPIRED = (
    f"rattaché à la racine de confiance {ROOT}, expirée depuis le {{}} : sans horodatage qui "
    "prouve que la signature lui est antérieure, elle ne se vérifie plus ; passez la racine qui "
    "lui succède, ou faites signer de nouveau la publication"
)
NOT_YET = (
    f"rattaché à la racine de confiance {ROOT}, pas encore valide (valide à partir du {{}}) : "
    "une racine pas encore en vigueur ne garantit rien ; vérifiez l'horloge de cette machine et "
    "le certificat passé à --trust"
)


@pytest.mark.parametrize(
    ("start", "end", "said", "day"),
    [
        (NOW - 400 * DAY, NOW - DAY, EXPIRED, NOW - DAY),
        (NOW + 2 * DAY, NOW + 400 * DAY, NOT_YET, NOW + 2 * DAY),
    ],
    ids=["expired", "not-yet-valid"],
)
def test_a_trust_root_out_of_its_dates_is_refused(tmp_path, start, end, said, day):
    """pyHanko does not check a trust root's dates: a signature under a root expired yesterday,
    or valid only from the day after tomorrow, passed « certificat de confiance »."""
    root, p12 = _chain(tmp_path / "certs", start, end)
    path, key = _signed_pdf(tmp_path, p12)
    [failure] = verify(path, [root], render=False).failed
    assert (failure.name, failure.message) == (
        "signature",
        f"certificat de {key.subject} {said.format(date_fr(day.date()))}",
    )


def test_a_manifest_signed_under_an_expired_root_is_refused(tmp_path):
    """The manifest's signature goes through the same check as the PDFs'."""
    from cpomdocs.publish.seal import sign_manifest
    from cpomdocs.publish.signing import load_key, load_trust_roots
    from cpomdocs.publish.verify import VerifyReport, check_manifest

    root, p12 = _chain(tmp_path / "certs", NOW - 400 * DAY, NOW - DAY)
    key = load_key(p12, "pw")
    manifest = b'{"documents": []}'
    (tmp_path / "manifest.json.p7s").write_bytes(sign_manifest(manifest, key.signer))
    report = VerifyReport()
    check_manifest(tmp_path, manifest, load_trust_roots(root), report)
    [failure] = report.failed
    assert failure.message == (
        f"certificat de {key.subject} {EXPIRED.format(date_fr((NOW - DAY).date()))}"
    )


def test_a_root_valid_now_still_verifies(tmp_path):
    """Guard: a root valid now (the usual case) keeps « certificat de confiance »."""
    root, p12 = _chain(tmp_path / "certs", NOW - DAY, NOW + 400 * DAY)
    path, _ = _signed_pdf(tmp_path, p12)
    report = verify(path, [root], render=False)
    assert report.failed == []
    assert report.checks[0].message.endswith("certificat de confiance")


def test_a_certificate_issued_by_a_signer_certificate_is_named_so(tmp_path):
    """A forger holding a genuine signer's key issues itself « CN=Directeur ARS »: refused, but
    said « non reconnu par la racine de confiance », as if another root were needed."""
    root, p12 = _chain(tmp_path / "certs", NOW - DAY, NOW + 400 * DAY, by_signer=True)
    path, key = _signed_pdf(tmp_path, p12)
    [failure] = verify(path, [root], render=False).failed
    issuer = "CN=Signataire,O=cpomdocs - certificat de test sans valeur,C=FR"
    assert failure.message == (
        f"certificat de {key.subject} émis par {issuer}, qui n'est pas une autorité de "
        "certification (son certificat dit CA:FALSE) : un certificat de signataire ne peut pas "
        "en émettre un autre"
    )
