"""Imported once, in the forkserver only (first of its preload list): it dies with the build.

Importing it has that effect on purpose: the forkserver's preload list names modules, not calls.
"""

from __future__ import annotations

import os

from cpomdocs.build import jobs

jobs.FORKSERVER_PID = os.getpid()
jobs.die_with_parent(jobs.build_pid())
