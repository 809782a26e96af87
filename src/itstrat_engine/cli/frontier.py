"""``itstrat frontier FILE``: every step of value against budget, and the greedy curve."""

import argparse
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_rule_options,
    option_packs,
    packs_and_params,
    positive_int,
)
from itstrat_engine.cli._cluster import add_cluster_options, executor_for
from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.frontiers import frontier
from itstrat_engine.io import load
from itstrat_engine.pareto import OBJECTIVES, pareto
from itstrat_engine.report.frontier import frontier_view, pareto_view
from itstrat_engine.rules import Pack

TEXT_ROWS = 40


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "frontier",
        help="the efficient frontier: every step of value against budget, proven",
        description="Sweep the budget down from where more buys nothing more: every "
        "breakpoint of the objective against the total budget (--mode total) or a factor on "
        "every budget (--mode scale), each a proven plan (or a band when a solve hits its "
        "limit), the greedy rank-and-fund curve beside it, the knee, and the budgets in which "
        "each initiative is in. Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    parser.add_argument("--mode", choices=("total", "scale"), default="total")
    parser.add_argument(
        "--objectives",
        metavar="A,B",
        help="instead of the budget frontier, the exact Pareto front of two objectives among "
        f"{', '.join(OBJECTIVES)} (e.g. value,risk)",
    )
    parser.add_argument("--from", dest="low", type=float, metavar="A", help="lowest budget")
    parser.add_argument("--to", dest="high", type=float, metavar="B", help="highest budget")
    parser.add_argument(
        "--resolution",
        type=float,
        default=0.0,
        metavar="R",
        help="skip this much budget below each step (fewer solves; default 0: every step)",
    )
    parser.add_argument("--time-limit", type=float, metavar="S", help="seconds per solve")
    parser.add_argument(
        "--time-budget", type=float, metavar="S", help="seconds for the whole sweep"
    )
    add_cluster_options(parser)
    parser.add_argument(
        "--segments",
        type=positive_int,
        default=8,
        metavar="K",
        help="with --workers or --scheduler: budget ranges swept at once (default 8)",
    )
    parser.add_argument(
        "--all", action="store_true", help=f"text: list every step (default {TEXT_ROWS})"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, sweep and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    if args.objectives is not None:
        return _front(args, chosen)
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        with executor_for(args) as executor:
            result = frontier(
                engagement,
                mode=args.mode,
                low=args.low,
                high=args.high,
                resolution=args.resolution,
                time_budget=args.time_budget,
                rules=packs,
                params=params,
                executor=executor,
                segments=args.segments,
                time_limit=args.time_limit,
            )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(result.as_dict())
    else:
        rows = None if args.all else TEXT_ROWS
        print_view(frontier_view(result, client=engagement.scope.client, rows=rows))
    return 0


def _front(args: argparse.Namespace, chosen: list[Pack] | None) -> int:
    """The Pareto front of ``--objectives``: load, sweep and print."""
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        result = pareto(
            engagement,
            [name.strip() for name in args.objectives.split(",")],
            rules=packs,
            params=params,
            resolution=args.resolution or None,
            time_budget=args.time_budget,
            time_limit=args.time_limit,
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(result.as_dict())
    else:
        rows = None if args.all else TEXT_ROWS
        print_view(pareto_view(result, client=engagement.scope.client, rows=rows))
    return 0
