"""The `realisations:` block rewritten in a compte-rendu's text: only what the import changes."""

from __future__ import annotations

import yaml

from cpomdocs.spreadsheet.yaml_text import rewrite_block, yaml_key, yaml_number

HEAD = "# Compte-rendu\ntype: comité de suivi\n"
TAIL = "\n# Revue\nobjectifs:\n  O1: {commentaire: x}\n"


def rewrite(block: str, values, replaced) -> str:
    return rewrite_block(HEAD + block + TAIL, "realisations", values, replaced, ("objectifs",))


def test_untouched_entries_keep_their_lines_and_comments() -> None:
    block = (
        "realisations:  # valeurs 2026\n"
        "  # le taux d'occupation d'abord\n"
        "  TO-HP: {2026: 0}  # à compléter : taux\n"
        "  ABS:\n"
        "    2025: 11.4  # ERRD\n"
        "    2026: 0\n"
        "  ROT: {2025: 15, 2026: 0}  # provisoire\n"
    )
    values = {"TO-HP": {2026: 0}, "ABS": {2025: 11.4, 2026: 10.1}, "ROT": {2025: 15, 2026: 14.2}}
    text = rewrite(block, values, {"ABS": {2026}, "ROT": {2025, 2026}})
    assert (
        text
        == HEAD
        + (
            "realisations:  # valeurs 2026\n"
            "  # le taux d'occupation d'abord\n"
            "  TO-HP: {2026: 0}  # à compléter : taux\n"
            "  ABS: {2025: 11.4, 2026: 10.1}\n"
            "  ROT: {2025: 15, 2026: 14.2}\n"
        )
        + TAIL
    )
    assert yaml.safe_load(text)["realisations"] == values


def test_a_rewritten_entry_keeps_its_comment_while_former_values_remain() -> None:
    block = "realisations:\n  TO-HP: {2025: 97, 2026: 0}  # à compléter\n"
    text = rewrite(block, {"TO-HP": {2025: 97.5, 2026: 0}}, {"TO-HP": {2025}})
    assert "  TO-HP: {2025: 97.5, 2026: 0}  # à compléter\n" in text


def test_a_flow_block_is_rewritten_whole_and_a_missing_one_inserted() -> None:
    flow = rewrite("realisations: {TO-HP: {2025: 1}}\n", {"TO-HP": {2025: 2}}, {"TO-HP": {2025}})
    assert flow == HEAD + "realisations:\n  TO-HP: {2025: 2}\n" + TAIL
    missing = rewrite("", {"PAP": {2026: 81}}, {"PAP": {2026}})
    assert missing == HEAD + "\nrealisations:\n  PAP: {2026: 81}\n# Revue\nobjectifs:\n" + (
        "  O1: {commentaire: x}\n"
    )


def test_keys_and_numbers_read_back_as_written() -> None:
    assert yaml_key("TO-HP") == "TO-HP"
    assert yaml.safe_load(f"{yaml_key('Yes')}: 1") == {"Yes": 1}  # not the boolean true
    assert [yaml_number(v) for v in (724.0, 96.8, 0.1 + 0.2)] == [
        "724",
        "96.8",
        "0.30000000000000004",
    ]
