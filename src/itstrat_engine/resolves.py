"""What the analyses that re-solve one plan many times share: time shares and worker pools.

`explain` and `limits` run one independent re-plan (or a few) per initiative or per row.
A time budget for the whole call is split into equal shares; each re-plan runs on one
solver thread, so its answer does not depend on timing or on how many workers run; and
long runs go to a pool of spawned processes (PuLP and the solvers are not fork-safe once
threads have run).
"""

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import attrs

from itstrat_engine.errors import InvalidEngagementError, Problem
from itstrat_engine.optimize import Plan, Prepared

__all__ = [
    "POOL_AFTER",
    "SHORTEST",
    "TOO_LATE",
    "cores",
    "limited",
    "map_items",
    "one_thread",
    "seconds_left",
    "time_share",
    "worker_count",
]

POOL_AFTER = 10.0  # seconds of re-plans one process would need before a pool pays
POOL_START = 3.0  # seconds worker processes take to start and import the solvers
SHORTEST = 0.2  # seconds: the least a re-plan (or a test) is given
TOO_LATE = 0.05  # seconds left below which an item is not re-planned at all

_T = TypeVar("_T")


def cores() -> int:
    """The processes a pool started here may use: the CPUs, or 1 in a daemonic process.

    A daemonic process (a worker of another pool) may not start processes of its own.
    """
    if multiprocessing.current_process().daemon:
        return 1
    return os.cpu_count() or 1


def worker_count(plan: Plan, items: int, workers: int | None, solves_each: float) -> int:
    """How many processes to use: `workers`, or the CPUs when one process would be slow."""
    if workers is None:
        # Worker processes take about a second to start: worth it only for long runs.
        guess = plan.seconds * items * solves_each
        workers = cores() if guess > POOL_AFTER else 1
    return max(1, min(items, workers))


def time_share(budget: float | None, workers: int, items: int) -> float | None:
    """Seconds each item may take so that all of them fit in `budget` (None: no budget)."""
    if budget is None:
        return None
    if not (math.isfinite(budget) and budget > 0):
        raise InvalidEngagementError(
            [
                Problem(
                    code="invalid-time-budget",
                    path="time_budget",
                    message="the time budget must be a number of seconds > 0",
                    value=repr(budget),
                    suggestion="e.g. 120 for two minutes",
                )
            ]
        )
    usable = budget * 0.95 - (POOL_START if workers > 1 else 0.0)
    return max(SHORTEST, usable * workers / max(items, 1))


def deadline_of(budget: tuple[float, float] | None) -> float | None:
    """A `time.perf_counter` deadline from (own share, wall-clock end of the whole call)."""
    if budget is None:
        return None
    share, ends = budget
    return time.perf_counter() + min(share, ends - time.time())


def seconds_left(deadline: float | None) -> float | None:
    """Seconds until `deadline` (None: no deadline)."""
    return None if deadline is None else deadline - time.perf_counter()


def limited(prepared: Prepared, seconds: float) -> Prepared:
    """The preparation with its solves limited to `seconds` (never above its own limit)."""
    limit = min(prepared.settings.time_limit, max(seconds, SHORTEST))
    return prepared.with_settings(time_limit=limit)


def one_thread(plan: Plan) -> Plan:
    """The plan with its re-plans set to one solver thread each (for a worker process)."""
    return attrs.evolve(plan, prepared=plan.prepared.with_settings(threads=1))


Progress = Callable[[int, int], None]
"""A callback told ``(done, total)`` after each item (``itstrat`` prints it on a terminal)."""


def map_items(
    function: Callable[..., _T],
    items: Sequence[Any],
    workers: int,
    *shared: Any,
    progress: Progress | None = None,
) -> tuple[_T, ...]:
    """``function(*shared, item)`` for every item, in order, in `workers` processes."""
    n = len(items)

    def collect(results: Iterable[_T]) -> tuple[_T, ...]:
        done: list[_T] = []
        for result in results:  # in order: progress counts the finished prefix
            done.append(result)
            if progress is not None:
                progress(len(done), n)
        return tuple(done)

    if workers <= 1:
        return collect(function(*shared, item) for item in items)
    columns = [[value] * n for value in shared]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return collect(pool.map(function, *columns, items))
