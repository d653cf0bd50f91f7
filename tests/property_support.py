"""Hypothesis strategies for the property tests: files made from schema/*.json, and hostile text.

hypothesis-jsonschema draws every leaf (patterns, formats, bounds, enums) from the committed
schemas. The containers are walked here once, into fixed strategies: left to
hypothesis-jsonschema, each draw of a nested object canonicalises its schema again (~2 s per
contract on our schemas, against a few milliseconds this way).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

SCHEMAS = Path(__file__).resolve().parents[1] / "schema"
FILES = {"cpom": "cpom.schema.json", "avenant": "avenant.schema.json"}
FILES["compte-rendu"] = "compte-rendu.schema.json"
ANNOTATIONS = {"title", "description", "default", "contentMediaType", "$id", "$schema"}
MAX_DRAWN = 3  # items drawn per list or table: the bounds are tested elsewhere, cost is not

# Any JSON value: what a confused or hostile user may put anywhere.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def schema(kind: str) -> dict[str, Any]:
    """The committed schema of `kind` with its $refs inlined and its annotations dropped."""
    document = json.loads((SCHEMAS / FILES[kind]).read_text(encoding="utf-8"))
    return _plain(document, document.get("$defs", {}))


def _plain(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_plain(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _plain(defs[node["$ref"].removeprefix("#/$defs/")], defs)
    kept = {k: v for k, v in node.items() if k not in ANNOTATIONS and k != "$defs"}
    if "properties" in kept:
        kept["properties"] = {name: _plain(s, defs) for name, s in kept["properties"].items()}
    return {k: v if k == "properties" else _plain(v, defs) for k, v in kept.items()}


def strategy(node: dict[str, Any], codec: str = "utf-8") -> st.SearchStrategy[Any]:
    """Values valid against `node`: containers walked here, leaves by hypothesis-jsonschema
    (texts in `codec`: "utf-8" is any character, "ascii" gets past the character checks)."""

    def inner(child: dict[str, Any]) -> st.SearchStrategy[Any]:
        return strategy(child, codec)

    if "anyOf" in node:
        return st.one_of([inner(branch) for branch in node["anyOf"]])
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        size = min(node.get("maxItems", MAX_DRAWN), MAX_DRAWN)
        return st.lists(inner(node["items"]), min_size=node.get("minItems", 0), max_size=size)
    if node.get("type") == "object" and "properties" in node:
        required = set(node.get("required", []))
        properties = node["properties"]
        return st.fixed_dictionaries(
            {name: inner(s) for name, s in properties.items() if name in required},
            optional={name: inner(s) for name, s in properties.items() if name not in required},
        )
    if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
        keys = from_schema({"type": "string", **node.get("propertyNames", {})}, codec=codec)
        size = min(node.get("maxProperties", MAX_DRAWN), MAX_DRAWN)
        return st.dictionaries(keys, inner(node["additionalProperties"]), max_size=size)
    if node.get("format") == "date" and codec == "ascii":  # dates the models accept, to go on
        return st.dates(dt.date(1990, 1, 1), dt.date(2110, 12, 31)).map(dt.date.isoformat)
    return from_schema(node, codec=codec)


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> Any:
    """A document valid against its schema, with one value somewhere replaced by any JSON."""
    document = draw(documents)
    parent, key = None, None
    current = document
    while isinstance(current, dict | list) and current and draw(st.booleans()):
        keys = list(current) if isinstance(current, dict) else list(range(len(current)))
        parent, key = current, draw(st.sampled_from(keys))
        current = current[key]
    if parent is None:
        return draw(JSON_VALUES)
    parent[key] = draw(JSON_VALUES)
    return document


def documents(kind: str) -> st.SearchStrategy[Any]:
    """Files of `kind`: valid against the schema (any text, or printable ASCII text that gets
    past the character checks into the rules), or with one value gone wrong."""
    printable = strategy(schema(kind), codec="ascii").map(without_controls)
    valid = strategy(schema(kind)) | printable
    return valid | mutated(valid)


def without_controls(value: Any) -> Any:
    """`value` with the control characters of its texts and keys removed."""
    if isinstance(value, str):
        return "".join(c for c in value if c.isprintable() or c in "\t\n")
    if isinstance(value, list):
        return [without_controls(item) for item in value]
    if isinstance(value, dict):
        return {without_controls(k): without_controls(v) for k, v in value.items()}
    return value


# Text a user may type or paste: French, other scripts, emoji, Markdown, HTML, Jinja, controls,
# direction overrides, words longer than a line.
HOSTILE_PIECES = st.sampled_from(
    [
        "Hérault",
        "EHPAD « Les Cèdres »",
        "1\u202f000 €",
        "*gras* _x_ `code` [lien](http://x) | a | b |",
        "<script>alert(1)</script>",
        "{{ x }} {% if %}",
        "# titre\n\n- item\n",
        "Établissement" + "Supercalifragilistique" * 6,
        "😀",
        "\u202e",
        "\x0b",
        "中文",
        "\t",
        "Ελλάδα",
    ]
)
HOSTILE_TEXT = st.lists(HOSTILE_PIECES | st.text(max_size=12), min_size=1, max_size=5).map(" ".join)

READABLE_PIECES = st.sampled_from(
    [
        "Hérault",
        "EHPAD « Les Cèdres »",
        "1\u202f000 € – 12,5 %",
        "*gras* _x_ `code` [lien](http://x) | a | b |",
        "<script>alert(1)</script> & &amp;",
        "{{ x }} {% if %}",
        "# titre\n\n- item\n",
        "Établissement" + "Supercalifragilistique" * 6,
        "😀 ✓ → ≥",
        "Nguyễn Ελλάδα Москва",
    ]
)
LATIN = st.characters(codec="latin-1", exclude_categories=("Cc", "Cs"))


def readable_text() -> st.SearchStrategy[str]:
    """Text the documents can print: French, Markdown and HTML look-alikes, long words."""
    pieces = READABLE_PIECES | st.text(LATIN, min_size=1, max_size=12)
    return st.lists(pieces, min_size=1, max_size=4).map(" ".join).map(str.strip).filter(bool)
