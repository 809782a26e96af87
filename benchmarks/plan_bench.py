"""How the planner scales: the bundled examples and generated engagements, every backend.

Each (size, solver) case runs in a fresh Python process so its peak memory is its own:

- engagement: ``generate(n, seed=..., skills=8)``, 12 quarterly periods;
- ``plan(engagement, solver=..., time_limit=..., gap=...)``, timed around the whole call;
- build = ``plan.timings["build"]`` (validation, presolve, formulation), of which the
  formulation alone is timed again after the plan; solve = ``timings["solve"]`` (the solver
  call including PuLP's hand-over: for CBC, writing the MPS file, running the process,
  reading the solution); solver = ``timings["solver"]`` (HiGHS ``run()``, or the wall clock
  CBC reports for itself);
- engine overhead = (total - solver) / solver: everything the engine adds around the raw
  solve (validation, model building, hand-over, decoding, verification);
- memory: ``resource.getrusage`` ``ru_maxrss``, the peak resident set of the process
  (Python, PuLP and in-process HiGHS; the interpreter with the package and PuLP imported is
  part of it), CBC's own peak separately (``RUSAGE_CHILDREN``), and ``tracemalloc``'s peak
  of Python allocations while formulating the model (traced separately, after the plan, so
  tracing does not slow the timed run);
- greedy baseline: rank initiatives by value / cost and fund them, mandatory ones first,
  while the total budget (one-off cost plus run costs from the earliest finish) lasts. It
  ignores period budgets, skill capacity and contractors, dependencies, exclusions, groups,
  windows and sequencing, so its portfolio may not even be feasible; the table counts the
  dependencies, exclusions and at-most groups it breaks;
- greedy roadmap, a feasible baseline: the same ranking, but each initiative starts at its
  earliest period that keeps every period budget, the total budget, in-house skill hours
  (no contractors), its window, its prerequisites (already placed, finished first),
  exclusions and at-most groups, and is skipped when none does (one pass, so an item
  ranked above its prerequisite is skipped). The engine confirms it is feasible by planning
  the engagement with those starts fixed and everything else forbidden.

The bundled examples (``--examples``) are planned as their files say (gap 0, their own
time limit unless ``--time-limit`` is given), once per backend, each in a fresh process:
total seconds, status and value.

    python benchmarks/plan_bench.py --examples --sizes           # the examples only
    python benchmarks/plan_bench.py                          # 50, 200, 1000, 3000; every backend
    python benchmarks/plan_bench.py --sizes 50 200 --solver highs --time-limit 30
"""

import argparse
import json
import math
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _benchdata import environment, markdown_table

from itstrat_engine import generate
from itstrat_engine.model import Engagement

SIZES = [50, 200, 1000, 3000]
BACKENDS = ["highs", "cbc", "cpsat", "auto"]
EXAMPLES = [
    Path(__file__).resolve().parents[1] / "examples" / name
    for name in ("dental-group.toml", "midsize-manufacturer.toml")
]


def features(engagement: Engagement) -> dict[str, Any]:
    """Shares of the generator's features at this size."""
    items = engagement.initiatives
    n = len(items)
    excluded = {i.id for i in items if i.excludes} | {x for i in items for x in i.excludes}
    grouped = {m for g in engagement.groups for m in g.members}
    return {
        "n": n,
        "requires": sum(bool(i.requires) for i in items) / n,
        "exclusion pairs": sum(len(i.excludes) for i in items),
        "in an exclusion": len(excluded) / n,
        "groups": len(engagement.groups),
        "in a group": len(grouped) / n,
        "window": sum(i.earliest is not None or i.deadline is not None for i in items) / n,
        "mandatory": sum(i.mandatory for i in items) / n,
        "budget / total cost": (engagement.capacity.budget or math.inf)
        / sum(i.cost for i in items),
    }


