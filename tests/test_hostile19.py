"""Session 18 hostile audit: each test here failed before its fix (see the session note)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_support import make_pdf

from cpomdocs.build.provenance import PROVENANCE_FORMAT
from cpomdocs.cli.main import main
from cpomdocs.publish import testcert

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "ehpad-minimal"


def run(*args: str, env: dict[str, str] | None = None):
    done = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in done.output and "erreur interne" not in done.output, done.output
    assert done.exit_code != 3, done.output
    return done


def git_repository(root: Path, with_folder: bool = False) -> Path:
    """A git repository holding contracts/c: the minimal signed contract (its folder, with
    `with_folder`, else its cpom.yaml alone)."""
    folder = root / "contracts" / "c"
    if with_folder:
        shutil.copytree(MINIMAL, folder)
    else:
        folder.mkdir(parents=True)
        shutil.copy(MINIMAL / "cpom.yaml", folder)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "a"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    return folder


# --- publish: a PDF copied over another one ------------------------------------------------------


def built_pdf(folder: Path, document: str) -> bytes:
    """A real PDF/A-3b whose attached source says it is `document` of contract c, made from
    cpom.yaml as it is now (what « cpomdocs build » attaches, with its format)."""
    files = {"cpom.yaml": (folder / "cpom.yaml").read_text("utf-8")}
    source = {"format": PROVENANCE_FORMAT, "contrat": "c", "document": document, "fichiers": files}
    return make_pdf(document, f"Texte du document {document}", source)


@pytest.fixture
def swapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> testcert.TestCertificates:
    """A project whose build/c/annexes.pdf is a copy of the contract's PDF (same sources)."""
    folder = git_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    contract = built_pdf(folder, "contrat")
    for name in ("contrat", "annexes"):
        (tmp_path / "build" / "c").mkdir(parents=True, exist_ok=True)
        (tmp_path / "build" / "c" / f"{name}.pdf").write_bytes(contract)
    return testcert.make_test_certificates(tmp_path / "certs")


def test_a_pdf_copied_over_another_document_is_not_published(
    tmp_path: Path, swapped: testcert.TestCertificates
) -> None:
    env = {"CPOMDOCS_P12_PASSWORD": swapped.password}
    done = run("publish", "--p12", str(swapped.p12), "-o", "pub", env=env)
    assert done.exit_code == 1
    assert (
        "build/c/annexes.pdf: ce PDF est celui d'un autre document (sa source jointe dit "
        "« c/contrat ») : reconstruisez-le avec « cpomdocs build »"
    ) in done.output
    assert not (tmp_path / "pub" / "c" / "annexes.pdf").exists()


def test_verify_refuses_a_signed_pdf_whose_source_is_another_document(
    tmp_path: Path, swapped: testcert.TestCertificates
) -> None:
    from cpomdocs.publish.seal import identity_of
    from cpomdocs.publish.signing import load_key, sign_pdf

    key = load_key(swapped.p12, swapped.password)
    entry = {"fichier": "c/annexes.pdf", "type": "annexes", "contrat": "c", "version": "1"}
    pdf = (tmp_path / "build" / "c" / "annexes.pdf").read_bytes()
    forged = tmp_path / "annexes.pdf"
    forged.write_bytes(sign_pdf(pdf, key, "Publication", "", identity_of(entry)))
    done = run("verify", str(forged), "--trust", str(swapped.ca_pem), "--sans-rendu")
    assert done.exit_code == 1
    assert (
        f"ÉCHEC       {forged.as_posix()} — identité : ce PDF est celui d'un autre document "
        "(sa source jointe dit « c/contrat »)"
    ) in done.output


@pytest.mark.parametrize("root", ["absent.pem", "dossier", "vide.pem"])
def test_publish_checks_its_trust_root_before_signing(
    tmp_path: Path, swapped: testcert.TestCertificates, root: str
) -> None:
    (tmp_path / "dossier").mkdir()
    (tmp_path / "vide.pem").write_bytes(b"")
    env = {"CPOMDOCS_P12_PASSWORD": swapped.password}
    done = run("publish", "--p12", str(swapped.p12), "--trust", root, "-o", "pub", env=env)
    assert done.exit_code == 2
    expected = {
        "absent.pem": "absent.pem: certificat de confiance introuvable",
        "dossier": "« dossier » est un dossier : un fichier est attendu.",
        "vide.pem": "vide.pem: certificat illisible (PEM ou DER attendu)",
    }[root]
    assert expected in done.output
    assert not (tmp_path / "pub").exists()


