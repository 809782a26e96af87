"""``itstrat explain FILE [ID...]``: why each initiative is in the roadmap or out of it."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_no_timings,
    add_rule_options,
    add_time_budget,
    budget_hint,
    option_packs,
    packs_and_params,
    seconds,
)
from itstrat_engine.cli._output import print_error, print_json, print_view, progress_printer
from itstrat_engine.errors import ItstratError
from itstrat_engine.explanations import explain
from itstrat_engine.io import load
from itstrat_engine.optimize import plan
from itstrat_engine.report.explanations import explanations_view


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "explain",
        help="why each initiative is in the roadmap or out of it",
        description="Plan the engagement, then explain each initiative (or those named): "
        "its score, the objectives it serves, the proven cost of forcing it in or out, "
        "and for one left out the smallest set of named constraints that blocks it. "
        "Exit 0, 1 for invalid input or an unknown id, 3 when there is no plan to explain.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "ids", nargs="*", metavar="ID", help="initiatives to explain (default: all)"
    )
    add_rule_options(parser)
    parser.add_argument(
        "--no-blocking", action="store_true", help="skip the blocking sets (one re-plan each)"
    )
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per re-plan")
    add_time_budget(parser, "the whole explanation")
    add_no_timings(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, plan, explain and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        result = plan(
            engagement,
            rules=packs,
            params=params,
            time_limit=args.time_limit,
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if not result.status.has_plan:
        print(
            f"{args.file}: the plan is {result.status.value}: nothing to explain", file=sys.stderr
        )
        for finding in result.findings:
            print(f"  - {finding.message}", file=sys.stderr)
        return 3
    try:
        explanations = explain(
            result,
            args.ids or None,
            blocking=not args.no_blocking,
            time_budget=args.time_budget,
            progress=progress_printer(sys.stderr, "initiatives explained"),
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(
            {
                "status": result.status.value,
                "objective": result.objective,
                "objective_value": result.objective_value,
                "initiatives": [x.as_dict() for x in explanations],
            }
        )
    else:
        print_view(explanations_view(result, explanations, timings=not args.no_timings))
    if args.time_budget is not None and not all(x.proven for x in explanations):
        print(budget_hint(args.file, args.time_budget), file=sys.stderr)
    return 0
