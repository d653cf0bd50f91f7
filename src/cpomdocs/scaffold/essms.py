"""The ESSMS categories that `cpomdocs new --essms` can put in a draft, with their financeurs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from stdnum import luhn

from cpomdocs.errors import UsageError

PA, PH, MIXTE = "personnes âgées", "personnes handicapées", "mixte"
AHI = "accueil, hébergement et insertion"
DGC = "dotation_globalisee_commune"


@dataclass(frozen=True)
class Essms:
    """A FINESS category a draft can hold: its places, tarification and who pays what.

    `financing`: (party key, nature) pairs, the party keys of the drafts (ars, departement,
    prefet). `activity`: a handicap-sector ESSMS, which has an activity sheet (L.313-12-2)."""

    code: str
    label: str
    sector: str
    modes: tuple[str, ...]
    tarification: str
    financing: tuple[tuple[str, str], ...]
    activity: bool = False


# domain.md: EHPAD soins by the ARS and dépendance by the Département; handicap services of
# the assurance maladie by the ARS (dotation globalisée commune under a L.313-12-2 CPOM); a
# CAMSP 80 % ARS and 20 % Département (R.314-123); FAM and EAM joint (soins ARS, hébergement
# Département); foyer de vie and SAVS by the Département; ESAT by the State (programme 157,
# managed by the ARS); CHRS by the préfet.
ESSMS: dict[str, Essms] = {
    "ehpad": Essms("500", "EHPAD", PA, ("hebergement_permanent",), "forfaits soins et dépendance",
                   (("ars", "forfait_global_soins"), ("departement", "forfait_global_dependance"))),
    "ssiad": Essms("354", "SSIAD", PA, ("domicile",), "dotation globale",
                   (("ars", "dotation_globale"),)),
    "ime": Essms("183", "IME", PH, ("internat", "semi_internat"), "dotation globale",
                 (("ars", "dotation_globale"),), True),
    "sessad": Essms("182", "SESSAD", PH, ("milieu_ordinaire",), "dotation globale",
                    (("ars", "dotation_globale"),), True),
    "itep": Essms("186", "ITEP", PH, ("internat", "semi_internat"), "dotation globale",
                  (("ars", "dotation_globale"),), True),
    "camsp": Essms("190", "CAMSP", PH, ("milieu_ordinaire",), "dotation globale",
                   (("ars", "dotation_globale"), ("departement", "dotation_globale")), True),
    "cmpp": Essms("189", "CMPP", PH, ("externat",), "dotation globale",
                  (("ars", "dotation_globale"),), True),
    "mas": Essms("255", "MAS", PH, ("internat",), "dotation globale",
                 (("ars", "dotation_globale"),), True),
    "fam": Essms("437", "FAM", PH, ("internat",), "prix de journée",
                 (("ars", "forfait_global_soins"), ("departement", "prix_de_journee")), True),
    "eam": Essms("448", "EAM", PH, ("internat",), "prix de journée",
                 (("ars", "forfait_global_soins"), ("departement", "prix_de_journee")), True),
    "foyer-de-vie": Essms("382", "Foyer de vie", PH, ("internat",), "prix de journée",
                          (("departement", "prix_de_journee"),), True),
    "esat": Essms("246", "ESAT", PH, ("travail_protege",), "dotation globale",
                  (("ars", "dotation_globale_esat"),), True),
    "samsah": Essms("445", "SAMSAH", PH, ("milieu_ordinaire",), "dotation globale",
                    (("ars", "forfait_global_soins"), ("departement", "dotation_globale")), True),
    "savs": Essms("446", "SAVS", PH, ("milieu_ordinaire",), "dotation globale",
                  (("departement", "dotation_globale"),), True),
    "chrs": Essms("214", "CHRS", AHI, ("hebergement_collectif",), "dotation globale",
                  (("prefet", "dotation_globale"),)),
}  # fmt: skip

# The ESSMS each legal basis's draft already describes, and the parties it names.
OWN = {"ehpad": "ehpad", "handicap": "ime", "generique": "ssiad", "chrs": "chrs"}
PARTIES = {
    "ehpad": ("ars", "departement"),
    "handicap": ("ars", "departement"),
    "generique": ("ars", "departement"),
    "chrs": ("prefet",),
}


@dataclass(frozen=True)
class Perimeter:
    """What a draft holds: the base's own ESSMS or not, the others, the parties to add."""

    own: bool
    others: list[tuple[str, Essms]]  # (placeholder FINESS, category)
    parties: list[str]
    sector: str

    def adds(self, code: str) -> bool:
        """True when an ESSMS of FINESS category `code` is added to the base's."""
        return any(e.code == code for _, e in self.others)

    def adds_handicap(self) -> bool:
        """True when a handicap-sector ESSMS (L.313-12-2) is added to the base's."""
        return any(e.activity for _, e in self.others)


def placeholder_finess(rank: int) -> str:
    """« 000000000 », « 000000018 »…: fictitious FINESS numbers, distinct, with a right key."""
    body = f"{rank:08d}"
    return body + luhn.calc_check_digit(body)


def base_for(kinds: list[str]) -> str:
    """The legal basis a list of ESSMS calls for, when the user gave none."""
    sectors = {ESSMS[k].sector for k in kinds}
    if "ehpad" in kinds and "chrs" not in kinds:
        return "ehpad"  # its CPOM is the mandatory one (IV ter), on the model of 3 March 2017
    if sectors == {PH}:
        return "handicap"
    return "chrs" if sectors == {AHI} else "generique"


def perimeter(base: str, kinds: list[str], sector: str) -> Perimeter:
    """The draft's ESSMS: `kinds` in order (the base's own one where it is listed); none asked:
    the base's own. `sector`: the base's, or « mixte » when the ESSMS span several sectors."""
    if not kinds:
        return Perimeter(True, [], [], sector)
    if len(set(kinds)) < len(kinds):
        raise UsageError(
            "--essms : une catégorie est demandée deux fois ; pour deux ESSMS de la même "
            "catégorie, copiez le bloc du premier dans etablissements (ex. --essms ehpad "
            "--essms sessad)"
        )
    own = OWN[base] in kinds
    rest = [k for k in kinds if k != OWN[base]]
    # The first ESSMS is « 000000000 », which the base's dotation globalisée commune names.
    others = [(placeholder_finess(i + own), _under(base, ESSMS[k])) for i, k in enumerate(rest)]
    needed = [party for _, e in others for party, _ in e.financing]
    parties = [p for p in dict.fromkeys(needed) if p not in PARTIES[base]]
    sectors = {ESSMS[k].sector for k in kinds}
    return Perimeter(own, others, parties, sectors.pop() if len(sectors) == 1 else MIXTE)


def _under(base: str, essms: Essms) -> Essms:
    """Under a handicap CPOM (L.313-12-2), the ARS pays its handicap ESSMS a share of the
    dotation globalisée commune instead of a dotation globale of their own."""
    if base != "handicap" or essms.financing[0] != ("ars", "dotation_globale"):
        return essms
    financing = (("ars", DGC), *essms.financing[1:])
    return replace(essms, tarification="dotation globalisée commune", financing=financing)
