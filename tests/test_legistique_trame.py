"""An avenant on a contract composed from an ARS's own trame (templates/ override): the tables it
amends are named as that trame prints them, by their rank in the article when the trame gives
them no sub-heading, never by an empty heading (« Au tableau « » »)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_legistique
from test_legistique import articles, avenant_text

from cpomdocs.documents import compose
from cpomdocs.errors import RenderError

example = test_legistique.example  # the example contract and its avenant (fixture)
DEFAULT = Path(compose.__file__).parent.parent / "templates" / "contrat.md.j2"
HEADINGS = (
    "### Activité et capacités\n",
    "### Dépendance et besoins en soins des résidents\n",
    "### Financement\n",
)
ARTICLE_4 = re.compile(r"(## Article 4 – [^\n]*\n).*?(?=# Titre 2)", re.S)
CAPACITIES = re.compile(
    r"\| Établissement ou service \| Mode d'accueil .*?{% endfor %}\n{% endfor %}\n", re.S
)


def write_trame(folder: Path, text: str) -> Path:
    """The trame in `folder` (a templates/ override holding only contrat.md.j2)."""
    folder.mkdir(exist_ok=True)
    (folder / "contrat.md.j2").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def no_headings(tmp_path: Path) -> Path:
    """A trame whose article 4 prints its four tables under no sub-heading."""
    text = DEFAULT.read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert heading in text, heading
        text = text.replace(heading, "")
    return write_trame(tmp_path / "trame", text)


@pytest.fixture
def one_table(tmp_path: Path) -> Path:
    """A trame whose article 4 is the table of capacities alone, with no sub-heading."""
    text = DEFAULT.read_text(encoding="utf-8")
    table = CAPACITIES.search(text)
    assert table and ARTICLE_4.search(text)
    text = ARTICLE_4.sub(lambda m: m.group(1) + "\n" + table.group(0) + "\n", text)
    return write_trame(tmp_path / "trame", text)


def test_a_table_under_no_sub_heading_is_named_by_its_rank_in_the_article(
    example, no_headings: Path
) -> None:
    changes = {"etablissements": {"690794219": {"capacites": {"pasa": {"autorisees": 16}}}}}
    told = articles(avenant_text(example, changes, no_headings))
    assert (
        "L'article 4 « Moyens dédiés à la réalisation du contrat » est ainsi modifié : Au premier "
        "tableau de l'article 4, à la ligne relative au PASA de l'EHPAD Les Vignes, le nombre de "
        "places autorisées : « 14 » est remplacé par le nombre : « 16 »." in told
    )
    assert "« »" not in told


def test_an_essms_leaving_is_told_in_each_table_by_its_rank(example, no_headings: Path) -> None:
    changes = {
        "etablissements": {"690794326": None},
        "financement": {"lignes": {"690794326": None}},
    }
    told = articles(avenant_text(example, changes, no_headings))
    for expected in (
        "1° Au premier tableau de l'article 4, les lignes relatives à l'EHPAD Le Clos des Saules "
        "sont supprimées ;",
        "2° Au deuxième tableau de l'article 4, la ligne relative à l'EHPAD Le Clos des Saules "
        "est supprimée ;",
        "3° Au troisième tableau de l'article 4, la ligne relative à l'EHPAD Le Clos des Saules "
        "est supprimée ;",
        "4° Le quatrième tableau de l'article 4 est remplacé par le tableau suivant : Financeur",
        "6° À la deuxième phrase de l'alinéa qui suit le quatrième tableau de l'article 4, le "
        "montant : « 21 016 700 € » est remplacé par le montant : « 14 918 700 € ».",
        "2° Au tableau du périmètre du contrat, la ligne relative à l'EHPAD Le Clos des Saules "
        "est supprimée ;",  # its heading kept: named as the signed examples name it
    ):
        assert expected in told, expected
    assert "« »" not in told and "Dans la partie" not in told.split("Article 2 –")[1]


def test_the_only_table_of_an_article_is_the_table_of_that_article(
    example, one_table: Path
) -> None:
    changes = {
        "etablissements": {"690794219": {"capacites": {"pasa": {"autorisees": 16}}}},
        "financement": {"lignes": {"690794326": None}},  # article 4 prints no financing here
    }
    told = articles(avenant_text(example, changes, one_table))
    assert (
        "Au tableau de l'article 4, à la ligne relative au PASA de l'EHPAD Les Vignes, le nombre "
        "de places autorisées : « 14 » est remplacé par le nombre : « 16 »." in told
    )
    assert "« »" not in told and "Financeur" not in told


def trame_with(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The default trame with some of its sentences worded otherwise."""
    text = DEFAULT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return write_trame(tmp_path / "trame", text)


