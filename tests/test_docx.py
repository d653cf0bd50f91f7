"""The DOCX writer: real DOCX files opened with python-docx and read back."""

from __future__ import annotations

import copy
import io
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx_samples import JINJA_LOOKALIKE, TRICKY_NAME, contract, r
from lxml import etree

from cpomdocs.documents.blocks import Paragraph, Run
from cpomdocs.errors import RenderError
from cpomdocs.render.docx import PACKAGED_TEMPLATE, render_docx, template_path

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_URI}}}"
NS = {"w": W_URI, "v": "urn:schemas-microsoft-com:vml"}


@pytest.fixture(scope="module")
def draft_bytes() -> bytes:
    return render_docx(contract())


@pytest.fixture(scope="module")
def draft(draft_bytes: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(draft_bytes))


@pytest.fixture(scope="module")
def signed() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(contract(watermark=""))))


def paragraph(document, starts: str):
    """The first body paragraph outside the table of contents whose text starts with `starts`."""
    return next(
        p
        for p in document.paragraphs
        if untypeset(p.text).startswith(starts)
        and not re.fullmatch(r"toc \d", p.style.name.lower())
    )


def w_text(element) -> str:
    """The text of the w:t elements under `element` (hyperlinks included)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def part_xml(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_headings_carry_word_heading_styles_with_outline_levels(draft):
    assert paragraph(draft, "Titre I – Objet").style.name == "Heading 1"
    assert paragraph(draft, "Article 1er").style.name == "Heading 2"
    assert paragraph(draft, "Présentation du gestionnaire").style.name == "Heading 3"
    assert paragraph(draft, "Annexe 5").style.name == "Heading 1"
    for level in (1, 2, 3):
        style = draft.styles[f"Heading {level}"].element
        assert style.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)


def test_cover_uses_title_styles_and_ends_with_a_page_break(draft):
    assert paragraph(draft, "Contrat pluriannuel").style.name == "Title"
    assert paragraph(draft, "2025 – 2029").style.name == "Subtitle"
    after_cover = paragraph(draft, "Sommaire")
    assert after_cover.paragraph_format.page_break_before is True
    assert paragraph(draft, "Annexe 5").paragraph_format.page_break_before is True


def test_paragraph_roles_map_to_template_styles(draft):
    assert paragraph(draft, "Entre,").style.name == "Centré"
    assert paragraph(draft, "Vu le code").style.name == "Visa"
    assert paragraph(draft, "Source : EPRD").style.name == "Petit texte"


def test_page_is_a4_with_header_and_footer_fields(draft, draft_bytes):
    section = draft.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.header.paragraphs[0].text.strip() == f"CPOM 2025–2029 – {TRICKY_NAME}"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("version 2")
    instructions = [t.text.strip() for t in footer._p.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]


def watermarks(document) -> list[str]:
    section = document.sections[0]
    headers = (section.header, section.first_page_header)
    paths = (s for h in headers for s in h._element.iter("{*}textpath"))
    return [path.get("string") for path in paths if path.get("string") is not None]


def test_draft_has_a_watermark_on_every_page_and_signed_has_none(draft, signed):
    assert watermarks(draft) == ["PROJET – version 2", "PROJET – version 2"]
    assert watermarks(signed) == []
    assert signed.sections[0].header.paragraphs[0].text.strip().startswith("CPOM 2025–2029")


def test_user_text_comes_out_exactly_never_interpreted(draft, draft_bytes):
    text = paragraph(draft, "Le gestionnaire").text
    assert text == f"Le gestionnaire {TRICKY_NAME} écrit {JINJA_LOOKALIKE}.\nDeuxième ligne."
    assert paragraph(draft, TRICKY_NAME).style.name == "Centré"
    assert draft.core_properties.author == TRICKY_NAME
    assert "<script>" not in part_xml(draft_bytes, "word/document.xml")


def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_starting(document, text: str):
    """The first table whose first cell starts with `text`."""
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith(text))


def test_table_repeats_its_header_never_splits_rows_and_fits_the_page(draft):
    table = table_starting(draft, "Établissement")
    rows = table._tbl.tr_lst
    assert table_rows(table)[0] == ["Établissement", "Forfait soins", "Crédits non reconductibles"]
    assert rows[0].trPr.find(f"{W}tblHeader") is not None
    assert all(r.trPr.find(f"{W}tblHeader") is None for r in rows[1:])
    assert all(r.trPr.find(f"{W}cantSplit") is not None for r in rows)
    assert table.style.name == "Tableau CPOM"
    assert sum(int(g.get(f"{W}w")) for g in table._tbl.tblGrid.gridCol_lst) <= 9298
    caption = table._tbl.getprevious()
    assert w_text(caption) == "Tableau 1 – Financements par établissement"


def test_numbers_are_right_aligned_and_totals_bold(draft):
    table = table_starting(draft, "Établissement")
    first, total = table.rows[1], table.rows[-1]
    assert first.cells[0].paragraphs[0].alignment is None
    assert str(first.cells[1].paragraphs[0].alignment) == "RIGHT (2)"
    assert [untypeset(c.text) for c in total.cells] == [
        "Total général",
        "123 456 789,00 €",
        "8 000,00 €",
    ]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for run in first.cells[0].paragraphs[0].runs)
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_signature_blocks_sit_side_by_side_two_by_two(draft):
    table = table_starting(draft, "Pour l’ARS")
    assert table.style.name == "Tableau signatures"
    assert [[untypeset(cell) for cell in row] for row in table_rows(table)] == [
        ["Pour l'ARS,\nLe directeur général", "Pour le département,\nLa présidente"],
        [f"Pour {TRICKY_NAME},\nLe président", ""],
    ]
    assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)
    assert paragraph(draft, "Fait à").style.name == "Normal"


def test_cover_is_centred_with_a_place_for_each_logo(draft):
    logos = draft.tables[0]
    assert table_rows(logos) == [["ARS", TRICKY_NAME]]
    assert str(logos.rows[0].cells[0].paragraphs[0].alignment) == "CENTER (1)"
    assert str(paragraph(draft, TRICKY_NAME).alignment) == "CENTER (1)"


def test_lists_use_list_styles_and_each_numbered_list_starts_at_one(draft):
    bullets = paragraph(draft, "premier point")
    assert bullets.style.name == "List Bullet"
    first, second = paragraph(draft, "un"), paragraph(draft, "encore un")
    assert first.style.name == second.style.name == "List Number"
    num_ids = [p._p.pPr.numPr.numId.val for p in (first, second)]
    assert num_ids[0] != num_ids[1]
    numbering = draft.part.numbering_part.element
    for num_id in num_ids:
        num = numbering.num_having_numId(num_id)
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
    nested = paragraph(draft, "sous-point")
    assert nested._p.pPr.numPr.ilvl.val == 1


def test_table_of_contents_lists_the_headings_each_with_a_page_field(draft, draft_bytes):
    xml = part_xml(draft_bytes, "word/document.xml")
    assert "TOC \\o" not in xml  # LibreOffice shows a TOC field's result without page numbers
    entries = [p for p in draft.paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())]
    assert [(p.style.name.lower(), untypeset(w_text(p._p))) for p in entries] == [
        ("toc 1", "Titre I – Objet du contrat"),
        ("toc 2", "Article 1er – Identification du gestionnaire"),
        ("toc 2", "Article 2 – Diagnostic partagé"),
        ("toc 1", "Annexe 5 : annexe financière"),
    ]
    bookmarks = {b.get(f"{W}name") for b in draft.element.body.iter(f"{W}bookmarkStart")}
    anchors = [h.get(f"{W}anchor") for h in draft.element.body.iter(f"{W}hyperlink")]
    assert anchors and set(anchors) <= bookmarks
    fields = [" ".join(t.text.split()) for p in entries for t in p._p.iter(f"{W}instrText")]
    assert fields == [f"PAGEREF {a} \\h" for a in anchors[: len(entries)]]


def test_chart_is_an_inline_png_with_its_alternative_text(draft):
    shapes = draft.inline_shapes
    assert len(shapes) == 1
    assert shapes[0].width.cm == pytest.approx(14, abs=0.01)
    assert shapes[0]._inline.docPr.get("descr") == "Taux d’occupation 2025–2029"
    images = [p for p in draft.part.package.iter_parts() if p.content_type == "image/png"]
    assert len(images) == 1


def resolve_changes(body: etree._Element, accept: bool) -> etree._Element:
    """What Word's « accepter tout » (accept=True) or « refuser tout » leaves."""
    body = copy.deepcopy(body)
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    # a dropped paragraph mark or row takes its (dropped) content with it
    for mark in list(body.iter(f"{W}{drop}")):
        holder = mark.getparent()
        if holder.tag in (f"{W}rPr", f"{W}trPr") and holder.getparent().tag in (
            f"{W}pPr",
            f"{W}tr",
        ):
            gone = (
                holder.getparent() if holder.tag == f"{W}trPr" else holder.getparent().getparent()
            )
            gone.getparent().remove(gone)
    for element in list(body.iter(f"{W}{drop}")):
        element.getparent().remove(element)
    for element in list(body.iter(f"{W}{keep}")):
        if element.getparent().tag in (f"{W}rPr", f"{W}trPr"):  # a kept mark: just the mark
            element.getparent().remove(element)
            continue
        parent, index = element.getparent(), element.getparent().index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    for deleted in body.iter(f"{W}delText"):
        deleted.tag = f"{W}t"
    return body


