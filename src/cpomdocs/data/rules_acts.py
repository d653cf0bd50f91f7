"""Business rules of the acts that follow a contract: avenants and comptes-rendus."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from cpomdocs import fmt, gitinfo
from cpomdocs.data.document import Document
from cpomdocs.data.model import Contract, ContractStatus, Funding
from cpomdocs.data.model_acts import Avenant, AvenantStatus, MeetingReport
from cpomdocs.data.rules import MANAGER_PARTY, contract_years, unknown_party
from cpomdocs.data.rules_dates import WHERE_SIGNED, check_avenant_dates, check_report_dates
from cpomdocs.data.rules_rates import check_report_rates
from cpomdocs.errors import Problem, Severity

_PLACES = re.compile(r"\b(\d+)(?:\s|\u00a0|\u202f)+places?\b")
PROSE_FIELDS = ("activites", "projets", "publics")
_RATE = re.compile(r"taux d['’]évolution (?:annuel )?(?:de |d['’]environ )(\d+(?:[,.]\d+)?)\s*%")


def check_capacity_changes(
    before: dict[str, Any], after: dict[str, Any], doc: Document
) -> list[Problem]:
    """Warnings for an avenant that changes a capacity: the establishment's prose still giving
    the old number of places, and an authorisation left as it was."""
    found = []
    for finess, essms in (after.get("etablissements") or {}).items():
        old = (before.get("etablissements") or {}).get(finess) or {}
        old_caps, new_caps = old.get("capacites") or {}, essms.get("capacites") or {}
        if old:
            found.extend(_habilitation(finess, old, essms, doc))
        if not old or old_caps == new_caps:
            continue
        where = ("modifications", "etablissements", finess)
        changed = {
            int((old_caps.get(mode) or {}).get("autorisees", 0)): mode
            for mode in {*old_caps, *new_caps}
            if (old_caps.get(mode) or {}).get("autorisees")
            != (new_caps.get(mode) or {}).get("autorisees")
        }
        for name in PROSE_FIELDS:
            text = str(essms.get(name) or "")
            stale = sorted({int(n) for n in _PLACES.findall(text)} & set(changed) - {0})
            if stale:
                msg = (
                    f"le texte « {name} » {fmt.of(essms.get('nom', finess))} mentionne encore "
                    f"« {stale[0]} places » alors que l'avenant change cette capacité : "
                    "modifiez aussi ce texte dans l'avenant"
                )
                found.append(doc.problem(where, msg, severity=Severity.WARNING))
        if old.get("autorisation") == essms.get("autorisation"):
            msg = (
                f"l'avenant change les capacités {fmt.of(essms.get('nom', finess))} sans nouvelle "
                "autorisation : indiquez l'arrêté qui les autorise (autorisation.modifications "
                "pour une extension : acte, date, objet), cité dans les visas de l'avenant"
            )
            found.append(doc.problem(where, msg, severity=Severity.WARNING))
        if (doc.data or {}).get("statut") != "signé":  # a signed avenant can no longer change
            found.extend(_replaced_act(finess, old, essms, doc))
    return found


def _replaced_act(
    finess: str, old: dict[str, Any], new: dict[str, Any], doc: Document
) -> list[Problem]:
    """A warning for an avenant that changes capacities by replacing the authorisation's act
    while keeping its échéance: an extension modifies the authorisation, it does not renew it
    (CASF L.313-1), so the contract would cite the extension as the authorisation."""
    before, after = old.get("autorisation") or {}, new.get("autorisation") or {}
    replaced = any(before.get(k) != after.get(k) for k in ("date", "reference"))
    renewed = any(before.get(k) != after.get(k) for k in ("echeance", "renouvellement"))
    if not replaced or renewed or not before.get("echeance"):
        return []
    msg = (
        f"l'avenant remplace l'acte d'autorisation {fmt.of(new.get('nom', finess))} "
        f"({before.get('reference') or 'arrêté'} du {fmt.date_fr(_day(before['date']))}) mais "
        f"garde son échéance du {fmt.date_fr(_day(before['echeance']))} : une extension "
        "modifie l'autorisation sans la renouveler ; gardez l'acte d'origine et inscrivez "
        "l'arrêté d'extension dans autorisation.modifications (acte, date, objet)"
    )
    where = ("modifications", "etablissements", finess, "autorisation")
    return [doc.problem(where, msg, severity=Severity.WARNING)]


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _habilitation(
    finess: str, old: dict[str, Any], new: dict[str, Any], doc: Document
) -> list[Problem]:
    """A warning for places habilitées à l'aide sociale changed under the act that habilitated
    the former number (the annexe would cite an act that does not say the new one)."""
    before, after = old.get("places_habilitees"), new.get("places_habilitees")
    act = new.get("habilitation_acte")
    if before is None or after is None or before == after or act != old.get("habilitation_acte"):
        return []
    if not act:  # no act cited, before or after: the annexe names no stale act
        return []
    msg = (
        f"l'avenant porte les places habilitées à l'aide sociale {fmt.of(new.get('nom', finess))} "
        f"de {before} à {after} sans nouvel acte d'habilitation (habilitation_acte cite encore "
        f"« {act} ») : indiquez l'arrêté ou la convention qui habilite les {after} places "
        "(habilitation_acte)"
    )
    where = ("modifications", "etablissements", finess, "places_habilitees")
    return [doc.problem(where, msg, severity=Severity.WARNING)]


def check_stated_rate(
    before: dict[str, Any], after: dict[str, Any], doc: Document
) -> list[Problem]:
    """A warning for an avenant that sets amounts off the yearly rate that the unchanged
    « evolution » text still states (« un taux d'évolution de 1,5 % par an »)."""
    old_money, money = before.get("financement") or {}, after.get("financement") or {}
    text = str(money.get("evolution") or "")
    stated = _RATE.search(text)
    if not stated or text != str(old_money.get("evolution") or ""):
        return []
    rate = float(stated.group(1).replace(",", ".")) / 100
    found = []
    for finess, parties in (money.get("lignes") or {}).items():
        for party, natures in (parties or {}).items():
            was = ((old_money.get("lignes") or {}).get(finess) or {}).get(party) or {}
            for nature, amounts in (natures or {}).items():
                off = _off_rate(amounts, rate)
                if nature == "credits_non_reconductibles" or was.get(nature) == amounts or not off:
                    continue
                year, change = off
                name = ((after.get("etablissements") or {}).get(finess) or {}).get("nom")
                label = (Funding.model_fields[nature].title or nature).lower()
                msg = (
                    "le texte « financement.evolution » annonce un taux d'évolution de "
                    f"{fmt.percent(rate * 100)} par an, que ne suit pas le montant que l'avenant "
                    f"fixe pour {year} ({label} {fmt.of(name or finess)} : "
                    f"{fmt.signed(change, fmt.percent(change, 1))}) : dites dans ce texte ce qui "
                    "fait exception (financement.evolution dans l'avenant)"
                )
                where = ("modifications", "financement", "lignes", finess, party, nature)
                found.append(doc.problem(where, msg, severity=Severity.WARNING))
    return found


def _off_rate(amounts: Any, rate: float) -> tuple[int, float] | None:
    """The first year whose amount does not follow `rate` from the year before (to 100 € or
    0,1 % for rounding), and its change in percent."""
    years = sorted((int(y), float(v)) for y, v in (amounts or {}).items())
    for (_, a), (year, b) in zip(years, years[1:], strict=False):
        if a > 0 and abs(b - a * (1 + rate)) > max(100.0, a / 1000):
            return year, (b / a - 1) * 100
    return None


def check_avenants(
    c: Contract, avenants: list[tuple[Document, Avenant]], today: dt.date | None = None
) -> list[Problem]:
    """Numbering and dates of a contract's avenants (`today`: SOURCE_DATE_EPOCH or the clock)."""
    today = today or gitinfo.today()
    found = []
    for expected, (doc, avenant) in enumerate(sorted(avenants, key=lambda a: a[1].numero), 1):
        if avenant.numero != expected:
            msg = (
                f"avenant n° {avenant.numero} : les avenants sont numérotés sans trou, "
                f"attendu {expected}"
            )
            found.append(doc.problem(("numero",), msg))
        signed = avenant.dates.signature
        if avenant.statut is AvenantStatus.SIGNE and signed is None:
            found.append(
                doc.problem(
                    ("dates",),
                    f"un avenant signé doit avoir une date de signature : {WHERE_SIGNED}",
                )
            )
        if avenant.statut is AvenantStatus.SIGNE and signed and signed > today:
            msg = (
                f"avenant signé le {fmt.date_fr(signed)}, date encore à venir "
                f"(nous sommes le {fmt.date_fr(today)}) : vérifiez la date de signature"
            )
            found.append(doc.problem(("dates", "signature"), msg, severity=Severity.WARNING))
        if signed and c.dates.signature and signed <= c.dates.signature:
            msg = (
                f"signé le {fmt.date_fr(signed)}, avant ou le jour de la signature du contrat "
                f"({fmt.date_fr(c.dates.signature)}) : attendu une date postérieure"
            )
            found.append(doc.problem(("dates", "signature"), msg))
        if avenant.dates.effet < c.dates.effet:
            msg = (
                f"date d'effet du {fmt.date_fr(avenant.dates.effet)} antérieure à celle du "
                f"contrat ({fmt.date_fr(c.dates.effet)}) : attendu le "
                f"{fmt.date_fr(c.dates.effet)} ou après"
            )
            found.append(doc.problem(("dates", "effet"), msg))
        found.extend(check_avenant_dates(doc, c, avenant))
        if avenant.statut is AvenantStatus.SIGNE and c.statut is ContractStatus.PROJET:
            found.append(
                doc.problem(("statut",), "un avenant ne peut être signé sur un contrat en projet")
            )
    return found


def check_report(c: Contract, doc: Document, report: MeetingReport) -> list[Problem]:
    """A compte-rendu names only parties, objectives and indicators of its contract."""
    found = check_report_dates(doc, c, report)
    parties = {*c.autorites, MANAGER_PARTY}
    for party in report.participants:
        if party not in parties:
            found.append(doc.problem(("participants", party), unknown_party(party, c), key=True))
    indicators = c.all_indicators()
    years = contract_years(c)
    for code in report.realisations:
        if code not in indicators:
            msg = f"indicateur « {code} » absent du contrat ({_listed('indicateurs', indicators)})"
            found.append(doc.problem(("realisations", code), msg, key=True))
        for year in report.realisations[code]:
            if year not in years:
                msg = f"année {year} hors de la période du contrat ({years.start}–{years.stop - 1})"
                found.append(doc.problem(("realisations", code, str(year)), msg, key=True))
    found.extend(check_report_rates(doc, c, report))
    for oid in report.objectifs:
        if oid not in c.objectifs:
            msg = f"objectif « {oid} » absent du contrat ({_listed('objectifs', c.objectifs)})"
            found.append(doc.problem(("objectifs", oid), msg, key=True))
    for finess in report.activite:
        if finess not in c.etablissements:
            msg = f"ESSMS {finess} absent du périmètre du contrat"
            found.append(doc.problem(("activite", finess), msg, key=True))
    return found


def _listed(what: str, names: Iterable[str], shown: int = 12) -> str:
    """« indicateurs : ABS, TO-HP » (the first `shown`, then « … »): what the user may write."""
    names = list(names)
    more = ", …" if len(names) > shown else ""
    return f"{what} : {', '.join(names[:shown])}{more}" if names else f"aucun {what[:-1]}"
