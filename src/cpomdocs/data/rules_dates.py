"""Date order of the acts around a contract: an authorisation, its renewal and its modifying
acts; an avenant and a compte-rendu against the contract's period."""

from __future__ import annotations

import datetime as dt

from cpomdocs import fmt, gitinfo
from cpomdocs.data.document import Document
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant, MeetingKind, MeetingReport, ReportStatus
from cpomdocs.data.model_parties import Authorisation
from cpomdocs.errors import Problem, Severity

day = fmt.date_fr
# Where a signed act's missing date goes: the scaffold has no such line, a user has to add it.
WHERE_SIGNED = "ajoutez sous dates une ligne « signature: AAAA-MM-JJ » (le jour de la signature)"


def check_authorisations(doc: Document, c: Contract) -> list[Problem]:
    """An authorisation's renewal, échéance and modifying acts come after its own date, and the
    modifying acts in the order the text tells them (« modifié par A puis par B »)."""
    found = []
    for finess, essms in c.etablissements.items():
        where = ("etablissements", finess, "autorisation")
        found.extend(_authorisation(doc, where, essms.autorisation, essms.nom))
    return found


def _authorisation(
    doc: Document, where: tuple[str, ...], a: Authorisation, name: str
) -> list[Problem]:
    found = []
    act = f"{a.reference or 'acte'} du {day(a.date)}"
    if a.renouvellement and a.renouvellement <= a.date:
        msg = (
            f"renouvellement du {day(a.renouvellement)} antérieur ou égal à l'autorisation qu'il "
            f"renouvelle ({act}) : attendu une date postérieure au {day(a.date)}"
        )
        found.append(doc.problem((*where, "renouvellement"), msg))
    start = max(a.date, a.renouvellement or a.date)
    if a.echeance and a.echeance <= start:
        msg = (
            f"échéance du {day(a.echeance)} antérieure ou égale à la date de l'autorisation ou de "
            f"son dernier renouvellement ({day(start)}) : attendu une date postérieure"
        )
        found.append(doc.problem((*where, "echeance"), msg))
    previous = None
    for index, change in enumerate(a.modifications):
        at = (*where, "modifications", index, "date")
        if change.date <= a.date:
            msg = (
                f"l'acte modificatif « {change.acte} » du {day(change.date)} ne suit pas "
                f"l'autorisation qu'il modifie ({act}) {fmt.of(name)} : attendu une date "
                f"postérieure au {day(a.date)}"
            )
            found.append(doc.problem(at, msg))
        elif previous and change.date < previous.date:
            msg = (
                f"l'acte modificatif « {change.acte} » du {day(change.date)} précède "
                f"« {previous.acte} » du {day(previous.date)}, cité avant lui (le contrat dit "
                "« modifié par … puis par … ») : listez les actes modificatifs dans l'ordre de "
                "leurs dates"
            )
            found.append(doc.problem(at, msg))
        elif a.echeance and change.date > a.echeance:
            msg = (
                f"l'acte modificatif du {day(change.date)} est postérieur à l'échéance de "
                f"l'autorisation ({day(a.echeance)}) : une autorisation échue ne se modifie "
                "plus ; renseignez son renouvellement (renouvellement, echeance)"
            )
            found.append(doc.problem(at, msg, severity=Severity.WARNING))
        previous = change
    return found


def check_action_deadlines(doc: Document, c: Contract) -> list[Problem]:
    """An action of an objective falls due inside the contract and by its objective's échéance
    (a warning: the fiche would promise what the contract does not cover)."""
    found = []
    for oid, objective in c.objectifs.items():
        for code, action in objective.actions.items():
            at = ("objectifs", oid, "actions", code, "echeance")
            due = day(action.echeance)
            if not c.dates.effet <= action.echeance <= c.dates.fin:
                msg = (
                    f"échéance du {due} hors de la période du contrat ({day(c.dates.effet)} – "
                    f"{day(c.dates.fin)}) : attendu une date comprise dans cette période"
                )
            elif action.echeance > objective.echeance:
                msg = (
                    f"échéance du {due} postérieure à celle de l'objectif {oid} "
                    f"({day(objective.echeance)}) : attendu une date au plus tard le "
                    f"{day(objective.echeance)}"
                )
            else:
                continue
            found.append(doc.problem(at, msg, severity=Severity.WARNING))
    return found


def check_avenant_dates(doc: Document, c: Contract, avenant: Avenant) -> list[Problem]:
    """An avenant takes effect inside the contract's period (prorogations included)."""
    end = max(c.dates.fin, c.expected_end)
    if avenant.dates.effet <= end:
        return []
    msg = (
        f"date d'effet du {day(avenant.dates.effet)} postérieure à la fin du contrat "
        f"({day(end)}) : un contrat échu ne se modifie plus ; attendu une date d'effet au plus "
        f"tard le {day(end)}"
    )
    return [doc.problem(("dates", "effet"), msg)]


def check_report_dates(doc: Document, c: Contract, report: MeetingReport) -> list[Problem]:
    """A meeting of the contract's follow-up happens once the contract is signed or in effect;
    the exercise it examines has begun; the next meeting comes after it."""
    found = []
    started = c.dates.effet if c.dates.signature is None else min(c.dates.effet, c.dates.signature)
    if report.type is not MeetingKind.COMITE_PILOTAGE and report.date < started:
        msg = (
            f"{report.type.value} du {day(report.date)}, avant la date d'effet du contrat "
            f"({day(c.dates.effet)}) et avant sa signature : seul un comité de pilotage de la "
            "négociation se tient avant le contrat ; attendu une date à partir du "
            f"{day(started)}, ou le type « comité de pilotage »"
        )
        found.append(doc.problem(("date",), msg))
    if report.exercice > report.date.year:
        msg = (
            f"exercice {report.exercice} pas encore commencé à la date de la réunion "
            f"({day(report.date)}) : attendu {report.date.year} au plus"
        )
        found.append(doc.problem(("exercice",), msg))
    following = report.prochaine_reunion
    if following and following.date <= report.date:
        msg = (
            f"prochaine réunion le {day(following.date)}, pas après celle-ci "
            f"({day(report.date)}) : attendu une date postérieure"
        )
        found.append(doc.problem(("prochaine_reunion", "date"), msg))
    return found


def approved_before_meeting(
    reports: list[tuple[Document, MeetingReport]], today: dt.date | None = None
) -> list[Problem]:
    """An approved compte-rendu of a meeting still to come (`today`: SOURCE_DATE_EPOCH, else the
    clock). Told by build and publish, not by validate: a file's verdict must not change with
    the day (a fixture dated 2027 would flip whole test files then; CI gates on validate)."""
    today = today or gitinfo.today()
    found = []
    for doc, report in reports:
        if report.statut is ReportStatus.APPROUVE and report.date > today:
            msg = (
                f"compte-rendu approuvé d'une réunion du {day(report.date)}, date encore à venir "
                f"(nous sommes le {day(today)}) : vérifiez la date de la réunion, ou laissez le "
                "statut « projet » jusqu'à son approbation"
            )
            found.append(doc.problem(("date",), msg, severity=Severity.WARNING))
    return found
