"""Word diffs that keep a short parenthesised group whole: « (80 places) » changed inside is
shown struck whole, then inserted whole, rather than in interleaved pieces."""

from __future__ import annotations

import difflib

Opcode = tuple[str, int, int, int, int]
MAX_GROUP = 25  # tokens (words and spaces) of a group still read as one value


def _units(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges: a short group « ( … ) » as one range, every other token alone."""
    units: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        end = index + 1
        if tokens[index].startswith("("):
            for last in range(index, min(len(tokens), index + MAX_GROUP)):
                if tokens[last].endswith(")") and (last > index or tokens[last] != "("):
                    end = last + 1
                    break
        units.append((index, end))
        index = end
    return units


def grouped_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """difflib opcodes over tokens `a` and `b`, where a change inside a short parenthesised
    group that word-level marking would interleave becomes one replacement of the group."""
    units_a, units_b = _units(a), _units(b)
    if len(units_a) == len(a) and len(units_b) == len(b):  # no group: plain word diff
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    keys_a = ["".join(a[s:e]) for s, e in units_a]
    keys_b = ["".join(b[s:e]) for s, e in units_b]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    found: list[Opcode] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a1 = units_a[i1][0] if i1 < len(units_a) else len(a)
        a2 = units_a[i2 - 1][1] if i2 > i1 else a1
        b1 = units_b[j1][0] if j1 < len(units_b) else len(b)
        b2 = units_b[j2 - 1][1] if j2 > j1 else b1
        if op == "equal" or op in ("delete", "insert"):
            found.append((op, a1, a2, b1, b2))
            continue
        inner = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False).get_opcodes()
        if sum(1 for o in inner if o[0] != "equal") > 1:  # interleaved: the group whole
            found.append(("replace", a1, a2, b1, b2))
            continue
        found.extend((o, a1 + p, a1 + q, b1 + r, b1 + s) for o, p, q, r, s in inner)
    return found
