"""``itstrat status FILE --baseline PLAN.json --progress P.toml``: earned value, RAG, benefits."""

import argparse
from pathlib import Path

from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.cli.replan import read_inputs
from itstrat_engine.errors import ItstratError
from itstrat_engine.execution import status
from itstrat_engine.report.execution import status_view


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "status",
        help="earned value per initiative and portfolio, RAG, benefits, re-plan advice",
        description="Compare a progress file with its baseline plan: planned value, earned "
        "value, actual cost, SPI, CPI and the estimate at completion per initiative and for "
        "the portfolio, red/amber/green by documented thresholds, benefits per business "
        "objective, and whether to re-plan. Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the engagement as it is now")
    parser.add_argument("--baseline", type=Path, required=True, metavar="PLAN.json")
    parser.add_argument("--progress", type=Path, required=True, metavar="P.toml")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the three files, compute, print."""
    inputs = read_inputs(args)
    if inputs is None:
        return 1
    engagement, baseline, progress = inputs
    try:
        report = status(engagement, baseline, progress)
    except ItstratError as error:
        print_error(error, args.progress)
        return 1
    if args.format == "json":
        print_json(report.as_dict())
    else:
        print_view(status_view(report))
    return 0
