"""Make the DOCX template of cpomdocs (src/cpomdocs/templates/docx/document.docx).

The template is generated, not hand-edited, so that every style, the page set-up, the header (with
the draft watermark) and the footer can be reviewed here as text. Run it after a change:

    .venv/bin/python scripts/make_docx_template.py

docxtpl fills the template: `{{p body }}` receives the WordprocessingML of the whole body (made
by cpomdocs.render.docx_xml), the header and footer use `running_title`, `watermark` and
`version_label`. An ARS that imposes its own trame makes a DOCX with the same tags and the same
style names and puts it in `templates/docx/document.docx` of its repository.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.shared import Cm

from cpomdocs.render.docx_package import normalise_zip

TARGET = Path(__file__).resolve().parents[1] / "src/cpomdocs/templates/docx/document.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

# A4 with 2.3 cm side margins: the text is 9298 twips (16.4 cm) wide; docx_xml.py relies on it.
TEXT_WIDTH = 9298
RIGHT_TAB = (
    f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
    f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
)
BLUE = "1F3864"
# Headings, titles, the cover, the table of contents, signature blocks and captions are never
# hyphenated (« per-sonnes » in a heading); print.css says the same (hyphens: manual).
KEEP_WHOLE = "<w:suppressAutoHyphens/>"


def paragraph_style(style_id: str, name: str, ppr: str = "", rpr: str = "", **opts: str) -> str:
    """One paragraph style; `opts` may give basedOn (default Normal), next, custom="1"."""
    based = opts.get("based", "Normal")
    custom = ' w:customStyle="1"' if opts.get("custom") else ""
    nxt = f'<w:next w:val="{opts["next"]}"/>' if "next" in opts else ""
    return (
        f'<w:style w:type="paragraph"{custom} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/>{nxt}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr>'
        "</w:style>"
    )


def border(side: str, color: str = "8EA0BC") -> str:
    """A thin single border."""
    return f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{color}"/>'


STYLES = f"""<w:styles xmlns:w="{W}">
<w:docDefaults>
  <w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>
    <w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>
  </w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>
  </w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
  <w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
  <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
  <w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>
  <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
  <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>
