"""``itstrat compare PLAN.json PLAN.json ...``: plans side by side, against the first."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.comparison import compare
from itstrat_engine.errors import ItstratError
from itstrat_engine.optimize import load_plan
from itstrat_engine.report.comparison import comparison_view


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "compare",
        help="compare saved plans: added, dropped, moved; value, spend, hours, objectives",
        description="Read plan files (written by itstrat plan -o PLAN.json), verify each "
        "against its engagement, and compare them with the first: initiatives added, "
        "dropped or moved (by how many periods), the objective value (exact only when both "
        "plans are proven), spend per period, hours per skill and what each business "
        "objective gets. Exit 0, or 1 for a file that is not a valid plan.",
    )
    parser.add_argument("plans", type=Path, nargs="+", metavar="PLAN")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, compare and print."""
    if len(args.plans) < 2:
        print("itstrat compare: name two or more plan files", file=sys.stderr)
        return 1
    plans = []
    for path in args.plans:
        try:
            plans.append(load_plan(path))
        except ItstratError as error:
            print_error(error, path)
            return 1
    names = _names(args.plans)
    comparison = compare(plans, names)
    if args.format == "json":
        print_json(comparison.as_dict())
    else:
        print_view(comparison_view(comparison))
    return 0


def _names(paths: list[Path]) -> list[str]:
    """Each plan's file name without suffix, or its whole path where two names clash."""
    stems = [path.stem for path in paths]
    names = [
        stem if stems.count(stem) == 1 else str(path)
        for stem, path in zip(stems, paths, strict=True)
    ]
    return [name if names.count(name) == 1 else f"{name} ({k + 1})" for k, name in enumerate(names)]
