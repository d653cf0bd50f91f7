"""The documents of a contract's life: consolidated versions, and the avenant's own document."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.build.schedule import build_portfolio as build
from cpomdocs.data.signoff import sign_off
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.blocks import Section
from cpomdocs.documents.redline import accept_all

FIXTURE = Path(__file__).parent / "fixtures" / "versions"
AS_OF = dt.date(2026, 6, 30)
DOCUMENT_DAY = 1788220800  # 1 September 2026: the avenant (1 July 2026) is in force
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REDLINE_FORFAIT = "1 156 500 € 1 181 500 €"  # the old value above the new one


def plain(text: str) -> str:
    """One line, Babel's and the writers' no-break spaces as ordinary ones, ’ as '."""
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vie-du-contrat")
    shutil.copytree(FIXTURE, root / "ehpad-les-cedres")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(DOCUMENT_DAY))  # the documents' date
        report = build([root / "ehpad-les-cedres"], root / "build", as_of=AS_OF)
    assert report.failed == [], report.failures
    return root / "build" / "ehpad-les-cedres"


def pdf_text(path: Path) -> str:
    """The text of a PDF, words cut at line ends (hyphenation, references) joined again."""
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    text = " ".join(page.extract_text() for page in pages)
    return plain(text.replace("\u2010\n", "").replace("-\n", "-"))


def test_build_yields_consolidated_versions_and_the_avenant(built: Path) -> None:
    mine = ("contrat", "annexes", "avenant")  # other documents (comptes-rendus…) come besides
    names = sorted(p.name for p in built.iterdir() if p.name.startswith(mine))
    assert names == [
        "annexes-au-2026-06-30.docx",
        "annexes-au-2026-06-30.pdf",
        "annexes-consolidees.docx",
        "annexes-consolidees.pdf",
        "annexes.docx",
        "annexes.pdf",
        "avenant-01.docx",
        "avenant-01.pdf",
        "contrat-au-2026-06-30.docx",
        "contrat-au-2026-06-30.pdf",
        "contrat-consolide.docx",
        "contrat-consolide.pdf",
        "contrat.docx",
        "contrat.pdf",
    ]


def test_consolidated_contract_is_titled_and_holds_the_avenant(built: Path) -> None:
    text = pdf_text(built / "contrat-consolide.pdf")
    assert "Version consolidée au 1er septembre 2026, intégrant l'avenant n° 1" in text
    annexes = pdf_text(built / "annexes-consolidees.pdf")
    assert "1 181 500 €" in annexes and "1 156 500 €" not in annexes


def test_as_of_gives_the_contract_before_the_avenant(built: Path) -> None:
    text = pdf_text(built / "contrat-au-2026-06-30.pdf")
    # No « intégrant l'avenant » (« partie intégrante » is the annexes' opposability clause).
    assert "Version consolidée au 30 juin 2026" in text and "intégrant l'avenant" not in text
    annexes = pdf_text(built / "annexes-au-2026-06-30.pdf")
    assert "1 156 500 €" in annexes and "1 181 500 €" not in annexes


