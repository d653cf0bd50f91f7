"""A real RFC 3161 time-stamping authority on localhost, for the time-stamp tests.

Its certificate (RSA, extended usage timeStamping) is issued by a CA made here; tokens are signed
by pyHanko's DummyTimeStamper (a real TSA signer: real CMS, real key), served over HTTP by
http.server in a thread, as a TSA answers: `application/timestamp-reply`.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TSA_NAME = "Autorité d'horodatage de test"


@dataclass(frozen=True)
class Tsa:
    """A running TSA: its URL, and the root certificate (PEM) that its certificate chains to."""

    url: str
    root_pem: Path
    subject: str


def _tsa_certificates(folder: Path, ca_name: str) -> tuple[object, object, Path]:
    """A CA (written as PEM) and a TSA certificate and key, as asn1crypto objects."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650)
    ca_key = rsa.generate_private_key(65537, 2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name(ca_name))
        .issuer_name(name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(65537, 2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(TSA_NAME))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    root_pem = folder / "tsa-ca.pem"
    root_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    der = serialization.Encoding.DER
    private = key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(cert.public_bytes(der)),
        keys.PrivateKeyInfo.load(private),
        root_pem,
    )


@contextmanager
def running_tsa(
    folder: Path,
    at: dt.datetime | None = None,
    garbage: bool = False,
    ca_name: str = "AC TSA",
    failure: str = "",
    good: int = 0,
) -> Iterator[Tsa]:
    """A TSA on localhost whose tokens say `at` (now if None); `garbage`: it answers junk.
    `failure`, after `good` right answers: « 500 », « 403 » (with an HTML body), « rejet »
    (a PKIStatus rejection, as a TSA refuses a request) or « muet » (accepts, never answers)."""
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import DummyTimeStamper

    cert, key, root_pem = _tsa_certificates(folder, ca_name)
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key, fixed_dt=at)
    answered, stop = [0], threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answered[0] += 1
            status, fails = 200, failure and answered[0] > good
            if fails and failure == "muet":
                stop.wait(30)
                return
            if fails and failure in ("500", "403"):
                status, answer = int(failure), b"<html>Acces refuse : quota atteint</html>"
            elif fails and failure == "rejet":
                answer = _rejection()
            elif garbage:
                answer = b"<html>Service indisponible</html>"
            else:
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(status)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
        yield Tsa(url, root_pem, f"CN={TSA_NAME},C=FR")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _rejection() -> bytes:
    """A TimeStampResp whose PKIStatus is « rejection » (policy refused), as a TSA answers."""
    from asn1crypto import tsp

    status = {"status": "rejection", "status_string": ["unaccepted policy"]}
    inner = tsp.PKIStatusInfo(status).dump()  # a refusal carries no token: SEQUENCE { status }
    return bytes([0x30, len(inner)]) + inner


def closed_port_url() -> str:
    """The URL of a port on localhost where nothing listens (a TSA that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"
