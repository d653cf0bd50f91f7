"""A newcomer's path through the README (session 17), from a new contract to its validation:
each friction met on the way, fixed, and held here by the command a user types, on real files.
The signed acts (publish, import docx, diff) are in test_newcomer17_acts.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from newcomer17_support import cli, copy_cedres, replace_once

from cpomdocs.cli.main import main


def test_a_signed_contract_without_its_date_says_where_to_write_it(tmp_path: Path) -> None:
    # « doit avoir une date de signature » did not say where: the draft `new` writes has
    # signature.lieu and dates.effet, and no line for the date of signature.
    folder = copy_cedres(tmp_path)
    path = folder / "cpom.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  signature: 2025-03-14\n", "", 1), encoding="utf-8")
    result = cli("validate", str(folder))
    assert result.exit_code == 1
    assert (
        f"{path}:9:1: dates: un contrat au statut « signé » doit avoir une date de signature : "
        "ajoutez sous dates une ligne « signature: AAAA-MM-JJ » (le jour de la signature)"
    ) in result.output.splitlines()


def test_new_avenant_example_names_the_contracts_own_establishment(tmp_path: Path) -> None:
    # The example patch named the FINESS of another contract: copied as is, it gave
    # « « 340005131 » n'existe pas dans le contrat ».
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        for args in (
            ("new", "contracts/og-les-tilleuls-2027", "--essms", "sessad", "--essms", "mas"),
            ("new", "avenant", "contracts/og-les-tilleuls-2027"),
        ):
            result = cli(*args)
            assert result.exit_code == 0, result.output
    written = tmp_path / "contracts/og-les-tilleuls-2027/avenants/01-projet.yaml"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[7:11] == [
        "#     etablissements:",
        '#       "000000000":  # SESSAD [à compléter]',
        "#         capacites:",
        "#           milieu_ordinaire: {autorisees: 10, installees: 10}",
    ]
    cedres = copy_cedres(tmp_path / "cedres")
    assert cli("new", "avenant", str(cedres)).exit_code == 0
    text = (cedres / "avenants" / "01-projet.yaml").read_text(encoding="utf-8")
    assert '#       "340005131":  # EHPAD Les Cèdres\n' in text
    assert "#           hebergement_permanent: {autorisees: 88, installees: 88}\n" in text


def test_a_date_written_the_french_way_gets_the_line_to_write(tmp_path: Path) -> None:
    # « attendu AAAA-MM-JJ (ex. 2026-01-31) » left the user to convert « 30/09/2026 » alone.
    folder = copy_cedres(tmp_path)
    path = folder / "cpom.yaml"
    replace_once(
        path,
        ("  effet: 2025-01-01", "  effet: 1er janvier 2025"),
        ("        echeance: 2026-09-30", "        echeance: 30/09/2026"),
        ("        echeance: 2025-12-31", "        echeance: 31/02/2025"),
    )
    result = cli("validate", str(folder))
    assert result.exit_code == 1
    assert [line.removeprefix(f"{path}:") for line in result.output.splitlines()[:3]] == [
        '11:10: dates.effet: date "1er janvier 2025" invalide : attendu AAAA-MM-JJ ; écrivez'
        " 2025-01-01",
        '128:19: objectifs.O1.actions.A1.1.echeance: date "31/02/2025" invalide : attendu'
        " AAAA-MM-JJ (ex. 2026-01-31)",
        '132:19: objectifs.O1.actions.A1.2.echeance: date "30/09/2026" invalide : attendu'
        " AAAA-MM-JJ ; écrivez 2026-09-30",
    ]


def test_a_refused_compte_rendu_still_gets_its_rules_checked(tmp_path: Path) -> None:
    # A date « 30/09/2026 » hid the unknown indicator and party until fixed: three runs of
    # validate for three errors. The contract's rules already ran beyond the schema; now the
    # compte-rendu's do, and « absent du contrat » lists what the contract has.
    folder = copy_cedres(tmp_path)
    command = ("new", "compte-rendu", str(folder), "--type", "comité de suivi")
    assert cli(*command, "--date", "2026-06-15").exit_code == 0
    path = folder / "comptes-rendus" / "2026-06-15-comite-de-suivi.yaml"
    replace_once(
        path,
        ("  cd34:\n", "  cd30:\n"),
        ("  TO-HP: {2025: 0}", "  TO-HP: {2025: 97.1}\n  GMP: {2025: 730}"),
        ("actions: {}", "actions:\n  S1: {libelle: Plan, responsable: DRH, echeance: 30/09/2026}"),
    )
    result = cli("validate", str(folder))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "avertissement" not in line]
    assert [line.removeprefix(f"{path}:") for line in errors] == [
        "15:3: participants.cd30: « cd30 » n'est pas une autorité signataire du contrat"
        " (autorites : ars, cd34)",
        "33:3: realisations.GMP: indicateur « GMP » absent du contrat (indicateurs : ABS-AS,"
        " ENERGIE, TO-HP)",
        '46:51: actions.S1.echeance: date "30/09/2026" invalide : attendu AAAA-MM-JJ ; écrivez'
        " 2026-09-30",
    ]
    assert result.output.splitlines()[-1] == "1 contrat vérifié : 3 erreurs, 11 avertissements"


def test_the_repository_readme_names_real_commands_and_the_signing_day(tmp_path: Path) -> None:
    # The README that `init` writes stopped at `new compte-rendu`: nothing on comparing an
    # avenant, bringing a DOCX back, or how a project becomes signed.
    assert cli("init", str(tmp_path)).exit_code == 0
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (
        "Le jour de la signature : `statut: signé`, la ligne `signature: AAAA-MM-JJ` sous "
        "`dates:`, puis\n`cpomdocs sign-off contracts/mon-cpom/cpom.yaml`"
    ) in text
    block = text[text.index("```sh\n") + 6 : text.index("```\n", text.index("```sh\n") + 6)]
    commands = [line.split("#")[0].split() for line in block.splitlines()]
    commands = [c for c in commands if c and c[0] == "cpomdocs"]
    assert [c[1] for c in commands][-2:] == ["diff", "import"]
    for words in commands:
        group, rest = main, words[1:]
        while rest and hasattr(group, "commands") and rest[0] in group.commands:
            group, rest = group.commands[rest[0]], rest[1:]
        assert group is not main, words
        options = {o for p in group.params for o in getattr(p, "opts", [])}
        assert {w for w in rest if w.startswith("-")} <= options, words


def test_new_and_build_read_what_a_user_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « --base EHPAD », « --type "Comité de suivi" » were refused; « --effet 01/01/2027 » and
    # « Mon CPOM » got an example to adapt instead of the value to write.
    monkeypatch.chdir(tmp_path)
    result = cli("new", "contracts/Mon CPOM", "--base", "ehpad")
    assert result.exit_code == 2
    assert result.stderr == (
        "contracts/Mon CPOM : nom de dossier de contrat invalide : lettres minuscules, chiffres,"
        " « - », « . » ou « _ » (ex. contracts/mon-cpom)\n"
    )
    result = cli("new", "contracts/mon-cpom", "--base", "EHPAD", "--effet", "01/01/2027")
    assert result.exit_code == 2
    assert result.stderr == (
        "« --effet » : « 01/01/2027 » n'est pas une date AAAA-MM-JJ : écrivez 2027-01-01\n"
    )
    result = cli("new", "contracts/mon-cpom", "--base", "EHPAD", "--essms", "Sessad")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "contracts/mon-cpom/cpom.yaml").read_text(encoding="utf-8")
    assert "\nbase_legale: L.313-12 IV ter\n" in text
    assert "SESSAD [à compléter]" in text
    command = ("new", "compte-rendu", "contracts/mon-cpom", "--type", "Comité de suivi")
    result = cli(*command, "--date", "2028-01-10")
    assert result.exit_code == 0, result.output
    written = tmp_path / "contracts/mon-cpom/comptes-rendus/2028-01-10-comite-de-suivi.yaml"
    assert "\ntype: comité de suivi\n" in written.read_text(encoding="utf-8")
    result = cli("build", "--as-of", "30/06/2027")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Erreur : Valeur invalide pour « --as-of » : « 30/06/2027 » n'est pas une date AAAA-MM-JJ"
        " : écrivez 2027-06-30."
    )


def test_every_blank_of_a_line_is_named_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « representant: {nom: à compléter, qualite: à compléter, habilitation: à compléter} » gave
    # one warning, for nom; filled, the next run named qualite, then habilitation.
    monkeypatch.chdir(tmp_path)
    assert cli("new", "contracts/x", "--base", "chrs", "--effet", "2027-01-01").exit_code == 0
    lines = cli("validate", "contracts/x").output.splitlines()
    assert [line for line in lines if "representant" in line] == [
        "contracts/x/cpom.yaml:26:23: avertissement: gestionnaire.representant.nom: à compléter"
        " (et qualite, habilitation, sur la même ligne)",
        "contracts/x/cpom.yaml:34:25: avertissement: autorites.prefet.representant.nom: à"
        " compléter (et qualite, sur la même ligne)",
    ]
    path = tmp_path / "contracts/x/cpom.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{nom: à compléter, qualite: à", "{nom: Marie Durand, qualite: à", 1)
    )
    lines = cli("validate", "contracts/x").output.splitlines()
    assert lines[8] == (
        "contracts/x/cpom.yaml:26:46: avertissement: gestionnaire.representant.qualite: à"
        " compléter (et habilitation, sur la même ligne)"
    )


def test_no_help_page_breaks_a_line_between_a_guillemet_and_its_word() -> None:
    # `export --help` printed « (colonne « » at the end of a line and « Contrat ») » on the next.
    def pages(group: object, words: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = [words]
        for name, command in getattr(group, "commands", {}).items():
            found += pages(command, (*words, name))
        return found

    for words in pages(main, ()):
        lines = cli(*words, "--help").output.splitlines()
        assert not [line for line in lines if line.endswith("«") or line.lstrip().startswith("»")]
        assert "\xa0" not in "".join(lines), words  # the held spaces are plain again
    export = cli("export", "--help").output
    assert "contrats (colonne\n                        « Contrat »)." in export
