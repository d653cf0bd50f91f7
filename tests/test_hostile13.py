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
import time
from pathlib import Path

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
    """Start a build in `root`, send it `number` once `written` PDFs are newer than before."""
    before = _pdfs(root)
    build = subprocess.Popen(BUILD, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        now = _pdfs(root)
        if sum(before.get(p) != t for p, t in now.items()) >= written:
            break
        time.sleep(0.05)
    time.sleep(0.3)  # the document recorded, the next one being rendered
    build.send_signal(number)
    build.communicate(timeout=120)
    assert build.returncode in (-number, 128 + number), build.returncode


def _rebuilt(root: Path) -> tuple[int, str]:
    done = subprocess.run(BUILD, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"(\d+) documents? construits? .*?(\d+) documents? à jour", done.stdout)
    assert found, done.stdout
    return int(found[1]), done.stdout


def test_an_interrupted_build_keeps_what_it_finished(tmp_path: Path) -> None:
    """SIGTERM after the first document: the next build made all 3 again (the cache was not
    saved); it now makes only those not finished, and the cache names only whole files."""
    shutil.copytree(EXAMPLE, tmp_path / "contracts" / EXAMPLE.name)
    _interrupt(tmp_path, signal.SIGTERM)
    finished = len(_pdfs(tmp_path))
    assert 1 <= finished < 3, "the build ended before the signal: nothing was tested"
    assert not list((tmp_path / "out").rglob("*.tmp"))
    saved = tmp_path / "out" / ".cpomdocs-cache.json"
    entries = json.loads(saved.read_text(encoding="utf-8"))["entries"] if saved.exists() else {}
    rebuilt, stdout = _rebuilt(tmp_path)
    assert rebuilt == 3 - finished, stdout
    outputs = [name for entry in entries.values() for name in entry["outputs"]]
    assert len(outputs) == finished  # documents only, no contract entry: it was not complete
    for name in outputs:
        assert (tmp_path / "out" / name).read_bytes().rstrip().endswith(b"%%EOF")


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_a_build_killed_while_rewriting_never_calls_a_new_file_fresh(tmp_path: Path) -> None:
    """Built at commit A; at commit B (a name changed) the build is killed (SIGKILL: nothing can
    be saved then) after rewriting one PDF; back to A: the cache of A's build called that PDF
    fresh, and it kept B's name. The entries of documents being rewritten leave it first."""
    folder = tmp_path / "contracts" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    (tmp_path / ".gitignore").write_text("out/\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "A")
    first = _git(tmp_path, "rev-parse", "HEAD")
    _rebuilt(tmp_path)
    source = folder / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Fondation Val d'Ouche", "Fondation Val de Saone"))
    _git(tmp_path, "commit", "-q", "-am", "B")
    _interrupt(tmp_path, signal.SIGKILL)
    _git(tmp_path, "checkout", "-q", first)
    _rebuilt(tmp_path)
    for pdf in _pdfs(tmp_path):
        assert "Val de Saone" not in _text(pdf), pdf.name
