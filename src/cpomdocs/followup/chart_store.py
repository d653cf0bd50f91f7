"""Charts already drawn, kept by digest in the output folder: an unchanged chart is never drawn
again, by a later build or by another worker.

The build points the store at build/.cpomdocs-charts/ (`CHART_STORE.open`); files are named
<sha256>.svg or <sha256>.png, written atomically, and only files of that exact form inside that
folder are ever read or removed. Without a folder (a test, the diff command) nothing is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

from cpomdocs.write import write_bytes_atomic

CHARTS_DIR = ".cpomdocs-charts"
KINDS = ("svg", "png")
IMAGE_FORMATS = {"pdf": "svg", "docx": "png"}  # what each document format shows a chart as
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(svg|png)$")


class ChartStore:
    """Charts by digest in one folder, and the digests the current document used."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.kinds: tuple[str, ...] = ()  # the formats the build writes: drawn together
        self.used: set[str] = set()
        self.drawn = 0  # charts drawn (not found in the store) since the store was opened

    def open(self, output: Path | None, kinds: tuple[str, ...] = ()) -> None:
        """Store charts under `output`/.cpomdocs-charts (None: store nothing); `kinds`: the
        image formats the build's writers will ask for ("svg" for the PDF, "png" for the DOCX)."""
        self.folder = output / CHARTS_DIR if output is not None else None
        self.kinds = tuple(k for k in kinds if k in KINDS)
        self.used = set()

    def get(self, key: str, kind: str) -> bytes | None:
        """The stored chart, or None when it was never drawn (or the store is closed)."""
        self.used.add(f"{key}.{kind}")  # asked for: kept by the next prune
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{key}.{kind}").read_bytes()
        except OSError:
            return None

    def put(self, key: str, kind: str, data: bytes) -> None:
        """Keep a chart just drawn, atomically (a concurrent worker may write the same bytes)."""
        self.drawn += 1
        self.used.add(f"{key}.{kind}")
        if self.folder is not None and kind in KINDS:
            write_bytes_atomic(self.folder / f"{key}.{kind}", data)


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
