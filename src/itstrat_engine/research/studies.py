"""Studies: many scenarios of one engagement, planned through any executor, as JSON lines.

A study file lists scenarios in the scenario format (`itstrat_engine.scenarios`: a
``change`` table, the same keys as a scenario file's ``[change]``), each with optional
``rules`` and ``params``, and sweeps that expand into scenarios::

    [study]
    id = "budget-and-rules"
    seed = 1
    time_limit = 10            # seconds per scenario (default: the engagement's)
    rules = ["wsjf"]           # default packs of every scenario (default: the file's)
    [[scenario]]
    id = "lean"
    change = { budget_factor = 0.8 }
    [[sweep]]                  # one scenario per combination, crossed in this key order:
    id = "budget"              #   budget_factor, cost_factor, rules, param_sets (the last
    budget_factor = [0.6, 0.8, 1.0]        # varies fastest)
    rules = [["wsjf"], ["rice"], ["risk", "moscow"]]
    param_sets = [{}, { min_size = 3 }]   # pack params per scenario (on top of `params`)
    change = { force_in = ["erp"] }   # applied to every scenario of the sweep

A sweep's scenarios are ``ID-001``, ``ID-002``, ... in that order, each row carrying the
values it was made with. Scenario ids must be unique in the study.

`run_study` plans every scenario as its own task: plain picklable data in, a plain row out
(`run_scenario`), one thread per solve, the study's time limit, its own seed (derived from
the study seed and the scenario's position) and the solver's own temporary directory. Any
`concurrent.futures.Executor` runs the tasks: none (here, one after the other), a process
pool, or a ``dask.distributed`` client's ``get_executor()``. A scenario that fails (an
invalid patch, a pack that does not load, a crashed worker) is an error row with the
located message; the others go on. Rows come back in scenario order whatever order the
tasks finish in, so the JSON lines are the same bytes serially and on a cluster (with
``timings=False``, which leaves out each row's seconds). Resuming skips the scenario ids
already in the output.
"""

import importlib
import itertools
import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from itstrat_engine.errors import (
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    MissingExtraError,
    Problem,
    UnreadableFileError,
)
from itstrat_engine.io import format_of, parse, read_text, structure_then
from itstrat_engine.model import ID_PATTERN, Engagement
from itstrat_engine.scenarios import apply_scenario, scenario_from_dict

__all__ = [
    "Study",
    "StudyResults",
    "StudyScenario",
    "done_ids",
    "load_study",
    "row_line",
    "run_scenario",
    "run_study",
    "study_from_dict",
]

Progress = Callable[[int, int], None]


