"""Runs as HTML for the PDF writer: escaped text, emphasis, redline marks, kept words, break
opportunities in long words of table cells, proper names that are not hyphenated."""

from __future__ import annotations

import re
from html import escape

from cpomdocs.documents.blocks import Inline, run_with, without_paths
from cpomdocs.render.columns import glued_keeps

SHORT_CELL = 12  # a column whose cells are all this short never wraps (codes, years)
LONG_WORD = re.compile(rf"\S{{{2 * SHORT_CELL},}}")
# A word of six letters or more (shorter ones are never cut) that starts with a capital: a proper
# name (« La Parenthèse », « Villefranche », « Alzheimer »), an acronym (« OPERAT ») or the first
# word of a sentence; French typography does not cut proper names, and the others lose little.
# Only in the table cells that wrap (pdf.py), where narrow columns cut names often: each span is
# an inline box of its own to WeasyPrint, and spans in every paragraph cost it 12 % more
# instructions on the asba contract (180 spans; callgrind, 5.29 G → 5.9 G per render).
# A compound is one span (« Bourgogne-Franche-Comté »): WeasyPrint finds no line break at a
# hyphen between two spans, and cut « Bourgogne-F / ranche-Comté » inside a word instead;
# « Clermont-l’Hérault », « Côte-d’Or » too.
CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ](?=[\w-]{5})\w*(?:[-’]\w+)*")
# A code's article (« L.313-11 », « R.314-39 », « D.313-2 »): Pango may break a line after the
# period (UAX #14 allows a break between « . » and a digit after a letter), which left « D. » at
# a line's end and « 313-2 » on the next (asba avenant, motifs). A word joiner (U+2060) forbids
# it; it draws nothing, pdftotext does not extract it, the signed text ignores it.
CODE_ARTICLE = re.compile(r"(?<![\w.])([LRDA])\.(?=\d)")


def escaped(value: str) -> str:
    """`value` escaped for HTML text and attributes."""
    return escape(value, quote=True)


def _breakable(value: str) -> str:
    """Escaped text where words too long for a table column get break opportunities (<wbr>)."""
    if len(value) < 2 * SHORT_CELL:  # too short to hold a long word (most cells)
        return escaped(value)
    parts = []
    position = 0
    for found in LONG_WORD.finditer(value):
        parts.append(escaped(value[position : found.start()]))
        word = found.group()
        parts.append(
            "<wbr>".join(escaped(word[i : i + SHORT_CELL]) for i in range(0, len(word), SHORT_CELL))
        )
        position = found.end()
    parts.append(escaped(value[position:]))
    return "".join(parts)


def _name(found: re.Match[str]) -> str:
    return f'<span class="name">{found.group()}</span>'


def inline_html(runs: Inline, breakable: bool = False, names: bool = False) -> str:
    """Runs as HTML: <strong>, <em>, <ins>/<del> for redlines, <br> for hard breaks."""
    parts = []
    for run in glued_keeps(without_paths(runs)):
        lead = trail = ""
        core = run.text.strip(" ") if run.change else run.text
        if core and core != run.text:  # the spaces around a change are not marked
            lead = run.text[: len(run.text) - len(run.text.lstrip(" "))]
            trail = run.text[len(lead) + len(core) :]
            run = run_with(run, text=core)
        html = _breakable(run.text) if breakable else escaped(run.text)
        if "." in html:
            html = CODE_ARTICLE.sub("\\1.\u2060", html)
        if names and not run.keep and any(c.isupper() for c in run.text):  # kept: never cut
            html = CAPITALISED.sub(_name, html)
        if run.italic:
            html = f"<em>{html}</em>"
        if run.bold:
            html = f"<strong>{html}</strong>"
        if run.superscript:
            html = f"<sup>{html}</sup>"
        if run.keep:
            html = f'<span class="nowrap">{html}</span>'
        if run.pending:
            html = f'<mark class="a-completer">{html}</mark>'
        if run.colour:
            html = f'<span style="color: {escaped(run.colour)}">{html}</span>'
        if run.link:
            html = f'<a href="{escaped(run.link)}">{html}</a>'
        if run.change in ("ins", "del"):
            html = f"{lead}<{run.change}>{html}</{run.change}>{trail}"
        if run.line_break:
            html += "<br>"
        parts.append(html)
    return "".join(parts)
