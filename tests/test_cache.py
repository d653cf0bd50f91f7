"""Tests of the incremental-build cache."""

from __future__ import annotations

from pathlib import Path

from cpomdocs.cache import BuildCache, file_digest, fingerprint


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fingerprint_separates_parts() -> None:
    assert fingerprint(["ab", "c"]) != fingerprint(["a", "bc"])
    assert fingerprint(["x"]) == fingerprint(["x"])


def test_file_digest_of_missing_file(tmp_path: Path) -> None:
    assert file_digest(tmp_path / "nope") == "absent"


def test_fresh_only_with_same_fingerprint_and_outputs(tmp_path: Path) -> None:
    out = _write(tmp_path / "c1" / "contrat.pdf", "pdf")
    cache = BuildCache(tmp_path)
    cache.record("c1/contrat", "f1", [out], ["contrat.md.j2"])
    cache.save()
    reloaded = BuildCache(tmp_path)
    assert reloaded.is_fresh("c1/contrat", "f1")
    assert not reloaded.is_fresh("c1/contrat", "f2")
    assert reloaded.templates_of("c1/contrat") == ["contrat.md.j2"]
    out.unlink()
    assert not reloaded.is_fresh("c1/contrat", "f1")


def test_prune_removes_outputs_of_deleted_contracts(tmp_path: Path) -> None:
    kept = _write(tmp_path / "c1" / "contrat.pdf", "pdf")
    gone = _write(tmp_path / "c2" / "contrat.pdf", "pdf")
    cache = BuildCache(tmp_path)
    cache.record("c1/contrat", "f1", [kept], [])
    cache.record("c2/contrat", "f2", [gone], [])
    assert cache.prune({"c1"}) == ["c2"]
    assert kept.exists() and not gone.exists() and not (tmp_path / "c2").exists()
    assert list(cache.entries) == ["c1/contrat"]


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    _write(tmp_path / ".cpomdocs-cache.json", "{not json")
    assert BuildCache(tmp_path).entries == {}
