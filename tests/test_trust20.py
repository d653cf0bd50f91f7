"""Session 19 trust holes: a publication verified before it replaces the previous one, and
only the bytes the build wrote signed; indicators in % within the range of their kind."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio
from publish_support import SIGNED_ID, Project, make_pdf, record_build
from tsa_support import TSA_NAME, running_tsa

from cpomdocs.build.cache import CACHE_FILE, BuildCache
from cpomdocs.build.cache_shape import recorded_digests
from cpomdocs.build.provenance import PROVENANCE_FORMAT
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.cli.main import main
from cpomdocs.data.signoff import sign_off
from cpomdocs.data.validate import check_folder, meetings_to_come
from cpomdocs.publish.seal import attached_source
from cpomdocs.publish.signing import P12_ENV, PASSWORD_ENV

MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
WARN = "avertissement: "


@pytest.fixture
def key_env(publish_project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The test project's key in the environment, its root as the working folder."""
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    return publish_project


def publish_args(project: Project, out: Path, *roots: Path) -> list[str]:
    trust = [arg for root in roots for arg in ("--trust", str(root))]
    build = ["--build-dir", str(project.build)]
    return ["publish", str(project.contracts), *build, "-o", str(out), *trust]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (relative path → bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_publication_that_does_not_verify_leaves_the_previous_one(
    key_env: Project, publication_copy: Path
) -> None:
    before = files_of(publication_copy)
    args = publish_args(key_env, publication_copy, key_env.other_ca.ca_pem)
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1, done.output
    signer = "CN=Signataire de test,O=cpomdocs - certificat de test sans valeur,C=FR"
    for name in ("contrat.pdf", "annexes.pdf", "avenant-01.pdf"):
        assert (
            f"ÉCHEC       {SIGNED_ID}/{name} — signature : certificat de {signer} non reconnu "
            "par la racine de confiance"
        ) in done.output
    assert (
        f"ÉCHEC       manifest.json — signature du manifeste : certificat de {signer} non "
        "reconnu par la racine de confiance"
    ) in done.output
    assert (
        f"vérifications en échec : rien n'est publié, {publication_copy.as_posix()}/ reste tel "
        "qu'il était (les documents signés n'y ont pas été mis : une publication précédente reste "
        "en place)"
    ) in done.output
    assert "signés dans" not in done.output
    assert files_of(publication_copy) == before  # not a byte changed, no staging left


def test_a_first_publication_that_does_not_verify_writes_nothing(
    key_env: Project, tmp_path: Path
) -> None:
    out = tmp_path / "pub" / "site"
    done = CliRunner().invoke(main, publish_args(key_env, out, key_env.other_ca.ca_pem))
    assert done.exit_code == 1, done.output
    assert "rien n'est publié" in done.output
    assert not (tmp_path / "pub").exists()


def test_publish_trust_verifies_before_placing_and_says_so(
    key_env: Project, publication_copy: Path
) -> None:
    args = publish_args(key_env, publication_copy, key_env.certs.ca_pem)
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"OK          {SIGNED_ID}/contrat.pdf — signature : intègre" in done.output
    assert "OK          index.html — page : identique à la page" in done.output
    assert "vérifications avant publication : tout est conforme" in done.output
    assert not list(publication_copy.glob(".publication-en-cours-*"))


def test_a_stray_pdf_in_the_publication_folder_stops_it_before_placing(
    key_env: Project, publication_copy: Path
) -> None:
    stray = publication_copy / SIGNED_ID / "brouillon.pdf"
    stray.write_bytes((key_env.build / SIGNED_ID / "contrat.pdf").read_bytes())
    before = files_of(publication_copy)
    done = CliRunner().invoke(main, publish_args(key_env, publication_copy, key_env.certs.ca_pem))
    assert done.exit_code == 1, done.output
    assert (
        f"ÉCHEC       {SIGNED_ID}/brouillon.pdf — manifeste : PDF présent mais absent du manifeste"
    ) in done.output
    assert files_of(publication_copy) == before


def test_time_stamps_need_their_authority_root_in_trust(key_env: Project, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    with running_tsa(tmp_path / "tsa") as tsa:
        stamped = ["--horodatage", tsa.url]
        alone = publish_args(key_env, out, key_env.certs.ca_pem)
        refused = CliRunner().invoke(main, [*alone, *stamped])
        both = publish_args(key_env, out, key_env.certs.ca_pem, tsa.root_pem)
        accepted = CliRunner().invoke(main, [*both, *stamped])
    assert refused.exit_code == 1, refused.output
    assert (
        f"horodatage refusé : certificat de l'autorité d'horodatage CN={TSA_NAME},C=FR non "
        "reconnu par la racine de confiance"
    ) in refused.output
    assert (
        "les signatures sont horodatées par une autorité que les racines passées à --trust ne "
        "reconnaissent pas : passez aussi, avec --trust, le certificat racine de l'autorité "
        "d'horodatage"
    ) in refused.output
    assert accepted.exit_code == 0, accepted.output
    assert f"(horodatage de CN={TSA_NAME},C=FR)" in accepted.output
    assert (out / "manifest.json").is_file()


# --- publish signs only the bytes the build wrote -----------------------------------------------


def test_the_build_notes_the_sha256_of_each_file_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    out = tmp_path / "out"
    build([contracts], out, templates=templates, formats=("pdf",))
    expected = {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("c1/fiche.pdf", "c1/note.pdf")
    }
    assert BuildCache(out).entries["c1/fiche"].digests == {"c1/fiche.pdf": expected["c1/fiche.pdf"]}
    assert recorded_digests(out / CACHE_FILE) == expected


def edited(pdf: Path, text: str) -> None:
    """`pdf` with `text` drawn over its first page by pypdf, its attachments and XMP kept: what a
    PDF editor does to the text of a built document."""
    from pypdf import PdfReader, PdfWriter

    overlay = PdfReader(io.BytesIO(make_pdf("Ajout", text, {})))
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pages[0].merge_page(overlay.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())


@pytest.fixture
def build_copy(publish_project: Project, tmp_path: Path) -> Path:
    """A copy of the test project's build folder (its cache with it)."""
    return Path(shutil.copytree(publish_project.build, tmp_path / "build"))


def run_publish(project: Project, build_dir: Path, out: Path):  # noqa: ANN201
    from cpomdocs.publish.publish import publish

    certs = project.certs
    return publish(build_dir, out, certs.p12, certs.password, [project.contracts], project.root)


def test_a_pdf_edited_after_the_build_is_not_signed(
    publish_project: Project, build_copy: Path, tmp_path: Path
) -> None:
    pdf = build_copy / SIGNED_ID / "contrat.pdf"
    edited(pdf, "La dotation 2026 est portée à 9 000 000 €.")
    assert attached_source(pdf.read_bytes()) is not None  # the source is still attached
    report = run_publish(publish_project, build_copy, tmp_path / "pub")
    assert [(p.file, p.message) for p in report.problems if p.is_error] == [
        (
            pdf.as_posix(),
            "ce PDF n'est plus celui que « cpomdocs build » a écrit (son sha256 diffère de celui "
            "que le cache de construction a noté) : modifié depuis, son texte ne serait plus "
            "celui de ses sources ; reconstruisez-le avec « cpomdocs build --force »",
        )
    ]
    assert not (tmp_path / "pub" / SIGNED_ID / "contrat.pdf").exists()
    assert len(report.published) == 5  # the others are signed


def test_without_its_build_cache_publish_says_once_that_it_could_not_compare(
    publish_project: Project, build_copy: Path, tmp_path: Path
) -> None:
    (build_copy / CACHE_FILE).unlink()
    report = run_publish(publish_project, build_copy, tmp_path / "pub")
    assert [(p.file, p.message, p.severity.value) for p in report.problems] == [
        (
            (build_copy / CACHE_FILE).as_posix(),
            "cache de construction absent ou illisible : les PDF n'ont pas pu être comparés à ce "
            "que « cpomdocs build » a écrit (un PDF modifié depuis serait signé) ; lancez "
            "« cpomdocs build » dans ce dossier avant de publier (une copie de build/ doit garder "
            "ce fichier caché)",
            "avertissement",
        )
    ]
    assert len(report.published) == 6


def test_a_pdf_the_build_cache_does_not_know_is_signed_with_a_warning(
    publish_project: Project, build_copy: Path, tmp_path: Path
) -> None:
    cache = BuildCache(build_copy)
    cache.entries[f"{SIGNED_ID}/annexes"].digests = {}  # a cache an older cpomdocs wrote
    cache.save()
    report = run_publish(publish_project, build_copy, tmp_path / "pub")
    assert [(p.file, p.severity.value) for p in report.problems] == [
        ((build_copy / SIGNED_ID / "annexes.pdf").as_posix(), "avertissement")
    ]
    assert report.problems[0].message.startswith(
        "le cache de construction ne note pas l'empreinte de ce PDF (construit par une version "
        "antérieure de cpomdocs, ou venu d'ailleurs)"
    )
    assert len(report.published) == 6


# --- indicators in % have a range ----------------------------------------------------------------


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the minimal valid contract folder."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "c"))


def replace_in(path: Path, old: str, new: str) -> None:
    """`old` replaced by `new` in a data file; a signed contract's fingerprint made again (what
    « cpomdocs sign-off » does), as a change negotiated before the signature."""
    text = path.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    if path.name == "cpom.yaml":
        text = re.sub(r"^empreinte:.*(?:\n[ \t]+.*)*\n?", "", text, flags=re.MULTILINE)
    path.write_text(text, "utf-8")
    if path.name == "cpom.yaml":
        sign_off(path, dt.date(2026, 12, 2))


def located(folder: Path) -> list[str]:
    """Every problem of a validated folder, as « file:line:col: field: message » lines."""
    return [str(p) for p in check_folder(folder).all_problems]


def test_a_share_out_of_0_to_100_percent_is_warned_with_its_place(minimal: Path) -> None:
    contract = minimal / "cpom.yaml"
    replace_in(contract, "{2025: 10.5, 2026: 9.5,", "{2025: 250, 2026: -5,")
    found = located(minimal)
    targets = "objectifs.O1.indicateurs.ABS-AS.cibles"
    share = (
        "hors de la plage attendue pour un taux qui mesure une part d'un tout : de 0\u00a0% à "
        "100\u00a0% ; vérifiez la valeur (virgule mal placée, autre unité ?)"
    )
    assert found == [
        f"{contract}:62:24: {WARN}{targets}.2025: 250\u00a0% {share}",
        f"{contract}:62:35: {WARN}{targets}.2026: \u22125\u00a0% {share}",
    ]


def test_an_occupation_rate_may_pass_100_percent_a_little(minimal: Path) -> None:
    contract = minimal / "cpom.yaml"
    replace_in(contract, "{2025: 97, 2026: 97, 2027: 97,", "{2025: 104.5, 2026: 97, 2027: 250,")
    report = next((minimal / "comptes-rendus").glob("*.yaml"))
    replace_in(report, "TO-HP: {2025: 97.6,", "TO-HP: {2025: -3,")
    found = located(minimal)
    activity = (
        "hors de la plage attendue pour un taux d'occupation ou d'activité, qui ne dépasse "
        "100\u00a0% que de peu : de 0\u00a0% à 120\u00a0% ; vérifiez la valeur (virgule mal "
        "placée, autre unité ?)"
    )
    assert found == [
        f"{report}:13:17: {WARN}realisations.TO-HP.2025: \u22123\u00a0% {activity}",
        f"{contract}:79:47: {WARN}objectifs.O2.indicateurs.TO-HP.cibles.2027: 250\u00a0% "
        + activity,
    ]


@pytest.mark.parametrize(
    ("label", "value", "warned"),
    [
        ("Taux d'évolution des dépenses de personnel", -5, False),
        ("Taux de capacité d'autofinancement", -2.5, False),
        ("Taux de rotation des personnels", 140, False),
        ("Taux de rotation des personnels", -1, True),
        ("Part des résidents ayant un projet personnalisé", 100, False),
        ("Part des résidents ayant un projet personnalisé", 100.5, True),
        ("Taux d'émargement des feuilles de présence", -1, True),  # not a « marge »
        ("Taux de CAF", -1, False),
    ],
)
def test_which_rates_may_be_negative_or_pass_100_percent(
    minimal: Path, label: str, value: float, warned: bool
) -> None:
    contract = minimal / "cpom.yaml"
    replace_in(contract, "libelle: Taux d'absentéisme des aides-soignants", f"libelle: {label}")
    replace_in(contract, "{2025: 10.5,", f"{{2025: {value},")
    assert [p.field for p in check_folder(minimal).all_problems] == (
        ["objectifs.O1.indicateurs.ABS-AS.cibles.2025"] if warned else []
    )


# --- an approved compte-rendu of a meeting still to come -----------------------------------------


TO_COME = (
    "date: compte-rendu approuvé d'une réunion du 12 juin 2026, date encore à venir (nous sommes "
    "le 1er janvier 2025) : vérifiez la date de la réunion, ou laissez le statut « projet » "
    "jusqu'à son approbation"
)


def test_build_and_publish_warn_of_an_approved_report_of_a_meeting_to_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, publish_project: Project
) -> None:
    from cpomdocs.publish.publish import publish

    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))  # 2025-01-01
    folder = contracts / "c1"
    (folder / "comptes-rendus").mkdir()
    report = folder / "comptes-rendus" / "2026-06-12-dialogue.yaml"
    shutil.copy(Path(__file__).parent / "fixtures" / "publish" / "comptes-rendus" / report.name,
                report)  # fmt: skip
    assert located(folder) == []  # validate's verdict does not change with the day
    built = build([contracts], tmp_path / "out", templates=templates, formats=("pdf",))
    assert [str(p) for p in built.problems["c1"]] == [f"{report}:3:7: {WARN}{TO_COME}"]
    certs = publish_project.certs
    published = publish(tmp_path / "out", tmp_path / "pub", certs.p12, certs.password, [folder])
    assert f"{report}:3:7: {WARN}{TO_COME}" in [str(p) for p in published.problems]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782000000")  # 2026-06-21: the meeting took place
    assert meetings_to_come(check_folder(folder)) == []


