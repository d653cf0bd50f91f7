"""Hostile audit 14: an interrupted publication, oversized files given to verify, git names that
git quotes even unquoted, words wholly in a lookalike alphabet."""

from __future__ import annotations

from pathlib import Path

import pytest
from publish_support import SIGNED_ID

from cpomdocs.publish import publish as publishing
from cpomdocs.publish.publish import publish
from cpomdocs.publish.verify import verify

CONTRACT_PDF = f"{SIGNED_ID}/contrat.pdf"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _publish_again(project, folder: Path):
    return publish(
        project.build, folder, project.certs.p12, project.certs.password, [project.contracts],
        project.root,
    )  # fmt: skip


@pytest.mark.parametrize("when", ["signing", "manifest"])
def test_an_interrupted_publication_leaves_the_last_one_whole(
    publication_copy, publish_project, monkeypatch, when
):
    """Ctrl-C (or SIGTERM, which the CLI turns into the same unwinding) while the third PDF is
    signed, or while the manifest is signed: the folder stays the last publication, byte for
    byte, and still verifies; the next run publishes everything."""
    before = _files(publication_copy)
    calls = []
    name = "sign_pdf" if when == "signing" else "sign_manifest"
    real = getattr(publishing, name)

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == (3 if when == "signing" else 1):
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(publishing, name, interrupted)
    with pytest.raises(KeyboardInterrupt):
        _publish_again(publish_project, publication_copy)
    assert _files(publication_copy) == before
    assert verify(publication_copy, [publish_project.certs.ca_pem], render=False).failed == []
    monkeypatch.setattr(publishing, name, real)
    report = _publish_again(publish_project, publication_copy)
    assert not report.failed and len(report.published) == 6
    after = _files(publication_copy)
    assert sorted(after) == sorted(before)
    assert all(after[n] != before[n] for n in after if n.endswith(".pdf"))  # signed anew
    assert verify(publication_copy, [publish_project.certs.ca_pem], render=False).failed == []


def test_a_signal_during_the_final_renames_waits_for_them():
    """SIGTERM landing while the publication's files are moved into place is delivered after."""
    import os
    import signal

    from cpomdocs.write import signals_deferred

    def stop(number, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    done = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with signals_deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                done.append("renamed")
        assert done == ["renamed"]
        assert signal.getsignal(signal.SIGTERM) is stop
    finally:
        signal.signal(signal.SIGTERM, previous)
