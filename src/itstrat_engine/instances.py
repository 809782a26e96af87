"""Public benchmark instances as engagements: external truth for the optimizer.

Two families of benchmarks with proven optima map directly onto the engagement model:

- the OR-Library *multidimensional 0-1 knapsack* (``mknap1.txt``, ``mknapcb*.txt``) is
  portfolio selection under several budgets: `read_mknap` reads a file,
  `knapsack_engagement` turns one problem into a one-period engagement whose value-optimal
  plan is the knapsack optimum;
- the PSPLIB *resource-constrained project scheduling* single-mode ``.sm`` files (j30 ...)
  are sequencing under skill capacity: `read_psplib` reads a file, `rcpsp_engagement` turns
  it into an engagement whose makespan-optimal plan is the RCPSP optimum.

`load_optima` reads the ``optima.csv`` files that list the proven optimum of each instance.
A file that cannot be read raises `UnreadableFileError`; a malformed one raises
`InstanceError`, located by file and line.

>>> instance = KnapsackInstance(
...     name="tiny", profits=(10.0, 7.0, 4.0), weights=((3.0, 2.0, 2.0),), capacities=(4.0,)
... )
>>> engagement = knapsack_engagement(instance)
>>> [item.id for item in engagement.initiatives], engagement.capacity.budget
(['item-1', 'item-2', 'item-3'], 4.0)
"""

import csv
import heapq
import io
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.io import read_text
from itstrat_engine.model import (
    MAX_PERIODS,
    Capacity,
    Engagement,
    Initiative,
    PerPeriod,
    PlanSettings,
    Scope,
)

__all__ = [
    "InstanceError",
    "KnapsackInstance",
    "RcpspInstance",
    "RcpspJob",
    "knapsack_engagement",
    "load_optima",
    "rcpsp_engagement",
    "read_mknap",
    "read_psplib",
    "serial_schedule",
]


class InstanceError(ItstratError, ValueError):
    """A benchmark instance file is malformed, or an instance cannot become an engagement.

    `problem` locates the mistake (``file: line N: message``); `problems` holds it as a
    one-element tuple, like the other input errors.
    """

    def __init__(self, problem: Problem) -> None:
        """Keep the located problem."""
        self.problem = problem
        self.problems = (problem,)
        super().__init__(str(problem))


def _error(
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    value: str | None = None,
    expected: str | None = None,
    suggestion: str | None = None,
) -> InstanceError:
    return InstanceError(
        Problem(
            code="malformed-instance",
            path=f"line {line}" if line is not None else "",
            message=message,
            value=value,
            expected=expected,
            suggestion=suggestion,
            file=file,
        )
    )


# --------------------------------------------------------------------------- knapsack


@attrs.frozen(kw_only=True)
class KnapsackInstance:
    """One multidimensional 0-1 knapsack problem.

    Maximize ``sum(profits[j] * x[j])`` subject to ``sum(weights[i][j] * x[j]) <=
    capacities[i]`` for every constraint ``i``, with ``x[j]`` in {0, 1}. `weights` has one
    row of `n` numbers per constraint. `optimum` is the optimum the file states (None when
    the file gives 0, meaning not given). `source` and `index` (1-based) say where it was read.
    """

    name: str
    profits: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    capacities: tuple[float, ...]
    optimum: float | None = None
    source: str | None = None
    index: int | None = None

    @property
    def n(self) -> int:
        """Number of items."""
        return len(self.profits)

    @property
    def m(self) -> int:
        """Number of constraints."""
        return len(self.capacities)


