"""What the version annotée and the consolidated versions tell their reader (session 10, left):
a sentence changed in many places replaced whole, a punctuation mark changed shown with its
word, the preamble parts an avenant modified marked in the consolidated contract."""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pdftext import page_texts
from pypdf import PdfReader

from cpomdocs.build.schedule import BuildReport
from cpomdocs.data.consolidate import apply_avenants, consolidate
from cpomdocs.data.load import load_document
from cpomdocs.data.model_acts import Avenant
from cpomdocs.documents.avenant import compose_consolidated
from cpomdocs.documents.blocks import Paragraph, Run
from cpomdocs.documents.consolidated_marks import drafted, modified_by
from cpomdocs.documents.redline import accept_all, redline_runs, reject_all
from cpomdocs.render.docx import render_docx
from cpomdocs.render.pdf import render_pdf
from cpomdocs.versions.diff import word_diff
from cpomdocs.versions.word_groups import grouped_opcodes

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CREATED = "2026-12-03T00:00:00Z"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD_PROJECT = (
    "Réaménagement de l'aile Est (ancien logement de fonction et salles d'activités) afin "
    "d'accueillir 10 places supplémentaires d'hébergement permanent, sous réserve de "
    "l'autorisation d'extension et des financements correspondants."
)
NEW_PROJECT = (
    "Extension de 10 places d'hébergement permanent autorisée par l'arrêté conjoint "
    "n° 2025-4127 du 15 septembre 2025 et installée au 1er janvier 2026 dans l'aile Est "
    "réaménagée."
)


def _changes(runs: list[Run]) -> list[tuple[str, str]]:
    return [(r.change, r.text.strip()) for r in runs if r.change]


def _flat(text: str) -> str:
    """Text read back from a PDF or a DOCX, spaces and apostrophes as typed in the YAML."""
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def test_a_sentence_changed_in_three_places_is_struck_whole_then_inserted_whole() -> None:
    old = [Run("Projets. Réaménagement de l'aile Est afin d'accueillir 10 places. Suite.")]
    new = [Run("Projets. Extension de 10 places dans l'aile Est réaménagée. Suite.")]
    runs = redline_runs(old, new)
    assert _changes(runs) == [
        ("del", "Réaménagement de l'aile Est afin d'accueillir 10 places."),
        ("ins", "Extension de 10 places dans l'aile Est réaménagée."),
    ]
    paragraph = [Paragraph(runs)]
    assert accept_all(paragraph) == new[0].text and reject_all(paragraph) == old[0].text
    # the other sentences of the paragraph keep their words unmarked
    assert "".join(r.text for r in runs if not r.change).strip() == "Projets. Suite."


def test_one_or_two_changes_in_a_sentence_stay_word_by_word() -> None:
    runs = redline_runs(
        [Run("Les montants sont indicatifs : ils évoluent de 1,5 % par an. Suite.")],
        [Run("Les montants sont indicatifs : hors CNR, ils évoluent de 1,5 % par an, sauf X.")],
    )
    assert _changes(runs) == [
        ("ins", "hors CNR,"),
        ("del", "an. Suite."),
        ("ins", "an, sauf X."),
    ]


def test_words_changed_a_space_apart_are_one_change() -> None:
    assert word_diff("arrêté n° 12 du 3 janvier 2017", "arrêté n° 40 du 15 septembre 2025") == [
        ("", "arrêté n° "),
        ("del", "12"),
        ("ins", "40"),
        ("", " du "),
        ("del", "3 janvier 2017"),
        ("ins", "15 septembre 2025"),
    ]


def test_a_punctuation_mark_changed_is_shown_with_the_word_it_ends() -> None:
    # the date is a value bound to the data: a run of its own, its full stop another
    old = [Run("autorisé le 3 janvier "), Run("2017"), Run(". Elle court.")]
    new = [Run("autorisé le 3 janvier "), Run("2017"), Run(", modifié par X. Elle court.")]
    runs = redline_runs(old, new)
    assert _changes(runs) == [("del", "2017."), ("ins", "2017, modifié par X.")]
    assert accept_all([Paragraph(runs)]) == "autorisé le 3 janvier 2017, modifié par X. Elle court."
    # a value changed before its unchanged full stop: the stop is not struck
    runs = redline_runs(
        [Run("est de "), Run("20\u00a0€"), Run(".")], [Run("est de "), Run("21\u00a0€"), Run(".")]
    )
    assert _changes(runs) == [("del", "20\u00a0€"), ("ins", "21\u00a0€")]


