"""How long explaining a roadmap takes: every initiative of the bundled examples.

For each example: plan it as its file says, then ``explain(plan)`` for every initiative
(blocking sets on with two worker processes and with one, and off), timed around the
call, counting the re-plans (forced plans, and the feasibility solves of the blocking
tests) in the one-process run. The issue's targets: dental at most 30 s, midsize at most 120 s,
on this 2-core machine. Each example runs in a fresh process, one at a time.

    python benchmarks/explain_bench.py
    python benchmarks/explain_bench.py --examples examples/dental-group.toml --no-blocking
    python benchmarks/explain_bench.py --examples examples/midsize-manufacturer.toml \
        --two-workers --time-budget 120
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"dental-group.toml": 30.0, "midsize-manufacturer.toml": 120.0}


def measure(path: str, blocking: bool, workers: int, budget: float | None) -> dict[str, object]:
    """One run, in this process (the child side of `main`)."""
    import itstrat_engine as it  # noqa: PLC0415 - timed in a fresh process
    from itstrat_engine.optimize import planner  # noqa: PLC0415

    calls = 0
    original = planner.plan_prepared

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    engagement = it.load(path)
    started = time.perf_counter()
    result = it.plan(engagement)
    planned = time.perf_counter() - started
    from itstrat_engine import explanations  # noqa: PLC0415

    explanations.plan_prepared = counted  # type: ignore[assignment]
    decide = explanations.solve

    def decided(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return decide(*args, **kwargs)  # type: ignore[arg-type]

    explanations.solve = decided  # type: ignore[assignment]
    started = time.perf_counter()
    found = it.explain(result, blocking=blocking, workers=workers, time_budget=budget)
    seconds = time.perf_counter() - started
    return {
        "example": Path(path).name,
        "initiatives": len(found),
        "left_out": sum(not x.selected for x in found),
        "structural": sum(x.structural for x in found),
        "unproven": sum(
            (x.cost_of_forcing is not None and not x.cost_of_forcing.proven)
            or not x.blocking_proven
            for x in found
        ),
        "replans": calls if workers == 1 else "-",  # counted in this process only
        "workers": workers,
        "plan_s": round(planned, 2),
        "explain_s": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples",
        nargs="*",
        default=[str(p) for p in sorted((ROOT / "examples").glob("*.toml"))],
    )
    parser.add_argument("--no-blocking", action="store_true")
    parser.add_argument("--two-workers", action="store_true", help="only the default run")
    parser.add_argument("--time-budget", type=float, help="explain(..., time_budget=S)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, blocking, workers, budget = args.child
        limit = None if budget == "-" else float(budget)
        print(json.dumps(measure(path, blocking == "1", int(workers), limit)))
        return
    print(
        "| example | workers | initiatives | left out | structural | unproven | re-plans | plan s "
        "| explain s | target s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for path in args.examples:
        runs = [(False, 2)] if args.no_blocking else [(True, 2), (True, 1), (False, 2)]
        if args.two_workers:
            runs = runs[:1]
        budget = "-" if args.time_budget is None else str(args.time_budget)
        for blocking, workers in runs:
            out = subprocess.run(  # noqa: S603 - our own interpreter and script
                [
                    sys.executable,
                    __file__,
                    "--child",
                    path,
                    "1" if blocking else "0",
                    str(workers),
                    budget,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            target = TARGETS.get(str(row["example"]), "") if blocking else "-"
            name = f"{row['example']}" + ("" if blocking else " (no blocking sets)")
            if args.time_budget is not None:
                name += f" (time budget {args.time_budget:g} s)"
            print(
                f"| {name} | {row['workers']} | {row['initiatives']} | {row['left_out']} | {row['structural']} | "
                f"{row['unproven']} | {row['replans']} | {row['plan_s']} | {row['explain_s']} | {target} |"
            )


if __name__ == "__main__":
    main()
