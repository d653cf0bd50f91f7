"""cpomdocs import docx: a counter-party's edits in the DOCX come back as data.

Real git repositories (tests/gitrepo.py), DOCX built by cpomdocs, edited by the test with lxml the
way Word writes edits (tracked or not), re-saved by LibreOffice headless, then imported.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import CONTRACT, make_repo, run_git
from wordback_support import AUTHOR, DocxEditor, libreoffice_resave

from cpomdocs import fmt
from cpomdocs.build.schedule import build_portfolio
from cpomdocs.documents.typography import plain
from cpomdocs.wordback.importer import import_docx, write_result
from cpomdocs.wordback.read import read_docx_bytes

FOLDER = Path(CONTRACT).parent
AMOUNT_BEFORE, AMOUNT_AFTER = fmt.amount(1156500, False), fmt.amount(1160000, False)
CLAUSE_BEFORE = "À défaut d’accord, le litige est porté devant le tribunal administratif "
PREAMBLE_TAIL = "remplace la convention tripartite signée en 2012"


def build_docx(repo: Path, output: Path) -> dict[str, bytes]:
    """contrat.docx and annexes.docx of the repository's contract, as `cpomdocs build` does."""
    report = build_portfolio([repo / "contracts"], output, formats=("docx",))
    assert report.failed == []
    return {
        name: (output / FOLDER.name / f"{name}.docx").read_bytes()
        for name in ("contrat", "annexes")
    }


def edit_contract(data: bytes, tracked: bool) -> bytes:
    """A capacity, a date, a prose sentence, an added list item and a fixed clause."""
    editor = DocxEditor(data, tracked)
    editor.replace("78", "80", row="Hébergement permanent", cell=2)
    editor.replace("15 octobre 2027", "20 octobre 2027")
    editor.replace(PREAMBLE_TAIL, PREAMBLE_TAIL + " et ses avenants")
    editor.add_paragraph_after("EPRD et ERRD de chaque exercice", "le rapport d'activité annuel")
    editor.replace("territorialement compétent", "de Montpellier")
    return editor.save()