AVENANT_SENTENCES = [
    "Avenant n° 1",
    "au contrat pluriannuel d'objectifs et de moyens CPOM-ARS-OCC-34-2025-041 conclu le "
    "14 mars 2025",
    "Vu le contrat pluriannuel d'objectifs et de moyens CPOM-ARS-OCC-34-2025-041 conclu le "
    "14 mars 2025, ayant pris effet le 1er janvier 2025 ; Exposé des motifs",
    "Le dialogue de gestion à mi-parcours a constaté une demande d'hébergement temporaire",
    "Article 1er – Modification de l'article 1er du contrat",
    "Vu le code de l'action sociale et des familles, notamment son article L.313-12 IV ter ;",
    "Vu l'arrêté conjoint ARS/CD n° 2026-0311 du 10 mai 2026 portant autorisation de l'EHPAD "
    "Les Cèdres (extension de l'hébergement temporaire) ;",
    # each change named by where the contract prints it, never by a field name
    "L'article 1er « L'identification du gestionnaire et périmètre du contrat » est ainsi "
    "modifié : 1° Au tableau du périmètre du contrat, à la ligne relative à l'EHPAD Les "
    "Cèdres, le nombre de places autorisées : « 82 » est remplacé par le nombre : « 84 » ;",
    "2° À l'alinéa présentant l'EHPAD Les Cèdres, les mots : « arrêté conjoint ARS/CD "
    "n° 2017-0042 du 3 janvier 2017 » sont remplacés par les mots : « arrêté conjoint ARS/CD "
    "n° 2026-0311 du 10 mai 2026 (extension de l'hébergement temporaire) ».",
    "Article 2 – Modification de l'article 4 du contrat",
    "1° Au tableau « Activité et capacités », à la ligne relative à l'hébergement temporaire "
    "de l'EHPAD Les Cèdres, le nombre de places autorisées : « 4 » est remplacé par le "
    "nombre : « 6 » et le nombre de places installées : « 4 » est remplacé par le nombre : "
    "« 6 » ;",
    "2° Dans la partie « Financement » : a) le tableau est remplacé par le tableau suivant :",
    "ARS Occitanie 1 120 400 € 1 163 300 € 1 181 500 € 1 200 000 € 1 218 800 € 5 884 000 €",
    "b) à la deuxième phrase de l'alinéa qui suit ce tableau, le montant : « 7 935 000 € » est "
    "remplacé par le montant : « 8 010 000 € ».",
    "L'annexe 1 « Fiche signalétique du gestionnaire et des établissements et services » est "
    "remplacée par l'annexe jointe au présent avenant.",
    "L'annexe 4 « Tableau des indicateurs et de leurs cibles annuelles » est remplacée par "
    "l'annexe jointe au présent avenant.",
    "L'annexe 5 « Annexe financière » est remplacée par l'annexe jointe au présent avenant.",
    "L'annexe 8 « Habilitation à l'aide sociale » est remplacée par l'annexe jointe au présent "
    "avenant.",
    "Article 8 – Date d'effet",
    "Le présent avenant prend effet le 1er juillet 2026.",
    "Article 9 – Autres stipulations",
    "Les autres stipulations du contrat demeurent inchangées.",
    "Fait à Montpellier, le 12 juin 2026",
    "Annexe 5 – Annexe financière",
]


def test_avenant_pdf_speaks_the_domain(built: Path) -> None:
    text = pdf_text(built / "avenant-01.pdf")
    missing = [sentence for sentence in AVENANT_SENTENCES if sentence not in text]
    assert missing == []
    assert text.index("Article 8 – Date d'effet") < text.index("Annexe 5 – Annexe financière")
    articles = text[text.index("Il a été convenu") : text.index("Fait à Montpellier")]
    for change_log in ("mention", "À la fiche", "cible pour", "En conséquence"):
        assert change_log not in articles, change_log


