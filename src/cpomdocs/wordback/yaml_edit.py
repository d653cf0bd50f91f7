"""New values written into a YAML file in place: comments, order and layout of the rest kept.

yaml.compose gives each node its start and end in the text; a changed scalar is replaced where
it stands, a changed Markdown field keeps its literal block (`|`), a changed list its style.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import yaml

DataPath = tuple[str | int, ...]
_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^:#\n]*(?<!\s)$")
_AMBIGUOUS = re.compile(r"^(?:true|false|yes|no|on|off|null|~)$", re.IGNORECASE)
_CENTS = re.compile(r"\.\d\d$")


class YamlEditError(ValueError):
    """Raised when a path of the data has no node in the text (the file changed meanwhile)."""


def _node(root: yaml.Node, path: DataPath) -> yaml.Node:
    node = root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(key):
                    node = value_node
                    break
            else:
                raise YamlEditError(".".join(map(str, path)))
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            raise YamlEditError(".".join(map(str, path)))
    return node


def scalar(value: Any, old_text: str = "") -> str:
    """A value as a YAML scalar: numbers like the old one (« 1150000.00 »), quoted if needed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if _CENTS.search(old_text):
            return f"{value:.2f}"
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if _PLAIN_SAFE.match(text) and not _AMBIGUOUS.match(text) and _reads_back(text):
        return text
    # JSON leaves these raw, and YAML reads them raw as line breaks: « ab\u2028cd » came back
    # « ab cd », or broke the file (« deux-points manquant »)
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.translate(_YAML_BREAKS)


_YAML_BREAKS = str.maketrans({"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"})


def _reads_back(text: str) -> bool:
    """True when `text` written plain reads back as that very string (« .inf » is a number,
    « a <tab>b » a syntax error, « << » a merge key: a text typed in Word must stay a text)."""
    try:
        loaded = yaml.load(f"- {text}\n", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError):
        return False
    return loaded == [text]


def _literal(text: str, indent: int) -> str:
    body = "".join((" " * indent + line if line else "") + "\n" for line in text.split("\n"))
    return "|\n" + body.rstrip("\n") + "\n"


def _indent_of_block(source: str, node: yaml.Node, parent_column: int) -> int:
    """The indentation of a block scalar's lines (that of its first line, else parent + 2)."""
    after = source[node.start_mark.index :].split("\n", 2)
    if len(after) > 1 and after[1].strip():
        return len(after[1]) - len(after[1].lstrip(" "))
    return parent_column + 2


def replacement(source: str, node: yaml.Node, value: Any, column: int) -> tuple[int, int, str]:
    """(start, end, text) that writes `value` where `node` stands."""
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.ScalarNode):
        if isinstance(value, str) and (node.style in ("|", ">") or "\n" in value.strip("\n")):
            indent = _indent_of_block(source, node, column)
            old = source[start:end]
            blank_after = max(len(old) - len(old.rstrip("\n")) - 1, 0)
            return start, end, _literal(value.rstrip("\n"), indent) + "\n" * blank_after
        return start, end, scalar(value, source[start:end])
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        if node.flow_style or not node.value:
            items = ", ".join(scalar(v) for v in value)
            return start, end, f"[{items}]"
        last = node.value[-1].end_mark.index
        pad = " " * node.start_mark.column
        lines = [f"- {scalar(v)}" for v in value]
        return start, last, ("\n" + pad).join(lines)
    raise YamlEditError("type de valeur non modifiable en place")


def edit_yaml(source: str, changes: dict[DataPath, Any]) -> str:
    """`source` with the value at each path replaced; everything else left as it was."""
    root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if root is None:
        raise YamlEditError("fichier vide")
    edits = []
    for path, value in changes.items():
        node = _node(root, path)
        parent = _node(root, path[:-1]) if path else root
        edits.append(replacement(source, node, value, parent.start_mark.column))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source
