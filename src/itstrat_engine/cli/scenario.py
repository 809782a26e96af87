"""``itstrat scenario FILE SCENARIO...``: plan the base and each scenario, compare them."""

import argparse
from pathlib import Path

from itstrat_engine.cli._arguments import add_rule_options, option_packs, packs_and_params, seconds
from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.report.comparison import what_if_view
from itstrat_engine.scenarios import Scenario, load_scenario, what_if


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "scenario",
        help="what if: plan the engagement under scenario files and compare the plans",
        description="Apply each scenario file (a patch: budget_factor, force_in, force_out, "
        "[change.capacity], [change.plan], [change.initiative.ID], ...) to the engagement, "
        "plan the base and every scenario, compare them, and attribute each difference to "
        "the change that caused it (changes applied one at a time, in the documented order). "
        "Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    add_rule_options(parser)
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per plan")
    parser.add_argument(
        "--no-attribution",
        action="store_true",
        help="plan each scenario once, without the step-by-step attribution of its changes",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, apply, plan, compare and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    scenarios: list[Scenario] = []
    for path in args.scenarios:
        try:
            scenarios.append(load_scenario(path))
        except ItstratError as error:
            print_error(error, path)
            return 1
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        result = what_if(
            engagement,
            scenarios,
            rules=packs if chosen is not None else None,
            params=params or None,
            attribute=not args.no_attribution,
            time_limit=args.time_limit,
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(result.as_dict())
    else:
        print_view(what_if_view(result))
    return 0
