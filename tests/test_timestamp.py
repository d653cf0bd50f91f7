"""Time-stamped signatures (PAdES B-T): a real TSA on localhost, real certificates, real PDFs."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from publish_support import make_pdf
from tsa_support import TSA_NAME, closed_port_url, running_tsa

from cpomdocs.cli.main import main
from cpomdocs.fmt import date_fr
from cpomdocs.publish.signing import P12_ENV, PASSWORD_ENV, load_key, sign_pdf
from cpomdocs.publish.testcert import make_test_certificates
from cpomdocs.publish.timestamp import timestamper
from cpomdocs.publish.verify import verify

TSA = f"CN={TSA_NAME},C=FR"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def expired(tmp_path_factory):
    """A root and a signer valid from 400 days ago until 2 days ago (both expired now)."""
    return make_test_certificates(tmp_path_factory.mktemp("expire"), days=-2, start_days_ago=400)


def _signed(certs, url, tmp_path, name="contrat.pdf"):
    """A real PDF/A signed with `certs`' key, time-stamped by the TSA at `url` if any."""
    key = load_key(certs.p12, certs.password)
    pdf = make_pdf("Contrat", "texte", {"donnees": {}})
    path = tmp_path / name
    path.write_bytes(sign_pdf(pdf, key, "essai", timestamper=timestamper(url) if url else None))
    return path, key


def _signature(report):
    return next(c for c in report.checks if c.name == "signature")


def test_expired_signer_with_a_time_stamp_made_while_valid_still_verifies(expired, tmp_path):
    stamped_at = NOW - dt.timedelta(days=30)
    with running_tsa(tmp_path / "tsa", at=stamped_at) as tsa:
        path, key = _signed(expired, tsa.url, tmp_path)
    report = verify(path, [expired.ca_pem, tsa.root_pem], render=False)
    assert report.failed == []
    day = date_fr(stamped_at)
    ended = date_fr(NOW - dt.timedelta(days=2))
    assert _signature(report).message == (
        f"intègre, signée par {key.subject}, certificat de confiance ; signée le {day} à "
        f"{stamped_at:%H} h {stamped_at:%M} UTC (horodatage de {TSA}) ; certificat expiré depuis "
        f"le {ended}, valide à cette date"
    )


def test_expired_signer_without_a_time_stamp_fails_and_says_how_to_avoid_it(expired, tmp_path):
    path, key = _signed(expired, None, tmp_path)
    [failure] = verify(path, [expired.ca_pem], render=False).failed
    assert failure.message.startswith(f"certificat de {key.subject} expiré depuis le ")
    assert "sans horodatage" in failure.message
    assert "publiez avec --horodatage URL" in failure.message


def test_a_time_stamp_made_after_the_certificate_expired_proves_nothing(expired, tmp_path):
    with running_tsa(tmp_path / "tsa", at=NOW - dt.timedelta(days=1)) as tsa:
        path, key = _signed(expired, tsa.url, tmp_path)
    [failure] = verify(path, [expired.ca_pem, tsa.root_pem], render=False).failed
    assert failure.message.startswith(
        f"certificat de {key.subject} pas valide à la date de l'horodatage (valide du "
    )


def test_a_time_stamp_from_an_untrusted_authority_fails(publish_project, expired, tmp_path):
    with running_tsa(tmp_path / "tsa", at=NOW - dt.timedelta(days=30)) as tsa:
        path, _ = _signed(expired, tsa.url, tmp_path)
        valid_now, _ = _signed(publish_project.certs, tsa.url, tmp_path, "valide.pdf")
    expected = (
        f"horodatage refusé : certificat de l'autorité d'horodatage {TSA} non reconnu par la "
        "racine de confiance"
    )
    [failure] = verify(path, [expired.ca_pem], render=False).failed
    assert failure.message == expected
    # a certificate still valid does not excuse a time-stamp that cannot be trusted
    [failure] = verify(valid_now, [publish_project.certs.ca_pem], render=False).failed
    assert failure.message == expected


