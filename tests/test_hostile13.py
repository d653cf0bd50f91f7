"""Hostile audit 13: interrupted builds, lookalike letters, and what the earlier rounds left.

Real `cpomdocs` processes in tmp folders, real signals, real PDFs read back with pdftotext.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cli_support import cpomdocs_here
from gitrepo import git_as_tester

from cpomdocs.data.characters import bad_character
from cpomdocs.data.load import load_text
from cpomdocs.errors import InputError

EXAMPLE = Path(__file__).parents[1] / "contracts" / "fondation-val-d-ouche-2027"
BUILD = [sys.executable, "-m", "cpomdocs", "build", "-o", "out", "-j", "1", "-f", "pdf"]


def cpomdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `cpomdocs` process in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "cpomdocs", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _pdfs(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (root / "out").rglob("*.pdf")}


def _interrupt(root: Path, number: int, written: int = 1) -> None:
    """Start a build in `root`, send it `number` once it has reported `written` PDFs written
    (its « out/….pdf » lines: the build has them then, not only the disk)."""
    build = subprocess.Popen(
        BUILD, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    reported = threading.Semaphore(0)

    def read() -> None:
        assert build.stdout is not None
        for line in build.stdout:
            if line.strip().endswith(".pdf"):
                reported.release()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(written):
        assert reported.acquire(timeout=120), "the build wrote no PDF in 2 minutes"
    time.sleep(0.3)  # the document recorded, the next one being rendered
    build.send_signal(number)
    build.wait(timeout=120)
    reader.join(timeout=10)
    assert build.returncode in (-number, 128 + number), build.returncode


def _rebuilt(root: Path) -> tuple[int, str]:
    """The same build run to its end, in this process (nothing interrupts it: no real process
    needed; the same cache, files and output)."""
    done = cpomdocs_here(root, *BUILD[3:])
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"(\d+) documents? construits? .*?(\d+) documents? à jour", done.stdout)
    assert found, done.stdout
    return int(found[1]), done.stdout


def test_an_interrupted_build_keeps_what_it_finished(tmp_path: Path) -> None:
    """SIGTERM after the first document: the next build made all 3 again (the cache was not
    saved); it now makes only those not finished, and the cache names only whole files."""
    shutil.copytree(EXAMPLE, tmp_path / "contracts" / EXAMPLE.name)
    _interrupt(tmp_path, signal.SIGTERM)
    on_disk = len(_pdfs(tmp_path))
    assert 1 <= on_disk < 3, "the build ended before the signal: nothing was tested"
    assert not list((tmp_path / "out").rglob("*.tmp"))
    saved = tmp_path / "out" / ".cpomdocs-cache.json"
    entries = json.loads(saved.read_text(encoding="utf-8"))["entries"] if saved.exists() else {}
    # documents only, no contract entry (it was not complete); at least the one reported
    # before the signal (a second one may have reached the disk, unrecorded, under load)
    outputs = [name for entry in entries.values() for name in entry["outputs"]]
    assert 1 <= len(outputs) <= on_disk, entries
    rebuilt, stdout = _rebuilt(tmp_path)
    assert rebuilt == 3 - len(outputs), stdout
    for name in outputs:
        assert (tmp_path / "out" / name).read_bytes().rstrip().endswith(b"%%EOF")


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_build_killed_while_rewriting_never_calls_a_new_file_fresh(tmp_path: Path) -> None:
    """Built at commit A; at commit B (a name changed) the build is killed (SIGKILL: nothing can
    be saved then) after rewriting one PDF; back to A: the cache of A's build called that PDF
    fresh, and it kept B's name. The entries of documents being rewritten leave it first."""
    folder = tmp_path / "contracts" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    (tmp_path / ".gitignore").write_text("out/\n")
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "A")
    first = git_as_tester(tmp_path, "rev-parse", "HEAD")
    _rebuilt(tmp_path)
    source = folder / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Fondation Val d'Ouche", "Fondation Val de Saone"))
    git_as_tester(tmp_path, "commit", "-q", "-am", "B")
    _interrupt(tmp_path, signal.SIGKILL)
    git_as_tester(tmp_path, "checkout", "-q", first)
    _rebuilt(tmp_path)
    for pdf in _pdfs(tmp_path):
        assert "Val de Saone" not in _text(pdf), pdf.name