def test_publish_trust_refuses_a_text_it_cannot_compare_with_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, publish_project: Project
) -> None:
    """A PDF whose text differs from a new render of its source, said to come from another
    cpomdocs: verify says « NON VÉRIFIÉ » (another version may word a clause otherwise), which
    let an edited text through as « tout est conforme »; publish --trust refuses it."""
    folder = tmp_path / "contracts" / "c"
    shutil.copytree(MINIMAL, folder)
    monkeypatch.chdir(tmp_path)
    files = {"cpom.yaml": (folder / "cpom.yaml").read_text("utf-8")}
    source = {
        "format": PROVENANCE_FORMAT, "contrat": "c", "document": "contrat", "fichiers": files,
        "cree": "2026-12-02T00:00:00Z", "cpomdocs": "0.0.9", "rendu_sha256": "0" * 64,
    }  # fmt: skip
    pdf = tmp_path / "build" / "c" / "contrat.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(make_pdf("Contrat", "La dotation 2026 est portée à 9 000 000 €.", source))
    record_build(tmp_path / "build")
    certs = publish_project.certs
    env = {P12_ENV: str(certs.p12), PASSWORD_ENV: certs.password}
    args = ["publish", "-o", "pub", "--trust", str(certs.ca_pem)]
    done = CliRunner().invoke(main, args, env=env)
    assert done.exit_code == 1, done.output
    assert (
        "ÉCHEC       c/contrat.pdf — nouveau rendu avant publication : PDF construit par une autre "
        "version de cpomdocs que celle qui publie : son texte n'a pas pu être comparé à un nouveau "
        "rendu de sa source ; reconstruisez-le avec « cpomdocs build --force », puis publiez"
    ) in done.output
    assert not (tmp_path / "pub").exists()
