"""``itstrat assess FILE``: the current-state assessment, readable in a terminal or as JSON."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.assessment import MIN_MATURITY_GAP, MIN_PRIORITY, assess, read_survey_csv
from itstrat_engine.cli._output import print_error, print_json, print_problems, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.graph import check
from itstrat_engine.io import load
from itstrat_engine.report import assessment_view


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "assess",
        help="assess the current state: survey, maturity, key issues, alignment",
        description="Weigh the objectives, aggregate the stakeholder survey, measure maturity "
        "gaps, derive key issues and show how the initiatives line up with the business. "
        "Exit 0 on success (warnings are printed), 1 when the input is invalid, 2 on a "
        "usage error.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the engagement file")
    parser.add_argument(
        "--survey",
        type=Path,
        action="append",
        default=[],
        metavar="CSV",
        help="survey answers in a CSV file (one row per stakeholder and service), added to "
        "the file's [[response]] tables; repeat for several files",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--min-priority",
        type=_fraction,
        default=MIN_PRIORITY,
        metavar="P",
        help=f"survey priority (0-1) from which a service is a key issue (default {MIN_PRIORITY})",
    )
    parser.add_argument(
        "--min-maturity-gap",
        type=_gap,
        default=MIN_MATURITY_GAP,
        metavar="G",
        help="maturity gap (levels, 0-5) from which a service is a key issue "
        f"(default {MIN_MATURITY_GAP:g})",
    )
    parser.add_argument(
        "--include-flagged",
        action="store_true",
        help="let services with too few answers become key issues too",
    )
    parser.set_defaults(run=run)


def _number(text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"expected a number from {low:g} to {high:g}, got {text}")
    return value


def _fraction(text: str) -> float:
    return _number(text, 0, 1)


def _gap(text: str) -> float:
    return _number(text, 0, 5)


def run(args: argparse.Namespace) -> int:
    """Load, check, read the CSV answers, assess and print."""
    source = str(args.file)
    try:
        engagement = load(args.file)
        check(engagement, source)
        extra = [answer for path in args.survey for answer in read_survey_csv(path, engagement)]
        responses = (*engagement.responses, *extra)
        result = assess(
            engagement,
            responses,
            min_priority=args.min_priority,
            min_maturity_gap=args.min_maturity_gap,
            include_flagged=args.include_flagged,
        )
    except ItstratError as error:
        print_error(error, source)
        return 1
    if args.format == "json":
        print_json({"file": source, "surveys": [str(p) for p in args.survey], **result.as_dict()})
        return 0
    print_view(assessment_view(result, engagement, csv_responses=len(extra)))
    print_problems(result.warnings, file=source, stream=sys.stderr)
    return 0