def _study_id(_: object, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not ID_PATTERN.fullmatch(value):
        raise InvalidValueError(
            attribute.name,
            value,
            "lower-case letters, digits, '-', '_' or '.'",
            message="not a study or scenario id",
        )


def _time_limit(_: object, attribute: "attrs.Attribute[Any]", value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise InvalidValueError(attribute.name, value, "a number of seconds > 0")


def _seed(_: object, attribute: "attrs.Attribute[Any]", value: int) -> None:
    if value < 0:
        raise InvalidValueError(attribute.name, value, "a whole number >= 0")


@attrs.frozen(kw_only=True)
class StudyScenario:
    """One scenario of a study: a patch (`change`, scenario format), packs, params.

    `rules` None uses the study's packs (else the engagement's); `values` are the sweep
    values it was made from (empty for a listed scenario).
    """

    id: str = attrs.field(validator=_study_id)
    name: str = ""
    change: dict[str, Any] = attrs.field(factory=dict)
    rules: tuple[str, ...] | None = None
    params: dict[str, float] = attrs.field(factory=dict)
    values: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Study:
    """A named list of scenarios with one seed and one time limit per scenario.

    `source` is the study file (rule pack paths are relative to it, errors name it).
    """

    id: str = attrs.field(validator=_study_id)
    seed: int = attrs.field(default=0, validator=_seed)
    time_limit: float | None = attrs.field(default=None, validator=_time_limit)
    rules: tuple[str, ...] | None = None
    scenarios: tuple[StudyScenario, ...] = ()
    source: str | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class _Header:
    id: str = attrs.field(validator=_study_id)
    seed: int = attrs.field(default=0, validator=_seed)
    time_limit: float | None = attrs.field(default=None, validator=_time_limit)
    rules: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class _Listed:
    id: str = attrs.field(validator=_study_id)
    name: str = ""
    change: dict[str, Any] = attrs.field(factory=dict)
    rules: tuple[str, ...] | None = None
    params: dict[str, float] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class _Sweep:
    id: str = attrs.field(validator=_study_id)
    budget_factor: tuple[float, ...] = ()
    cost_factor: tuple[float, ...] = ()
    rules: tuple[tuple[str, ...], ...] = ()
    param_sets: tuple[dict[str, float], ...] = ()
    change: dict[str, Any] = attrs.field(factory=dict)
    params: dict[str, float] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class _StudyFile:
    study: _Header
    scenario: tuple[_Listed, ...] = ()
    sweep: tuple[_Sweep, ...] = ()


def _expanded(sweep: _Sweep) -> list[StudyScenario]:
    axes: list[tuple[str, Sequence[Any]]] = [
        (name, values)
        for name, values in (
            ("budget_factor", sweep.budget_factor),
            ("cost_factor", sweep.cost_factor),
            ("rules", sweep.rules),
            ("param_sets", sweep.param_sets),
        )
        if values
    ]
    combinations = list(itertools.product(*(values for _, values in axes)))
    scenarios = []
    for k, combination in enumerate(combinations, start=1):
        values = dict(zip((name for name, _ in axes), combination, strict=True))
        change = dict(sweep.change)
        for name in ("budget_factor", "cost_factor"):
            if name in values:
                change[name] = values[name]
        rules = values.get("rules")
        scenarios.append(
            StudyScenario(
                id=f"{sweep.id}-{k:03d}",
                change=change,
                rules=tuple(rules) if rules is not None else None,
                params={**sweep.params, **values.get("param_sets", {})},
                values={n: list(v) if isinstance(v, tuple) else v for n, v in values.items()},
            )
        )
    return scenarios


def study_from_dict(data: object, source: str | None = None) -> Study:
    """A `Study` from the plain data of a study file, strictly (located errors).

    Each scenario's ``change`` is checked as a scenario file's ``[change]`` is.

    >>> s = study_from_dict({"study": {"id": "s"}, "sweep": [{"id": "b", "budget_factor": [0.5, 1.0]}]})
    >>> [(c.id, c.values) for c in s.scenarios]
    [('b-001', {'budget_factor': 0.5}), ('b-002', {'budget_factor': 1.0})]
    """

    def build(parsed: _StudyFile) -> Study:
        scenarios = [
            StudyScenario(
                id=s.id, name=s.name, change=s.change, rules=s.rules, params=dict(s.params)
            )
            for s in parsed.scenario
        ]
        problems = []
        for k, sweep in enumerate(parsed.sweep):
            if not (sweep.budget_factor or sweep.cost_factor or sweep.rules or sweep.param_sets):
                problems.append(
                    Problem(
                        code="empty-sweep",
                        path=f"sweep[{k}]",
                        message="a sweep needs at least one list of values to sweep",
                        expected="budget_factor, cost_factor, rules or param_sets as a list",
                        suggestion="add budget_factor = [0.8, 1.0, 1.2]",
                    )
                )
            scenarios += _expanded(sweep)
        if not scenarios and not problems:
            problems.append(
                Problem(
                    code="empty-study",
                    path="study",
                    message="the study has no scenario to run",
                    expected="at least one [[scenario]] or [[sweep]]",
                    suggestion='add [[sweep]] id = "budget" budget_factor = [0.8, 1.0, 1.2]',
                )
            )
        ids = [s.id for s in scenarios]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(
                Problem(
                    code="duplicate-scenario",
                    path="scenario",
                    message="two scenarios of the study share an id",
                    value=", ".join(repr(i) for i in repeated),
                    suggestion="give each [[scenario]] and [[sweep]] its own id",
                )
            )
        listed = len(parsed.scenario)
        for k, scenario in enumerate(scenarios):
            where = f"scenario[{k}]" if k < listed else f"sweep.{scenario.id}"
            try:
                scenario_from_dict({"scenario": {"id": scenario.id}, "change": scenario.change})
            except ItstratError as error:
                problems += [attrs.evolve(p, path=f"{where}.{p.path}") for p in error.problems]
        if problems:
            raise InvalidEngagementError(problems)
        header = parsed.study
        return Study(
            id=header.id,
            seed=header.seed,
            time_limit=header.time_limit,
            rules=header.rules,
            scenarios=tuple(scenarios),
            source=source,
        )

    return structure_then(data, _StudyFile, build, source)


def load_study(path: str | Path) -> Study:
    """Read a study file (TOML, JSON or YAML); errors are located in it."""
    path = Path(path)
    return study_from_dict(parse(read_text(path), format_of(path), str(path)), str(path))


# --------------------------------------------------------------------------- the tasks


@attrs.frozen(kw_only=True)
class _Task:
    """One scenario as plain picklable data: what `run_scenario` needs and nothing more."""

    position: int
    seed: int
    engagement: Engagement
    scenario: StudyScenario
    rules: tuple[str, ...] | None
    time_limit: float | None
    study_source: str | None
    study: str = "study"
    timings: bool


def _scenario_seed(seed: int, position: int) -> int:
    """A scenario's own seed: from the study seed and its position, never from the run."""
    return int(np.random.SeedSequence([seed, position]).generate_state(1)[0])


def _rule_reference(name: str, study_source: str | None) -> str:
    # A pack path in a study file is relative to the study file, as in a scenario file.
    if name.endswith(".toml") and study_source is not None and not Path(name).is_absolute():
        return str(Path(study_source).parent / name)
    return name


def _row(task: _Task, started: float, **fields: Any) -> dict[str, Any]:
    scenario = task.scenario
    row: dict[str, Any] = {
        "study": task.study,
        "scenario": scenario.id,
        "name": scenario.name,
        "values": scenario.values,
        "seed": task.seed,
        "status": "error",
        "objective_value": None,
        "best_bound": None,
        "gap": None,
        "selected": [],
        "message": "",
    }
    row.update(fields)
    if task.timings:
        row["seconds"] = round(time.perf_counter() - started, 3)
    return row


def run_scenario(task: _Task) -> dict[str, Any]:
    """Plan one scenario of a study: its row (an error row when anything fails).

    Top level and pure, so a process pool or a dask worker can run it.
    """
    from itstrat_engine.optimize.planner import plan  # noqa: PLC0415 - loads the solvers

    started = time.perf_counter()
    scenario = task.scenario
    try:
        patch = scenario_from_dict(
            {"scenario": {"id": scenario.id, "name": scenario.name}, "change": scenario.change},
            task.study_source,
        )
        variant = apply_scenario(task.engagement, patch)
        rules = scenario.rules if scenario.rules is not None else task.rules
        result = plan(
            variant,
            rules=[_rule_reference(r, task.study_source) for r in rules]
            if rules is not None
            else None,
            params=dict(scenario.params) or None,
            time_limit=task.time_limit,
            threads=1,
        )
    except ItstratError as error:
        located = error.located(task.study_source)
        return _row(task, started, message="; ".join(str(p) for p in located) or str(error))
    except Exception as error:  # noqa: BLE001 - an engine bug in one scenario never sinks the study
        return _row(task, started, message=f"{type(error).__name__}: {error}")
    labels = result.engagement.scope.labels
    return _row(
        task,
        started,
        status=result.status.value,
        objective_value=result.objective_value,
        best_bound=result.best_bound
        if result.best_bound is not None and math.isfinite(result.best_bound)
        else None,
        gap=result.gap,
        selected=[
            {"id": i.id, "start": i.start, "start_label": labels[i.start]}
            for i in sorted(result.selected, key=lambda i: (i.start, i.id))
        ],
        message="" if result.status.has_plan else result.message,
    )


# --------------------------------------------------------------------------- the study


@attrs.frozen(kw_only=True)
class StudyResults:
    """The rows of a run, in scenario order (skipped scenarios are not among them)."""

    study: str
    rows: tuple[dict[str, Any], ...]
    skipped: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[dict[str, Any], ...]:
        """The error rows."""
        return tuple(r for r in self.rows if r["status"] == "error")

    def to_frame(self) -> Any:
        """The rows as a pandas DataFrame, one row per scenario (needs pandas).

        The ``selected`` column holds the number of selected initiatives, ``portfolio`` their
        ids joined by spaces. Raises `MissingExtraError` without pandas.
        """
        try:
            pd: Any = importlib.import_module("pandas")  # optional, untyped
        except ImportError:
            raise MissingExtraError("StudyResults.to_frame", "pandas") from None
        records = [
            {
                **{k: v for k, v in row.items() if k not in {"selected", "values"}},
                **{f"value.{k}": _cell(v) for k, v in row["values"].items()},
                "selected": len(row["selected"]),
                "portfolio": " ".join(s["id"] for s in row["selected"]),
            }
            for row in self.rows
        ]
        return pd.DataFrame.from_records(records)


def _cell(value: object) -> object:
    """A sweep value as one frame cell: packs joined by +, params as name=value pairs."""
    if isinstance(value, list):
        return "+".join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}={v:g}" for k, v in sorted(value.items()))
    return value


def row_line(row: Mapping[str, Any]) -> str:
    """One row as a JSON line (stable key order, no NaN)."""
    return json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n"


def done_ids(path: str | Path, study: str | None = None) -> tuple[set[str], list[str]]:
    """The scenario ids already in a JSON lines output, and its complete lines.

    With `study`, a row of another study is refused (resuming into the wrong file).

    A last line cut short (a run stopped while writing) is not counted and not kept, so
    the resumed run plans that scenario again. Missing file: nothing done. Raises
    `UnreadableFileError` when a complete line is not a study row.
    """
    path = Path(path)
    if not path.exists():
        return set(), []
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    done: set[str] = set()
    kept: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines) and not line.endswith("\n"):
                break  # the cut-off tail of a stopped run
            row = None
        if not isinstance(row, dict) or not isinstance(row.get("scenario"), str):
            raise UnreadableFileError(
                Problem(
                    code="not-a-study-row",
                    path=f"line {number}",
                    message="this line is not a study result row",
                    value=line.strip()[:60],
                    expected='a JSON object with a "scenario" id',
                    suggestion="write the results to a new file, or remove the line",
                    file=str(path),
                )
            )
        if study is not None and row.get("study") != study:
            raise UnreadableFileError(
                Problem(
                    code="other-study",
                    path=f"line {number}",
                    message="this output holds rows of another study",
                    value=repr(row.get("study")),
                    expected=repr(study),
                    suggestion="write the results to a new file, or pass --restart",
                    file=str(path),
                )
            )
        done.add(row["scenario"])
        kept.append(line if line.endswith("\n") else line + "\n")
    return done, kept


