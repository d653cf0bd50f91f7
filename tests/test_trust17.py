"""trust17: the leftovers of hostile16 and horodatage15, and a fresh hostile pass."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tsa_support import running_tsa

from cpomdocs.cli.main import main
from cpomdocs.data.signoff import _BLOCK, SignOffError, sign_off
from cpomdocs.publish.signing import P12_ENV, PASSWORD_ENV

FIXTURES = Path(__file__).parent / "fixtures"


def _unsigned_contract(tmp_path: Path) -> Path:
    """A copy of the signed fixture contract without its `empreinte` block."""
    folder = tmp_path / "ehpad-test"
    shutil.copytree(FIXTURES / "versions", folder)
    path = folder / "cpom.yaml"
    path.write_text(_BLOCK.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_sign_off_checks_everything_before_it_replaces_the_file(tmp_path: Path) -> None:
    """The signed text's digests were checked by reading the written file back, then the old
    text put back: a `kill -9` between the two left a file that was never fully checked. Now the
    whole check is made in memory: a refused sign-off never replaces the file, not even for an
    instant (same inode, same bytes, no temporary file)."""
    path = _unsigned_contract(tmp_path)
    keep = tmp_path / "keep"  # a second name holds the inode: its number cannot be reused
    keep.hardlink_to(path)
    before, inode = path.read_bytes(), path.stat().st_ino
    digest = {"sha256": "a" * 64, "passages": ["0123abcd"]}
    too_many = {  # more documents than an empreinte records (10 at most)
        "cpomdocs": "0.1",
        "documents": {f"annexe-{n}": digest for n in range(11)},
    }
    with pytest.raises(SignOffError) as refused:
        sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: too_many)
    assert refused.value.reason == "l'empreinte du texte signé n'a pas pu être enregistrée"
    assert (path.read_bytes(), path.stat().st_ino) == (before, inode)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (FIXTURES / "versions").iterdir()
    )
    good = {"cpomdocs": "0.1", "documents": {"contrat": {"sha256": "a" * 64, "passages": []}}}
    sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: good)
    assert 'sha256: "' + "a" * 64 + '"' in path.read_text("utf-8")


FAILURES = {
    "500": "a répondu par une erreur HTTP 500 (erreur du serveur de l'autorité : réessayez "
    "plus tard)",
    "403": "a répondu par une erreur HTTP 403 (accès refusé : cette autorité demande un compte)",
    "rejet": "a refusé la demande d'horodatage (statut « rejection » : « unaccepted policy »)",
    "muet": "n'a pas répondu en 1 s",
}


def _publish_with(project, out: Path, url: str) -> Any:
    args = ["publish", str(project.contracts), "--build-dir", str(project.build), "-o", str(out)]
    return CliRunner().invoke(main, [*args, "--horodatage", url])


@pytest.mark.parametrize("good", [0, 3], ids=["a-la-sonde", "entre-deux-pdf"])
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_tsa_that_fails_leaves_nothing_published(
    publish_project, tmp_path, monkeypatch, failure, good
) -> None:
    """A TSA error, refusal or silence, at the probe or after it (between two PDFs: the probe
    and the first PDF's two requests answered): one French line naming the TSA and what
    happened, exit code 1, no traceback, and nothing left that was not there — the new output
    folder (and its new parent) removed; an existing publication untouched."""
    from cpomdocs.publish import timestamp

    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    monkeypatch.setattr(timestamp, "TIMEOUT", 1)  # a silent TSA: one second, not ten
    out = tmp_path / "nouveau" / "pub"
    with running_tsa(tmp_path / "tsa", failure=failure, good=good) as tsa:
        done = _publish_with(publish_project, out, tsa.url)
    assert done.exit_code == 1, done.output
    assert done.output.splitlines() == [
        f"horodatage : l'autorité {tsa.url} {FAILURES[failure]} ; rien n'est publié"
    ]
    assert not (tmp_path / "nouveau").exists()


def test_a_tsa_that_fails_after_the_probe_leaves_the_last_publication_as_it_was(
    publish_project, publication, tmp_path, monkeypatch
) -> None:
    """The same failure over an existing publication: every file as it was, nothing added."""
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    out = Path(shutil.copytree(publication.folder, tmp_path / "publication"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with running_tsa(tmp_path / "tsa", failure="500", good=3) as tsa:
        done = _publish_with(publish_project, out, tsa.url)
    assert done.exit_code == 1, done.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(out.rglob("*")) == sorted(before) or all(
        p in before or p.is_dir() for p in out.rglob("*")
    )


def test_the_pull_request_comment_draws_no_emoji_short_code(tmp_path: Path) -> None:
    """« :tada: », « :+1: », « :white_check_mark: » in a counter-party's name came out of
    `diff -f md` as they are: GitHub draws them as pictures in the comment. Now an invisible
    zero-width space follows the colon; the text, once it is removed, reads the same."""
    import re

    old = FIXTURES / "versions" / "cpom.yaml"
    new = tmp_path / "cpom.yaml"
    typed = "Les Cèdres :tada: :+1: :white_check_mark: :-1: 10:30:45"
    text = old.read_text("utf-8").replace(
        "  nom: EHPAD public autonome Les Cèdres", f'  nom: "{typed}"', 1
    )
    new.write_text(_BLOCK.sub("", text), encoding="utf-8")
    done = CliRunner().invoke(main, ["diff", str(old), str(new), "-f", "md"])
    assert done.exit_code == 0, done.output
    line = next(line for line in done.output.splitlines() if "tada" in line)
    assert not re.search(r":[\w+\\-]+:", line), line
    shown = line.replace("&#8203;", "").replace("\\_", "_")
    assert typed in shown, line
