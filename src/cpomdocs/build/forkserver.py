"""Imported once, in the forkserver only (first of its preload list): it dies with the build.

Importing it has that effect on purpose: the forkserver's preload list names modules, not calls.
"""

from __future__ import annotations

import os

from cpomdocs.build import orphans

orphans.FORKSERVER_PID = os.getpid()
orphans.die_with_parent(orphans.build_pid())