</w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
  <w:uiPriority w:val="99"/><w:semiHidden/></w:style>
{
    paragraph_style(
        "Heading1",
        "heading 1",
        f'<w:keepNext/><w:keepLines/>{KEEP_WHOLE}<w:spacing w:before="360" w:after="160"/>'
        '<w:jc w:val="left"/>'
        '<w:outlineLvl w:val="0"/>',
        f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="30"/><w:szCs w:val="30"/>',
        next="Normal",
    )
}
{
    paragraph_style(
        "Heading2",
        "heading 2",
        f'<w:keepNext/><w:keepLines/>{KEEP_WHOLE}<w:spacing w:before="280" w:after="120"/>'
        '<w:jc w:val="left"/>'
        '<w:outlineLvl w:val="1"/>',
        f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="25"/><w:szCs w:val="25"/>',
        next="Normal",
    )
}
{
    paragraph_style(
        "Heading3",
        "heading 3",
        f'<w:keepNext/><w:keepLines/>{KEEP_WHOLE}<w:spacing w:before="200" w:after="80"/>'
        '<w:jc w:val="left"/><w:outlineLvl w:val="2"/>',
        '<w:b/><w:bCs/><w:i/><w:sz w:val="22"/><w:szCs w:val="22"/>',
        next="Normal",
    )
}
{
    paragraph_style(
        "Title",
        "Title",
        f'{KEEP_WHOLE}<w:spacing w:before="2800" w:after="360"/><w:jc w:val="center"/>',
        f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="44"/><w:szCs w:val="44"/>',
    )
}
{
    paragraph_style(
        "Subtitle",
        "Subtitle",
        f'{KEEP_WHOLE}<w:spacing w:after="240"/><w:jc w:val="center"/>',
        '<w:color w:val="404040"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
}
{paragraph_style("Centre", "Centré", f'{KEEP_WHOLE}<w:jc w:val="center"/>', custom="1")}
{paragraph_style("Visa", "Visa", '<w:spacing w:after="60"/>', custom="1")}
{
    paragraph_style(
        "PetitTexte",
        "Petit texte",
        '<w:spacing w:before="60" w:after="60"/><w:jc w:val="left"/>',
        '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
        custom="1",
    )
}
{
    paragraph_style(
        "BlocSignature",
        "Bloc signature",
        f'<w:keepNext/><w:keepLines/>{KEEP_WHOLE}<w:spacing w:after="40"/><w:jc w:val="left"/>',
        custom="1",
    )
}
{
    paragraph_style(
        "TexteTableau",
        "Texte tableau",
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/>',
        '<w:sz w:val="17"/><w:szCs w:val="17"/>',
        custom="1",
    )
}
{
    paragraph_style(
        "Caption",
        "caption",
        f'<w:keepNext/>{KEEP_WHOLE}<w:spacing w:before="200" w:after="80"/><w:jc w:val="left"/>',
        f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="19"/><w:szCs w:val="19"/>',
    )
}
{
    paragraph_style(
        "LegendeGraphique",
        "Légende graphique",
        f'<w:keepNext/><w:keepLines/>{KEEP_WHOLE}<w:spacing w:before="200" w:after="40"/>'
        '<w:jc w:val="left"/>',
        '<w:sz w:val="16"/><w:szCs w:val="16"/>',
        custom="1",
    )
}
{
    paragraph_style(
        "ListBullet",
        "List Bullet",
        '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>',
    )
}
{
    paragraph_style(
        "ListNumber",
        "List Number",
        '<w:numPr><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/>',
    )
}
{paragraph_style("ListContinue", "List Continue", '<w:spacing w:after="60"/><w:ind w:left="357"/>')}
{
    paragraph_style(
        "TOCHeading",
        "TOC Heading",
        f'<w:keepNext/>{KEEP_WHOLE}<w:spacing w:before="240" w:after="240"/><w:jc w:val="left"/>',
        f'<w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="30"/><w:szCs w:val="30"/>',
    )
}
{
    paragraph_style(
        "TOC1",
        "toc 1",
        f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>{KEEP_WHOLE}'
        '<w:spacing w:before="100" w:after="20"/><w:jc w:val="left"/>',
        "<w:b/><w:bCs/>",
        next="Normal",
    )
}
{
    paragraph_style(
        "TOC2",
        "toc 2",
        f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>{KEEP_WHOLE}'
        '<w:spacing w:after="20"/><w:ind w:left="284"/><w:jc w:val="left"/>',
        next="Normal",
    )
}
{
    paragraph_style(
        "Header",
        "header",
        f'{RIGHT_TAB}<w:spacing w:after="0"/><w:jc w:val="left"/>',
        '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
{
    paragraph_style(
        "Footer",
        "footer",
        f'{RIGHT_TAB}<w:spacing w:after="0"/><w:jc w:val="left"/>',
        '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
<w:style w:type="table" w:customStyle="1" w:styleId="TableauCPOM"><w:name w:val="Tableau CPOM"/>
  <w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:tblPr><w:tblBorders>{border("top")}{border("left")}{border("bottom")}{border("right")}
  {border("insideH")}{border("insideV")}</w:tblBorders>
  <w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
  <w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
  <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE3EE"/></w:tcPr></w:tblStylePr>
</w:style>
<w:style w:type="table" w:customStyle="1" w:styleId="TableauSignatures">
  <w:name w:val="Tableau signatures"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>
  <w:bottom w:w="0" w:type="dxa"/><w:right w:w="284" w:type="dxa"/></w:tblCellMar></w:tblPr>
</w:style>
</w:styles>"""


def level(ilvl: int, fmt: str, text: str, indent: int) -> str:
    """One level of a list definition."""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="357"/></w:pPr></w:lvl>'
    )


# Two list definitions: bullets (numId 1) and numbering (numId 2), decimal at every level as in
# the PDF's HTML lists. docx_body.py adds one w:num per numbered list so each starts again at 1.
NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/>
{level(0, "bullet", "•", 357)}{level(1, "bullet", "–", 714)}{level(2, "bullet", "·", 1071)}
</w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/>
{level(0, "decimal", "%1.", 357)}{level(1, "decimal", "%2.", 714)}{level(2, "decimal", "%3.", 1071)}
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""

SHAPETYPE = """<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>
<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>"""


def watermark_runs(shape_number: int) -> str:
    """The draft watermark: Word's own kind (VML text path behind the text), only when set."""
    return (
        "<w:r><w:t>{%r if watermark %}</w:t></w:r>"
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:pict>{SHAPETYPE}"
        f'<v:shape id="PowerPlusWaterMarkObject{shape_number}"'
        f' o:spid="_x0000_s{2048 + shape_number}"'
        ' type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:470pt;'
        "height:94pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#bfbfbf" stroked="f">'
        '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt"'
        ' string="{{ watermark }}"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
        "</w:pict></w:r><w:r><w:t>{%r endif %}</w:t></w:r>"
    )


def field(instruction: str) -> str:
    """A complex field (PAGE, NUMPAGES) with a placeholder result."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


HEADER = f"""<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{watermark_runs(1)}
<w:r><w:tab/></w:r><w:r><w:tab/></w:r><w:r><w:t>{{{{ running_title }}}}</w:t></w:r></w:p></w:hdr>"""

# The cover page has no running title, but the watermark is on every page.
FIRST_HEADER = f"""<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{watermark_runs(2)}
</w:p></w:hdr>"""

FOOTER = f"""<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>
<w:r><w:t>{{{{ version_label }}}}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:tab/></w:r>
<w:r><w:t xml:space="preserve">page </w:t></w:r>{field("PAGE")}
<w:r><w:t xml:space="preserve"> / </w:t></w:r>{field("NUMPAGES")}</w:p></w:ftr>"""

FIRST_FOOTER = f"""<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>
<w:r><w:t>{{{{ version_label }}}}</w:t></w:r></w:p></w:ftr>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Application>cpomdocs</Application><DocSecurity>0</DocSecurity></Properties>"""

DROPPED_RELATIONSHIPS = (
    "/customXml",  # an empty bibliography part
    "/stylesWithEffects",  # a second 430 kB copy of Word 2010's styles
    "/thumbnail",  # a picture of an empty page
)


def drop_unwanted_parts(document) -> None:
    """Remove the parts of python-docx's default template that a contract does not need."""
    for owner in (document.part, document.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.endswith(DROPPED_RELATIONSHIPS):
                del owner.rels[rid]


def set_settings(document) -> None:
    """Update the fields (table of contents) on opening, hyphenate, French proofing."""
    settings = document.settings.element
    update = parse_xml(f'<w:updateFields xmlns:w="{W}" w:val="true"/>')
    settings.find(f"{{{W}}}compat").addprevious(update)
    settings.find(f"{{{W}}}themeFontLang").set(f"{{{W}}}val", "fr-FR")
    tab_stop = settings.find(f"{{{W}}}defaultTabStop")
    tab_stop.set(f"{{{W}}}val", "708")
    # Narrow table columns read better hyphenated (as in the PDF); Word uses the French rules.
    hyphenate = parse_xml(f'<w:autoHyphenation xmlns:w="{W}" w:val="true"/>')
    tab_stop.addnext(hyphenate)
    # but never a word in capitals (« EH-PAD », « SES-SAD »); proper names in table cells are
    # in language zxx (render/docx_inline.py): Word has nothing per name
    hyphenate.addnext(parse_xml(f'<w:doNotHyphenateCaps xmlns:w="{W}" w:val="true"/>'))
    for name in ("rsids", "proofState"):
        settings.remove(settings.find(f"{{{W}}}{name}"))


def make_template() -> bytes:
    """Build the template and return its bytes (entries in a fixed order, fixed dates)."""
    document = Document()
    drop_unwanted_parts(document)
    document.part._styles_part._element = parse_xml(STYLES)
    document.part.numbering_part._element = parse_xml(NUMBERING)
    set_settings(document)
    for part in document.part.package.iter_parts():
        if part.partname.endswith("/app.xml"):
            part._blob = APP.encode("utf-8")

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.3)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1)
    section.different_first_page_header_footer = True
    for story, xml in (
        (section.header, HEADER),
        (section.first_page_header, FIRST_HEADER),
        (section.footer, FOOTER),
        (section.first_page_footer, FIRST_FOOTER),
    ):
        story.is_linked_to_previous = False
        story.part._element = parse_xml(xml)
    document.add_paragraph("{{p body }}")
    document.core_properties.title = ""  # docx.py sets the core properties from the data

    raw = io.BytesIO()
    document.save(raw)
    return normalise_zip(raw.getvalue())


def main() -> None:
    """Write the template into the package."""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(make_template())
    print(f"{TARGET} écrit ({TARGET.stat().st_size} octets)")


if __name__ == "__main__":
    main()