def changed_paragraph_text(body: etree._Element) -> str:
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if text.startswith("La cible 2027"):
            return text
    raise AssertionError("paragraphe modifié introuvable")


def test_redlines_are_tracked_changes_that_accept_and_reject_correctly(draft):
    body = draft.element.body
    accepted = changed_paragraph_text(resolve_changes(body, accept=True))
    rejected = changed_paragraph_text(resolve_changes(body, accept=False))
    assert untypeset(accepted) == "La cible 2027 passe de 95 % pour l'EHPAD Les Cèdres."
    assert untypeset(rejected) == "La cible 2027 passe de 92 % pour tous les établissements."
    changes = list(body.iter(f"{W}ins", f"{W}del"))
    assert len(changes) == 4
    assert {(c.get(f"{W}author"), c.get(f"{W}date")) for c in changes} == {
        ("Référent CPOM", "2025-03-14T08:30:00Z")
    }
    annotated = body.iter(f"{W}ins", f"{W}del", f"{W}bookmarkStart")
    ids = [int(e.get(f"{W}id")) for e in annotated]
    assert len(ids) == len(set(ids))


def test_whole_paragraphs_and_rows_are_tracked_with_their_marks():
    from cpomdocs.documents.blocks import ComposedDocument, Table

    document = ComposedDocument(
        contract().meta,
        [
            Paragraph([Run("avant")]),
            Paragraph([Run("nouveau paragraphe", change="ins")]),
            Paragraph([Run("ancien ", change="del"), Run("paragraphe", change="del")]),
            Paragraph([Run("après")]),
            Table(
                [r("ESSMS"), r("Places")],
                [[r("A"), r("10")], [r("B", change="ins"), r("5", change="ins")]],
            ),
        ],
    )
    body = docx.Document(io.BytesIO(render_docx(document))).element.body

    def texts(element) -> tuple[list[str], int]:
        paragraphs = [w_text(p) for p in element.iterchildren(f"{W}p")]
        return paragraphs, len(list(element.iter(f"{W}tr")))

    assert texts(resolve_changes(body, accept=True)) == (
        ["avant", "nouveau paragraphe", "après"],
        3,
    )
    assert texts(resolve_changes(body, accept=False)) == (
        ["avant", "ancien paragraphe", "après"],
        2,
    )


