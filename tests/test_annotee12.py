"""What the consolidated versions and the version annotée tell their reader (review11, left):
which articles and annexes an avenant changed, what the annotated version is and what its marks
mean, a parenthesised group redlined whole, the signatures without a forced page break."""

from __future__ import annotations

import re
from pathlib import Path

from pdftext import page_texts

from cpomdocs.build.schedule import BuildReport
from cpomdocs.data.consolidate import consolidate
from cpomdocs.data.load import load_document
from cpomdocs.data.model_acts import Avenant
from cpomdocs.documents.avenant import compose_consolidated
from cpomdocs.documents.blocks import Run
from cpomdocs.documents.redline import redline_runs
from cpomdocs.render.pdf import render_pdf
from cpomdocs.versions.diff import word_diff

EXAMPLES = Path(__file__).parents[1] / "contracts"
ASBA = EXAMPLES / "asba-beaujolais-2024"
CREATED = "2026-12-03T00:00:00Z"
AVENANT_1 = "l’avenant n° 1 du 20 novembre 2025"


def _pages(pdf: Path | bytes) -> list[str]:
    return [re.sub(r"\s+", " ", t.replace("'", "’")) for t in page_texts(pdf)]


def _avenants() -> list[Avenant]:
    return [
        Avenant.model_validate(load_document(p).data)
        for p in sorted((ASBA / "avenants").glob("*.yaml"))
    ]


def test_the_consolidated_contract_marks_the_articles_the_avenant_modified() -> None:
    # composed here, not read from the build: the build's consolidated contract is the one in
    # force on its sources' date (« Version consolidée au <that date> »), not the one of the
    # cover this test reads (« au 1er janvier 2026 », the avenant's effect)
    state = consolidate(load_document(ASBA / "cpom.yaml").data, _avenants())
    document = compose_consolidated(state, contract_id="asba-beaujolais-2024", created=CREATED)
    pages = _pages(render_pdf(document))
    text = " ".join(pages)
    note = f"Article modifié par {AVENANT_1} (effet au 1er janvier 2026)"
    # the avenant modifies article 1er and article 4, and those only
    assert f"Article 1er – L’identification du gestionnaire et périmètre du contrat {note}" in text
    assert f"Article 4 – Moyens dédiés à la réalisation du contrat {note}" in text
    assert text.count("Article modifié par") == 2
    cover = pages[0]
    assert f"Version consolidée au 1er janvier 2026, intégrant {AVENANT_1}" in cover


def test_the_consolidated_annexes_mark_the_annexes_the_avenant_replaced(
    built_examples: tuple[Path, BuildReport],
) -> None:
    # the build's annexes consolidées: the state after avenant n° 1, dated by the sources
    text = " ".join(_pages(built_examples[0] / ASBA.name / "annexes-consolidees.pdf"))
    note = f"Annexe remplacée par l’annexe jointe à {AVENANT_1} (effet au 1er janvier 2026)"
    replaced = re.findall(r"Annexe (\d+) – [^–]*?" + re.escape(note), text)
    assert replaced == ["1", "4", "5", "8"]  # as the avenant's articles 3 to 6 say


def _annotee(built_examples: tuple[Path, BuildReport]) -> list[str]:
    """The pages of the version annotée of asba's avenant n° 1, as the build made it."""
    return _pages(built_examples[0] / ASBA.name / "comparaisons" / "avenant-01.pdf")


def test_the_version_annotee_cover_says_what_it_is_and_what_the_marks_mean(
    built_examples: tuple[Path, BuildReport],
) -> None:
    cover = _annotee(built_examples)[0]
    assert "Version annotée : contrat initial et avenant n° 1" in cover
    assert "Document de travail sans valeur contractuelle" in cover
    assert (
        "Légende : le texte inséré est souligné en vert, le texte supprimé est barré en rouge. "
        "Dans la version Word, ces marques sont des modifications suivies (révisions)."
    ) in cover
    assert cover.index("Version annotée") < cover.index("Contrat pluriannuel")


def test_a_parenthesis_changed_in_several_places_is_struck_whole_then_inserted(
    built_examples: tuple[Path, BuildReport],
) -> None:
    text = " ".join(_annotee(built_examples))
    assert (
        "Hébergement permanent (80 places) (90 places, dont 10 dans l’aile Est réaménagée)" in text
    )
    runs = redline_runs(
        [Run("permanent (80 places) et")], [Run("permanent (90 places, dont 10) et")]
    )
    assert [(r.change, r.text.strip()) for r in runs if r.change] == [
        ("del", "(80 places)"),
        ("ins", "(90 places, dont 10)"),
    ]
    # one value changed in a parenthesis stays a word-level change
    runs = redline_runs([Run("pour (80 places) et")], [Run("pour (90 places) et")])
    assert [(r.change, r.text.strip()) for r in runs if r.change] == [
        ("del", "(80"),
        ("ins", "(90"),
    ]
    assert word_diff("x (80 places) y", "x (90 places, dont 10) y") == [
        ("", "x "),
        ("del", "(80 places)"),
        ("ins", "(90 places, dont 10)"),
        ("", " y"),
    ]


def test_the_signatures_follow_the_last_article_without_a_forced_page_break(
    built_examples: tuple[Path, BuildReport],
) -> None:
    built = built_examples[0] / "fondation-val-d-ouche-2027"
    pages = _pages(built / "contrat.pdf")
    page = next(p for p in pages if " Signatures Fait à " in p)
    before = page[: page.index(" Signatures Fait à ")]
    assert "Il peut être prorogé" in before  # the end of the last article, on the same page
    # the signatures, all of them, then the list of annexes kept whole (on this page if it
    # fits, else the next one: fondation's does not)
    after = " ".join(pages[pages.index(page) :])
    listed = after[after.index("Liste des annexes") :]
    assert "Annexe 1 :" in listed and "Annexe 8 : Habilitation" in listed
    assert "Liste des annexes" in page or "Liste des annexes" in pages[pages.index(page) + 1]
    docx = (built / "contrat.docx").read_bytes()
    assert docx[:2] == b"PK"


def test_the_marks_are_the_avenants_own_articles_and_annexes() -> None:
    """modified_by composes only what tells the marks: the same as the avenant's own articles
    (drafted) on every example with an avenant in force."""
    from cpomdocs.data.consolidate import apply_avenants
    from cpomdocs.documents.consolidated_marks import drafted, modified_by

    checked = 0
    for folder in sorted(EXAMPLES.iterdir()):
        files = sorted((folder / "avenants").glob("*.yaml"))
        avenants = [Avenant.model_validate(load_document(p).data) for p in files]
        state = consolidate(load_document(folder / "cpom.yaml").data, avenants)
        options = {"contract_id": folder.name, "created": CREATED, "templates": None}
        expected: dict[bool, dict[int, list[int]]] = {False: {}, True: {}}
        before = apply_avenants(state.base, [])
        for avenant in state.applied:
            after = apply_avenants(before, [avenant.modifications])
            articles, replaced, _ = drafted(before, after, "avenant", **options)
            for key in [a["part"] for a in articles if isinstance(a["part"], int)]:
                expected[False].setdefault(key, []).append(avenant.numero)
            for key, _name in replaced:
                expected[True].setdefault(key, []).append(avenant.numero)
            before = after
        for annexes in (False, True):
            found = modified_by(state, annexes, **options)
            assert {k: [a.numero for a in v] for k, v in found.items()} == expected[annexes]
            checked += bool(found)
    assert checked >= 3  # asba's articles and annexes, chrs's at least
