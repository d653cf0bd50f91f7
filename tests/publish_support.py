"""A small real project for the publication tests: contracts in git, PDF/A-3b in build/, a CA."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import NamedTuple

from cpomdocs.build.cache import BuildCache
from cpomdocs.data.load import load_document
from cpomdocs.data.signoff import sign_off
from cpomdocs.publish.publish import PublishReport
from cpomdocs.publish.testcert import TestCertificates, make_test_certificates

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "contracts" / "ehpad-les-cedres-2025" / "cpom.yaml"
FIXTURES = HERE / "fixtures" / "publish"
SIGNED_ID = "ehpad-les-cedres-2025"
DRAFT_ID = "ehpad-projet-2026"
EPOCH = dt.datetime(2025, 3, 14, tzinfo=dt.UTC)


@dataclass
class Project:
    """Where the test project lives."""

    root: Path
    contracts: Path
    build: Path
    certs: TestCertificates
    other_ca: TestCertificates


class Publication(NamedTuple):
    """A project published: the publication folder and what publish reported."""

    folder: Path
    report: PublishReport


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def make_pdf(title: str, text: str, source: dict) -> bytes:
    """A real PDF/A-3b from WeasyPrint with `source` attached as source.json."""
    import weasyprint

    payload = json.dumps(source, ensure_ascii=False, sort_keys=True, default=str).encode()
    attachment = weasyprint.Attachment(
        string=payload, name="source.json", description="Source", created=EPOCH, modified=EPOCH
    )
    page = (
        f'<html lang="fr"><head><title>{html.escape(title)}</title>'
        '<meta name="dcterms.created" content="2025-03-14T00:00:00Z"></head>'
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf(pdf_variant="pdf/a-3b", attachments=[attachment])


def _render(source_file: Path, target: Path, kind: str) -> None:
    data = load_document(source_file).data
    source = {"type": kind, "schema_version": "1", "commit": None, "donnees": data}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(
        make_pdf(f"{kind} {source_file.stem}", f"Texte de {source_file.name}", source)
    )


def example_text() -> str:
    """The signed example without its fingerprint: the tests change it freely."""
    text = EXAMPLE.read_text(encoding="utf-8")
    return re.sub(r"^empreinte:.*(?:\n[ \t]+.*)*\n?", "", text, flags=re.MULTILINE)


def record_build(build: Path) -> None:
    """Note every PDF of `build` in its build cache, with its sha256, as « cpomdocs build » does
    for what it writes (publish refuses a PDF whose bytes differ)."""
    cache = BuildCache(build)
    for pdf in sorted(build.rglob("*.pdf")):
        key = pdf.relative_to(build).with_suffix("").as_posix()
        cache.record(key, "essai", [pdf], [], written={pdf: sha256(pdf.read_bytes()).hexdigest()})
    cache.save()


def make_project(root: Path) -> Project:
    """Two contracts (one signed with avenants and comptes-rendus, one draft), built and in git."""
    contracts = root / "contracts"
    signed = contracts / SIGNED_ID
    signed.mkdir(parents=True)
    (signed / "cpom.yaml").write_text(example_text(), "utf-8")
    sign_off(signed / "cpom.yaml", EPOCH.date())  # a signed contract carries its fingerprint
    shutil.copytree(FIXTURES / "avenants", signed / "avenants")
    shutil.copytree(FIXTURES / "comptes-rendus", signed / "comptes-rendus")
    draft = contracts / DRAFT_ID
    draft.mkdir()
    text = example_text().replace("statut: signé", "statut: projet", 1)
    (draft / "cpom.yaml").write_text(text.replace("  signature: 2025-03-14\n", ""), "utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "contracts")
    _git(root, "commit", "-q", "-m", "contrats")
    build = root / "build"
    for folder in (signed, draft):
        for name in ("contrat", "annexes"):
            _render(folder / "cpom.yaml", build / folder.name / f"{name}.pdf", name)
    for name in ("contrat-consolide", "annexes-consolidees"):
        _render(signed / "cpom.yaml", build / SIGNED_ID / f"{name}.pdf", name)
    for path in sorted((signed / "avenants").glob("*.yaml")):
        _render(path, build / SIGNED_ID / f"avenant-{path.name[:2]}.pdf", "avenant")
    for path in sorted((signed / "comptes-rendus").glob("*.yaml")):
        _render(path, build / SIGNED_ID / "comptes-rendus" / f"{path.stem}.pdf", "compte-rendu")
    (build / SIGNED_ID / "contrat.docx").write_bytes(b"PK")  # a DOCX beside, to be linked
    record_build(build)
    certs = make_test_certificates(root / "certs")
    other = make_test_certificates(root / "other-ca", ca_name="Une autre AC")
    return Project(root, contracts, build, certs, other)