def test_same_input_gives_byte_identical_docx_dated_from_the_data(draft_bytes, draft):
    assert render_docx(contract()) == draft_bytes
    archive = zipfile.ZipFile(io.BytesIO(draft_bytes))
    assert {info.date_time for info in archive.infolist()} == {(2025, 3, 14, 8, 30, 0)}
    assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}
    props = draft.core_properties
    assert props.title == "Contrat pluriannuel d’objectifs et de moyens"
    assert props.subject == "CPOM EHPAD Les Cèdres"
    assert props.keywords == "CPOM, EHPAD, ARS Occitanie"
    assert props.language == "fr"
    assert props.created.isoformat() == props.modified.isoformat() == "2025-03-14T08:30:00+00:00"


def rewrite_template(target: Path, header_from: str, header_to: str) -> None:
    """Copy the packaged template with one change in the header."""
    source = zipfile.ZipFile(PACKAGED_TEMPLATE)
    target.parent.mkdir(parents=True)
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/header1.xml":
                data = data.decode().replace(header_from, header_to).encode()
            out.writestr(info, data)


def test_a_template_folder_overrides_the_packaged_template(tmp_path):
    assert template_path(tmp_path) == PACKAGED_TEMPLATE
    override = tmp_path / "docx" / "document.docx"
    rewrite_template(override, "{{ running_title }}", "TRAME ARS – {{ running_title }}")
    assert template_path(tmp_path) == override
    document = docx.Document(io.BytesIO(render_docx(contract(), tmp_path)))
    header = document.sections[0].header.paragraphs[0].text.strip()
    assert header == f"TRAME ARS – CPOM 2025–2029 – {TRICKY_NAME}"


