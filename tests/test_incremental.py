"""Incremental builds: unchanged documents are skipped, changed inputs rebuild their documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hostile import write_contract
from incremental_support import small_portfolio, stamps
from pypdf import PdfReader

from cpomdocs.build import catalog as build_module
from cpomdocs.build import inputs
from cpomdocs.build.cache import BuildCache
from cpomdocs.build.schedule import BuildEvent
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main


def _build(contracts: Path, templates: Path, out: Path, **options: object):  # noqa: ANN202
    return build([contracts], out, templates=templates, formats=("pdf",), **options)


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def _relative(report, out: Path) -> list[str]:  # noqa: ANN001
    return sorted(p.relative_to(out).as_posix() for p in report.written)


def test_unchanged_portfolio_is_skipped_without_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    first = _build(contracts, templates, out)
    assert _relative(first, out) == [
        "c1/fiche.pdf",
        "c1/note.pdf",
        "c2/fiche.pdf",
        "c2/note.pdf",
    ]
    assert first.portfolio == out / "index.html" and first.portfolio_written
    before = stamps(out)

    def no_validation(folder: Path) -> None:
        raise AssertionError(f"{folder} validé alors qu'il n'a pas changé")

    monkeypatch.setattr(build_module, "check_folder", no_validation)
    second = _build(contracts, templates, out)
    assert (second.documents, second.skipped, second.written, second.failed) == (0, 4, [], [])
    assert second.portfolio == out / "index.html" and not second.portfolio_written
    assert stamps(out) == before


def test_changed_contract_rebuilds_only_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    path = contracts / "c2" / "cpom.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["gestionnaire"]["nom"] = "Association renommée"
    data.pop("empreinte")  # a changed signed contract: signed off again (as a new version)
    write_contract(path.parent, data)
    report = _build(contracts, templates, out)
    assert _relative(report, out) == ["c2/fiche.pdf", "c2/note.pdf"]
    assert report.portfolio_written  # the card shows the new name
    assert (report.documents, report.skipped) == (2, 2)
    assert "Gestionnaire\u00a0: Association renommée." in _text(out / "c2" / "fiche.pdf")
    assert "Association renommée" in (out / "index.html").read_text(encoding="utf-8")


def test_changed_template_rebuilds_the_documents_using_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    (templates / "note.md.j2").write_text("# Note {{ id }}\n\nSeconde version.\n", "utf-8")
    report = _build(contracts, templates, out)
    assert _relative(report, out) == ["c1/note.pdf", "c2/note.pdf"]
    assert not report.portfolio_written  # the cards did not change
    assert "Seconde version." in _text(out / "c1" / "note.pdf")
    (templates / "README.md").write_text("Nos modèles, à relire.\n", encoding="utf-8")
    assert _build(contracts, templates, out).documents == 0  # notes are not templates
    (templates / "print.css").write_text("body { color: black; }\n", encoding="utf-8")
    report = _build(contracts, templates, out)
    assert report.documents == 4  # the print stylesheet serves every PDF


def test_force_rebuilds_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    report = _build(contracts, templates, out, force=True)
    assert (report.documents, report.skipped) == (4, 0)


def test_a_changed_cpomdocs_rebuilds_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    assert _build(contracts, templates, out).documents == 0
    monkeypatch.setattr(inputs, "code_digest", lambda: "le code de cpomdocs a changé")
    report = _build(contracts, templates, out)
    assert (report.documents, report.skipped) == (4, 0)


def test_each_document_records_its_time_and_the_longest_renders_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "out"
    events: list[BuildEvent] = []
    _build(contracts, templates, out, on_event=events.append)
    assert [e.document for e in events if e.kind == "document"] == ["fiche", "note"]
    cache = BuildCache(out)
    assert all(cache.seconds_of(f"c1/{name}") > 0 for name in ("fiche", "note"))
    cache.entries["c1/note"].seconds = cache.seconds_of("c1/fiche") + 5  # note was the slowest
    cache.save()
    events.clear()
    _build(contracts, templates, out, force=True, on_event=events.append)
    assert [e.document for e in events if e.kind == "document"] == ["note", "fiche"]


def test_deleted_contract_outputs_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    shutil.rmtree(contracts / "c2")
    result = CliRunner().invoke(
        main,
        ["build", str(contracts), "-o", str(out), "--templates", str(templates), "-f", "pdf"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert f"supprimé : {out}/c2 (contrat disparu des sources)" in result.output
    assert not (out / "c2").exists() and (out / "c1" / "fiche.pdf").is_file()
    assert "c2/fiche.pdf" not in (out / "index.html").read_text(encoding="utf-8")
    assert (
        f"0 document construit (0 fichier dans {out}/), 2 documents à jour, "
        "0 contrat en échec, en " in result.output
    )


def test_building_one_contract_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch)
    out = tmp_path / "out"
    _build(contracts, templates, out)
    report = build([contracts / "c1"], out, templates=templates, formats=("pdf",), force=True)
    assert report.removed == [] and _relative(report, out) == ["c1/fiche.pdf", "c1/note.pdf"]
    assert (out / "c2" / "fiche.pdf").is_file()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "c1/fiche.pdf" in page and "c2/fiche.pdf" in page


def test_other_options_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "out"
    _build(contracts, templates, out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # documents carry their date
    assert _build(contracts, templates, out).documents == 2
    assert build([contracts], out, templates=templates, formats=("docx",)).documents == 2
