"""Fuzzing kept in the suite: hostile files through the real commands, a French answer each time.

Bounded for `make test` (CPOMDOCS_FUZZ17 examples per test, 12 by default, the same on every
run); `make fuzz` runs them with hundreds. The oracle is in tests/fuzz_support.py.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fuzz_support import (
    EXAMPLES,
    XML_PIECES,
    YAML_PIECES,
    assert_clean,
    changed_outside,
    fuzz_settings,
    light_publication,
    mutated_bytes,
    mutated_zip,
    snapshot,
)
from hypothesis import given
from hypothesis import strategies as st
from incremental_support import small_portfolio
from property_support import JSON_VALUES

from cpomdocs.cli.main import main

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "valid" / "ehpad-minimal"
FILES = ["cpom.yaml", "avenants/01-credits.yaml", "comptes-rendus/2027-10-15-mi-parcours.yaml"]
JSON_PIECES = [
    b"[", b"]", b"{", b"}", b'"', b",", b":", b"null", b"true", b"1e400", b"-1", b"9" * 5000,
    b'"\\udcff"', b'"\\u0000"', b'"../../x"', b'"/etc/passwd"', b'"javascript:alert(1)"',
    b'{"href": "javascript:alert(1)", "format": "pdf"}', b"[" * 3000, b"\xff", b"\x00",
]  # fmt: skip


def invoke(*args: str) -> object:
    """A cpomdocs command, as a user types it."""
    return CliRunner().invoke(main, [str(a) for a in args])


@given(target=st.sampled_from(FILES), data=st.data())
@fuzz_settings()
def test_a_mutated_file_is_validated_shown_and_compared_in_french(
    tmp_path_factory: pytest.TempPathFactory, target: str, data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("yaml")
    folder = Path(shutil.copytree(MINIMAL, root / "c1"))
    original = (MINIMAL / target).read_bytes()
    (folder / target).write_bytes(data.draw(mutated_bytes(original, YAML_PIECES), "file"))
    before = snapshot(root)
    for args in _reading_commands(folder, target):
        result = invoke(*args)
        assert_clean(result, root)
        assert result.exit_code in (0, 1) or args[0] == "textconv", result.output
    assert snapshot(root) == before  # reading commands write nothing


def _reading_commands(folder: Path, target: str) -> list[tuple[Any, ...]]:
    """validate, textconv and diff (text and Markdown, either side changed) of a changed file."""
    return [
        ("validate", folder),
        ("textconv", folder / target),
        ("diff", MINIMAL / target, folder / target),
        ("diff", "-f", "md", folder / target, MINIMAL / target),
    ]


def _data(name: str) -> Any:
    """A file of the minimal contract as plain data (dates as text, as JSON has them)."""
    return json.loads(json.dumps(yaml.safe_load((MINIMAL / name).read_text("utf-8")), default=str))


ODD = st.sampled_from([None, "", "x", -1, 10**30, 1e300, True, [], {}, [None], {"": None}])
ODD_VALUES = ODD | JSON_VALUES | st.sampled_from(["2026-02-30", [{"a": 1}], {"O1": "x"}])


@st.composite
def reshaped(draw: st.DrawFn, document: Any) -> Any:
    """`document` with the value at some path (a section, an entry, a field) replaced."""
    document = copy.deepcopy(document)
    parent, key, current = None, None, document
    while isinstance(current, dict | list) and current and (parent is None or draw(st.booleans())):
        keys = list(current) if isinstance(current, dict) else list(range(len(current)))
        parent, key = current, draw(st.sampled_from(keys))
        current = current[key]
    parent[key] = draw(ODD_VALUES)  # type: ignore[index]
    return document


@given(target=st.sampled_from(FILES), data=st.data())
@fuzz_settings()
def test_a_reshaped_file_is_validated_shown_and_compared_in_french(
    tmp_path_factory: pytest.TempPathFactory, target: str, data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("shape")
    folder = Path(shutil.copytree(MINIMAL, root / "c1"))
    document = data.draw(reshaped(_data(target)), "document")
    (folder / target).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    for args in _reading_commands(folder, target):
        result = invoke(*args)
        assert_clean(result, root)
        assert result.exit_code in (0, 1), result.output


@given(target=st.sampled_from(FILES[:2]), data=st.data())
@fuzz_settings()
def test_sign_off_of_a_mutated_file_writes_a_valid_file_or_nothing(
    tmp_path_factory: pytest.TempPathFactory, target: str, data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("signoff")
    folder = Path(shutil.copytree(MINIMAL, root / "c1"))
    mutated = data.draw(mutated_bytes((MINIMAL / target).read_bytes(), YAML_PIECES), "file")
    (folder / target).write_bytes(mutated)
    result = invoke("sign-off", "--nouveau-contenu", "--remplacer-texte", folder / target)
    assert_clean(result, root)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code != 0:  # refused: the file as it was, to the byte
        assert (folder / target).read_bytes() == mutated
    else:  # written: the file reads again, its own fingerprint checks
        assert invoke("validate", folder).exit_code in (0, 1)
        assert "empreinte" in (folder / target).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small contracts built once (tiny templates), the root of their tree."""
    root = tmp_path_factory.mktemp("portfolio")
    with pytest.MonkeyPatch.context() as patch:  # the tiny document kinds
        small_portfolio(root, patch, ids=("c1", "c2"))
        result = build(root)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiny document kinds of the portfolio, for one test (all its examples)."""
    small_portfolio(tmp_path, monkeypatch, ids=())


def build(root: Path) -> object:
    """cpomdocs build of root/contracts into root/build, in this process, PDF only."""
    args = ("--templates", root / "templates", "-o", root / "build", "-j", "1", "-f", "pdf")
    return invoke("build", root / "contracts", *args)


def copied(root: Path, tmp: Path) -> Path:
    """A copy of the built portfolio, with a canary beside it and a publication inside build/."""
    shutil.copytree(root, tmp, dirs_exist_ok=True, symlinks=True)
    (tmp / "canari.txt").write_text("ne pas effacer\n", encoding="utf-8")
    (tmp / "build" / "publish").mkdir(exist_ok=True)
    (tmp / "build" / "publish" / "manifest.json").write_text("{}", encoding="utf-8")
    return tmp


@given(data=st.data())
@fuzz_settings()
def test_one_mutated_contract_neither_crashes_the_build_nor_stops_the_other(
    portfolio: Path, tiny: None, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    root = copied(portfolio, tmp_path_factory.mktemp("build"))
    cpom = root / "contracts" / "c1" / "cpom.yaml"
    cpom.write_bytes(data.draw(mutated_bytes(cpom.read_bytes(), YAML_PIECES), "cpom"))
    before = snapshot(root)
    result = build(root)
    assert_clean(result, root)
    assert (root / "build" / "c2" / "fiche.pdf").read_bytes().startswith(b"%PDF")
    allowed = ("build/c1/", "build/index.html", "build/.cpomdocs-")
    assert changed_outside(before, snapshot(root), allowed) == []


@given(data=st.data(), command=st.sampled_from(["merge", "build"]))
@fuzz_settings()
def test_a_mutated_build_cache_is_rebuilt_or_refused_never_followed(
    portfolio: Path,
    tiny: None,
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    command: str,
) -> None:
    root = copied(portfolio, tmp_path_factory.mktemp("cache"))
    cache = root / "build" / ".cpomdocs-cache.json"
    cache.write_bytes(data.draw(mutated_bytes(cache.read_bytes(), JSON_PIECES), "cache"))
    before = snapshot(root)
    if command == "merge":
        result = invoke("merge", root / "build", "-o", root / "site")
        allowed: tuple[str, ...] = ("site/",)
    else:
        result = build(root)
        allowed = ("build/c1/", "build/c2/", "build/index.html", "build/.cpomdocs-")
    assert_clean(result, root)
    assert changed_outside(before, snapshot(root), allowed) == []
    page = root / ("site" if command == "merge" else "build") / "index.html"
    if page.exists():
        assert "javascript:" not in page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The follow-up fixture and its exported workbook."""
    from cpomdocs.spreadsheet.export import export

    root = tmp_path_factory.mktemp("xlsx")
    folder = shutil.copytree(HERE / "fixtures" / "reports" / "ehpad-suivi", root / "ehpad-suivi")
    export([Path(folder)], root / "build")
    return root


