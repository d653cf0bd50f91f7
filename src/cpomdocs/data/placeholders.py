"""Values still « à compléter » in a draft: warnings while it is a projet, errors once signed;
left out of what a compte-rendu shows (« non renseigné », never a 0)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpomdocs import blanks
from cpomdocs.data.document import Document, Path_, dotted
from cpomdocs.errors import Problem, Severity

if TYPE_CHECKING:
    from cpomdocs.data.model_acts import MeetingReport

MARKER = "à compléter"
# A text value is a placeholder by blanks' rule (the documents show the same values as blanks);
# the fictitious identifiers of a draft: postal code, FINESS or SIREN, SIRET.
_MARKER_TEXT, _ZERO_IDENTIFIER = blanks.PLACEHOLDER, blanks.ZERO_IDENTIFIER
_MARKER_COMMENT = re.compile(r"(?:^|\s)#\s*[àa] compl[ée]ter\b\s*:?\s*(?P<hint>.*)$", re.IGNORECASE)
DRAFT_STATUSES = ("projet",)


def placeholder_lines(document: Document) -> list[tuple[Path_, tuple[int, int], str]]:
    """Each line holding a placeholder: the value it names (outermost), its place, its hint."""
    found: dict[int, tuple[Path_, tuple[int, int], str]] = {}
    every: dict[int, list[Path_]] = {}
    for path, where, hint in _placeholders(document):
        line = where[0]
        every.setdefault(line, []).append(path)
        known_hint = found[line][2] if line in found else ""
        if line not in found or len(path) < len(found[line][0]):
            found[line] = (path, where, hint or known_hint)
        elif hint and not known_hint:
            found[line] = (*found[line][:2], hint)
    # « {nom: à compléter, qualite: à compléter} »: one line, one warning, but naming every
    # field to fill, or the user meets them one run at a time.
    for line, (path, where, hint) in found.items():
        same = [p[-1] for p in every[line] if p[:-1] == path[:-1] and p != path and p]
        if same := list(dict.fromkeys(str(name) for name in same)):
            also = f"et {', '.join(same)}, sur la même ligne"
            found[line] = (path, where, f"{hint} ; {also}" if hint else also)
    return sorted(found.values(), key=lambda f: f[1])


def check_placeholders(
    document: Document, lines: list[tuple[Path_, tuple[int, int], str]] | None = None
) -> list[Problem]:
    """One problem per line that still holds a placeholder (a value, a key or a comment)."""
    data = document.data
    status = data.get("statut") if isinstance(data, dict) else None
    draft = status in DRAFT_STATUSES or not isinstance(status, str)
    problems = []
    for path, (line, column), hint in placeholder_lines(document) if lines is None else lines:
        detail = f" ({hint})" if hint else ""
        if draft:
            message, severity = f"{MARKER}{detail}", Severity.WARNING
        else:
            message = (
                f"valeur encore {MARKER}{detail} dans un document au statut « {status} » : "
                "remplacez-la"
            )
            severity = Severity.ERROR
        field = ".".join(str(p) for p in path)
        problems.append(Problem(document.name, line, column, field, message, severity))
    return problems


def pending_figures(document: Document, pending: Collection[Path_]) -> frozenset[str]:
    """The dotted paths of the numbers and dates still « à compléter » (a draft's 0 places,
    0 €, 0 %, a GMP validated « le 1er janvier 2027 »): those on a line marked « # à compléter »
    whose value, not only its key, stands there (a FINESS key « 000000000 » to fill says nothing
    of the figures under it). The contract's own dates (`dates.*`) are left out: its period, its
    year columns and its articles all follow from them, so they print as written."""
    values = [p for p in pending if _names_value(document, p)]
    if not values:
        return frozenset()
    return frozenset(
        dotted(path)
        for path, value in _leaves(document.data, ())
        if _is_figure(value) and path[0] != PERIOD and is_pending(values, path)
    )


PERIOD = "dates"  # the contract's date d'effet and end
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # dates stay text in the loaded data


def _is_figure(value: object) -> bool:
    """A number or a date: what a draft can only mark with a comment, not in its own text."""
    if isinstance(value, str):
        return _ISO_DATE.match(value) is not None
    return isinstance(value, int | float) and not isinstance(value, bool)


def _names_value(document: Document, path: Path_) -> bool:
    """True when the placeholder at `path` is its value: on its key's line (a scalar, a flow
    mapping) or a list item; a block under a key to fill (« "000000000": ») is not."""
    key, value = document.keys.get(path), document.values.get(path)
    return key is None or value is None or key[0] == value[0]


SUMMARY = (
    "{file}: avertissement: {count} à compléter ({fields}) ; "
    "« cpomdocs validate {file} » pour la liste"
)
SUMMARY_FIELDS = 3  # fields named in a summary line


def summarize_placeholders(problems: list[Problem]) -> tuple[list[Problem], list[str]]:
    """The problems other than a draft's « à compléter » warnings, and one line per file that
    counts these and names the first few fields (the build says it; validate lists them all)."""
    others, by_file = [], {}
    for problem in problems:
        if not problem.is_error and problem.message.startswith(MARKER):
            by_file.setdefault(problem.file, []).append(problem.field)
        else:
            others.append(problem)
    lines = []
    for name, fields in by_file.items():
        shown = ", ".join(fields[:SUMMARY_FIELDS]) + (", …" if len(fields) > SUMMARY_FIELDS else "")
        count = f"{len(fields)} valeur{'s' if len(fields) > 1 else ''}"
        lines.append(SUMMARY.format(file=name, count=count, fields=shown))
    return others, lines


def _placeholders(document: Document) -> Iterator[tuple[Path_, tuple[int, int], str]]:
    """Every placeholder: text values and keys, zero identifiers, marker comments."""
    for path, value in _leaves(document.data, ()):
        if isinstance(value, str) and (_MARKER_TEXT.search(value) or _ZERO_IDENTIFIER.match(value)):
            yield path, document.locate(path), ""
        key = path[-1] if path else None
        if isinstance(key, str) and _ZERO_IDENTIFIER.match(key):
            yield path, document.locate(path, key=True), ""
    yield from _marker_comments(document)


def _leaves(value: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _marker_comments(document: Document) -> Iterator[tuple[Path_, tuple[int, int], str]]:
    """Lines ending with « # à compléter » name the value (or key) that stands on them."""
    if Path(document.path).suffix.lower() == ".json" or not Path(document.path).is_file():
        return
    lines = Path(document.path).read_text(encoding="utf-8-sig").splitlines()
    # The outermost key written on the line names it (« adresse: {voie: …} » → adresse), or the
    # list item that starts on it (« - {exercice: 2025} » → execution_financiere.0).
    on_line: dict[int, tuple[Path_, tuple[int, int]]] = {}
    items = ((p, w) for p, w in document.values.items() if p and isinstance(p[-1], int))
    for path, where in (*document.keys.items(), *items):
        line = where[0]
        if path and (line not in on_line or len(path) < len(on_line[line][0])):
            on_line[line] = (path, where)
    for number, text in enumerate(lines, start=1):
        match = _MARKER_COMMENT.search(text)
        if match and number in on_line and not text.lstrip().startswith("#"):
            path, where = on_line[number]
            yield path, where, match.group("hint").strip()


