"""The one place that calls git and reads SOURCE_DATE_EPOCH: when and from what a build was made."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cpomdocs.errors import UsageError

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
GIT_TIMEOUT = 30


def source_date_epoch() -> dt.datetime | None:
    """The instant SOURCE_DATE_EPOCH names (UTC), None when unset; an invalid value is an error."""
    epoch = os.environ.get(EPOCH_VARIABLE, "").strip()
    if not epoch:
        return None
    if not epoch.isdigit() or len(epoch) > 12:
        raise UsageError(f"{EPOCH_VARIABLE} invalide : « {epoch} » (secondes depuis 1970)")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def today() -> dt.date:
    """The day of SOURCE_DATE_EPOCH, else today: a reproducible build never reads the clock."""
    epoch = source_date_epoch()
    return epoch.date() if epoch else dt.date.today()


def now() -> dt.datetime:
    """The instant of SOURCE_DATE_EPOCH, else the clock (UTC)."""
    return source_date_epoch() or dt.datetime.now(dt.UTC)


@contextlib.contextmanager
def epoch_pinned_to(stamp: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `stamp` while the block runs, unless it is already set."""
    previous = os.environ.get(EPOCH_VARIABLE)
    os.environ[EPOCH_VARIABLE] = previous or str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ[EPOCH_VARIABLE]


# File names as they are: by default git writes « "comit\303\251.yaml" » for « comité.yaml »,
# and a file with an accent then had no commit (its document named an older one) nor local edit.
# A name with a tab, a line break, « " » or « \ » stays quoted even so: git's lists are read with
# -z (names ended by NUL, never quoted). Paths given after « -- » are names, not patterns.
UNQUOTED = ("-c", "core.quotePath=false", "--literal-pathspecs")


def git(cwd: Path, *args: str) -> bytes:
    """Run a git command and return its output; a failure becomes one clear French line."""
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *UNQUOTED, *args],
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except FileNotFoundError:
        raise UsageError(
            "git est introuvable : installez git pour comparer des révisions"
        ) from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} ne répond pas ({GIT_TIMEOUT} s)") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(reason[-1] if reason else f"git {' '.join(args)} a échoué")
    return done.stdout


def git_output(folder: Path, *args: str) -> str | None:
    """The stripped output of a git command run in `folder`, or None when it fails."""
    try:
        return git(folder, *args).decode("utf-8", "replace").strip()
    except UsageError:
        return None


def git_names(folder: Path, command: str, *args: str) -> list[str]:
    """The file names a git command lists with -z (NUL-ended, as they are), [] when it fails."""
    try:
        listed = git(folder, command, "-z", *args)
    except UsageError:
        return []
    return [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]


def head_commit(folder: Path) -> str | None:
    """The commit checked out in the git repository holding `folder`, or None."""
    return git_output(folder, "rev-parse", "HEAD") or None


def file_commit(path: Path) -> str | None:
    """The last commit that touched `path`, or None when it has uncommitted changes or no git."""
    folder = path.parent
    if git_output(folder, "status", "--porcelain", "--", path.name):
        return None
    return git_output(folder, "log", "-1", "--format=%H", "--", path.name) or None


def folder_commit(folder: Path) -> tuple[str | None, bool]:
    """The last commit that touched `folder` (or None), and whether the folder has local edits."""
    commit = git_output(folder, "log", "-1", "--format=%H", "--", ".") or None
    dirty = bool(git_output(folder, "status", "--porcelain", "--", "."))
    return commit, dirty


def last_commit_time(folder: Path) -> dt.datetime | None:
    """When the last commit that touched `folder` was made (UTC), None outside git."""
    stamp = git_output(folder, "log", "-1", "--format=%ct", "--", ".")
    return dt.datetime.fromtimestamp(int(stamp), dt.UTC) if stamp and stamp.isdigit() else None


def log_lines(root: Path) -> Iterator[str]:
    """`git log` of `root`, newest first: « \\0HASH TIME » lines, each followed by its files
    (names as they are, read from -z output: one may hold a line break).

    Streamed, so that a caller that has found what it wants stops git early.
    """
    try:
        process = subprocess.Popen(
            [
                "git",
                *UNQUOTED,
                "log",
                "--format=%x00%H %ct",
                "--name-only",
                "--relative",
                "-z",
                "--",
                ".",
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # git is not installed
        return
    assert process.stdout is not None
    try:
        yield from _log_records(process.stdout)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()  # or a ResourceWarning when the caller stopped early


def _log_records(stream: IO[bytes]) -> Iterator[str]:
    """« \\0HASH TIME » then file names, from `git log --format=%x00%H %ct --name-only -z`:
    « \\0HASH TIME\\0\\nname\\0name\\0\\0HASH TIME\\0… » (an empty field precedes a commit,
    a line break its first file)."""
    pending, state = b"", "name"
    for chunk in iter(lambda: stream.read(65536), b""):
        *fields, pending = (pending + chunk).split(b"\0")
        for raw in fields:
            field = raw.decode("utf-8", "surrogateescape")
            if not field:
                state = "header"
            elif state == "header":
                state = "first"
                yield "\0" + field
            else:
                yield field.removeprefix("\n") if state == "first" else field
                state = "name"


def file_commits(folder: Path) -> dict[str, tuple[str, int]]:
    """The last commit (hash, time) that touched each file of `folder`, by path relative to it.

    One `git log` of the folder's history: a contract's documents each take the newest commit
    among the files they read. Files never committed (or no git) are absent.
    """
    found: dict[str, tuple[str, int]] = {}
    commit: tuple[str, int] = ("", 0)
    for line in log_lines(folder):
        if line.startswith("\0"):
            digest, _, stamp = line[1:].partition(" ")
            commit = (digest, int(stamp) if stamp.isdigit() else 0)
        elif line and line not in found:
            found[line] = commit
    return found


def modified_files(folder: Path) -> set[str]:
    """The files of `folder` changed since the last commit, or never committed, relative to it."""
    changed = git_names(folder, "diff", "--name-only", "--relative", "HEAD", "--", ".")
    untracked = git_names(folder, "ls-files", "--others", "--exclude-standard", "--", ".")
    return {*changed, *untracked}
