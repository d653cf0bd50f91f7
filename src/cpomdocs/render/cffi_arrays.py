"""WeasyPrint's glyph arrays typed without cffi's C parser: ~4 ms per new length, per process.

WeasyPrint subsets each font of a PDF through HarfBuzz with `ffi.new(f"hb_codepoint_t[{n}]")`,
n the number of glyphs kept (and the highest glyph kept plus one). cffi keeps each parsed type
by its text, so every new n is a C declaration parsed by pycparser: some 10–15 M instructions,
2 to 8 new lengths per document (the avenant of asba: 6, 83 M, the whole « PDF extras » that
bench_instructions.py counted beside WeasyPrint alone, whichever side ran first paying them).
The type of « name[n] » is the array type of the type of « name », which cffi's own model builds
without parsing: `ArrayTypes` does so when cffi's cache misses such a text. Any other text,
or a cffi whose cache is not laid out as read here, takes cffi's parsing as before.
"""

from __future__ import annotations

import re
from typing import Any

ARRAY = re.compile(r"([A-Za-z_]\w*)\[(\d+)\]\Z")  # « hb_codepoint_t[42] »


class ArrayTypes(dict):  # type: ignore[type-arg]
    """cffi's cache of types by text (FFI._parsed_types), building « name[n] » from « name »."""

    def __init__(self, ffi: Any, parsed: dict) -> None:  # type: ignore[type-arg]
        super().__init__(parsed)
        self.ffi = ffi
        self.items: dict[str, Any] = {}  # « name » → its model type, parsed once

    def __missing__(self, key: object) -> tuple[Any, bool]:
        found = ARRAY.match(key) if isinstance(key, str) else None
        if found is None:
            raise KeyError(key)  # cffi parses it (FFI._typeof_locked)
        from cffi import model

        name, length = found.group(1), int(found.group(2))
        with self.ffi._lock:
            if name not in self.items:
                self.items[name] = self.ffi._parser.parse_type(name)
            item = self.items[name]
            if item.is_raw_function:  # an array of functions is an error: cffi says which
                raise KeyError(key)
            result = (self.ffi._get_cached_btype(model.ArrayType(item, length)), False)
        self[key] = result
        return result


def install(ffi: Any) -> bool:
    """Make `ffi` build « name[n] » types without parsing; False if its cache is not as read."""
    cache = getattr(ffi, "_parsed_types", None)
    if isinstance(cache, ArrayTypes):
        return True
    needed = ("_lock", "_parser", "_get_cached_btype")
    if type(cache) is not dict or not all(hasattr(ffi, name) for name in needed):
        return False
    ffi._parsed_types = ArrayTypes(ffi, cache)
    return True