def test_an_unreadable_template_is_reported_in_french(tmp_path):
    override = tmp_path / "docx" / "document.docx"
    override.parent.mkdir(parents=True)
    override.write_bytes(b"pas un docx")
    with pytest.raises(RenderError) as caught:
        render_docx(contract(), tmp_path)
    assert str(caught.value) == (
        f"{override}: modèle DOCX illisible : ce n'est pas un fichier DOCX valide"
    )


def test_a_template_with_an_unknown_variable_is_reported_in_french(tmp_path):
    override = tmp_path / "docx" / "document.docx"
    rewrite_template(override, "{{ running_title }}", "{{ inconnue }}")
    with pytest.raises(RenderError) as caught:
        render_docx(contract(), tmp_path)
    assert str(caught.value) == (
        f"{override}: le modèle DOCX utilise une variable inconnue : « inconnue »"
    )


def test_a_bad_document_date_is_reported_in_french():
    document = contract()
    document.meta.created = "14/03/2025"
    with pytest.raises(RenderError) as caught:
        render_docx(document)
    assert str(caught.value) == "date du document invalide : « 14/03/2025 »"


def test_control_characters_and_braces_survive_docxtpl(tmp_path):
    document = contract()
    document.blocks.append(Paragraph([Run("a\x0bb {_{ c }_} {_% d %_} e\tf")]))
    result = docx.Document(io.BytesIO(render_docx(document)))
    assert result.paragraphs[-1].text == "ab {_{ c }_} {_% d %_} e f"


def test_packaged_template_is_the_one_the_script_makes():
    from importlib.util import module_from_spec, spec_from_file_location

    script = Path(__file__).parents[1] / "scripts" / "make_docx_template.py"
    spec = spec_from_file_location("make_docx_template", script)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.make_template() == PACKAGED_TEMPLATE.read_bytes()


def test_column_widths_keep_amounts_whole_and_fill_the_text_width():
    from cpomdocs.documents.blocks import Table
    from cpomdocs.render.columns import CELL_PADDING, TEXT_WIDTH, column_widths, text_width

    amounts = [r(f"{n} 312 000,00 €") for n in range(6)]
    table = Table(
        header=[r("Financeur"), r("Nature"), *[r(str(2027 + i)) for i in range(6)]],
        rows=[
            [r("Agence régionale de santé Bourgogne-Franche-Comté"), r("Part de la dotation")]
            + amounts
        ],
        align=["left", "left"] + ["right"] * 6,
    )
    widths = column_widths(table, size=15)
    assert sum(widths) == TEXT_WIDTH
    for width, amount in zip(widths[2:], amounts, strict=True):
        assert width >= text_width(amount[0].text, 15) + CELL_PADDING
    assert widths[0] > 600 and widths[1] > 600


def test_a_figure_without_png_shows_its_description_and_a_bad_png_is_reported():
    from cpomdocs.documents.blocks import ComposedDocument, Image

    svg_only = Image(svg=b"<svg/>", png=b"", alt="Taux d'occupation")
    result = docx.Document(io.BytesIO(render_docx(ComposedDocument(contract().meta, [svg_only]))))
    assert [p.text for p in result.paragraphs] == ["Taux d’occupation"]
    broken = Image(svg=b"<svg/>", png=b"not a png", alt="Taux d'occupation")
    with pytest.raises(RenderError) as caught:
        render_docx(ComposedDocument(contract().meta, [broken]))
    assert str(caught.value) == "figure « Taux d’occupation » : l'image PNG est illisible"


