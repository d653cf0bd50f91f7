"""« Évaluation externe » said of an evaluation of 2023 or later: since the reform of article
L.312-8 CASF, an ESSMS has an « évaluation de la qualité » against the HAS référentiel."""

from __future__ import annotations

import re
from typing import Any

from cpomdocs.data.document import Document, Path_, strings_of
from cpomdocs.errors import Problem, Severity

# The loi n° 2019-774 du 24 juillet 2019 (art. 75) replaced the internal and external evaluations
# by an evaluation of the quality of the services, on a procedure and a référentiel of the Haute
# Autorité de santé (published 10 March 2022); the décret n° 2021-1476 du 12 novembre 2021, as
# amended by the décret n° 2022-695 du 26 avril 2022, applies the new rhythm to the evaluations
# transmitted from 1 January 2023. A report of 2021 is still rightly an « évaluation externe »:
# only a year from 2023 on is flagged.
FIRST_YEAR = 2023
_OLD_TERM = re.compile(r"\bévaluations? (?:externes?|internes?)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d-])(20\d\d)(?![\d-])")  # not the 2016 of « n° 2016-5874 »
_DATE_YEAR = re.compile(r"(\d{4})-\d\d-\d\d")
_SENTENCE = re.compile(r"[^.;\n]+")
PLANNED = ("suivi", "evaluations")


def check_evaluation_terms(document: Document) -> list[Problem]:
    """A warning for each sentence naming an evaluation of 2023 or later by the old term."""
    problems = []
    for path, text in strings_of(document.data):
        if path[:2] == PLANNED:
            continue
        for sentence in _SENTENCE.findall(text):
            term = _OLD_TERM.search(sentence)
            years = [int(y) for y in _YEAR.findall(sentence) if int(y) >= FIRST_YEAR]
            if term and years:
                problems.append(_problem(document, path, term.group(0), min(years)))
                break
    for index, item in enumerate(_planned(document.data)):
        if not isinstance(item, dict) or not isinstance(item.get("libelle"), str):
            continue
        term = _OLD_TERM.search(item["libelle"])
        year = _DATE_YEAR.match(str(item.get("date_prevue", "")))
        if term and year and int(year.group(1)) >= FIRST_YEAR:
            where = (*PLANNED, index, "libelle")
            problems.append(_problem(document, where, term.group(0), int(year.group(1))))
    return problems


def _planned(data: Any) -> list[Any]:
    """The contract's planned evaluations (suivi.evaluations), [] when it has none or is bad."""
    follow_up = data.get(PLANNED[0]) if isinstance(data, dict) else None
    found = follow_up.get(PLANNED[1]) if isinstance(follow_up, dict) else None
    return found if isinstance(found, list) else []


def _problem(document: Document, path: Path_, term: str, year: int) -> Problem:
    why = (
        f"« {term} » pour une évaluation de {year} : depuis le 1er janvier 2023, les "
        "établissements et services font procéder à une « évaluation de la qualité » selon le "
        "référentiel de la Haute Autorité de santé (article L.312-8 du code de l'action sociale "
        "et des familles, loi n° 2019-774 du 24 juillet 2019 ; décret n° 2022-695 du 26 avril "
        "2022) ; écrivez « évaluation de la qualité » (« évaluation externe » ne désigne que les "
        "évaluations antérieures)"
    )
    return document.problem(path, why, severity=Severity.WARNING)