def edit_annexes(data: bytes, tracked: bool, unreadable: bool = True) -> bytes:
    """An amount of the annexe financière, a yearly target, and a value that does not parse."""
    editor = DocxEditor(data, tracked)
    editor.replace(AMOUNT_BEFORE, AMOUNT_AFTER, row="Forfait global de soins")
    editor.replace(fmt.percent(95), fmt.percent(98), row="97,4", cell=4)
    if unreadable:
        editor.replace(fmt.percent(9), "12,5 k€", row="11,2", cell=4)
    return editor.save()


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A draft contract (version 3) in git, its DOCX, edited, and re-saved by LibreOffice."""
    root = tmp_path_factory.mktemp("wordback")
    repo = make_repo(root / "repo")
    built = build_docx(repo, root / "build")
    files = {
        "contrat": built["contrat"],
        "annexes": built["annexes"],
        "contrat-suivi": edit_contract(built["contrat"], tracked=True),
        "contrat-direct": edit_contract(built["contrat"], tracked=False),
        "annexes-suivi": edit_annexes(built["annexes"], tracked=True),
        "annexes-direct": edit_annexes(built["annexes"], tracked=False),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = root / "envoi" / f"{name}.docx"
        paths[name].parent.mkdir(exist_ok=True)
        paths[name].write_bytes(data)
    names = list(files)
    saved = libreoffice_resave([paths[name] for name in names], root / "libreoffice")
    paths.update({f"{name}-lo": path for name, path in zip(names, saved, strict=True)})
    paths["repo"] = repo
    paths["root"] = root
    return paths


def _import(paths: dict[str, Path], name: str):  # noqa: ANN202
    return import_docx(paths[name], paths["repo"] / FOLDER)


@pytest.mark.parametrize("name", ["contrat", "annexes", "contrat-lo", "annexes-lo"])
def test_no_edit_gives_an_empty_change_set(draft: dict[str, Path], name: str) -> None:
    result = _import(draft, name)
    assert result.changes.patch == {}
    assert result.changes.clauses == [] and result.changes.refused == []
    assert result.target is None


def test_bindings_and_properties_survive_libreoffice(draft: dict[str, Path]) -> None:
    sent = read_docx_bytes(draft["contrat"].read_bytes(), "envoi")
    saved = read_docx_bytes(draft["contrat-lo"].read_bytes(), "lo")
    keys = [p.key for p in sent.paragraphs if p.key]
    assert len(keys) > 100
    assert [p.key for p in saved.paragraphs if p.key] == keys
    values = [name for p in sent.paragraphs for _, _, name in p.values]
    assert len(values) > 20
    assert [name for p in saved.paragraphs for _, _, name in p.values] == values
    for name in ("cpomdocs.contrat", "cpomdocs.document", "cpomdocs.commit", "cpomdocs.version"):
        assert saved.properties[name] == sent.properties[name]
    assert sent.properties["cpomdocs.contrat"] == FOLDER.name
    assert sent.properties["cpomdocs.version"] == "3"
    head = run_git(draft["repo"], "log", "-1", "--format=%H").strip()
    assert sent.properties["cpomdocs.commit"] == head


EXPECTED_CONTRACT = {
    "version": 4,
    "etablissements": {"340005131": {"capacites": {"hebergement_permanent": {"autorisees": 80}}}},
    "suivi": {
        "dialogues": [
            {"annee": 2027, "type": "point à mi-parcours", "date_prevue": "2027-10-20"},
            {"annee": 2029, "type": "bilan final", "date_prevue": "2029-06-15"},
        ],
        "documents": [
            "EPRD et ERRD de chaque exercice",
            "le rapport d'activité annuel",
            "tableau de bord de la performance ANAP",
        ],
    },
}


@pytest.mark.parametrize(
    "name", ["contrat-suivi", "contrat-direct", "contrat-suivi-lo", "contrat-direct-lo"]
)
def test_contract_edits_become_typed_changes(draft: dict[str, Path], name: str) -> None:
    changes = _import(draft, name).changes
    patch = dict(changes.patch)
    preamble = patch.pop("preambule")
    assert patch == EXPECTED_CONTRACT
    assert preamble.endswith(
        "Il s'inscrit dans la **réforme de la tarification** des EHPAD et remplace la convention\n"
        "tripartite signée en 2012 et ses avenants.\n"
    )
    assert [(e.before, e.after) for e in changes.clauses] == [
        (CLAUSE_BEFORE + "territorialement compétent.", CLAUSE_BEFORE + "de Montpellier.")
    ]
    assert changes.clauses[0].where == "Article 6 – Le traitement des litiges, paragraphe 3"


@pytest.mark.parametrize(
    "name", ["annexes-suivi", "annexes-direct", "annexes-suivi-lo", "annexes-direct-lo"]
)
def test_annex_edits_become_typed_changes(draft: dict[str, Path], name: str) -> None:
    changes = _import(draft, name).changes
    assert changes.patch == {
        "version": 4,
        "objectifs": {"O3": {"indicateurs": {"TO-HP": {"cibles": {"2027": 98}}}}},
        "financement": {
            "lignes": {"340005131": {"ars": {"forfait_global_soins": {"2027": 1160000.0}}}},
            "totaux": {"2027": 1585100.0},
        },
    }
    [(edit, reason)] = changes.refused
    assert edit.after == "12,5 k€"
    assert reason == "« 12,5 k€ » illisible : unité « k€ » inattendue (« % » attendu)"
    assert edit.where == (
        "Valeurs de référence et cibles annuelles, tableau 9, ligne 2 (« ABS-AS »)"
    )
    assert edit.context.startswith("ABS-AS | 11,2\u00a0% (2023) | ")


def test_a_moved_list_item_moves_in_the_data(draft: dict[str, Path], tmp_path: Path) -> None:
    editor = DocxEditor(draft["contrat"].read_bytes(), tracked=True)
    editor.move_paragraph_after("EPRD et ERRD de chaque exercice", "tableau de bord de la")
    path = tmp_path / "deplace.docx"
    path.write_bytes(editor.save())
    for source in (path, libreoffice_resave([path], tmp_path / "lo")[0]):
        changes = import_docx(source, draft["repo"] / FOLDER).changes
        assert changes.patch == {
            "version": 4,
            "suivi": {
                "documents": [
                    "tableau de bord de la performance ANAP",
                    "EPRD et ERRD de chaque exercice",
                ]
            },
        }
        assert {(e.operation, e.authors[0].name) for e in changes.applied_edits()} == {
            ("supprime", AUTHOR),
            ("ajoute", AUTHOR),
        }


@pytest.mark.parametrize("tracked", [True, False])
def test_a_deleted_clause_and_an_added_paragraph_are_reported_not_applied(
    draft: dict[str, Path], tmp_path: Path, tracked: bool
) -> None:
    editor = DocxEditor(draft["contrat"].read_bytes(), tracked=tracked)
    editor.delete_paragraph("Le présent contrat se substitue")
    editor.add_paragraph_after(
        "Le présent contrat peut être révisé", "Toute révision est précédée d'un dialogue."
    )
    path = tmp_path / "clauses.docx"
    path.write_bytes(editor.save())
    changes = import_docx(path, draft["repo"] / FOLDER).changes
    assert changes.patch == {}
    found = [(e.kind, e.after, e.where, bool(e.authors)) for e in changes.clauses]
    assert found == [
        ("hors-champ", "Toute révision est précédée d'un dialogue.",
         "après Article 7 – La révision du contrat, paragraphe 2", tracked),
        ("clause", "", "Article 8 – La révision du terme de la convention tripartite "
             "pluriannuelle préexistante au CPOM, "
         "paragraphe 2", tracked),
    ]  # fmt: skip
    assert changes.clauses[1].before.startswith("Le présent contrat se substitue")


def test_report_names_authors_and_clauses(draft: dict[str, Path]) -> None:
    from cpomdocs.wordback.report import render_report

    tracked = render_report(_import(draft, "contrat-suivi-lo"))
    untracked = render_report(_import(draft, "contrat-direct"))
    row = (
        "| EHPAD Les Cèdres (FINESS 34\u00a0000\u00a0513\u00a01), capacité hébergement permanent, "
        "places autorisées | 78 | 80 | {who} | {when} | Activité et capacités, tableau 3, "
        "ligne 2 (« EHPAD Les Cèdres ») |"
    )
    assert row.format(who=AUTHOR, when="2026-11-30") in tracked
    assert row.format(who="modification non suivie", when="—") in untracked
    for report in (tracked, untracked):
        assert "## Modifications de clause type (1) — non appliquées, à négocier" in report
        assert "> " + CLAUSE_BEFORE + "territorialement compétent." in report
        assert "> " + CLAUSE_BEFORE + "de Montpellier." in report
    annexes = render_report(_import(draft, "annexes-suivi"))
    assert "## Non appliqué (1)" in annexes
    assert "« 9\u00a0% » → « 12,5 k€ » : « 12,5 k€ » illisible" in annexes


@pytest.mark.parametrize("name", ["contrat", "annexes"])
def test_applying_then_building_gives_the_edited_text(
    draft: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """The draft updated from an edited DOCX builds a DOCX that reads as the edited one (the
    figures computed from the data and the version number aside: they follow by themselves; the
    clause edit aside: it is not applied, by design)."""
    repo = tmp_path / "repo"
    shutil.copytree(draft["repo"], repo)
    folder = repo / FOLDER
    if name == "contrat":
        edited = draft["contrat-suivi-lo"].read_bytes()
    else:
        edited = edit_annexes(draft["annexes"].read_bytes(), tracked=True, unreadable=False)
    (tmp_path / "edited.docx").write_bytes(edited)
    assert write_result(import_docx(tmp_path / "edited.docx", folder)) == folder / "cpom.yaml"
    run_git(repo, "commit", "-qam", "v4 : modifications relues dans le DOCX")
    rebuilt = build_docx(repo, tmp_path / "build")[name]
    expected = [
        text.replace("de Montpellier.", "territorialement compétent.") for text in _readable(edited)
    ]
    assert _readable(rebuilt) == expected
    assert (
        import_docx(tmp_path / "build" / FOLDER.name / f"{name}.docx", folder).changes.patch == {}
    )


COMPUTED = ("=financement", "=financement.investissements", "=dates.preavis", "version",
            "=etablissements.340005131.places")  # fmt: skip


def _readable(data: bytes) -> list[str]:
    """The paragraphs' text, tracked changes accepted, computed figures and version masked,
    typography undone (the edits are typed without it, the rebuilt document has it)."""
    import hashlib

    masked = {"_v" + hashlib.sha1(f"valeur:{p}".encode()).hexdigest()[:10] for p in COMPUTED}
    texts = []
    for paragraph in read_docx_bytes(data, "x").paragraphs:
        text = paragraph.text
        if paragraph.toc or not text.strip():
            continue
        for start, end, name in sorted(paragraph.values, reverse=True):
            if name.split("_")[1] in {m[1:] for m in masked}:
                text = text[:start] + "#" + text[end:]
        texts.append(plain(text))
    return texts


def test_diff_shows_exactly_the_edits(draft: dict[str, Path], tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    repo = tmp_path / "repo"
    shutil.copytree(draft["repo"], repo)
    write_result(import_docx(draft["contrat-direct-lo"], repo / FOLDER))
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["diff", "--rev", "HEAD..", str(FOLDER)])
    assert done.exit_code == 0, done.output
    lines = [line.strip() for line in done.output.splitlines() if line.startswith("  ")]
    subjects = [line for line in lines if line[:1] in "~+-"]
    assert subjects == [
        "~ Version : 3 → 4 (+1)",
        "~ EHPAD Les Cèdres (FINESS 34\u00a0000\u00a0513\u00a01), capacité hébergement "
        "permanent, places autorisées : 78 places → 80 places (+2)",
        "~ Préambule : texte modifié",
        "- Suivi, dialogues de gestion : suppression (année : 2027, type : point à mi-parcours,"
        " date prévue : 15 octobre 2027)",
        "+ Suivi, dialogues de gestion : ajout (année : 2027, type : point à mi-parcours,"
        " date prévue : 20 octobre 2027)",
        "+ Suivi, documents à produire : ajout (le rapport d'activité annuel)",
    ]
    assert "tripartite signée en [-2012.-]{+2012 et ses avenants.+}" in done.output


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A signed contract with one signed avenant, in git, and its DOCX (consolidated ones too)."""
    root = tmp_path_factory.mktemp("signe")
    repo = root / "repo"
    shutil.copytree(Path(__file__).parent / "fixtures" / "versions", repo / FOLDER)
    run_git(root, "init", "-q", "-b", "main", str(repo))
    run_git(repo, "add", "-A")
    run_git(repo, "-c", "user.email=r@example.org", "-c", "user.name=R", "commit", "-qm", "signé")
    report = build_portfolio([repo / "contracts"], root / "build", formats=("docx",))
    assert report.failed == []
    names = ("contrat", "annexes", "annexes-consolidees")
    return repo, {n: (root / "build" / FOLDER.name / f"{n}.docx").read_bytes() for n in names}


