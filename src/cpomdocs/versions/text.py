"""The semantic diff as text: for a terminal (coloured on a TTY) and for a pull-request comment."""

from __future__ import annotations

from cpomdocs.versions.diff import Change, ContractDiff

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
    """« 3 modifications, 1 ajout » for a group of changes."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    return ", ".join(_count(n, kind) for kind, n in counts.items())


def _words_text(change: Change, color: bool) -> str:
    out = []
    for op, text in change.words:
        if op == "del":
            out.append(f"{RED}{STRIKE}{text}{RESET}" if color else f"[-{text}-]")
        elif op == "ins":
            out.append(f"{GREEN}{text}{RESET}" if color else f"{{+{text}+}}")
        else:
            out.append(text)
    return "".join(out)


def render_text(diff: ContractDiff, color: bool = False) -> str:
    """The diff for a terminal: one statement per line, grouped by part of the contract."""
    bold = (lambda s: f"{BOLD}{s}{RESET}") if color else (lambda s: s)
    lines = [bold(f"Différences : {diff.old_label} → {diff.new_label}")]
    if not diff.changes:
        return lines[0] + "\nAucune différence.\n"
    for section, changes in diff.by_section().items():
        lines += ["", bold(f"{section} ({summary_line(changes)})")]
        for change in changes:
            sign = {"ajout": "+", "suppression": "-"}.get(change.kind, "~")
            line = f"  {sign} {change.statement}"
            if color and sign != "~":
                line = f"{GREEN if sign == '+' else RED}{line}{RESET}"
            lines.append(line)
            if change.words:
                body = _words_text(change, color).strip().splitlines()
                lines.extend(f"      {text}" for text in body)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def _mark_md(text: str, op: str) -> str:
    core = text.strip()
    if not op or not core:
        return text
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
    lines = [f"### Différences du contrat : {diff.old_label} → {diff.new_label}", ""]
    if not diff.changes:
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
                cells = (
                    c.subject,
                    c.old,
                    c.new,
                    c.delta or {"ajout": "ajout", "suppression": "suppression"}.get(c.kind, ""),
                )
                lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
        for c in (c for c in changes if c.kind == "texte"):
            lines += ["", f"**{c.subject}** (texte modifié) :", ""]
            lines += [f"> {line}" if line else ">" for line in _words_md(c).splitlines()]
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
