"""The signed text: sign-off records it, a build whose wording drifted from it says so and marks
the document (real builds, real PDF and DOCX, templates changed through a templates/ folder)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from cli_support import Ran, cpomdocs_here
from click.testing import CliRunner

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.inputs import folder_digest
from cpomdocs.build.signed import check_signed_text
from cpomdocs.cli.main import main
from cpomdocs.data.fingerprint import fingerprint
from cpomdocs.data.load import load_document
from cpomdocs.data.signoff import sign_off
from cpomdocs.documents.blocks import ComposedDocument, Heading, Paragraph, Run
from cpomdocs.documents.compose import PACKAGE_TEMPLATES
from cpomdocs.documents.signed_text import first_difference, text_record
from cpomdocs.publish.publish import publish
from cpomdocs.publish.rerender import render_provenance
from cpomdocs.publish.seal import attached_source
from cpomdocs.publish.testcert import make_test_certificates
from cpomdocs.publish.unsigned import REISSUE

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "contracts"
LITIGES = "le litige est porté devant le tribunal administratif territorialement compétent"
NEW_LITIGES = "le litige est soumis au tribunal administratif de Montpellier"
CHRS_ONLY = "sauf si les parties conviennent d'un état des prévisions de recettes et de dépenses"


def copy_example(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / "contracts" / name
    shutil.copytree(EXAMPLES / name, folder)
    return folder


def override(tmp_path: Path, template: str, old: str, new: str) -> Path:
    """A templates/ folder whose copy of `template` says `new` where cpomdocs says `old`."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    text = (PACKAGE_TEMPLATES / template).read_text(encoding="utf-8")
    assert old in text
    (folder / template).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def build(tmp_path: Path, *options: str) -> Ran:
    """`cpomdocs build` in `tmp_path`, in this process (the same exit code and output)."""
    return cpomdocs_here(tmp_path, "build", "contracts", "-o", "build", "-j", "1", *options)


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order (the watermark does not cut through the paragraphs)."""
    command = ["pdftotext", "-raw", str(path), "-"]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_the_examples_carry_their_signed_text_and_build_quietly() -> None:
    """Each signed example records the text of its act; composed today, it is the same text."""
    for name in ("asba-beaujolais-2024", "chrs-estuaire-2026", "ehpad-les-cedres-2025"):
        folder = EXAMPLES / name
        source = contract_input(folder, None, None, folder_digest(folder))
        for planned in planned_documents(source):
            if planned.name in ("contrat", "annexes") or planned.name.startswith("avenant-"):
                checked = check_signed_text(source, planned.name, planned.label, planned.compose())
                assert (checked.warning, checked.unverified) == ("", ""), (name, planned.name)


def test_sign_off_records_the_text_and_keeps_the_fingerprint(tmp_path: Path) -> None:
    folder = copy_example("ehpad-les-cedres-2025", tmp_path)
    path = folder / "cpom.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))["empreinte"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  texte:\n")], encoding="utf-8")  # as an older sign-off

    result = CliRunner().invoke(main, ["sign-off", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{path}: empreinte enregistrée (sha256 {before['sha256'][:16]}…), texte signé compris\n"
    )
    after = yaml.safe_load(path.read_text(encoding="utf-8"))["empreinte"]
    assert after["sha256"] == before["sha256"] == fingerprint(load_document(path).data)
    assert after["texte"] == before["texte"]
    assert sorted(after["texte"]["documents"]) == ["annexes", "contrat"]
    assert CliRunner().invoke(main, ["validate", str(folder)]).exit_code == 0


def test_the_text_digest_ignores_the_build_date_spacing_and_soft_hyphens() -> None:
    folder = EXAMPLES / "ehpad-les-cedres-2025"
    source = contract_input(folder, None, None, folder_digest(folder))
    later = dataclasses.replace(source, created="2031-05-04T10:00:00Z")
    first = {p.name: p for p in planned_documents(source)}["contrat"].compose()
    second = {p.name: p for p in planned_documents(later)}["contrat"].compose()
    assert second.meta.created != first.meta.created
    assert text_record(second) == text_record(first)

    def document(*texts: str) -> ComposedDocument:
        heading = Heading(2, [Run("Article 6 – Le traitement des litiges")])
        return ComposedDocument(first.meta, [heading, *(Paragraph([Run(t)]) for t in texts)])

    signed = text_record(document("À défaut d'accord, le litige est porté devant le tribunal."))
    spaced = document("À défaut d'accord,\u00a0le  li\u00adtige est porté\ndevant le tribunal.")
    assert first_difference(signed, spaced) is None
    changed = document("À défaut d'accord, le litige est soumis au tribunal.")
    assert first_difference(signed, changed) == "Article 6 – Le traitement des litiges"


def test_a_changed_clause_is_said_named_and_marked_in_pdf_and_docx(tmp_path: Path) -> None:
    copy_example("ehpad-les-cedres-2025", tmp_path)
    override(tmp_path, "contrat.md.j2", LITIGES, NEW_LITIGES)

    result = build(tmp_path)

    assert result.returncode == 0, result.stderr
    warning = (
        "avertissement : contracts/ehpad-les-cedres-2025/cpom.yaml : version 2, signée le "
        "14 mars 2025 : le texte produit pour « contrat » diffère du texte signé, à partir de "
        "« Article 6 – Le traitement des litiges » (les modèles de cpomdocs ou de templates/ ont "
        "changé depuis la signature ; texte signé composé par cpomdocs 0.1.0). Le PDF et le DOCX "
        "portent la mention « Réédition » : seul l'exemplaire signé fait foi. Pour reproduire le "
        "texte signé, rétablissez la rédaction signée dans templates/ (ou retirez-en la "
        "modification) ; pour changer le texte du contrat, passez par un avenant"
    )
    assert result.stderr.splitlines().count(warning) == 1, result.stderr
    assert "1 document dont le texte diffère du texte signé" in result.stderr + result.stdout
    out = tmp_path / "build" / "ehpad-les-cedres-2025"
    mention = (
        "Réédition : le texte de ce document diffère de celui de l’exemplaire signé le "
        "14 mars 2025 (premier passage différent : « Article 6 – Le traitement des litiges »). "
        "Seul l’exemplaire signé fait foi."
    )
    text = pdf_text(out / "contrat.pdf")
    assert mention in text and NEW_LITIGES in text
    assert "RÉÉDITION–TEXTENONSIGNÉ" in text.replace(" ", "")  # the watermark, letter by letter
    assert "Réédition" not in pdf_text(out / "annexes.pdf")  # its text is the signed one
    document = docx.Document(str(out / "contrat.docx"))
    first = document.paragraphs[0].text.replace("\u00a0", " ").replace("\u202f", " ")
    assert first == mention
    assert "RÉÉDITION – TEXTE NON SIGNÉ" in document.sections[0].header._element.xml

    # verify renders the attached source again: marked the same, it gives the same text
    _, provenance = attached_source((out / "contrat.pdf").read_bytes()) or ("", {})
    (tmp_path / "again.pdf").write_bytes(render_provenance(provenance, tmp_path / "templates"))
    assert pdf_text(tmp_path / "again.pdf") == text

    # publish seals only what was signed: the marked reissue is refused, its annexes published
    certs = make_test_certificates(tmp_path / "certs")
    report = publish(
        tmp_path / "build", tmp_path / "pub", certs.p12, certs.password,
        [tmp_path / "contracts"], tmp_path,
    )  # fmt: skip
    refusals = [p for p in report.problems if p.message == REISSUE]
    assert [p.file for p in refusals] == [(out / "contrat.pdf").as_posix()]
    assert not (tmp_path / "pub/ehpad-les-cedres-2025/contrat.pdf").exists()
    assert (tmp_path / "pub/ehpad-les-cedres-2025/annexes.pdf").is_file()

    again = build(tmp_path, "-q")  # nothing to render: the kept document is still said
    assert again.returncode == 0
    assert "0 document construit" in again.stderr + again.stdout
    assert again.stderr.splitlines().count(warning) == 1

    strict = build(tmp_path, "--strict")
    assert strict.returncode == 1
    refused = warning.replace("avertissement : ", "  échec : contrat : ").replace(
        "Le PDF et le DOCX portent la mention « Réédition » : seul l'exemplaire signé fait foi.",
        "Document refusé (--strict) : aucun fichier écrit pour lui.",
    )
    assert refused in strict.stderr.splitlines(), strict.stderr


def test_a_template_change_that_leaves_the_text_alone_is_quiet(tmp_path: Path) -> None:
    copy_example("ehpad-les-cedres-2025", tmp_path)
    assert build(tmp_path, "-f", "pdf").returncode == 0
    override(tmp_path, "contrat.md.j2", CHRS_ONLY, "sauf accord des parties sur un EPRD")

    result = build(tmp_path, "-f", "pdf")

    assert result.returncode == 0, result.stderr
    assert re.search(r"[1-9]\d* documents? construits?", result.stdout + result.stderr)
    assert "avertissement" not in result.stderr and "note" not in result.stderr
    assert "Réédition" not in pdf_text(tmp_path / "build/ehpad-les-cedres-2025/contrat.pdf")


def test_an_older_signed_file_is_said_once_never_an_error(tmp_path: Path) -> None:
    folder = copy_example("ehpad-les-cedres-2025", tmp_path)
    path = folder / "cpom.yaml"
    sign_off(path)  # the data layer alone: the empreinte of an older cpomdocs, without the text
    assert "texte:" not in path.read_text(encoding="utf-8")

    result = build(tmp_path, "-f", "pdf")

    assert result.returncode == 0, result.stderr
    note = (
        "note : texte signé non vérifiable pour contracts/ehpad-les-cedres-2025/cpom.yaml : "
        "l'empreinte ne porte pas le texte signé (enregistrée par un cpomdocs plus ancien) ; si "
        "les documents produits disent bien ce qui a été signé (comparez-les à l'exemplaire "
        "signé), « cpomdocs sign-off FICHIER » l'enregistre"
    )
    assert result.stderr.splitlines().count(note) == 1, result.stderr  # contract and annexes


@pytest.mark.parametrize("release", ["0.1.0", "0.0.9"])
def test_a_changed_avenant_text_is_named_with_what_to_do(tmp_path: Path, release: str) -> None:
    folder = copy_example("chrs-estuaire-2026", tmp_path)
    avenant = folder / "avenants" / "01-places-diffuses-le-phare.yaml"
    text = avenant.read_text(encoding="utf-8")
    avenant.write_text(text.replace('cpomdocs: "0.1.0"', f'cpomdocs: "{release}"'), "utf-8")
    old = "Les autres stipulations du contrat demeurent inchangées"
    templates = override(tmp_path, "avenant.md.j2", old, "Le reste du contrat ne change pas")
    source = contract_input(folder, templates, None, folder_digest(folder))
    planned = {p.name: p for p in planned_documents(source)}

    body = check_signed_text(source, "contrat", "contrat", planned["contrat"].compose())
    checked = check_signed_text(
        source, "avenant-01", "avenant n° 1", planned["avenant-01"].compose()
    )

    assert body.warning == ""
    assert checked.warning.startswith(
        f"{avenant} : avenant n° 1, signé le 5 novembre 2026 : le texte produit pour "
        "« avenant n° 1 » diffère du texte signé, à partir de « Article "
    )
    how = (
        "rétablissez la rédaction signée dans templates/"
        if release == "0.1.0"
        else 'construisez avec cpomdocs 0.0.9 (pip install "cpomdocs==0.0.9")'
    )
    assert f"Pour reproduire le texte signé, {how}" in checked.warning
    assert checked.document.meta.watermark == "RÉÉDITION – TEXTE NON SIGNÉ"


def test_sign_off_does_not_silently_replace_a_recorded_signed_text(tmp_path: Path) -> None:
    folder = copy_example("ehpad-les-cedres-2025", tmp_path)
    path = folder / "cpom.yaml"
    text = path.read_text(encoding="utf-8")
    templates = override(tmp_path, "contrat.md.j2", LITIGES, NEW_LITIGES)
    command = ["sign-off", str(path), "--templates", str(templates)]

    refused = CliRunner().invoke(main, command)

    assert refused.exit_code == 1
    assert refused.output == (
        f"{path}: le texte produit aujourd'hui pour « contrat » n'est plus celui enregistré à la "
        "signature (« cpomdocs build » dit à partir de quel passage) : rien n'est modifié ; si ce "
        "nouveau texte a bien été signé, relancez avec --remplacer-texte\n"
    )
    assert path.read_text(encoding="utf-8") == text
    replaced = CliRunner().invoke(main, [*command, "--remplacer-texte"])
    assert replaced.exit_code == 0, replaced.output
    after = yaml.safe_load(path.read_text(encoding="utf-8"))["empreinte"]["texte"]["documents"]
    assert after["annexes"] == yaml.safe_load(text)["empreinte"]["texte"]["documents"]["annexes"]
    assert after["contrat"] != yaml.safe_load(text)["empreinte"]["texte"]["documents"]["contrat"]


def test_same_text_is_equal_passages_told_line_by_line() -> None:
    """same_text (which stops at the first line that differs) says what passages' equality says,
    on every pair of the examples' annexes and on documents a heading or a line apart."""
    import itertools
    import random

    from cpomdocs.documents.signed_text import passages, same_text

    documents = []
    for folder in sorted((Path(__file__).resolve().parent.parent / "contracts").iterdir()):
        for planned in planned_documents(contract_input(folder, None, None, "test")):
            if planned.name in ("annexes", "contrat"):
                documents.append(planned.compose())
    rng = random.Random(5)
    texts = ["Article 1er", "Le gestionnaire.", "", "Le  gestionnaire.", "Article 2"]
    for _ in range(300):
        blocks = [
            Heading(2, [Run(rng.choice(texts))]) if rng.random() < 0.3
            else Paragraph([Run(rng.choice(texts))])
            for _ in range(rng.randint(0, 4))
        ]  # fmt: skip
        documents.append(ComposedDocument(documents[0].meta, blocks))
    pairs = [*itertools.combinations(documents[:8], 2), *itertools.combinations(documents[8:], 2)]
    pairs += [(d, d) for d in documents]
    for first, second in pairs:
        assert same_text(first, second) == (passages(first) == passages(second))
    assert sum(same_text(a, b) for a, b in pairs) > len(documents)  # equal pairs beyond (d, d)
