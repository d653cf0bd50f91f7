"""Preloaded in the forkserver by memory_probe.py only: logs each document's memory in a worker.

It replaces cpomdocs.build.task.render_document in the forkserver (the build process keeps the
original, which it pickles by name; the workers find this wrapper under that name).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from memory_probe import LOG_VARIABLE, rollup

from cpomdocs.build import task as task_module

_original = task_module.render_document


def _high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def render_document(task: task_module.DocumentTask) -> task_module.DocumentResult:
    """The build's render_document, its memory logged."""
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before, start = rollup("self"), time.time()
    result = _original(task)
    end, after = time.time(), rollup("self")
    line = {
        "pid": os.getpid(),
        "name": task.name,
        "start": start,
        "end": end,
        "hwm": _high_water_mb(),
        "before": before,
        "after": after,
    }
    with open(os.environ[LOG_VARIABLE], "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")
    return result


task_module.render_document = render_document
