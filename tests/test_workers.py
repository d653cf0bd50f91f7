"""Tests of the worker pool and of sharding."""

from __future__ import annotations

import os

import pytest

from cpomdocs.build.workers import in_shard, parse_shard, run_all
from cpomdocs.errors import UsageError


def _square(value: int) -> int:
    if value == 3:
        raise ValueError("trois")
    return value * value


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_all_returns_every_result_and_isolates_failures(jobs: int) -> None:
    outcome = {
        item: (result, error)
        for item, result, error in run_all(_square, range(6), jobs, preload=())
    }
    assert {k: v[0] for k, v in outcome.items() if k != 3} == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert isinstance(outcome[3][1], ValueError)


def _pid(_: int) -> int:
    return os.getpid()


def test_no_more_workers_than_items() -> None:
    alone = [result for _, result, _ in run_all(_pid, [1], 4, preload=())]
    assert alone == [os.getpid()]  # one item: no pool at all
    pids = {result for _, result, _ in run_all(_pid, range(2), 8, preload=())}
    assert os.getpid() not in pids  # two items: a pool (of two workers, not eight)


def test_shards_partition_the_portfolio() -> None:
    ids = [f"cpom-{n:04d}" for n in range(500)]
    shards = [[i for i in ids if in_shard(i, k, 4)] for k in range(1, 5)]
    assert sorted(sum(shards, [])) == ids
    assert all(80 < len(s) < 170 for s in shards)
    assert in_shard("cpom-0001", 1, 1)


def test_shard_membership_does_not_depend_on_the_rest_of_the_portfolio() -> None:
    assert [in_shard("ehpad-x", k, 8) for k in range(1, 9)].count(True) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3", "--shard '3' : attendu K/N, par exemple 2/8"),
        ("0/4", "--shard '0/4' : K doit être compris entre 1 et N"),
        ("5/4", "--shard '5/4' : K doit être compris entre 1 et N"),
    ],
)
def test_parse_shard_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_shard(text)
    assert str(caught.value) == message
    assert parse_shard("2/8") == (2, 8)
