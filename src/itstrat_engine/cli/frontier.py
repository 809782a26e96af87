"""``itstrat frontier FILE``: every step of value against budget, and the greedy curve."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_rule_options,
    add_time_budget,
    amount,
    budget_hint,
    option_packs,
    packs_and_params,
    positive_int,
    seconds,
)
from itstrat_engine.cli._cluster import add_cluster_options, executor_for
from itstrat_engine.cli._output import (
    StatusLine,
    print_error,
    print_json,
    print_problems,
    print_view,
)
from itstrat_engine.errors import ItstratError, Problem
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
    parser.add_argument(
        "--mode",
        choices=("total", "scale"),
        help="total: the total budget varies (default); scale: every budget by one factor",
    )
    parser.add_argument(
        "--objectives",
        metavar="A,B",
        help="instead of the budget frontier, the exact Pareto front of two objectives among "
        f"{', '.join(OBJECTIVES)} (e.g. value,risk)",
    )
    parser.add_argument(
        "--risk-field",
        metavar="NAME",
        help="with --objectives ...risk: sum this free field of each initiative (one a rule "
        "pack reads, e.g. exposure) instead of its risk score",
    )
    parser.add_argument("--from", dest="low", type=amount, metavar="A", help="lowest budget")
    parser.add_argument("--to", dest="high", type=amount, metavar="B", help="highest budget")
    parser.add_argument(
        "--resolution",
        type=amount,
        default=0.0,
        metavar="R",
        help="skip this much budget below each step (fewer solves; default 0: every step)",
    )
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per solve")
    add_time_budget(parser, "the whole sweep")
    add_cluster_options(parser)
    parser.add_argument(
        "--segments",
        type=positive_int,
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
    unused = _unused(args)
    if unused:
        print_problems(unused, stream=sys.stderr)
        return 2
    if args.objectives is not None:
        return _front(args, chosen)
    line = StatusLine(sys.stderr, "itstrat frontier")
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        with executor_for(args) as executor:
            result = frontier(
                engagement,
                mode=args.mode or "total",
                low=args.low,
                high=args.high,
                resolution=args.resolution,
                time_budget=args.time_budget,
                rules=packs,
                params=params,
                executor=executor,
                segments=args.segments or 8,
                progress=line.told,
                time_limit=args.time_limit,
            )
    except ItstratError as error:
        line.end()
        print_error(error, args.file)
        return 1
    line.end()
    if args.format == "json":
        print_json(result.as_dict())
    else:
        rows = None if args.all else TEXT_ROWS
        print_view(frontier_view(result, client=engagement.scope.client, rows=rows))
    if result.timed_out:
        print(budget_hint(args.file, args.time_budget), file=sys.stderr)
    return 0


def _front(args: argparse.Namespace, chosen: list[Pack] | None) -> int:
    """The Pareto front of ``--objectives``: load, sweep and print."""
    line = StatusLine(sys.stderr, "itstrat frontier")
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        result = pareto(
            engagement,
            [name.strip() for name in args.objectives.split(",")],
            rules=packs,
            params=params,
            resolution=args.resolution or None,
            risk_field=args.risk_field,
            time_budget=args.time_budget,
            progress=line.told,
            time_limit=args.time_limit,
        )
    except ItstratError as error:
        line.end()
        print_error(error, args.file)
        return 1
    line.end()
    if args.format == "json":
        print_json(result.as_dict())
    else:
        rows = None if args.all else TEXT_ROWS
        print_view(pareto_view(result, client=engagement.scope.client, rows=rows))
    if result.stopped == "the time budget ran out":
        print(budget_hint(args.file, args.time_budget), file=sys.stderr)
    return 0


def _unused(args: argparse.Namespace) -> list[Problem]:
    """Options the chosen sweep would ignore: refused, never silently dropped."""
    if args.objectives is not None:
        budget_only = {
            "--mode": args.mode,
            "--from": args.low,
            "--to": args.high,
            "--workers": args.workers,
            "--scheduler": args.scheduler,
            "--segments": args.segments,
        }
        return [
            _refused(
                option,
                value,
                f"{option} applies to the budget frontier, not to a Pareto front",
                f"drop {option}, or drop --objectives for the budget frontier",
            )
            for option, value in budget_only.items()
            if value is not None
        ]
    if args.segments is not None and args.workers is None and args.scheduler is None:
        return [
            _refused(
                "--segments",
                args.segments,
                "--segments cuts the budget range for workers, and none are asked for",
                "add --workers N or --scheduler ADDRESS, or drop --segments",
            )
        ]
    if args.risk_field is not None:
        return [
            _refused(
                "--risk-field",
                args.risk_field,
                "--risk-field applies to a Pareto front with the risk objective",
                "add e.g. --objectives value,risk",
            )
        ]
    return []


def _refused(option: str, value: object, message: str, suggestion: str) -> Problem:
    return Problem(
        code="unused-option", path=option, message=message, value=str(value), suggestion=suggestion
    )
