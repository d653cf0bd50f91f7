"""Tests of composition: French formatting, escaping, Markdown → blocks, templates, overrides."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest
from hostile import (
    HOSTILE_NAME,
    JINJA_TITLE,
    SCRIPT,
    example_data,
    hostile_contract,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from cpomdocs import fmt
from cpomdocs.data.model import Contract
from cpomdocs.documents import contract_views as views
from cpomdocs.documents.blocks import (
    Heading,
    Image,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Section,
    Table,
)
from cpomdocs.documents.compose import (
    compose_annex,
    compose_annexes,
    compose_contract,
    compose_markdown,
    contract_meta,
)
from cpomdocs.documents.markdown import markdown_to_blocks, plain_text
from cpomdocs.errors import RenderError
from cpomdocs.render.pdf import render_html

CREATED = "2025-03-14T09:00:00Z"
REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def texts(blocks: list) -> list[str]:
    """Every paragraph, heading, list item and table cell as plain text, in order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(plain_text(block.runs))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.extend(texts(item))
        elif isinstance(block, Table):
            for row in [block.header, *block.rows]:
                out.extend(plain_text(cell) for cell in row)
        elif isinstance(block, Section):
            out.extend(texts(block.children))
    return out


def headings(blocks: list, level: int) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == level:
            found.append(plain_text(block.runs))
        elif isinstance(block, Section):
            found.extend(headings(block.children, level))
    return found


@pytest.fixture(scope="module")
def example() -> Contract:
    return Contract.model_validate(example_data())


def test_french_formatting() -> None:
    assert fmt.date_fr(dt.date(2026, 1, 1)) == "1er janvier 2026"
    assert fmt.date_fr(dt.date(2025, 3, 14)) == "14 mars 2025"
    assert fmt.amount(1234567.89) == "1\u202f234\u202f567,89\u00a0€"
    assert fmt.amount_round(1234567.6) == "1\u202f234\u202f568\u00a0€"
    assert fmt.percent(92.5) == "92,5\u00a0%"
    assert fmt.number(1234.5) == "1\u202f234,5"
    assert fmt.quoted("texte") == "«\u00a0texte\u00a0»"
    assert fmt.finess("340005131") == "34\u00a0000\u00a0513\u00a01"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1_200_000, "un million deux cent mille euros"),
        (2_000_000, "deux millions d'euros"),
        (380_000, "trois cent quatre-vingt mille euros"),
        (1, "un euro"),
        (1_533_000.5, "un million cinq cent trente-trois mille euros et cinquante centimes"),
    ],
)
def test_amounts_in_words(value: float, words: str) -> None:
    assert fmt.euros_in_words(value) == words


@pytest.mark.parametrize(
    "typed",
    [
        HOSTILE_NAME,
        "{{ x }}",
        "*x* et _y_",
        SCRIPT,
        "# pas un titre",
        "1. pas une liste",
        "a | b",
        "&amp; reste &amp;",
        "barre \\ oblique",
        "`code`",
        "[lien](http://exemple.fr)",
        "::: cover",
        "-",
    ],
)
def test_escaped_text_comes_out_exactly(typed: str) -> None:
    blocks = markdown_to_blocks(f"Avant {fmt.md_escape(typed)} après\n")
    assert texts(blocks) == [f"Avant {typed} après"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
def test_escaping_puts_one_backslash_before_each_ascii_punctuation(typed: str) -> None:
    """md_escape replaces sign by sign: as str.translate of every ASCII punctuation would."""
    table = str.maketrans({c: "\\" + c for c in string.punctuation})
    cleaned = re.sub(r"[ \t\r\n\f\v]+", " ", re.sub("[\ue000-\ue006]", "", typed))
    assert fmt.md_escape(typed) == cleaned.translate(table)


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("deux  espaces", "deux espaces"),
        ("fin\tde\nligne\r\x0b\x0c", "fin de ligne "),
        ("\ue000marqu\ue003é\ue006", "marqué"),
        ("12\xa0000 €\u202f!", "12\xa0000 €\u202f\\!"),
        ("simple", "simple"),
    ],
)
def test_escaping_drops_markers_and_folds_blanks_printable_or_not(typed: str, escaped: str) -> None:
    """md_escape skips its two substitutions for a printable text without a double space."""
    assert fmt.md_escape(typed) == escaped


def test_escaped_text_in_a_table_cell() -> None:
    blocks = markdown_to_blocks(f"| A | B |\n|--|--|\n| {fmt.md_escape('x | y <z>')} | 2 |\n")
    assert texts(blocks) == ["A", "B", "x | y <z>", "2"]


