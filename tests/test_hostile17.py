"""Session 16 hostile audit: each test here failed before its fix (see the session note)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main
from cpomdocs.errors import OutputError

SIGNED = b"%PDF publication signee"


def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """One small contract built into tmp/build, and a publication inside that folder."""
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "build"
    build([contracts], out, templates=templates, formats=("pdf",))
    published = out / "publish" / "manifest.json"
    published.parent.mkdir()
    published.write_bytes(SIGNED)
    return contracts, templates, out


def edit_cache(out: Path, change: Any) -> None:
    """Rewrite out's cache through `change` (a function of the parsed cache)."""
    path = out / ".cpomdocs-cache.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def gone(outputs: list[str], source: str = "/nulle/part") -> Any:
    """A change giving the cache a contract « zz » whose folder is gone, with these outputs."""

    def change(data: dict[str, Any]) -> None:
        data["entries"]["zz/fiche"] = {"fingerprint": "x", "outputs": outputs}
        data["sources"]["zz"] = source

    return change


def test_a_cache_nested_deeper_than_json_reads_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates, out = built(tmp_path, monkeypatch)
    (out / ".cpomdocs-cache.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    report = build([contracts], out, templates=templates, formats=("pdf",))  # was RecursionError
    assert not report.failed and report.documents == 2  # all rebuilt
    assert json.loads((out / ".cpomdocs-cache.json").read_text(encoding="utf-8"))["format"] == 2


def test_a_lone_surrogate_in_a_cached_card_is_not_written_into_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates, out = built(tmp_path, monkeypatch)

    def change(data: dict[str, Any]) -> None:
        data["cards"]["c1"]["card"]["title"] = "EHPAD \udcff"  # « \udcff » in the JSON text

    edit_cache(out, change)
    report = build([contracts], out, templates=templates, formats=("pdf",))  # was UnicodeEncode
    assert not report.failed
    assert "\\udcff" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_nul_in_a_cached_output_name_is_refused_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates, out = built(tmp_path, monkeypatch)
    edit_cache(out, gone(["zz/a\x00b.pdf"]))
    with pytest.raises(OutputError) as caught:  # was ValueError: embedded null byte
        build([contracts], out, templates=templates, formats=("pdf",))
    assert str(caught.value) == (
        f"{out}/.cpomdocs-cache.json: cache de construction refusé : le fichier "
        "« zz/a\\u0000b.pdf » sort du dossier de sortie ; rien n'a été écrit ni supprimé "
        "(supprimez ce fichier pour tout reconstruire)"
    )


@pytest.mark.parametrize("name", ["publish/manifest.json", "index.html", "c1/fiche.pdf"])
def test_a_cache_cannot_make_build_delete_a_file_of_another_contract_or_the_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    contracts, templates, out = built(tmp_path, monkeypatch)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit_cache(out, gone([name]))
    with pytest.raises(OutputError) as caught:  # was: the file deleted as « zz »'s output
        build([contracts], out, templates=templates, formats=("pdf",))
    assert str(caught.value) == (
        f"{out}/.cpomdocs-cache.json: cache de construction refusé : le fichier « {name} » "
        "n'est pas dans le dossier « zz » de son contrat ; rien n'a été écrit ni supprimé "
        "(supprimez ce fichier pour tout reconstruire)"
    )
    assert all(
        path.read_bytes() == data
        for path, data in before.items()
        if path.name != ".cpomdocs-cache.json"
    )


def test_a_shard_naming_the_publication_is_refused_by_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, shard = built(tmp_path, monkeypatch)
    site = tmp_path / "site"
    site.mkdir()
    (site / "publish").mkdir()
    (site / "publish" / "manifest.json").write_bytes(SIGNED)
    edit_cache(shard, gone(["publish/manifest.json"]))
    result = CliRunner().invoke(main, ["merge", str(shard), "-o", str(site)])
    assert result.exit_code == 1, result.output
    assert "n'est pas dans le dossier « zz » de son contrat" in result.output
    assert (site / "publish" / "manifest.json").read_bytes() == SIGNED
    assert sorted(p.name for p in site.iterdir()) == ["publish"]


def test_a_recorded_folder_no_file_system_takes_counts_as_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates, out = built(tmp_path, monkeypatch)
    (out / "zz").mkdir()
    (out / "zz" / "fiche.pdf").write_bytes(b"%PDF ancien")
    edit_cache(out, gone(["zz/fiche.pdf"], source=f"/tmp/{'a' * 300}"))
    report = build([contracts], out, templates=templates, formats=("pdf",))  # was « nom trop long »
    assert report.removed == ["zz"]
    assert not (out / "zz").exists()


def test_merge_copies_what_the_shard_built_not_a_publication_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, shard = built(tmp_path, monkeypatch)
    (shard / "publish" / "manifest.json").write_bytes(b'{"forge": true}')
    (shard / "c1" / "en-plus.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    site = tmp_path / "site"
    (site / "publish").mkdir(parents=True)
    (site / "publish" / "manifest.json").write_bytes(SIGNED)
    result = CliRunner().invoke(main, ["merge", str(shard), "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert (site / "publish" / "manifest.json").read_bytes() == SIGNED  # was the shard's forgery
    assert not (site / "c1" / "en-plus.html").exists()
    assert (site / "c1" / "fiche.pdf").read_bytes() == (shard / "c1" / "fiche.pdf").read_bytes()


@pytest.mark.parametrize(("text", "found"), [("n\n", '"n"'), ("- 1\n", "une liste")])
def test_diff_of_a_file_that_is_not_a_table_says_so_as_validate_does(
    tmp_path: Path, text: str, found: str
) -> None:
    avenant = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "avenants"
    broken = tmp_path / "01-credits.yaml"
    broken.write_text(text, encoding="utf-8")
    for args in ([avenant / "01-credits.yaml", broken], [broken, avenant / "01-credits.yaml"]):
        result = CliRunner().invoke(main, ["diff", *map(str, args)])
        assert result.exit_code == 1  # « une des deux versions est illisible » (was 2, usage)
        assert result.output == (
            f"{broken}:1:1: le fichier doit contenir une table de clés (champ: valeur), "
            f"pas {found}\n"
        )  # was « le contrat n'est pas une table de clés » for an avenant


def _reshaped(tmp_path: Path, name: str, path: tuple[str, ...], value: Any) -> Path:
    """A file of the minimal contract with the value at `path` replaced, as someone typing."""
    import yaml

    minimal = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
    data = json.loads(json.dumps(yaml.safe_load((minimal / name).read_text("utf-8")), default=str))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    written = tmp_path / Path(name).name
    written.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return written


FINESS_LINE = ("financement", "lignes", "340005131")
RESHAPED = [
    ("cpom.yaml", ("autorites",), None),
    ("cpom.yaml", ("autorites", "ars"), "x"),
    ("cpom.yaml", ("etablissements", "340005131"), "2026-02-30"),
    ("cpom.yaml", ("objectifs", "O1", "actions", "A1.1"), -1),
    ("cpom.yaml", ("objectifs", "O1", "indicateurs", "ABS-AS", "reference", "valeur"), 1e300),
    ("cpom.yaml", ("reference",), 1e300),
    ("cpom.yaml", ("financement",), True),
    ("cpom.yaml", ("financement", "lignes"), []),
    ("cpom.yaml", (*FINESS_LINE, "ars", "forfait_global_soins"), {"x": 1}),
    ("cpom.yaml", (*FINESS_LINE, "ars", "forfait_global_soins", "2025"), 1e300),
    ("avenants/01-credits.yaml", ("modifications",), None),
]


@pytest.mark.parametrize(("name", "path", "value"), RESHAPED)
def test_textconv_and_diff_show_a_file_being_written_whatever_its_shape(
    tmp_path: Path, name: str, path: tuple[str, ...], value: Any
) -> None:
    changed = _reshaped(tmp_path, name, path, value)
    original = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / name
    for args in (["textconv", changed], ["diff", original, changed], ["diff", changed, original]):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert "erreur interne" not in result.output  # was AttributeError, InvalidOperation…
        assert result.exit_code in (0, 1), result.output


def test_bytes_appended_to_the_manifest_signature_are_refused(tmp_path: Path) -> None:
    from fuzz_support import light_publication

    folder, ca = light_publication(tmp_path)
    signature = folder / "manifest.json.p7s"
    signature.write_bytes(signature.read_bytes() + b"\nn'importe quoi")
    result = CliRunner().invoke(main, ["verify", str(folder), "--trust", str(ca), "--sans-rendu"])
    assert result.exit_code == 1  # was « tout est conforme »
    assert result.output.splitlines()[0] == (
        "ÉCHEC       manifest.json — signature du manifeste : signature du manifeste altérée : "
        "15 octets ajoutés après elle"
    )


SOURCE = {"format": "cpomdocs-source/1", "contrat": "c", "document": "contrat"}


WRITE = "fichiers impossibles à écrire"
CLASH = "FileExistsError"
NOT_TEXTS = "« fichiers » n'est pas une table de textes"


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ({**SOURCE, "fichiers": {"a\x00.yaml": "x: 1"}}, f"{WRITE} (ValueError)"),
        ({**SOURCE, "fichiers": {"cpom.yaml": "x: \udcff"}}, f"{WRITE} (UnicodeEncodeError)"),
        ({**SOURCE, "fichiers": {"cpom.yaml": "x", "cpom.yaml/b.yaml": ""}}, f"{WRITE} ({CLASH})"),
        ({**SOURCE, "fichiers": ["cpom.yaml"]}, NOT_TEXTS),
        ({**SOURCE, "fichiers": {"cpom.yaml": 5}}, NOT_TEXTS),
        ({"format": "cpomdocs-source/1"}, "identifiant de contrat refusé «  »"),
    ],
)  # fmt: skip
def test_verify_of_a_pdf_whose_attached_source_no_file_can_hold_fails_in_french(
    tmp_path: Path, source: dict[str, Any], why: str
) -> None:
    import datetime as dt

    import weasyprint

    from cpomdocs.publish.testcert import make_test_certificates

    day = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    payload = json.dumps(source, ensure_ascii=True).encode()
    attached = weasyprint.Attachment(
        string=payload, name="cpomdocs-source.json", created=day, modified=day
    )
    pdf = tmp_path / "recu.pdf"  # a PDF received by mail: anyone may have made it
    pdf.write_bytes(weasyprint.HTML(string="<p>x</p>").write_pdf(attachments=[attached]))
    ca = make_test_certificates(tmp_path / "ac").ca_pem
    result = CliRunner().invoke(main, ["verify", str(pdf), "--trust", str(ca)])
    assert result.exit_code == 1, result.output  # was 3, « erreur interne »
    assert f"ÉCHEC       {pdf} — nouveau rendu : source jointe : {why}" in result.output


@pytest.mark.parametrize("dates", ["x", [{"a": 1}], True])
def test_new_avenant_of_a_contract_whose_dates_are_not_a_table(tmp_path: Path, dates: Any) -> None:
    (tmp_path / "c").mkdir()
    changed = _reshaped(tmp_path / "c", "cpom.yaml", ("dates",), dates)
    result = CliRunner().invoke(main, ["new", "avenant", str(changed.parent)])
    assert result.exit_code == 0, result.output  # was « erreur interne : AttributeError »
    assert (changed.parent / "avenants" / "01-projet.yaml").is_file()