@pytest.mark.parametrize("variable", ["CPOMDOCS_P12", "CPOMDOCS_TRUST"])
@pytest.mark.parametrize("kind", ["big", "fifo", "folder", "device"])
def test_a_key_or_root_that_is_not_a_small_file_is_refused_unread(
    tmp_path: Path, variable: str, kind: str
) -> None:
    path = {"big": tmp_path / "image.iso", "fifo": tmp_path / "tube", "folder": tmp_path}[kind] \
        if kind != "device" else Path("/dev/zero")  # fmt: skip
    if kind == "big":
        with path.open("wb") as handle:  # sparse: 3 GB read whole was « MemoryError »
            handle.truncate(3 * 2**30)
    elif kind == "fifo":
        os.mkfifo(path)
    what = "fichier PKCS#12" if variable == "CPOMDOCS_P12" else "certificat de confiance"
    command = ["publish", "-o", str(tmp_path / "pub")] if variable == "CPOMDOCS_P12" else [
        "verify", str(tmp_path)]  # fmt: skip
    done = run(*command, env={variable: str(path), "CPOMDOCS_P12_PASSWORD": "x"})
    assert done.exit_code == 2
    if kind == "big":
        assert f"{path}: {what} trop volumineux (1 Mo au plus) : est-ce le bon fichier ?" in (
            done.output
        )
    else:
        assert (
            f"{path}: ce n'est pas un fichier ordinaire (dossier, périphérique, tube nommé…) : "
            f"un {what} était attendu"
        ) in done.output


# --- new avenant: numbering --------------------------------------------------------------------


def test_new_avenant_does_not_count_a_folder_named_like_an_avenant(tmp_path: Path) -> None:
    folder = tmp_path / "contracts" / "c"
    shutil.copytree(MINIMAL, folder)
    (folder / "avenants" / "02-brouillon.yaml").mkdir()  # validate does not read it
    done = run("new", "avenant", str(folder))
    assert done.exit_code == 0
    assert f"écrit {folder}/avenants/02-projet.yaml" in done.output
    assert "numérotés sans trou" not in run("validate", str(folder)).output


# --- an output file that is not a file -----------------------------------------------------------


@pytest.mark.parametrize("link", [False, True])
def test_diff_does_not_replace_a_pipe_or_device_named_by_o(tmp_path: Path, link: bool) -> None:
    """The rename of the atomic write replaced it: `diff … -o /dev/null` run as root (a CI
    container) put a regular file in place of /dev/null. A named pipe stands in for it here."""
    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    target = tmp_path / "sortie" if link else pipe
    if link:  # /dev/stdout is such a link
        target.symlink_to(pipe)
    before = (MINIMAL / "cpom.yaml").read_text("utf-8")
    (tmp_path / "b.yaml").write_text(before.replace("version: 1\n", "version: 2\n"), "utf-8")
    done = run("diff", str(MINIMAL / "cpom.yaml"), str(tmp_path / "b.yaml"), "-o", str(target))
    assert done.exit_code == 1
    assert (
        f"{target}: écriture impossible : ce n'est pas un fichier ordinaire (périphérique, tube "
        "nommé…), il serait remplacé"
    ) in done.output
    assert pipe.is_fifo() and target.is_symlink() == link
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["b.yaml", "tube", *["sortie"] * link]
    )


# --- publish --horodatage: odd URLs --------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "http://tsa.example:99999/", "http://u:secret@["])
def test_an_unreadable_time_stamping_url_is_refused_in_french(tmp_path: Path, url: str) -> None:
    certs = testcert.make_test_certificates(tmp_path / "certs")
    env = {"CPOMDOCS_P12": str(certs.p12), "CPOMDOCS_P12_PASSWORD": certs.password}
    done = run("publish", "-o", str(tmp_path / "pub"), "--horodatage", url, env=env)
    assert done.exit_code == 2
    shown = url.replace("secret", "***")
    assert f"--horodatage « {shown} » : adresse d'autorité d'horodatage invalide" in done.output
    assert "secret" not in done.output


def test_the_password_in_a_time_stamping_url_is_not_shown(tmp_path: Path) -> None:
    certs = testcert.make_test_certificates(tmp_path / "certs")
    env = {"CPOMDOCS_P12": str(certs.p12), "CPOMDOCS_P12_PASSWORD": certs.password}
    url = "http://ars:motdepasse@127.0.0.1:1/tsa"  # port 1: the connection is refused at once
    done = run("publish", "-o", str(tmp_path / "pub"), "--horodatage", url, env=env)
    assert done.exit_code == 1
    assert (
        "horodatage : l'autorité http://ars:***@127.0.0.1:1/tsa est injoignable (connexion "
        "refusée ou adresse inconnue) ; rien n'est publié"
    ) in done.output
    assert "motdepasse" not in done.output and not (tmp_path / "pub").exists()