# What a compte-rendu draft leaves « à compléter » is not a value: the documents, the charts,
# the rates and the tableau de bord show it as not reported (« non renseigné »), never as 0.
REALISATIONS, ACTIVITY, FINANCES = "realisations", "activite", "execution_financiere"
REVIEWS = "objectifs"
_MEASURES = ("journees_prevues", "journees_realisees")


def is_pending(pending: Collection[Path_], path: Path_) -> bool:
    """True when the value at `path`, or one holding it, is still « à compléter »."""
    return any(path[:end] in pending for end in range(1, len(path) + 1))


def pending_actual(pending: Collection[Path_], code: str, year: int) -> bool:
    """True when a compte-rendu's actual value of indicator `code` for `year` is a placeholder."""
    return is_pending(pending, (REALISATIONS, code, str(year)))  # the loader keeps keys as text


def without_placeholders(report: MeetingReport, pending: Collection[Path_]) -> MeetingReport:
    """The compte-rendu less its values « à compléter »: actuals, measures, results and
    review comments left out (a review left with nothing is no review at all)."""
    if not pending:
        return report
    actuals: dict[str, dict[int, float]] = {}
    for code, by_year in report.realisations.items():
        kept = {y: v for y, v in by_year.items() if not pending_actual(pending, code, y)}
        if kept:
            actuals[code] = kept
    activity = {
        finess: measures.model_copy(
            update={m: None for m in _MEASURES if is_pending(pending, (ACTIVITY, finess, m))}
        )
        for finess, measures in report.activite.items()
    }
    finances = []
    for index, line in enumerate(report.execution_financiere):
        if is_pending(pending, (FINANCES, index, "resultat_prevu")):
            # required by the schema, so only here None: the document prints a blank to fill
            line = line.model_copy(update={"resultat_prevu": None})
        if is_pending(pending, (FINANCES, index, "resultat_realise")):
            line = line.model_copy(update={"resultat_realise": None})
        finances.append(line)
    reviews = {}
    for oid, review in report.objectifs.items():
        if is_pending(pending, (REVIEWS, oid, "commentaire")):
            if not review.abandonne:
                continue  # « À compléter. Revue : … » is an agenda, not the review
            review = review.model_copy(update={"commentaire": ""})
        reviews[oid] = review
    return report.model_copy(
        update={
            "realisations": actuals,
            "activite": activity,
            "execution_financiere": finances,
            "objectifs": reviews,
        }
    )
