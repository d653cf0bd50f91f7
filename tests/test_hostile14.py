"""Hostile audit 14: an interrupted publication, oversized files given to verify, git names that
git quotes even unquoted, words wholly in a lookalike alphabet."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from gitrepo import git_as_tester
from publish_support import DRAFT_ID, SIGNED_ID

from cpomdocs.publish import publish as publishing
from cpomdocs.publish.publish import publish
from cpomdocs.publish.verify import verify

CONTRACT_PDF = f"{SIGNED_ID}/contrat.pdf"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _publish_again(project, folder: Path):
    return publish(
        project.build, folder, project.certs.p12, project.certs.password, [project.contracts],
        project.root,
    )  # fmt: skip


@pytest.mark.parametrize("when", ["signing", "manifest"])
def test_an_interrupted_publication_leaves_the_last_one_whole(
    publication_copy, publish_project, monkeypatch, when
):
    """Ctrl-C (or SIGTERM, which the CLI turns into the same unwinding) while the third PDF is
    signed, or while the manifest is signed: the folder stays the last publication, byte for
    byte, and still verifies; the next run publishes everything."""
    before = _files(publication_copy)
    calls = []
    name = "sign_pdf" if when == "signing" else "sign_manifest"
    real = getattr(publishing, name)

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == (3 if when == "signing" else 1):
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(publishing, name, interrupted)
    with pytest.raises(KeyboardInterrupt):
        _publish_again(publish_project, publication_copy)
    assert _files(publication_copy) == before
    assert verify(publication_copy, [publish_project.certs.ca_pem], render=False).failed == []
    monkeypatch.setattr(publishing, name, real)
    report = _publish_again(publish_project, publication_copy)
    assert not report.failed and len(report.published) == 6
    after = _files(publication_copy)
    assert sorted(after) == sorted(before)
    assert all(after[n] != before[n] for n in after if n.endswith(".pdf"))  # signed anew
    assert verify(publication_copy, [publish_project.certs.ca_pem], render=False).failed == []


def test_a_signal_during_the_final_renames_waits_for_them():
    """SIGTERM landing while the publication's files are moved into place is delivered after."""
    import signal

    from cpomdocs.write import signals_deferred

    def stop(number, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    done = []
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("renamed")
        assert done == ["renamed"]
        assert signal.getsignal(signal.SIGTERM) is stop
    finally:
        signal.signal(signal.SIGTERM, previous)


ODD_NAMES = ['2027-"bis".yaml', "2027-a\\b.yaml", "2027-\tx.yaml", "2027-\nx.yaml", "2027-x\n.yaml"]


@pytest.mark.parametrize("name", ODD_NAMES, ids=["quote", "backslash", "tab", "newline", "end"])
def test_a_file_name_git_still_quotes_has_its_commit_and_local_edits(tmp_path: Path, name) -> None:
    """Even with core.quotePath=false git writes « "comptes-rendus/2027-\\"bis\\".yaml" »:
    the file had no commit of its own (its document named the older commit of cpom.yaml) and
    its local edits went unseen. Read from git's -z output, names are taken as they are."""
    from cpomdocs.build.provenance import FolderHistory

    folder = tmp_path / "c"
    (folder / "comptes-rendus").mkdir(parents=True)
    (folder / "cpom.yaml").write_text("a: 1\n")
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "contrat", when="2027-01-05T10:00:00Z")
    report = folder / "comptes-rendus" / name
    report.write_text("b: 1\n")
    reads = ["cpom.yaml", f"comptes-rendus/{name}"]
    assert FolderHistory.read(folder).origin(reads).dirty  # never committed
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "compte-rendu", when="2027-06-17T10:00:00Z")
    origin = FolderHistory.read(folder).origin(reads)
    assert origin.commit == git_as_tester(tmp_path, "rev-parse", "HEAD")
    assert not origin.dirty
    report.write_text("b: 2\n")
    assert FolderHistory.read(folder).origin(reads).dirty


def test_a_contract_folder_git_quotes_has_its_commit(tmp_path: Path) -> None:
    """A contract folder « ehpad "les pins" » had no git state: its build used mtimes."""
    from cpomdocs.build.inputs import git_states

    folders = [tmp_path / 'ehpad "les pins"', tmp_path / "b"]
    for number, folder in enumerate(folders):
        folder.mkdir()
        (folder / "cpom.yaml").write_text("a: 1\n")
        git_as_tester(tmp_path, "init", "-q")
        git_as_tester(tmp_path, "add", ".")
        git_as_tester(tmp_path, "commit", "-q", "-m", str(number))
    states = git_states([tmp_path], folders)
    assert set(states) == set(folders)
    assert states[folders[0]] != states[folders[1]]


