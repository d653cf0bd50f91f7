"""markdown-it made faster for cpomdocs' texts, with the same tokens.

A table row is split into cells by a regular expression instead of a loop over its characters
(markdown-it's `escapedSplit`, replaced in its module: the same cells, checked by the tests).

Two memos serve texts composed several times over (an avenant composes the contract and its
annexes as they were before it and as they are after it, whose paragraphs are nearly all the
same; a version annotée, the whole contract twice).

Inside `shared_inline()`, a text is cut before each heading or directive line that follows a
blank line, and each piece is parsed once: no CommonMark container goes on across a blank line
into a line that starts a heading or `:::` at column 0, so the pieces give the same tokens as
the whole text, but for their line numbers (`map`, counted from the piece). Texts with a fence
(which could hold such a line) or a possible link definition (which serves the whole text) are
parsed whole.

Inside `shared_inline()`, the inline content of a paragraph, heading or table cell already
parsed gets the same tokens again: inline parsing depends only on that content, the parser's
options and the reference definitions of the text (a text that defines some is never memoized).
Tokens are then shared between documents: the readers of tokens (markdown.py) never change them.
The runs read from shared tokens are kept too, each document getting its own list of them (runs
are frozen).

An inline content made only of text and backslash escapes (most table cells, names, figures:
`fmt.md_escape` escapes every sign) is one text token once markdown-it's `text_join` has joined
the escaped signs to the text: it is made as markdown-it makes it, without running its inline
parser (`_plain_rules` says whether the parser's rules allow it).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.escape import _ESCAPED
from markdown_it.token import Token

from cpomdocs.documents.blocks import Inline


class _Memo:
    """The tokens of each inline content parsed, and the runs read from them."""

    def __init__(self) -> None:
        self.tokens: dict[str, list[Token]] = {}
        self.runs: dict[str, Inline] = {}
        self.pieces: dict[str, list[Token]] = {}


# the module, not its function `table` that markdown_it.rules_block exports under that name
table_rule = importlib.import_module("markdown_it.rules_block.table")
_PIPE = re.compile(r"(?<!\\)\|")  # a pipe that no backslash escapes
markdown_it_split = table_rule.escapedSplit


def escaped_split(row: str) -> list[str]:
    """markdown-it's escapedSplit: the cells of a table row, a pipe after a backslash kept."""
    return [cell.replace("\\|", "|") for cell in _PIPE.split(row)]


# Where a text is cut: after a blank line (the cut is 2 characters in), before a heading or
# a directive at column 0. A lookbehind instead would be tried at every character.
_CUT = re.compile(r"\n\n(?=#{1,6}[ \t\n]|:::)")
_WHOLE = re.compile(r"```|~~~|\]:")  # a fence or a possible link definition: never cut

# The characters at which an inline rule of commonmark (html off, no linkify) can start: a
# newline, a backslash escape, code, emphasis, a link, an image, an autolink, an entity.
_STARTS = re.compile(r"[\n\\`*_\[!<&]")
_ESCAPE = re.compile(r"\\(.)", re.S)  # a backslash and the character it escapes
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_RULES = frozenset(
    ("text", "newline", "escape", "backticks", "emphasis", "link", "image", "autolink",
     "html_inline", "entity")
)  # fmt: skip

_MEMO: ContextVar[_Memo | None] = ContextVar("inline_memo", default=None)
_PARSED = "cpomdocs_inline_parsed"  # env key: the inline tokens of this text, parsed or found
_PLAIN_KEY = "cpomdocs_plain_text"  # md.options: whether `_children` may skip the parser


@contextmanager
def shared_inline() -> Iterator[None]:
    """Within this block, markdown-it parses each distinct inline content once."""
    reset = _MEMO.set(_Memo())
    try:
        yield
    finally:
        _MEMO.reset(reset)