def test_a_template_without_the_body_tag_is_refused(tmp_path):
    override = tmp_path / "docx" / "document.docx"
    source = zipfile.ZipFile(PACKAGED_TEMPLATE)
    override.parent.mkdir(parents=True)
    with zipfile.ZipFile(override, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{p body }}", b"Corps")
            out.writestr(info, data)
    with pytest.raises(RenderError) as caught:
        render_docx(contract(), tmp_path)
    assert str(caught.value) == (
        f"{override}: le modèle DOCX ne contient pas la balise {{{{p body }}}}"
        " qui reçoit le corps du document"
    )


def test_a_template_with_the_body_tag_twice_is_refused(tmp_path):
    override = tmp_path / "docx" / "document.docx"
    source = zipfile.ZipFile(PACKAGED_TEMPLATE)
    override.parent.mkdir(parents=True)
    tag = b"<w:p><w:r><w:t>{{p body }}</w:t></w:r></w:p>"
    with zipfile.ZipFile(override, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert tag in data
                data = data.replace(tag, tag + tag)
            out.writestr(info, data)
    with pytest.raises(RenderError) as caught:
        render_docx(contract(), tmp_path)
    assert str(caught.value) == (
        f"{override}: la balise {{{{p body }}}} du modèle DOCX doit y figurer une seule fois"
    )


def test_the_body_goes_into_the_package_as_written_and_twice_the_same():
    from cpomdocs.render.docx_package import BODY_MARK

    first, second = render_docx(contract()), render_docx(contract())
    assert first == second
    xml = zipfile.ZipFile(io.BytesIO(first)).read("word/document.xml").decode()
    assert BODY_MARK not in xml
    body = xml[xml.index("<w:body>") + len("<w:body>") : xml.index("<w:sectPr")]
    assert body.startswith("<w:tbl>") and body.count("<w:bookmarkStart ") > 20  # logos first
    names = re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body)
    assert len(names) == len(set(names)) == body.count("<w:bookmarkEnd ")


EXAMPLES = Path(__file__).resolve().parents[1] / "contracts"
EXAMPLE_IDS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "cpom.yaml").is_file())


def docx_body_text(path: Path) -> str:
    """Every w:t of the body, paragraphs and table cells, spaces normalised."""
    body = docx.Document(path).element.body
    paragraphs = [w_text(p) for p in body.iter(f"{W}p")]
    return re.sub(r"\s+", " ", " ".join(paragraphs))


@pytest.mark.parametrize("contract_id", EXAMPLE_IDS)
def test_example_docx_show_every_establishment_objective_target_and_amount(
    built_examples, contract_id: str
) -> None:
    from cpomdocs import fmt
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder
    from cpomdocs.documents import contract_views as views

    output, report = built_examples
    assert report.failed == []
    contract = check_folder(EXAMPLES / contract_id).contract.model
    assert isinstance(contract, Contract)
    body = docx_body_text(output / contract_id / "contrat.docx")
    annexes = docx_body_text(output / contract_id / "annexes.docx")

    body, annexes = untypeset(body), untypeset(annexes)

    def shown(value: str) -> str:
        return re.sub(r"\s+", " ", untypeset(value))

    for finess in contract.etablissements:
        assert shown(fmt.finess(finess)) in body and shown(fmt.finess(finess)) in annexes
    for objective in contract.objectifs.values():
        assert shown(objective.titre) in body and shown(objective.titre) in annexes
        for indicator in objective.indicateurs.values():
            for target in indicator.cibles.values():
                assert shown(views.indicator_value(target, indicator.unite)) in annexes
    finance = views.finance(contract)
    for establishment in finance.establishments:
        for line in establishment.lines:
            for amount in line.amounts.values():
                assert shown(fmt.amount(amount, finance.cents)) in annexes
    for total in [*finance.per_year.values(), finance.total]:
        assert shown(fmt.amount(total, finance.cents)) in annexes
        assert shown(fmt.amount(total, finance.cents)) in body
    # Only the first year is written in words; the total over the contract is a forecast.
    assert shown(fmt.euros_in_words(finance.per_year[finance.years[0]])) in body
    assert shown(fmt.euros_in_words(finance.total)) not in body
    document = docx.Document(output / contract_id / "annexes.docx")
    headings = {p.text for p in document.paragraphs if p.style.name == "Heading 1"}
    assert any(h.startswith("Annexe 5") for h in headings)
    assert all(
        t._tbl.tr_lst[0].trPr.find(f"{W}tblHeader") is not None
        for t in document.tables
        if t.style is not None and t.style.name == "Tableau CPOM"
    )