def greedy(engagement: Engagement) -> dict[str, Any]:
    """Rank by value/cost and fund until the money runs out (see the module docstring)."""
    periods = engagement.periods
    budget = engagement.capacity.budget
    limit = math.inf if budget is None else budget

    def money(item: Any) -> float:
        return float(item.cost + item.run_cost * max(0, periods - item.duration))

    allowed = [i for i in engagement.initiatives if not i.forbidden]
    mandatory = [i for i in allowed if i.mandatory]
    ranked = sorted(
        (i for i in allowed if not i.mandatory),
        key=lambda i: (-(i.value or 0.0) / i.cost if i.cost else -math.inf, i.id),
    )
    chosen = list(mandatory)
    spent = math.fsum(money(i) for i in mandatory)
    for item in ranked:
        if spent + money(item) <= limit:
            chosen.append(item)
            spent += money(item)
    ids = {i.id for i in chosen}
    broken_requires = sum(1 for i in chosen for r in i.requires if r not in ids)
    broken_excludes = sum(1 for i in chosen for x in i.excludes if x in ids)
    broken_groups = 0
    for group in engagement.groups:
        count = sum(m in ids for m in group.members)
        if (
            (group.kind == "at_most" and count > group.count)
            or (group.kind == "at_least" and count < group.count)
            or (group.kind == "exactly" and count != group.count)
        ):
            broken_groups += 1
    return {
        "value": math.fsum(i.value or 0.0 for i in chosen),
        "selected": len(chosen),
        "broken": f"{broken_requires} req, {broken_excludes} exc, {broken_groups} grp",
    }


def greedy_roadmap(engagement: Engagement) -> tuple[dict[str, int], float]:
    """A feasible greedy roadmap: rank by value/cost (mandatory first), then start each at
    its earliest period that keeps every period budget, the total budget, in-house skill
    hours (no contractors), its window, its prerequisites (already placed, finished first),
    exclusions and at-most/exactly group counts; skip it when there is none."""
    periods = engagement.periods
    capacity = engagement.capacity
    budgets = list(engagement.per_period(capacity.budget_per_period))
    left = math.inf if capacity.budget is None else capacity.budget
    hours = {k: list(engagement.per_period(v, 0.0)) for k, v in capacity.skills.items()}
    excludes: dict[str, set[str]] = {i.id: set(i.excludes) for i in engagement.initiatives}
    for item in engagement.initiatives:
        for other in item.excludes:
            excludes.setdefault(other, set()).add(item.id)
    caps = [g for g in engagement.groups if g.kind in {"at_most", "exactly"}]
    allowed = [i for i in engagement.initiatives if not i.forbidden]
    order = [i for i in allowed if i.mandatory] + sorted(
        (i for i in allowed if not i.mandatory),
        key=lambda i: (-(i.value or 0.0) / i.cost if i.cost else -math.inf, i.id),
    )
    schedule: dict[str, int] = {}
    by_id = engagement.initiative_by_id
    tolerance = 1e-9
    for item in order:
        if excludes.get(item.id, set()) & schedule.keys():
            continue
        if any(
            item.id in g.members and sum(m in schedule for m in g.members) >= g.count for g in caps
        ):
            continue
        if any(r not in schedule for r in item.requires):
            continue
        first = max(
            [_index(engagement, item.earliest, 0)]
            + [schedule[r] + by_id[r].duration for r in item.requires]
        )
        last = min(_index(engagement, item.deadline, periods - 1), periods - 1)
        share = 1.0 / item.duration
        for start in range(first, last - item.duration + 2):
            finish = start + item.duration
            money = item.cost + item.run_cost * (periods - finish)
            running = range(start, finish)
            if money > left + tolerance:
                continue
            if any(item.cost * share > budgets[t] + tolerance for t in running):
                continue
            if any(item.run_cost > budgets[t] + tolerance for t in range(finish, periods)):
                continue
            if any(
                total * share > hours.get(k, [0.0] * periods)[t] + tolerance
                for k, total in item.effort.items()
                for t in running
            ):
                continue
            for t in running:
                budgets[t] -= item.cost * share
                for k, total in item.effort.items():
                    hours[k][t] -= total * share
            for t in range(finish, periods):
                budgets[t] -= item.run_cost
            left -= money
            schedule[item.id] = start
            break
    return schedule, math.fsum(by_id[i].value or 0.0 for i in schedule)


def _index(engagement: Engagement, ref: int | str | None, default: int) -> int:
    index = None if ref is None else engagement.scope.index(ref)
    return default if index is None else index


def check_roadmap(engagement: Engagement, schedule: dict[str, int]) -> bool:
    """Ask the engine whether the greedy roadmap is feasible: fix every start, forbid the rest."""
    import attrs  # noqa: PLC0415

    from itstrat_engine.optimize import Status, plan  # noqa: PLC0415

    fixed = tuple(
        attrs.evolve(
            item,
            mandatory=True,
            forbidden=False,
            earliest=schedule[item.id],
            deadline=schedule[item.id] + item.duration - 1,
        )
        if item.id in schedule
        else attrs.evolve(item, mandatory=False, forbidden=True)
        for item in engagement.initiatives
    )
    result = plan(attrs.evolve(engagement, initiatives=fixed), solver="highs", time_limit=60.0)
    return result.status == Status.OPTIMAL


