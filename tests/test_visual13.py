"""What a reader saw on the pages of the examples (session 11, visual13): table columns that
squeezed the text while a heading stood on one line, a status pushed right; year ranges."""

from __future__ import annotations

from example_texts import CONTRACTS, CREATED, checked, flat

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Block, ListBlock, Section, Table
from cpomdocs.documents.compose import compose_contract
from cpomdocs.documents.redline import accept_all
from cpomdocs.followup.reports import followup_jobs
from cpomdocs.render import pdf
from cpomdocs.render.columns import PDF, column_widths, plain, text_width


def _tables(blocks: list[Block]) -> list[Table]:
    found: list[Table] = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        elif isinstance(block, Section):
            found += _tables(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found += _tables(item)
    return found


def _pdf_widths(table: Table) -> list[int]:
    """The PDF's column widths, as render/pdf.py computes them."""
    short = [
        all(len(pdf._plain(row[n])) <= pdf.SHORT_CELL for row in table.rows if n < len(row))
        for n in range(len(table.header))
    ]
    aligns = [*table.align, *[""] * len(short)][: len(short)]
    unbroken = [s or a == "right" for s, a in zip(short, aligns, strict=True)]
    return column_widths(
        table, pdf.TABLE_SIZE, pdf.PDF_TEXT_WIDTH, unbroken, deletions_shown=True, font=PDF
    )


def _table(blocks: list[Block], heading: str) -> Table:
    return next(t for t in _tables(blocks) if any(plain(h) == heading for h in t.header))


def test_a_text_column_is_not_squeezed_by_a_long_heading_over_short_amounts() -> None:
    """Contract asba, p. 8: « tarif global, sans pharmacie à usage inté-rieur » over four
    lines beside « Valeur du point GIR départemental » on one line above « 7,48 € »."""
    data, _ = checked("asba-beaujolais-2024")
    document = compose_contract(Contract.model_validate(data), contract_id="x", created=CREATED)
    table = _table(typography.blocks(document.blocks), "Option tarifaire")
    widths = _pdf_widths(table)
    longest = max(text_width(plain(row[2]), pdf.TABLE_SIZE, font=PDF) for row in table.rows)
    assert widths[2] >= longest  # « tarif global, sans pharmacie à usage intérieur » on a line
    assert sum(widths) <= pdf.PDF_TEXT_WIDTH


def test_the_objectives_summary_gives_its_labels_room_and_its_status_wraps() -> None:
    """Compte-rendu asba 2026-10-08, p. 3: the indicator labels in a column of 17 % of the
    page, hyphenated every line, beside « partiellement atteint » pushed right on one line."""
    folder = check_folder(CONTRACTS / "asba-beaujolais-2024")
    job = next(j for j in followup_jobs(folder) if "mi-parcours" in j.name)
    blocks = typography.blocks(job.compose(CREATED, None).blocks)
    table = _table(blocks, "Objectif et indicateur")
    assert table.align[-1] == "left"  # a status is text
    widths = _pdf_widths(table)
    assert widths[0] >= 0.22 * sum(widths)


def test_periods_in_the_data_read_with_the_dash_cpomdocs_writes() -> None:
    """« PRS … 2018-2028 » (data) beside « 2024–2028 » (generated) on the same page."""
    data, _ = checked("asba-beaujolais-2024")
    document = compose_contract(Contract.model_validate(data), contract_id="x", created=CREATED)
    text = flat(accept_all(typography.blocks(document.blocks)))
    assert "2018–2028" in text and "2018-2028" not in text
    assert "2024–2028" in text
    assert "n° 2016-1814" in text  # a decree's number keeps its hyphen
