"""`cpomdocs ARGS…` run in this test process (click's runner) in a given folder, answered as
subprocess.run answers: returncode, stdout, stderr.

For tests that read what a command says and what it leaves on disk. A real process costs some
0.35 s of imports (1–1.5 s when it renders: WeasyPrint, docxtpl), paid once per pytest worker
here. Tests that need a real process keep one: signals, exit by a signal, locks, forks, a named
pipe read without end (a timeout must be able to stop it), the installed entry point, imports.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

from cpomdocs.cli.main import main


class Ran(NamedTuple):
    """What a command printed and returned, as subprocess.run gives it."""

    returncode: int
    stdout: str
    stderr: str


def cpomdocs_here(cwd: Path, *args: str) -> Ran:
    """`cpomdocs ARGS…` in `cwd`, in this process; an exception the CLI let out is raised."""
    with contextlib.chdir(cwd):
        done = CliRunner().invoke(main, list(args), prog_name="cpomdocs")
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return Ran(done.exit_code, done.stdout, done.stderr)
