"""Worker processes end with their build: Linux kills them when their parent dies.

The forkserver imports build.forkserver (first of its preload list): from then on it dies with
the build process, and every worker it forks dies with the forkserver (build.workers asks the
same for each worker). Without it, a build killed with SIGKILL left its forkserver and workers
alive, writing documents into build/ after the build was gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PARENT_VARIABLE = "CPOMDOCS_BUILD_PID"  # the build's pid, read by the forkserver it starts
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
FORKSERVER_PID = 0  # set in the forkserver (build.forkserver), inherited by its workers


def die_with_parent(expected_parent: int | None) -> None:
    """Have this process killed when its parent dies; exit now if it died already."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)  # the parent died before prctl: nobody waits for this process


def build_pid() -> int | None:
    """The pid of the build that started this forkserver (from the environment), if known."""
    value = os.environ.get(PARENT_VARIABLE, "")
    return int(value) if value.isdigit() else None
