"""The inline content of Markdown (markdown-it's inline tokens) as runs: bold, italic, links
made safe, values bound to their data path (fmt.at's markers) and blanks still to fill."""

from __future__ import annotations

import re

from markdown_it.token import Token

from cpomdocs import blanks, fmt
from cpomdocs.documents.blocks import Inline, Run, run_with


class _Binding:
    """Where the marker reader stands: the path being read, the path the text belongs to, and
    whether the text is a blank to fill (between blanks.PENDING_START and PENDING_END)."""

    def __init__(self) -> None:
        self.path = ""
        self.reading: list[str] | None = None  # pieces of a path after BIND_START
        self.pending = False

    def split(self, text: str) -> list[tuple[str, str, bool]]:
        """`text` as (piece, path, pending) triples, the markers consumed."""
        if not _MARKER.search(text) and self.reading is None:
            return [(text, self.path, self.pending)]
        pieces: list[tuple[str, str, bool]] = []
        start = 0
        while start < len(text):
            if self.reading is not None:  # a path: every character up to BIND_PATH_END
                end = text.find(fmt.BIND_PATH_END, start)
                if end < 0:
                    self.reading.append(text[start:])
                    break
                path = "".join([*self.reading, text[start:end]])
                self.path, self.reading = path.translate(fmt.PATH_DECODE), None
                start = end + 1
                continue
            found = _MARKER.search(text, start)
            if found is None:
                pieces.append((text[start:], self.path, self.pending))
                break
            pieces.append((text[start : found.start()], self.path, self.pending))
            start, char = found.end(), found.group()
            if char in (blanks.PENDING_START, blanks.PENDING_END):
                self.pending = char == blanks.PENDING_START
            else:
                self.path = ""
                self.reading = [] if char == fmt.BIND_START else None
        return [piece for piece in pieces if piece[0]]


_TOGGLES = (fmt.BIND_START, fmt.BIND_END, blanks.PENDING_START, blanks.PENDING_END)
_MARKER = re.compile(f"[{''.join(_TOGGLES)}]")


def inline_runs(children: list[Token]) -> Inline:
    """The runs of an inline token's children, adjacent runs of the same emphasis merged."""
    if len(children) == 1 and children[0].type == "text":  # most cells: one text token
        content = children[0].content
        if not _MARKER.search(content):
            return [Run(content)] if content else []
        runs: Inline = []  # its pieces between markers, neighbours of the same path merged
        for piece, path, pending in _Binding().split(content):
            last = runs[-1] if runs else None
            if last is not None and last.path == path and last.pending == pending:
                runs[-1] = run_with(last, text=last.text + piece)
            else:
                runs.append(Run(piece, path=path, pending=pending))
        return runs
    return _runs(children)


def _runs(children: list[Token]) -> Inline:
    """inline_runs, any children."""
    runs: Inline = []
    bold = italic = 0
    link = ""
    start = 0  # where the current link's runs start
    binding = _Binding()
    for token in children:
        kind = token.type
        if kind == "link_open":
            link = _safe_link(str(token.attrs.get("href", "")))
            start = len(runs)
        elif kind == "link_close":
            shown = "".join(r.text for r in runs[start:]).strip()
            if link and shown != link.removeprefix("mailto:"):
                # printed, a link must still say where it goes: its target after its text
                _append(runs, Run(f" ({link.removeprefix('mailto:')})", link=link))
            link = ""
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline", "html_inline"):
            code = kind == "code_inline"
            for piece, path, pending in binding.split(token.content):
                look = {"bold": bold > 0, "italic": italic > 0, "link": link, "keep": code}
                _append(runs, Run(piece, **look, path=path, pending=pending))
        elif kind == "softbreak":
            _append(runs, Run(" ", bold=bold > 0, italic=italic > 0, link=link, path=binding.path))
        elif kind == "hardbreak":
            if runs and not runs[-1].line_break:
                runs[-1] = run_with(runs[-1], line_break=True)
            else:
                runs.append(Run("", line_break=True))
        elif kind == "image":
            _append(runs, Run(token.content, bold=bold > 0, italic=italic > 0))
    return [run for run in runs if run.text or run.line_break]


def _append(runs: Inline, run: Run) -> None:
    if not run.text:
        return
    last = runs[-1] if runs else None
    look = (run.bold, run.italic, run.link, run.keep, run.path, run.pending)
    same = last and (last.bold, last.italic, last.link, last.keep, last.path, last.pending) == look
    if last and same and not last.line_break:
        runs[-1] = run_with(last, text=last.text + run.text)
    else:
        runs.append(run)


def _safe_link(href: str) -> str:
    """A link target kept in the documents: web and mail addresses only."""
    return href if href.startswith(("https://", "http://", "mailto:")) else ""


def plain_text(runs: Inline) -> str:
    """The text of runs, without emphasis."""
    return "".join(run.text + (" " if run.line_break else "") for run in runs).strip()
