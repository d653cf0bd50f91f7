"""The French report of an import, in Markdown: each change with its author and date, the clause
modifications to negotiate, and what could not be applied with where it stands."""

from __future__ import annotations

import re

from cpomdocs.fmt import amount
from cpomdocs.wordback.compare import Author, Edit
from cpomdocs.wordback.importer import ImportResult

MAX_REMARKS = 500  # a negotiated contract gathers a few dozen
OPERATIONS = {"modifie": "modifié", "ajoute": "ajouté", "supprime": "supprimé"}


_BREAKS = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]+")  # a line break would end the row


# What makes Markdown live: a link or an image opens with « [ », HTML and autolinks with « < »,
# code with « ` »; a backslash would undo the escape written before the next one. Emphasis,
# « _ » of data paths and « # » stay as typed: they change no link, and the report stays
# readable in a terminal (`import docx -n` prints it).
_LIVE = re.compile(r"([\\`\[\]<])")


def _cell(text: str) -> str:
    return _line(text).replace("|", "\\|") or "—"


def _line(text: str) -> str:
    """What the counter-party wrote, shown as written: a link, an image (a tracking pixel),
    HTML or a line break that opened a heading « ## Modifications appliquées » of its own were
    read as Markdown by whoever opened the report (GitHub, an editor's preview)."""
    return _LIVE.sub(r"\\\1", _BREAKS.sub(" ", text).strip())


def _who(authors: list[Author]) -> tuple[str, str]:
    """(author, date) of a change: the tracked changes' ones, or « non suivie »."""
    if not authors:
        return "modification non suivie", "—"
    names = ", ".join(dict.fromkeys(_line(a.name) or "auteur inconnu" for a in authors))
    dates = ", ".join(dict.fromkeys(a.date[:10] for a in authors if a.date)) or "—"
    return names, dates


def _subject(edit: Edit, data: dict) -> str:
    """What an edit changes, in the domain's words when the diff knows them."""
    from cpomdocs.versions.labels import subject
    from cpomdocs.wordback.changes import resolve

    path = resolve(data, edit.path)
    try:
        label = subject(path, data) if path else edit.path
    except (KeyError, IndexError, TypeError, ValueError):
        label = edit.path
    label = re.sub(r", (\d+)(?=,|$)", lambda m: f" n° {int(m.group(1)) + 1}", label)
    if edit.kind == "prose":
        return f"{label}, paragraphe {edit.paragraph} {OPERATIONS[edit.operation]}"
    if edit.kind == "liste":
        return f"{label}, élément {OPERATIONS[edit.operation]}"
    return label


def excerpt(before: str, after: str, context: int = 4) -> tuple[str, str]:
    """The changed words of two long texts with `context` words around, « … » for the rest."""
    if len(before) < 80 and len(after) < 80:
        return before, after
    old, new = before.split(" "), after.split(" ")
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = max(head - context, 0)

    def cut(words: list[str]) -> str:
        end = len(words) - max(tail - context, 0)
        text = " ".join(words[start:end])
        return ("… " if start else "") + text + (" …" if end < len(words) else "")

    return cut(old), cut(new)


def _quote(text: str) -> list[str]:
    return [f"> {_line(line)}" for line in text.splitlines()] or [">"]


def _remarks(result: ImportResult) -> list[str]:
    """The comments, notes and text boxes of the returned DOCX: not data, not lost either."""
    if not result.remarks:
        return []
    count = len(result.remarks)
    lines = [
        f"## Commentaires, notes et en-têtes ({count}) — non relus comme données, à reprendre",
        "",
    ]
    for document, remark in result.remarks[:MAX_REMARKS]:
        by = f" de {_line(remark.author)}" if remark.author else ""
        day = f" ({_line(remark.date[:10])})" if remark.date[:10] else ""
        where = f", sur « {_line(remark.anchor)} »" if remark.anchor else ""
        within = f"{_line(document)} : " if len(result.sources) > 1 else ""
        lines.append(f"- {within}{remark.kind}{by}{day}{where} : « {_line(remark.text)} »")
    if count > MAX_REMARKS:  # 16 MB of comments is 300 000 lines
        lines.append(f"- … et {count - MAX_REMARKS} autres, non montrés")
    return [*lines, ""]


def render_report(result: ImportResult, written: str = "") -> str:
    """The report as Markdown."""
    changes, props = result.changes, result.properties
    lines = [
        f"# Import de {result.names}",
        "",
        f"Contrat `{props.get('cpomdocs.contrat', '')}`,"
        f" version {_line(props.get('cpomdocs.version', '?'))},"
        f" {'documents construits' if len(result.sources) > 1 else 'document construit'}"
        " depuis le commit "
        f"`{props.get('cpomdocs.commit', '')[:12]}`.",
        "",
    ]
    for note in result.notes:
        lines += [f"**Attention** : {note}.", ""]
    if written:
        lines += [written, ""]
    elif not changes.patch:
        lines += ["Aucune modification des données.", ""]
    applied = [a for a in changes.applied]
    seen: set[int] = set()
    if applied:
        lines += [
            f"## Modifications appliquées ({len({id(a.edit) for a in applied})})",
            "",
            "| Élément | Avant | Après | Auteur | Date | Où |",
            "|---|---|---|---|---|---|",
        ]
        for item in applied:
            if id(item.edit) in seen:
                continue
            seen.add(id(item.edit))
            edit = item.edit
            author, date = _who(edit.authors)
            before, after = excerpt(edit.before, edit.after)
            cells = (_subject(edit, changes.old), before, after, author, date, edit.where)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    if changes.recomputed:
        lines += ["## Totaux recalculés", ""]
        for path, before, after in changes.recomputed:
            shown = ".".join(str(p) for p in path)
            lines.append(
                f"- `{shown}` : {amount(before)} → {amount(after)}"
                " (somme des lignes de financement)"
            )
        lines.append("")
    if changes.clauses:
        count = len(changes.clauses)
        lines += [f"## Modifications de clause type ({count}) — non appliquées, à négocier", ""]
        for edit in changes.clauses:
            author, date = _who(edit.authors)
            what = (
                "texte ajouté hors des champs du contrat"
                if edit.kind == "hors-champ"
                else ("modification de clause type")
            )
            lines += [f"### {_line(edit.where)}", "", f"« {what} » — {author}, {_line(date)}", ""]
            lines += ["Avant :", "", *_quote(edit.before or "(rien)"), ""]
            lines += ["Après :", "", *_quote(edit.after or "(supprimé)"), ""]
    lines += _remarks(result)
    if changes.refused:
        lines += [f"## Non appliqué ({len(changes.refused)})", ""]
        for edit, reason in changes.refused:
            author, date = _who(edit.authors)
            context = f" — paragraphe : « {_line(edit.context)} »" if edit.context else ""
            lines.append(
                f"- {_line(edit.where)} : « {_line(edit.before)} » → « {_line(edit.after)} » : "
                f"{_line(reason)} ({author}, {_line(date)}){context}"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
