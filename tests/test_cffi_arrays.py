"""cffi_arrays: WeasyPrint's glyph arrays typed without parsing C, the same types as parsed."""

from __future__ import annotations

import cffi
import pytest

from cpomdocs.render import cffi_arrays
from cpomdocs.render.engine import load_weasyprint


def _counting_parser(ffi: cffi.FFI) -> list[str]:
    """The texts that `ffi` hands to its C parser from now on."""
    parsed: list[str] = []
    parse = ffi._parser.parse_type

    def counted(text: str) -> object:
        parsed.append(text)
        return parse(text)

    ffi._parser.parse_type = counted  # type: ignore[method-assign]
    return parsed


def _ffi() -> cffi.FFI:
    ffi = cffi.FFI()
    ffi.cdef("typedef uint32_t hb_codepoint_t; typedef struct { int x; } point_t;")
    return ffi


@pytest.mark.parametrize("length", [0, 1, 7, 300, 6543])
def test_an_array_type_is_the_type_cffi_parses(length: int) -> None:
    slow, fast = _ffi(), _ffi()
    assert cffi_arrays.install(fast)
    for name in ("hb_codepoint_t", "point_t", "char"):
        text = f"{name}[{length}]"
        built = fast.typeof(text)
        with fast._lock:  # cffi's parsing of the same text, then its cache of types
            assert built is fast._get_cached_btype(fast._parser.parse_type(text))
        assert fast.typeof(text).cname == slow.typeof(text).cname
        assert fast.sizeof(text) == slow.sizeof(text)
    values = list(range(length))[:50]
    assert list(fast.new(f"hb_codepoint_t[{length}]", values))[: len(values)] == values


def test_a_new_length_is_not_parsed_other_texts_are() -> None:
    ffi = _ffi()
    parsed = _counting_parser(ffi)
    ffi.new("hb_codepoint_t[11]")
    assert parsed == ["hb_codepoint_t[11]"]  # without cffi_arrays: parsed, as cffi does
    assert cffi_arrays.install(ffi) and cffi_arrays.install(ffi)  # twice: installed once
    parsed.clear()
    for length in (12, 13, 12, 400):
        ffi.new(f"hb_codepoint_t[{length}]")
    ffi.new("point_t[3]")
    assert parsed == ["hb_codepoint_t", "point_t"]  # each item type once, no array
    ffi.new("hb_codepoint_t *")
    ffi.new("hb_codepoint_t[]", 3)
    assert parsed[2:] == ["hb_codepoint_t *", "hb_codepoint_t[]"]  # the slow path, as before
    with pytest.raises(cffi.CDefError):
        ffi.new("unknown_t[4]")  # cffi's own error
    with pytest.raises(TypeError):
        ffi.typeof(3)  # type: ignore[arg-type]


def test_a_cache_laid_out_otherwise_is_left_as_it_is() -> None:
    ffi = _ffi()
    ffi._parsed_types = {}.items  # type: ignore[assignment]
    assert not cffi_arrays.install(ffi)
    assert not cffi_arrays.install(object())


def test_weasyprint_subsets_fonts_without_parsing_a_glyph_array() -> None:
    weasyprint = load_weasyprint()
    from weasyprint.text.ffi import ffi

    assert isinstance(ffi._parsed_types, cffi_arrays.ArrayTypes)
    parsed = _counting_parser(ffi)
    html = "<p>" + "".join(chr(c) for c in range(0x41, 0x17F)) + "</p>"  # a new glyph count
    try:
        weasyprint.HTML(string=html).render().write_pdf(pdf_variant="pdf/a-3b")
    finally:
        del ffi._parser.parse_type
    assert not [text for text in parsed if cffi_arrays.ARRAY.match(text)]
