"""How long the budget frontier takes on the bundled examples, and how far greedy ranking is.

For each run: ``frontier(engagement, resolution=R, time_budget=S)`` in a fresh process, one
at a time, timed around the call; the steps found, the solves made (the issue's count: one
per step plus the one that finds the bottom), how many steps are proven, whether the
sweep completed, and the largest and mean gap between the frontier and the greedy
rank-and-fund curve at the steps. Targets (issue #12): dental at most 30 s, midsize at
most 300 s for the full frontier on this 2-core machine. The fourth field says where the
sweep runs: ``auto`` (the default: here, then on one process per core once it has run for
`POOL_AFTER` seconds), ``serial`` (here only: ``workers=1``), or a number N (a process pool
of N workers given as the executor: the range below the top step cut into 8 segments at
once, one solver thread each).

    python benchmarks/frontier_bench.py
    python benchmarks/frontier_bench.py --runs dental-group.toml:0:-:serial dental-group.toml:0:-
"""

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"dental-group.toml": 30.0, "midsize-manufacturer.toml": 300.0}
RUNS = (  # example : resolution : time budget ("-": none) [: auto | serial | workers]
    "dental-group.toml:0:-:serial",
    "dental-group.toml:0:-",
    "dental-group.toml:0:-:2",
    "dental-group.toml:20000:-",
    "dental-group.toml:0:30",
    "midsize-manufacturer.toml:0:300",
    "midsize-manufacturer.toml:50000:300",
)


def measure(example: str, resolution: float, budget: float | None, where: str) -> dict[str, object]:
    """One run in this process (the child side of `main`)."""
    import itstrat_engine as it  # noqa: PLC0415 - timed in a fresh process

    engagement = it.load(ROOT / "examples" / example)
    started = time.perf_counter()
    if where.isdigit():
        with ProcessPoolExecutor(int(where)) as pool:
            f = it.frontier(engagement, resolution=resolution, time_budget=budget, executor=pool)
    else:
        workers = 1 if where == "serial" else None
        f = it.frontier(engagement, resolution=resolution, time_budget=budget, workers=workers)
    seconds = time.perf_counter() - started
    gaps = [
        p.value - g.value for p, g in zip(f.points, f.greedy, strict=True) if g.value is not None
    ]
    return {
        "example": example,
        "resolution": resolution,
        "budget": budget,
        "steps": len(f.points),
        "solves": f.solves,
        "proven": sum(p.proven for p in f.points),
        "complete": f.complete,
        "timed_out": f.timed_out,
        "lowest": min((p.budget for p in f.points), default=None),
        "greedy_found": len(gaps),
        "max_gap": max(gaps, default=None),
        "mean_gap": round(sum(gaps) / len(gaps), 1) if gaps else None,
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="*", default=list(RUNS))
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        example, resolution, budget, workers = args.child
        limit = None if budget == "-" else float(budget)
        print(json.dumps(measure(example, float(resolution), limit, workers)))
        return
    print(
        "| example | resolution | time budget s | where | steps | solves | proven | complete "
        "| lowest step | greedy max gap | greedy mean gap | seconds | target s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in args.runs:
        example, resolution, budget, *rest = run.split(":")
        workers = rest[0] if rest else "auto"
        out = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--child", example, resolution, budget, workers],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        target = TARGETS.get(example, "") if resolution == "0" and budget == "-" else "-"
        print(
            f"| {example} | {resolution} | {budget} | {workers} | {r['steps']} | {r['solves']} | "
            f"{r['proven']} | {r['complete']} | {r['lowest']} | {r['max_gap']} | "
            f"{r['mean_gap']} | {r['seconds']} | {target} |"
        )


if __name__ == "__main__":
    main()
