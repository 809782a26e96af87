"""``itstrat replan FILE --baseline PLAN.json --progress P.toml``: re-plan from where things stand.

Exit codes: 0 a plan (optimal, or feasible with its gap), 1 invalid input, 2 usage error,
3 infeasible (with a diagnosis), 4 no solution within the time limit, 5 solver failure.
"""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import add_no_timings, seconds
from itstrat_engine.cli._output import (
    guard_inputs,
    output_format,
    print_error,
    print_json,
    print_view,
    write_output,
)
from itstrat_engine.cli.plan import EXIT_CODES
from itstrat_engine.errors import ItstratError
from itstrat_engine.execution import Progress, load_progress, replan, stability_curve
from itstrat_engine.io import load
from itstrat_engine.model import Engagement
from itstrat_engine.optimize import Plan, load_plan
from itstrat_engine.report.execution import replan_view


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text}")
    return value


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "replan",
        help="re-plan the remainder from a baseline plan and a progress file",
        description="Pin done work where it ran (with its actual cost) and work in progress "
        "with what remains, close the past, and optimize the rest again; with --stability W "
        "maximize value minus W x disruption against the baseline. Says what changed and "
        "why. Exit codes: 0 plan, 1 invalid input, 2 usage, 3 infeasible (diagnosed), 4 no "
        "solution within the time limit, 5 solver failure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the engagement as it is now")
    parser.add_argument("--baseline", type=Path, required=True, metavar="PLAN.json")
    parser.add_argument("--progress", type=Path, required=True, metavar="P.toml")
    parser.add_argument(
        "--freeze",
        type=_non_negative_int,
        default=0,
        metavar="K",
        help="periods after the status date in which nothing new starts (default 0)",
    )
    parser.add_argument(
        "--stability",
        type=_non_negative_float,
        metavar="W",
        help="weight of disruption against value (default 0: ignore the baseline)",
    )
    parser.add_argument(
        "--stability-curve",
        action="store_true",
        help="also give every breakpoint of value against disruption over W",
    )
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per solve")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="NEW.json",
        help="write the new plan as a plan file (a baseline for the next re-plan)",
    )
    add_no_timings(parser)
    parser.add_argument("--format", choices=("text", "json"))
    parser.set_defaults(run=run)


def read_inputs(args: argparse.Namespace) -> tuple[Engagement, Plan, Progress] | None:
    """The engagement, the baseline and the progress file; None when one is printed as bad."""
    path = args.file
    try:
        engagement = load(path)
        path = args.baseline
        baseline = load_plan(path)
        path = args.progress
        progress = load_progress(path)
    except ItstratError as error:
        print_error(error, path)
        return None
    return engagement, baseline, progress


def run(args: argparse.Namespace) -> int:
    """Read the three files, re-plan, print, write."""
    guarded = guard_inputs(args.output, (args.file, args.baseline, args.progress))
    if guarded is not None:
        print_error(guarded)
        return 1
    inputs = read_inputs(args)
    if inputs is None:
        return 1
    engagement, baseline, progress = inputs
    try:
        result = replan(
            engagement,
            baseline,
            progress,
            freeze=args.freeze,
            stability=args.stability,
            time_limit=args.time_limit,
        )
        curve = (
            stability_curve(
                engagement, baseline, progress, freeze=args.freeze, time_limit=args.time_limit
            )
            if args.stability_curve
            else None
        )
    except ItstratError as error:
        print_error(error, args.progress)
        return 1
    if args.output is not None:
        if result.plan.status.has_plan:
            code = write_output(result.plan.to_json(timings=False), args.output)
            if code:
                return code
        else:
            print(
                f"itstrat replan: {args.output} not written: no plan ({result.plan.status.value})",
                file=sys.stderr,
            )
    if output_format(args.format, None) == "json":
        data = result.as_dict()
        if curve is not None:
            data["stability_curve"] = curve.as_dict()
        print_json(data)
    else:
        print_view(replan_view(result, curve, timings=not args.no_timings))
    return EXIT_CODES[result.plan.status]