def test_a_glob_character_in_a_file_name_names_that_file_only(tmp_path: Path) -> None:
    """git reads « -- 2027-*.yaml » as a pattern: a committed file took the uncommitted edit of
    another, and its provenance lost its commit."""
    from cpomdocs.gitinfo import file_commit

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "2027-*.yaml").write_text("a: 1\n")
    (folder / "2027-b.yaml").write_text("b: 1\n")
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "1")
    (folder / "2027-b.yaml").write_text("b: 2\n")
    assert file_commit(folder / "2027-*.yaml") == git_as_tester(tmp_path, "rev-parse", "HEAD")


def test_an_avenant_git_quotes_is_read_from_a_revision(tmp_path: Path) -> None:
    """`diff REV:folder`: an avenant named « 01-"extension".yaml » was listed quoted by git, so
    it was left out of the revision: the diff showed the contract without its avenant."""
    from cpomdocs.versions.sources import read_revision

    source = Path(__file__).parent.parent / "contracts" / "asba-beaujolais-2024"
    folder = tmp_path / "c"
    (folder / "avenants").mkdir(parents=True)
    (folder / "cpom.yaml").write_bytes((source / "cpom.yaml").read_bytes())
    avenant = source / "avenants" / "01-extension-ehpad-les-vignes.yaml"
    (folder / "avenants" / '01-"extension".yaml').write_bytes(avenant.read_bytes())
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "1")
    version = read_revision("HEAD:c", tmp_path)
    assert [a.get("numero") for a in version.avenants] == [1]


def test_the_word_import_baseline_keeps_an_avenant_git_quotes(tmp_path: Path) -> None:
    """`import docx` rebuilds the document from its commit: an avenant git listed quoted
    (« "avenants/01-\\"x\\".yaml" », not ending in .yaml) was left out of that baseline."""
    from cpomdocs.wordback.baseline import export_folder

    folder = tmp_path / "c"
    (folder / "avenants").mkdir(parents=True)
    (folder / "cpom.yaml").write_text("a: 1\n")
    (folder / "avenants" / '01-"x"\t.yaml').write_text("b: 1\n")
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "1")
    target = tmp_path / "export"
    export_folder(folder, git_as_tester(tmp_path, "rev-parse", "HEAD"), target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.yaml")) == [
        'avenants/01-"x"\t.yaml',
        "cpom.yaml",
    ]


def _verify_limited(path: Path, trust: Path) -> subprocess.CompletedProcess:
    """`cpomdocs verify` in a process allowed 2 GB of address space, as a small CI runner."""
    import resource
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    args = [sys.executable, "-m", "cpomdocs", "verify", str(path), "--trust", str(trust)]
    return subprocess.run(
        [*args, "--sans-rendu"], capture_output=True, text=True, check=False, preexec_fn=limit
    )


@pytest.mark.parametrize("target", [CONTRACT_PDF, "manifest.json", "lone"])
def test_a_huge_file_is_refused_unread(publication_copy, publish_project, target):
    """A sparse 3 GB contrat.pdf (or manifest.json) in a publication: verify read it whole and
    ended in « erreur interne : MemoryError » (code 3); now that file fails, unread."""
    path = publication_copy / (CONTRACT_PDF if target == "lone" else target)
    with path.open("r+b") as handle:
        handle.truncate(3 * 2**30)
    done = _verify_limited(
        path if target == "lone" else publication_copy, publish_project.certs.ca_pem
    )
    assert "erreur interne" not in done.stderr + done.stdout
    assert done.returncode == 1
    limit = 64 if target == "manifest.json" else 256
    shown = path.as_posix() if target == "lone" else target
    size = f"3\u202f072 Mo, {limit} Mo au plus"
    message = f"fichier trop volumineux ({size}) : non lu, rien n'a été vérifié"
    assert f"ÉCHEC       {shown} — fichier : {message}" in done.stdout.splitlines()
    if target == CONTRACT_PDF:  # the other files are still checked
        assert f"OK          {SIGNED_ID}/annexes.pdf — signature : intègre" in done.stdout


EXAMPLES = Path(__file__).parent.parent / "contracts"
TWIN = (
    "mot « {word} » écrit tout entier en lettres de l'alphabet {script} qui ressemblent à des "
    "lettres latines ({names}) : il s'imprimerait comme le mot latin qu'il imite ; si c'est un "
    "mot ou un sigle français, retapez-le en lettres latines"
)