# --- diff --rev: revisions that are not commits -------------------------------------------------


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("HEAD...HEAD", "intervalle de révisions « HEAD...HEAD » invalide : attendu A..B"),
        (":/a..HEAD", "révision git « :/a » refusée : un commit, une branche ou une étiquette"),
        ("HEAD:contracts..HEAD", "révision git « HEAD:contracts » refusée : un commit"),
    ],
)
def test_diff_rev_says_which_revision_is_not_a_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rev: str, message: str
) -> None:
    """Before: « révision git inconnue : «  » », « .HEAD », « contracts:contracts/c n'existe
    pas » (the revision was cut at its « : »)."""
    git_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    done = run("diff", "--rev", rev, "contracts/c")
    assert done.exit_code == 2
    assert message in done.output


# --- the output folder's lock ---------------------------------------------------------------------


def test_a_lock_that_is_a_link_creates_no_file_outside(tmp_path: Path) -> None:
    """`.cpomdocs.lock` was opened through a link (a build/ restored from a CI cache, a shard):
    a link to a missing file made that file, anywhere."""
    (tmp_path / "contracts" / "c").mkdir(parents=True)  # an empty one is refused (hostile20)
    shutil.copy(MINIMAL / "cpom.yaml", tmp_path / "contracts" / "c")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / ".cpomdocs.lock").symlink_to(tmp_path / "ailleurs")
    done = run("build", str(tmp_path / "contracts"), "-o", str(tmp_path / "build"))
    assert done.exit_code == 1
    assert (
        f"{tmp_path}/build/.cpomdocs.lock: le verrou est un lien symbolique : supprimez-le, "
        "puis relancez"
    ) in done.output
    assert not (tmp_path / "ailleurs").exists()


# --- the build cache: not a file, or far too big ---------------------------------------------


def test_a_build_cache_that_is_a_named_pipe_does_not_hang_the_build(tmp_path: Path) -> None:
    """It was read like a file: `build` waited forever for a writer."""
    (tmp_path / "contracts" / "c").mkdir(parents=True)  # an empty one is refused (hostile20)
    shutil.copy(MINIMAL / "cpom.yaml", tmp_path / "contracts" / "c")
    (tmp_path / "build").mkdir()
    os.mkfifo(tmp_path / "build" / ".cpomdocs-cache.json")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cpomdocs"), "build", "contracts"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert (
        "build/.cpomdocs-cache.json: écriture impossible : ce n'est pas un fichier ordinaire "
        "(périphérique, tube nommé…), il serait remplacé"
    ) in done.stdout + done.stderr


def test_a_shard_with_a_huge_cache_is_refused_unread(tmp_path: Path) -> None:
    """A sparse 3 GB cache was read whole (« erreur interne : MemoryError » under a limit)."""
    shard = tmp_path / "part-1"
    shard.mkdir()
    with (shard / ".cpomdocs-cache.json").open("wb") as handle:
        handle.truncate(3 * 2**30)
    import resource

    def limited() -> None:  # 2 GB of address space: a CI runner's share, not the 3 GB
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    done = subprocess.run(
        [str(Path(sys.executable).parent / "cpomdocs"), "merge", "part-1", "-o", "site"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, preexec_fn=limited,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert (
        "part-1/.cpomdocs-cache.json: cache de construction illisible ou d'une autre version "
        "de cpomdocs : reconstruisez cette part (cpomdocs build --shard K/N)"
    ) in done.stderr


# --- the stored charts ---------------------------------------------------------------------------


def test_charts_are_not_stored_through_a_linked_folder_nor_read_through_links(
    tmp_path: Path,
) -> None:
    """build/.cpomdocs-charts linked elsewhere: each PNG drawn was written there, outside the
    output folder; a stored chart linked to any file was read into the DOCX (a FIFO: waited)."""
    from cpomdocs.errors import OutputError
    from cpomdocs.followup.chart_store import ChartStore

    key = "a" * 64
    elsewhere, output = tmp_path / "ailleurs", tmp_path / "build"
    elsewhere.mkdir()
    output.mkdir()
    (output / ".cpomdocs-charts").symlink_to(elsewhere)
    (elsewhere / f"{key}.png").write_bytes(b"une autre image")
    store = ChartStore()
    store.open(output)
    assert store.get(key, "png") is None
    with pytest.raises(OutputError, match="il sort du dossier de sortie"):
        store.put("b" * 64, "png", b"\x89PNG")
    assert sorted(p.name for p in elsewhere.iterdir()) == [f"{key}.png"]
    (output / ".cpomdocs-charts").unlink()
    (output / ".cpomdocs-charts").mkdir()
    os.mkfifo(output / ".cpomdocs-charts" / f"{key}.png")
    assert store.get(key, "png") is None
