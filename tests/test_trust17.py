"""trust17: the leftovers of hostile16 and horodatage15, and a fresh hostile pass."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from gitrepo import make_repo, replaced, run_git, run_pr_workflow, scaffolded_pr_step
from tsa_support import running_tsa

from cpomdocs.cli.main import main
from cpomdocs.data.signoff import _BLOCK, SignOffError, sign_off
from cpomdocs.publish.signing import P12_ENV, PASSWORD_ENV

FIXTURES = Path(__file__).parent / "fixtures"


def _unsigned_contract(tmp_path: Path) -> Path:
    """A copy of the signed fixture contract without its `empreinte` block."""
    folder = tmp_path / "ehpad-test"
    shutil.copytree(FIXTURES / "versions", folder)
    path = folder / "cpom.yaml"
    path.write_text(_BLOCK.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_sign_off_checks_everything_before_it_replaces_the_file(tmp_path: Path) -> None:
    """The signed text's digests were checked by reading the written file back, then the old
    text put back: a `kill -9` between the two left a file that was never fully checked. Now the
    whole check is made in memory: a refused sign-off never replaces the file, not even for an
    instant (same inode, same bytes, no temporary file)."""
    path = _unsigned_contract(tmp_path)
    keep = tmp_path / "keep"  # a second name holds the inode: its number cannot be reused
    keep.hardlink_to(path)
    before, inode = path.read_bytes(), path.stat().st_ino
    digest = {"sha256": "a" * 64, "passages": ["0123abcd"]}
    too_many = {  # more documents than an empreinte records (10 at most)
        "cpomdocs": "0.1",
        "documents": {f"annexe-{n}": digest for n in range(11)},
    }
    with pytest.raises(SignOffError) as refused:
        sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: too_many)
    assert refused.value.reason == "l'empreinte du texte signé n'a pas pu être enregistrée"
    assert (path.read_bytes(), path.stat().st_ino) == (before, inode)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (FIXTURES / "versions").iterdir()
    )
    good = {"cpomdocs": "0.1", "documents": {"contrat": {"sha256": "a" * 64, "passages": []}}}
    sign_off(path, dt.date(2026, 11, 23), signed_text=lambda _: good)
    assert 'sha256: "' + "a" * 64 + '"' in path.read_text("utf-8")


FAILURES = {
    "500": "a répondu par une erreur HTTP 500 (erreur du serveur de l'autorité : réessayez "
    "plus tard)",
    "403": "a répondu par une erreur HTTP 403 (accès refusé : cette autorité demande un compte)",
    "rejet": "a refusé la demande d'horodatage (statut « rejection » : « unaccepted policy »)",
    "muet": "n'a pas répondu en 1 s",
}


def _publish_with(project, out: Path, url: str) -> Any:
    args = ["publish", str(project.contracts), "--build-dir", str(project.build), "-o", str(out)]
    return CliRunner().invoke(main, [*args, "--horodatage", url])


@pytest.mark.parametrize("good", [0, 3], ids=["a-la-sonde", "entre-deux-pdf"])
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_tsa_that_fails_leaves_nothing_published(
    publish_project, tmp_path, monkeypatch, failure, good
) -> None:
    """A TSA error, refusal or silence, at the probe or after it (between two PDFs: the probe
    and the first PDF's two requests answered): one French line naming the TSA and what
    happened, exit code 1, no traceback, and nothing left that was not there — the new output
    folder (and its new parent) removed; an existing publication untouched."""
    from cpomdocs.publish import timestamp

    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    monkeypatch.setattr(timestamp, "TIMEOUT", 1)  # a silent TSA: one second, not ten
    out = tmp_path / "nouveau" / "pub"
    with running_tsa(tmp_path / "tsa", failure=failure, good=good) as tsa:
        done = _publish_with(publish_project, out, tsa.url)
    assert done.exit_code == 1, done.output
    assert done.output.splitlines() == [
        f"horodatage : l'autorité {tsa.url} {FAILURES[failure]} ; rien n'est publié"
    ]
    assert not (tmp_path / "nouveau").exists()


def test_a_tsa_that_fails_after_the_probe_leaves_the_last_publication_as_it_was(
    publish_project, publication, tmp_path, monkeypatch
) -> None:
    """The same failure over an existing publication: every file as it was, nothing added."""
    monkeypatch.setenv(P12_ENV, str(publish_project.certs.p12))
    monkeypatch.setenv(PASSWORD_ENV, publish_project.certs.password)
    monkeypatch.chdir(publish_project.root)
    out = Path(shutil.copytree(publication.folder, tmp_path / "publication"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with running_tsa(tmp_path / "tsa", failure="500", good=3) as tsa:
        done = _publish_with(publish_project, out, tsa.url)
    assert done.exit_code == 1, done.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(out.rglob("*")) == sorted(before) or all(
        p in before or p.is_dir() for p in out.rglob("*")
    )


def test_the_pull_request_comment_draws_no_emoji_short_code(tmp_path: Path) -> None:
    """« :tada: », « :+1: », « :white_check_mark: » in a counter-party's name came out of
    `diff -f md` as they are: GitHub draws them as pictures in the comment. Now an invisible
    zero-width space follows the colon; the text, once it is removed, reads the same."""
    import re

    old = FIXTURES / "versions" / "cpom.yaml"
    new = tmp_path / "cpom.yaml"
    typed = "Les Cèdres :tada: :+1: :white_check_mark: :-1: 10:30:45"
    text = old.read_text("utf-8").replace(
        "  nom: EHPAD public autonome Les Cèdres", f'  nom: "{typed}"', 1
    )
    new.write_text(_BLOCK.sub("", text), encoding="utf-8")
    done = CliRunner().invoke(main, ["diff", str(old), str(new), "-f", "md"])
    assert done.exit_code == 0, done.output
    line = next(line for line in done.output.splitlines() if "tada" in line)
    assert not re.search(r":[\w+\\-]+:", line), line
    shown = line.replace("&#8203;", "").replace("\\_", "_")
    assert typed in shown, line


def _renamed_repo(tmp_path: Path, commit: bool = True) -> Path:
    """The negotiation repository, then the contract folder renamed (git mv) and its duration
    changed, committed or only staged."""
    repo = make_repo(tmp_path / "depot")
    run_git(repo, "mv", "contracts/ehpad-les-cedres", "contracts/ehpad-cedres-clermont")
    path = repo / "contracts/ehpad-cedres-clermont/cpom.yaml"
    path.write_text(replaced(path.read_text("utf-8"), "duree_mois: 60", "duree_mois: 48"), "utf-8")
    run_git(repo, "add", "-A")
    if commit:
        run_git(repo, "commit", "-qm", "dossier renommé")
    return repo


@pytest.mark.parametrize("commit", [True, False], ids=["commite", "indexe"])
def test_diff_rev_follows_a_renamed_contract_folder(tmp_path, monkeypatch, commit) -> None:
    """`diff --rev` of a contract folder renamed with git mv said « n'existe pas dans la
    révision » (and the pull request « Contrat retiré » + « Nouveau contrat »): now it is one
    contract's diff, saying which name it had."""
    repo = _renamed_repo(tmp_path, commit)
    monkeypatch.chdir(repo)
    span = "HEAD~1..HEAD" if commit else "HEAD.."
    done = CliRunner().invoke(
        main, ["diff", "--rev", span, "contracts/ehpad-cedres-clermont", "-f", "md"]
    )
    assert done.exit_code == 0, done.output
    old, new = ("HEAD~1", "HEAD:") if commit else ("HEAD", "")
    assert done.output.replace("\\", "").startswith(
        f"### Différences du contrat : {old}:contracts/ehpad-les-cedres (version 3) → "
        f"{new}contracts/ehpad-cedres-clermont (version 3), renommé (anciennement "
        "« contracts/ehpad-les-cedres »)\n"
    ), done.output
    assert "| Durée | 60 mois | 48 mois | −12 |" in done.output


def test_the_pull_request_workflow_shows_a_renamed_folder_as_one_contract(tmp_path) -> None:
    """The workflow's step, run for real: a renamed folder is one diff, neither « Contrat
    retiré » nor « Nouveau contrat »; a folder really withdrawn is still said."""

    repo = tmp_path / "depot"
    script = scaffolded_pr_step(repo)
    shutil.copytree(FIXTURES / "versions", repo / "contracts" / "ancien nom")
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", repo / "contracts" / "retire")
    git = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, *git, "add", "-A")
    run_git(repo, *git, "commit", "-qm", "base")
    base = run_git(repo, "rev-parse", "HEAD").strip()
    run_git(repo, "mv", "contracts/ancien nom", "contracts/nouveau nom")
    run_git(repo, "rm", "-rq", "contracts/retire")
    run_git(repo, *git, "commit", "-qm", "pr")
    comment = run_pr_workflow(repo, script, base, tmp_path / "pr")
    assert "ancien nom ``" not in comment, comment  # neither « retiré » nor « nouveau »
    assert "renommé (anciennement « contracts/ancien nom »)" in comment, comment
    assert "Nouveau contrat" not in comment and "### Contrat retiré : `` retire ``" in comment
    assert (repo / "redlines" / "nouveau nom.pdf").read_bytes().startswith(b"%PDF")


