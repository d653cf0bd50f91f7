"""The build's orchestration: skip what is fresh, render the rest over worker processes.

For each contract folder: if its files, the templates it used and the options are those of the
last build (build/.cpomdocs-cache.json), it is skipped before any validation. Otherwise it is
validated, its documents planned (build.DOCUMENT_SOURCES), and each document whose own
fingerprint changed becomes a task (folder, document name, options) that a worker validates,
composes, renders and writes. The main process prints events as results come back, then
writes the portfolio page from cached cards.

The order of a parallel build's tasks, and their documents composed before they leave.

The main process plans the tasks contract by contract; before a task goes to a worker, this
process composes its document (task.compose_document), and the last ones of the build are
reordered longest first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from cpomdocs.build.cache import BuildCache
from cpomdocs.build.inputs import BuildSettings, Templates, folder_digest, git_states
from cpomdocs.build.plan import BuildEvent, BuildReport, Plan, Progress
from cpomdocs.build.task import (
    DEFAULT_TIMEOUT,
    WARM_MODULE,
    WORKER_MODULES,
    WRITER_MODULES,
    DocumentResult,
    DocumentTask,
    compose_document,
    render_document,
)
from cpomdocs.build.workers import in_shard, run_all, start_early
from cpomdocs.data.folders import check_apart, find_contract_folders
from cpomdocs.errors import CpomError, Problem
from cpomdocs.render.writers import FORMATS

TAIL = 4  # per worker: the last tasks of a parallel build, ordered longest first


def composed(tasks: Iterator[DocumentTask]) -> Iterator[DocumentTask]:
    """Each task with its document composed in this process: 0.02–0.2 s a document that the
    workers do not spend, done while they render (or, for the first ones, while the forkserver
    warms up), by a process that already validated the contract to plan it."""
    for task in tasks:
        yield replace(task, composed=compose_document(task))


def tail_longest_first(
    tasks: Iterator[DocumentTask], ahead: int, start: int = 0
) -> Iterator[DocumentTask]:
    """The tasks in their order, planned `ahead` tasks in advance, but the last `ahead` of the
    build longest first: a parallel build then ends on short documents, and its workers finish
    together instead of one waiting while another renders a long one begun late. The first
    `start` tasks go as soon as they are planned: the workers begin while the window fills
    (they waited for `ahead` + 1 documents planned and composed: 9 at -j 2, some 1.5 s)."""
    window: deque[DocumentTask] = deque()
    tasks = iter(tasks)
    for task in itertools.islice(tasks, start):
        yield task
    for task in tasks:
        window.append(task)
        if len(window) > ahead:
            yield window.popleft()
    yield from sorted(window, key=lambda task: -task.estimate)


__all__ = ["FORMATS", "BuildEvent", "BuildReport", "Progress", "build_portfolio"]


NO_CONTRACT = "aucun cpom.yaml dans ce dossier ni dans ses sous-dossiers directs"


def build_portfolio(
    sources: list[Path],
    output: Path,
    *,
    templates: Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    on_event: Progress | None = None,
    as_of: dt.date | None = None,
    force: bool = False,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    strict: bool = False,
) -> BuildReport:
    """Build what changed among the contracts of `sources` into `output`/<contract-id>/."""
    from cpomdocs.build.cache import output_lock

    refused: list[Problem] = []  # a folder whose name is refused: failed, the others built
    folders = find_contract_folders(sources, refused)
    check_apart(output, folders)  # before the lock file: nothing written among the sources
    if not folders and not refused:  # `build .` at the repository's root: 0 document, code 0
        from cpomdocs.errors import UsageError

        output.exists()  # what is wrong with -o is said first (a name too long), as by the lock
        named = ", ".join(str(p) for p in sources)
        inner = [p / "contracts" for p in sources if (p / "contracts").is_dir()]
        hint = f" : les contrats sont dans {inner[0]}, nommez-le" if inner else ""
        raise UsageError(f"{named}: {NO_CONTRACT}{hint}")
    with output_lock(output):  # one command at a time writes into an output folder
        started = time.perf_counter()
        notify = on_event or (lambda event: None)
        report = BuildReport(problems={p.file: [p] for p in refused})
        cache = BuildCache(output)
        report.removed = cache.prune({f.name: f for f in folders})
        if shard is not None:
            folders = [f for f in folders if in_shard(f.name, *shard)]
        formats = _available(formats, notify)
        plan = Plan(
            output,
            templates,
            BuildSettings(tuple(formats), as_of),
            force,
            cache,
            Templates(templates, tuple(formats)),
            report,
            notify,
            git_states(sources, folders),
            timeout,
            strict=strict,
        )
        changed: list[tuple[Path, str]] = []
        counts = cache.document_counts()  # once: the fresh contracts are not planned
        for folder in folders:
            digest = folder_digest(folder)
            if plan.contract_fresh(folder, digest):
                report.skipped += counts.get(folder.name, 0)
                notify(BuildEvent("fresh", folder.name))
                plan.kept(folder.name)
            else:
                changed.append((folder, digest))
        try:
            _render(plan, changed, jobs)
        except BaseException:  # Ctrl-C, a stop signal: what finished stays done
            cache.save()  # only documents whose files were all written are recorded
            raise
        if changed or report.removed:
            from cpomdocs.followup.chart_store import prune_charts

            prune_charts(output, cache.charts_in_use())
        from cpomdocs.build.page import INDEX, update_page

        page = update_page(cache, {f.name: f for f in folders}, output)
        report.portfolio_written = page is not None
        report.portfolio = output / INDEX if (output / INDEX).is_file() else None
        cache.save()
        report.seconds = time.perf_counter() - started
        return report


def _available(formats: tuple[str, ...], notify: Progress) -> list[str]:
    """The requested formats this installation can write (a notice for the others)."""
    if not formats:
        return []
    from importlib.util import find_spec

    found = [f for f in formats if f != "docx" or find_spec("docxtpl") is not None]
    for missing in (f for f in formats if f not in found):
        notify(BuildEvent("notice", message=f"format {missing} indisponible dans cette version"))
    return found


def _render(plan: Plan, changed: list[tuple[Path, str]], jobs: int) -> None:
    """Render the documents of the changed contracts; record each as its result comes back."""
    if not changed:
        return
    remaining: dict[str, int] = {}
    digests = {folder.name: (folder, digest) for folder, digest in changed}
    plan.contracts = len(changed)

    def tasks() -> Iterator[DocumentTask]:
        for folder, digest in changed:
            found = list(plan.tasks(folder, digest))
            remaining[folder.name] = len(found)
            if plan.overwriting:  # on disk before any file of theirs is rewritten (SIGKILL)
                plan.cache.save()
                plan.overwriting = False
            if not found:
                plan.finish_contract(folder, digest)
            yield from found

    plan.serial = jobs <= 1
    formats = plan.settings.formats
    writing = tuple(WRITER_MODULES[f] for f in formats if f in WRITER_MODULES)
    preload = (*WORKER_MODULES, *writing, WARM_MODULE)  # warm last: it uses all the others
    # A few contracts: all their tasks fit the window, planned first then longest first (the
    # changed contract's longest document starts first); more: the first ones go at once.
    early = jobs if len(changed) > TAIL else 0
    queue = tasks() if plan.serial else tail_longest_first(composed(tasks()), TAIL * jobs, early)
    if jobs > 1 and len(changed) > 1:  # at least two documents: the workers' imports and
        start_early(preload)  # warm-up overlap this process's validation and planning
    # A worker that ignores its time limit (stuck in native code) is killed: late, to leave a
    # task queued behind a slow one its own full time.
    limit = 2 * plan.timeout + 30 if plan.timeout else None
    for task, result, error in run_all(render_document, queue, jobs, preload, limit):
        cid = task.folder.name
        if result is None and isinstance(error, CpomError):
            result = DocumentResult([], str(error))
        elif result is None:
            result = DocumentResult([], f"erreur interne ({type(error).__name__} : {error})")
        plan.emit(BuildEvent("document", cid, task.label))
        if result.failure:
            # A composition error may already name its document (« avenant n° 2 : … »).
            failure = result.failure.removeprefix(f"{task.label} : ")
            plan.report.failures.setdefault(cid, []).append(f"{task.label} : {failure}")
            plan.emit(BuildEvent("failed", cid, task.label, message=failure))
            plan.cache.forget(f"{cid}/{task.name}")
        else:
            for path in result.written:
                plan.report.written.append(path)
                plan.emit(BuildEvent("written", cid, task.label, path))
            for message in result.warnings:
                plan.report.warnings.append(message)
                plan.emit(BuildEvent("warning", cid, task.label, message=message))
            if result.unverified and result.unverified not in plan.report.unverified:
                plan.report.unverified.append(result.unverified)
            plan.report.documents += 1
            key, names = plan.pending[cid][task.name]
            plan.cache.record(
                f"{cid}/{task.name}",
                key,
                result.written,
                names,
                result.seconds,
                result.charts,
                result.warnings,
                result.digests,
            )
        remaining[cid] -= 1
        if remaining[cid] == 0:
            plan.finish_contract(*digests[cid])
