"""Real git repositories for the diff tests: the OG's draft v1, the ARS's v2, the agreed v3."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "versions"
CONTRACT = "contracts/ehpad-les-cedres/cpom.yaml"


def run_git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return its standard output."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def git_as_tester(root: Path, *args: str, when: str = "") -> str:
    """git in `root` as a test identity (committed `when`, an ISO date, if given): its output."""
    env = {**os.environ, "GIT_COMMITTER_DATE": when} if when else None
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root, capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return done.stdout.strip()


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; fails loudly when `old` is absent."""
    assert old in text, old
    return text.replace(old, new, 1)


def versions() -> list[tuple[str, str]]:
    """The three negotiated versions of the contract, with their commit messages."""
    signed = (FIXTURE / "cpom.yaml").read_text(encoding="utf-8")
    signed = re.sub(r"^empreinte:.*(?:\n[ \t]+.*)*\n?", "", signed, flags=re.MULTILINE)
    v1 = replaced(signed, "version: 2\nstatut: signé", "version: 1\nstatut: projet")
    v1 = replaced(v1, "  signature: 2025-03-14\n", "")
    v1 = replaced(v1, "{2025: 97, 2026: 97, 2027: 97,", "{2025: 97, 2026: 97, 2027: 92,")
    v2 = replaced(v1, "version: 1", "version: 2")
    v2 = replaced(v2, "{2025: 97, 2026: 97, 2027: 92,", "{2025: 97, 2026: 97, 2027: 95,")
    v2 = replaced(v2, "2026: 1138300.00", "2026: 1163300.00")
    v2 = replaced(v2, "2026: 1582100.00", "2026: 1607100.00")
    v2 = replaced(v2, "pour cinq ans, les objectifs", "pour cinq années civiles, les objectifs")
    v3 = replaced(v2, "version: 2", "version: 3")
    start = v3.index("  O2:\n")
    v3 = v3[:start] + v3[v3.index("  O3:\n") :]
    v3 = replaced(
        v3, "  - le projet régional", "  - la décision tarifaire 2025\n  - le projet régional"
    )
    return [
        (v1, "v1 : projet du gestionnaire"),
        (v2, "v2 : contre-proposition de l'ARS"),
        (v3, "v3 : version convenue"),
    ]


def make_repo(root: Path) -> Path:
    """A git repository holding the contract with one commit per negotiated version."""
    root.mkdir(parents=True, exist_ok=True)
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "config", "user.email", "referent@ehpad-les-cedres.example")
    run_git(root, "config", "user.name", "Référent CPOM")
    target = root / CONTRACT
    target.parent.mkdir(parents=True)
    for text, message in versions():
        target.write_text(text, encoding="utf-8")
        run_git(root, "add", "-A")
        run_git(root, "commit", "-q", "-m", message)
    return root


def run_pr_workflow(repo: Path, script: str, base: str, runner: Path) -> str:
    """Run the PR workflow's shell `script` in `repo` from `base` to HEAD, as GitHub would
    (its runner folder and step summary under `runner`): the comment it writes."""
    import sys

    runner.mkdir()
    env = {
        **os.environ, "BASE": base, "HEAD": run_git(repo, "rev-parse", "HEAD").strip(),
        "RUNNER_TEMP": str(runner / "runner"), "GITHUB_STEP_SUMMARY": str(runner / "resume.md"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }  # fmt: skip
    Path(env["RUNNER_TEMP"]).mkdir()
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return (repo / "diff.md").read_text("utf-8")


def scaffolded_pr_step(repo: Path) -> str:
    """`cpomdocs init repo` for real, then the PR workflow's « Diff » step script, the earlier
    steps' outcomes set to success."""
    import yaml
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    assert CliRunner().invoke(main, ["init", str(repo)]).exit_code == 0
    workflow = yaml.safe_load((repo / ".github/workflows/pr-diff.yml").read_text("utf-8"))
    [step] = [s for s in workflow["jobs"]["diff"]["steps"] if s.get("name", "").startswith("Diff")]
    return re.sub(r"\$\{\{ steps\.\w+\.outcome \}\}", "success", step["run"])
