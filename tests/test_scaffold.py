"""cpomdocs init and new: a users' repository and drafts that validate, with exact messages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cpomdocs import __version__
from cpomdocs.cli.main import main
from cpomdocs.data.schema import SCHEMA_FILES, Kind, schema_text
from cpomdocs.data.signoff import sign_off

FIXTURES = Path(__file__).parent / "fixtures"
REPOSITORY = {
    ".gitattributes",
    ".github/dependabot.yml",
    ".github/workflows/pr-diff.yml",
    ".github/workflows/publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
    "README.md",
    "contracts/.gitkeep",
    "schema/avenant.schema.json",
    "schema/compte-rendu.schema.json",
    "schema/cpom.schema.json",
    "templates/README.md",
}


def run(*args: str) -> tuple[int, list[str], list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A users' repository made by `cpomdocs init`, with one draft per legal basis."""
    root = tmp_path_factory.mktemp("depot")
    assert run("init", str(root))[0] == 0
    for base in ("ehpad", "handicap", "generique", "chrs"):
        code, out, _ = run("new", str(root / "contracts" / f"{base}-2027"), "--base", base)
        assert code == 0, out
    return root


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_the_repository(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "depot"))
    assert code == 0
    root = tmp_path / "depot"
    assert files_of(root) == REPOSITORY
    assert out[-3:] == [
        "13 fichiers écrits, 0 conservé.",
        "Une fois par clone, pour lire les contrats dans git diff :",
        '  git config diff.cpom.textconv "cpomdocs textconv"',
    ]
    assert "contracts/**/*.yaml diff=cpom" in (root / ".gitattributes").read_text().splitlines()
    for kind in Kind:
        assert (root / "schema" / SCHEMA_FILES[kind]).read_text() == schema_text(kind)
    settings = json.loads((root / ".vscode/settings.json").read_text())
    assert all((root / schema).is_file() for schema in settings["yaml.schemas"])
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [h["entry"] for h in hooks] == [
        "cpomdocs validate --whole-contract",
        "cpomdocs schema --check",
    ]


