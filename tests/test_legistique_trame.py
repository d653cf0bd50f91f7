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