class _Tokens:
    """Whitespace-separated tokens with the line each one is on."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.items = [
            (token, number)
            for number, line in enumerate(text.splitlines(), start=1)
            for token in line.split()
        ]
        self.last_line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        self.position = 0

    def done(self) -> bool:
        return self.position >= len(self.items)

    def number(self, what: str, *, whole: bool = False, minimum: float = 0.0) -> float:
        if self.done():
            raise _error(
                f"the file ends while reading {what}",
                file=self.file,
                line=self.last_line,
                suggestion="the file is truncated or a count in a header is wrong",
            )
        token, line = self.items[self.position]
        self.position += 1
        expected = "a whole number" if whole else "a number"
        expected += f" >= {minimum:g}"
        try:
            value = float(token)
        except ValueError:
            raise _error(
                f"not a number in {what}",
                file=self.file,
                line=line,
                value=repr(token),
                expected=expected,
            ) from None
        if not math.isfinite(value) or value < minimum or (whole and not value.is_integer()):
            raise _error(
                f"invalid value in {what}",
                file=self.file,
                line=line,
                value=repr(token),
                expected=expected,
            )
        return value

    def numbers(self, count: int, what: str) -> tuple[float, ...]:
        return tuple(self.number(what) for _ in range(count))


def read_mknap(path: str | Path) -> tuple[KnapsackInstance, ...]:
    """Read an OR-Library multidimensional knapsack file (``mknap1.txt``, ``mknapcb1.txt``).

    The format is a stream of whitespace-separated numbers (line breaks mean nothing): the
    number of problems K, then for each problem ``n m opt``, n profits, m rows of n weights
    and m capacities. Problem k is named ``<file stem>-<k>`` (1-based). Raises
    `UnreadableFileError` if the file cannot be read and `InstanceError` (with the line) if
    it is malformed: a non-number, a negative or non-finite value, a truncated problem, or
    data after the last problem.
    """
    path = Path(path)
    file = str(path)
    tokens = _Tokens(read_text(path), file)
    if tokens.done():
        raise _error("the file holds no numbers", file=file, line=1, expected="K, n, m, ...")
    count = int(tokens.number("the number of problems", whole=True, minimum=1))
    problems = []
    for k in range(1, count + 1):
        where = f"problem {k}"
        n = int(tokens.number(f"the item count of {where}", whole=True, minimum=1))
        m = int(tokens.number(f"the constraint count of {where}", whole=True, minimum=1))
        optimum = tokens.number(f"the optimum of {where}")
        profits = tokens.numbers(n, f"the profits of {where}")
        weights = tuple(
            tokens.numbers(n, f"row {i + 1} of the weights of {where}") for i in range(m)
        )
        capacities = tokens.numbers(m, f"the capacities of {where}")
        problems.append(
            KnapsackInstance(
                name=f"{path.stem}-{k}",
                profits=profits,
                weights=weights,
                capacities=capacities,
                optimum=optimum or None,
                source=path.name,
                index=k,
            )
        )
    if not tokens.done():
        token, line = tokens.items[tokens.position]
        raise _error(
            f"data after the {count} problems the file announces",
            file=file,
            line=line,
            value=repr(token),
            suggestion="check the problem count on the first line",
        )
    return tuple(problems)


def _width(count: int) -> int:
    return len(str(count))


def knapsack_engagement(instance: KnapsackInstance) -> Engagement:
    """A one-period engagement whose value-optimal plan solves the knapsack problem.

    Each item is an initiative ``item-<j>`` (duration 1, value = profit). Constraint 1 is
    the money: cost = weight, total budget = capacity. Every other constraint ``i`` is a
    skill pool ``constraint-<i>``: effort = weight, hours per period = capacity. The plan
    objective is ``value`` with a zero gap. Raises `InstanceError` when the weight rows do
    not have one number per item.
    """
    for row, weights in enumerate(instance.weights, start=1):
        if len(weights) != instance.n:
            raise _error(
                f"{instance.name}: weight row {row} has {len(weights)} numbers",
                expected=f"{instance.n}, one per item",
                file=instance.source,
            )
    if len(instance.weights) != instance.m:
        raise _error(
            f"{instance.name}: {len(instance.weights)} weight rows",
            expected=f"{instance.m}, one per capacity",
            file=instance.source,
        )
    width = _width(instance.n)
    skills: dict[str, PerPeriod] = {
        f"constraint-{i + 1}": instance.capacities[i] for i in range(1, instance.m)
    }
    initiatives = tuple(
        Initiative(
            id=f"item-{j + 1:0{width}d}",
            name=f"Item {j + 1}",
            duration=1,
            cost=instance.weights[0][j],
            effort={
                f"constraint-{i + 1}": instance.weights[i][j]
                for i in range(1, instance.m)
                if instance.weights[i][j]
            },
            value=instance.profits[j],
        )
        for j in range(instance.n)
    )
    return Engagement(
        scope=Scope(
            client=instance.name,
            mission=f"Multidimensional knapsack {instance.name}: n={instance.n}, m={instance.m}",
            start="2000",
            period="year",
            periods=1,
        ),
        initiatives=initiatives,
        capacity=Capacity(budget=instance.capacities[0], skills=skills),
        plan=PlanSettings(objective="value", gap=0.0),
    )


# --------------------------------------------------------------------------- RCPSP


@attrs.frozen(kw_only=True)
class RcpspJob:
    """One job of an RCPSP instance.

    `number` is 1-based, as in the file; `demands` is the per-period demand on each renewable
    resource; `successors` lists the numbers of the jobs that start after it finishes.
    """

    number: int
    duration: int
    demands: tuple[int, ...]
    successors: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class RcpspInstance:
    """A single-mode resource-constrained project scheduling instance (PSPLIB ``.sm``).

    `jobs` are in file order and numbered 1, 2, ..., dummy source and sink included
    (successors refer to those numbers); `capacities` gives the constant per-period
    availability of each renewable resource; `horizon` is the file's trivial bound (the sum
    of durations).
    """

    name: str
    jobs: tuple[RcpspJob, ...]
    capacities: tuple[int, ...]
    horizon: int | None = None
    source: str | None = None

    @property
    def resources(self) -> int:
        """Number of renewable resources."""
        return len(self.capacities)


_HEADER = {
    "jobs": re.compile(r"^jobs\b.*:\s*(\S+)\s*$"),
    "horizon": re.compile(r"^horizon\s*:\s*(\S+)\s*$"),
    "renewable": re.compile(r"^-\s*renewable\s*:\s*(\S+)"),
    "nonrenewable": re.compile(r"^-\s*nonrenewable\s*:\s*(\S+)"),
    "doubly": re.compile(r"^-\s*doubly constrained\s*:\s*(\S+)"),
}
_SECTIONS = {
    "PRECEDENCE RELATIONS:": "precedence",
    "REQUESTS/DURATIONS:": "requests",
    "RESOURCEAVAILABILITIES:": "availabilities",
}


class _PsplibReader:
    """Line-by-line state machine over an ``.sm`` file."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.lines = read_text(path).splitlines()
        self.header: dict[str, tuple[int, int]] = {}  # key -> (value, line)
        self.sections: dict[str, list[tuple[int, list[str]]]] = {}  # rows with line numbers

    def error(self, message: str, line: int | None, **details: str) -> InstanceError:
        return _error(message, file=self.file, line=line, **details)

    def integer(self, token: str, line: int, what: str, minimum: int = 0) -> int:
        try:
            value = int(token)
        except ValueError:
            raise self.error(
                f"not a whole number in {what}",
                line,
                value=repr(token),
                expected=f"a whole number >= {minimum}",
            ) from None
        if value < minimum:
            raise self.error(
                f"invalid {what}", line, value=repr(token), expected=f"a whole number >= {minimum}"
            )
        return value

    def scan(self) -> None:
        section: str | None = None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            if line.startswith("*"):
                section = None
                continue
            if line in _SECTIONS:
                section = _SECTIONS[line]
                if section in self.sections:
                    raise self.error(f"a second {line} section", number)
                self.sections[section] = []
                continue
            if section is not None:
                tokens = line.split()
                # Header lines ("jobnr. ...", "R 1 R 2", dashes) start with a non-digit.
                if tokens and tokens[0].isdigit():
                    self.sections[section].append((number, tokens))
                continue
            for key, pattern in _HEADER.items():
                match = pattern.match(line)
                if match and key not in self.header:
                    self.header[key] = (
                        self.integer(match.group(1), number, f"the {key} header"),
                        number,
                    )

    def need(self, key: str, what: str) -> int:
        if key not in self.header:
            raise self.error(f"no {what} line", len(self.lines) or 1, expected=what)
        return self.header[key][0]

    def rows(self, section: str, title: str) -> list[tuple[int, list[str]]]:
        if section not in self.sections:
            raise self.error(f"no {title} section", len(self.lines) or 1)
        return self.sections[section]

    def read(self) -> RcpspInstance:
        self.scan()
        count = self.need("jobs", "'jobs (incl. supersource/sink ): N'")
        renewable = self.need("renewable", "'- renewable : N R'")
        for key in ("nonrenewable", "doubly"):
            if self.header.get(key, (0, 0))[0]:
                raise self.error(
                    f"{key} resources are not supported",
                    self.header[key][1],
                    expected="0 (only renewable resources map to skills)",
                )
        precedence = self.rows("precedence", "PRECEDENCE RELATIONS:")
        requests = self.rows("requests", "REQUESTS/DURATIONS:")
        availability = self.rows("availabilities", "RESOURCEAVAILABILITIES:")
        for rows, title in ((precedence, "PRECEDENCE RELATIONS"), (requests, "REQUESTS")):
            if len(rows) != count:
                where = rows[-1][0] if rows else None
                raise self.error(
                    f"{title} lists {len(rows)} jobs", where, expected=f"{count} (the jobs header)"
                )
        successors: list[tuple[int, ...]] = []
        for position, (line, tokens) in enumerate(precedence, start=1):
            if len(tokens) < 3:
                raise self.error(
                    "short precedence line", line, expected="jobnr #modes #successors succ..."
                )
            job = self.integer(tokens[0], line, "the job number", 1)
            if job != position:
                raise self.error(
                    "jobs out of order", line, value=repr(job), expected=f"job {position}"
                )
            modes = self.integer(tokens[1], line, "the mode count", 1)
            if modes != 1:
                raise self.error(
                    "multi-mode jobs are not supported",
                    line,
                    value=repr(modes),
                    expected="1 mode (a single-mode .sm file)",
                )
            declared = self.integer(tokens[2], line, "the successor count")
            listed = [self.integer(t, line, "a successor", 1) for t in tokens[3:]]
            if len(listed) != declared:
                raise self.error(
                    f"job {job} declares {declared} successors, lists {len(listed)}", line
                )
            for successor in listed:
                if successor > count:
                    raise self.error(
                        f"job {job} has an unknown successor",
                        line,
                        value=repr(successor),
                        expected=f"a job number 1..{count}",
                    )
            successors.append(tuple(listed))
        jobs = []
        for position, (line, tokens) in enumerate(requests, start=1):
            if len(tokens) != 3 + renewable:
                raise self.error(
                    "wrong number of columns in a request line",
                    line,
                    value=str(len(tokens)),
                    expected=f"{3 + renewable}: jobnr mode duration and {renewable} demands",
                )
            job = self.integer(tokens[0], line, "the job number", 1)
            if job != position:
                raise self.error(
                    "jobs out of order", line, value=repr(job), expected=f"job {position}"
                )
            jobs.append(
                RcpspJob(
                    number=job,
                    duration=self.integer(tokens[2], line, "a duration"),
                    demands=tuple(self.integer(t, line, "a demand") for t in tokens[3:]),
                    successors=successors[position - 1],
                )
            )
        if len(availability) != 1 or len(availability[0][1]) != renewable:
            where = availability[0][0] if availability else None
            raise self.error(
                "malformed resource availabilities",
                where,
                expected=f"one line of {renewable} capacities",
            )
        line, tokens = availability[0]
        capacities = tuple(self.integer(t, line, "a capacity") for t in tokens)
        horizon = self.header.get("horizon")
        return RcpspInstance(
            name=Path(self.file).stem,
            jobs=tuple(jobs),
            capacities=capacities,
            horizon=horizon[0] if horizon else None,
            source=Path(self.file).name,
        )


