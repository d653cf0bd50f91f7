"""Word diffs that read as légistique writes them: a sentence changed in many places is replaced
whole, a short parenthesised group « (80 places) » changed inside is struck whole then inserted
whole, and a change never cuts a word (« ~~2017.~~ 2017, », not « 2017~~.~~, »)."""

from __future__ import annotations

import difflib

from cpomdocs.versions.sentences import ends_sentence

Opcode = tuple[str, int, int, int, int]
MAX_GROUP = 25  # tokens (words and spaces) of a group still read as one value
# From three changes in one sentence, their pieces interleave so that neither the old nor the
# new sentence can be read: légistique then replaces the sentence whole (« La deuxième phrase
# est remplacée par la phrase suivante : »). One or two changes stay word by word (« 80 » → « 90 »;
# a few words inserted and the end of the sentence replaced).
SENTENCE_CHANGES = 3


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


def _sentences(tokens: list[str]) -> list[tuple[int, int]]:
    """Token ranges of the sentences (or lines), and of the spaces or line breaks between them."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        stop = token.isspace() and index and ends_sentence(tokens[index - 1], following)
        if token == "\n" or stop:
            if index > start:
                ranges.append((start, index))
            ranges.append((index, index + 1))
            start = index + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


def grouped_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """difflib opcodes over tokens `a` and `b` (words and the spaces between them), sentence by
    sentence: a sentence with `SENTENCE_CHANGES` changes or more is one replacement; a change
    inside a short parenthesised group that would interleave is one replacement of the group;
    every change spans whole words."""
    sentences_a, sentences_b = _sentences(a), _sentences(b)
    keys_a = ["".join(a[s:e]) for s, e in sentences_a]
    keys_b = ["".join(b[s:e]) for s, e in sentences_b]
    changes: list[list[int]] = []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = [(i1, i2, j1, j2)]
        if op == "replace" and i2 - i1 == j2 - j1:  # changed sentences, one for one
            pairs = [
                (i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        for s1, s2, t1, t2 in pairs:
            a1, a2 = _span(sentences_a, s1, s2, len(a))
            b1, b2 = _span(sentences_b, t1, t2, len(b))
            if op == "equal":
                continue
            inner = (
                _changes(_group_opcodes(a[a1:a2], b[b1:b2]), a[a1:a2]) if op == "replace" else []
            )
            if op != "replace" or len(inner) >= SENTENCE_CHANGES:
                changes.append([a1, a2, b1, b2])  # the sentence whole
            else:
                changes.extend([a1 + p, a1 + q, b1 + r, b1 + s] for p, q, r, s in inner)
    return _opcodes(_whole_words(_joined(changes, a), a, b), len(a), len(b))


def _span(ranges: list[tuple[int, int]], first: int, last: int, size: int) -> tuple[int, int]:
    """The tokens of sentences `first` to `last` (excluded); an empty range where they'd be."""
    if last > first:
        return ranges[first][0], ranges[last - 1][1]
    at = ranges[first][0] if first < len(ranges) else size
    return at, at


def _group_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """Word opcodes where a short group changed in several places is one replacement."""
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


def _word(token: str) -> bool:
    return not token.isspace()


def _mark(token: str) -> bool:
    """A lone punctuation mark (« . », « , », « ; »…), printed apart from the word it ends."""
    return bool(token) and _word(token) and not any(ch.isalnum() for ch in token)


def _changes(ops: list[Opcode], a: list[str]) -> list[list[int]]:
    """The changes of difflib opcodes as [i1, i2, j1, j2], those only a space apart joined
    (« ~~3 janvier 2017~~ 15 septembre 2025 », not each word struck then inserted in turn)."""
    return _joined([[i1, i2, j1, j2] for op, i1, i2, j1, j2 in ops if op != "equal"], a)


def _joined(changes: list[list[int]], a: list[str]) -> list[list[int]]:
    joined: list[list[int]] = []
    for change in changes:
        last = joined[-1] if joined else None
        if last and change[0] >= last[1] and all(t.isspace() for t in a[last[1] : change[0]]):
            last[1], last[3] = max(last[1], change[1]), max(last[3], change[3])
        else:
            joined.append(list(change))
    return joined


def _whole_words(changes: list[list[int]], a: list[str], b: list[str]) -> list[list[int]]:
    """A punctuation mark changed is shown with the word it is glued to (a date bound to the
    data, then its full stop, are two runs): « ~~2017.~~ 2017, », never « 2017~~.~~, »."""
    for index, change in enumerate(changes):
        i1, i2, j1, j2 = change
        start = changes[index - 1][1] if index else 0
        end = changes[index + 1][0] if index + 1 < len(changes) else len(a)
        if _edge(a, i1, i2, b, j1, j2, first=True):
            while i1 > start and _word(a[i1 - 1]):
                i1, j1 = i1 - 1, j1 - 1
        if _edge(a, i1, i2, b, j1, j2, first=False):
            while i2 < end and _word(a[i2]):
                i2, j2 = i2 + 1, j2 + 1
        change[:] = [i1, i2, j1, j2]
    for change in changes:  # the same spaces at both ends are not changed
        i1, i2, j1, j2 = change
        while i2 > i1 and j2 > j1 and a[i2 - 1] == b[j2 - 1] and a[i2 - 1].isspace():
            i2, j2 = i2 - 1, j2 - 1
        while i2 > i1 and j2 > j1 and a[i1] == b[j1] and a[i1].isspace():
            i1, j1 = i1 + 1, j1 + 1
        change[:] = [i1, i2, j1, j2]
    return _joined(changes, a)


def _edge(a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int, first: bool) -> bool:
    """Whether the change begins (`first`) or ends, old or new, with a lone punctuation mark."""
    old = a[i1 if first else i2 - 1] if i2 > i1 else ""
    new = b[j1 if first else j2 - 1] if j2 > j1 else ""
    return _mark(old) or _mark(new)


def _opcodes(changes: list[list[int]], size_a: int, size_b: int) -> list[Opcode]:
    """Changes back to difflib opcodes, the equal stretches between them included."""
    found: list[Opcode] = []
    at_a = at_b = 0
    for i1, i2, j1, j2 in changes:
        if i1 > at_a:
            found.append(("equal", at_a, i1, at_b, j1))
        kind = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
        found.append((kind, i1, i2, j1, j2))
        at_a, at_b = i2, j2
    if at_a < size_a or at_b < size_b:
        found.append(("equal", at_a, size_a, at_b, size_b))
    return found