def _annotee(built_examples: tuple[Path, BuildReport]) -> tuple[str, bytes]:
    """The text of the version annotée of asba's avenant n° 1 and its DOCX, as built."""
    built = built_examples[0] / ASBA.name / "comparaisons"
    text = " ".join(page_texts(built / "avenant-01.pdf"))
    return _flat(text), (built / "avenant-01.docx").read_bytes()


def _docx_revisions(docx: bytes, start: str) -> list[tuple[str, str]]:
    """The paragraph of the DOCX that begins with `start`, as (revision, text) pieces."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in body.iter(f"{W}p"):
        pieces: list[tuple[str, str]] = []
        for text in paragraph.iter(f"{W}t", f"{W}delText"):
            parent = text.getparent().getparent()
            kind = etree.QName(parent).localname if parent.tag in (f"{W}ins", f"{W}del") else ""
            if pieces and pieces[-1][0] == kind:
                pieces[-1] = (kind, pieces[-1][1] + text.text)
            else:
                pieces.append((kind, text.text or ""))
        if pieces and _flat(pieces[0][1]).startswith(start):
            return [(kind, _flat(text).strip()) for kind, text in pieces]
    raise AssertionError(f"no paragraph « {start} »")


def test_the_annotee_replaces_the_restructuring_sentence_whole_in_the_pdf_and_the_docx(
    built_examples: tuple[Path, BuildReport],
) -> None:
    text, docx = _annotee(built_examples)
    hyphenless = re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)  # words cut at the end of a line
    assert f"Projets de restructuration. {OLD_PROJECT} {NEW_PROJECT}" in hyphenless
    assert _docx_revisions(docx, "Projets de restructuration.") == [
        ("", "Projets de restructuration."),
        ("del", OLD_PROJECT),
        ("ins", NEW_PROJECT),
    ]


def test_the_annotee_strikes_the_date_and_its_stop_then_inserts_them_with_the_comma(
    built_examples: tuple[Path, BuildReport],
) -> None:
    text, docx = _annotee(built_examples)
    assert "du 3 janvier 2017. 2017, modifié par l'arrêté conjoint" in text
    pieces = _docx_revisions(docx, "L'EHPAD Les Vignes")
    assert pieces[1] == ("del", "2017.")
    assert pieces[2][0] == "ins" and pieces[2][1].startswith("2017, modifié par l'arrêté")


NEW_VISA = (
    "l'arrêté conjoint ARS/Département n° 2025-4127 du 15 septembre 2025 portant extension de "
    "l'EHPAD Les Vignes"
)


@pytest.fixture(scope="module")
def second_avenant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """asba copied into a tmp folder with a signed avenant n° 2 that changes the ARS's
    representative, adds a visa and rewrites the préambule, and nothing else."""
    folder = tmp_path_factory.mktemp("consol13") / ASBA.name
    shutil.copytree(ASBA, folder, ignore=shutil.ignore_patterns("comptes-rendus"))
    data = load_document(folder / "cpom.yaml").data
    avenant = {
        "numero": 2,
        "objet": "changement de directrice générale de l'ARS et nouveau visa",
        "statut": "signé",
        "dates": {"signature": "2026-06-15", "effet": "2026-07-01"},
        "signature": {"lieu": "Lyon"},
        "motifs": "Nomination d'une nouvelle directrice générale de l'ARS.",
        "modifications": {
            "autorites": {"ars": {"representant": {"nom": "Claire Dumont-Ribeiro"}}},
            "visas": [*data["visas"], NEW_VISA],
            "preambule": data["preambule"] + "\nL'avenant n° 2 précise les représentants.\n",
        },
    }
    text = yaml.safe_dump(avenant, allow_unicode=True, sort_keys=False)
    (folder / "avenants" / "02-representant-ars.yaml").write_text(text, encoding="utf-8")
    return folder


def _avenants(folder: Path) -> list[Avenant]:
    files = sorted((folder / "avenants").glob("*.yaml"))
    return [Avenant.model_validate(load_document(p).data) for p in files]


def test_the_consolidated_contract_marks_the_parties_visas_and_preamble_an_avenant_changed(
    second_avenant: Path,
) -> None:
    folder = second_avenant
    state = consolidate(load_document(folder / "cpom.yaml").data, _avenants(folder))
    document = compose_consolidated(state, contract_id=folder.name, created=CREATED)
    pdf = render_pdf(document)
    text = _flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    second = "l'avenant n° 2 du 15 juin 2026 (effet au 1er juillet 2026)"
    assert f"Désignation des parties Désignation des parties modifiée par {second} Entre," in text
    assert f"Visas et références juridiques Visas modifiés par {second} Vu le code" in text
    assert f"Préambule Préambule modifié par {second} Le présent contrat" in text
    assert "Claire Dumont-Ribeiro" in text and NEW_VISA in text
    # the articles keep the marks of avenant n° 1 only: avenant n° 2 changed none of them
    first = "l'avenant n° 1 du 20 novembre 2025 (effet au 1er janvier 2026)"
    assert text.count("Article modifié par") == 2
    assert text.count(f"Article modifié par {first}") == 2
    # the same notes in the DOCX, under the same headings
    with zipfile.ZipFile(io.BytesIO(render_docx(document))) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = [_flat("".join(t.text or "" for t in p.iter(f"{W}t"))) for p in body.iter(f"{W}p")]
    heading = "Visas et références juridiques"  # the last one: not the table of contents
    index = max(i for i, p in enumerate(paragraphs) if p == heading)
    assert paragraphs[index + 1] == f"Visas modifiés par {second}"


def test_the_preamble_marks_are_the_parts_the_avenant_s_own_articles_modify(
    second_avenant: Path,
) -> None:
    folder = second_avenant
    state = consolidate(load_document(folder / "cpom.yaml").data, _avenants(folder))
    options = {"contract_id": folder.name, "created": CREATED, "templates": None}
    before = apply_avenants(state.base, [state.applied[0].modifications])
    after = apply_avenants(before, [state.applied[1].modifications])
    articles, _, _ = drafted(before, after, "avenant n° 2", **options)
    told = [a["part"] for a in articles]
    assert told == ["parties", "visas", "preambule"]  # « Les visas du contrat sont modifiés … »
    found = modified_by(state, False, **options)
    assert {k: [a.numero for a in v] for k, v in found.items() if isinstance(k, str)} == {
        "parties": [2],
        "visas": [2],
        "preambule": [2],
    }


def test_random_texts_in_random_runs_accept_to_new_and_reject_to_old() -> None:
    """Sentences, groups, marks glued across runs: the opcodes cover both texts in order,
    and accepting (rejecting) every change gives the new (old) words."""
    words = ["a", "b", "c.", "(x", "y)", "2017", ".", ",", ";", "de", "l'aile", "Est.", "\u00a0:"]
    rnd = random.Random(7)

    def text() -> str:
        return " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 25)))

    def runs(value: str) -> list[Run]:
        cuts = sorted(rnd.sample(range(len(value) + 1), min(3, len(value) + 1)))
        bounds = zip([0, *cuts], [*cuts, len(value)], strict=True)
        return [Run(value[x:y]) for x, y in bounds if value[x:y]]

    for _ in range(1500):
        old, new = text(), text()
        a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
        at = (0, 0)
        for op, i1, i2, j1, j2 in grouped_opcodes(a, b):
            assert (i1, j1) == at and (op != "equal" or a[i1:i2] == b[j1:j2]), (old, new)
            at = (i2, j2)
        assert at == (len(a), len(b))
        marked = [Paragraph(redline_runs(runs(old), runs(new)))]
        assert accept_all(marked).split() == new.split(), (old, new)
        assert reject_all(marked).split() == old.split(), (old, new)
