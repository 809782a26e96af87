"""``itstrat plan FILE``: choose and sequence the initiatives; print the roadmap.

Exit codes: 0 a plan (optimal, or feasible with its gap), 1 invalid input, 2 usage error,
3 infeasible (with a diagnosis), 4 no solution within the time limit, 5 solver failure.
"""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import add_rule_options, option_packs, packs_and_params
from itstrat_engine.cli._output import print_error
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.optimize import Status, plan
from itstrat_engine.report import plan_view, render_text

EXIT_CODES = {
    Status.OPTIMAL: 0,
    Status.FEASIBLE: 0,
    Status.INFEASIBLE: 3,
    Status.UNBOUNDED: 3,
    Status.NO_SOLUTION: 4,
    Status.ERROR: 5,
}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "plan",
        help="choose and sequence initiatives into a roadmap",
        description="Choose the initiative portfolio and its sequence by period under budget, "
        "skill capacity, dependencies and exclusions. Exit codes: 0 plan, 1 invalid input, "
        "2 usage, 3 infeasible (diagnosed), 4 no solution within the time limit, 5 solver failure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    parser.add_argument("--objective", choices=("value", "coverage", "makespan", "cost"))
    parser.add_argument("--timing", choices=("once", "after-finish", "discounted"))
    parser.add_argument("--coverage", type=float, help="required coverage for --objective cost")
    parser.add_argument("--solver", choices=("highs", "cbc"))
    parser.add_argument(
        "--time-limit", type=float, metavar="S", help="seconds (default: file, else 60)"
    )
    parser.add_argument("--gap", type=float, metavar="G", help="relative gap to stop at, e.g. 0.01")
    parser.add_argument("--threads", type=int, metavar="N")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the output to a file"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, plan and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, args.file)
        result = plan(
            engagement,
            rules=packs if chosen is None else chosen,
            params=params,
            objective=args.objective,
            timing=args.timing,
            coverage=args.coverage,
            solver=args.solver,
            time_limit=args.time_limit,
            gap=args.gap,
            threads=args.threads,
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    text = result.to_json() if args.format == "json" else render_text(plan_view(result))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: {result.status.value}")
    return EXIT_CODES[result.status]
