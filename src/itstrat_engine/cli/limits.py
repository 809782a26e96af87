"""``itstrat limits FILE``: what binds, the next unlock of every limit, the cheapest mix."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_no_timings,
    add_rule_options,
    add_time_budget,
    budget_hint,
    finite,
    option_packs,
    packs_and_params,
    seconds,
)
from itstrat_engine.cli._output import print_error, print_json, print_view, progress_printer
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.optimize import plan
from itstrat_engine.report.unlocks import limits_view
from itstrat_engine.unlocks import Limits, Mix, cheapest_mix, limits


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "limits",
        help="what binds, and the least extra budget or hours that raises the optimum",
        description="Plan the engagement, then for every budget and skill-period limit: "
        "its use, slack, whether it binds, and its next unlock (the smallest extra amount "
        "of it alone that raises the optimum, by how much, and what it admits). With "
        "--admit or --target, the cheapest mix of extra money and contractor hours for "
        "that goal. Exit 0, 1 for invalid input, 3 when there is no plan.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    goal = parser.add_mutually_exclusive_group()
    goal.add_argument("--admit", metavar="ID", help="the cheapest mix that admits this initiative")
    goal.add_argument(
        "--target", type=finite, metavar="V", help="the cheapest mix that reaches this value"
    )
    parser.add_argument(
        "--no-unlocks", action="store_true", help="use and slack only (no re-solves)"
    )
    parser.add_argument(
        "--all", action="store_true", help="list every limit, not only binding or unlockable ones"
    )
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per solve")
    add_time_budget(parser, "all the unlocks")
    add_no_timings(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, plan, read the limits (and the mix) and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        result = plan(engagement, rules=packs, params=params, time_limit=args.time_limit)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if not result.status.has_plan:
        print(f"{args.file}: the plan is {result.status.value}: no limits to read", file=sys.stderr)
        for finding in result.findings:
            print(f"  - {finding.message}", file=sys.stderr)
        return 3
    wants_mix = args.admit is not None or args.target is not None
    try:
        found: Limits | None = None
        if not wants_mix or args.all:
            found = limits(
                result,
                unlocks=not args.no_unlocks,
                time_budget=args.time_budget,
                progress=progress_printer(sys.stderr, "limits read"),
            )
        mix: Mix | None = None
        if wants_mix:
            mix = cheapest_mix(result, admit=args.admit, target=args.target)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(
            {
                "status": result.status.value,
                "objective": result.objective,
                "objective_value": result.objective_value,
                "limits": None if found is None else found.as_dict(),
                "mix": None if mix is None else mix.as_dict(),
            }
        )
    else:
        print_view(limits_view(result, found, mix, every=args.all, timings=not args.no_timings))
    if args.time_budget is not None and found is not None and not found.proven:
        print(budget_hint(args.file, args.time_budget), file=sys.stderr)
    return 0
