"""trust17: the leftovers of hostile16 and horodatage15, and a fresh hostile pass."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cpomdocs.data.signoff import _BLOCK, SignOffError, sign_off

FIXTURES = Path(__file__).parent / "fixtures"


def _unsigned_contract(tmp_path: Path) -> Path:
    """A copy of the signed fixture contract without its `empreinte` block."""
    folder = tmp_path / "ehpad-test"
    shutil.copytree(FIXTURES / "versions", folder)
    path = folder / "cpom.yaml"
    path.write_text(_BLOCK.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_sign_off_checks_everything_before_it_replaces_the_file(tmp_path: Path) -> None:
    """The signed text's digests were checked by reading the written file back, then the old
    text put back: a `kill -9` between the two left a file that was never fully checked. Now the
    whole check is made in memory: a refused sign-off never replaces the file, not even for an
    instant (same inode, same bytes, no temporary file)."""
    path = _unsigned_contract(tmp_path)
    keep = tmp_path / "keep"  # a second name holds the inode: its number cannot be reused
    keep.hardlink_to(path)
    before, inode = path.read_bytes(), path.stat().st_ino
    digest = {"sha256": "a" * 64, "passages": ["0123abcd"]}
    too_many = {  # more documents than an empreinte records (10 at most)
        "cpomdocs": "0.1",
        "documents": {f"annexe-{n}": digest for n in range(11)},
    }
    with pytest.raises(SignOffError) as refused:
        sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: too_many)
    assert refused.value.reason == "l'empreinte du texte signé n'a pas pu être enregistrée"
    assert (path.read_bytes(), path.stat().st_ino) == (before, inode)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (FIXTURES / "versions").iterdir()
    )
    good = {"cpomdocs": "0.1", "documents": {"contrat": {"sha256": "a" * 64, "passages": []}}}
    sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: good)
    assert 'sha256: "' + "a" * 64 + '"' in path.read_text("utf-8")