GOLDEN = Path(__file__).parent / "golden" / "docx-sample.txt"


def dump_runs(paragraph) -> str:
    """A paragraph's text with tracked changes shown as [+inserted+] and [-deleted-]."""
    out = []
    for element in paragraph.iter(f"{W}t", f"{W}delText", f"{W}br"):
        if element.tag == f"{W}br":
            out.append("⏎")
            continue
        change = next((a.tag for a in element.iterancestors(f"{W}ins", f"{W}del")), None)
        mark = {f"{W}ins": "+", f"{W}del": "-"}.get(change, "")
        out.append(f"[{mark}{element.text}{mark}]" if mark else element.text or "")
    return "".join(out)


def dump_body(body, indent: str = "") -> list[str]:
    """A readable dump of a Word body: one line per paragraph, tables row by row."""
    lines = []
    for child in body.iterchildren(f"{W}p", f"{W}tbl"):
        if child.tag == f"{W}p":
            ppr = child.find(f"{W}pPr")
            found = ppr.find(f"{W}pStyle") if ppr is not None else None
            style = found.get(f"{W}val") if found is not None else "Normal"
            flags = []
            if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
                flags.append("saut de page")
            num = ppr.find(f"{W}numPr") if ppr is not None else None
            if num is not None:
                flags.append(
                    f"liste {num.find(f'{W}numId').get(f'{W}val')}"
                    f" niveau {num.find(f'{W}ilvl').get(f'{W}val')}"
                )
            if ppr is not None and ppr.find(f"{W}jc") is not None:
                flags.append(ppr.find(f"{W}jc").get(f"{W}val"))
            if next(child.iter(f"{W}drawing"), None) is not None:
                flags.append("image")
            if any(t.text and "TOC" in t.text for t in child.iter(f"{W}instrText")):
                flags.append("champ TOC")
            suffix = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"{indent}¶ {style}{suffix} : {dump_runs(child)}")
        else:
            style = child.find(f"{W}tblPr/{W}tblStyle")
            widths = [g.get(f"{W}w") for g in child.iter(f"{W}gridCol")]
            lines.append(
                f"{indent}▦ {style.get(f'{W}val') if style is not None else '-'} {'/'.join(widths)}"
            )
            for row in child.iterchildren(f"{W}tr"):
                repeated = row.find(f"{W}trPr/{W}tblHeader") is not None
                cells = [
                    " / ".join(dump_runs(p) for p in c.iter(f"{W}p")) for c in row.iter(f"{W}tc")
                ]
                lines.append(f"{indent}  {'↻ ' if repeated else ''}" + " | ".join(cells))
    return lines


def test_golden_text_dump_of_the_sample():
    """Readable intermediate: `make golden` rewrites it on purpose; review its diff."""
    document = docx.Document(io.BytesIO(render_docx(contract(rows=3))))
    dump = "\n".join(dump_body(document.element.body)) + "\n"
    if os.environ.get("CPOMDOCS_REGEN_GOLDEN"):
        GOLDEN.write_text(dump, encoding="utf-8")
    assert dump == GOLDEN.read_text(encoding="utf-8"), "make golden, puis relire le diff"


def test_an_empty_table_is_left_out_rather_than_breaking_word():
    from cpomdocs.documents.blocks import ComposedDocument, Table

    document = ComposedDocument(contract().meta, [Table([], []), Paragraph([Run("fin")])])
    result = docx.Document(io.BytesIO(render_docx(document)))
    assert result.tables == [] and [p.text for p in result.paragraphs] == ["fin"]


def untypeset(text: str) -> str:
    """French typography undone (no-break spaces, apostrophe, minus), to compare contents."""
    for typographic, plain in (("\xa0", " "), ("\u202f", " "), ("’", "'"), ("−", "-")):
        text = text.replace(typographic, plain)
    return text