@pytest.mark.parametrize("path", ["financement.lignes.690794219.ars.fgs.2026", "a._b_.*c* [d](e)"])
def test_a_bound_value_keeps_its_path_whatever_its_punctuation(path: str) -> None:
    for markdown in (
        f"Avant {fmt.at('1 & 2', path)} après\n",
        f"| {fmt.at('x_y', path)} |\n|--|\n",
    ):
        runs = [run for block in markdown_to_blocks(markdown) for run in _runs(block)]
        assert [(run.text, run.path) for run in runs if run.path] == [
            ("1 & 2" if markdown.startswith("Avant") else "x_y", path)
        ]


def _runs(block: object) -> list[Run]:
    if isinstance(block, Table):
        return [run for cell in block.header for run in cell]
    return list(getattr(block, "runs", []))


def test_directives_make_sections_styles_and_page_breaks() -> None:
    blocks = markdown_to_blocks(
        "::: cover\n\n::: center\n\nEntre,\n\n:::\n\n:::\n\n::: pagebreak\n\n"
        "| A | B |\n|:--|--:|\n| x | 1 |\n| **Total** | **1** |\n"
    )
    cover, page_break, table = blocks
    assert isinstance(cover, Section) and cover.role == "cover"
    assert cover.children == [Paragraph(cover.children[0].runs, "center")]
    assert isinstance(page_break, PageBreak)
    assert isinstance(table, Table) and table.align == ["left", "right"] and table.total_rows == 1


def test_unclosed_directive_is_reported(example: Contract, tmp_path: Path) -> None:
    (tmp_path / "essai.md.j2").write_text("::: signatures\n\nx\n", encoding="utf-8")
    meta = contract_meta(example, title="Essai", created=CREATED)
    with pytest.raises(RenderError) as caught:
        compose_markdown("essai.md.j2", {}, meta, tmp_path)
    assert str(caught.value) == "essai.md.j2: « ::: signatures » n'est pas refermé"


def test_contract_body_follows_the_model(example: Contract) -> None:
    doc = compose_contract(example, contract_id="x", created=CREATED)
    assert headings(doc.blocks, 1) == [
        "Désignation des parties",
        "Visas et références juridiques",
        "Préambule",
        "Titre 1 – Objet du contrat",
        "Titre 2 – Mise en œuvre du contrat",
        "Signatures",
        "Liste des annexes",
    ]
    articles = [h.split(" – ")[0] for h in headings(doc.blocks, 2)]
    assert articles == [f"Article {n}" for n in ["1er", 2, 3, 4, 5, 6, 7, 8, 9]]
    all_text = texts(doc.blocks)
    order = [all_text.index(t) for t in ("Entre,", "D'une part,", "Et d'autre part,")]
    assert order == sorted(order)
    assert all_text.index("Et d'autre part,") < next(
        i for i, t in enumerate(all_text) if t.startswith("EHPAD public autonome Les Cèdres,")
    )
    assert "Il a été convenu ce qui suit :" in all_text
    assert any(
        t.startswith("Vu le code de l'action sociale") and t.endswith(" ;") for t in all_text
    )
    assert "Fait à Montpellier, le 14 mars 2025, en trois exemplaires originaux." in all_text
    assert "Date d'effet du contrat : 1er janvier 2025." in all_text
    assert "Annexe 5 : Annexe financière" in all_text
    # Only the first year's amount is written in words: later years are forecasts.
    assert any("(un million cinq cent trente-trois mille euros)" in t for t in all_text)
    assert not any("sept millions" in t for t in all_text)
    signatures = [b for b in doc.blocks if isinstance(b, Section) and b.role == "signatures"]
    blocks = [b for b in signatures[0].children if isinstance(b, Section)]
    assert [b.role for b in blocks] == ["signature-block"] * 3


def test_article_8_only_for_ehpad() -> None:
    data = example_data()
    data["base_legale"] = "L.313-11"
    data["etablissements"]["340005131"]["categorie"] = {"code": "255", "libelle": "MAS"}
    doc = compose_contract(Contract.model_validate(data), contract_id="x", created=CREATED)
    titles = headings(doc.blocks, 2)
    assert titles[-1] == ("Article 8 – La date d'entrée en vigueur du CPOM et la durée du CPOM")
    assert not any("conventions tripartites" in t for t in titles)


def test_annexes_volume_holds_seven_annexes_and_totals(example: Contract) -> None:
    doc = compose_annexes(example, contract_id="x", created=CREATED)
    annexes = [h for h in headings(doc.blocks, 1) if h.startswith("Annexe ")]
    # The model's seven, then « Habilitation à l'aide sociale » for the habilitated EHPAD.
    assert [a.split(" – ")[0] for a in annexes] == [f"Annexe {n}" for n in range(1, 9)]
    assert annexes[-1] == "Annexe 8 – Habilitation à l'aide sociale"
    finance = views.finance(example)
    assert finance.per_year == {
        2025: 1533000.0,
        2026: 1582100.0,
        2027: 1581600.0,
        2028: 1606500.0,
        2029: 1631800.0,
    }
    all_text = texts(doc.blocks)
    assert not finance.cents  # whole euros: the tables drop « ,00 »
    for total in [*finance.per_year.values(), finance.total]:
        assert fmt.amount(total, cents=False) in all_text
    assert "10,5\u00a0%" in all_text  # ABS-AS, cible 2025
    assert "ARS Occitanie" in all_text  # short financeur names in the tables