def run_study(
    engagement: Engagement,
    study: Study | Iterable[StudyScenario],
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    skip: Iterable[str] = (),
    on_row: Callable[[dict[str, Any]], None] | None = None,
    timings: bool = True,
) -> StudyResults:
    """Plan every scenario of a study through `executor` (here, one by one, without one).

    `study` is a `Study` or scenarios alone (seed 0, the engagement's time limit). The
    scenarios whose ids are in `skip` are not run (a resume). `on_row` receives each row
    as soon as it and every row before it are done (stream them to a file: the order is
    the scenario order); `progress` is called with (done, total) as each task finishes.
    `timings=False` leaves each row's seconds out, so equal input gives equal rows.

    >>> import itstrat_engine as it
    >>> study = study_from_dict(
    ...     {"study": {"id": "s", "time_limit": 10}, "sweep": [{"id": "b", "budget_factor": [0.5, 1.0]}]}
    ... )
    >>> rows = run_study(it.generate(6, seed=1), study, timings=False).rows
    >>> [(r["scenario"], r["status"]) for r in rows]
    [('b-001', 'optimal'), ('b-002', 'optimal')]
    """
    if not isinstance(study, Study):
        study = Study(id="study", scenarios=tuple(study))
    skipped = set(skip)
    tasks = [
        _Task(
            position=k,
            seed=_scenario_seed(study.seed, k),
            engagement=engagement,
            scenario=scenario,
            rules=study.rules,
            time_limit=study.time_limit,
            study_source=study.source,
            study=study.id,
            timings=timings,
        )
        for k, scenario in enumerate(study.scenarios)
        if scenario.id not in skipped
    ]
    rows: list[dict[str, Any]] = []
    if executor is None:
        for task in tasks:
            rows.append(run_scenario(task))
            if progress is not None:
                progress(len(rows), len(tasks))
            if on_row is not None:
                on_row(rows[-1])
    else:
        futures = [executor.submit(run_scenario, task) for task in tasks]
        position = {future: k for k, future in enumerate(futures)}
        ready: dict[int, dict[str, Any]] = {}
        for done, future in enumerate(as_completed(futures), start=1):
            k = position[future]
            try:
                ready[k] = future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker is that scenario's error row
                ready[k] = _row(
                    tasks[k], time.perf_counter(), message=f"{type(error).__name__}: {error}"
                )
            if progress is not None:
                progress(done, len(tasks))
            while len(rows) in ready:  # stream the finished prefix, in scenario order
                rows.append(ready.pop(len(rows)))
                if on_row is not None:
                    on_row(rows[-1])
    return StudyResults(
        study=study.id,
        rows=tuple(rows),
        skipped=tuple(s.id for s in study.scenarios if s.id in skipped),
    )
