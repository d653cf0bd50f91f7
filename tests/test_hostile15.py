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
    "prouve que la signature lui est antérieure, elle ne se vérifie plus (publiez avec "
    "--horodatage URL pour que les signatures survivent à leur certificat) ; passez la racine qui "
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
    assert report.checks[0].message.endswith("certificat de confiance ; non horodatée")


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


EXAMPLES = Path(__file__).parent.parent / "contracts"
ARS_NAME = "nom: Agence régionale de santé Bourgogne-Franche-Comté"


def _validate_with_name(tmp_path: Path, name: str, *options: str):
    """`cpomdocs validate` on a copy of a draft example whose ARS is named `name`: the output's
    rows about that name, the line and column where it starts, and the exit code."""
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    folder = tmp_path / "fondation-val-d-ouche-2027"
    folder.mkdir()
    source = (EXAMPLES / folder.name / "cpom.yaml").read_text(encoding="utf-8")
    assert ARS_NAME in source
    text = source.replace(ARS_NAME, f"nom: {name}")
    (folder / "cpom.yaml").write_text(text, encoding="utf-8")
    line = text[: text.index(name)].count("\n") + 1
    column = text.splitlines()[line - 1].index(name) + 1
    done = CliRunner().invoke(main, ["validate", *options, str(folder)])
    rows = [r for r in done.output.splitlines() if "autorites.ars.nom" in r]
    return rows, f"{folder}/cpom.yaml:{line}:{column}", done.exit_code, done.output


@pytest.mark.parametrize(
    ("name", "first", "said"),
    [
        (
            "Agence régionale de santé Auvergne-Rhône-Alpeｓ",
            "ｓ",
            "mot « Alpeｓ » : « ｓ » U+FF53 FULLWIDTH LATIN SMALL LETTER S imite la lettre latine "
            "« s » sans en être (un nom imité lettre pour lettre ?) : retapez « Alpes » en lettres "
            "ordinaires",
        ),
        (
            "Agence régionale de santé Ⅿarseille",
            "Ⅿ",
            "mot « Ⅿarseille » : « Ⅿ » U+216F ROMAN NUMERAL ONE THOUSAND imite la lettre latine "
            "« M » sans en être (un nom imité lettre pour lettre ?) : retapez « Marseille » en "
            "lettres ordinaires",
        ),
        (
            "Agence régionale de santé ＡＲＳ",
            "Ａ",
            "mot « ＡＲＳ » écrit en signes qui imitent des lettres latines (« Ａ » U+FF21 "
            "FULLWIDTH LATIN CAPITAL LETTER A, « Ｒ » U+FF32 FULLWIDTH LATIN CAPITAL LETTER R, "
            "« Ｓ » U+FF33 FULLWIDTH LATIN CAPITAL LETTER S) : il ne s'imprimerait pas (les "
            "polices n'ont pas ces signes) ; retapez-le « ARS » en lettres ordinaires",
        ),
    ],
    ids=["fullwidth-mixed", "roman-numeral-mixed", "fullwidth-whole"],
)
def test_letters_that_only_imitate_latin_ones_are_refused(tmp_path, name, first, said):
    """« Alpeｓ » (full-width s) and « Ⅿarseille » (Roman numeral M) passed, or were refused
    as « carré vide » without naming the letter imitated; a drawable one printed the forged
    name like the real one."""
    rows, where, code, _ = _validate_with_name(tmp_path, name)
    file, line, column = where.rsplit(":", 2)
    at = int(column) + name.index(first)
    assert rows == [f"{file}:{line}:{at}: autorites.ars.nom: {said}"]
    assert code == 1


