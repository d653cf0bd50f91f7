"""Semantic diffs between negotiated versions held in a real git repository."""

from __future__ import annotations

import copy
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import CONTRACT, FIXTURE, make_repo, run_git

from cpomdocs.cli.main import main
from cpomdocs.data.load import load_document
from cpomdocs.versions.diff import diff_contracts, word_diff
from cpomdocs.versions.sources import read_avenant
from cpomdocs.versions.text import contract_text, render_markdown, render_text

FOLDER = str(Path(CONTRACT).parent)


def plain(text: str) -> str:
    """Babel's no-break spaces as ordinary ones, to write the expected statements readably."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("negociation") / "cpom")


def cli(repo: Path, *args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(main, ["diff", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, plain(result.output)


def lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


def test_ars_counter_proposal_between_two_revisions(repo: Path) -> None:
    code, out = cli(repo, "--rev", "HEAD~2..HEAD~1", FOLDER)
    assert code == 0, out
    assert lines(out) == [
        f"Différences : HEAD~2:{FOLDER} (version 1) → HEAD~1:{FOLDER} (version 2)",
        "",
        "Contrat (1 modification)",
        "~ Version : 1 → 2 (+1)",
        "",
        "Visas, préambule et diagnostic (1 texte modifié)",
        "~ Préambule : texte modifié",
        # the paragraph rewrapped at 94 columns under its 6-space indent
        "Le présent contrat fixe, pour cinq [-ans,-]{+années civiles,+} les objectifs que "
        "l'EHPAD Les Cèdres",
        "s'engage à atteindre et les moyens que lui allouent l'Agence régionale de santé et le",
        "Département. Il s'inscrit dans la réforme de la tarification des EHPAD et remplace la",
        "convention tripartite signée en 2012.",
        "",
        "Objectifs et indicateurs (1 modification)",
        "~ Objectif O3 « Maintenir un taux d'occupation élevé », indicateur TO-HP, "
        "cible 2027 : 92 % → 95 % (+3 pt)",
        "",
        "Financement (2 modifications)",
        "~ Forfait global de soins 2026 de l'EHPAD Les Cèdres (ARS) : "
        "1 138 300,00 € → 1 163 300,00 € (+25 000,00 € ; +2,2 %)",
        "~ Total annuel déclaré 2026 : 1 582 100,00 € → 1 607 100,00 € (+25 000,00 € ; +1,58 %)",
        "",
        "Totaux par financeur (calculés, pour information)",
        "= Total ARS 2026 : 1 163 300,00 € → 1 188 300,00 € (+25 000,00 € ; +2,15 %)",
    ]


def test_agreed_version_against_the_draft_with_file_revisions(repo: Path) -> None:
    code, out = cli(repo, f"HEAD~2:{CONTRACT}", f"HEAD:{CONTRACT}")
    assert code == 0, out
    assert (
        "~ Objectif O3 « Maintenir un taux d'occupation élevé », indicateur TO-HP, "
        "cible 2027 : 92 % → 95 % (+3 pt)" in lines(out)
    )
    assert "- Objectif O2 « Réduire la consommation d'énergie du bâtiment » : suppression" in lines(
        out
    )
    assert "+ Visas : ajout (la décision tarifaire 2025)" in lines(out)
    assert "~ Version : 1 → 3 (+2)" in lines(out)


def test_revision_to_the_working_tree(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)
    target = clone / CONTRACT
    target.write_text(
        target.read_text("utf-8").replace("places_habilitees: 82", "places_habilitees: 80")
    )
    code, out = cli(clone, "--rev", "HEAD", FOLDER)
    assert code == 0, out
    assert lines(out)[-1] == (
        "~ EHPAD Les Cèdres (FINESS 34 000 513 1), places habilitées à l'aide sociale : "
        "82 places → 80 places (−2)"
    )


def test_markdown_for_a_pull_request(repo: Path) -> None:
    code, out = cli(repo, "--rev", "HEAD~2..HEAD", FOLDER, "--format", "md")
    assert code == 0, out
    assert out.splitlines()[:9] == [
        f"### Différences du contrat : HEAD\\~2:{FOLDER} (version 1) → HEAD:{FOLDER} (version 3)",
        "",
        "**4 modifications, 1 ajout, 1 texte modifié, 1 suppression** :",
        "- Contrat : 1 modification",
        "- Visas, préambule et diagnostic : 1 ajout, 1 texte modifié",
        "- Objectifs et indicateurs : 1 suppression, 1 modification",
        "- Financement : 2 modifications",
        "- Totaux par financeur : calculés, pour information",
        "",
    ]
    assert (
        "| Forfait global de soins 2026 de l'EHPAD Les Cèdres (ARS) | 1 138 300,00 € | "
        "1 163 300,00 € | +25 000,00 € ; +2,2 % |" in out
    )
    assert "pour cinq ~~ans,~~<ins>années civiles,</ins> les objectifs" in out


def test_folder_at_a_revision_and_output_file(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "diff.md"
    code, out = cli(repo, f"HEAD~1:{FOLDER}", f"HEAD:{FOLDER}", "-f", "md", "-o", str(target))
    assert code == 0, out
    text = plain(target.read_text("utf-8"))
    assert "| Objectif O2 « Réduire la consommation d'énergie du bâtiment » |" in text


def test_file_to_file(tmp_path: Path) -> None:
    old = tmp_path / "v1.yaml"
    new = tmp_path / "v2.yaml"
    text = (FIXTURE / "cpom.yaml").read_text("utf-8")
    old.write_text(text, "utf-8")
    new.write_text(text.replace("duree_mois: 60", "duree_mois: 72").replace(
        "fin: 2029-12-31", "fin: 2030-12-31"), "utf-8")  # fmt: skip
    code, out = cli(tmp_path, "v1.yaml", "v2.yaml")
    assert code == 0, out
    assert lines(out)[2:5] == [
        "Contrat (2 modifications)",
        "~ Date de fin : 31 décembre 2029 → 31 décembre 2030",
        "~ Durée : 60 mois → 72 mois (+12)",
    ]


def test_before_and_after_an_avenant() -> None:
    before, after = read_avenant(FIXTURE, 1)
    found = [plain(c.statement) for c in diff_contracts(before.data, after.data).changes]
    assert found[:2] == [
        "EHPAD Les Cèdres (FINESS 34 000 513 1), autorisation, date de l'autorisation : "
        "3 janvier 2017 → 10 mai 2026",
        "EHPAD Les Cèdres (FINESS 34 000 513 1), autorisation, référence de l'arrêté : "
        "« arrêté conjoint ARS/CD n° 2017-0042 » → « arrêté conjoint ARS/CD n° 2026-0311 "
        "(extension de l'hébergement temporaire) »",
    ]
    found = found[2:]
    assert found[:3] == [
        "EHPAD Les Cèdres (FINESS 34 000 513 1), capacité hébergement temporaire, "
        "places autorisées : 4 places → 6 places (+2)",
        "EHPAD Les Cèdres (FINESS 34 000 513 1), capacité hébergement temporaire, "
        "places installées : 4 places → 6 places (+2)",
        "EHPAD Les Cèdres (FINESS 34 000 513 1), places habilitées à l'aide sociale : "
        "82 places → 84 places (+2)",
    ]
    assert (
        "Forfait global de soins 2027 de l'EHPAD Les Cèdres (ARS) : 1 156 500,00 € → "
        "1 181 500,00 € (+25 000,00 € ; +2,16 %)" in found
    )


def test_avenant_option_on_the_command_line() -> None:
    code, out = cli(FIXTURE, "--avenant", "1", ".")
    assert code == 0, out
    assert lines(out)[0] == "Différences : avant l'avenant n° 1 → après l'avenant n° 1"
    code, out = cli(FIXTURE, "--avenant", "2", ".")
    assert (code, out) == (2, f"avenant n° 2 introuvable dans {FIXTURE} (avenants : 1)\n")


def test_errors_are_one_clear_line(repo: Path, tmp_path: Path) -> None:
    assert cli(repo, "--rev", "nope..HEAD", FOLDER) == (2, "révision git inconnue : « nope »\n")
    assert cli(repo, "HEAD:contracts/absent.yaml", f"HEAD:{CONTRACT}") == (
        2,
        "« contracts/absent.yaml » n'existe pas dans la révision HEAD\n",
    )
    (tmp_path / "x.yaml").write_text("a: 1\n")
    assert cli(tmp_path, "--rev", "HEAD~1..HEAD", "x.yaml") == (
        2,
        f"{tmp_path.resolve()} n'est pas dans un dépôt git\n",
    )
    assert cli(tmp_path, "x.yaml") == (2, "deux versions à comparer attendues : ANCIEN NOUVEAU\n")
    assert cli(tmp_path, "x.yaml", "y.yaml") == (
        2,
        "« y.yaml » : ni un fichier, ni un dossier, ni une révision git (RÉV:chemin)\n",
    )


def test_word_diff_keeps_every_word() -> None:
    pieces = word_diff("le contrat est conclu pour cinq ans", "le contrat est signé pour six ans")
    assert pieces == [
        ("", "le contrat est "),
        ("del", "conclu"),
        ("ins", "signé"),
        ("", " pour "),
        ("del", "cinq"),
        ("ins", "six"),
        ("", " ans"),
    ]
    assert "".join(t for op, t in pieces if op != "ins") == "le contrat est conclu pour cinq ans"
    assert "".join(t for op, t in pieces if op != "del") == "le contrat est signé pour six ans"


def test_terminal_colours(repo: Path) -> None:
    before, after = read_avenant(FIXTURE, 1)
    text = render_text(diff_contracts(before.data, after.data, "a", "b"), color=True)
    assert text.startswith("\x1b[1mDifférences : a → b\x1b[0m")


def test_git_diff_with_textconv(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)
    (clone / ".gitattributes").write_text("contracts/**/*.yaml diff=cpom\n")
    command = f"{Path(sys.executable).parent / 'cpomdocs'} textconv"
    run_git(clone, "config", "diff.cpom.textconv", command)
    out = plain(run_git(clone, "diff", "HEAD~2", "HEAD~1", "--", CONTRACT))
    changed = [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    o3 = "Objectif O3 « Maintenir un taux d'occupation élevé », indicateur TO-HP, cible 2027"
    forfait = "Forfait global de soins 2026 de l'ESSMS 34 000 513 1 (ARS)"
    assert changed == [
        "-Version : 1",
        "+Version : 2",
        "-    Le présent contrat fixe, pour cinq ans, les objectifs que l'EHPAD Les Cèdres "
        "s'engage à",
        "-    atteindre et les moyens que lui allouent l'Agence régionale de santé et le "
        "Département. Il",
        "+    Le présent contrat fixe, pour cinq années civiles, les objectifs que "
        "l'EHPAD Les Cèdres s'engage",
        "+    à atteindre et les moyens que lui allouent l'Agence régionale de santé et le "
        "Département. Il",
        f"-{o3} : 92 %",
        f"+{o3} : 95 %",
        f"-{forfait} : 1 138 300,00 €",
        f"+{forfait} : 1 163 300,00 €",
        "-Total annuel déclaré 2026 : 1 582 100,00 €",
        "+Total annuel déclaré 2026 : 1 607 100,00 €",
    ]


def _fixture_data() -> dict:
    return load_document(FIXTURE / "cpom.yaml").data


def test_an_added_and_a_removed_establishment() -> None:
    old = _fixture_data()
    new = copy.deepcopy(old)
    essms = copy.deepcopy(old["etablissements"]["340005131"])
    essms.update(nom="SSIAD du Clermontais", categorie={"code": "354", "libelle": "SSIAD"})
    essms["capacites"] = {"domicile": {"autorisees": 40}}
    new["etablissements"]["340005149"] = essms
    found = [plain(c.statement) for c in diff_contracts(old, new).changes]
    assert found == [
        "SSIAD du Clermontais (FINESS 34 000 514 9) : ajout (SSIAD, 40 places autorisées)"
    ]
    found = [plain(c.statement) for c in diff_contracts(new, old).changes]
    assert found == [
        "SSIAD du Clermontais (FINESS 34 000 514 9) : suppression (SSIAD, 40 places autorisées)"
    ]


def test_identical_versions(tmp_path: Path) -> None:
    code, out = cli(FIXTURE, "cpom.yaml", "cpom.yaml", "-f", "md")
    assert (code, out) == (
        0,
        "### Différences du contrat : cpom.yaml (version 2) → cpom.yaml (version 2)\n\n"
        "Aucune différence de contenu.\n",
    )


def test_an_added_objective_is_shown_in_full() -> None:
    old = _fixture_data()
    new = copy.deepcopy(old)
    new["objectifs"]["O9"] = {
        "titre": "Prévenir les ruptures de parcours",
        "axe": "Parcours",
        "constat": "Un tiers des sorties\nse font en urgence.",
        "actions": {"A9.1": {"libelle": "Entretien de sortie", "pilote": "IDEC",
                             "echeance": "2027-06-30"}},
        "indicateurs": {"SORT": {"libelle": "Sorties préparées", "unite": "%",
                                 "reference": {"valeur": 40, "annee": 2024},
                                 "cibles": {"2027": 60, "2028": 75}}},
    }  # fmt: skip
    diff = diff_contracts(old, new, "v1", "v2")
    assert lines(plain(render_text(diff)))[2:] == [
        "Objectifs et indicateurs (1 ajout)",
        "+ Objectif O9 « Prévenir les ruptures de parcours » : ajout",
        "intitulé de l'objectif : « Prévenir les ruptures de parcours »",
        "axe : « Parcours »",
        "constat : Un tiers des sorties se font en urgence.",
        "action A9.1, libellé de l'action : « Entretien de sortie »",
        "action A9.1, pilote : « IDEC »",
        "action A9.1, échéance : 30 juin 2027",
        "indicateur SORT, libellé : « Sorties préparées »",
        "indicateur SORT, unité : « % »",
        "indicateur SORT, valeur de référence, valeur : 40 %",
        "indicateur SORT, valeur de référence, année : 2024",
        "indicateur SORT, cible 2027 : 60 %",
        "indicateur SORT, cible 2028 : 75 %",
    ]
    markdown = plain(render_markdown(diff))
    assert (
        "| Objectif O9 « Prévenir les ruptures de parcours » | — | intitulé de l'objectif"
        in markdown
    )
    assert "<br>indicateur SORT, cible 2028 : 75 % | ajout |" in markdown
    removed = render_text(diff_contracts(new, old, "v2", "v1"))
    assert "- Objectif O9 « Prévenir les ruptures de parcours » : suppression" in plain(removed)
    assert "indicateur SORT, cible 2027 : 60 %" in plain(removed)


def test_computed_totals_are_context_never_counted() -> None:
    old = _fixture_data()
    old["financement"].pop("totaux", None)
    new = copy.deepcopy(old)
    new["financement"]["lignes"]["340005131"]["ars"]["forfait_global_soins"]["2026"] += 1000
    diff = diff_contracts(old, new, "v1", "v2")
    assert [c.subject for c in diff.counted] == [
        "Forfait global de soins 2026 de l'EHPAD Les Cèdres (ARS)"
    ]
    text = lines(render_text(diff))
    assert "Financement (1 modification)" in text
    assert "Totaux par financeur (calculés, pour information)" in text
    assert "**1 modification** :" in render_markdown(diff)


def test_pull_request_comment_escapes_user_text() -> None:
    old = _fixture_data()
    new = copy.deepcopy(old)
    new["gestionnaire"]["nom"] = "Fondation Saint-Jean & Associés <Est> <b>gras</b> | *x*"
    text = render_markdown(diff_contracts(old, new, "v1", "v2"))
    assert (
        "Fondation Saint-Jean &amp; Associés &lt;Est&gt; &lt;b&gt;gras&lt;/b&gt; \\| \\*x\\*"
        in text
    )
    row = next(line for line in text.splitlines() if "Saint-Jean" in line)
    assert row.count(" | ") == 3  # the four cells of the table stay four


def test_textconv_names_an_establishment_once(tmp_path: Path) -> None:
    text = (FIXTURE / "cpom.yaml").read_text("utf-8")
    renamed = contract_text(load_document(FIXTURE / "cpom.yaml").data)
    (tmp_path / "v2.yaml").write_text(text.replace("nom: EHPAD Les Cèdres", "nom: Les Cèdres"))
    after = contract_text(load_document(tmp_path / "v2.yaml").data)
    changed = set(plain(renamed).splitlines()) ^ set(plain(after).splitlines())
    assert sorted(changed) == [
        "ESSMS 34 000 513 1, nom de l'ESSMS : « EHPAD Les Cèdres »",
        "ESSMS 34 000 513 1, nom de l'ESSMS : « Les Cèdres »",
    ]


def test_a_rewrapped_text_shows_only_its_changed_words() -> None:
    # The asba avenant rewrites « activites » with its lines cut elsewhere: the diff struck
    # « (6 places, dont 2 réservées aux sorties » and inserted it again, a line further.
    old = (
        "Hébergement permanent (80 places) et temporaire (6 places, dont 2 réservées aux sorties\n"
        "d'hospitalisation) ; pôle d'activités.\n"
    )
    new = (
        "Hébergement permanent (90 places) et temporaire\n"
        "(6 places, dont 2 réservées aux sorties d'hospitalisation) ; pôle d'activités.\n"
    )
    assert word_diff(old, new) == [
        ("", "Hébergement permanent "),
        ("del", "(80"),
        ("ins", "(90"),
        ("", " places) et temporaire (6 places, dont 2 réservées aux sorties d'hospitalisation) ; "
         "pôle d'activités.\n"),
    ]  # fmt: skip


def test_a_list_or_a_new_paragraph_stays_on_its_own_line() -> None:
    pieces = word_diff("Intro :\n- un\n- deux\n\nSuite.", "Intro :\n- un\n- trois\n\nSuite.")
    before = "".join(piece for op, piece in pieces if op != "ins")
    after = "".join(piece for op, piece in pieces if op != "del")
    assert (before, after) == (
        "Intro :\n- un\n- deux\n\nSuite.",
        "Intro :\n- un\n- trois\n\nSuite.",
    )


def test_a_long_changed_text_is_wrapped_with_its_marks_on_each_line() -> None:
    from cpomdocs.versions.diff import Change
    from cpomdocs.versions.text import _words_lines

    old = "Les montants sont indicatifs. " + "Mot " * 30 + "fin."
    new = "Les montants sont indicatifs. " + "Mot " * 30 + "fin, " + "ajout " * 30 + "terminé."
    change = Change(("financement", "evolution"), "x", kind="texte", words=word_diff(old, new))
    shown = _words_lines(change, color=False, width=60)
    assert all(len(line) <= 60 + len("[--]{++}") for line in shown)  # marks not counted
    assert len(shown) > 2
    inserted = [line for line in shown if "{+" in line]
    assert all(line.count("{+") == line.count("+}") for line in inserted)  # each line balanced
    assert "".join(shown).count("terminé.") == 1 and "\u00a0" not in "".join(shown)
