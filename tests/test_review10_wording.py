"""Legal and wording findings of the session 9 review: an extension beside its authorisation,
the CHRS model's defined term, indicator units and act cells that break after « arrêté »."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from example_texts import CONTRACTS, CREATED, annexes_text, contract_text
from example_texts import checked as _checked
from example_texts import flat as _flat

from cpomdocs.cli.main import main
from cpomdocs.data.consolidate import apply_avenants
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents import typography
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.blocks import ComposedDocument, Table
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.redline import accept_all
from cpomdocs.render.pdf import render_pdf


def avenant_text(name: str, numero: int = 1) -> str:
    """The text of an example's avenant, on one line."""
    data, avenants = _checked(name)
    document = compose_avenant(data, avenants, numero, contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def test_a_chrs_contract_keeps_its_defined_term() -> None:
    told = contract_text("chrs-estuaire-2026")
    assert "ci-après dénommée « l'organisme gestionnaire »." in told
    assert " le gestionnaire" not in told.lower().replace("l'organisme gestionnaire", "")
    assert " du gestionnaire" not in told and " au gestionnaire" not in told
    assert "L'organisme gestionnaire transmet chaque année à l'autorité de tarification" in told
    assert "les parties fixent à l'organisme gestionnaire deux objectifs" in told
    assert "Présentation de l'organisme gestionnaire" in told
    assert "Annexe 1 : Fiche signalétique de l'organisme gestionnaire et des" in told


def test_other_contracts_keep_le_gestionnaire() -> None:
    told = contract_text("ehpad-les-cedres-2025")
    assert "Présentation du gestionnaire" in told
    assert "organisme gestionnaire transmet" not in told


def test_an_energy_indicator_prints_its_unit() -> None:
    told = annexes_text("ehpad-les-cedres-2025")
    assert "ENERGIE 245 kWh/m²/an (2023) 240 kWh/m²/an 230 kWh/m²/an" in told
    assert "ENERGIE 232 kWh/m²/an (2022)" in annexes_text("asba-beaujolais-2024")


def test_an_extension_completes_the_authorisation_it_modifies() -> None:
    told = avenant_text("chrs-estuaire-2026")
    assert (
        "À l'alinéa présentant le CHRS Le Phare, les mots : « arrêté préfectoral n° 2018-DDCS-0412 "
        "du 1er juillet 2018 » sont complétés par les mots : « , modifié par l'arrêté préfectoral "
        "n° 2026-DDETS-0933 du 2 octobre 2026 (extension de 10 places en diffus) »"
    ) in told
    assert "sont remplacés par les mots : « arrêté préfectoral n° 2026" not in told
    assert (
        "Vu l'arrêté préfectoral n° 2026-DDETS-0933 du 2 octobre 2026 modifiant l'autorisation "
        "du CHRS Le Phare (extension de 10 places en diffus) ;"
    ) in told


def test_the_consolidated_contract_keeps_the_original_act_and_its_echeance() -> None:
    data, avenants = _checked("chrs-estuaire-2026")
    patches = [a.model_dump(mode="json", exclude_none=True)["modifications"] for a in avenants]
    contract = Contract.model_validate(apply_avenants(data, patches))
    told = _flat(accept_all(compose_contract(contract, contract_id="x", created=CREATED).blocks))
    assert (
        "Le CHRS Le Phare (FINESS ET 44 001 873 7) est autorisé par arrêté préfectoral "
        "n° 2018-DDCS-0412 du 1er juillet 2018, modifié par l'arrêté préfectoral "
        "n° 2026-DDETS-0933 du 2 octobre 2026 (extension de 10 places en diffus). L'autorisation "
        "a été délivrée par le préfet de la Loire-Atlantique. Elle court jusqu'au 30 juin 2033."
    ) in told
    annexes = compose_annexes(contract, contract_id="x", created=CREATED)
    assert (
        "Autorisation arrêté préfectoral n° 2018-DDCS-0412 du 1er juillet 2018 (échéance : "
        "30 juin 2033) Modifiée par arrêté préfectoral n° 2026-DDETS-0933 du 2 octobre 2026 "
        "(extension de 10 places en diffus)"
    ) in _flat(accept_all(annexes.blocks))


def test_a_misspelt_modification_is_told_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(CONTRACTS / "fondation-val-d-ouche-2027", folder)
    source = folder / "cpom.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("    autorisation:\n")
    end = text.index("\n", text.index("      date:", start)) + 1
    added = "      modifications:\n        - acte: arrêté n° 1\n          datte: 2026-01-01\n"
    source.write_text(text[:end] + added + text[end:], encoding="utf-8")
    line = text[:end].count("\n") + 3
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert (
        f"cpom.yaml:{line}:11: etablissements.210007266.autorisation.modifications.0.datte: "
        "champ inconnu « datte » : vouliez-vous dire « date » ?"
    ) in result.output


def _tables(blocks: list[Any]) -> list[Table]:
    found = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        for key in ("blocks", "children"):
            found += _tables(getattr(block, key, None) or [])
    return found


def test_an_act_cell_does_not_leave_arrete_alone_on_its_first_line(tmp_path: Path) -> None:
    data, avenants = _checked("asba-beaujolais-2024")
    document = compose_avenant(data, avenants, 1, contract_id="a", created=CREATED)
    heading = "Acte d'habilitation"
    table = next(t for t in _tables(document.blocks) if t.header[-1][0].text == heading)
    pdf = render_pdf(typography.typeset(ComposedDocument(document.meta, [table])), tagged=False)
    (tmp_path / "t.pdf").write_bytes(pdf)
    lines = subprocess.run(
        ["pdftotext", "-layout", "t.pdf", "-"], cwd=tmp_path, check=True, capture_output=True
    ).stdout.decode()
    cells = [line.split("  ")[-1].strip() for line in lines.splitlines() if line.strip()]
    assert "arrêté" not in cells
    act = "arrêté du président du conseil départemental du Rhône"
    assert any(cell.startswith(act) for cell in cells)
    text = " ".join(cells)  # the act's number and its date each on one line (not cut)
    assert "n° 2025-4133" in text and "15 septembre 2025" in text


def test_an_avenant_replacing_the_authorisation_by_its_extension_is_warned(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "chrs"
    shutil.copytree(CONTRACTS / "chrs-estuaire-2026", folder)
    path = folder / "avenants" / "01-places-diffuses-le-phare.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("      autorisation:\n")
    end = text.index("      capacites:\n")
    replaced = (
        "      autorisation:\n        date: 2026-10-02\n"
        "        reference: arrêté préfectoral n° 2026-DDETS-0933\n"
    )
    text = text[:start] + replaced + text[end:]
    text = text[: text.index("empreinte:")].replace("statut: signé", "statut: projet")
    path.write_text(text, encoding="utf-8")
    warned = [str(p) for p in check_folder(folder).all_problems]
    line = text[: text.index("        date: 2026-10-02\n")].count("\n") + 1  # the new act
    assert warned == [
        f"{path}:{line}:9: avertissement: modifications.etablissements.440018737.autorisation: "
        "l'avenant remplace l'acte d'autorisation du CHRS Le Phare (arrêté préfectoral "
        "n° 2018-DDCS-0412 du 1er juillet 2018) mais garde son échéance du 30 juin 2033 : une "
        "extension modifie l'autorisation sans la renouveler ; gardez l'acte d'origine et "
        "inscrivez l'arrêté d'extension dans autorisation.modifications (acte, date, objet)"
    ]