def test_signed_contract_gets_one_avenant_draft_for_both_documents(
    signed: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    from cpomdocs.data.validate import check_folder
    from cpomdocs.wordback.importer import import_documents

    fixture = Path(__file__).parent / "fixtures" / "versions"
    repo = tmp_path / "repo"
    shutil.copytree(signed[0], repo)
    folder = repo / FOLDER
    built = signed[1]
    contract = tmp_path / "contrat.docx"
    contract.write_bytes(edit_contract(built["contrat"], tracked=True))
    annexes = DocxEditor(built["annexes"], tracked=True)
    annexes.replace(fmt.percent(97), fmt.percent(99), row="97,4", cell=4)
    (tmp_path / "annexes.docx").write_bytes(annexes.save())
    result = import_documents([contract, tmp_path / "annexes.docx"], folder)
    assert write_result(result) == folder / "avenants" / "02-modifications-docx.yaml"
    avenant = result.text
    assert avenant.startswith(
        "# yaml-language-server: $schema=../../../schema/avenant.schema.json\n"
        "# Projet d'avenant n° 2, tiré de « contrat.docx » et « annexes.docx » par cpomdocs"
        " import docx.\n"
    )
    assert (
        "numero: 2\nobjet: 'à compléter : modifications demandées dans « contrat.docx » et"
        " « annexes.docx »'\n" in avenant
    )
    assert "\nstatut: projet\n" in avenant
    patch = result.changes.patch
    assert patch["objectifs"] == {"O3": {"indicateurs": {"TO-HP": {"cibles": {"2027": 99}}}}}
    assert patch["etablissements"] == EXPECTED_CONTRACT["etablissements"]
    assert patch["suivi"] == EXPECTED_CONTRACT["suivi"]
    assert "version" not in patch
    assert result.notes == [
        f"« {name}.docx » montre le contrat signé sans son avenant signé : une liste qu'il"
        " modifie remplace celle de la version en vigueur ; envoyez plutôt la version consolidée"
        f" ({consolidated}.docx)"
        for name, consolidated in (
            ("contrat", "contrat-consolide"),
            ("annexes", "annexes-consolidees"),
        )
    ]
    assert check_folder(folder).ok, check_folder(folder).all_problems
    assert (folder / "cpom.yaml").read_bytes() == (fixture / "cpom.yaml").read_bytes()


def test_consolidated_annexes_give_an_avenant_over_the_consolidated_contract(
    signed: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """Avenant n° 1 set the 2027 target to 98 %: the consolidated annexes say 98 %, and a change
    to 99 % there is a change from 98 (the version in force), not from the signed 97."""
    repo = tmp_path / "repo"
    shutil.copytree(signed[0], repo)
    editor = DocxEditor(signed[1]["annexes-consolidees"], tracked=False)
    editor.replace(fmt.percent(98), fmt.percent(99), row="97,4", cell=4)
    (tmp_path / "annexes-consolidees.docx").write_bytes(editor.save())
    result = import_docx(tmp_path / "annexes-consolidees.docx", repo / FOLDER)
    assert result.changes.patch == {
        "objectifs": {"O3": {"indicateurs": {"TO-HP": {"cibles": {"2027": 99}}}}}
    }
    [applied] = result.changes.applied
    assert (applied.before, applied.after) == (98, 99)
    assert result.notes == []
    assert result.target == repo / FOLDER / "avenants" / "02-modifications-docx.yaml"


def _git_clean(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True
    ).stdout


# --- bad input: one clear French line, exit code 1, nothing written ---------------------------


def _with_property(data: bytes, name: str, value: str) -> bytes:
    """The DOCX `data` with one custom property set to `value`."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/custom.xml":
                pattern = rf'(name="{re.escape(name)}"><vt:lpwstr>)[^<]*'
                content = re.sub(pattern.encode(), rb"\g<1>" + value.encode(), content)
            target.writestr(info, content)
    return out.getvalue()


def _foreign_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Contrat pluriannuel d'objectifs et de moyens, version de l'ARS")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bad_inputs(draft: dict[str, Path]) -> dict[str, tuple[bytes, str]]:
    sent = draft["contrat-suivi"].read_bytes()
    gone = "0123456789abcdef0123456789abcdef01234567"
    return {
        "etranger": (
            _foreign_docx(),
            "{f} : ce document n'a pas été produit par cpomdocs (ses propriétés "
            "« cpomdocs.contrat », « cpomdocs.document » et « cpomdocs.commit » manquent) : "
            "seul un DOCX construit par cpomdocs depuis un commit peut être relu",
        ),
        "autre-contrat": (
            _with_property(sent, "cpomdocs.contrat", "asba-beaujolais-2024"),
            "{f} : ce document a été produit pour le contrat « asba-beaujolais-2024 », "
            "pas pour « ehpad-les-cedres »",
        ),
        "commit-disparu": (
            _with_property(sent, "cpomdocs.commit", gone),
            "le commit 0123456789ab dont ce document a été construit n'existe pas dans le dépôt "
            "{repo} (historique réécrit, ou dépôt d'un autre gestionnaire ?)",
        ),
        "non-commite": (
            _with_property(sent, "cpomdocs.sources_sha256", "0" * 64),
            "ce document a été construit à partir de fichiers modifiés après le commit "
            "{commit} (non commités) : il ne peut pas être relu de façon sûre ; construisez-le "
            "de nouveau après un commit et renvoyez-le",
        ),
        "corrompu": (
            sent[: len(sent) // 2],
            "{f} : fichier illisible ou endommagé : ce n'est pas un document Word (.docx)",
        ),
        "mot-de-passe": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096,
            "{f} : fichier protégé par un mot de passe (ou ancien format .doc) : enregistrez-le "
            "sans mot de passe au format .docx, puis relancez l'import",
        ),
        "redline": (
            _with_property(sent, "cpomdocs.document", "avenant-01"),
            "{f} : le document « avenant-01 » ne se relit pas ; seuls les documents « contrat »,"
            " « annexes », « contrat-consolide » et « annexes-consolidees » se renvoient annotés",
        ),
    }


@pytest.mark.parametrize(
    "case",
    ["etranger", "autre-contrat", "commit-disparu", "non-commite", "corrompu", "mot-de-passe",
     "redline"],
)  # fmt: skip
def test_bad_input_is_refused_in_french(draft: dict[str, Path], tmp_path: Path, case: str) -> None:
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    data, message = _bad_inputs(draft)[case]
    path = tmp_path / f"{case}.docx"
    path.write_bytes(data)
    repo = draft["repo"]
    before = (repo / FOLDER / "cpom.yaml").read_bytes()
    rapport = tmp_path / "rapport.md"
    args = ["import", "docx", str(path), str(repo / FOLDER), "-r", str(rapport)]
    done = CliRunner().invoke(main, args)
    commit = run_git(repo, "log", "-1", "--format=%H").strip()[:12]
    expected = message.format(f=path, repo=repo, commit=commit)
    assert (done.exit_code, done.output) == (1, expected + "\n")
    assert "Traceback" not in done.output and "erreur interne" not in done.output
    assert (repo / FOLDER / "cpom.yaml").read_bytes() == before
    assert not rapport.exists()
    assert _git_clean(repo) == ""


def test_missing_file_and_folder(draft: dict[str, Path], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    folder = draft["repo"] / FOLDER
    missing = tmp_path / "absent.docx"
    done = CliRunner().invoke(main, ["import", "docx", str(missing), str(folder)])
    assert (done.exit_code, done.output) == (  # a usage error, as for every missing path
        2,
        f"{missing} : fichier introuvable (un fichier .docx était attendu)\n",
    )
    done = CliRunner().invoke(main, ["import", "docx", str(draft["contrat"]), str(tmp_path)])
    assert (done.exit_code, done.output) == (
        1,
        f"{tmp_path} : dossier de contrat introuvable (cpom.yaml attendu)\n",
    )


def test_an_import_that_would_break_the_contract_writes_nothing(
    draft: dict[str, Path], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from cpomdocs.cli.main import main

    repo = tmp_path / "repo"
    shutil.copytree(draft["repo"], repo)
    editor = DocxEditor(draft["contrat"].read_bytes(), tracked=False)
    editor.replace("2027", "2031", contains="point à mi-parcours")  # after the contract's end
    path = tmp_path / "hors-periode.docx"
    path.write_bytes(editor.save())
    done = CliRunner().invoke(main, ["import", "docx", str(path), str(repo / FOLDER)])
    assert (done.exit_code, done.output) == (
        1,
        "les modifications du document rendraient le contrat invalide ; rien n'a été écrit :\n"
        f"  {repo / FOLDER / 'cpom.yaml'}:179:15: suivi.dialogues.0.annee: année 2031 hors de "
        "la période du contrat (2025–2029)\n",
    )
    assert _git_clean(repo) == ""


def test_changed_templates_are_told_not_blamed_on_the_counter_party(
    draft: dict[str, Path], tmp_path: Path
) -> None:
    """A DOCX built with other templates than those of the import: a warning, and the clause
    difference shows as such; with the same templates (--templates), nothing."""
    from cpomdocs.documents.compose import PACKAGE_TEMPLATES
    from cpomdocs.wordback.report import render_report

    templates = tmp_path / "modeles"
    templates.mkdir()
    text = (PACKAGE_TEMPLATES / "contrat.md.j2").read_text(encoding="utf-8")
    (templates / "contrat.md.j2").write_text(
        text.replace("territorialement compétent", "compétent"), encoding="utf-8"
    )
    report = build_portfolio(
        [draft["repo"] / "contracts"], tmp_path / "build", templates=templates, formats=("docx",)
    )
    assert report.failed == []
    sent = tmp_path / "build" / FOLDER.name / "contrat.docx"
    folder = draft["repo"] / FOLDER
    result = import_docx(sent, folder)
    assert result.changes.patch == {}
    assert [(e.before, e.after) for e in result.changes.clauses] == [
        (CLAUSE_BEFORE + "territorialement compétent.", CLAUSE_BEFORE + "compétent.")
    ]
    assert (
        "**Attention** : « contrat.docx » : le document reconstruit depuis le commit ne redit pas"
        " mot pour mot celui qui a été envoyé (les modèles ou cpomdocs ont changé depuis) : une"
        " « modification de clause type » peut venir de là ; --templates DOSSIER donne les"
        " modèles d'alors." in render_report(result)
    )
    same = import_docx(sent, folder, templates)
    assert same.notes == [] and same.changes.clauses == [] and same.changes.patch == {}


def test_typeset_values_read_as_the_data() -> None:
    """The DOCX shows values typeset (no-break spaces, −, ’, 1er): they read back as the data,
    and a text keeps the data's own writing where it was not edited."""
    from cpomdocs.wordback.values import typed_value

    amount = "1\u202f156\u202f500\u00a0€"
    assert typed_value("1\u202f360\u202f500\u00a0€", amount, 1156500) == 1360500
    assert typed_value("−2,5\u00a0%", "3\u00a0%", 3.0) == -2.5
    assert typed_value("1er\u00a0janvier\u00a02026", "15\u00a0octobre\u00a02027", "2027-10-15") == (
        "2026-01-01"
    )
    assert typed_value("20 octobre 2027", "15\u00a0octobre\u00a02027", "2027-10-15") == "2027-10-20"
    shown, data = "Améliorer l’accueil de jour", "Améliorer l'accueil de jour"
    assert typed_value("Améliorer l’accueil de nuit", shown, data) == "Améliorer l'accueil de nuit"
