"""Property tests of session 17: a returned DOCX whose body is any tree of WordprocessingML
elements (tables, rows, cells, paragraphs, runs, tracked changes, bookmarks, in any nesting,
Word's or not) is read or refused in French, in time that grows with its size, never more.

`make test` runs a dozen derandomized examples; `make fuzz` (CPOMDOCS_FUZZ17) hundreds.
"""

from __future__ import annotations

import time

from fuzz_support import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from test_hostile18 import word_with

from cpomdocs.wordback.read import WordbackError, read_docx_bytes

CONTAINERS = [
    "w:tbl", "w:tr", "w:tc", "w:p", "w:ins", "w:del", "w:moveTo", "w:moveFrom", "w:hyperlink",
    "w:sdt", "w:sdtContent", "w:smartTag", "w:pPr", "w:rPr", "w:r",
]  # fmt: skip
LEAVES = [
    '<w:t xml:space="preserve">texte </w:t>', "<w:delText>effacé</w:delText>", "<w:tab/>",
    '<w:br w:type="page"/>', "<w:br/>", "<w:noBreakHyphen/>", '<w:bookmarkStart w:id="1" '
    'w:name="_v1"/>', '<w:bookmarkEnd w:id="1"/>', '<w:bookmarkStart w:id="2" w:name="_p2"/>',
    '<w:bookmarkEnd w:id="9"/>', '<w:pStyle w:val="TOC1"/>', "<w:numPr/>", "<w:b/>",
    '<w:i w:val="0"/>', '<w:del w:id="3" w:author="a"/>', "<w:vMerge/>", "<w:p/>", "<w:tr/>",
]  # fmt: skip


def _trees(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(LEAVES)
    if depth == 0:
        return leaf
    inner = st.lists(_trees(depth - 1), max_size=4).map("".join)
    node = st.tuples(st.sampled_from(CONTAINERS), inner).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>")
    return st.one_of(leaf, node)


BODIES = st.lists(_trees(5), min_size=1, max_size=8).map("".join)


@fuzz_settings()
@given(body=BODIES, copies=st.sampled_from([1, 400]))
def test_any_body_is_read_or_refused_in_french(body: str, copies: int) -> None:
    data = word_with(body * copies)
    start = time.monotonic()
    try:
        document = read_docx_bytes(data, "retour.docx")
    except WordbackError as exc:
        assert str(exc).startswith("retour.docx : ")
        return
    assert time.monotonic() - start < 10  # 400 copies: quadratic code shows here
    for paragraph in document.paragraphs:
        assert all(0 <= s <= e <= len(paragraph.text) for s, e, _ in paragraph.values)
