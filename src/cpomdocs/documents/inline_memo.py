"""A memo of markdown-it's inline parsing, for texts composed several times over (an avenant
composes the contract and its annexes as they were before it and as they are after it, whose
paragraphs are nearly all the same).

Inside `shared_inline()`, the inline content of a paragraph, heading or table cell already
parsed gets the same tokens again: inline parsing depends only on that content, the parser's
options and the reference definitions of the text (a text that defines some is never memoized).
Tokens are then shared between documents: the readers of tokens (markdown.py) never change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from markdown_it import MarkdownIt
from markdown_it.rules_core import inline as parse_inline
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

_MEMO: ContextVar[dict[str, list[Token]] | None] = ContextVar("inline_memo", default=None)
_PARSED = "cpomdocs_inline_parsed"  # env key: the contents parsed by this text, to memoize


@contextmanager
def shared_inline() -> Iterator[None]:
    """Within this block, markdown-it parses each distinct inline content once."""
    reset = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(reset)


def _memo(state: StateCore) -> dict[str, list[Token]] | None:
    memo = _MEMO.get()
    return None if memo is None or state.env.get("references") else memo


def _inline(state: StateCore) -> None:
    """markdown-it's `inline` core rule, taking the tokens of a content already parsed."""
    memo = _memo(state)
    if memo is None:
        parse_inline(state)
        return
    parsed: list[Token] = []
    for token in state.tokens:
        if token.type != "inline":
            continue
        found = memo.get(token.content)
        if found is not None:
            token.children = found
            continue
        token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)
        parsed.append(token)
    state.env[_PARSED] = parsed


def _remember(state: StateCore) -> None:
    """After `text_join`: keep the final tokens of the contents parsed by this text."""
    memo = _memo(state)
    for token in state.env.pop(_PARSED, ()):
        if memo is not None:
            memo[token.content] = token.children or []


def install(md: MarkdownIt) -> MarkdownIt:
    """`md` with the memo's rules in place of its inline parsing (inert outside the block)."""
    md.core.ruler.at("inline", _inline)
    md.core.ruler.after("text_join", "inline_memo", _remember)
    return md
