"""Nothing is written or removed outside the output folder: ids, cache, shards, pruning, lock."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main
from cpomdocs.errors import OutputError

CANARY = "ne pas effacer\n"


def plant(root: Path) -> tuple[Path, Path]:
    """A canary file beside the output folder and a publication inside it."""
    canary = root / "canari.txt"
    canary.write_text(CANARY, encoding="utf-8")
    published = root / "build" / "publish" / "x" / "contrat.pdf"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"%PDF signe")
    return canary, published


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args, "-f", "pdf", "-j", "1"])
    return result.exit_code, result.output


def test_a_dotdot_path_then_a_moved_contract_keeps_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_portfolio(tmp_path, monkeypatch, ids=("x",))
    (tmp_path / "contracts" / "x" / "notes").mkdir()
    canary, published = plant(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, output = run("contracts/x/notes/..", "--templates", "templates")
    assert code == 0, output
    assert (tmp_path / "build" / "x" / "fiche.pdf").is_file()  # id « x », not « .. »
    assert not (tmp_path / "fiche.pdf").exists()
    (tmp_path / "contracts" / "x").rename(tmp_path / "contracts" / "y")
    code, output = run("contracts", "--templates", "templates")
    assert code == 0, output
    assert "supprimé : build/x (contrat disparu des sources)\n" in output
    assert canary.read_text(encoding="utf-8") == CANARY
    assert published.read_bytes() == b"%PDF signe"
    assert (tmp_path / "contracts" / "y" / "cpom.yaml").is_file()
    assert (tmp_path / "build" / "y" / "fiche.pdf").is_file()
    assert not (tmp_path / "build" / "x").exists()


def test_building_dot_from_inside_a_contract_keeps_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_portfolio(tmp_path, monkeypatch, ids=("x",))
    canary, published = plant(tmp_path)
    monkeypatch.chdir(tmp_path / "contracts" / "x")
    code, output = run(".", "-o", "../../build", "--templates", "../../templates")
    assert code == 0, output
    assert (tmp_path / "build" / "x" / "fiche.pdf").is_file()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contracts" / "x").rename(tmp_path / "contracts" / "z")
    code, output = run("contracts", "--templates", "templates")
    assert code == 0, output
    assert "supprimé : build/x (contrat disparu des sources)\n" in output
    assert published.read_bytes() == b"%PDF signe"
    assert canary.read_text(encoding="utf-8") == CANARY
    assert (tmp_path / "build" / "z" / "fiche.pdf").is_file()


@pytest.mark.parametrize("name", [".cache", ".hidden"])
def test_hidden_contract_folders_are_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "cpom.yaml").write_text("statut: projet\n", encoding="utf-8")
    code, output = run(str(folder), "-o", str(tmp_path / "build"))
    assert code == 2
    assert output == (
        f"{folder}: nom de dossier de contrat refusé « {name} » : l'identifiant du contrat est "
        "le nom de son dossier ; il ne peut être vide, ni « . » ou « .. », ni commencer par un "
        "point, ni contenir de séparateur de chemin, ni d'octet qui ne soit pas de l'UTF-8 (un nom "
        "venu d'une archive faite sous Windows ? renommez le dossier)\n"
    )
    assert not (tmp_path / "build" / "x").exists()


def test_pruning_removes_only_the_recorded_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1", "c2"))
    out = tmp_path / "build"
    build([contracts], out, templates=templates, formats=("pdf",))
    mine = out / "c1" / "mes-notes.txt"
    mine.write_text("à garder\n", encoding="utf-8")
    shutil.rmtree(contracts / "c1")
    report = build([contracts], out, templates=templates, formats=("pdf",))
    assert report.removed == ["c1"]
    assert sorted(p.name for p in (out / "c1").iterdir()) == ["mes-notes.txt"]
    assert mine.read_text(encoding="utf-8") == "à garder\n"


def tamper(out: Path, key: str, outputs: list[str]) -> None:
    """Give the cache an entry of a contract whose folder is gone, with these outputs."""
    path = out / ".cpomdocs-cache.json"
    cache = json.loads(path.read_text(encoding="utf-8"))
    cache["entries"][key] = {"fingerprint": "x", "outputs": outputs, "templates": []}
    cache["sources"][key.split("/")[0]] = str(out / "disparu")
    path.write_text(json.dumps(cache), encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "outputs", "what", "name"),
    [
        ("gone/fiche", ["../canari.txt"], "le fichier", "../canari.txt"),
        ("gone/fiche", ["/tmp/canari.txt"], "le fichier", "/tmp/canari.txt"),
        ("../fiche", [], "l'entrée", "../fiche"),
    ],
)
def test_a_cache_pointing_outside_is_refused_before_any_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, outputs: list[str], what: str,
    name: str,
) -> None:  # fmt: skip
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "build"
    build([contracts], out, templates=templates, formats=("pdf",))
    canary = tmp_path / "canari.txt"
    canary.write_text(CANARY, encoding="utf-8")
    tamper(out, key, outputs)
    with pytest.raises(OutputError) as caught:
        build([contracts], out, templates=templates, formats=("pdf",), force=True)
    assert str(caught.value) == (
        f"{out}/.cpomdocs-cache.json: cache de construction refusé : {what} « {name} » sort du "
        "dossier de sortie ; rien n'a été écrit ni supprimé (supprimez ce fichier pour tout "
        "reconstruire)"
    )
    assert canary.read_text(encoding="utf-8") == CANARY


def test_a_shard_pointing_outside_is_refused_before_any_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    shard = tmp_path / "part-1"
    build([contracts], shard, templates=templates, formats=("pdf",))
    tamper(shard, "c1/fiche", ["../../canari.txt"])
    (shard / "lien").symlink_to("/etc/hostname")
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["merge", str(shard), "-o", str(site)])
    assert result.exit_code == 1
    assert result.output == (
        f"{shard}/.cpomdocs-cache.json: cache de construction refusé : le fichier "
        "« ../../canari.txt » sort du dossier de sortie ; rien n'a été écrit ni supprimé "
        "(supprimez ce fichier pour tout reconstruire)\n"
    )
    assert not site.exists()  # refused before the output folder's lock (trust18)


def test_a_symlink_in_a_shard_is_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    shard = tmp_path / "part-1"
    build([contracts], shard, templates=templates, formats=("pdf",))
    (shard / "c1" / "secret.txt").symlink_to("/etc/hostname")
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["merge", str(shard), "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert (site / "c1" / "fiche.pdf").is_file()
    assert not (site / "c1" / "secret.txt").exists()


def test_a_second_build_into_the_same_folder_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "build"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "verrouillé\n"
        code, output = run(str(contracts), "-o", str(out), "--templates", str(templates))
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert output == (
        f"{out}: une autre commande cpomdocs écrit déjà dans ce dossier (verrou "
        f"{out}/.cpomdocs.lock) : attendez qu'elle se termine, puis relancez\n"
    )
    assert not (out / "c1").exists()
    code, output = run(str(contracts), "-o", str(out), "--templates", str(templates))
    assert code == 0, output  # the lock went with its holder


HOLD_LOCK = """
import sys, time
from pathlib import Path
from cpomdocs.build.cache import output_lock
with output_lock(Path(sys.argv[1])):
    print("verrouillé", flush=True)
    time.sleep(60)
"""


def test_output_on_a_file_is_a_french_error(tmp_path: Path) -> None:
    minimal = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
    (tmp_path / "c").mkdir()  # a folder without a contract is refused first (hostile20)
    shutil.copy(minimal, tmp_path / "c")
    target = tmp_path / "build"
    target.write_text("", encoding="utf-8")
    code, output = run(str(tmp_path), "-o", str(target))
    assert code == 1
    assert output == (
        f"{target}: c'est un fichier, pas un dossier : choisissez un dossier de sortie (-o)\n"
    )
