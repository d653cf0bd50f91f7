"""Rewrite the `realisations:` block of a compte-rendu's YAML text, every other line as it is.

Like data/signoff.py for `empreinte:`: the file is edited as text, so that its comments and
layout survive. Inside the block, an indicator whose values the import does not touch keeps
its lines verbatim (a « # à compléter » placeholder comment included); a rewritten indicator
keeps its line comment while some of its former values remain, and loses it once all of them
are replaced. Comment lines of their own stay. The caller reloads the file and checks that
nothing else moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_ENTRY_KEY = re.compile(r"""^[ \t]+("[^"]*"|'[^']*'|[^\s#'"][^:#]*?)[ \t]*:(?:[ \t]|$)""")
_LINE_COMMENT = re.compile(r"[ \t]+(#.*)$")
# A key as YAML lets it be written: plain, "double-quoted" (with escapes) or 'single-quoted'.
_KEY = r"""(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:#"'][^:#]*?)"""
_TOP_KEY = re.compile(rf"^{_KEY}[ \t]*:(?:[ \t]|$)")
_PLAIN_HEADER = re.compile(rf"^{_KEY}[ \t]*:[ \t]*(?P<comment>#.*)?$")


@dataclass
class Entry:
    """The lines of one indicator in the block, with the comment lines written above it."""

    key: str
    lines: list[str] = field(default_factory=list)
    above: list[str] = field(default_factory=list)

    @property
    def comment(self) -> str:
        """The comment at the end of the entry's first line (« # à compléter : … »), or ""."""
        found = _LINE_COMMENT.search(self.lines[0].rstrip("\r\n"))
        return found.group(1) if found else ""


def yaml_key(text: str) -> str:
    """A mapping key as YAML writes it: quoted only when it would read as something else."""
    return yaml.safe_dump(text, allow_unicode=True, width=1000).splitlines()[0]


def yaml_number(value: float) -> str:
    """A number as the comptes-rendus write it: 724 rather than 724.0, 96.8 as typed."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def entry_line(code: str, by_year: dict[int, float], comment: str = "") -> str:
    """One indicator's line: `  TO-HP: {2024: 96.8, 2025: 97.3}`, its comment kept if given."""
    years = ", ".join(f"{year}: {yaml_number(v)}" for year, v in sorted(by_year.items()))
    return f"  {yaml_key(code)}: {{{years}}}" + (f"  {comment}" if comment else "") + "\n"


def _starts_key(line: str, key: str) -> bool:
    found = _TOP_KEY.match(line.rstrip("\r\n"))
    if found is None:
        return False
    token = found["key"]
    if token[0] not in "\"'":
        return token == key
    try:  # « "realisations": » is the same key (an editor's or a converter's habit)
        return yaml.safe_load(token) == key
    except yaml.YAMLError:
        return False


def block_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """The lines [start, end) of the top-level `key:` block (trailing blank lines excluded)."""
    start = next((n for n, line in enumerate(lines) if _starts_key(line, key)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines after the block stay where they are
    return start, end


def _entries(body: list[str]) -> tuple[list[Entry], list[str]]:
    """The entries of a block's body, and the comment lines after the last one."""
    entries: list[Entry] = []
    pending: list[str] = []
    indent = None
    for line in body:
        stripped = line.strip()
        depth = len(line) - len(line.lstrip(" \t"))
        if not stripped or stripped.startswith("#"):
            pending.append(line)
        elif indent is None or depth <= indent:
            indent = depth
            found = _ENTRY_KEY.match(line)
            key = str(yaml.safe_load(found.group(1))) if found else ""
            entries.append(Entry(key, [line], pending))
            pending = []
        else:
            entries[-1].lines.extend([*pending, line])
            pending = []
    return entries, pending


def rewrite_block(
    text: str,
    key: str,
    values: dict[str, dict[int, float]],
    replaced: dict[str, set[int]],
    before: tuple[str, ...] = (),
) -> str:
    """`text` with the `key:` block holding `values`; `replaced` names, per indicator, the
    years the import wrote. Inserted before the first of the `before` keys when absent."""
    lines = text.splitlines(keepends=True)
    span = block_span(lines, key)
    if span is None:
        block = f"{key}:\n" + "".join(entry_line(c, v) for c, v in values.items())
        return _insert(text, lines, block, before)
    start, end = span
    header = _PLAIN_HEADER.match(lines[start].rstrip("\r\n"))
    out = [lines[start] if header else f"{key}:\n"]  # a flow mapping is rewritten whole
    entries, tail = _entries(lines[start + 1 : end]) if header else ([], [])
    old = {entry.key: entry for entry in entries}
    for code, by_year in values.items():
        entry = old.get(code)
        if entry is not None and not replaced.get(code):
            out += [*entry.above, *entry.lines]
            continue
        if entry is None:
            out.append(entry_line(code, by_year))
            continue
        former_left = set(by_year) - replaced.get(code, set())  # its comment speaks of them
        out += [*entry.above, entry_line(code, by_year, entry.comment if former_left else "")]
    out += tail
    return "".join([*lines[:start], *out, *lines[end:]])


def _insert(text: str, lines: list[str], block: str, before: tuple[str, ...]) -> str:
    at = next(
        (n for n, line in enumerate(lines) if any(_starts_key(line, k) for k in before)), None
    )
    if at is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        return text + ending + block
    while at > 0 and lines[at - 1].startswith("#"):
        at -= 1
    return "".join([*lines[:at], block, *lines[at:]])
