"""The semantic diff as text: for a terminal (coloured on a TTY) and for a pull-request comment.

A contract as plain French text, one fact per line, for `git diff` (diff.cpom.textconv).
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from typing import Any

from cpomdocs.data.load import load_document
from cpomdocs.errors import InputError, Problem
from cpomdocs.versions.diff import SECTIONS, Change, ContractDiff
from cpomdocs.versions.format import plain
from cpomdocs.versions.labels import WIDTH, facts, keyed_by_finess
from cpomdocs.versions.report_text import is_report, report_text

UNREADABLE = "(fichier illisible par cpomdocs : son texte tel quel)"
MAX_RAW_BYTES = 64 * 2**20  # what git itself would show without the textconv

RED, GREEN, BOLD, STRIKE, RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[9m", "\x1b[0m"
_KIND_WORDS = {
    "ajout": ("ajout", "ajouts"),
    "suppression": ("suppression", "suppressions"),
    "modification": ("modification", "modifications"),
    "texte": ("texte modifié", "textes modifiés"),
}


def _count(count: int, kind: str) -> str:
    singular, plural = _KIND_WORDS[kind]
    return f"{count} {singular if count == 1 else plural}"


def summary_line(changes: list[Change]) -> str:
    """« 3 modifications, 1 ajout » for a group of changes; computed totals are not counted."""
    counts: dict[str, int] = {}
    for change in changes:
        if not change.computed:
            counts[change.kind] = counts.get(change.kind, 0) + 1
    return ", ".join(_count(n, kind) for kind, n in counts.items()) or "calculés, pour information"


def _marked(op: str, text: str, color: bool) -> str:
    if op == "del":
        return f"{RED}{STRIKE}{text}{RESET}" if color else f"[-{text}-]"
    if op == "ins":
        return f"{GREEN}{text}{RESET}" if color else f"{{+{text}+}}"
    return text


_TOKENS = re.compile(r"(?:\S|[\u00a0\u202f])+|[^\S\u00a0\u202f]+")  # never cut at a no-break space


def _words_lines(change: Change, color: bool, width: int = WIDTH - 6) -> list[str]:
    """A changed text wrapped at `width` (its paragraphs are one line each since word_diff reads
    soft line breaks as spaces), each line's struck and inserted runs marked on that line."""
    lines: list[list[tuple[str, str]]] = [[]]
    column, space = 0, ("", "")
    for op, text in change.words:
        for index, part in enumerate(text.split("\n")):
            if index:  # a hard break (blank line, list item…) kept as the author wrote it
                lines.append([])
                column, space = 0, ("", "")
            for token in _TOKENS.findall(part):
                if token.isspace():
                    space = (op, token)
                    continue
                if column and column + len(space[1]) + len(token) > width:
                    lines.append([])
                    column, space = 0, ("", "")
                if column and space[1]:
                    lines[-1].append(space)
                    column += len(space[1])
                lines[-1].append((op, token))
                column += len(token)
                space = ("", "")
    shown = []
    for segments in lines:
        runs: list[tuple[str, str]] = []
        for op, text in segments:
            if runs and runs[-1][0] == op:
                runs[-1] = (op, runs[-1][1] + text)
            else:
                runs.append((op, text))
        shown.append("".join(_marked(op, text, color) for op, text in runs))
    while shown and not shown[-1]:
        shown.pop()
    return shown


def render_text(diff: ContractDiff, color: bool = False) -> str:
    """The diff for a terminal: one statement per line, grouped by part of the contract."""
    bold = (lambda s: f"{BOLD}{s}{RESET}") if color else (lambda s: s)
    lines = [bold(f"Différences : {diff.old_label} → {diff.new_label}")]
    if not diff.counted:
        return lines[0] + "\nAucune différence.\n"
    for section, changes in diff.by_section().items():
        lines += ["", bold(f"{section} ({summary_line(changes)})")]
        for change in changes:
            sign = (
                "=" if change.computed else {"ajout": "+", "suppression": "-"}.get(change.kind, "~")
            )
            line = f"  {sign} {change.statement}"
            if color and sign != "~":
                line = f"{GREEN if sign == '+' else RED}{line}{RESET}"
            lines.append(line)
            lines.extend(f"      {detail}" for detail in change.details)
            if change.words:
                lines.extend(f"      {text}" for text in _words_lines(change, color))
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#$])")  # what GitHub would read as markup
# What GitHub links by itself in a comment: a mention « @nom » (which notifies that person), an
# issue « #12 » or « GH-12 », an address « https://… », « www.… », « a@b.fr ». An invisible
# zero-width space after the sign that starts it keeps the text as it reads and breaks the link.
# And an emoji short code « :tada: », drawn as a picture.
_AUTO_LINK = re.compile(
    r"(?<=@)(?=\w)|(?<=\\#)(?=\d)|(?<=\bgh)(?=-\d)|(?<=:)(?=//)|(?<=www)(?=\.)"
    r"|(?<=:)(?=[\w+\\-]+:)",
    re.I,
)
_ZERO_WIDTH_SPACE = "&#8203;"
# A quoted line that a list, a numbered list or a heading's underline would start.
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d{1,9})([.)]))")