LOOKALIKE = (
    "n'est pas une lettre latine, même s'il lui ressemble (un nom imité lettre pour lettre ?) : "
    "retapez ce mot en lettres latines, ou tout entier dans l'autre alphabet"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: b\nnom: Agence régionale de santé \u041eccitanie\n",  # a Cyrillic О
            "f.yaml:2:32: nom: mot « \u041eccitanie » mêlant les alphabets latin et cyrillique : "
            f"« \u041e » U+041E CYRILLIC CAPITAL LETTER O {LOOKALIKE}",
        ),
        (
            'a: b\nautorite: "le directeur général de l\'\\u0410RS"\n',  # escaped: found too
            "f.yaml:2:38: autorite: mot « \u0410RS » mêlant les alphabets latin et cyrillique : "
            f"« \u0410 » U+0410 CYRILLIC CAPITAL LETTER A {LOOKALIKE}",
        ),
        (
            '{"ESSMS": {"EHPAD L\u03bfs C\u0435dres": 1}}',  # a key: Greek ο, then Cyrillic е
            "f.json:1:20: ESSMS: clé « EHPAD L\u03bfs C\u0435dres » : mot « L\u03bfs » mêlant "
            "les alphabets latin et grec : « \u03bf » U+03BF GREEK SMALL LETTER OMICRON "
            + LOOKALIKE,
        ),
        (
            "nom: \u0415\u041d\u0420\u0410D\n",
            "f.yaml:1:6: nom: mot « \u0415\u041d\u0420\u0410D » mêlant les alphabets latin et "
            "cyrillique : « \u0415 » U+0415 CYRILLIC CAPITAL LETTER IE, « \u041d » U+041D "
            "CYRILLIC CAPITAL LETTER EN, « \u0420 » U+0420 CYRILLIC CAPITAL LETTER ER, « \u0410 » "
            "U+0410 CYRILLIC CAPITAL LETTER A ne sont pas des lettres latines, même s'ils leur "
            "ressemblent (un nom imité lettre pour lettre ?) : retapez ce mot en lettres latines, "
            "ou tout entier dans l'autre alphabet",
        ),
    ],
)
def test_a_word_mixing_latin_and_cyrillic_or_greek_is_refused(text: str, expected: str) -> None:
    """« АRS » with a Cyrillic А, « Оccitanie » with a Cyrillic О: a name forged letter for
    letter was accepted and printed in the signed PDF as if it were the real one."""
    name = Path("f.json" if text.startswith("{") else "f.yaml")
    with pytest.raises(InputError) as caught:
        load_text(text, name, json_syntax=name.suffix == ".json")
    assert [str(p) for p in caught.value.problems] == [expected]


@pytest.mark.parametrize(
    "text",
    ["Ελλάδα", "Москва", "Νίκος Παπαδόπουλος", "β-bloquants", "5 µg/l", "Nguyễn Thị Ánh", "γ GT"],
)
def test_a_word_wholly_in_one_alphabet_is_accepted(text: str) -> None:
    """A name written wholly in Greek or Cyrillic is no forgery; a Greek letter alone is a
    symbol; µ is the micro sign (U+00B5), not a Greek letter."""
    assert bad_character(text) is None


def test_the_micro_prefix_written_with_a_greek_mu_says_which_sign_to_use() -> None:
    found = bad_character("5 \u03bcg/l")
    assert found is not None and found[0] == 2
    assert found[1].endswith("(le préfixe micro s'écrit « µ », U+00B5 MICRO SIGN)")


def test_a_time_limit_landing_in_a_gc_callback_is_not_lost() -> None:
    """The alarm fired inside a garbage-collector callback (hypothesis's gc timer, in the test
    process; a library's __del__ anywhere): the exception was swallowed there with « Exception
    ignored » and the render went on without a limit. It is now raised again, quietly."""
    import gc

    from cpomdocs.build import task

    def slow(phase: str, info: dict) -> None:
        if phase == "start":
            end = time.monotonic() + 0.2
            while time.monotonic() < end:  # the alarm lands here
                pass

    reported: list[BaseException | None] = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda u: reported.append(u.exc_value)
    gc.callbacks.append(slow)
    started = time.monotonic()
    try:
        with pytest.raises(task.Expired), task.time_limit(0.05):
            gc.collect()
            while time.monotonic() < started + 3:
                pass
    finally:
        gc.callbacks.remove(slow)
        sys.unraisablehook = hook
    # Lost, the limit would let the loop run its 3 s; kept, it stops after the 0.2 s callback
    # and the collection, which a loaded machine may stretch past a second (1.3 s seen).
    assert time.monotonic() - started < 2.5
    assert reported == []


def test_a_file_with_an_accent_has_its_own_commit_and_local_edits(tmp_path: Path) -> None:
    """git wrote « "comptes-rendus/2027-comit\\303\\251.yaml" »: the compte-rendu named by hand
    with an accent had no commit of its own, so its document named the older commit of
    cpom.yaml (when it did not exist yet), and an uncommitted edit of it was not seen."""
    from cpomdocs.build.provenance import FolderHistory

    folder = tmp_path / "c"
    (folder / "comptes-rendus").mkdir(parents=True)
    (folder / "cpom.yaml").write_text("a: 1\n")
    git_as_tester(tmp_path, "init", "-q")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "contrat", when="2027-01-05T10:00:00Z")
    report = folder / "comptes-rendus" / "2027-comité.yaml"
    report.write_text("b: 1\n")
    git_as_tester(tmp_path, "add", ".")
    git_as_tester(tmp_path, "commit", "-q", "-m", "compte-rendu", when="2027-06-17T10:00:00Z")
    reads = ["cpom.yaml", "comptes-rendus/2027-comité.yaml"]
    origin = FolderHistory.read(folder).origin(reads)
    assert origin.commit == git_as_tester(tmp_path, "rev-parse", "HEAD")
    assert not origin.dirty
    report.write_text("b: 2\n")
    assert FolderHistory.read(folder).origin(reads).dirty