@given(data=st.data())
@fuzz_settings()
def test_a_mutated_workbook_is_imported_or_refused_in_french(
    workbook: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    root = Path(shutil.copytree(workbook, tmp_path_factory.mktemp("import"), dirs_exist_ok=True))
    book = root / "build" / "ehpad-suivi" / "tableau-de-bord.xlsx"
    book.write_bytes(data.draw(mutated_zip(book.read_bytes(), XML_PIECES), "xlsx"))
    before = snapshot(root)
    result = invoke("import", "realisations", book, root / "ehpad-suivi")
    assert_clean(result, root)
    draft = "ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml"
    assert changed_outside(before, snapshot(root), (draft,)) == []
    assert invoke("validate", root / "ehpad-suivi").exit_code in (0, 1)


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft contract in git and its contrat.docx, as sent to the other party."""
    from gitrepo import make_repo

    from cpomdocs.build.schedule import build_portfolio

    root = tmp_path_factory.mktemp("docx")
    make_repo(root / "repo")
    report = build_portfolio([root / "repo" / "contracts"], root / "out", formats=("docx",))
    assert report.failed == []
    shutil.copy(next((root / "out").rglob("contrat.docx")), root / "contrat.docx")
    shutil.rmtree(root / "out")
    return root


@given(data=st.data())
@fuzz_settings(max(EXAMPLES // 3, 1))
def test_a_mutated_docx_is_imported_or_refused_in_french(
    returned: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    root = Path(shutil.copytree(returned, tmp_path_factory.mktemp("word"), dirs_exist_ok=True))
    docx = root / "contrat.docx"
    docx.write_bytes(data.draw(mutated_zip(docx.read_bytes(), XML_PIECES), "docx"))
    folder = root / "repo" / "contracts" / "ehpad-les-cedres"
    before = snapshot(root, skip=(root / "repo" / ".git",))
    result = invoke("import", "docx", docx, folder, "-r", root / "rapport.md")
    assert_clean(result, root)
    after = snapshot(root, skip=(root / "repo" / ".git",))
    assert changed_outside(before, after, ("repo/contracts/ehpad-les-cedres/", "rapport.md")) == []
    assert invoke("validate", folder).exit_code in (0, 1)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One signed contract published with a test CA: the folder, the CA's certificate."""
    return light_publication(tmp_path_factory.mktemp("published"))


@given(data=st.data())
@fuzz_settings()
def test_a_changed_byte_in_a_publication_is_never_accepted(
    published: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("verify")
    folder = Path(shutil.copytree(published[0], root / "publication"))
    # index.html is a convenience page written after the manifest is signed: not vouched for
    # by verify (see the session 16 note), so not drawn here
    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "index.html"
    )
    target = folder / data.draw(st.sampled_from(files), "file")
    original = target.read_bytes()
    pieces = JSON_PIECES if target.suffix == ".json" else [b"%%EOF\n", b"/Annots", b"\x00"]
    changed = data.draw(mutated_bytes(original, pieces), "bytes")
    target.write_bytes(changed)
    alone = [target] if target.suffix == ".pdf" else []  # a PDF received by mail, too
    for path in [folder, *alone]:
        result = invoke("verify", path, "--trust", published[1], "--sans-rendu")
        assert_clean(result, root)
        assert result.exit_code == (0 if changed == original else 1), result.output