def test_avenant_docx_says_the_same(built: Path) -> None:
    document = docx.Document(str(built / "avenant-01.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = plain(" ".join(paragraphs + cells))
    missing = [sentence for sentence in AVENANT_SENTENCES if sentence not in text]
    assert missing == []
    articles = text[text.index("Il a été convenu") : text.index("Fait à Montpellier")]
    for change_log in ("mention", "À la fiche", "cible pour", "En conséquence"):
        assert change_log not in articles, change_log


def _docx_changes(path: Path) -> tuple[str, str]:
    """The text a DOCX's tracked changes delete, and the text they insert."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    deleted = "".join(t.text or "" for t in body.iter(f"{W}delText"))
    inserted = "".join(t.text or "" for i in body.iter(f"{W}ins") for t in i.iter(f"{W}t"))
    return plain(deleted), plain(inserted)


def test_each_avenant_has_its_redline_in_pdf_and_in_tracked_changes(built: Path) -> None:
    text = pdf_text(built / "comparaisons" / "avenant-01.pdf")
    assert "version annotée : avant l'avenant n° 1 → après l'avenant n° 1" in text
    assert REDLINE_FORFAIT in text  # the 2027 forfait: the old amount struck, the new inserted
    deleted, inserted = _docx_changes(built / "comparaisons" / "avenant-01.docx")
    assert "1 156 500 €" in deleted and "1 181 500 €" in inserted
    assert "1 156 500 €" not in inserted and "1 181 500 €" not in deleted


def test_a_prorogation_avenant_modifies_the_duration_article_and_cites_the_first(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ehpad"
    shutil.copytree(FIXTURE, folder)
    (folder / "avenants" / "02-prorogation.yaml").write_text(
        """numero: 2
objet: prorogation d'un an
statut: projet
dates:
  effet: 2029-12-31
motifs: Le bilan final est reporté d'un an.
modifications:
  dates: {fin: 2030-12-31}
  prorogations:
    - {duree_mois: 12, decision: 2029-06-15, motif: report du bilan final}
""",
        encoding="utf-8",
    )
    checked = check_folder(folder)
    assert checked.all_problems == []
    avenants = [c.model for c in checked.avenants]
    document = compose_avenant(
        checked.contract.document.data, avenants, 2, contract_id="x", created="2029-06-15T00:00:00Z"
    )
    text = plain(accept_all(document.blocks))
    assert (
        "Vu l'avenant n° 1 conclu le 12 juin 2026, relatif à : extension de l'hébergement" in text
    )
    assert (
        "L'article 9 « La date d'entrée en vigueur du CPOM et la durée du CPOM » est ainsi "
        "modifié : 1° Au premier alinéa, la date : « 31 décembre 2029 » est remplacée par la "
        "date : « 31 décembre 2030 » ; 2° Au deuxième alinéa, la date : « 30 juin 2029 » est "
        "remplacée par la date : « 30 juin 2030 » ; 3° Il est ajouté un alinéa ainsi rédigé : "
        "« Par décision du 15 juin 2029, le contrat est prorogé de 12 mois (report du bilan "
        "final). »"
    ) in text
    assert (
        "L'annexe 6 « Calendrier des évaluations et des dialogues de gestion » est remplacée"
        in text
    )
    assert document.meta.watermark == "PROJET – avenant n° 2"


LATER_AVENANT = """numero: 2
objet: habilitation à l'aide sociale de deux places supplémentaires
statut: signé
dates: {signature: 2026-08-01, effet: 2029-01-01}
signature: {lieu: Montpellier}
motifs: Habilitation de deux places.
modifications:
  etablissements:
    "340005131": {places_habilitees: 86}
"""


def _cover(document) -> str:
    cover = next(b for b in document.blocks if isinstance(b, Section) and b.role == "cover")
    return plain(accept_all(cover.children))


def test_the_consolidated_version_is_the_contract_in_force_on_its_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ehpad"
    shutil.copytree(FIXTURE, folder)
    later = folder / "avenants" / "02-habilitation.yaml"
    later.write_text(LATER_AVENANT, encoding="utf-8")
    sign_off(later, dt.date(2026, 8, 1))  # a signed file carries its fingerprint
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DOCUMENT_DAY))
    assert check_folder(folder).all_problems == []
    planned = {p.name: p for p in planned_documents(contract_input(folder, None, None, "t"))}
    assert planned["annexes-consolidees"].label == "annexes consolidées"
    document = planned["contrat-consolide"].compose()
    cover = _cover(document)
    assert "Version consolidée au 1er septembre 2026, intégrant l'avenant n° 1" in cover
    assert (
        "L'avenant n° 2, signé le 1er août 2026, prendra effet le 1er janvier 2029 : il n'est "
        "pas intégré à la présente version." in cover
    )
    annexes = plain(accept_all(planned["annexes-consolidees"].compose().blocks))
    assert "oui, 84 places habilitées" in annexes  # avenant 1 applied, not avenant 2


def test_a_signature_date_to_come_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ehpad"
    shutil.copytree(FIXTURE, folder)
    text = LATER_AVENANT.replace("signature: 2026-08-01", "signature: 2026-12-01")
    later = folder / "avenants" / "02-habilitation.yaml"
    later.write_text(text, encoding="utf-8")
    sign_off(later, dt.date(2026, 8, 1))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(DOCUMENT_DAY))
    problems = check_folder(folder).all_problems
    assert [(p.line, p.field, p.message, p.severity.value) for p in problems] == [
        (
            4,
            "dates.signature",
            "avenant signé le 1er décembre 2026, date encore à venir (nous sommes le 1er "
            "septembre 2026) : vérifiez la date de signature",
            "avertissement",
        )
    ]


def test_a_point_that_announces_its_items_stays_with_them(built: Path) -> None:
    """« 2° Dans la partie « Financement » : » is kept on the page of its « a) » (keepNext in
    the DOCX, break-after: avoid in the PDF): no page ends on a line that announces a list."""
    document = docx.Document(str(built / "avenant-01.docx"))
    texts = [p for p in document.paragraphs if plain(p.text).startswith("2° Dans la partie")]
    assert texts and all(p.paragraph_format.keep_with_next for p in texts)
    pages = PdfReader(io.BytesIO((built / "avenant-01.pdf").read_bytes())).pages
    for page in pages:
        lines = [plain(line) for line in page.extract_text().splitlines() if plain(line)]
        body = [line for line in lines if not line.startswith(("CPOM-", "Page "))]
        assert not (body and body[-1].endswith(" :") and "ainsi modifié" in body[-1]), body[-1]