@pytest.mark.parametrize(
    ("written", "word", "script", "names"),
    [
        (
            "Agence régionale de santé (АРС) Bourgogne",
            "АРС",
            "cyrillique",
            "« А » U+0410 CYRILLIC CAPITAL LETTER A, « Р » U+0420 CYRILLIC CAPITAL LETTER ER, "
            "« С » U+0421 CYRILLIC CAPITAL LETTER ES",
        ),
        (
            "Agence régionale de santé ΚΑΙ Bourgogne",
            "ΚΑΙ",
            "grec",
            "« Κ » U+039A GREEK CAPITAL LETTER KAPPA, « Α » U+0391 GREEK CAPITAL LETTER ALPHA, "
            "« Ι » U+0399 GREEK CAPITAL LETTER IOTA",
        ),
    ],
    ids=["cyrillic", "greek"],
)
def test_a_word_wholly_in_lookalike_letters_is_a_warning(tmp_path, written, word, script, names):
    """« АРС » typed wholly in Cyrillic passed silently (only words mixing alphabets were
    caught) and printed as « ARS »: a warning names its letters; a name wholly in Greek or
    Cyrillic with letters of its own (« Νίκος », « Москва ») says nothing."""
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    folder = tmp_path / "fondation-val-d-ouche-2027"
    folder.mkdir()
    source = (EXAMPLES / folder.name / "cpom.yaml").read_text(encoding="utf-8")
    original = "nom: Agence régionale de santé Bourgogne-Franche-Comté"
    assert original in source
    text = source.replace(original, f"nom: {written}").replace(
        "nom: Martine Levasseur-Quignard", "nom: Νίκος Παπαδόπουλος Москва"
    )
    (folder / "cpom.yaml").write_text(text, encoding="utf-8")
    line = text[: text.index(written)].count("\n") + 1
    done = CliRunner().invoke(main, ["validate", str(folder)])
    expected = TWIN.format(word=word, script=script, names=names)
    found = [row for row in done.output.splitlines() if "tout entier" in row]
    assert found == [f"{folder}/cpom.yaml:{line}:{text.splitlines()[line - 1].index(':') + 3}: "
                     f"avertissement: autorites.ars.nom: {expected}"]  # fmt: skip
    assert done.exit_code == 0
    assert CliRunner().invoke(main, ["validate", "--strict", str(folder)]).exit_code == 1


