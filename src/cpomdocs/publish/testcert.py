"""A throwaway test CA and signer certificate, for demos and tests: never for real contracts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cpomdocs.write import write_bytes_atomic

TEST_ORGANISATION = "cpomdocs - certificat de test sans valeur"


@dataclass(frozen=True)
class TestCertificates:
    """Where the test CA certificate and the signer's PKCS#12 were written."""

    ca_pem: Path
    p12: Path
    password: str


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(signer: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_test_certificates(
    folder: Path,
    password: str = "cpomdocs-test",
    signer_name: str = "Signataire de test",
    ca_name: str = "AC de test cpomdocs",
    days: int = 365,
    start_days_ago: int = 1,
) -> TestCertificates:
    """Write `ca.pem` (a self-signed CA) and `signer.p12` (key + certificate + CA) in `folder`.

    Both are valid from `start_days_ago` days ago until `days` days from now.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start, end = now - dt.timedelta(days=start_days_ago), now + dt.timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"cpomdocs-test",
        key,
        cert,
        [ca],
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    ca_path = write_bytes_atomic(folder / "ca.pem", ca.public_bytes(serialization.Encoding.PEM))
    p12_path = write_bytes_atomic(folder / "signer.p12", p12)
    p12_path.chmod(0o600)
    return TestCertificates(ca_path, p12_path, password)