COVERS = "couvre {{ essms_counted(c) }}"  # contrat.md.j2's count of ESSMS, as the trame words it
# The count as the default trame worded it before session 17, which a trame may still print.
COUNTED_BEFORE = (
    'couvre {{ c.etablissements|length|counted("établissement ou service", '
    '"établissements et services") }}'
)
COUNT = (
    f"Le présent contrat {COVERS} {{{{ manager.du }}}}, sur le territoire suivant : "
    '{{ c.territoire|at("territoire") }}.\n\n'
)
PERIMETER = (
    "### Périmètre du CPOM et présentation des établissements et services couverts par le CPOM\n\n"
)
LEAVES = {"etablissements": {"690794540": None}, "financement": {"lignes": {"690794540": None}}}


def test_the_count_of_essms_is_told_where_the_trame_prints_it(example, tmp_path: Path) -> None:
    moved = trame_with(tmp_path, (COUNT, ""), (PERIMETER, PERIMETER + COUNT))
    told = articles(avenant_text(example, LEAVES, moved))
    assert (
        "1° Dans la partie « Périmètre du CPOM et présentation des établissements et services "
        "couverts par le CPOM », les mots : « quatre établissements et services » sont "
        "remplacés par les mots : « trois établissements et services » ;" in told
    )
    assert "Présentation du gestionnaire" not in told


def test_a_count_the_trame_words_otherwise_is_refused_not_misquoted(
    example, tmp_path: Path
) -> None:
    other = trame_with(
        tmp_path,
        (COVERS, "couvre {{ c.etablissements|length }} structures"),
    )
    with pytest.raises(RenderError) as refused:
        avenant_text(example, LEAVES, other)
    assert str(refused.value) == (
        "avenant n° 2 : le modèle du contrat n'imprime pas le nombre d'établissements et services "
        "comme l'avenant le cite (« quatre établissements et services », puis « trois "
        "établissements et services », au même endroit de l'article 1er) : l'avenant ne peut pas "
        "le citer sans risque d'erreur ; gardez dans la trame la phrase du modèle par défaut"
    )


def test_a_duration_the_trame_words_otherwise_is_replaced_in_its_words(
    example, tmp_path: Path
) -> None:
    other = trame_with(
        tmp_path,
        ('pour une durée de {{ c.duree_mois|at("duree_mois") }} mois', "pour cinq ans"),
    )
    changes = {"dates": {"fin": "2028-06-30"}, "duree_mois": 54}
    told = articles(avenant_text(example, changes, other))
    assert (
        "1° Le premier alinéa est remplacé par l'alinéa suivant : « Le présent contrat prend "
        "effet le 1er janvier 2024 pour cinq ans, soit jusqu'au 30 juin 2028. » ; 2° Le deuxième "
        "alinéa est remplacé par l'alinéa suivant : « Il peut être prorogé pour une durée d'un "
        "an au plus. La partie qui souhaite sa prorogation la demande par notification aux "
        "autres parties au plus tard six mois avant son terme, soit au plus tard le 30 décembre "
        "2027. À défaut" in told
    )
    assert "60 mois" not in told and "54 mois" not in told  # words the trame does not print
    default = articles(avenant_text(example, changes))  # the default trame: words replaced
    assert (
        "1° Au premier alinéa : a) les mots : « 60 mois » sont remplacés par les mots : "
        "« 54 mois » ; b) la date : « 31 décembre 2028 » est remplacée par la date : « 30 juin "
        "2028 » ; 2° Au deuxième alinéa, la date : « 30 juin 2028 » est remplacée par la date : "
        "« 30 décembre 2027 »." in default
    )


COMITE = {"suivi": {"comite": {"ars": [{"qualite": "directeur de la délégation du Rhône"}]}}}


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        (
            "### Les membres du comité\n",
            "Dans la partie « Les membres du comité », l'alinéa relatif à l'Agence régionale de "
            "santé Auvergne-Rhône-Alpes est remplacé par l'alinéa suivant :",
        ),
        (
            "",
            "L'article 5 « Le suivi et l'évaluation du contrat » est ainsi modifié : L'alinéa "
            "relatif à l'Agence régionale de santé Auvergne-Rhône-Alpes est remplacé par "
            "l'alinéa suivant :",
        ),
    ],
)
def test_the_comite_is_designated_under_the_heading_the_trame_prints(
    example, tmp_path: Path, heading: str, expected: str
) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    assert "### La composition du comité de suivi\n" in text
    trame = write_trame(
        tmp_path / "trame", text.replace("### La composition du comité de suivi\n", heading)
    )
    told = articles(avenant_text(example, COMITE, trame))
    assert expected in told
    assert "La composition du comité de suivi" not in told


def _investments_up(example) -> dict:
    """An avenant raising the first investment of the plan by 10 000 €."""
    plan = [dict(item) for item in example[0]["financement"]["investissements"]]
    plan[0]["montant"] += 10000
    return {"financement": {"investissements": plan}}