def test_workflows_follow_github_conventions(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    workflows = tmp_path / ".github" / "workflows"
    pr = yaml.safe_load((workflows / "pr-diff.yml").read_text())
    job = pr["jobs"]["diff"]
    assert pr["concurrency"]["cancel-in-progress"] is True and job["timeout-minutes"] == 30
    steps = {step.get("name", step.get("uses")): step for step in job["steps"]}
    assert steps["Valider les contrats"]["run"] == "cpomdocs validate contracts --format github"
    comment = steps["Commenter la pull request"]
    assert comment["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert comment["continue-on-error"] is True
    assert steps["Installer cpomdocs"]["run"] == f'python -m pip install "cpomdocs=={__version__}"'
    ours = sorted((Path(__file__).parents[1] / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in ours] == ["pr-diff.yml", "publish.yml", "test.yml"]
    for path in [*workflows.glob("*.yml"), *ours]:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"uses: actions/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (
                    line
                )
    dependabot = yaml.safe_load((tmp_path / ".github/dependabot.yml").read_text())
    assert dependabot["updates"][0]["package-ecosystem"] == "github-actions"


def test_init_never_overwrites(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    (tmp_path / "README.md").write_text("le nôtre\n")
    (tmp_path / ".gitattributes").unlink()
    code, out, _ = run("init", str(tmp_path))
    assert code == 0
    assert (tmp_path / "README.md").read_text() == "le nôtre\n"
    assert f"écrit       {tmp_path}/.gitattributes" in out
    assert f"conservé    {tmp_path}/README.md (déjà présent, non modifié)" in out
    assert "1 fichier écrit, 12 conservés." in out


def test_init_says_what_a_kept_gitattributes_lacks(tmp_path: Path) -> None:
    """An existing .gitattributes is kept as it is; without our line, git diff would show the
    contracts as raw YAML without a word: init says which line to add, and only then."""
    (tmp_path / ".gitattributes").write_text("*.png binary\n")
    code, out, _ = run("init", str(tmp_path))
    assert code == 0
    assert (tmp_path / ".gitattributes").read_text() == "*.png binary\n"
    assert (
        f"à compléter {tmp_path}/.gitattributes : ajoutez-y la ligne "
        "« contracts/**/*.yaml diff=cpom », sans quoi git diff montre les contrats en YAML brut"
    ) in out
    (tmp_path / ".gitattributes").write_text("*.png binary\ncontracts/**/*.yaml  diff=cpom\n")
    code, out, _ = run("init", str(tmp_path))
    assert code == 0 and not [line for line in out if line.startswith("à compléter")]
    (tmp_path / ".gitattributes").unlink()
    (tmp_path / ".gitattributes").symlink_to("/dev/zero")  # never read: it has no end
    code, out, _ = run("init", str(tmp_path))
    assert code == 0 and any(
        line.startswith(f"à compléter {tmp_path}/.gitattributes : ajoutez-y la ligne")
        for line in out
    )


def test_init_refuses_to_write_outside(tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (tmp_path / "depot").mkdir()
    (tmp_path / "depot" / ".github").symlink_to(outside)
    code, out, _ = run("init", str(tmp_path / "depot"))
    assert code == 1
    assert list(outside.iterdir()) == []
    target = tmp_path / "depot" / ".github" / "dependabot.yml"
    assert f"refusé      {target} : pointe hors de {tmp_path / 'depot'} (lien symbolique)" in out


def test_init_on_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    assert run("init", str(tmp_path / "f")) == (
        2,
        [],
        [f"{tmp_path / 'f'} : c'est un fichier, un dossier était attendu"],
    )


@pytest.mark.parametrize("base", ["ehpad", "handicap", "generique", "chrs"])
def test_each_draft_validates_with_warnings_only(repo: Path, base: str) -> None:
    folder = repo / "contracts" / f"{base}-2027"
    code, out, _ = run("validate", str(folder))
    assert code == 0
    *problems, summary = out
    assert re.fullmatch(r"1 contrat vérifié : 0 erreur, \d+ avertissements", summary)
    assert all(": avertissement: " in line and "à compléter" in line for line in problems)
    assert f"{folder}/cpom.yaml:7:12: avertissement: reference: à compléter" in problems
    assert (  # --effet not given: the default date is to check
        f"{folder}/cpom.yaml:14:3: avertissement: dates.effet: à compléter (date par défaut, "
        "le 1er janvier suivant)"
    ) in problems
    # The editor's schema line points at the schema that init wrote.
    first = (folder / "cpom.yaml").read_text().splitlines()[0]
    schema = first.removeprefix("# yaml-language-server: $schema=")
    assert schema == "../../schema/cpom.schema.json"
    assert (folder / schema).resolve() == (repo / "schema" / "cpom.schema.json").resolve()


def test_legal_basis_content(repo: Path) -> None:
    ehpad = yaml.safe_load((repo / "contracts/ehpad-2027/cpom.yaml").read_text())
    assert ehpad["base_legale"] == "L.313-12 IV ter" and ehpad["statut"] == "projet"
    assert any("arrêté du 3 mars 2017" in visa for visa in ehpad["visas"])
    decree = next(visa for visa in ehpad["visas"] if "2016-1814" in visa)
    assert decree.endswith(  # the decree's whole title (JORF of 23 December 2016)
        "personnes âgées dépendantes relevant du I et du II de l'article L.313-12 du code de "
        "l'action sociale et des familles"
    )
    assert "conventions_tripartites" in ehpad["clauses"]
    handicap = yaml.safe_load((repo / "contracts/handicap-2027/cpom.yaml").read_text())
    assert handicap["base_legale"] == "L.313-12-2"
    assert handicap["financement"]["dotation_globalisee_commune"]["beneficiaire"] == "000000000"
    generic = yaml.safe_load((repo / "contracts/generique-2027/cpom.yaml").read_text())
    assert generic["base_legale"] == "L.313-11" and generic["secteur"] == "mixte"
    chrs = yaml.safe_load((repo / "contracts/chrs-2027/cpom.yaml").read_text())
    assert chrs["base_legale"] == "L.313-11-2" and chrs["autorites"]["prefet"]["type"] == "préfet"
    assert chrs["financement"]["affectation_resultats"]["regle"] == "même programme budgétaire"
    codes = {code for o in chrs["objectifs"].values() for code in o["indicateurs"]}
    assert codes == {
        *("SORTIE-LO", "SORTIE-LO-NB", "SORTIE-LA", "SORTIE-LA-NB", "DLS-ACTIVE", "SEJOUR-LONG")
    }


def test_a_signed_draft_still_to_complete_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    run("new", str(folder), "--base", "ehpad", "--effet", "2027-01-01")
    text = (folder / "cpom.yaml").read_text()
    text = text.replace("statut: projet", "statut: signé").replace(
        "  effet: 2027-01-01", "  signature: 2026-12-01\n  effet: 2027-01-01"
    )
    (folder / "cpom.yaml").write_text(text)
    code, out, _ = run("validate", str(folder))
    assert code == 1
    assert (
        f"{folder}/cpom.yaml:7:12: reference: valeur encore à compléter dans un document au "
        "statut « signé » : remplacez-la"
    ) in out


def test_new_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    assert run("new", str(folder), "--base", "ehpad")[0] == 0
    assert run("new", str(folder), "--base", "handicap") == (
        2,
        [],
        [f"{folder}/cpom.yaml existe déjà : cpomdocs new n'écrase jamais un fichier"],
    )
    assert run("new", str(tmp_path / "Mon CPOM"), "--base", "ehpad")[2] == [
        f"{tmp_path}/Mon CPOM : nom de dossier de contrat invalide : lettres minuscules, "
        f"chiffres, « - », « . » ou « _ » (ex. {tmp_path}/mon-cpom)"
    ]
    assert run("new", str(tmp_path / "y"))[2] == [
        f"cpomdocs new {tmp_path}/y : il manque l'option « --base » : ehpad, handicap, "
        "generique ou chrs (ex. --base ehpad)"
    ]
    assert run("new", str(tmp_path / "y"), "--base", "ehpad", "--effet", "1/1/2027")[2] == [
        "« --effet » : « 1/1/2027 » n'est pas une date AAAA-MM-JJ : écrivez 2027-01-01"
    ]
    assert run("new", "avenant", str(tmp_path / "vide"))[2] == [
        f"{tmp_path}/vide : pas de cpom.yaml ici ; cpomdocs new {tmp_path}/vide --base …"
    ]
    assert run("new", "compte-rendu", str(folder))[2] == [
        "cpomdocs new compte-rendu : il manque les options « --type » et « --date » "
        '(ex. --type "comité de suivi" --date 2027-06-15)'
    ]
    assert run("new", "compte-rendu", str(folder), "--type", "bilan final")[2] == [
        "cpomdocs new compte-rendu : il manque l'option « --date » "
        '(ex. --type "comité de suivi" --date 2027-06-15)'
    ]


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    """The minimal signed contract, with its avenant n° 1 and one compte-rendu."""
    return Path(shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", tmp_path / "cedres"))


def test_new_avenant_takes_the_next_number(contract: Path) -> None:
    assert run("new", "avenant", str(contract))[1][0] == f"écrit {contract}/avenants/02-projet.yaml"
    avenant = yaml.safe_load((contract / "avenants/02-projet.yaml").read_text())
    assert (avenant["numero"], avenant["statut"], avenant["modifications"]) == (2, "projet", {})
    code, out, _ = run("validate", str(contract))
    assert code == 0
    assert (
        f"{contract}/avenants/02-projet.yaml:16:3: avertissement: dates.effet: à compléter "
        "(date proposée par défaut)" in out
    )


def test_a_date_d_effet_given_for_an_avenant_is_not_to_fill(contract: Path) -> None:
    """`cpomdocs new avenant --effet`: the user's own date, like the contract's (no marker)."""
    code, out, _ = run("new", "avenant", str(contract), "--effet", "2027-03-01")
    assert code == 0, out
    text = (contract / "avenants/02-projet.yaml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip().startswith("effet:"))
    assert line == "  effet: 2027-03-01"
    code, out, _ = run("validate", str(contract))
    assert code == 0 and "dates.effet" not in out
    code, _, err = run("new", "avenant", str(contract), "--effet", "1er mars")
    assert code != 0
    assert "« --effet » : « 1er mars » n'est pas une date AAAA-MM-JJ (ex. 2027-06-15)" in err


def test_new_report_is_prefilled_from_the_contract(contract: Path) -> None:
    code, out, _ = run(
        "new", "compte-rendu", str(contract), "--type", "comité de suivi", "--date", "2026-06-15"
    )
    assert code == 0
    written = contract / "comptes-rendus" / "2026-06-15-comite-de-suivi.yaml"
    assert out[0] == f"écrit {written}"
    report = yaml.safe_load(written.read_text())
    assert report["exercice"] == 2025
    assert report["participants"] == {
        "ars": [{"nom": "Nadia Benali", "qualite": "inspectrice"}],
        "gestionnaire": [{"nom": "Claire Dumoulin", "qualite": "directrice"}],
    }
    assert report["realisations"] == {"ABS-AS": {2025: 0}, "TO-HP": {2025: 0}}
    assert report["objectifs"]["O1"]["commentaire"] == (
        "À compléter. Revue : indicateurs ABS-AS ; actions à échéance en 2025 : A1.1 "
        "« Plannings choisis par les équipes » (2025-12-31)."
    )
    # the places come from the signed contract: only the two measures are « à compléter »
    essms = written.read_text().split("activite:\n")[1].split("realisations:")[0]
    assert "    capacite: 78\n    journees_prevues: 0  # à compléter\n" in essms
    code, out, _ = run("validate", str(contract))
    assert code == 0 and out[-1] == "1 contrat vérifié : 0 erreur, 9 avertissements"


def test_pre_commit_hooks_of_this_repository() -> None:
    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["cpomdocs-validate"]["entry"] == "cpomdocs validate --whole-contract"
    assert re.match(by_id["cpomdocs-validate"]["files"], "contracts/x/avenants/01-a.yaml")
    assert by_id["cpomdocs-schema"]["entry"] == "cpomdocs schema --check"
    assert by_id["cpomdocs-schema"]["pass_filenames"] is False


def test_a_sentence_saying_a_compléter_is_no_placeholder(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", tmp_path / "cedres"))
    shutil.rmtree(folder / "avenants")
    shutil.rmtree(folder / "comptes-rendus")
    path = folder / "cpom.yaml"
    text = path.read_text()
    text = text[: text.index("empreinte:")].replace(  # edited, so signed off again below
        "preambule: Le présent contrat",
        "preambule: Le dossier à compléter par le gestionnaire est joint. Le présent contrat",
    )
    path.write_text(text)
    sign_off(path)
    assert run("validate", str(folder))[:2] == (
        0,
        ["1 contrat vérifié : 0 erreur, 0 avertissement"],
    )
    path.write_text(text.replace("territoire: Hérault (34)", "territoire: Hérault [à compléter]"))
    assert run("validate", str(folder))[1] == [
        f"{path}:8:13: territoire: valeur encore à compléter dans un document au statut « signé » "
        ": remplacez-la",
        "1 contrat vérifié : 1 erreur, 0 avertissement",
    ]


def test_a_report_draft_counts_a_sessad_in_acts(tmp_path: Path) -> None:
    # The draft gave every establishment « journées »: a SESSAD's activity (its fiche says
    # « actes ») came out as days of presence in the compte-rendu.
    fondation = Path(__file__).parents[1] / "contracts" / "fondation-val-d-ouche-2027"
    folder = tmp_path / "contracts" / fondation.name
    shutil.copytree(fondation, folder)
    code, out, _ = run(
        "new", "compte-rendu", str(folder), "--type", "comité de suivi", "--date", "2028-06-15"
    )
    assert code == 0, out
    draft = next((folder / "comptes-rendus").glob("2028-06-15-*.yaml")).read_text()
    activity = draft[draft.index("activite:") : draft.index("realisations:")]
    blocks = dict(re.findall(r'^  "(\d{9})":\n((?:    .*\n)+)', activity, re.M))
    sessad, ime = blocks["210007373"], blocks["210007266"]
    assert "    unite: actes\n" in sessad
    assert "unite" not in ime
    assert run("validate", str(folder))[0] == 0


def test_the_repository_readme_names_every_legal_base(tmp_path: Path) -> None:
    # It offered « ehpad, ou handicap, generique »: a CHRS gestionnaire had to guess « chrs ».
    run("init", str(tmp_path))
    line = next(
        line
        for line in (tmp_path / "README.md").read_text().splitlines()
        if line.startswith("cpomdocs new contracts/mon-cpom --base")
    )
    help_text = CliRunner().invoke(main, ["new", "--help"]).stdout
    choices = re.search(r"--base \[([a-z|]+)\]", help_text)
    assert choices is not None
    assert all(base in line for base in choices.group(1).split("|")), line
