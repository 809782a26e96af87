"""Does a study scale out? N scenarios of the dental engagement, serial against dask.

The scenarios are a budget sweep (budget_factor from 0.5 to 1.5 in N steps) crossed with
nothing else, so every task is one plan of the dental engagement on one thread with the
same time limit. Run serially, then on a `dask.distributed.LocalCluster` of `--workers`
processes with one thread each (no dashboard; its start-up time is shown apart and left
out of the dask seconds). Printed: scenarios, serial seconds, dask seconds, the speed-up,
and the per-task overhead as a share of a one-second solve:
``(workers x dask seconds - serial seconds) / scenarios``, the time a task costs on the
cluster beyond its own work (on a loaded machine this includes the other load). A second
line measures the overhead alone: `--probe` tasks of a 3-initiative engagement that plans
in milliseconds, through the same cluster. The two runs' rows are compared byte for byte
(``timings=False``).

    python benchmarks/study_bench.py                  # 200 scenarios (the issue's target)
    python benchmarks/study_bench.py --scenarios 10   # a quick check that it works
"""

import argparse
import time
from pathlib import Path

from _benchdata import environment, markdown_table
from dask.distributed import Client, LocalCluster

import itstrat_engine as it
from itstrat_engine.research import row_line, run_study, study_from_dict

ROOT = Path(__file__).resolve().parent.parent


def study(scenarios: int, time_limit: float) -> it.Study:
    step = 1.0 / max(scenarios - 1, 1)
    factors = [round(0.5 + k * step, 6) for k in range(scenarios)]
    return study_from_dict(
        {
            "study": {"id": "bench", "seed": 1, "time_limit": time_limit},
            "sweep": [{"id": "budget", "budget_factor": factors}],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--probe", type=int, default=40, help="tiny tasks for the overhead alone")
    args = parser.parse_args()

    engagement = it.load(ROOT / "examples" / "dental-group.toml")
    planned = study(args.scenarios, args.time_limit)

    started = time.perf_counter()
    serial = run_study(engagement, planned, timings=False)
    serial_s = time.perf_counter() - started

    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        startup_s = time.perf_counter() - started
        started = time.perf_counter()
        distributed = run_study(engagement, planned, executor=client.get_executor(), timings=False)
        dask_s = time.perf_counter() - started
        tiny = it.generate(3, seed=1)
        probe = study(args.probe, args.time_limit)
        started = time.perf_counter()
        run_study(tiny, probe, timings=False)
        probe_serial_s = time.perf_counter() - started
        started = time.perf_counter()
        run_study(tiny, probe, executor=client.get_executor(), timings=False)
        probe_dask_s = time.perf_counter() - started

    same = "".join(map(row_line, serial.rows)) == "".join(map(row_line, distributed.rows))
    overhead = (args.workers * dask_s - serial_s) / args.scenarios
    print(environment())
    print(
        markdown_table(
            [
                "scenarios",
                "serial s",
                f"dask s ({args.workers} workers)",
                "speed-up",
                "overhead per task (share of a 1 s solve)",
                "cluster start s",
                "same rows",
            ],
            [
                [
                    str(args.scenarios),
                    f"{serial_s:.1f}",
                    f"{dask_s:.1f}",
                    f"{serial_s / dask_s:.2f}",
                    f"{overhead:.3f} s ({overhead:.1%})",
                    f"{startup_s:.1f}",
                    "yes" if same else "NO",
                ]
            ],
        )
    )
    print(f"mean seconds per scenario, serial: {serial_s / args.scenarios:.2f}")
    probe_overhead = max(0.0, args.workers * probe_dask_s - probe_serial_s) / args.probe
    print(
        f"overhead probe: {args.probe} tiny tasks, serial {probe_serial_s:.2f} s, dask "
        f"{probe_dask_s:.2f} s: {probe_overhead * 1000:.1f} ms per task "
        f"({probe_overhead:.1%} of a 1 s solve)"
    )


if __name__ == "__main__":
    main()
