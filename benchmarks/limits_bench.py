"""How long reading a plan's limits takes: every next unlock, and a cheapest mix.

For each example: plan it as its file says, then ``limits(plan)`` (one amount solve per
limit plus one re-plan per unlock found) with two worker processes and with one, and
``cheapest_mix(plan, admit=...)`` for the first initiative left out (three solves and a
re-plan). Each example runs in a fresh process, one at a time. No target in the issue:
the numbers say what a user waits.

    python benchmarks/limits_bench.py
    python benchmarks/limits_bench.py --examples examples/dental-group.toml --time-budget 60
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(path: str, workers: int, budget: float | None) -> dict[str, object]:
    """One run, in this process (the child side of `main`)."""
    import itstrat_engine as it  # noqa: PLC0415 - timed in a fresh process

    engagement = it.load(path)
    started = time.perf_counter()
    result = it.plan(engagement)
    planned = time.perf_counter() - started
    started = time.perf_counter()
    found = it.limits(result, workers=workers, time_budget=budget)
    seconds = time.perf_counter() - started
    left_out = [i.id for i in result.engagement.initiatives if i.id not in result.schedule]
    mix_seconds: float | str = "-"
    if left_out:
        started = time.perf_counter()
        it.cheapest_mix(result, admit=left_out[0])
        mix_seconds = round(time.perf_counter() - started, 2)
    return {
        "example": Path(path).name,
        "limits": len(found.rows),
        "binding": sum(r.binds for r in found.rows),
        "unlocks": sum(r.extra is not None for r in found.rows),
        "unproven": sum(r.extra is not None and not r.extra.proven for r in found.rows),
        "workers": workers,
        "plan_s": round(planned, 2),
        "limits_s": round(seconds, 2),
        "mix_s": mix_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples",
        nargs="*",
        default=[str(ROOT / "examples" / "dental-group.toml")],
    )
    parser.add_argument("--time-budget", type=float, default=None)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, workers = args.child
        print(json.dumps(measure(path, int(workers), args.time_budget)))
        return
    columns = (
        "example",
        "limits",
        "binding",
        "unlocks",
        "unproven",
        "workers",
        "plan_s",
        "limits_s",
        "mix_s",
    )
    print(" | ".join(columns))
    for path in args.examples:
        for workers in (2, 1):
            command = [sys.executable, __file__, "--child", path, str(workers)]
            if args.time_budget is not None:
                command += ["--time-budget", str(args.time_budget)]
            row = json.loads(
                subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
            )
            print(" | ".join(str(row[c]) for c in columns), flush=True)


if __name__ == "__main__":
    main()