def parse(md: MarkdownIt, text: str) -> list[Token]:
    """`md.parse(text)`; inside `shared_inline()`, each piece of the text parsed once (the same
    tokens, but for `map`: line numbers count from the piece)."""
    memo = _MEMO.get()
    if memo is None or _WHOLE.search(text):
        return md.parse(text)
    tokens: list[Token] = []
    starts = [0, *(found.end() for found in _CUT.finditer(text)), len(text)]
    for start, end in zip(starts, starts[1:], strict=False):
        piece = text[start:end]
        found = memo.pieces.get(piece)
        if found is None:
            env: dict[str, object] = {}
            found = md.parse(piece, env)
            if env.get("references"):  # _WHOLE missed one: it serves the whole text
                return md.parse(text)
            memo.pieces[piece] = found
        tokens.extend(found)
    return tokens


def _memo(state: StateCore) -> _Memo | None:
    memo = _MEMO.get()
    return None if memo is None or state.env.get("references") else memo


def _plain_rules(md: MarkdownIt) -> bool:
    """Whether `md`'s inline parser makes one text token of a content without `_STARTS`."""
    options = md.options
    active = md.inline.ruler.get_active_rules() + md.inline.ruler2.get_active_rules()
    known = set(active) <= _PLAIN_RULES | {"balance_pairs", "fragments_join"}
    return known and not options.get("html") and not options.get("linkify")


def _children(state: StateCore, content: str) -> list[Token]:
    """The inline tokens of `content`: markdown-it's, or the one text token it would make."""
    text = _plain_text(content) if state.md.options.get(_PLAIN_KEY) else None
    if text is None:
        children: list[Token] = []
        state.md.inline.parse(content, state.md, state.env, children)
        return children
    if not text:
        return []
    if content[0] == "\\":  # text_join keeps the first token's fields: here, the escape's
        return [Token("text", "", 0, content=text, markup=content[:2], info="escape")]
    return [Token("text", "", 0, content=text)]


def _plain_text(content: str) -> str | None:
    """The text of a content made of text and escapes only (an escaped sign is the sign, a
    backslash before another character stays); None when an inline rule could start in it."""
    if "\\" not in content:
        return None if _STARTS.search(content) else content
    if "\n" in content or _SURROGATE.search(content):  # a hard break; a pair escaped whole
        return None
    pieces = _ESCAPE.split(content)  # text, escaped character, text, …
    if any(_STARTS.search(piece) for piece in pieces[::2]):  # a lone final backslash too
        return None
    return "".join(
        piece if i % 2 == 0 or piece in _ESCAPED else "\\" + piece for i, piece in enumerate(pieces)
    )


def _inline(state: StateCore) -> None:
    """markdown-it's `inline` core rule, taking the tokens of a content already parsed."""
    memo = _memo(state)
    if memo is None:
        for token in state.tokens:
            if token.type == "inline":
                token.children = _children(state, token.content)
        return
    seen: list[Token] = []
    for token in state.tokens:
        if token.type != "inline":
            continue
        seen.append(token)
        token.children = memo.tokens.get(token.content)
        if token.children is None:
            token.children = _children(state, token.content)
    state.env[_PARSED] = seen


def _remember(state: StateCore) -> None:
    """After `text_join` (which copies every token list): the tokens of each content kept, or
    given back as kept, so that their runs are found by `runs`."""
    memo = _memo(state)
    for token in state.env.pop(_PARSED, ()):
        if memo is not None:
            token.children = memo.tokens.setdefault(token.content, token.children or [])


def runs(token: Token, read: Callable[[list[Token]], Inline]) -> Inline:
    """The runs of an inline token, `read` from its children once per memoized content."""
    children = token.children or []
    memo = _MEMO.get()
    if memo is None or memo.tokens.get(token.content) is not children:
        return read(children)
    if token.content not in memo.runs:
        memo.runs[token.content] = read(children)
    return list(memo.runs[token.content])


def install(md: MarkdownIt) -> MarkdownIt:
    """`md` with the memo's rules in place of its inline parsing (inert outside the block), and
    the faster split of table rows."""
    table_rule.escapedSplit = escaped_split
    md.options[_PLAIN_KEY] = _plain_rules(md)  # set once: the rules are chosen before install
    md.core.ruler.at("inline", _inline)
    md.core.ruler.after("text_join", "inline_memo", _remember)
    return md