def _certified_then_countersigned(pdf: bytes, certs: Any, permission: str, annotate: bool) -> bytes:
    """`pdf` certified by `certs`' key with DocMDP `permission` (pyHanko), then a revision —
    an annotation over the page if `annotate` — signed by the same trusted root. pyHanko will
    not sign after « no changes »: the check is skipped, as any other tool would."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm

    signer = signers.SimpleSigner.load_pkcs12(str(certs.p12), passphrase=certs.password.encode())
    certify = signers.PdfSignatureMetadata(
        field_name="Certification", md_algorithm="sha256", certify=True,
        docmdp_permissions=MDPPerm[permission],
    )  # fmt: skip
    out = io.BytesIO()
    signers.PdfSigner(certify, signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(out.getvalue()), strict=False)
    if annotate:
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        note = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (50, 600, 500, 700)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("9 000 000 euros"),
                generic.NameObject("/DA"): generic.TextStringObject("/Helv 30 Tf 0 g"),
            }
        )
        kept = list(page.get("/Annots", generic.ArrayObject()))
        page["/Annots"] = generic.ArrayObject([*kept, writer.add_object(note)])
        writer.update_container(page)

    class AnyTool(signers.PdfSigner):
        def _enforce_certification_constraints(self, reader: Any) -> None:
            pass

    second = signers.PdfSignatureMetadata(field_name="Seconde", md_algorithm="sha256")
    out = io.BytesIO()
    AnyTool(second, signer).sign_pdf(writer, output=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("permission", "annotate", "said"),
    [
        ("NO_CHANGES", False, "aucune modification"),
        ("ANNOTATE", True, ""),  # allowed by the certification, refused by our policy
        ("FILL_FORMS", False, None),  # a countersignature the certification allows: verifies
    ],
)
def test_verify_judges_a_certified_pdf_by_our_policy_and_the_signer_s(
    publish_project, tmp_path, permission, annotate, said
) -> None:
    """A PDF certified with DocMDP (pyHanko), then countersigned by a trusted key: a
    certification that allows annotations does not make an annotation over the page pass (our
    policy); one that allows no change at all made a countersignature pass, since our policy
    allows countersignatures: the signer's own word is kept too."""
    from publish_support import make_pdf

    from cpomdocs.publish.verify import verify

    pdf = make_pdf("Contrat", "texte", {"donnees": {}})
    path = tmp_path / "certifie.pdf"
    path.write_bytes(
        _certified_then_countersigned(pdf, publish_project.certs, permission, annotate)
    )
    failed = {c.name: c.message for c in verify(path, [publish_project.certs.ca_pem]).failed}
    assert "signature 2" not in failed
    if said is None:
        assert "signature 1" not in failed
        return
    modified = "document modifié après la signature de CN=Signataire de test,"
    assert failed["signature 1"].startswith(modified)
    if said:
        assert failed["signature 1"].endswith(
            f" : ce signataire n'a autorisé ensuite {said} (signature de certification, "
            "DocMDP), et une révision ajoutée va au-delà"
        )
    else:
        assert failed["signature 1"].endswith("ce n'est plus le document signé")


