"""Reach the proven optima of public benchmarks through every backend, beside the raw solvers.

For every instance (OR-Library mknap1 and mknapcb1, PSPLIB j30) and backend (``highs``,
``cbc``, ``cpsat``, ``auto``), this runs `itstrat_engine.optimize.plan` on the engagement
`itstrat_engine.instances` makes of it (gap 0), checks the value against the proven optimum
in ``optima.csv``, the status (optimal = proven) and `verify`. Then, once per instance, the
raw solvers run without the engine, with the same time limit:

- HiGHS and CBC on *the same model*: the engine's formulation written to MPS (with PuLP's
  renamed columns, the file PuLP itself hands to CBC), with the same relative and absolute
  gaps and thread setting (HiGHS: ``run()`` alone; CBC: the wall time of the process);
- for j30, a plain CP-SAT interval model written from the instance file alone (an interval
  per job over the file's trivial horizon, precedence, one cumulative per resource,
  minimize the makespan), every core as workers: the reference the issue names.

"best raw" is the fastest raw solver that proved the optimum (else the fastest that
reached it); engine/best is the engine's whole `plan` call (validation, presolve,
formulation, solve, decoding, verification) over that.

    python benchmarks/optima_bench.py                              # everything
    python benchmarks/optima_bench.py --quick --backends auto cpsat
    python benchmarks/optima_bench.py --only rcpsp --backends auto cpsat --raw cpsat-intervals
"""

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _benchdata import environment, markdown_table, require_benchdata

from itstrat_engine.instances import (
    RcpspInstance,
    knapsack_engagement,
    load_optima,
    rcpsp_engagement,
    read_mknap,
    read_psplib,
)
from itstrat_engine.model import Engagement
from itstrat_engine.optimize import Plan, Status, plan, prepare, verify
from itstrat_engine.optimize.formulation import formulate

BACKENDS = ["highs", "cbc", "cpsat", "auto"]
QUICK = {"mknapcb1-17", "mknapcb1-21", "mknapcb1-28", "j3040_1", "j3019_1", "j301_1"}


Case = tuple[str, str, float, Engagement, RcpspInstance | None]


def cases(
    folder: Path, only: str | None, quick: bool, names: list[str] | None = None
) -> list[Case]:
    """(set, instance, optimum, engagement, RCPSP instance) for every selected instance."""
    found: list[Case] = []
    if names:
        return [case for case in cases(folder, only, quick=False) if case[1] in names]
    if only in {None, "mknap"}:
        optima = load_optima(folder / "mkp" / "optima.csv")
        for file in ("mknap1.txt", "mknapcb1.txt"):
            for problem in read_mknap(folder / "mkp" / file):
                if quick and file != "mknap1.txt" and problem.name not in QUICK:
                    continue
                found.append(
                    (
                        Path(file).stem,
                        problem.name,
                        optima[problem.name],
                        knapsack_engagement(problem),
                        None,
                    )
                )
    if only in {None, "rcpsp"}:
        optima = load_optima(folder / "rcpsp" / "optima.csv")
        for path in sorted((folder / "rcpsp" / "j30").glob("*.sm"), key=_natural):
            if quick and path.stem not in QUICK:
                continue
            instance = read_psplib(path)
            found.append(
                ("j30", instance.name, optima[instance.name], rcpsp_engagement(instance), instance)
            )
    return found


def _natural(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.stem))


def _reached(value: float | None, optimum: float) -> bool:
    return value is not None and math.isclose(value, optimum, rel_tol=1e-9, abs_tol=1e-6)


def run_engine(
    engagement: Engagement, solver: str, time_limit: float, threads: int | None
) -> tuple[Plan, float]:
    """The plan and the wall time of the whole `plan` call."""
    started = time.perf_counter()
    result = plan(engagement, solver=solver, time_limit=time_limit, gap=0.0, threads=threads)
    return result, time.perf_counter() - started


def _new_highs() -> Any:
    import highspy  # noqa: PLC0415

    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    highs = core() if core is not None else highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    return highs


def raw_highs(
    mps: Path, maximize: bool, time_limit: float, gap: float, absolute: float, threads: int | None
) -> dict[str, Any]:
    """Solve the MPS file with highspy; time `run()` alone."""
    import highspy  # noqa: PLC0415

    highs = _new_highs()
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(gap))
    highs.setOptionValue("mip_abs_gap", float(absolute))
    highs.setOptionValue("random_seed", 0)
    if threads is not None:
        highs.setOptionValue("threads", int(threads))
    highs.readModel(str(mps))
    if maximize:
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = str(highs.getModelStatus()).rsplit(".", 1)[-1]
    info = highs.getInfo()
    has_value = info.primal_solution_status == 2  # kSolutionStatusFeasible
    return {
        "seconds": seconds,
        "value": info.objective_function_value if has_value else None,
        "proven": status == "kOptimal",
        "status": status,
    }


_CBC_RESULT = re.compile(r"^Result - (.+)$", re.MULTILINE)
_CBC_OBJECTIVE = re.compile(r"^Objective value:\s+(\S+)", re.MULTILINE)


