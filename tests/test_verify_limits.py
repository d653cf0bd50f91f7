"""`verify` renders the source attached to a PDF again within a time limit: a PDF received by
mail may carry any source, one that takes minutes to render (hostile18's left item)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import pytest
import weasyprint
import yaml
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.publish.testcert import make_test_certificates

FIXTURES = Path(__file__).parent / "fixtures"


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # the loader refuses YAML anchors


def _heavy_contract() -> str:
    """A valid draft of 50 objectives (the schema's most): its annexes take ~10 s to render."""
    path = FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("empreinte")
    data["statut"] = "projet"
    first = data["objectifs"]["O1"]
    for k in range(3, 51):
        data["objectifs"][f"O{k}"] = {
            **first,
            "actions": {f"A{k}.1": first["actions"]["A1.1"]},
            "indicateurs": {f"IND-{k}": first["indicateurs"]["ABS-AS"]},
        }
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def _received_pdf(folder: Path) -> Path:
    """An unsigned PDF carrying the heavy contract as its source (anyone may make one)."""
    files = {"cpom.yaml": _heavy_contract()}
    source = {"format": "cpomdocs-source/1", "contrat": "c", "document": "annexes",
              "cree": "2025-01-01T00:00:00Z", "fichiers": files}  # fmt: skip
    day = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    attached = weasyprint.Attachment(
        string=json.dumps(source).encode(), name="cpomdocs-source.json", created=day, modified=day
    )
    pdf = folder / "recu.pdf"
    pdf.write_bytes(weasyprint.HTML(string="<p>x</p>").write_pdf(attachments=[attached]))
    return pdf


def test_a_source_too_long_to_render_is_stopped_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where render_provenance works
    pdf = _received_pdf(tmp_path)
    ca = make_test_certificates(tmp_path / "ac").ca_pem
    started = time.monotonic()
    done = CliRunner().invoke(main, ["verify", str(pdf), "--trust", str(ca), "--timeout", "1"])
    assert time.monotonic() - started < 6  # rendering it whole takes ~10 s
    assert done.exit_code == 1, done.output  # unsigned: the signature fails
    assert f"ÉCHEC       {pdf} — signature : aucune signature dans ce PDF" in done.output
    assert (
        f"NON VÉRIFIÉ {pdf} — nouveau rendu : interrompu au bout de 1 s (limite de --timeout) : "
        "la source jointe n'a pas été comparée au texte du PDF ; relancez avec un --timeout "
        "plus grand"
    ) in done.output.splitlines()
    assert list(scratch.iterdir()) == []  # its sources written, then removed


def test_verify_help_names_the_limit() -> None:
    done = CliRunner().invoke(main, ["verify", "--help"])
    assert "--timeout SECONDES" in done.output
    assert "Durée maximale du nouveau rendu d'un PDF" in " ".join(done.output.split())
    refused = CliRunner().invoke(main, ["verify", "--timeout", "0"])
    assert refused.exit_code == 2