def md_text(text: str) -> str:
    """User text as GitHub Markdown that shows exactly that text: HTML and Markdown escaped."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _AUTO_LINK.sub(_ZERO_WIDTH_SPACE, escaped)


def _quoted(line: str) -> str:
    """One line of a quoted text, never the start of a list or a heading."""
    return "> " + _LINE_START.sub(
        lambda m: m[1] + (f"\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}"), line
    )


def _cell(text: str) -> str:
    return md_text(" ".join(text.split())) or "—"


def _mark_md(text: str, op: str) -> str:
    core = md_text(text.strip())
    if not op or not core:
        return md_text(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return lead + (f"~~{core}~~" if op == "del" else f"<ins>{core}</ins>") + trail


def _words_md(change: Change) -> str:
    # Marks are applied line by line, so that each quoted line of the comment stays balanced.
    out = []
    for op, text in change.words:
        out.append("\n".join(_mark_md(line, op) for line in text.split("\n")))
    return "".join(out).strip()


def render_markdown(diff: ContractDiff) -> str:
    """The diff as a pull-request comment: a short summary first, then one table per part."""
    labels = f"{md_text(diff.old_label)} → {md_text(diff.new_label)}"
    lines = [f"### Différences du contrat : {labels}", ""]
    if not diff.counted:
        return "\n".join([*lines, "Aucune différence de contenu.", ""])
    grouped = diff.by_section()
    lines.append(f"**{summary_line(diff.changes)}** :")
    lines += [f"- {section} : {summary_line(changes)}" for section, changes in grouped.items()]
    for section, changes in grouped.items():
        lines += ["", f"#### {section}", ""]
        rows = [c for c in changes if c.kind != "texte"]
        if rows:
            lines += ["| Élément | Avant | Après | Écart |", "|---|---|---|---|"]
            for c in rows:
                shown = {"ajout": "ajout", "suppression": "suppression"}.get(c.kind, "")
                details = "<br>".join(_cell(d) for d in c.details)
                old = details if c.kind == "suppression" and details else _cell(c.old)
                new = details if c.kind == "ajout" and details else _cell(c.new)
                delta = _cell(c.delta or shown) + (" (calculé)" if c.computed else "")
                lines.append(f"| {_cell(c.subject)} | {old} | {new} | {delta} |")
        for c in (c for c in changes if c.kind == "texte"):
            lines += ["", f"**{md_text(c.subject)}** (texte modifié) :", ""]
            lines += [_quoted(line) if line else ">" for line in _words_md(c).splitlines()]
    return "\n".join(lines) + "\n"


def render_json(diff: ContractDiff) -> str:
    """The diff for programs: one object per change, with its data path, section and values."""
    import json

    changes = [
        {
            "chemin": ".".join(str(p) for p in change.path),
            "section": change.section,
            "element": change.subject,
            "type": change.kind,
            "avant": change.old,
            "apres": change.new,
            "ecart": change.delta,
            "phrase": change.statement,
            **({"mots": [{"op": op or "egal", "texte": t} for op, t in change.words]}
               if change.words else {}),
        }
        for change in diff.changes
    ]  # fmt: skip
    document = {"ancien": diff.old_label, "nouveau": diff.new_label, "modifications": changes}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_ORDER = [key for keys in SECTIONS.values() for key in keys]
_SECTION_OF = {key: name for name, keys in SECTIONS.items() for key in keys}
_DATE_WORDS = {"signature": "de signature", "effet": "d'effet"}


def contract_text(data: dict[str, Any]) -> str:
    """Every fact of a contract (or an avenant's modifications) as French lines, by section."""
    if "modifications" in data and "numero" in data:
        dates = data.get("dates") if isinstance(data.get("dates"), dict) else {}
        head = [f"Avenant n° {data.get('numero')} : {data.get('objet', '')}"]
        head += [f"Statut : {data.get('statut', '')}"]
        head += [f"Date {_DATE_WORDS.get(k, k)} : {plain(v)}" for k, v in dates.items()]
        motifs = textwrap.wrap(" ".join(str(data.get("motifs", "")).split()), WIDTH - 4)
        head += ["Exposé des motifs :", *(f"    {line}" for line in motifs)]
        changes = data["modifications"]  # a text or nothing while it is written: as it reads
        body = contract_text(changes) if isinstance(changes, dict) else plain(changes)
        return "\n".join([*head, "", "Modifications :", body])
    lines: list[str] = []
    labels = keyed_by_finess(data)
    keys = sorted((k for k in data if k != "empreinte"), key=lambda k: (_order(k), k))
    current = ""
    for key in keys:
        section = _SECTION_OF.get(key, "Contrat")
        if section != current:
            lines += ["", f"== {section} =="] if lines else [f"== {section} =="]
            current = section
        lines.extend(facts(data[key], (key,), labels))
    return "\n".join(lines) + "\n"


def _order(key: str) -> int:
    return _ORDER.index(key) if key in _ORDER else len(_ORDER)


def textconv(path: Path) -> tuple[str, list[Problem]]:
    """The text `git diff` shows for a contract, avenant or compte-rendu file, and the problems
    of a file that does not read: that one is shown as it is, after a line saying so. git stops
    the whole diff (« fatal: unable to read files to diff ») when a textconv fails, and a file
    being typed, emptied or in conflict is committed too."""
    try:
        data = load_document(path).data
    except InputError as exc:
        if not path.is_file() or path.stat().st_size > MAX_RAW_BYTES:  # a pipe, a device
            raise
        raw = path.read_bytes().decode("utf-8", "replace")
        return f"{UNREADABLE}\n{raw}{'' if raw.endswith(chr(10)) or not raw else chr(10)}", (
            exc.problems
        )
    if is_report(data):
        return report_text(data), []
    return (contract_text(data) if isinstance(data, dict) else str(data)), []
