"""Hostile audit 16: the pull-request comment that pings people, quoted keys, odd inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import CONTRACT, make_repo, replaced, run_git
from markdown_it import MarkdownIt

from cpomdocs.cli.main import main

# What GitHub links or renders by itself in a comment's text (GFM autolinks, references, math).
_LIVE = re.compile(r"@\w|#\d|\bGH-\d|://|\bwww\.|\$", re.I)
_HOSTILE_NAME = "Les Cèdres @octocat (cf. #12, GH-7) https://evil.example www.evil.fr a@b.fr $x$"
_HOSTILE_LINES = [
    "Merci @lead-team et @org/juristes, voir org/repo#42.",
    "---",
    "- une puce",
    "1. un numéro",
    "  ===",
    "$\\sqrt{2}$ et [clic](https://phishing.example) <img src=x>",
]


def _md_tokens(markdown: str) -> list:
    """Every token GitHub-like Markdown makes of the comment, inline children included."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    return [t for token in tokens for t in [token, *(token.children or [])]]


def test_the_pull_request_comment_never_pings_links_or_marks_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "depot")
    path = repo / CONTRACT
    text = replaced(path.read_text("utf-8"), "nom: EHPAD Les Cèdres", f'nom: "{_HOSTILE_NAME}"')
    preamble = "".join(f"  {line}\n" for line in _HOSTILE_LINES)
    path.write_text(replaced(text, "preambule: |\n", "preambule: |\n" + preamble), "utf-8")
    run_git(repo, "commit", "-qam", "v4")
    path.write_text(replaced(path.read_text("utf-8"), "Merci @", "Merci bien @"), "utf-8")
    run_git(repo, "commit", "-qam", "v5")  # the hostile lines now unchanged: quoted as they are
    monkeypatch.chdir(repo)
    folder = str(path.parent.relative_to(repo))
    for revisions in ("HEAD~2..HEAD~1", "HEAD~1..HEAD"):
        done = CliRunner().invoke(main, ["diff", "--rev", revisions, folder, "--format", "md"])
        assert done.exit_code == 0, done.output
        _assert_inert(done.output, revisions == "HEAD~2..HEAD~1")


def _assert_inert(markdown: str, renamed: bool) -> None:
    tokens = _md_tokens(markdown)
    kinds = [t.type for t in tokens]
    assert not set(kinds) & {"link_open", "image", "ordered_list_open", "hr"}
    assert kinds.count("bullet_list_open") == 1  # the summary's own list, none in the quote
    assert {t.content for t in tokens if t.type == "html_inline"} <= {"<ins>", "</ins>", "<br>"}
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings == (["h3", "h4", "h4"] if renamed else ["h3", "h4"])
    shown = "\n".join(t.content for t in tokens if t.type == "text").replace("\u200b", "")
    assert _HOSTILE_NAME in shown or not renamed  # the reader still sees what was typed
    for line in _HOSTILE_LINES[1:]:
        assert line.strip() in shown
    for t in tokens:
        if t.type == "text":
            assert not _LIVE.search(t.content.replace("$", "")), t.content
    assert "$" not in re.sub(r"\\\$", "", markdown)  # every dollar escaped: no math


@pytest.mark.parametrize(
    "header", ['"realisations":', "'realisations' :  # saisi au comité", '"re\\u0061lisations":']
)
def test_import_realisations_reads_a_quoted_key(tmp_path, monkeypatch, header) -> None:
    """`"realisations":` (quoted by an editor or a converter) was refused « reportez les valeurs
    à la main »; it is the same key: its values are written, every other line kept."""
    import shutil

    import openpyxl

    from cpomdocs.data.load import load_document
    from cpomdocs.spreadsheet.export import export

    fixture = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
    shutil.copytree(fixture, tmp_path / "contracts" / "ehpad-suivi")
    monkeypatch.chdir(tmp_path)
    draft = Path("contracts/ehpad-suivi/comptes-rendus/2026-11-12-comite-suivi.yaml")
    text = replaced(draft.read_text(encoding="utf-8"), "\nrealisations:", f"\n{header}")
    draft.write_text(text, encoding="utf-8")
    export([Path("contracts/ehpad-suivi")], Path("build"))
    book = openpyxl.load_workbook("build/ehpad-suivi/tableau-de-bord.xlsx")
    sheet = book["Indicateurs"]
    for row in range(2, sheet.max_row + 1):
        if sheet[f"H{row}"].value == 2026 and sheet[f"B{row}"].value == "PAP":
            sheet[f"J{row}"] = 42
    book.save("rempli.xlsx")
    args = ["import", "realisations", "rempli.xlsx", "contracts/ehpad-suivi"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0 and "1 valeur écrite" in done.output, done.output
    after = draft.read_text(encoding="utf-8")
    assert after == text.replace("PAP: {2026: 80}", "PAP: {2026: 42}")
    assert load_document(draft).data["realisations"]["PAP"] == {"2026": 42}