def test_one_amount_with_cents_shows_cents_in_every_table(example: Contract) -> None:
    finess = next(iter(example.financement.lignes))
    party = next(iter(example.financement.lignes[finess]))
    example.financement.lignes[finess][party].forfait_global_soins[2025] = 1000.5
    finance = views.finance(example)
    assert finance.cents
    all_text = texts(compose_annexes(example, contract_id="x", created=CREATED).blocks)
    assert fmt.amount(1000.5) in all_text
    total = fmt.amount(finance.total)
    assert total in all_text and total.endswith(",50\u00a0€")


def test_single_annex_for_an_avenant(example: Contract) -> None:
    doc = compose_annex(example, 5, contract_id="x", created=CREATED)
    assert headings(doc.blocks, 1) == ["Annexe 5 – Annexe financière"]
    assert doc.meta.title == "Annexe 5 – Annexe financière"


def test_hostile_text_is_never_interpreted() -> None:
    doc = compose_contract(hostile_contract(), contract_id="x", created=CREATED)
    all_text = "\n".join(texts(doc.blocks))
    assert f"{HOSTILE_NAME}," in all_text
    assert JINJA_TITLE in all_text
    assert f"Le préambule contient {SCRIPT} et {{{{ x }}}} en code." in all_text
    assert "rien" not in all_text.replace(JINJA_TITLE, "")


def test_missing_field_names_the_template_and_line(example: Contract, tmp_path: Path) -> None:
    (tmp_path / "annexe-7-comite.md.j2").write_text("# Annexe 7\n\n{{ c.suivi.absent }}\n")
    with pytest.raises(RenderError) as caught:
        compose_annexes(example, contract_id="x", created=CREATED, templates=tmp_path)
    assert str(caught.value) == (
        "annexe-7-comite.md.j2:3: le champ « absent » n'existe pas dans FollowUp"
    )


def test_undefined_variable_is_reported(example: Contract, tmp_path: Path) -> None:
    (tmp_path / "contrat.md.j2").write_text("Texte\n\n{{ inconnue }}\n")
    with pytest.raises(RenderError) as caught:
        compose_contract(example, contract_id="x", created=CREATED, templates=tmp_path)
    assert str(caught.value) == "contrat.md.j2:3: la variable « inconnue » n'est pas définie"


def test_template_syntax_error_is_reported(example: Contract, tmp_path: Path) -> None:
    (tmp_path / "contrat.md.j2").write_text("Texte\n{% if %}\n")
    with pytest.raises(RenderError) as caught:
        compose_contract(example, contract_id="x", created=CREATED, templates=tmp_path)
    assert str(caught.value).startswith("contrat.md.j2:2: erreur de syntaxe : ")


def test_a_user_template_overrides_the_default_file_by_file(
    example: Contract, tmp_path: Path
) -> None:
    (tmp_path / "annexe-7-comite.md.j2").write_text(
        "# Annexe 7 – Comité de suivi (trame de l'ARS)\n\nPrésidé par {{ c.autorites.ars.nom }}.\n"
    )
    doc = compose_annexes(example, contract_id="x", created=CREATED, templates=tmp_path)
    all_text = texts(doc.blocks)
    assert "Présidé par Agence régionale de santé Occitanie." in all_text
    assert "Annexe 7 – Comité de suivi (trame de l'ARS)" in headings(doc.blocks, 1)
    assert "Annexe 6 – Calendrier des évaluations et des dialogues de gestion" in headings(
        doc.blocks, 1
    )


def test_a_logo_in_the_user_templates_replaces_the_placeholder(
    example: Contract, tmp_path: Path
) -> None:
    logo = REPO_TEMPLATES / "exemples" / "logos" / "ars.png"
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "ars.png").write_bytes(logo.read_bytes())
    doc = compose_contract(example, contract_id="x", created=CREATED, templates=tmp_path)
    cover = doc.blocks[0]
    assert isinstance(cover, Section) and cover.role == "cover"
    logos = [b for b in cover.children if isinstance(b, Section) and b.role == "logos"][0]
    first, second, _ = (place.children[0] for place in logos.children)
    assert isinstance(first, Image) and first.png == logo.read_bytes()
    assert first.alt == "Agence régionale de santé Occitanie"
    assert second == Paragraph([Run("Département de l'Hérault")])
    html = render_html(doc, tmp_path)
    assert 'src="data:image/png;base64,' in html


def test_default_build_has_no_logo(example: Contract) -> None:
    doc = compose_contract(example, contract_id="x", created=CREATED)
    assert "data:image" not in render_html(doc)