def _signer_under_a_valid_root(folder: Path, start_days_ago: int, days: int) -> tuple[Path, Path]:
    """A root valid now, and a signer's PKCS#12 (password « pw ») valid from `start_days_ago`
    days ago for `days` days after today."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    from cpomdocs.publish.testcert import _key_usage, _name

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def certificate(subject, issuer, key, signer_key, start, end, ca):
        return (
            x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
            .add_extension(_key_usage(signer=not ca), critical=True)
            .sign(signer_key, hashes.SHA256())
        )  # fmt: skip

    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    year = dt.timedelta(days=365)
    root = certificate("AC", "AC", root_key, root_key, now - year, now + year, True)
    start = now - dt.timedelta(days=start_days_ago)
    signer = certificate(
        "Signataire", "AC", key, root_key, start, now + dt.timedelta(days=days), False
    )
    folder.mkdir()
    (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12 = pkcs12.serialize_key_and_certificates(
        b"s", key, signer, [root], serialization.BestAvailableEncryption(b"pw")
    )
    (folder / "s.p12").write_bytes(p12)
    return folder / "ca.pem", folder / "s.p12"


def test_a_certificate_not_yet_valid_is_named_so(tmp_path):
    """A signer's certificate valid only from the day after tomorrow: verify refused it but
    said « non reconnu par la racine de confiance », sending people after another root."""
    import datetime as dt

    from publish_support import make_pdf

    from cpomdocs.fmt import date_fr
    from cpomdocs.publish.signing import load_key, sign_pdf

    root, p12 = _signer_under_a_valid_root(tmp_path / "certs", start_days_ago=-2, days=30)
    key = load_key(p12, "pw")
    path = tmp_path / "contrat.pdf"
    path.write_bytes(sign_pdf(make_pdf("Contrat", "texte", {"donnees": {}}), key, "essai"))
    [failure] = verify(path, [root], render=False).failed
    day = date_fr(dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2))
    assert (failure.name, failure.message) == (
        "signature",
        f"certificat de {key.subject} pas encore valide à la date de la signature "
        f"(valide à partir du {day})",
    )


def test_a_publication_folder_linked_elsewhere_is_not_written_through(
    publication_copy, publish_project, tmp_path
):
    """The contract's folder in the publication a symbolic link to a folder elsewhere: publish
    wrote the signed PDFs out there. Now refused before any file moves, nothing out there."""
    from cpomdocs.errors import CpomError

    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    linked = publication_copy / SIGNED_ID
    for pdf in linked.rglob("*.pdf"):
        pdf.unlink()
    for folder in sorted(linked.rglob("*"), reverse=True):
        folder.rmdir()
    linked.rmdir()
    linked.symlink_to(elsewhere, target_is_directory=True)
    manifest = (publication_copy / "manifest.json").read_bytes()
    with pytest.raises(CpomError) as caught:
        _publish_again(publish_project, publication_copy)
    assert "sort du dossier de sortie" in str(caught.value)
    assert list(elsewhere.rglob("*")) == []
    assert (publication_copy / "manifest.json").read_bytes() == manifest
    assert not list(publication_copy.glob(".publication-en-cours-*"))


def test_an_interrupted_merge_never_calls_a_replaced_file_fresh(tmp_path, monkeypatch):
    """`merge` into a folder already built: Ctrl-C (or SIGTERM) after it replaced one PDF with
    the shard's left the folder's old cache calling that PDF fresh, so the next `build` kept the
    shard's file under the old data. Their entries now leave the cache before any file moves."""
    from cpomdocs import write
    from cpomdocs.build.cache import BuildCache
    from cpomdocs.build.page import merge_builds

    def built(folder: Path, text: str) -> None:
        cache = BuildCache(folder)
        outputs = []
        for name in ("contrat", "annexes"):
            path = folder / "x" / f"{name}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name} {text}")
            cache.record(f"x/{name}", text, [path], [])
            outputs.append(path)
        cache.record("x", text, outputs, [])
        cache.save()

    output, shard = tmp_path / "build", tmp_path / "part-1"
    built(output, "ancien")
    built(shard, "nouveau")
    real, copied = write.write_bytes_atomic, []

    def interrupted(target, data):
        if target.suffix == ".pdf":
            copied.append(target.name)
            if len(copied) == 2:
                raise KeyboardInterrupt
        return real(target, data)

    monkeypatch.setattr(write, "write_bytes_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        merge_builds([shard], output)
    cache = BuildCache(output)
    replaced = (output / "x" / "annexes.pdf").read_text()
    assert replaced == "annexes nouveau"
    assert not cache.is_fresh("x/annexes", "ancien") and not cache.is_fresh("x", "ancien")
    monkeypatch.setattr(write, "write_bytes_atomic", real)
    merge_builds([shard], output)
    assert BuildCache(output).is_fresh("x/annexes", "nouveau")
    assert (output / "x" / "contrat.pdf").read_text() == "contrat nouveau"


@pytest.mark.parametrize("planted", ["avenant-02.PDF", "lien"])
def test_a_pdf_planted_unlisted_in_the_publication_fails(
    publication_copy, publish_project, tmp_path, planted
):
    """A « .PDF » added beside the signed ones, or a symbolic link to a folder of PDFs: a web
    server serves them with the publication, and verify said « tout est conforme »."""
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "avenant-02.pdf").write_bytes((publication_copy / CONTRACT_PDF).read_bytes())
    target = publication_copy / SIGNED_ID / planted
    if planted == "lien":
        target.symlink_to(elsewhere, target_is_directory=True)
        message = (
            "lien symbolique : ce qu'il désigne n'est pas vérifié (une publication n'en a pas)"
        )
    else:
        target.write_bytes((publication_copy / CONTRACT_PDF).read_bytes())
        message = "PDF présent mais absent du manifeste"
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert [(c.file, c.message) for c in report.failed] == [(f"{SIGNED_ID}/{planted}", message)]


def _bomb(path: Path) -> None:
    """A PDF whose attached source inflates to 256 MB (250 KB on disk): over three times
    pypdf's cap (75 MB), and 12 times quicker to make than the 3 GB it was (18 s)."""
    import io
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("cpomdocs-source.json", b"{}")
    compressor, spaces = zlib.compressobj(9), b" " * 2**24
    bomb = b"".join([compressor.compress(spaces) for _ in range(16)] + [compressor.flush()])
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    stream = names[1].get_object()["/EF"]["/F"].get_object()
    stream._data = bomb
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(bomb))
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


