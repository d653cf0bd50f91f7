"""Texts parsed in pieces inside shared_inline(): the same tokens and blocks as parsed whole."""

from __future__ import annotations

import dataclasses
import inspect
import random
from pathlib import Path
from typing import Any

import pytest

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.documents import compose, markdown
from cpomdocs.documents.blocks import Run, run_with
from cpomdocs.documents.markdown import MarkdownError, markdown_to_blocks
from cpomdocs.documents.markdown_speed import _CUT, _WHOLE, parse, shared_inline
from cpomdocs.errors import RenderError

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
# Lines of every kind that could carry a construct across a blank line into a cut.
LINES = [
    "# Titre",
    "## Article 2",
    "#mot-clé",
    "::: center",
    ":::",
    "::: signatures",
    "- point",
    "  suite du point",
    "1. premier",
    "2) second",
    "> citation",
    "| a | b |",
    "|---|--:|",
    "| 1 | 2 |",
    "    code indenté",
    "```",
    "~~~ yaml",
    "[lien]",
    "[lien]: https://example.org",
    "Texte **gras** et *italique*.",
    "Titre souligné",
    "===",
    "---",
    "<div>",
    "",
]


def _tokens(tokens: list[Any]) -> list[tuple]:
    """Tokens as comparable values, without `map` (line numbers: pieces count their own)."""
    return [
        (t.type, t.tag, t.nesting, t.level, t.content, t.markup, t.info, t.block, t.hidden,
         sorted(t.attrs.items()), _tokens(t.children or []))
        for t in tokens
    ]  # fmt: skip


def _example_texts() -> list[str]:
    texts: list[str] = []
    parse_text = compose.markdown_to_blocks

    def kept(text: str, *args: Any) -> Any:
        texts.append(text)
        return parse_text(text, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compose, "markdown_to_blocks", kept)
        for folder in sorted(CONTRACTS.iterdir()):
            for planned in planned_documents(contract_input(folder, None, None, "test")):
                if not planned.name.startswith(("comptes-rendus/", "preparation")):
                    planned.compose()  # chart documents: their texts are like the others
    return texts


def test_pieces_give_the_tokens_and_blocks_of_the_whole_text() -> None:
    rng = random.Random(9)
    texts = [
        "\n".join(rng.choice(LINES) + rng.choice(["", "\n"]) for _ in range(rng.randint(1, 14)))
        for _ in range(3000)
    ]
    texts += _example_texts()
    cut = 0
    for text in texts:
        whole = markdown._MD.parse(text)
        with shared_inline():
            parse(markdown._MD, text)  # the second time, every piece comes from the memo
            pieces = parse(markdown._MD, text)
            cut += bool(_CUT.search(text)) and not _WHOLE.search(text)
            assert _tokens(pieces) == _tokens(whole), text
            try:
                blocks = markdown_to_blocks(text)
            except MarkdownError as exc:
                blocks = [str(exc)]
        try:
            alone = markdown_to_blocks(text)
        except MarkdownError as exc:
            alone = [str(exc)]
        assert blocks == alone, text
    assert cut > 400  # texts were cut into pieces indeed


def test_each_piece_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    block_parse = markdown._MD.block.parse

    def counted(src: str, *args: Any) -> Any:
        parsed.append(src)
        return block_parse(src, *args)

    monkeypatch.setattr(markdown._MD.block, "parse", counted)
    text = "# Article 1er\n\nLe gestionnaire.\n\n# Article 2\n\n- un\n- deux\n\n::: pagebreak\n"
    with shared_inline():
        first = markdown_to_blocks(text)
        second = markdown_to_blocks(text.replace("deux", "trois"))
    assert parsed == [
        "# Article 1er\n\nLe gestionnaire.\n\n",
        "# Article 2\n\n- un\n- deux\n\n",
        "::: pagebreak\n",
        "# Article 2\n\n- un\n- trois\n\n",
    ]
    assert second[:3] == first[:3] and second[3] != first[3]
    markdown_to_blocks(text)  # outside the block, the text is parsed whole
    assert parsed[-1] == text


def test_an_unbalanced_directive_names_its_line_in_the_whole_text() -> None:
    text = "# Article 1er\n\nLe gestionnaire.\n\n# Article 2\n\n:::\n"
    with shared_inline(), pytest.raises(MarkdownError, match="ligne 7: « ::: » sans ouverture"):
        markdown_to_blocks(text)
    with pytest.raises(RenderError, match="contrat.md.j2: ligne 7"):
        compose.parse_document("contrat.md.j2", text, None)  # type: ignore[arg-type]


def test_a_run_is_made_with_every_field_of_the_dataclass() -> None:
    """Run's own __init__ (one dict update) takes the fields in order, with their defaults."""
    parameters = list(inspect.signature(Run.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Run)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters[1:]] == [f.default for f in fields[1:]]
    values = ["t", True, True, "ins", True, "https://x.fr", True, True, "a.b", True, "#ff0000"]
    run = Run(*values)
    assert [getattr(run, f.name) for f in fields] == values
    named = {f.name: v for f, v in zip(fields, values, strict=True)}
    assert run == dataclasses.replace(Run("u"), **named)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.text = "v"  # type: ignore[misc]


def test_run_with_is_dataclasses_replace() -> None:
    rng = random.Random(3)
    fields = [f.name for f in dataclasses.fields(Run)]
    for _ in range(500):
        run = Run("a", bold=rng.random() < 0.5, path=rng.choice(["", "x.y"]), keep=True)
        changes: dict[str, Any] = {
            name: rng.choice(["b", "", True, False]) for name in rng.sample(fields, 3)
        }
        faster = run_with(run, **changes)
        assert faster == dataclasses.replace(run, **changes)
        assert hash(faster) == hash(dataclasses.replace(run, **changes))
        assert run == Run("a", bold=run.bold, path=run.path, keep=True)  # unchanged


def _scanned_close(tokens: list[Any], i: int) -> int:
    """The close of tokens[i] found as markdown.py found it before: a scan of the nesting."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def test_matching_closes_found_in_one_pass_are_those_of_a_scan() -> None:
    rng = random.Random(17)
    texts = [
        "\n".join(rng.choice(LINES) + rng.choice(["", "\n"]) for _ in range(rng.randint(1, 14)))
        for _ in range(2000)
    ]
    opened = 0
    for text in [*texts, *_example_texts()]:
        tokens = markdown._MD.parse(text)
        closes = markdown._matching_closes(tokens)
        for i, token in enumerate(tokens):
            if token.nesting != -1:
                assert closes[i] == _scanned_close(tokens, i), (text, i)
                opened += token.nesting == 1
    assert opened > 10_000