def test_the_investment_total_is_designated_where_the_trame_prints_it(
    example, tmp_path: Path
) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    assert "### Investissements\n" in text
    renamed = write_trame(tmp_path / "a", text.replace("### Investissements\n", "### Plan\n"))
    told = articles(avenant_text(example, _investments_up(example), renamed))
    assert (
        "Dans la partie « Plan », le montant : « 3 201 000 € » est remplacé par le montant : "
        "« 3 211 000 € »." in told
    )
    assert "Investissements" not in told
    total = re.compile(r"Le plan d'investissement prévisionnel du contrat s'élève à [^\n]*\n")
    assert total.search(text)
    silent = write_trame(tmp_path / "b", total.sub("", text))  # the total in annex 5 only
    told = articles(avenant_text(example, _investments_up(example), silent))
    assert "3 211 000" not in told and "Remplacement de l'annexe 5" in told


def renumbered(*more: tuple[str, str]) -> str:
    """The default trame with one article more before article 4 (its numbers from 5 on), and
    `more` replacements of its own."""
    text = DEFAULT.read_text(encoding="utf-8")
    for old, new in (
        ("{% set art = namespace(n=4) %}", "{% set art = namespace(n=5) %}"),
        ("## Article 4 – Moyens", "## Article 5 – Moyens"),
        *more,
    ):
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def one_more_article(tmp_path: Path) -> Path:
    """A trame with an article of its own before the objectives: every later number + 1."""
    text = renumbered(
        (
            "## Article 3 – Objectifs",
            "## Article 3 – Les engagements\n\nTexte.\n\n## Article 4 – Objectifs",
        ),
    )
    return write_trame(tmp_path / "trame", text)


def test_articles_are_cited_by_the_numbers_the_trame_gives_them(example, one_more_article) -> None:
    """A trame with ten articles: each cited by its own number and title (was: a crash on
    article 10, the clause cited as article 6 and objectives as article 3)."""
    changes = {
        "objectifs": {"O2": {"titre": "Prévenir les chutes"}},
        "clauses": {"litiges": "Les litiges sont portés devant le tribunal administratif de Lyon."},
        "prorogations": [{"decision": "2026-11-02", "duree_mois": 12}],
    }
    told = articles(avenant_text(example, changes, one_more_article))
    for expected in (
        "Modification de l'article 4 du contrat L'article 4 « Objectifs stratégiques",
        "Modification de l'article 7 du contrat L'article 7 « Le traitement des litiges »",
        "Modification de l'article 10 du contrat L'article 10 « La date d'entrée en vigueur",
        "Les stipulations de l'article sont remplacées par les stipulations suivantes : « Les "
        "litiges sont portés devant le tribunal administratif de Lyon. »",
    ):
        assert expected in told, expected
    assert "article 3" not in told and "article 9" not in told


def test_the_presentation_of_an_essms_is_cited_in_the_article_the_trame_prints_it(
    example, tmp_path: Path
) -> None:
    text = renumbered(
        ("## Article 3 – Objectifs", "## Article 4 – Objectifs"),
        ("## Article 2 – Diagnostic", "## Article 3 – Diagnostic"),
        (
            "## Article 1er – L'identification",
            "## Article 1er – Objet\n\nTexte.\n\n## Article 2 – L'identification",
        ),
    )
    trame = write_trame(tmp_path / "trame", text)
    changes = {"etablissements": {"690794219": {"autorisation": {"date": "2025-09-16"}}}}
    told = articles(avenant_text(example, changes, trame))
    assert (
        "Modification de l'article 2 du contrat L'article 2 « L'identification du gestionnaire "
        "et périmètre du contrat » est ainsi modifié : À l'alinéa présentant l'EHPAD Les Vignes"
    ) in told


LEAVES_SSIAD = {
    "etablissements": {"690794433": None},
    "financement": {"lignes": {"690794433": None}},
}


def test_the_count_names_establishments_when_no_service_is_left(example, tmp_path: Path) -> None:
    """Without its SSIAD, asba covers two EHPAD and an accueil de jour: « trois établissements »
    (review17: a count words the kind of ESSMS it counts)."""
    told = articles(avenant_text(example, LEAVES_SSIAD, trame_with(tmp_path)))
    assert (
        "les mots : « quatre établissements et services » sont remplacés par les mots : « trois "
        "établissements » ;" in told
    )


def test_a_trame_copied_before_review17_still_has_its_count_restated(
    example, tmp_path: Path
) -> None:
    """A trame that prints the count as the default did before session 17 (« un établissement
    ou service », « trois établissements et services » whatever their kind) keeps working: the
    avenant quotes the words that trame prints."""
    old_words = trame_with(tmp_path, (COVERS, COUNTED_BEFORE))
    told = articles(avenant_text(example, LEAVES_SSIAD, old_words))
    assert (
        "les mots : « quatre établissements et services » sont remplacés par les mots : « trois "
        "établissements et services » ;" in told
    )
