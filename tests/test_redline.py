"""Redlines of composed documents: runs marked del/ins, accept-all gives NEW, reject-all OLD."""

from __future__ import annotations

from cpomdocs.blocks import Heading, ListBlock, Paragraph, Run, Section, Table
from cpomdocs.redline import accept_all, block_text, redline_blocks, redline_runs, reject_all


def para(text: str, **kw: bool) -> Paragraph:
    return Paragraph([Run(text, **kw)])


def table(*rows: tuple[str, ...]) -> Table:
    return Table([[Run("Année")], [Run("Montant")]], [[[Run(c)] for c in row] for row in rows])


OLD = [
    Heading(2, [Run("Article 4 – Moyens")]),
    para("Le forfait global soins est fixé pour cinq ans."),
    ListBlock(False, [[para("premier point")], [para("deuxième point")]]),
    table(("2026", "1 138 300,00 €"), ("2027", "1 156 500,00 €")),
    para("Un paragraphe qui disparaît entièrement de la version suivante."),
    Section("signatures", [para("Fait à Montpellier")]),
]
NEW = [
    Heading(2, [Run("Article 4 – Moyens")]),
    para("Le forfait global soins est fixé pour six ans."),
    ListBlock(False, [[para("premier point")], [para("deuxième point modifié")], [para("ajout")]]),
    table(("2026", "1 163 300,00 €"), ("2027", "1 156 500,00 €"), ("2028", "1 175 000,00 €")),
    Section("signatures", [para("Fait à Montpellier, le 14 mars 2025")]),
]


def test_word_changes_inside_a_paragraph() -> None:
    runs = redline_runs(OLD[1].runs, NEW[1].runs)
    assert [(r.text, r.change) for r in runs] == [
        ("Le forfait global soins est fixé pour ", ""),
        ("cinq", "del"),
        ("six", "ins"),
        (" ans.", ""),
    ]


def test_formatting_of_runs_is_kept() -> None:
    old = [Run("Objectif "), Run("O2", bold=True), Run(" : 92 %")]
    new = [Run("Objectif "), Run("O2", bold=True), Run(" : 95 %")]
    runs = redline_runs(old, new)
    assert [(r.text, r.bold, r.change) for r in runs] == [
        ("Objectif ", False, ""),
        ("O2", True, ""),
        (" : ", False, ""),
        ("92", False, "del"),
        ("95", False, "ins"),
        (" %", False, ""),
    ]


def test_accept_all_gives_new_and_reject_all_gives_old() -> None:
    merged = redline_blocks(OLD, NEW)
    plain_new = "\n".join(block_text(b) for b in NEW)
    assert accept_all(merged) == accept_all(NEW)
    assert reject_all(merged) == accept_all(OLD)
    assert "cinq" not in accept_all(merged) and "six ans" in accept_all(merged)
    assert "1 175 000,00 €" in plain_new and "1 175 000,00 €" not in reject_all(merged)
    deleted = [b for b in merged if isinstance(b, Paragraph) and b.runs[0].change == "del"]
    assert (
        block_text(deleted[0]) == "Un paragraphe qui disparaît entièrement de la version suivante."
    )


def test_identical_documents_have_no_marks() -> None:
    merged = redline_blocks(OLD, OLD)
    assert merged == OLD
