"""Hostile inputs for the fuzz tests (tests/test_fuzz17.py) and what every answer must respect.

What trust18's throw-away scripts did by hand, kept: byte mutations of a file (YAML, JSON, XML
inside a zip, PDF), each command run on them, and one oracle: a French refusal with a non-zero
code, or success; never code 3, « erreur interne », a traceback, a temporary file left behind,
or a file changed outside the places the command may write.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from click.testing import Result
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CPOMDOCS_FUZZ17", "12"))  # per test; `make fuzz`: hundreds

# Pieces a user, an editor or an attacker may put into a YAML file.
YAML_PIECES = [
    b"&a ", b"*a", b"<<: *a\n", b"!!python/object/apply:os.system ['id']", b"!!binary ", b"!!set ",
    b"!!float ", b"!ruby ", b"%YAML 1.1\n", b"---\n", b"...\n", b"? ", b": ", b"- ", b"{", b"}",
    b"[", b"]", b"'", b'"', b"#", b"|", b">-", b"\t", b"\x00", b"\x1b[31m", b"\xef\xbb\xbf",
    b"\r\n", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xae", b"\xed\xb3\xbf", b"\xe9",
    b"\xff",
    b"1e400", b"-1e400", b".nan", b".inf", b"9" * 5000, b"0x7f", b"0o17", b"2026-02-30",
    b"0000-01-01", b"yes", b"~", b"null", b"\\u0000", b"\xf0\x9f\x98\x80", b"\xe4\xb8\xad",
    b"{{ x }}", b"{% raw %}", b"<script>", b"../../etc/passwd", b"a" * 300,
]  # fmt: skip
BOMB = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((c, c, c - 1, c - 1) + (c - 1,) * 6)
    for c in range(ord("b"), ord("k"))
)
DEEP = b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n"


def fuzz_settings(examples: int = EXAMPLES) -> settings:
    """The same examples on each run (derandomize), no deadline: a command takes a while."""
    return settings(
        max_examples=max(examples, 1),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes, pieces: list[bytes]) -> bytes:
    """`original` changed in 1 to 4 ways: a piece inserted or put in place of a value, a slice
    cut, a line doubled (a duplicate key), a byte flipped, the end cut, CRLF, a BOM, a bomb."""
    data = original
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["insert", "value", "cut", "double", "flip", "end", "whole"]))
        if how == "insert":
            data = data[:at] + draw(st.sampled_from(pieces)) + data[at:]
        elif how == "value" and b": " in data[at:]:
            start = data.index(b": ", at) + 2
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            data = data[:start] + draw(st.sampled_from(pieces)) + data[end:]
        elif how == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 200)) :]
        elif how == "double":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start : (len(data) if end < 0 else end + 1)]
            data = data[:start] + line + line + data[start + len(line) :]
        elif how == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif how == "end":
            data = data[:at]
        else:
            data = draw(
                st.sampled_from(
                    [
                        data.replace(b"\n", b"\r\n"),
                        b"\xef\xbb\xbf" + data,
                        data + b"\n" + BOMB,
                        data + b"\n" + DEEP,
                        b"",
                    ]
                )
            )
    return data


@st.composite
def mutated_zip(draw: st.DrawFn, original: bytes, pieces: list[bytes]) -> bytes:
    """An Office file (a zip) with one XML part mutated, one part dropped, or its bytes hit."""
    how = draw(st.sampled_from(["part", "part", "drop", "bytes"]))
    if how == "bytes":
        return draw(mutated_bytes(original, [b"PK\x03\x04", b"\x00" * 64, b"\xff"]))
    source = zipfile.ZipFile(io.BytesIO(original))
    names = sorted(name for name in source.namelist() if name.endswith((".xml", ".rels")))
    chosen = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != chosen:
                target.writestr(info, source.read(info))
            elif how == "part":
                target.writestr(info, draw(mutated_bytes(source.read(info), pieces)))
    return out.getvalue()


XML_PIECES = [
    b"<", b">", b"&", b"&amp;", b"&#0;", b"&#xD800;", b"]]>", b"<!--", b'"', b"'", b"</w:t>",
    b"<w:p>", b"<w:tr>", b'<w:t xml:space="preserve">12,5 k\xe2\x82\xac</w:t>', b"9" * 400,
    b"-1", b"1e400", b"NaN", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;", b"\x00", b"\xff",
    b'<c r="J2" t="n"><v>1e400</v></c>', b'<c r="J2" s="999"><v>1</v></c>', b't="s"',
    b"<v>99999</v>",
    b'r="XFD1048577"', b'<xi:include href="/etc/passwd"/>',
]  # fmt: skip


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every file under `root` (but those under `skip`) with the sha256 of its bytes."""
    found = {}
    for path in root.rglob("*"):
        if any(path == s or s in path.parents for s in skip) or path.is_symlink():
            continue
        if path.is_file():
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_clean(result: Result, root: Path) -> None:
    """A command's answer: French and whole, no crash, no temporary file left under `root`."""
    text = result.output
    assert result.exit_code != 3, text
    assert "erreur interne" not in text and "Traceback" not in text, text
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        assert text.strip(), "a refusal must say why"
    text.encode("utf-8")  # printable: no lone surrogate
    left = [p for p in root.rglob("*.tmp") if p.name.startswith(".")]
    assert not left, f"half-written files left: {left}"


def changed_outside(before: dict[str, str], after: dict[str, str], allowed: tuple[str, ...]) -> Any:
    """Names written, changed or removed outside the `allowed` prefixes (empty when none)."""
    names = set(before) | set(after)
    return sorted(n for n in names if before.get(n) != after.get(n) and not n.startswith(allowed))


def light_publication(root: Path) -> tuple[Path, Path]:
    """One signed contract, built and published under `root` with a test CA (publish_project's
    two contracts cost 7 s): the publication folder and the CA's certificate."""
    from publish_support import EPOCH, SIGNED_ID, _git, _render, example_text

    from cpomdocs.data.signoff import sign_off
    from cpomdocs.publish.publish import publish
    from cpomdocs.publish.testcert import make_test_certificates

    signed = root / "contracts" / SIGNED_ID
    signed.mkdir(parents=True)
    (signed / "cpom.yaml").write_text(example_text(), "utf-8")
    sign_off(signed / "cpom.yaml", EPOCH.date())
    _git(root, "init", "-q")
    _git(root, "add", "contracts")
    _git(root, "commit", "-q", "-m", "contrat")
    _render(signed / "cpom.yaml", root / "build" / SIGNED_ID / "contrat.pdf", "contrat")
    certs = make_test_certificates(root / "certs")
    folder = root / "publication"
    publish(root / "build", folder, certs.p12, certs.password, [root / "contracts"], root)
    assert (folder / SIGNED_ID / "contrat.pdf").is_file()
    return folder, certs.ca_pem