def test_unreadable_parts_are_said_in_french(publication_copy, publish_project, tmp_path):
    """pypdf's « Limit reached while decompressing. 3057988 bytes remaining. » and json's
    « Expecting value: line 1 column 13 (char 12) » were printed as they are."""
    bomb = tmp_path / "bombe.pdf"
    _bomb(bomb)
    report = verify(bomb, [publish_project.certs.ca_pem], render=False)
    attached = [c.message for c in report.failed if c.name in ("source", "identité")]
    limit = "une pièce jointe dépasse, décompressée, la taille permise (bombe de compression ?)"
    assert attached == [f"pièces jointes illisibles : {limit}"] * 2
    (publication_copy / "manifest.json").write_text('{"documents": ', encoding="utf-8")
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    [manifest] = [c.message for c in report.failed if c.name == "manifeste"]
    assert manifest == "manifeste illisible : JSON invalide ligne 1, colonne 15"


def test_a_well_formed_update_after_the_signature_fails(publication_copy, publish_project):
    """Guard (held): an incremental update, well formed, that draws « FAUX » over the first
    page after the signature, is refused, not only raw bytes appended."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    path = publication_copy / CONTRACT_PDF
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 700 Td (FAUX) Tj ET")
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    report = verify(publication_copy, [publish_project.certs.ca_pem], render=False)
    assert {(c.file, c.name, c.message) for c in report.failed} == {
        (
            CONTRACT_PDF,
            "empreinte",
            next(c.message for c in report.failed if c.name == "empreinte"),
        ),
        (CONTRACT_PDF, "signature", "des octets ont été ajoutés après la signature"),
    }


def test_publish_never_signs_again_a_manifest_changed_since_its_signature(
    publication_copy, publish_project
):
    """Someone who can write to the publication (not sign) withdraws the annexes and their
    entry: verify fails. Then `publish` of another contract kept the entries of the unsigned,
    edited manifest and signed them anew: the withdrawal passed verify. Now refused."""
    from cpomdocs.errors import CpomError

    project = publish_project
    manifest_path = publication_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    withdrawn = f"{SIGNED_ID}/annexes.pdf"
    manifest["documents"] = [e for e in manifest["documents"] if e["fichier"] != withdrawn]
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    (publication_copy / withdrawn).unlink()
    assert verify(publication_copy, [project.certs.ca_pem], render=False).failed
    before = _files(publication_copy)
    with pytest.raises(CpomError) as caught:
        publish(
            project.build, publication_copy, project.certs.p12, project.certs.password,
            [project.contracts / DRAFT_ID], project.root,
        )  # fmt: skip
    assert str(caught.value) == (
        f"{manifest_path}: manifeste modifié depuis sa signature (manifest.json.p7s) : la "
        "publication a été changée hors de cpomdocs ; rien n'est publié, pour ne pas signer de "
        "nouveau ce qu'elle liste. Vérifiez-la (cpomdocs verify), puis restaurez-la ou videz ce "
        "dossier pour tout republier"
    )
    assert _files(publication_copy) == before


def test_armenian_and_lisu_lookalikes_are_caught_too():
    """« Օccitanie » with an Armenian Օ (U+0555) passed; « ꓮꓣꓢ » in Lisu letters too."""
    from cpomdocs.data.characters import bad_character, latin_twins

    index, why = bad_character("ARS Օccitanie")
    assert index == 4
    assert why.startswith(
        "mot « Օccitanie » mêlant les alphabets latin et arménien : « Օ » U+0555 ARMENIAN "
        "CAPITAL LETTER OH n'est pas une lettre latine"
    )
    [(index, why)] = latin_twins("l'ꓮꓣꓢ de Lyon")
    assert index == 2 and why.startswith(
        "mot « ꓮꓣꓢ » écrit tout entier en lettres de l'alphabet lisu"
    )
    assert bad_character("Երևան, Հայաստան") is None and latin_twins("Երևան, Հայաստան") == []


@pytest.mark.parametrize("order", ["other first", "root first"])
def test_a_chain_file_of_several_certificates_is_a_trust_root(
    publication, publish_project, tmp_path, order
):
    """A PEM file holding several certificates (a chain file: root and intermediates, the
    CPOMDOCS_TRUST_PEM secret) was refused as « certificat illisible (PEM ou DER attendu) »."""
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    root = publish_project.certs.ca_pem.read_bytes()
    other = publish_project.other_ca.ca_pem.read_bytes()
    bundle = tmp_path / "chaine.pem"
    bundle.write_bytes(other + root if order == "other first" else root + other)
    args = ["verify", str(publication.folder), "--trust", str(bundle), "--sans-rendu"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1].endswith("vérifications : tout est conforme")