def test_verify_a_publication_whose_manifest_nests_without_end(
    publication_copy, publish_project
) -> None:
    """A publication received with a manifest.json of « [[[[…]]]] » a hundred thousand deep:
    « erreur interne : RecursionError ». Now one failed check, the rest still said."""
    manifest = publication_copy / "manifest.json"
    manifest.write_text('{"documents": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    done = CliRunner().invoke(
        main, ["verify", str(publication_copy), "--trust", str(publish_project.certs.ca_pem)]
    )
    assert done.exit_code == 1, done.output
    assert "erreur interne" not in done.output and "Traceback" not in done.output
    assert (
        "ÉCHEC       manifest.json — manifeste : manifeste illisible : imbrication trop profonde "
        "(des milliers de listes ou de tables l'une dans l'autre)"
    ) in done.output.splitlines()


def test_import_realisations_never_writes_a_value_the_compte_rendu_refuses(
    tmp_path, monkeypatch
) -> None:
    """A Réalisé cell of 1e308 was written into the compte-rendu, which validate then refused:
    the whole contract stopped building. Now that cell is ignored with the model's own reason,
    the other cells written, and the file stays valid."""
    import openpyxl

    from cpomdocs.data.validate import check_folder
    from cpomdocs.spreadsheet.export import export

    shutil.copytree(FIXTURES / "reports" / "ehpad-suivi", tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    export([Path("contracts/ehpad-suivi")], Path("build"))
    book = openpyxl.load_workbook("build/ehpad-suivi/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    cells = {}
    for row in range(2, sheet.max_row + 1):
        if sheet[f"H{row}"].value == 2026 and sheet[f"B{row}"].value in ("PAP", "ABS-AS"):
            cells[sheet[f"B{row}"].value] = f"J{row}"
    sheet[cells["PAP"]], sheet[cells["ABS-AS"]] = 1e308, 7.5
    book.save("rempli.xlsx")
    done = CliRunner().invoke(
        main, ["import", "realisations", "rempli.xlsx", "contracts/ehpad-suivi"]
    )
    assert done.exit_code == 1, done.output
    assert done.output.splitlines()[0] == (
        f"rempli.xlsx!Indicateurs!{cells['PAP']}: 1e+308 trop grand : "
        "1\u202f000\u202f000\u202f000\u202f000 au plus : valeur ignorée"
    )
    assert "1 valeur écrite" in done.output
    assert check_folder(Path("contracts/ehpad-suivi")).ok
    text = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml").read_text()
    assert "PAP: {2026: 80}" in text and "ABS-AS: {2026: 7.5}" in text


@pytest.mark.parametrize("span", ["--output={}..HEAD", "HEAD~1..--output={}"])
def test_a_revision_that_git_would_read_as_an_option_is_refused(
    tmp_path, monkeypatch, span
) -> None:
    """The rename detection runs `git diff OLD NEW`: a revision « --output=FILE » made git
    write FILE, anywhere. Every revision starting with « - » is now refused, nothing written."""
    repo = _renamed_repo(tmp_path)
    monkeypatch.chdir(repo)
    planted = tmp_path / "ailleurs.txt"
    rev = span.format(planted)
    done = CliRunner().invoke(main, ["diff", "--rev", rev, "contracts/ehpad-cedres-clermont"])
    assert not planted.exists()
    assert (done.exit_code, done.output.strip()) == (
        2,
        f"révision git « --output={planted} » refusée : une révision ne commence pas par « - »",
    )


def test_verify_refuses_a_pdf_of_more_signatures_than_it_checks(publish_project, tmp_path) -> None:
    """Each signature's check looks at every revision after it: 40 signatures took 3.5 s of
    CPU, and a 50 MB PDF holds thousands. Over 20, the PDF is refused unchecked."""
    import io

    from publish_support import make_pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from cpomdocs.publish.verify import verify

    certs = publish_project.certs
    signer = signers.SimpleSigner.load_pkcs12(str(certs.p12), passphrase=certs.password.encode())
    pdf = make_pdf("Contrat", "texte", {"donnees": {}})
    for number in range(21):
        out = io.BytesIO()
        meta = signers.PdfSignatureMetadata(field_name=f"S{number}", md_algorithm="sha256")
        signers.PdfSigner(meta, signer).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out
        )
        pdf = out.getvalue()
    path = tmp_path / "signe-21-fois.pdf"
    path.write_bytes(pdf)
    report = verify(path, [certs.ca_pem], render=False)
    signatures = [c for c in report.checks if c.name.startswith("signature")]
    assert [(c.name, c.outcome.name, c.message) for c in signatures] == [
        (
            "signature",
            "FAILED",
            "21 signatures dans ce PDF : 20 au plus sont vérifiées ; rien n'est vérifié",
        )
    ]


def test_a_renamed_folder_s_old_name_never_reaches_the_terminal_raw(tmp_path, monkeypatch) -> None:
    """The old name comes from the history (a counter-party's commit), not from the command
    line: an escape sequence in it is shown as text, never sent to the terminal."""
    repo = make_repo(tmp_path / "depot")
    hostile = "contracts/a\x1b]0;pris\x07\x1b[31m"
    run_git(repo, "mv", "contracts/ehpad-les-cedres", hostile)
    run_git(repo, "commit", "-qm", "nom piégé")
    run_git(repo, "mv", hostile, "contracts/b")
    run_git(repo, "commit", "-qm", "renommé")
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["diff", "--rev", "HEAD~1..HEAD", "contracts/b"])
    assert done.exit_code == 0, done.output
    assert "\x1b" not in done.output and "\x07" not in done.output
    assert "renommé (anciennement « contracts/a\\x1b]0;pris\\x07\\x1b[31m »)" in done.output
