"""Hostile audit 9, publish: a document that cannot be signed again keeps its last signed
version (a typo in --build-dir withdrew the whole publication), and signed PDFs are never
written among the contracts' sources."""

from __future__ import annotations

import json

import pytest

from cpomdocs.errors import UsageError
from cpomdocs.publish.publish import MANIFEST, publish
from cpomdocs.publish.verify import verify


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")}


def test_a_wrong_build_folder_withdraws_nothing(publication_copy, publish_project, tmp_path):
    project = publish_project
    before = _files(publication_copy)
    entries = json.loads((publication_copy / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert before and len(entries) == len(before)
    empty = tmp_path / "rien"  # « --build-dir buidl »: no PDF found
    empty.mkdir()
    report = publish(
        empty, publication_copy, project.certs.p12, project.certs.password, [project.contracts],
        project.root,
    )  # fmt: skip
    assert report.failed and report.published == []
    assert report.removed == []
    assert _files(publication_copy) == before
    again = json.loads((publication_copy / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert again == entries
    assert verify(publication_copy, [project.certs.ca_pem], render=False).failed == []


@pytest.mark.parametrize("inside", ["", "ehpad-les-cedres-2025/publication"])
def test_a_publication_folder_among_the_sources_is_refused(publish_project, inside):
    project = publish_project
    out = project.contracts / inside if inside else project.contracts
    before = sorted(p for p in project.contracts.rglob("*"))
    with pytest.raises(UsageError) as caught:
        publish(
            project.build, out, project.certs.p12, project.certs.password, [project.contracts],
            project.root,
        )  # fmt: skip
    assert str(caught.value).startswith(f"{out}: ce dossier de sortie est ")
    assert sorted(p for p in project.contracts.rglob("*")) == before