def test_a_word_wholly_in_mathematical_letters_is_a_warning(tmp_path):
    """« 𝐴𝑅𝑆 » in mathematical italic letters (drawn by the fonts) passed silently and printed
    as « ARS »: a warning, as for a word wholly in Cyrillic letters that look Latin."""
    name = "Agence régionale de santé 𝐴𝑅𝑆"
    rows, where, code, output = _validate_with_name(tmp_path, name)
    file, line, column = where.rsplit(":", 2)
    assert rows == [
        f"{file}:{line}:{int(column)}: avertissement: autorites.ars.nom: mot « 𝐴𝑅𝑆 » écrit en "
        "signes qui imitent des lettres latines (« 𝐴 » U+1D434 MATHEMATICAL ITALIC CAPITAL "
        "A, « 𝑅 » U+1D445 MATHEMATICAL ITALIC CAPITAL R, « 𝑆 » U+1D446 MATHEMATICAL ITALIC "
        "CAPITAL S) : il s'imprimerait comme « ARS » sans en être ; retapez-le « ARS » en "
        "lettres ordinaires"
    ], output
    assert code == 0
    (tmp_path / "strict").mkdir()
    assert _validate_with_name(tmp_path / "strict", name, "--strict")[2] == 1


@pytest.mark.parametrize(
    "text",
    ["1ᵉʳ janvier", "XXᵉ siècle", "nº 12", "n° 12", "№ 5", "ﬁnancement", "12 m²", "½ poste",
     "Titre Ⅲ", "5 ℓ", "Dr Νίκος Παπαδόπουλος"],
)  # fmt: skip
def test_french_typography_is_no_imitation(text):
    """Guard: superscripts, ordinals, ligatures, « № », a lone Roman numeral sign or « ℓ » are
    typography, not forged letters."""
    from cpomdocs.data.characters import bad_character, lookalike_words

    assert (bad_character(text), lookalike_words(text)) == (None, [])


@pytest.fixture(scope="module")
def returned_contract(tmp_path_factory):
    """A draft contract in git and its DOCX as built (the way back from Word starts there)."""
    from gitrepo import make_repo
    from test_wordback import build_docx

    root = tmp_path_factory.mktemp("retour")
    repo = make_repo(root / "repo")
    return repo, build_docx(repo, root / "build")["contrat"]


@pytest.mark.parametrize(
    "typed",
    [".inf", "-.Inf", "<<", "ab\u2028cd", "Null"],
    ids=["inf", "minus-inf", "merge", "u2028", "null"],
)
def test_a_text_typed_in_word_is_written_back_as_that_text(tmp_path, returned_contract, typed):
    """A list item typed « .inf » in Word was written plain into cpom.yaml, read back as a
    number: refused with « nombre « .inf » hors limites »; « ab\\u2028cd » (a line separator
    pasted in) broke the file: « syntaxe YAML invalide : deux-points manquant (could not find
    expected ':') » at a line of a file the user never wrote."""
    import shutil

    from gitrepo import CONTRACT
    from wordback_support import DocxEditor

    from cpomdocs.data.load import load_document
    from cpomdocs.wordback.importer import import_docx, write_result

    repo, built = returned_contract
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    editor = DocxEditor(built, tracked=False)
    editor.add_paragraph_after("EPRD et ERRD de chaque exercice", typed)
    returned = tmp_path / "retour.docx"
    returned.write_bytes(editor.save())
    folder = copy / Path(CONTRACT).parent
    write_result(import_docx(returned, folder))
    documents = load_document(folder / "cpom.yaml").data["suivi"]["documents"]
    assert documents[documents.index("EPRD et ERRD de chaque exercice") + 1] == typed


