"""The région of each département (the 18 régions since 1 January 2016), by FINESS prefix."""

from __future__ import annotations

from cpomdocs.data.identifiers import finess_department

_DEPARTMENTS_BY_REGION: dict[str, tuple[str, ...]] = {
    "Auvergne-Rhône-Alpes": (
        "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
    ),
    "Bourgogne-Franche-Comté": ("21", "25", "39", "58", "70", "71", "89", "90"),
    "Bretagne": ("22", "29", "35", "56"),
    "Centre-Val de Loire": ("18", "28", "36", "37", "41", "45"),
    "Corse": ("2A", "2B"),
    "Grand Est": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),
    "Hauts-de-France": ("02", "59", "60", "62", "80"),
    "Île-de-France": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "Normandie": ("14", "27", "50", "61", "76"),
    "Nouvelle-Aquitaine": (
        "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
    ),
    "Occitanie": (
        "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
    ),
    "Pays de la Loire": ("44", "49", "53", "72", "85"),
    "Provence-Alpes-Côte d'Azur": ("04", "05", "06", "13", "83", "84"),
    "Guadeloupe": ("971",),
    "Martinique": ("972",),
    "Guyane": ("973",),
    "La Réunion": ("974",),
    "Mayotte": ("976",),
}  # fmt: skip
REGION_OF_DEPARTMENT: dict[str, str] = {
    department: region
    for region, departments in _DEPARTMENTS_BY_REGION.items()
    for department in departments
}


# The département whose préfet is the préfet de région (chef-lieu of the région).
CHIEF_DEPARTMENT: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "69", "Bourgogne-Franche-Comté": "21", "Bretagne": "35",
    "Centre-Val de Loire": "45", "Corse": "2A", "Grand Est": "67", "Hauts-de-France": "59",
    "Île-de-France": "75", "Normandie": "76", "Nouvelle-Aquitaine": "33", "Occitanie": "31",
    "Pays de la Loire": "44", "Provence-Alpes-Côte d'Azur": "13", "Guadeloupe": "971",
    "Martinique": "972", "Guyane": "973", "La Réunion": "974", "Mayotte": "976",
}  # fmt: skip


def finess_region(finess: str) -> str | None:
    """The région of the département a FINESS number starts with; None if not a région's."""
    return REGION_OF_DEPARTMENT.get(finess_department(finess))