def read_psplib(path: str | Path) -> RcpspInstance:
    """Read a PSPLIB single-mode ``.sm`` file (j30, j60, j90, j120).

    The instance is named after the file (``j301_1``). Raises `UnreadableFileError` if the
    file cannot be read and `InstanceError` (with the line) if it is malformed or uses what
    the engine cannot express (several modes, non-renewable resources).
    """
    return _PsplibReader(Path(path)).read()


def _topological(instance: RcpspInstance) -> list[int]:
    """Job indexes in a precedence-feasible order (Kahn, lowest number first)."""
    count = len(instance.jobs)
    indegree = [0] * count
    for position, job in enumerate(instance.jobs, start=1):
        if job.number != position:
            raise _error(
                f"{instance.name}: job {position} is numbered {job.number}",
                expected="jobs numbered 1, 2, ... in order",
                file=instance.source,
            )
    for job in instance.jobs:
        for successor in job.successors:
            if not 1 <= successor <= count:
                raise _error(
                    f"{instance.name}: job {job.number} has an unknown successor {successor}",
                    file=instance.source,
                )
            indegree[successor - 1] += 1
    ready = [j for j in range(count) if indegree[j] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        j = heapq.heappop(ready)
        order.append(j)
        for successor in instance.jobs[j].successors:
            indegree[successor - 1] -= 1
            if indegree[successor - 1] == 0:
                heapq.heappush(ready, successor - 1)
    if len(order) != count:
        raise _error(
            f"{instance.name}: the precedence relations have a cycle", file=instance.source
        )
    return order


def _real_predecessors(instance: RcpspInstance, order: list[int]) -> dict[int, set[int]]:
    """Direct predecessors of every job with a duration, among jobs with a duration.

    Zero-duration jobs are bypassed: their predecessors pass through to their successors.
    """
    count = len(instance.jobs)
    carried: list[set[int]] = [set() for _ in range(count)]  # real jobs reaching j directly
    for j in order:
        job = instance.jobs[j]
        passed = {j} if job.duration > 0 else carried[j]
        for successor in job.successors:
            carried[successor - 1] |= passed
    return {j: carried[j] for j in range(count) if instance.jobs[j].duration > 0}


def _check_demands(instance: RcpspInstance) -> None:
    for job in instance.jobs:
        if len(job.demands) != instance.resources:
            raise _error(
                f"{instance.name}: job {job.number} has {len(job.demands)} demands",
                expected=f"{instance.resources}, one per resource",
                file=instance.source,
            )
        for k, (demand, capacity) in enumerate(zip(job.demands, instance.capacities, strict=True)):
            if job.duration > 0 and demand > capacity:
                raise _error(
                    f"{instance.name}: job {job.number} needs {demand} of resource {k + 1}, "
                    f"which has {capacity}: no schedule exists",
                    file=instance.source,
                )


_Priority = Callable[[int], tuple[float, int]]


def _sgs(
    instance: RcpspInstance,
    predecessors: dict[int, set[int]],
    priority: _Priority,
    limit: int,
) -> dict[int, int]:
    """Serial schedule generation with one priority rule.

    Repeatedly take the eligible job of smallest priority and start it at the first period
    where its predecessors have finished and every resource has room for it.
    """
    capacities = instance.capacities
    free = [list(capacities) for _ in range(limit)]
    start: dict[int, int] = {}
    pending = {j: set(p) for j, p in predecessors.items()}
    successors: dict[int, list[int]] = {j: [] for j in predecessors}
    for j, before in predecessors.items():
        for p in before:
            successors[p].append(j)
    eligible = [(priority(j), j) for j, before in pending.items() if not before]
    heapq.heapify(eligible)
    while eligible:
        _, j = heapq.heappop(eligible)
        job = instance.jobs[j]
        t = max((start[p] + instance.jobs[p].duration for p in predecessors[j]), default=0)
        while not all(
            free[u][k] >= job.demands[k]
            for u in range(t, t + job.duration)
            for k in range(len(capacities))
        ):
            t += 1
        for u in range(t, t + job.duration):
            for k, demand in enumerate(job.demands):
                free[u][k] -= demand
        start[j] = t
        for s in successors[j]:
            pending[s].discard(j)
            if not pending[s]:
                heapq.heappush(eligible, (priority(s), s))
    return start


def serial_schedule(instance: RcpspInstance) -> dict[int, int]:
    """A feasible schedule by the serial schedule-generation scheme: job number -> start.

    Jobs of zero duration are left out (the dummy source and sink). The scheme is run with
    five classic priority rules (latest finish time, latest start time, most total
    successors, greatest rank positional weight, and file order) and the schedule with the
    smallest makespan is kept (the first one on ties), so its makespan is a valid upper bound
    on the optimum. On the 48 j30 files it is 2.7% above the optimum on average (at most 14%,
    equal on 27), while the sum of durations, the file's trivial horizon, is about three
    times the optimum. Raises `InstanceError` for inconsistent data: a cycle, an unknown
    successor, a demand above a resource's capacity.
    """
    _check_demands(instance)
    order = _topological(instance)
    predecessors = _real_predecessors(instance, order)
    jobs = instance.jobs
    if not predecessors:
        return {}
    limit = sum(job.duration for job in jobs) + 1
    successors: dict[int, set[int]] = {j: set() for j in predecessors}
    for j, before in predecessors.items():
        for p in before:
            successors[p].add(j)
    # Latest finish by a backward pass against the trivial horizon; all successors (transitive).
    real = [j for j in order if j in predecessors]
    latest_finish: dict[int, int] = {}
    below: dict[int, set[int]] = {}
    for j in reversed(real):
        latest_finish[j] = min(
            (latest_finish[s] - jobs[s].duration for s in successors[j]), default=limit
        )
        below[j] = set().union(*(below[s] | {s} for s in successors[j]))
    rules: list[_Priority] = [
        lambda j: (latest_finish[j], j),
        lambda j: (latest_finish[j] - jobs[j].duration, j),
        lambda j: (-len(below[j]), j),
        lambda j: (-(jobs[j].duration + sum(jobs[s].duration for s in successors[j])), j),
        lambda j: (j, j),
    ]
    schedules = [_sgs(instance, predecessors, rule, limit) for rule in rules]
    best = min(schedules, key=lambda found: max(found[j] + jobs[j].duration for j in found))
    return {jobs[j].number: start for j, start in sorted(best.items())}


def rcpsp_engagement(instance: RcpspInstance, horizon: int | None = None) -> Engagement:
    """An engagement whose makespan-optimal plan solves the RCPSP instance.

    Every job with a duration becomes an initiative ``job-<number>``; zero-duration jobs (the
    dummy source and sink) are dropped and precedence passes through them, so `requires`
    lists each job's predecessors among real jobs. Each renewable resource ``k`` becomes a
    skill ``r<k>`` with constant hours per period = capacity; a job's effort is demand x
    duration, which the even spread over its running periods turns back into its per-period
    demand. One period is one time unit (labelled as years from 2000). The objective is
    ``makespan`` with a zero gap.

    `horizon` (the number of periods) defaults to the makespan of `serial_schedule`, a
    feasible schedule, so the optimum always fits and the model has far fewer start
    variables than with the file's sum of durations. A smaller horizon can make the plan
    infeasible. Raises `InstanceError` for inconsistent data or a horizon above the
    engine's limit of periods.
    """
    _check_demands(instance)
    order = _topological(instance)
    predecessors = _real_predecessors(instance, order)
    if not predecessors:
        raise _error(f"{instance.name}: no job has a duration", file=instance.source)
    jobs = instance.jobs
    if horizon is None:
        schedule = serial_schedule(instance)
        horizon = max(start + jobs[n - 1].duration for n, start in schedule.items())
    if not 1 <= horizon <= MAX_PERIODS:
        raise _error(
            f"{instance.name}: horizon of {horizon} periods",
            expected=f"1..{MAX_PERIODS} periods",
            file=instance.source,
        )
    width = _width(len(jobs))

    def job_id(j: int) -> str:
        return f"job-{jobs[j].number:0{width}d}"

    skills = [f"r{k + 1}" for k in range(instance.resources)]
    initiatives = tuple(
        Initiative(
            id=job_id(j),
            name=f"Job {jobs[j].number}",
            duration=jobs[j].duration,
            effort={
                skill: float(demand * jobs[j].duration)
                for skill, demand in zip(skills, jobs[j].demands, strict=True)
                if demand
            },
            requires=tuple(job_id(p) for p in sorted(predecessors[j])),
        )
        for j in sorted(predecessors)
    )
    return Engagement(
        scope=Scope(
            client=instance.name,
            mission=f"RCPSP {instance.name}: {len(initiatives)} jobs, "
            f"{instance.resources} renewable resources",
            start="2000",
            period="year",
            periods=horizon,
        ),
        initiatives=initiatives,
        capacity=Capacity(
            skills={skill: float(c) for skill, c in zip(skills, instance.capacities, strict=True)}
        ),
        plan=PlanSettings(objective="makespan", gap=0.0),
    )


# --------------------------------------------------------------------------- optima


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, row


def load_optima(path: str | Path) -> dict[str, float]:
    """Proven optima from an ``optima.csv``: instance name -> optimum.

    The file needs an ``instance`` column and one whose name starts with ``optimum``
    (``optimum``, ``optimum_makespan``); rows with an empty optimum are skipped. When the file
    also has ``file`` and ``index_in_file`` columns (the OR-Library list), each optimum is
    also keyed by the name `read_mknap` gives that problem (``mknapcb1-3``). Raises
    `InstanceError` (with the line) for a missing column or an optimum that is not a number.
    """
    path = Path(path)
    file = str(path)
    text = read_text(path)
    header = next(csv.reader(io.StringIO(text)), [])
    columns = [name for name in header if name.startswith("optimum")]
    if "instance" not in header or not columns:
        raise _error(
            "no instance or optimum column",
            file=file,
            line=1,
            value=repr(",".join(header)),
            expected="columns 'instance' and 'optimum' (or 'optimum_makespan')",
        )
    column = columns[0]
    located = "file" in header and "index_in_file" in header
    optima: dict[str, float] = {}
    for line, row in _rows(text):
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            raise _error(
                f"the {column} is not a number", file=file, line=line, value=repr(raw)
            ) from None
        if not math.isfinite(value):
            raise _error(f"the {column} is not finite", file=file, line=line, value=repr(raw))
        optima[row["instance"]] = value
        if located and row.get("file") and row.get("index_in_file"):
            optima[f"{Path(row['file']).stem}-{row['index_in_file'].strip()}"] = value
    return optima
