"""Reach the proven optima of public benchmarks through the engine, next to the raw solver.

For every instance (OR-Library mknap1 and mknapcb1, PSPLIB j30) and solver, this runs
`itstrat_engine.optimize.plan` on the engagement `itstrat_engine.instances` makes of it
(gap 0), checks the value against the proven optimum in ``optima.csv``, the status
(optimal = proven) and `verify`. Then it solves *the same model* raw: the engine's
formulation of the engagement as optimized (``formulate(plan.engagement, ...)``) is written
to MPS (with PuLP's renamed columns, the file PuLP itself hands to CBC) and solved directly,
with the same time limit, relative gap, absolute gap and thread setting as the engine uses:

- HiGHS: ``highspy`` reads the file, output off, then the time of ``run()`` alone;
- CBC: the binary shipped with PuLP on the file with ``-sec``, ``-ratio``, ``-allow``,
  ``-timeMode elapsed`` and ``-max`` when maximizing; the wall time of the process.

The engine's time is the whole `plan` call (validation, presolve, formulation, solve,
decoding, verification), so engine/raw shows what the engine adds around the solver.

    python benchmarks/optima_bench.py                      # everything, both solvers
    python benchmarks/optima_bench.py --quick --solver cbc
    python benchmarks/optima_bench.py --only rcpsp --time-limit 30 --json /tmp/optima.json
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
    knapsack_engagement,
    load_optima,
    rcpsp_engagement,
    read_mknap,
    read_psplib,
)
from itstrat_engine.model import Engagement
from itstrat_engine.optimize import Plan, Status, plan, verify
from itstrat_engine.optimize.formulation import formulate

QUICK = {"mknapcb1-17", "mknapcb1-21", "mknapcb1-28", "j3040_1", "j3019_1", "j301_1"}


def cases(
    folder: Path, only: str | None, quick: bool, names: list[str] | None = None
) -> list[tuple[str, str, float, Engagement]]:
    """(set, instance, optimum, engagement) for every selected instance."""
    found: list[tuple[str, str, float, Engagement]] = []
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
                    )
                )
    if only in {None, "rcpsp"}:
        optima = load_optima(folder / "rcpsp" / "optima.csv")
        for path in sorted((folder / "rcpsp" / "j30").glob("*.sm"), key=_natural):
            if quick and path.stem not in QUICK:
                continue
            instance = read_psplib(path)
            found.append(("j30", instance.name, optima[instance.name], rcpsp_engagement(instance)))
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


def run_raw(result: Plan, solver: str, time_limit: float, threads: int | None) -> dict[str, Any]:
    """Write the engine's model of `result.engagement` to MPS and solve it with the raw solver."""
    engagement = result.engagement
    formulation = formulate(result.prepared)
    with tempfile.TemporaryDirectory(prefix="optima-bench-") as folder:
        mps = Path(folder) / "model.mps"
        formulation.problem.writeMPS(str(mps), rename=True)
        return RAW[solver](
            mps,
            formulation.maximize,
            time_limit,
            engagement.plan.gap,
            formulation.absolute_gap,
            threads,
        )


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if float(value).is_integer() else f"{value:.6g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--solver", choices=["highs", "cbc", "both"], default="both")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument(
        "--threads", type=int, default=None, help="solver threads (default: theirs)"
    )
    parser.add_argument("--only", choices=["mknap", "rcpsp"], default=None)
    parser.add_argument("--quick", action="store_true", help="mknap1 and a few other instances")
    parser.add_argument("--instances", nargs="+", help="only these (e.g. mknapcb1-3 j301_1)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw-solver runs")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    solvers = ["highs", "cbc"] if args.solver == "both" else [args.solver]
    folder = require_benchdata()
    selected = cases(folder, args.only, args.quick, args.instances)
    print(f"{len(selected)} instances x {len(solvers)} solvers", file=sys.stderr)

    records: list[dict[str, Any]] = []
    for solver in solvers:
        for family, name, optimum, engagement in selected:
            result, seconds = run_engine(engagement, solver, args.time_limit, args.threads)
            raw: dict[str, Any] = (
                {"seconds": math.nan, "value": None, "proven": False, "status": "skipped"}
                if args.no_raw or result.engagement is None
                else run_raw(result, solver, args.time_limit, args.threads)
            )
            record = {
                "set": family,
                "instance": name,
                "solver": solver,
                "optimum": optimum,
                "periods": engagement.periods,
                "value": result.objective_value,
                "status": result.status.value,
                "reached": _reached(result.objective_value, optimum),
                "proven": result.status == Status.OPTIMAL,
                "valid": verify(result, result.engagement or engagement) == ()
                if result.status.has_plan
                else None,
                "gap": result.gap,
                "seconds": seconds,
                "solver_seconds": result.timings.get("solver", math.nan),
                "build_seconds": result.timings.get("build", math.nan),
                "raw_seconds": raw["seconds"],
                "raw_value": raw["value"],
                "raw_reached": _reached(raw["value"], optimum),
                "raw_proven": raw["proven"],
                "raw_status": raw["status"],
            }
            records.append(record)
            print(
                f"{solver:5} {name:12} opt {optimum:>9g} engine {_number(record['value']):>9} "
                f"{record['status']:9} {seconds:7.2f}s raw {_number(raw['value']):>9} "
                f"{raw['seconds']:7.2f}s",
                file=sys.stderr,
                flush=True,
            )

    print(f"Environment: {environment()}; time limit {args.time_limit:g} s, gap 0.\n")
    header = [
        "instance",
        "solver",
        "optimum",
        "engine value",
        "reached",
        "proven",
        "verified",
        "engine s",
        "solver s (in engine)",
        "raw value",
        "raw proven",
        "raw s",
        "engine/raw",
    ]
    for family in dict.fromkeys(r["set"] for r in records):
        rows = [
            [
                r["instance"],
                r["solver"],
                _number(r["optimum"]),
                _number(r["value"]),
                _yes(r["reached"]),
                _yes(r["proven"]),
                "-" if r["valid"] is None else _yes(r["valid"]),
                f"{r['seconds']:.2f}",
                f"{r['solver_seconds']:.2f}",
                _number(r["raw_value"]),
                _yes(r["raw_proven"]),
                f"{r['raw_seconds']:.2f}",
                f"{r['seconds'] / r['raw_seconds']:.2f}" if r["raw_seconds"] > 0 else "-",
            ]
            for r in records
            if r["set"] == family
        ]
        print(f"### {family}\n")
        print(markdown_table(header, rows))
        print()
    totals = []
    for family in dict.fromkeys(r["set"] for r in records):
        for solver in solvers:
            group = [r for r in records if r["set"] == family and r["solver"] == solver]
            engine = math.fsum(r["seconds"] for r in group)
            raw_total = math.fsum(r["raw_seconds"] for r in group)
            count = len(group)
            totals.append(
                [
                    family,
                    solver,
                    count,
                    f"{sum(r['reached'] for r in group)}/{count}",
                    f"{sum(r['proven'] for r in group)}/{count}",
                    f"{sum(r['valid'] is True for r in group)}/{sum(r['valid'] is not None for r in group)}",
                    f"{sum(r['raw_reached'] for r in group)}/{count}",
                    f"{sum(r['raw_proven'] for r in group)}/{count}",
                    f"{engine:.1f}",
                    f"{raw_total:.1f}",
                    f"{engine / raw_total:.2f}" if raw_total > 0 else "-",
                ]
            )
    print("### Totals\n")
    print(
        markdown_table(
            [
                "set",
                "solver",
                "instances",
                "optimum reached",
                "proven",
                "verified (of plans)",
                "raw reached",
                "raw proven",
                "engine s",
                "raw s",
                "engine/raw",
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
                f"- {r['solver']} {r['instance']}: {r['value']} vs {r['optimum']} ({r['status']})"
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
