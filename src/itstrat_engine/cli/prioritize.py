"""``itstrat prioritize FILE --rules PACK...``: rank issues and initiatives, explained."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_rule_options,
    option_packs,
    packs_and_params,
    positive_int,
)
from itstrat_engine.cli._output import print_error, print_json, print_problems, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.graph import validate
from itstrat_engine.io import load
from itstrat_engine.report import prioritization_view
from itstrat_engine.rules import prioritize


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "prioritize",
        help="score and rank issues and initiatives with rule packs",
        description="Score every issue and initiative with rule packs (built-in names or "
        ".toml paths, applied in order) and print the ranking with each item's score "
        "breakdown. Without --rules the engagement's [plan] rules are used. Exit 0 on "
        "success, 1 for an invalid engagement, pack or param, or a rule that fails.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--top", type=positive_int, metavar="N", help="show only the first N of each list"
    )
    parser.add_argument(
        "--brief", action="store_true", help="leave out the score breakdown (text format)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, validate, prioritize and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    errors = [p for p in validate(engagement, str(args.file)) if p.severity == "error"]
    if errors:
        print_problems(errors, stream=sys.stderr)
        print(f"{args.file}: invalid engagement, nothing prioritized", file=sys.stderr)
        return 1
    packs, params = packs_and_params(args, engagement, chosen)
    try:
        result = prioritize(engagement, packs, params)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        data = result.as_dict()
        if args.top:
            data["issues"] = data["issues"][: args.top]
            data["initiatives"] = data["initiatives"][: args.top]
        print_json(data)
        return 0
    print_view(prioritization_view(engagement, result, top=args.top, brief=args.brief))
    print_problems(result.warnings, file=args.file, stream=sys.stderr)
    return 0