def raw_cbc(
    mps: Path, maximize: bool, time_limit: float, gap: float, absolute: float, threads: int | None
) -> dict[str, Any]:
    """Run PuLP's CBC binary on the MPS file with the options PuLP passes; wall time."""
    from pulp.apis.coin_api import pulp_cbc_path  # noqa: PLC0415

    args = [pulp_cbc_path, str(mps)]
    if maximize:
        args.append("-max")
    args += ["-sec", str(time_limit), "-ratio", str(gap), "-allow", str(absolute)]
    if threads is not None:
        args += ["-threads", str(threads)]
    args += ["-timeMode", "elapsed", "-solve", "-quit"]
    started = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout  # noqa: S603
    seconds = time.perf_counter() - started
    result = _CBC_RESULT.search(out)
    text = result.group(1).strip() if result else "no result"
    objective = _CBC_OBJECTIVE.search(out)
    value = float(objective.group(1)) if objective and "infeasible" not in text.lower() else None
    return {
        "seconds": seconds,
        "value": value,
        "proven": text.startswith("Optimal solution found"),
        "status": text,
    }


RAW: dict[str, Callable[..., dict[str, Any]]] = {"highs": raw_highs, "cbc": raw_cbc}


def raw_cpsat_intervals(instance: RcpspInstance, time_limit: float) -> dict[str, Any]:
    """A plain CP-SAT RCPSP model from the file alone: intervals, precedence, cumulative."""
    from ortools.sat.python import cp_model  # noqa: PLC0415

    model = cp_model.CpModel()
    horizon = sum(job.duration for job in instance.jobs)
    starts, ends, intervals = {}, {}, {}
    for job in instance.jobs:
        starts[job.number] = model.new_int_var(0, horizon, f"s{job.number}")
        ends[job.number] = model.new_int_var(0, horizon, f"e{job.number}")
        intervals[job.number] = model.new_interval_var(
            starts[job.number], job.duration, ends[job.number], f"i{job.number}"
        )
    for job in instance.jobs:
        for successor in job.successors:
            model.add(starts[successor] >= ends[job.number])
    for k, capacity in enumerate(instance.capacities):
        users = [job for job in instance.jobs if job.demands[k] > 0]
        model.add_cumulative(
            [intervals[j.number] for j in users], [j.demands[k] for j in users], capacity
        )
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, [ends[j.number] for j in instance.jobs])
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = 0
    started = time.perf_counter()
    code = solver.solve(model)
    seconds = time.perf_counter() - started
    has_value = code in {cp_model.OPTIMAL, cp_model.FEASIBLE}
    return {
        "seconds": seconds,
        "value": solver.objective_value if has_value else None,
        "proven": code == cp_model.OPTIMAL,
        "status": solver.status_name(code),
    }


def run_raw(
    engagement: Engagement, solver: str, time_limit: float, threads: int | None
) -> dict[str, Any]:
    """Write the engine's model of the engagement to MPS and solve it with the raw solver."""
    formulation = formulate(prepare(engagement, gap=0.0))
    with tempfile.TemporaryDirectory(prefix="optima-bench-") as folder:
        mps = Path(folder) / "model.mps"
        formulation.problem.writeMPS(str(mps), rename=True)
        return RAW[solver](
            mps,
            formulation.maximize,
            time_limit,
            0.0,
            formulation.absolute_gap,
            threads,
        )


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if float(value).is_integer() else f"{value:.6g}"