def run_case(n: int, solver: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """One (size, solver, seed) measurement; meant to run alone in its own process."""
    from itstrat_engine.optimize import Status, plan, verify  # noqa: PLC0415
    from itstrat_engine.optimize.formulation import formulate  # noqa: PLC0415

    engagement = generate(n, seed=seed, skills=args.skills)
    started = time.perf_counter()
    result = plan(
        engagement,
        solver=solver,
        time_limit=args.time_limit,
        gap=args.gap,
        threads=args.threads,
    )
    total = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    began = time.perf_counter()
    formulation = formulate(result.prepared)
    formulate_seconds = time.perf_counter() - began
    size = (formulation.problem.numVariables(), formulation.problem.numConstraints())
    del formulation
    tracemalloc.start()
    formulate(result.prepared)
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    solver_seconds = result.timings.get("solver", math.nan)
    base = greedy(engagement)
    roadmap, roadmap_value = greedy_roadmap(engagement)
    roadmap_ok = check_roadmap(engagement, roadmap)
    return {
        "n": n,
        "solver": solver,
        "seed": seed,
        "status": result.status.value,
        "gap": result.gap,
        "verified": result.status.has_plan and verify(result, result.engagement) == (),
        "proven": result.status == Status.OPTIMAL,
        "variables": size[0],
        "rows": size[1],
        "build": result.timings.get("build", math.nan),
        "formulate": formulate_seconds,
        "solve": result.timings.get("solve", math.nan),
        "solver_seconds": solver_seconds,
        "total": total,
        "overhead": (total - solver_seconds) / solver_seconds,
        "rss_mb": rss,
        "cbc_rss_mb": child_rss if solver == "cbc" else None,
        "python_build_peak_mb": python_peak,
        "value": result.objective_value,
        "greedy": base["value"],
        "greedy_selected": base["selected"],
        "greedy_broken": base["broken"],
        "selected": len(result.selected),
        "roadmap": roadmap_value,
        "roadmap_selected": len(roadmap),
        "roadmap_feasible": roadmap_ok,
    }


def run_example(path: Path, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    """Plan one bundled example with one backend (gap 0, the file's own time limit)."""
    from itstrat_engine import load  # noqa: PLC0415
    from itstrat_engine.optimize import plan, verify  # noqa: PLC0415

    engagement = load(path)
    started = time.perf_counter()
    limit = {"time_limit": args.time_limit} if args.time_limit_given else {}
    result = plan(engagement, solver=backend, gap=0.0, threads=args.threads, **limit)  # type: ignore[arg-type]
    total = time.perf_counter() - started
    return {
        "won_by": result.solver,
        "status": result.status.value,
        "value": result.objective_value,
        "bound": result.best_bound,
        "solve": result.timings.get("solve"),
        "settle": result.timings.get("settle"),
        "total": total,
        "verified": verify(result, result.engagement) == (),
    }


def _spawn_example(path: Path, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--case", str(path), backend]
    if args.time_limit_given:
        command += ["--time-limit", str(args.time_limit)]
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _spawn(n: int, solver: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--case",
        str(n),
        solver,
        "--time-limit",
        str(args.time_limit),
        "--gap",
        str(args.gap),
        "--seeds",
        str(seed),
        "--skills",
        str(args.skills),
    ]
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=SIZES)
    parser.add_argument(
        "--backends", nargs="+", choices=BACKENDS, default=BACKENDS, help="engine backends"
    )
    parser.add_argument("--examples", action="store_true", help="also plan the bundled examples")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per solve (60)")
    parser.add_argument("--gap", type=float, default=0.01, help="relative gap (default 1%%)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1], help="one row per seed")
    parser.add_argument("--skills", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    parser.add_argument("--case", nargs=2, metavar=("N", "SOLVER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.time_limit_given = args.time_limit is not None
    if args.time_limit is None:
        args.time_limit = 60.0
    if args.case:
        which, backend = args.case
        if which.isdigit():
            print(json.dumps(run_case(int(which), backend, args.seeds[0], args)))
        else:
            print(json.dumps(run_example(Path(which), backend, args)))
        return 0
    solvers = args.backends
    if args.examples:
        rows = []
        for path in EXAMPLES:
            for backend in solvers:
                record = _spawn_example(path, backend, args)
                rows.append(
                    [
                        path.name,
                        backend,
                        record["won_by"],
                        record["status"],
                        _fmt(record["value"], 0),
                        _fmt(record["bound"], 0),
                        _fmt(record["solve"]),
                        _fmt(record.get("settle")),
                        _fmt(record["total"]),
                    ]
                )
                print(f"{path.name} {backend} {record}", file=sys.stderr, flush=True)
        print(f"Environment: {environment()}.\n\nBundled examples:\n")
        print(
            markdown_table(
                [
                    "example",
                    "backend",
                    "won by",
                    "status",
                    "value",
                    "bound",
                    "solve s",
                    "settle s",
                    "total s",
                ],
                rows,
            )
        )
        print()
        if not args.sizes:
            return 0

    shares = []
    for n in args.sizes:
        f = features(generate(n, seed=args.seeds[0], skills=args.skills))
        shares.append(
            [
                n,
                f"{f['requires']:.0%}",
                f["exclusion pairs"],
                f"{f['in an exclusion']:.0%}",
                f["groups"],
                f"{f['in a group']:.0%}",
                f"{f['window']:.0%}",
                f"{f['mandatory']:.0%}",
                f"{f['budget / total cost']:.0%}",
            ]
        )
    records = []
    for n in args.sizes:
        for solver in solvers:
            for seed in args.seeds:
                record = _spawn(n, solver, seed, args)
                records.append(record)
                print(
                    f"{n:5} {solver:5} seed {seed} {record['status']:9} gap {_fmt(record['gap'], 4)} "
                    f"total {record['total']:.2f}s solver {record['solver_seconds']:.2f}s",
                    file=sys.stderr,
                    flush=True,
                )

    print(
        f"Environment: {environment()}; seeds {' '.join(map(str, args.seeds))}, {args.skills} skills, 12 quarterly "
        f"periods, time limit {args.time_limit:g} s, gap {args.gap:g}.\n"
    )
    print(f"Generated engagements (seed {args.seeds[0]}):\n")
    print(
        markdown_table(
            [
                "initiatives",
                "with requires",
                "exclusion pairs",
                "in an exclusion",
                "groups",
                "in a group",
                "with a window",
                "mandatory",
                "budget / total cost",
            ],
            shares,
        )
    )
    print("\nPlans:\n")
    print(
        markdown_table(
            [
                "initiatives",
                "solver",
                "seed",
                "status",
                "gap",
                "vars / rows",
                "build s",
                "(formulate s)",
                "solve s",
                "solver s",
                "total s",
                "overhead",
                "peak RSS MB",
                "CBC RSS MB",
                "Python build peak MB",
            ],
            [
                [
                    r["n"],
                    r["solver"],
                    r["seed"],
                    r["status"] + ("" if r["verified"] else " (NOT VERIFIED)"),
                    "-" if r["gap"] is None else f"{r['gap']:.2%}",
                    f"{r['variables']} / {r['rows']}",
                    _fmt(r["build"]),
                    _fmt(r["formulate"]),
                    _fmt(r["solve"]),
                    _fmt(r["solver_seconds"]),
                    _fmt(r["total"]),
                    f"{r['overhead']:.0%}",
                    _fmt(r["rss_mb"], 0),
                    _fmt(r["cbc_rss_mb"], 0),
                    _fmt(r["python_build_peak_mb"], 0),
                ]
                for r in records
            ],
        )
    )
    print("\nPlan value against greedy baselines:\n")
    print(
        markdown_table(
            [
                "initiatives",
                "solver",
                "seed",
                "plan value",
                "selected",
                "greedy (budget only)",
                "selected",
                "it breaks",
                "plan / greedy",
                "greedy roadmap",
                "selected",
                "feasible",
                "plan / roadmap",
            ],
            [
                [
                    r["n"],
                    r["solver"],
                    r["seed"],
                    _fmt(r["value"], 0),
                    r["selected"],
                    _fmt(r["greedy"], 0),
                    r["greedy_selected"],
                    r["greedy_broken"],
                    _fmt(r["value"] / r["greedy"], 3) if r["value"] is not None else "-",
                    _fmt(r["roadmap"], 0),
                    r["roadmap_selected"],
                    "yes" if r["roadmap_feasible"] else "**no**",
                    _fmt(r["value"] / r["roadmap"], 3) if r["value"] is not None else "-",
                ]
                for r in records
            ],
        )
    )
    if args.json is not None:
        args.json.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
