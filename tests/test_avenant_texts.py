"""The contract as composed before and after an avenant: each text parsed once, the same blocks."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cpomdocs.data.validate import check_folder
from cpomdocs.documents import compose, markdown, markdown_speed
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.blocks import Paragraph
from cpomdocs.documents.markdown import markdown_to_blocks
from cpomdocs.documents.markdown_speed import shared_inline

EXAMPLE = Path(__file__).resolve().parent.parent / "contracts" / "asba-beaujolais-2024"
TEXT = "# Article 1er\n\nLe **gestionnaire** et l'*ARS*.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n"


def test_the_memo_parses_each_inline_content_once_into_the_same_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = markdown_to_blocks(TEXT)
    calls: list[str] = []
    children = markdown_speed._children  # parsed, or made when plain (test_markdown_plain.py)

    def counted(state: Any, src: str) -> Any:
        calls.append(src)
        return children(state, src)

    monkeypatch.setattr(markdown_speed, "_children", counted)
    read: list[int] = []
    inline_runs = markdown.inline_runs
    monkeypatch.setattr(markdown, "inline_runs", lambda c: read.append(1) or inline_runs(c))
    with shared_inline():
        first, second = markdown_to_blocks(TEXT), markdown_to_blocks(TEXT + "\nLe gestionnaire.\n")
    assert first == alone
    assert second == [*alone, second[-1]]
    assert calls == ["Article 1er", "Le **gestionnaire** et l'*ARS*.", "a", "b", "1", "2"] + [
        "Le gestionnaire."
    ]
    assert len(read) == len(calls)  # each content's runs read once too
    markdown_to_blocks(TEXT)  # outside the block, nothing is kept
    assert len(calls) == 13


def test_a_text_defining_links_is_never_memoized() -> None:
    def links(text: str) -> list[str]:
        blocks = markdown_to_blocks(text)
        return [r.link for b in blocks if isinstance(b, Paragraph) for r in b.runs if r.link]

    with shared_inline():
        assert links("[site]\n") == []
        assert links("[site]\n\n[site]: https://example.org\n") == ["https://example.org"]
        assert links("[site]\n") == []


def test_an_avenant_parses_no_markdown_text_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check_folder(EXAMPLE)
    data, avenants = checked.contract.document.data, [c.model for c in checked.avenants]
    parsed: Counter[str] = Counter()
    parse = compose.markdown_to_blocks

    def counted(text: str, *args: Any) -> Any:
        parsed[text] += 1
        return parse(text, *args)

    monkeypatch.setattr(compose, "markdown_to_blocks", counted)
    document = compose_avenant(data, avenants, 1, contract_id="x", created="2026-11-23T00:00:00Z")
    assert document.blocks
    assert max(parsed.values()) == 1
    # the contract before and after, the avenant, and the annexes it replaces (before and after)
    assert 3 + 2 <= sum(parsed.values()) <= 3 + 2 * 9


def test_table_rows_are_split_as_markdown_it_splits_them() -> None:
    rng = random.Random(17)
    rows = ["| a | b |", "a \\| b | c", "\\\\| x", "`a|b` | c", "||\\||", ""]
    rows += ["".join(rng.choice("a|\\` ") for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    for row in rows:
        assert markdown_speed.escaped_split(row) == markdown_speed.markdown_it_split(row), row
    table = markdown_to_blocks("| a \\| b | c |\n|---|---|\n| 1 | 2 |\n")[0]
    assert [[run.text for run in cell] for cell in table.header] == [["a | b"], ["c"]]
