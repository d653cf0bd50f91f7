"""Charts already drawn, kept by digest in the output folder: an unchanged chart is never drawn
again, by a later build or by another worker.

The build points the store at build/.cpomdocs-charts/ (`CHART_STORE.open`); files are named
<sha256>.png, written atomically, and only files of that exact form (or the <sha256>.svg an
older build stored) inside that folder are ever read or removed. Only PNG (the DOCX's, drawn by
matplotlib in ~30 ms) are kept: an SVG is written in 0.24 ms, less than a file read and its
write. Without a folder (a test, the diff command) nothing is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

from cpomdocs.write import inside, write_bytes_atomic

CHARTS_DIR = ".cpomdocs-charts"
STORED_KINDS = ("png",)  # the formats kept: a PNG costs 100 times an SVG to draw
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(svg|png)$")


class ChartStore:
    """Charts by digest in one folder, and the digests the current document used."""

    def __init__(self) -> None:
        self.output: Path | None = None
        self.folder: Path | None = None
        self.used: set[str] = set()
        self.drawn = 0  # charts drawn (not found in the store) since the store was opened

    def open(self, output: Path | None) -> None:
        """Store charts under `output`/.cpomdocs-charts (None: store nothing)."""
        self.output = output
        self.folder = output / CHARTS_DIR if output is not None else None
        self.used = set()

    def get(self, key: str, kind: str) -> bytes | None:
        """The stored chart, or None when it was never drawn (or the store is closed)."""
        self.used.add(f"{key}.{kind}")  # asked for: kept by the next prune
        if self.folder is None:
            return None
        path = self.folder / f"{key}.{kind}"
        if self.folder.is_symlink() or path.is_symlink() or not path.is_file():
            return None  # a link may lead to any file (a FIFO was waited on): drawn again
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, kind: str, data: bytes) -> None:
        """Count a chart just drawn; keep it if of a stored kind, atomically (a concurrent
        worker may write the same bytes)."""
        self.drawn += 1
        if kind in STORED_KINDS:
            self.used.add(f"{key}.{kind}")
            if self.output is not None:  # a linked .cpomdocs-charts/: refused, not followed
                write_bytes_atomic(inside(self.output, f"{CHARTS_DIR}/{key}.{kind}"), data)


def prune_charts(output: Path, keep: set[str]) -> list[str]:
    """Remove the stored charts of `output` that no document uses any more; their names."""
    folder = output / CHARTS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    root = output.resolve()
    removed = []
    for path in sorted(folder.iterdir()):
        if path.name in keep or not STORED_NAME.match(path.name):
            continue
        if path.is_symlink() or not path.is_file() or path.resolve().parent.parent != root:
            continue
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


CHART_STORE = ChartStore()
