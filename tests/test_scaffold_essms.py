"""`cpomdocs new --essms`: a multi-ESSMS draft that validates and builds, with its financeurs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.cli.scaffold import ESSMS_CHOICES
from cpomdocs.scaffold.essms import ESSMS


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, (result.stdout + result.stderr).splitlines()


def drafted(root: Path, name: str, *options: str) -> dict:
    folder = root / "contracts" / name
    code, out = run("new", str(folder), "--effet", "2027-01-01", *options)
    assert code == 0, out
    code, out = run("validate", str(folder))
    assert code == 0, out
    assert re.fullmatch(r"1 contrat vérifié : 0 erreur, \d+ avertissements", out[-1]), out
    return yaml.safe_load((folder / "cpom.yaml").read_text(encoding="utf-8"))


def test_an_ehpad_and_a_sessad_build_with_their_financeurs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # user15 had to copy the EHPAD block by hand to add the SESSAD of the same OG.
    assert run("init", str(tmp_path))[0] == 0
    data = drafted(tmp_path, "og-2027", "--base", "ehpad", "--essms", "ehpad", "--essms", "sessad")
    assert data["secteur"] == "mixte" and data["base_legale"] == "L.313-12 IV ter"
    essms = data["etablissements"]
    assert {f: e["categorie"]["code"] for f, e in essms.items()} == {
        "000000000": "500",
        "000000018": "182",
    }
    assert essms["000000018"]["capacites"] == {
        "milieu_ordinaire": {"autorisees": 0, "installees": 0}
    }
    lines = data["financement"]["lignes"]
    assert set(lines["000000000"]) == {"ars", "departement"}  # soins ARS, dépendance Département
    assert list(lines["000000018"]) == ["ars"]
    assert list(lines["000000018"]["ars"]) == ["dotation_globale"]
    assert any("L.313-12-2" in visa for visa in data["visas"])
    monkeypatch.chdir(tmp_path)
    code, out = run("build", "contracts/og-2027")
    assert code == 0, out
    pdf = tmp_path / "build" / "og-2027" / "contrat.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    words = " ".join(text.stdout.split())
    assert "Mixte – article L.313-12 IV ter" in words
    assert "deux établissements et services" in words
    assert "182 – SESSAD" in words and "500 – EHPAD" in words
    assert "SESSAD [à compléter] (FINESS ET [à compléter])" in words  # no fictitious number
    assert "Mode de tarification : dotation globale" in words
    assert (
        "Vu le code de l’action sociale et des familles, notamment son article L.313-12-2" in words
    )
    assert "000000018" not in words and "00 000 001 8" not in words


def test_without_a_base_the_essms_choose_it(tmp_path: Path) -> None:
    handicap = drafted(tmp_path, "ph-2027", "--essms", "sessad", "--essms", "mas")
    assert handicap["base_legale"] == "L.313-12-2"
    assert handicap["secteur"] == "personnes handicapées"
    categories = [e["categorie"]["code"] for e in handicap["etablissements"].values()]
    assert categories == ["182", "255"]  # the IME of the handicap draft left out
    lines = handicap["financement"]["lignes"]
    assert all(list(line["ars"]) == ["dotation_globalisee_commune"] for line in lines.values())
    assert handicap["financement"]["dotation_globalisee_commune"]["beneficiaire"] == "000000000"
    ehpad = drafted(tmp_path, "og-2027", "--essms", "sessad", "--essms", "ehpad")
    assert ehpad["base_legale"] == "L.313-12 IV ter" and ehpad["secteur"] == "mixte"
    mixed = drafted(tmp_path, "mixte-2027", "--essms", "chrs", "--essms", "ehpad")
    assert mixed["base_legale"] == "L.313-11" and mixed["secteur"] == "mixte"
    assert mixed["autorites"]["prefet"]["type"] == "préfet"  # the CHRS's financeur is a party
    assert set(mixed["autorites"]) == {"ars", "departement", "prefet"}


@pytest.mark.parametrize("kind", sorted(ESSMS))
def test_each_category_added_to_an_ehpad_validates(tmp_path: Path, kind: str) -> None:
    base, first = ("handicap", "sessad") if kind == "ehpad" else ("ehpad", "ehpad")
    data = drafted(tmp_path, "c-2027", "--base", base, "--essms", first, "--essms", kind)
    added = [
        e for e in data["etablissements"].values() if e["categorie"]["code"] == ESSMS[kind].code
    ]
    assert added and added[-1]["tarification"] == ESSMS[kind].tarification
    parties = {p for p, _ in ESSMS[kind].financing}
    assert parties <= set(data["autorites"])


def test_the_choices_are_the_table_and_a_repeat_is_refused(tmp_path: Path) -> None:
    assert set(ESSMS_CHOICES) == set(ESSMS)
    code, out = run("new", str(tmp_path / "x"), "--essms", "ehpad", "--essms", "ehpad")
    assert code == 2
    assert out == [
        "--essms : une catégorie est demandée deux fois ; pour deux ESSMS de la même "
        "catégorie, copiez le bloc du premier dans etablissements (ex. --essms ehpad --essms "
        "sessad)"
    ]
    code, out = run("new", str(tmp_path / "y"), "--essms", "foyer")
    assert code == 2 and "foyer-de-vie" in " ".join(out)


def test_essms_is_for_a_new_contract_only(tmp_path: Path) -> None:
    drafted(tmp_path, "c-2027", "--base", "ehpad")
    code, out = run("new", "avenant", str(tmp_path / "contracts" / "c-2027"), "--essms", "sessad")
    assert code == 2
    assert out == [
        "cpomdocs new avenant : --essms est réservé à un nouveau contrat ; un ESSMS s'ajoute à un "
        "contrat existant par un avenant (cpomdocs new avenant, puis etablissements dans ses "
        "modifications)"
    ]
    assert not (tmp_path / "contracts" / "c-2027" / "avenants").exists()
    readme = tmp_path / "depot"
    assert run("init", str(readme))[0] == 0
    assert "--essms ehpad --essms sessad" in (readme / "README.md").read_text(encoding="utf-8")


def test_a_diff_names_each_draft_essms_by_its_fictitious_finess(tmp_path: Path) -> None:
    # The terminal diff and git diff said « ESSMS \[à compléter\] » for the EHPAD and the SESSAD
    # alike, a Markdown escape in plain text.
    drafted(tmp_path, "c-2027", "--base", "ehpad", "--essms", "ehpad", "--essms", "sessad")
    old = tmp_path / "contracts" / "c-2027" / "cpom.yaml"
    new = tmp_path / "nouveau.yaml"
    text = old.read_text(encoding="utf-8")
    new.write_text(
        text.replace("milieu_ordinaire: {autorisees: 0", "milieu_ordinaire: {autorisees: 30"),
        "utf-8",
    )
    code, out = run("diff", str(old), str(new))
    assert code == 0, out
    assert out[-1] == (
        "  ~ SESSAD [à compléter] (FINESS 000000018), capacité milieu ordinaire, places autorisées"
        " : 0 place → 30 places (+30)"
    ), out
    code, out = run("textconv", str(old))
    assert "ESSMS 000000018, nom de l'ESSMS : «\xa0SESSAD [à compléter]\xa0»" in out
    assert not any("\\[" in line for line in out)
