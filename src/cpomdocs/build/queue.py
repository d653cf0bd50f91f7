"""The order of a parallel build's tasks, and their documents composed before they leave.

The main process plans the tasks contract by contract; before a task goes to a worker, this
process composes its document (task.compose_document), and the last ones of the build are
reordered longest first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace

from cpomdocs.build.task import DocumentTask, compose_document

TAIL = 4  # per worker: the last tasks of a parallel build, ordered longest first


def composed(tasks: Iterator[DocumentTask]) -> Iterator[DocumentTask]:
    """Each task with its document composed in this process: 0.02–0.2 s a document that the
    workers do not spend, done while they render (or, for the first ones, while the forkserver
    warms up), by a process that already validated the contract to plan it."""
    for task in tasks:
        yield replace(task, composed=compose_document(task))


def tail_longest_first(tasks: Iterator[DocumentTask], ahead: int) -> Iterator[DocumentTask]:
    """The tasks in their order, planned `ahead` tasks in advance, but the last `ahead` of the
    build longest first: a parallel build then ends on short documents, and its workers finish
    together instead of one waiting while another renders a long one begun late."""
    window: deque[DocumentTask] = deque()
    for task in tasks:
        window.append(task)
        if len(window) > ahead:
            yield window.popleft()
    yield from sorted(window, key=lambda task: -task.estimate)
