"""The portfolio page of an incremental build, from contract cards kept in the build cache.

A contract skipped because it did not change keeps the card computed when it was last
validated (as long as the page's date is the same day); the page is rewritten only when
a card changed, so a no-op build neither validates a contract nor writes a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpomdocs.build.cache import BuildCache, fingerprint
from cpomdocs.gitinfo import today

if TYPE_CHECKING:
    from cpomdocs.build.portfolio import ContractCard
    from cpomdocs.data.validate import ContractFolder

INDEX = "index.html"
MAX_PART_FILE_BYTES = 256 * 2**20  # a document built is at most a few megabytes


def card_from_dict(data: dict[str, Any]) -> ContractCard:
    """A ContractCard again, from its JSON form in the cache."""
    from cpomdocs.build.portfolio import ContractCard, DocumentEntry, Link

    groups = {
        name: [
            DocumentEntry(e["label"], e["note"], [Link(**link) for link in e["links"]])
            for e in entries
        ]
        for name, entries in data.get("groups", {}).items()
    }
    return ContractCard(**{**data, "groups": groups})


def refresh_card(cache: BuildCache, checked: ContractFolder, output: Path) -> None:
    """Compute the card of a contract validated in this build, once its files are written."""
    from cpomdocs.build.portfolio import contract_card

    day = today()
    card = contract_card(checked, output, day)
    cache.cards[checked.id] = {"day": day.isoformat(), "card": dataclasses.asdict(card)}


def update_page(cache: BuildCache, folders: dict[str, Path], output: Path) -> Path | None:
    """Give every contract of `folders` a card of today, and rewrite index.html if one changed.

    The page lists every contract this build folder holds, built now or earlier.

    A skipped contract whose card is from another day is validated again for it (next
    dialogue de gestion, contract status); its documents are not rebuilt.
    """
    day = today()
    for cid in (cid for cid in folders if _cached(cache, cid, day) is None):
        from cpomdocs.data.validate import check_folder

        refresh_card(cache, check_folder(folders[cid]), output)
    return write_page(cache, sorted(cache.cards), output, day)


def _cached(cache: BuildCache, cid: str, day: dt.date) -> dict[str, Any] | None:
    found = cache.cards.get(cid)
    return found["card"] if found and found.get("day") == day.isoformat() else None


def write_page(cache: BuildCache, ids: list[str], output: Path, day: dt.date) -> Path | None:
    """Write index.html with the cached cards of `ids`, unless the same page is there already."""
    cards = [cache.cards[cid]["card"] for cid in ids if cid in cache.cards]
    key = fingerprint([day.isoformat(), json.dumps(cards, sort_keys=True, ensure_ascii=False)])
    target = output / INDEX
    if key == cache.page and target.is_file():
        return None
    from cpomdocs.build.portfolio import render_portfolio
    from cpomdocs.write import write_text_atomic

    write_text_atomic(target, render_portfolio([card_from_dict(c) for c in cards], day))
    cache.page = key
    return target


def merge_builds(shards: list[Path], output: Path) -> tuple[list[str], Path | None]:
    """Join shard build folders into `output`: their files, caches and one portfolio page.

    Every file is checked to land inside `output` before anything is written; symbolic links
    in a shard are not followed (a shard may come from another machine's artefact)."""
    from cpomdocs.build.cache import CACHE_FILE, output_lock
    from cpomdocs.errors import UsageError

    for shard in shards:  # before the lock: a mistyped part leaves no output folder behind
        if not (shard / CACHE_FILE).is_file():
            raise UsageError(f"{shard}: pas un dossier produit par « cpomdocs build »")
        if (part := BuildCache(shard)).damaged:  # its contracts would be left off the page
            raise UsageError(
                f"{shard / CACHE_FILE}: cache de construction illisible ou d'une autre version "
                "de cpomdocs : reconstruisez cette part (cpomdocs build --shard K/N)"
            )
        for relative in _shard_files(shard, part):
            _check_size(shard / relative)
    with output_lock(output):
        return _merge(shards, output)


def _merge(shards: list[Path], output: Path) -> tuple[list[str], Path | None]:
    """merge_builds, once the output folder's lock is held."""
    from cpomdocs.build.cache import CACHE_FILE
    from cpomdocs.errors import UsageError
    from cpomdocs.write import copy_file_atomic, inside

    cache = BuildCache(output)
    parts: list[BuildCache] = []
    copies: dict[str, tuple[Path, Path]] = {}
    for shard in shards:
        if not (shard / CACHE_FILE).is_file():
            raise UsageError(f"{shard}: pas un dossier produit par « cpomdocs build »")
        parts.append(BuildCache(shard))  # refuses a cache whose paths lead outside
        if shard.resolve() != output.resolve():
            for relative in _shard_files(shard, parts[-1]):
                copies[relative] = (shard / relative, inside(output, relative))
    # the folder's own entries for files about to be replaced leave its cache first: stopped
    # halfway, it must not call a shard's file fresh under the data of its own last build
    replaced = [k for k, e in cache.entries.items() if any(o in copies for o in e.outputs)]
    if replaced:
        for key in replaced:
            cache.forget(key)
        cache.save()
    for part in parts:
        cache.merge(part)
    for source, target in copies.values():
        copy_file_atomic(source, target)
    ids = sorted(cache.cards)
    page = write_page(cache, ids, output, today())
    cache.save()
    return ids, page


def _check_size(path: Path) -> None:
    """Refuse a part's file larger than any document built (a sparse 3 GB « PDF » was read
    whole: « erreur interne : MemoryError », the site half-merged)."""
    from cpomdocs.errors import UsageError

    if (size := path.stat().st_size) > MAX_PART_FILE_BYTES:
        raise UsageError(
            f"{path}: fichier de {size // 2**20} Mo, trop volumineux pour un document construit "
            f"({MAX_PART_FILE_BYTES // 2**20} Mo au plus) : reconstruisez cette part "
            "(cpomdocs build --shard K/N) ; rien n'est copié"
        )


def _shard_files(shard: Path, cache: BuildCache) -> list[str]:
    """The files of a shard that merge copies: the outputs its cache records (each inside its
    contract's folder) and its stored charts; not a stray file, a link, nor its build/publish
    (a shard from another machine must not replace the publication)."""
    from cpomdocs.followup.chart_store import CHARTS_DIR, STORED_NAME

    names = sorted({name for entry in cache.entries.values() for name in entry.outputs})
    charts = shard / CHARTS_DIR
    if charts.is_dir() and not charts.is_symlink():
        stored = (p.name for p in charts.iterdir() if STORED_NAME.match(p.name))
        names += [f"{CHARTS_DIR}/{name}" for name in sorted(stored)]
    return [n for n in names if not (shard / n).is_symlink() and (shard / n).is_file()]
