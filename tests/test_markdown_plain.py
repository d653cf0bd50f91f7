"""An inline content with no character that starts an inline rule: one text token, made without
markdown-it's inline parser, the same as the parser's (markdown_speed._children)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_markdown_speed import _example_texts, _tokens

from cpomdocs import blanks, fmt
from cpomdocs.documents import markdown, markdown_inline
from cpomdocs.documents.markdown_speed import _STARTS, install, shared_inline


def _reference() -> MarkdownIt:
    """markdown-it as cpomdocs configures it, its own inline parsing untouched."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


REFERENCE = _reference()
# Pieces of text that start (or look like they start) each inline rule, and plain words.
PIECES = [
    "a", "Mot", " ", "  ", "é", "«\u00a0", "\u202f»", ":", ";", "-", "+", "=", "%", "$", "#",
    "@", "^", "{", "}", "]", ")", "(", "|", "~", "~~", "1", "2,5", "€", "\n", "  \n", "\\\n",
    "\\*", "\\", "\\.", "\\-", "\\(", "\\é", "\\\\", "\\ ", "\\|",
    "*", "**", "_", "__", "`", "``", "[a](https://x.org)", "[b]", "!", "![i](p.png)",
    "<https://x.org>", "<a@b.fr>", "<div>", "&amp;", "&#65;", "&copy", "&",
    fmt.BIND_START, fmt.BIND_PATH_END, fmt.BIND_END, blanks.PENDING_START, blanks.PENDING_END,
]  # fmt: skip


def _same_tokens(text: str) -> None:
    assert _tokens(markdown._MD.parse(text)) == _tokens(REFERENCE.parse(text)), repr(text)
    with shared_inline():  # the memo's path too
        assert _tokens(markdown._MD.parse(text)) == _tokens(REFERENCE.parse(text)), repr(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_a_content_gets_the_tokens_of_the_inline_parser(pieces: list[str]) -> None:
    text = "".join(pieces)
    _same_tokens(text)  # a paragraph
    _same_tokens(f"| x | y |\n|:--|--:|\n| {text.replace(chr(10), ' ')} | {text[:3]} |")
    _same_tokens(f"## {text.splitlines()[0] if text.strip() else 'T'}")


def test_every_example_text_gets_the_tokens_of_the_inline_parser() -> None:
    texts = _example_texts()
    assert len(texts) > 30
    plain = 0
    for text in texts:
        _same_tokens(text)
        plain += sum(
            1
            for t in REFERENCE.parse(text)
            if t.type == "inline" and t.content and not _STARTS.search(t.content)
        )
    assert plain > 1000  # most cells and names are plain text indeed


def test_a_plain_content_is_not_given_to_the_inline_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    inline_parse = markdown._MD.inline.parse

    def counted(src: str, *args: Any) -> Any:
        parsed.append(src)
        return inline_parse(src, *args)

    monkeypatch.setattr(markdown._MD.inline, "parse", counted)
    tokens = markdown._MD.parse(
        "| Nom | Places |\n|:--|--:|\n| EHPAD Les Cèdres : 80 | 80 |\n\nUn **mot**."
    )
    assert [t.content for t in tokens if t.type == "inline"][-1] == "Un **mot**."
    assert parsed == ["Un **mot**."]


def test_other_rules_keep_the_inline_parser() -> None:
    for md, text in [
        (MarkdownIt("commonmark").enable("strikethrough"), "un ~~mot~~ barré"),
        (MarkdownIt("commonmark", {"html": True}), "un <span>mot</span>"),
        (MarkdownIt("commonmark").enable("linkify"), "www.example.org"),
    ]:
        try:
            expected = _tokens(md.parse(text))
        except ModuleNotFoundError:  # linkify-it-py not installed: linkify cannot run at all
            continue
        assert _tokens(install(md).parse(text)) == expected, text


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["", "x", "1er", "\u00a0", "\n", *PIECES]), max_size=8))
def test_one_text_child_makes_the_runs_of_the_general_reader(pieces: list[str]) -> None:
    """inline_runs' shortcut for one text token: the runs of its general path (markers and
    all), and an empty text gives no run."""
    children = [Token("text", "", 0, content="".join(pieces))]
    assert markdown_inline.inline_runs(children) == markdown_inline._runs(children)
