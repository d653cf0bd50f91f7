"""Replace one top-level block of a YAML file's text, leaving every other line as it is.

Like data/signoff.py for `empreinte:`: the file is edited as text, so that its comments and
layout survive; only the lines of the replaced block (comments inside it included) change.
The caller reloads the file and checks that nothing else moved.
"""

from __future__ import annotations

import re

import yaml


def yaml_key(text: str) -> str:
    """A mapping key as YAML writes it: quoted only when it would read as something else."""
    return yaml.safe_dump(text, allow_unicode=True, width=1000).splitlines()[0]


def yaml_number(value: float) -> str:
    """A number as the comptes-rendus write it: 724 rather than 724.0, 96.8 as typed."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def realisations_block(values: dict[str, dict[int, float]]) -> str:
    """The `realisations:` block, one indicator a line: `  TO-HP: {2024: 96.8, 2025: 97.3}`."""
    lines = ["realisations:"] if values else ["realisations: {}"]
    for code, by_year in values.items():
        years = ", ".join(f"{year}: {yaml_number(v)}" for year, v in sorted(by_year.items()))
        lines.append(f"  {yaml_key(code)}: {{{years}}}")
    return "\n".join(lines) + "\n"


def _starts_key(line: str, key: str) -> bool:
    return re.match(rf"{re.escape(key)}[ \t]*:(?:[ \t]|$)", line.rstrip("\r\n")) is not None


def with_block(text: str, key: str, block: str, before: tuple[str, ...] = ()) -> str:
    """`text` with its top-level `key:` block replaced by `block`; when absent, inserted before
    the first of the `before` keys (with the comment lines just above it), else at the end."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if _starts_key(line, key)), None)
    if start is not None:
        end = start + 1
        while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1  # blank lines after the block stay where they are
        return "".join([*lines[:start], block, *lines[end:]])
    at = next(
        (n for n, line in enumerate(lines) if any(_starts_key(line, k) for k in before)), None
    )
    if at is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        return text + ending + block
    while at > 0 and lines[at - 1].startswith("#"):
        at -= 1
    return "".join([*lines[:at], block, *lines[at:]])
