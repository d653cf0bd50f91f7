"""The empreinte of a signed file: its data's digest and the digest of the text signed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpomdocs.data.bounds import MAX_PASSAGES, MAX_TEXT, date_in_range, items

__all__ = ["Fingerprint", "SignedText", "TextDigest"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT)

    _dates_in_range = field_validator("*")(date_in_range)


class TextDigest(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", title="SHA-256 du texte du document")
    passages: list[Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")]] = items(
        "Empreintes courtes des passages du texte, un par titre, dans l'ordre",
        max_length=MAX_PASSAGES,
    )


class SignedText(_Strict):
    cpomdocs: str = Field(title="Version de cpomdocs qui a composé le texte signé", max_length=100)
    documents: dict[Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")], TextDigest] = Field(
        title="Texte de chaque document de l'acte signé (contrat, annexes, avenant-NN)",
        max_length=10,
    )


class Fingerprint(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", title="Empreinte SHA-256 du contenu signé")
    date: dt.date = Field(title="Date d'enregistrement de l'empreinte")
    texte: SignedText | None = Field(
        None,
        title="Empreinte du texte signé",
        description="Enregistrée par « cpomdocs sign-off » : la construction signale un document "
        "dont le texte ne serait plus celui qui a été signé (modèles changés depuis).",
    )
