"""Sign-off: the fingerprint recorded in a signed file, and the refusal of a changed one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.fingerprint import canonical_json
from cpomdocs.data.load import load_document
from cpomdocs.data.signoff import _BLOCK, sign_off
from cpomdocs.data.validate import check_folder
from cpomdocs.errors import CpomError

FIXTURE = Path(__file__).parent / "fixtures" / "versions"
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "ehpad-test"
    shutil.copytree(FIXTURE, target)
    path = target / "cpom.yaml"  # the fixture is signed off: these tests sign it themselves
    path.write_text(_BLOCK.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_canonical_json_is_sorted_compact_utf8_without_the_fingerprint() -> None:
    data = {"b": "é", "a": [1, {"d": 2, "c": 3}], "empreinte": {"sha256": "0" * 64}}
    assert canonical_json(data) == '{"a":[1,{"c":3,"d":2}],"b":"é"}'.encode()


def test_sign_off_records_the_hash_and_keeps_comments(folder: Path) -> None:
    path = folder / "cpom.yaml"
    before = path.read_text(encoding="utf-8")
    sha256 = sign_off(path, DAY)
    after = path.read_text(encoding="utf-8")
    assert after == before + f'empreinte:\n  sha256: "{sha256}"\n  date: 2026-11-23\n'
    data = load_document(path).data
    expected = {k: v for k, v in data.items() if k != "empreinte"}
    assert expected["duree_mois"] == 60 and canonical_json(data).count(b"1120400,") == 1
    text = json.dumps(expected, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace(".0,", ",").replace(".0}", "}")  # integral amounts written as integers
    assert sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert check_folder(folder).all_problems == []
    assert sign_off(path, dt.date(2026, 12, 1)) == sha256  # signing again replaces the block
    assert path.read_text(encoding="utf-8").count("empreinte:") == 1


def test_a_changed_signed_contract_is_refused(folder: Path) -> None:
    path = folder / "cpom.yaml"
    sign_off(path, DAY)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Claire Dumoulin", "Claire Dupont"), encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if "sha256" in x)) + 1
    assert [str(p) for p in check_folder(folder).all_problems] == [
        f"{path}:{line}:11: empreinte.sha256: le contrat signé a été modifié depuis sa signature :"
        " toute modification passe par un avenant"
    ]


def test_sign_off_never_reseals_changed_content_silently(folder: Path) -> None:
    """Changed signed data is refused by sign-off as by validate (one call used to re-seal it
    and make validate pass again); --nouveau-contenu says a new copy was signed."""
    path = folder / "cpom.yaml"
    sha256 = sign_off(path, DAY)
    changed = path.read_text(encoding="utf-8").replace("Claire Dumoulin", "Claire Dupont")
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(CpomError, match="contenu modifié depuis l'empreinte enregistrée le "
                       "2026-11-23") as refused:  # fmt: skip
        sign_off(path, dt.date(2026, 12, 1))
    assert "--nouveau-contenu" in str(refused.value) and sha256[:12] in str(refused.value)
    assert path.read_text(encoding="utf-8") == changed  # nothing written
    done = CliRunner().invoke(main, ["sign-off", str(path)])
    assert done.exit_code != 0 and "Traceback" not in done.output
    assert "contenu modifié" in done.output
    assert sign_off(path, dt.date(2026, 12, 1), replace_content=True) != sha256
    assert check_folder(folder).all_problems == []


def test_layout_and_comments_may_change_but_not_the_content(folder: Path) -> None:
    path = folder / "cpom.yaml"
    sign_off(path, DAY)
    text = path.read_text(encoding="utf-8")
    path.write_text("# relu le 2 décembre\n" + text.replace("1120400.00", "1120400"), "utf-8")
    assert check_folder(folder).all_problems == []


def test_a_changed_signed_avenant_is_refused(folder: Path) -> None:
    sign_off(folder / "cpom.yaml", DAY)
    path = folder / "avenants" / "01-extension-pasa.yaml"
    sign_off(path, DAY)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("autorisees: 6, installees: 6", "autorisees: 7, installees: 6"))
    messages = [p.message for p in check_folder(folder).all_problems]
    assert messages == [
        "l'avenant signé a été modifié depuis sa signature : toute modification passe par un "
        "nouvel avenant"
    ]


def test_only_a_signed_document_can_be_signed_off(folder: Path) -> None:
    path = folder / "cpom.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("statut: signé", "statut: projet"), encoding="utf-8")
    with pytest.raises(CpomError) as caught:
        sign_off(path, DAY)
    assert str(caught.value) == (
        f"{path}: statut « projet » : seul un document au statut « signé » reçoit une empreinte"
    )
    assert path.read_text(encoding="utf-8") == text.replace("statut: signé", "statut: projet")


def test_cli_sign_off(folder: Path) -> None:
    path = folder / "avenants" / "01-extension-pasa.yaml"
    result = CliRunner().invoke(main, ["sign-off", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{path}: empreinte enregistrée (sha256 ")
    assert "empreinte:\n  sha256: " in path.read_text(encoding="utf-8")


def test_a_signed_contract_without_its_fingerprint_is_an_error(folder: Path) -> None:
    """The audit's switch-off: a value of a signed contract changed and its empreinte deleted."""
    path = folder / "cpom.yaml"  # signed, its empreinte block removed (fixture)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Claire Dumoulin", "Claire Dupont"), encoding="utf-8")
    line = text.splitlines().index("statut: signé") + 1
    result = CliRunner().invoke(main, ["validate", "--strict", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}:{line}:9: empreinte: document signé sans empreinte : lancez « cpomdocs sign-off "
        f"{path} » pour l'enregistrer (sans elle, une modification du document signé passerait "
        "inaperçue)"
    )
    sign_off(path, DAY)
    assert CliRunner().invoke(main, ["validate", "--strict", str(folder)]).exit_code == 0


def test_a_signed_avenant_without_its_fingerprint_is_an_error(folder: Path) -> None:
    sign_off(folder / "cpom.yaml", DAY)
    path = folder / "avenants" / "01-extension-pasa.yaml"
    path.write_text(_BLOCK.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    [problem] = check_folder(folder).all_problems
    assert (problem.field, problem.message) == (
        "empreinte",
        f"document signé sans empreinte : lancez « cpomdocs sign-off {path} » pour "
        "l'enregistrer (sans elle, une modification du document signé passerait inaperçue)",
    )