def _best_raw(raw: dict[str, dict[str, Any]], optimum: float) -> tuple[str, float]:
    """The fastest raw solver that proved the optimum, else the fastest that reached it."""
    for test in (
        lambda r: r["proven"] and _reached(r["value"], optimum),
        lambda r: _reached(r["value"], optimum),
    ):
        good = [(r["seconds"], name) for name, r in raw.items() if test(r)]
        if good:
            seconds, name = min(good)
            return name, seconds
    return "-", math.nan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--backends", nargs="+", choices=BACKENDS, default=BACKENDS, help="engine backends"
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument(
        "--threads", type=int, default=None, help="solver threads (default: theirs)"
    )
    parser.add_argument("--only", choices=["mknap", "rcpsp"], default=None)
    parser.add_argument("--quick", action="store_true", help="mknap1 and a few other instances")
    parser.add_argument("--instances", nargs="+", help="only these (e.g. mknapcb1-3 j301_1)")
    parser.add_argument(
        "--raw",
        nargs="*",
        choices=["highs", "cbc", "cpsat-intervals"],
        default=["highs", "cbc", "cpsat-intervals"],
        help="raw solvers to run beside the engine (none: --raw with no names)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    folder = require_benchdata()
    selected = cases(folder, args.only, args.quick, args.instances)
    print(f"{len(selected)} instances x {len(args.backends)} backends", file=sys.stderr)

    records: list[dict[str, Any]] = []
    raws: dict[str, dict[str, dict[str, Any]]] = {}
    for family, name, optimum, engagement, instance in selected:
        raw: dict[str, dict[str, Any]] = {}
        for solver in args.raw:
            if solver in RAW:
                raw[solver] = run_raw(engagement, solver, args.time_limit, args.threads)
            elif instance is not None:
                raw[solver] = raw_cpsat_intervals(instance, args.time_limit)
        raws[name] = raw
        best_name, best_seconds = _best_raw(raw, optimum)
        for backend in args.backends:
            result, seconds = run_engine(engagement, backend, args.time_limit, args.threads)
            record = {
                "set": family,
                "instance": name,
                "backend": backend,
                "won by": result.solver,
                "optimum": optimum,
                "periods": engagement.periods,
                "value": result.objective_value,
                "status": result.status.value,
                "reached": _reached(result.objective_value, optimum),
                "proven": result.status == Status.OPTIMAL,
                "valid": verify(result, result.engagement) == ()
                if result.status.has_plan
                else None,
                "gap": result.gap,
                "seconds": seconds,
                "best_raw": best_name,
                "best_raw_seconds": best_seconds,
                "raw": raw,
            }
            records.append(record)
            print(
                f"{backend:5} {name:12} opt {optimum:>9g} engine {_number(record['value']):>9} "
                f"{record['status']:9} {seconds:7.2f}s best raw {best_name} {best_seconds:7.2f}s",
                file=sys.stderr,
                flush=True,
            )

    print(f"Environment: {environment()}; time limit {args.time_limit:g} s, gap 0.\n")
    raw_names = ["highs", "cbc", "cpsat-intervals"]
    for family in dict.fromkeys(r["set"] for r in records):
        names = list(dict.fromkeys(r["instance"] for r in records if r["set"] == family))
        header = ["instance", "optimum"]
        header += [f"{b} s" for b in args.backends]
        header += [f"raw {n} s" for n in raw_names if any(n in raws[i] for i in names)]
        rows = []
        for instance_name in names:
            group = {r["backend"]: r for r in records if r["instance"] == instance_name}
            first = next(iter(group.values()))
            row = [instance_name, _number(first["optimum"])]
            row += [_cell(group[b]) for b in args.backends]
            row += [
                _raw_cell(raws[instance_name][n], first["optimum"])
                for n in raw_names
                if any(n in raws[i] for i in names)
            ]
            rows.append(row)
        print(f"### {family}\n")
        print("Seconds per instance; **no** marks a run that did not prove the optimum.\n")
        print(markdown_table(header, rows))
        print()
    totals = []
    for family in dict.fromkeys(r["set"] for r in records):
        for backend in args.backends:
            group = [r for r in records if r["set"] == family and r["backend"] == backend]
            engine = math.fsum(r["seconds"] for r in group)
            best = math.fsum(r["best_raw_seconds"] for r in group)
            count = len(group)
            totals.append(
                [
                    family,
                    backend,
                    count,
                    f"{sum(r['reached'] for r in group)}/{count}",
                    f"{sum(r['proven'] for r in group)}/{count}",
                    f"{sum(r['valid'] is True for r in group)}/{sum(r['valid'] is not None for r in group)}",
                    f"{engine:.1f}",
                    f"{best:.1f}",
                    f"{engine / best:.2f}" if best > 0 else "-",
                ]
            )
        names = [
            r["instance"]
            for r in records
            if r["set"] == family and r["backend"] == args.backends[0]
        ]
        for raw_name in raw_names:
            runs = [raws[n][raw_name] for n in names if raw_name in raws[n]]
            if not runs:
                continue
            optimum_of = {r["instance"]: r["optimum"] for r in records}
            reached = sum(
                _reached(raws[n][raw_name]["value"], optimum_of[n])
                for n in names
                if raw_name in raws[n]
            )
            totals.append(
                [
                    family,
                    f"raw {raw_name}",
                    len(runs),
                    f"{reached}/{len(runs)}",
                    f"{sum(r['proven'] for r in runs)}/{len(runs)}",
                    "-",
                    f"{math.fsum(r['seconds'] for r in runs):.1f}",
                    "",
                    "",
                ]
            )
    print("### Totals\n")
    print(
        markdown_table(
            [
                "set",
                "backend",
                "instances",
                "optimum reached",
                "proven",
                "verified (of plans)",
                "seconds",
                "best raw s",
                "ratio to best raw",
            ],
            totals,
        )
    )
    if args.json is not None:
        args.json.write_text(json.dumps(records, indent=1, default=str) + "\n", encoding="utf-8")
    wrong = [r for r in records if r["proven"] and not r["reached"]] + [
        r for r in records if r["valid"] is False
    ]
    if wrong:
        print("\nWRONG ANSWERS (proven but not the optimum, or failed verification):")
        for r in wrong:
            print(
                f"- {r['backend']} {r['instance']}: {r['value']} vs {r['optimum']} ({r['status']})"
            )
        return 1
    return 0


def _cell(record: dict[str, Any]) -> str:
    mark = "" if record["proven"] and record["reached"] else " **no**"
    return f"{record['seconds']:.2f}{mark}"


def _raw_cell(raw: dict[str, Any], optimum: float) -> str:
    mark = "" if raw["proven"] and _reached(raw["value"], optimum) else " **no**"
    return f"{raw['seconds']:.2f}{mark}"


if __name__ == "__main__":
    sys.exit(main())
