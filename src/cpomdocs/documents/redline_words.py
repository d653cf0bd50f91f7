"""Word-by-word differences of two inline texts (redline.py's runs): deleted and inserted runs.

A run's text is cut into words and the spaces between them; difflib's opcodes over the words
(grouped: versions/word_groups.py) say which are struck and which inserted.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from cpomdocs.documents.blocks import Run
from cpomdocs.versions.word_groups import grouped_opcodes

# Words and the spaces between them; a no-break space (thousands in « 1 234 500 € », before
# « € », « % » or « : ») binds, so that an amount or a percentage changes as a whole.
_TOKEN = re.compile(r"(?:\S|[\u00a0\u202f])+|[^\S\u00a0\u202f]+")
Token = tuple[str, bool, bool]  # text, bold, italic


def runs_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def tokens(runs: list[Run]) -> list[Token]:
    found: list[Token] = []
    for run in runs:
        found.extend((t, run.bold, run.italic) for t in _TOKEN.findall(run.text))
        if run.line_break:
            found.append(("\n", run.bold, run.italic))
    return found


def _emit(tokens: list[Token], change: str) -> list[Run]:
    runs: list[Run] = []
    for text, bold, italic in tokens:
        if text == "\n":
            if runs:
                runs[-1] = dataclasses.replace(runs[-1], line_break=True)
            else:
                runs.append(Run("", bold, italic, change, line_break=True))
            continue
        last = runs[-1] if runs else None
        if (
            last
            and not last.line_break
            and (last.bold, last.italic, last.change) == (bold, italic, change)
        ):
            runs[-1] = dataclasses.replace(last, text=last.text + text)
        else:
            runs.append(Run(text, bold, italic, change))
    return runs


def redline_runs(old: list[Run], new: list[Run], stacked: bool = False) -> list[Run]:
    """Word-by-word differences of two inline texts, as runs marked "del" and "ins" (a short
    parenthesised group changed in several places: struck whole, then inserted whole).

    A replaced value never touches its replacement: a space parts them, or, `stacked` (a table
    cell, whose width must not grow), a line break puts the old value above the new one.
    """
    a, b = tokens(old), tokens(new)
    words_a, words_b = [t[0] for t in a], [t[0] for t in b]
    if words_a == words_b:  # the same words (most cells of a changed row): one equal part
        return _merge(_emit(b, ""))
    return _diffed(a, b, grouped_opcodes(words_a, words_b), stacked)


def _diffed(a: list[Token], b: list[Token], opcodes: list[Any], stacked: bool) -> list[Run]:
    """`redline_runs` of tokens `a` and `b` by their word opcodes."""
    out: list[Run] = []
    skip = 0  # the space that opens an equal part, given to the replacement before it
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            out += _emit(b[j1 + skip : j2], "")
            skip = 0
            continue
        deleted, inserted = _emit(a[i1:i2], "del"), _emit(b[j1:j2], "ins")
        if deleted and inserted and _opening(out, b, j2, opcodes[index + 1 :], stacked):
            # « ~~Le … Lyon. ~~La … Nantes. Suite. »: each sentence keeps the space after it
            deleted[-1] = dataclasses.replace(deleted[-1], text=deleted[-1].text + b[j2][0])
            inserted[-1] = dataclasses.replace(inserted[-1], text=inserted[-1].text + b[j2][0])
            skip = 1
        elif deleted and inserted:
            glued = j2 < len(b) and not b[j2][0].isspace()  # the text goes on in the same word
            _part(out, deleted, inserted, stacked, glued)
        out += deleted + inserted
    return _merge(out)


def _opening(
    out: list[Run],
    b: list[Token],
    j2: int,
    rest: list[tuple[str, int, int, int, int]],
    stacked: bool,
) -> bool:
    """A replacement that opens the text and that an unchanged space follows."""
    following = j2 < len(b) and b[j2][0].isspace() and b[j2][0] != "\n"
    return not out and not stacked and following and bool(rest) and rest[0][0] == "equal"


def _part(
    before: list[Run], deleted: list[Run], inserted: list[Run], stacked: bool, glued: bool
) -> None:
    """Part a deleted value from its replacement, so that they never touch.

    In a table cell (`stacked`) the old value goes above the new one (a line break), so that
    the column does not widen. Elsewhere the space before them is given to both (« pour
    ~~ cinq~~ six ans »): accepting or rejecting every change still gives single spaces.
    """
    last = deleted[-1]
    if stacked:
        deleted[-1] = dataclasses.replace(last, line_break=True)
        return
    if last.line_break or last.text[-1:] == " " or inserted[0].text[:1] == " ":
        return
    previous = before[-1] if before else None
    if previous and not previous.line_break and previous.text.endswith(" "):
        before[-1] = dataclasses.replace(previous, text=previous.text[:-1])
        if not before[-1].text:
            before.pop()
        deleted[0] = dataclasses.replace(deleted[0], text=" " + deleted[0].text)
        inserted[0] = dataclasses.replace(inserted[0], text=" " + inserted[0].text)
    elif not before and glued:  # « ~~80~~ 90. »: a space after « 80 » would part it from « . »
        inserted[0] = dataclasses.replace(inserted[0], text=" " + inserted[0].text)
    else:
        deleted[-1] = dataclasses.replace(last, text=last.text + " ")


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        same = last and (last.bold, last.italic, last.change) == (run.bold, run.italic, run.change)
        if last and same and not last.line_break:
            merged[-1] = dataclasses.replace(
                last, text=last.text + run.text, line_break=run.line_break
            )
        else:
            merged.append(run)
    return merged


def unmarked_spaces(runs: list[Run]) -> list[Run]:
    """The runs with the space that `_part` gave to both a deleted value and its replacement
    (« de ~~ 20 422 000 €~~ 21 016 700 € ») taken out of both, unmarked: « de ~~20 422 000 €~~
    21 016 700 € ». Tracked changes (DOCX): accepting or rejecting still gives single spaces,
    and neither the space struck nor underlined; the old value stands just before the new one,
    as when Word tracks a replacement. A change alone keeps its space (the text needs it)."""
    if not any(r.change for r in runs):
        return runs
    out: list[Run] = []
    index = 0
    while index < len(runs):
        deleted = _changed(runs, index, "del")
        inserted = _changed(runs, index + len(deleted), "ins")
        if not (deleted and inserted):
            out.append(runs[index])
            index += 1
            continue
        index += len(deleted) + len(inserted)
        out += _factored(deleted, inserted)
    return out


def _factored(deleted: list[Run], inserted: list[Run]) -> list[Run]:
    """A deleted group and the inserted group after it, their common edge spaces unmarked."""
    before: list[Run] = []
    after: list[Run] = []
    first, start = deleted[0], inserted[0]
    if first.text[:1] == " " == start.text[:1] and len(first.text) > 1 and len(start.text) > 1:
        before.append(dataclasses.replace(first, text=" ", change="", line_break=False))
        deleted[0] = dataclasses.replace(first, text=first.text[1:])
        inserted[0] = dataclasses.replace(start, text=start.text[1:])
    end, last = deleted[-1], inserted[-1]
    ends = end.text[-1:] == " " == last.text[-1:] and len(end.text) > 1 and len(last.text) > 1
    if ends and not end.line_break and not last.line_break:
        deleted[-1] = dataclasses.replace(end, text=end.text[:-1])
        inserted[-1] = dataclasses.replace(last, text=last.text[:-1])
        after.append(dataclasses.replace(last, text=" ", change=""))
    return before + deleted + inserted + after


def _changed(runs: list[Run], start: int, change: str) -> list[Run]:
    """The runs from `start` on that carry `change`, up to the first that does not."""
    found = []
    for run in runs[start:]:
        if run.change != change:
            break
        found.append(run)
    return found