def test_a_token_whose_signature_was_altered_fails(expired, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    with running_tsa(tmp_path / "tsa", at=NOW - dt.timedelta(days=30)) as tsa:
        path, _ = _signed(expired, tsa.url, tmp_path)
    data = path.read_bytes()
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    [token] = extract_tst_data_iter(signature.signer_info, signed=False)
    value = token["signer_infos"][0]["signature"].native.hex()
    place = data.lower().index(value.encode())  # /Contents is written in hexadecimal
    flipped = b"0" if data[place + 40 : place + 41] != b"0" else b"1"
    path.write_bytes(data[: place + 40] + flipped + data[place + 41 :])
    [failure] = verify(path, [expired.ca_pem, tsa.root_pem], render=False).failed
    assert failure.message == (
        "horodatage refusé : la signature du jeton d'horodatage est invalide (jeton altéré ou "
        "contrefait)"
    )


def test_a_token_for_another_message_fails(expired, tmp_path):
    """The token's message imprint changed (a token made for another signature)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    with running_tsa(tmp_path / "tsa", at=NOW - dt.timedelta(days=30)) as tsa:
        path, _ = _signed(expired, tsa.url, tmp_path)
    data = path.read_bytes()
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    [token] = extract_tst_data_iter(signature.signer_info, signed=False)
    info = token["encap_content_info"]["content"].parsed
    imprint = info["message_imprint"]["hashed_message"].native.hex()
    place = data.lower().index(imprint.encode())
    flipped = b"0" if data[place : place + 1] != b"0" else b"1"
    path.write_bytes(data[:place] + flipped + data[place + 1 :])
    [failure] = verify(path, [expired.ca_pem, tsa.root_pem], render=False).failed
    assert failure.message == (
        "horodatage refusé : jeton d'horodatage étranger à cette signature ou modifié (son "
        "empreinte ne correspond pas à la signature)"
    )


def _publish_args(project, out):
    return [
        "publish", str(project.contracts), "--build-dir", str(project.build), "-o", str(out),
    ]  # fmt: skip


def test_cli_publish_with_horodatage_then_verify(publish_project, tmp_path, monkeypatch):
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    out = tmp_path / "pub"
    with running_tsa(tmp_path / "tsa") as tsa:
        args = [*_publish_args(publish_project, out), "--horodatage", tsa.url]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    trust = ["--trust", str(publish_project.certs.ca_pem), "--trust", str(tsa.root_pem)]
    result = CliRunner().invoke(main, ["verify", str(out), *trust, "--sans-rendu"])
    assert result.exit_code == 0, result.output
    signatures = [line for line in result.output.splitlines() if " — signature" in line]
    assert len(signatures) == 7  # six PDFs and the manifest
    assert all(f"(horodatage de {TSA})" in line for line in signatures), signatures


@pytest.mark.parametrize(
    ("kind", "why"),
    [
        ("down", "est injoignable (connexion refusée ou adresse inconnue)"),
        ("garbage", "a répondu par une réponse illisible (ce n'est pas une réponse RFC 3161)"),
    ],
)
def test_publish_with_a_tsa_down_or_answering_garbage_writes_nothing(
    publish_project, tmp_path, monkeypatch, kind, why
):
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    out = tmp_path / "pub"
    with running_tsa(tmp_path / "tsa", garbage=True) as tsa:
        url = closed_port_url() if kind == "down" else tsa.url
        result = CliRunner().invoke(
            main, [*_publish_args(publish_project, out), "--horodatage", url]
        )
    assert result.exit_code == 1, result.output
    assert f"horodatage : l'autorité {url} {why} ; rien n'est publié" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_bad_horodatage_url_is_refused(publish_project, tmp_path, monkeypatch):
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    out = tmp_path / "pub"
    args = [*_publish_args(publish_project, out), "--horodatage", "timestamp.example"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "adresse d'autorité d'horodatage invalide" in result.output
    assert not out.exists()


def test_manifest_signature_is_time_stamped(publish_project, tmp_path):
    from cpomdocs.publish.publish import publish

    out = tmp_path / "pub"
    with running_tsa(tmp_path / "tsa") as tsa:
        publish(
            publish_project.build, out, publish_project.certs.p12, publish_project.certs.password,
            [publish_project.contracts], publish_project.root, tsa=tsa.url,
        )  # fmt: skip
    report = verify(out, [publish_project.certs.ca_pem, tsa.root_pem], render=False)
    [manifest] = [c for c in report.checks if c.name == "signature du manifeste"]
    assert f"(horodatage de {TSA})" in manifest.message
    assert json.loads((out / "manifest.json").read_text("utf-8"))["documents"]


def test_publishing_again_over_a_time_stamped_publication_prints_no_traceback(
    publish_project, tmp_path
):
    """publish checks the previous manifest with the key's chain only: pyHanko, unable to place
    the time-stamping authority's certificate, printed its traceback (a fresh process: the
    logging of one test process is shared)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, P12_ENV: str(publish_project.certs.p12)}
    env[PASSWORD_ENV] = publish_project.certs.password
    out = tmp_path / "pub"
    args = [sys.executable, "-m", "cpomdocs", *_publish_args(publish_project, out)]
    with running_tsa(tmp_path / "tsa") as tsa:
        first = subprocess.run([*args, "--horodatage", tsa.url], env=env, cwd=publish_project.root,
                               capture_output=True, text=True)  # fmt: skip
        again = subprocess.run(args, env=env, cwd=publish_project.root, capture_output=True,
                               text=True)  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