@pytest.mark.parametrize("name", ["cpom.yml", "cpom.json"])
def test_new_never_hides_a_contract_written_as_yml_or_json(tmp_path, monkeypatch, name):
    """`new contracts/y --base ehpad` where the contract is `cpom.yml` (or `cpom.json`, both read
    as the contract): a blank `cpom.yaml` was written beside it, code 0, and read in its place;
    the real contract became « fichier ignoré » (a warning) and its builds the blank draft's."""
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    monkeypatch.chdir(tmp_path)
    folder = Path("contracts/y")
    folder.mkdir(parents=True)
    source = EXAMPLES / "chrs-estuaire-2026" / "cpom.yaml"
    (folder / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    done = CliRunner().invoke(main, ["new", str(folder), "--base", "ehpad"])
    assert (done.exit_code, done.output.strip()) == (
        2,
        f"contracts/y/{name} existe déjà : ce dossier contient déjà un contrat, qu'un nouveau "
        "cpom.yaml masquerait (il serait lu à sa place) ; cpomdocs new n'écrase ni ne masque "
        "jamais un contrat : choisissez un autre dossier",
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    if name == "cpom.yml":  # its avenant is drafted from it (was « pas de cpom.yaml ici »)
        done = CliRunner().invoke(main, ["new", "avenant", str(folder)])
        assert done.exit_code == 0, done.output
        assert (folder / "avenants" / "01-projet.yaml").is_file()


def test_an_interrupted_import_of_realisations_never_leaves_a_broken_draft(tmp_path, monkeypatch):
    """`import realisations` wrote the rewritten draft, then reloaded it to check that only
    `realisations` changed, and put the old text back when not: a Ctrl-C (or SIGTERM) landing
    during that check left the draft broken on disk (here: a key written « ? realisations » in
    YAML's explicit form, which the rewrite does not read; hostile16 made it read the quoted
    « "realisations": » this test first used)."""
    import shutil

    import openpyxl
    from click.testing import CliRunner

    from cpomdocs.cli.main import main
    from cpomdocs.spreadsheet import import_ as importing
    from cpomdocs.spreadsheet.export import export

    fixture = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
    shutil.copytree(fixture, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    draft = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml")
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("\nrealisations:", "\n? realisations\n:"),
        encoding="utf-8",
    )
    before = draft.read_bytes()
    export([Path("contracts/ehpad-suivi")], Path("build"))
    book = openpyxl.load_workbook("build/ehpad-suivi/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    for row in range(2, sheet.max_row + 1):
        if sheet[f"H{row}"].value == 2026:
            sheet[f"J{row}"] = 42
    book.save("rempli.xlsx")
    args = ["import", "realisations", "rempli.xlsx", "contracts/ehpad-suivi"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1 and "fichier laissé tel quel" in done.output, done.output
    assert draft.read_bytes() == before

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while the rewritten text is checked

    for name in ("load_document", "load_text"):
        monkeypatch.setattr(importing, name, interrupted, raising=False)
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 130, done.output
    assert draft.read_bytes() == before


@pytest.mark.parametrize("which", ["signer expired", "root expired"])
def test_publish_refuses_a_key_whose_signatures_would_not_verify(publish_project, tmp_path, which):
    """`publish` with a PKCS#12 whose certificate (or the root of its chain) expired yesterday
    signed every PDF and the manifest, code 0: a whole publication that `verify` refuses."""
    from cpomdocs.publish.publish import publish
    from cpomdocs.publish.signing import SigningError
    from cpomdocs.publish.testcert import make_test_certificates

    if which == "signer expired":
        made = make_test_certificates(tmp_path / "certs", days=-1, start_days_ago=30)
        p12, password = made.p12, made.password
        said = (
            "certificat de signature CN=Signataire de test,O=cpomdocs - certificat de test sans "
            f"valeur,C=FR expiré depuis le {date_fr((NOW - DAY).date())}"
        )
    else:
        _, p12 = _chain(tmp_path / "certs", NOW - 400 * DAY, NOW - DAY)
        password = "pw"
        said = f"certificat de sa chaîne {ROOT} expiré depuis le {date_fr((NOW - DAY).date())}"
    out = tmp_path / "publication"
    with pytest.raises(SigningError) as refused:
        publish(
            publish_project.build, out, p12, password, [publish_project.contracts],
            publish_project.root,
        )  # fmt: skip
    assert str(refused.value) == (
        f"{p12}: {said} : une signature faite avec lui ne se vérifierait pas ; rien n'est publié "
        "(renouvelez le certificat)"
    )
    assert not out.exists() or not any(out.iterdir())


def _usage(**chosen):
    from cryptography import x509

    names = (
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
        "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
    )  # fmt: skip
    return x509.KeyUsage(**{name: chosen.get(name, False) for name in names})


def _signed_by_odd_certificate(folder: Path, usage, purposes=None, root_signs=False):
    """A PDF signed under a root valid now by a certificate with this key usage (None: no such
    extension) and these extended usages, or by the root's own key; the root's PEM and key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cpomdocs.publish.testcert import _name

    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder().subject_name(_name("AC")).issuer_name(_name("AC"))
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY).not_valid_after(NOW + 99 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(_usage(digital_signature=True, key_cert_sign=True, crl_sign=True), True)
        .sign(root_key, hashes.SHA256())
    )  # fmt: skip
    built = (
        x509.CertificateBuilder().subject_name(_name("Signataire")).issuer_name(_name("AC"))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY).not_valid_after(NOW + 30 * DAY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    )  # fmt: skip
    if usage is not None:
        built = built.add_extension(usage, True)
    if purposes:
        built = built.add_extension(x509.ExtendedKeyUsage(purposes), False)
    cert, chain = built.sign(root_key, hashes.SHA256()), [root]
    if root_signs:
        key, cert, chain = root_key, root, []
    folder.mkdir()
    (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12 = pkcs12.serialize_key_and_certificates(
        b"s", key, cert, chain, serialization.BestAvailableEncryption(b"pw")
    )
    (folder / "s.p12").write_bytes(p12)
    path, signing = _signed_pdf(folder, folder / "s.p12")
    return path, folder / "ca.pem", signing


SIGNER = "CN=Signataire,O=cpomdocs - certificat de test sans valeur,C=FR"


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("digital signature only", "refusé : son usage de clé ne comprend pas la non-répudiation "
         "(contentCommitment), qu'exige la signature d'un document"),
        ("no key usage", "refusé : il ne déclare aucun usage de clé (keyUsage), donc pas la "
         "non-répudiation (contentCommitment) qu'exige la signature d'un document"),
        ("web server", "refusé : c'est un certificat de serveur web (usage étendu serverAuth), "
         "qui ne signe pas de documents"),
        ("the root's own key", "refusé : c'est un certificat d'autorité de certification "
         "(CA:TRUE, keyCertSign), dont la clé émet des certificats et ne signe pas de documents"),
    ],
)  # fmt: skip
def test_a_certificate_that_does_not_sign_documents_is_named_so(tmp_path, case, said):
    """A signer's certificate without non-repudiation was refused as « refusé
    (CHAIN_CONSTRAINTS_FAILURE) »; a web server's certificate (serverAuth) under the trusted
    root, or the root's own key signing the contract, passed « certificat de confiance »."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from cpomdocs.publish.publish import publish
    from cpomdocs.publish.signing import SigningError

    signer_usage = _usage(digital_signature=True, content_commitment=True)
    made = {
        "digital signature only": lambda f: _signed_by_odd_certificate(
            f, _usage(digital_signature=True)
        ),
        "no key usage": lambda f: _signed_by_odd_certificate(f, None),
        "web server": lambda f: _signed_by_odd_certificate(
            f, signer_usage, [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        ),
        "the root's own key": lambda f: _signed_by_odd_certificate(f, None, root_signs=True),
    }[case]
    path, root, key = made(tmp_path / "certs")
    [failure] = verify(path, [root], render=False).failed
    assert failure.message == f"certificat de {key.subject} {said}"
    with pytest.raises(SigningError) as refused:  # publish says so before signing anything
        publish(tmp_path / "build", tmp_path / "publication", tmp_path / "certs" / "s.p12", "pw")
    assert str(refused.value) == (
        f"{tmp_path / 'certs' / 's.p12'}: certificat de signature {key.subject} {said} : ses "
        "signatures ne se vérifieraient pas ; rien n'est publié"
    )
    assert not (tmp_path / "publication").exists()


def test_a_document_signing_certificate_with_extended_usages_still_verifies(tmp_path):
    """Guard: serverAuth beside a document-signing purpose (emailProtection) is accepted."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    usage = _usage(digital_signature=True, content_commitment=True)
    purposes = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
    path, root, _ = _signed_by_odd_certificate(tmp_path / "certs", usage, purposes)
    assert verify(path, [root], render=False).failed == []


@pytest.mark.parametrize("order", ["old first", "renewed first"])
def test_a_root_renewed_with_the_same_key_verifies_whatever_the_order(tmp_path, order):
    """Guard of the root's dates: a chain file holding a root and its renewal (same name, same
    key, new dates), the expired one first, made pyHanko pick the expired one: « expirée »."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cpomdocs.publish.testcert import _key_usage, _name

    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def certificate(subject, public, start, end, ca):
        return (
            x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name("AC"))
            .public_key(public).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
            .add_extension(_key_usage(signer=not ca), True).sign(root_key, hashes.SHA256())
        )  # fmt: skip

    old = certificate("AC", root_key.public_key(), NOW - 400 * DAY, NOW - DAY, True)
    renewed = certificate("AC", root_key.public_key(), NOW - DAY, NOW + 400 * DAY, True)
    signer = certificate("Signataire", key.public_key(), NOW - DAY, NOW + 30 * DAY, False)
    folder = tmp_path / "certs"
    folder.mkdir()
    p12 = pkcs12.serialize_key_and_certificates(
        b"s", key, signer, [old], serialization.BestAvailableEncryption(b"pw")
    )
    (folder / "s.p12").write_bytes(p12)
    roots = [old, renewed] if order == "old first" else [renewed, old]
    bundle = folder / "chaine.pem"
    bundle.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in roots))
    path, _ = _signed_pdf(folder, folder / "s.p12")
    assert verify(path, [bundle], render=False).failed == []


def test_the_import_report_shows_what_the_counter_party_typed_as_text(
    tmp_path, returned_contract, monkeypatch
):
    """The import report (Markdown, read on GitHub or in an editor's preview) printed the
    counter-party's words as Markdown: a link « Valider ici », an image (a tracking pixel),
    HTML, all live in the report; its author name too."""
    import shutil

    import wordback_support
    from gitrepo import CONTRACT
    from markdown_it import MarkdownIt
    from wordback_support import DocxEditor

    from cpomdocs.wordback.importer import import_docx
    from cpomdocs.wordback.report import render_report

    hostile = "[Valider ici](https://phishing.example) ![](https://t.example/p.png) <b>x</b>"
    monkeypatch.setattr(wordback_support, "AUTHOR", "<img src=https://t.example/a.png>")
    repo, built = returned_contract
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    editor = DocxEditor(built, tracked=True)
    editor.replace("territorialement compétent", hostile)
    editor.replace("78", "[80](https://phishing.example)", row="Hébergement permanent", cell=2)
    returned = tmp_path / "retour.docx"
    returned.write_bytes(editor.save())
    report = render_report(import_docx(returned, copy / Path(CONTRACT).parent))
    assert "Valider ici" in report and "phishing.example" in report and "t.example/a.png" in report
    tokens = MarkdownIt("commonmark").enable("table").parse(report)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert kinds.isdisjoint({"link_open", "image", "html_inline", "html_block"}), report


def test_a_lone_self_signed_certificate_as_openssl_makes_it_still_signs(tmp_path):
    """Guard: `openssl req -x509` writes CA:TRUE and no key usage; such a certificate, passed as
    its own trust root, verified before and still does, and publish accepts its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cpomdocs.publish.signing import load_key
    from cpomdocs.publish.testcert import _name
    from cpomdocs.publish.trust import check_signing_key

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("OG")).issuer_name(_name("OG"))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY).not_valid_after(NOW + 99 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "og.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "s.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"s", key, cert, [], serialization.BestAvailableEncryption(b"pw")
    ))  # fmt: skip
    path, _ = _signed_pdf(folder, p12)
    assert verify(path, [folder / "og.pem"], render=False).failed == []
    check_signing_key(load_key(p12, "pw"), p12)
