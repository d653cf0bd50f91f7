"""Tests of the incremental-build cache."""

from __future__ import annotations

from pathlib import Path

from cpomdocs.build.cache import BuildCache, file_digest, fingerprint


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
    assert cache.prune({"c1": _write(tmp_path / "src" / "c1" / "cpom.yaml", "").parent}) == ["c2"]
    assert kept.exists() and not gone.exists() and not (tmp_path / "c2").exists()
    assert list(cache.entries) == ["c1/contrat"]


def test_prune_keeps_contracts_whose_folder_still_exists(tmp_path: Path) -> None:
    sources = {cid: _write(tmp_path / "src" / cid / "cpom.yaml", "").parent for cid in ("c1", "c2")}
    outputs = {cid: _write(tmp_path / cid / "contrat.pdf", "pdf") for cid in sources}
    cache = BuildCache(tmp_path)
    for cid, output in outputs.items():
        cache.record(f"{cid}/contrat", "f", [output], [])
    assert cache.prune(sources) == []
    assert cache.prune({"c1": sources["c1"]}) == []  # c2 was not asked for, not deleted
    assert outputs["c2"].exists()
    (sources["c2"] / "cpom.yaml").unlink()
    assert cache.prune({"c1": sources["c1"]}) == ["c2"]
    assert not outputs["c2"].exists()


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    _write(tmp_path / ".cpomdocs-cache.json", "{not json")
    assert BuildCache(tmp_path).entries == {}


MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"


def test_a_no_op_build_reads_the_cache_once_not_once_per_contract(tmp_path, monkeypatch) -> None:
    """Counting each fresh contract's documents by scanning every entry made a no-op build
    quadratic in the portfolio (3.7 ms at 100 contracts, ~0.4 s at 1 000)."""
    import shutil

    from cpomdocs.build.schedule import build_portfolio

    contracts = tmp_path / "contracts"
    for name in ("ehpad-a", "ehpad-b", "ehpad-c"):
        shutil.copytree(MINIMAL, contracts / name)
    out = tmp_path / "build"
    first = build_portfolio([contracts], out, formats=("docx",))
    assert first.documents >= 3 and not first.failed
    scans: list[str] = []
    original = BuildCache.documents_of

    def counted(self: BuildCache, contract_id: str) -> list[str]:
        scans.append(contract_id)
        return original(self, contract_id)

    monkeypatch.setattr(BuildCache, "documents_of", counted)
    again = build_portfolio([contracts], out, formats=("docx",))
    assert (again.documents, again.skipped) == (0, first.documents)
    assert scans == []
    assert BuildCache(out).document_counts() == {
        name: first.documents // 3 for name in ("ehpad-a", "ehpad-b", "ehpad-c")
    }


def test_an_unchanged_cache_is_not_written_out_again(tmp_path: Path, monkeypatch) -> None:
    """A no-op build compares the cache with the file as read; JSON is made only for a change,
    one line per entry (it diffs well) and by json's C encoder."""
    import json

    from cpomdocs.build import cache as cache_module

    out = _write(tmp_path / "c1" / "contrat.pdf", "pdf")
    cache = BuildCache(tmp_path)
    cache.record("c1/contrat", "f1", [out], ["contrat.md.j2"], 1.5, ["a.svg"], ["réédition"])
    cache.cards["c1"] = {"day": "2026-12-03", "card": {"id": "c1", "title": "EHPAD", "valid": True}}
    cache.sources["c1"] = str(tmp_path / "src" / "c1")
    cache.save()
    written = (tmp_path / ".cpomdocs-cache.json").read_text(encoding="utf-8")
    made: list[object] = []
    text = cache_module.cache_json  # the JSON made: counted
    monkeypatch.setattr(cache_module, "cache_json", lambda data: made.append(data) or text(data))
    again = BuildCache(tmp_path)
    again.save()
    assert made == []
    again.record("c1/contrat", "f2", [out], ["contrat.md.j2"])
    again.save()
    assert len(made) == 1
    changed = json.loads((tmp_path / ".cpomdocs-cache.json").read_text(encoding="utf-8"))
    assert changed["entries"]["c1/contrat"]["fingerprint"] == "f2"
    assert json.loads(written)["cards"] == changed["cards"]
    again.record("c1/contrat", "f1", [out], ["contrat.md.j2"], 1.5, ["a.svg"], ["réédition"])
    again.save()  # back as it was first: written again (the file holds f2)
    assert (tmp_path / ".cpomdocs-cache.json").read_text(encoding="utf-8") == written
    assert '\n "c1/contrat": {"fingerprint": "f1", "outputs": ["c1/contrat.pdf"], ' in written


def test_a_cache_checks_each_contract_folder_once_and_still_refuses_links_out(
    tmp_path: Path, monkeypatch
) -> None:
    """Loading a cache checks that its files stay inside the output: each contract's folder is
    resolved once, not each file with the root again (2 resolves a file: 1 100 at 100
    contracts); a file or a folder that is a symbolic link leading out is still refused."""
    import pytest

    from cpomdocs.errors import OutputError

    out = tmp_path / "build"
    cache = BuildCache(out)
    for cid in ("c1", "c2", "c3"):
        names = [_write(out / cid / f"{doc}.{ext}", ext) for doc in ("a", "b") for ext in "xy"]
        cache.record(f"{cid}/a", "f", names, ["contrat.md.j2"])
    cache.save()
    resolved: list[Path] = []
    resolve = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, *a: resolved.append(self) or resolve(self))
    BuildCache(out)
    assert sorted(p.name for p in resolved) == ["build", "c1", "c2", "c3"]  # 12 files
    monkeypatch.setattr(Path, "resolve", resolve)
    outside = tmp_path / "ailleurs.txt"
    outside.write_text("x", encoding="utf-8")
    (out / "c2" / "a.x").unlink()
    (out / "c2" / "a.x").symlink_to(outside)
    with pytest.raises(OutputError, match="le fichier « c2/a.x » sort du dossier de sortie"):
        BuildCache(out)
    (out / "c2" / "a.x").unlink()
    (out / "c2" / "a.x").write_text("x", encoding="utf-8")
    BuildCache(out)  # inside again: accepted
    elsewhere = tmp_path / "autre"
    (out / "c3").rename(elsewhere)
    (out / "c3").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="le fichier « c3/a.x » sort du dossier de sortie"):
        BuildCache(out)
