"""The publication's index.html is signed with the manifest: verify finds it changed or gone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.publish.placement import MANIFEST, PAGE
from cpomdocs.publish.seal import MANIFEST_SIGNATURE, sha256_bytes, sign_manifest
from cpomdocs.publish.signing import load_key
from cpomdocs.publish.verify import (
    PAGE_CHANGED,
    PAGE_MISSING,
    PAGE_SAME,
    PAGE_UNCOVERED,
    Outcome,
    verify,
)


def _page_check(report):
    return next(c for c in report.checks if (c.file, c.name) == (PAGE, "page"))


def test_the_manifest_describes_the_page_it_links(publication, publish_project):
    manifest = json.loads((publication.folder / MANIFEST).read_text(encoding="utf-8"))
    page = (publication.folder / PAGE).read_bytes()
    assert manifest["page"] == {"fichier": PAGE, "sha256": sha256_bytes(page)}
    links = set(re.findall(r'href="([^"#]+\.pdf)"', page.decode("utf-8")))
    assert links, "the page links the signed PDFs"
    assert links <= {entry["fichier"] for entry in manifest["documents"]}
    check = _page_check(verify(publication.folder, [publish_project.certs.ca_pem]))
    assert (check.outcome, check.message) == (Outcome.OK, PAGE_SAME)


def test_an_edited_page_fails(publication_copy, publish_project):
    index = publication_copy / PAGE
    text = index.read_text(encoding="utf-8")
    link = re.search(r'href="([^"#]+\.pdf)"', text).group(1)
    index.write_text(text.replace(link, "https://exemple.invalid/faux.pdf"), encoding="utf-8")
    report = verify(publication_copy, [publish_project.certs.ca_pem])
    check = _page_check(report)
    assert (check.outcome, check.message) == (Outcome.FAILED, PAGE_CHANGED)
    assert [(c.file, c.name) for c in report.failed] == [(PAGE, "page")]
    cli = CliRunner().invoke(
        main, ["verify", str(publication_copy), "--trust", str(publish_project.certs.ca_pem)]
    )
    assert cli.exit_code == 1
    assert "page du portefeuille modifiée après la signature du manifeste" in cli.output


def test_a_removed_page_fails(publication_copy, publish_project):
    (publication_copy / PAGE).unlink()
    check = _page_check(verify(publication_copy, [publish_project.certs.ca_pem]))
    assert (check.outcome, check.message) == (Outcome.FAILED, PAGE_MISSING)


def test_an_older_manifest_without_the_page_says_it_is_not_covered(
    publication_copy, publish_project
):
    manifest_path = publication_copy / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["page"]
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    manifest_path.write_text(text, encoding="utf-8")
    key = load_key(publish_project.certs.p12, publish_project.certs.password)
    signature = sign_manifest(text.encode("utf-8"), key.signer, None)
    (publication_copy / MANIFEST_SIGNATURE).write_bytes(signature)
    report = verify(publication_copy, [publish_project.certs.ca_pem])
    assert report.failed == []
    check = _page_check(report)
    assert (check.outcome, check.message) == (Outcome.SKIPPED, PAGE_UNCOVERED)


def test_publish_again_rewrites_the_page_it_signs(publish_project, tmp_path: Path):
    from cpomdocs.publish.publish import publish

    folder = tmp_path / "publication"
    args = (publish_project.certs.p12, publish_project.certs.password, [publish_project.contracts])
    publish(publish_project.build, folder, *args, publish_project.root)
    (folder / PAGE).write_text("<p>remplacée</p>", encoding="utf-8")
    publish(publish_project.build, folder, *args, publish_project.root)
    check = _page_check(verify(folder, [publish_project.certs.ca_pem]))
    assert check.outcome is Outcome.OK
