"""Does a start help? A 10-budget sweep through the seam, cold and warm, side by side.

For each engagement the total budget takes 10 values from 40% to 100% of what the
unconstrained optimal plan spends, in ascending order, so each plan is feasible for the
next budget and can start it. Both modes prepare and formulate once and change the
total-budget row by `Formulation.retarget`; "warm" hands the previous plan's schedule to
the solver as a start (HiGHS `setSolution`, CBC MIP start), "cold" does not. Printed per
engagement and solver: total sweep seconds, the median time to the first incumbent (HiGHS
reports it; CBC does not), the median time to the final incumbent (when the solver had
the plan it returned: a start that is used shows here), how many of the 10 solves were proven, and whether both modes
reached the same values.

    python benchmarks/sweep_bench.py            # dental, midsize, generated 200
    python benchmarks/sweep_bench.py --quick    # dental and generated 60 only
"""

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from _benchdata import environment, markdown_table

import itstrat_engine as it
from itstrat_engine.optimize import Status, decode, formulate, prepare, solve

ROOT = Path(__file__).resolve().parent.parent


def cases(quick: bool) -> list[tuple[str, it.Engagement, dict[str, Any]]]:
    dental = it.load(ROOT / "examples" / "dental-group.toml")
    found = [("dental-group (20)", dental, {"time_limit": 30})]
    if quick:
        found.append(("generated 60", it.generate(60, seed=1), {"time_limit": 30}))
        return found
    midsize = it.load(ROOT / "examples" / "midsize-manufacturer.toml")
    found.append(("midsize (63), gap 1%", midsize, {"time_limit": 30, "gap": 0.01}))
    found.append(
        ("generated 200, gap 1%", it.generate(200, seed=1), {"time_limit": 30, "gap": 0.01})
    )
    return found


def sweep(
    engagement: it.Engagement, solver: str, options: dict[str, Any], *, warm: bool
) -> dict[str, Any]:
    prepared = prepare(engagement, solver=solver, **options)
    formulation = formulate(prepared)
    top = decode(prepared, formulation, solve(formulation)).total_spend
    budgets = [top * (0.4 + 0.6 * k / 9) for k in range(10)]
    start = None
    values, firsts, bests, proven = [], [], [], 0
    began = time.perf_counter()
    for budget in budgets:
        variant = prepared.with_capacity(budget=budget)
        formulation.retarget(variant)
        solution = solve(formulation, start=start if warm else None)
        plan = decode(variant, formulation, solution)
        if it.verify(plan, plan.engagement):
            msg = f"a plan of the sweep failed verification at budget {budget}"
            raise RuntimeError(msg)
        values.append(plan.objective_value)
        proven += plan.status == Status.OPTIMAL
        if solution.first_incumbent_seconds is not None:
            firsts.append(solution.first_incumbent_seconds)
        if solution.best_incumbent_seconds is not None:
            bests.append(solution.best_incumbent_seconds)
        if plan.status.has_plan:
            start = plan.schedule
    return {
        "seconds": time.perf_counter() - began,
        "first": statistics.median(firsts) if firsts else None,
        "best": statistics.median(bests) if bests else None,
        "proven": proven,
        "values": values,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--solvers", nargs="+", default=["highs", "cbc"])
    args = parser.parse_args()
    print(environment())
    rows = []
    for name, engagement, options in cases(args.quick):
        for solver in args.solvers:
            cold = sweep(engagement, solver, options, warm=False)
            warm = sweep(engagement, solver, options, warm=True)
            same = all(
                a == b
                or (a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a)))
                or options.get("gap")
                for a, b in zip(cold["values"], warm["values"], strict=True)
            )

            def median(result: dict[str, Any], key: str) -> str:
                return "-" if result[key] is None else f"{result[key]:.3f}"

            rows.append(
                [
                    name,
                    solver,
                    f"{cold['seconds']:.2f}",
                    f"{warm['seconds']:.2f}",
                    f"{warm['seconds'] / cold['seconds']:.2f}",
                    median(cold, "first"),
                    median(warm, "first"),
                    median(cold, "best"),
                    median(warm, "best"),
                    f"{cold['proven']}/10",
                    f"{warm['proven']}/10",
                    "yes" if same else "NO",
                ]
            )
            print(rows[-1], flush=True)
    print()
    print(
        markdown_table(
            [
                "engagement",
                "solver",
                "cold s",
                "warm s",
                "warm/cold",
                "cold first inc. s",
                "warm first inc. s",
                "cold final inc. s",
                "warm final inc. s",
                "cold proven",
                "warm proven",
                "same values",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
