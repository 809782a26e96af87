"""``itstrat report FILE -o report.html|.md|.xlsx|.pdf``: the report to hand to a client.

Exit codes: 0 written, 1 invalid input (or a missing extra, or the file cannot be
written), 2 usage error (an output suffix that names no format), 3 the engagement has no
feasible roadmap, 4 no solution within the time limit, 5 solver failure. A failed run
leaves an existing output file untouched.
"""

import argparse
import sys
import typing
from pathlib import Path

import attrs

from itstrat_engine.assessment import read_survey_csv
from itstrat_engine.cli._arguments import (
    add_rule_options,
    add_time_budget,
    option_packs,
    packs_and_params,
    seconds,
)
from itstrat_engine.cli._output import guard_inputs, print_error
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.model import Response, SolverName
from itstrat_engine.optimize import Status, plan
from itstrat_engine.report.client import report
from itstrat_engine.report.output import (
    FORMATS,
    charts_folder,
    report_format,
    require_extra,
    write_report,
)
from itstrat_engine.scenarios import Scenario, load_scenario

EXIT_CODES = {
    Status.INFEASIBLE: 3,
    Status.UNBOUNDED: 3,
    Status.NO_SOLUTION: 4,
    Status.ERROR: 5,
}


def output_path(text: str) -> Path:
    """An output file whose suffix names a report format (an argparse type)."""
    path = Path(text)
    try:
        report_format(path)
    except ItstratError as error:
        problem = error.located()[0]
        raise argparse.ArgumentTypeError(
            f"{text}: {problem.message} ({problem.value}); {problem.suggestion}"
        ) from None
    return path


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "report",
        help="the client report: summary, assessment, ranking, roadmap, money and people",
        description="Plan the engagement and write the report a consultant hands to a "
        "client: executive summary, objectives and weights, current state, ranked "
        "initiatives, the roadmap as a Gantt chart, spend and hours per period, optionally "
        "the efficient frontier and scenarios, and an appendix. The suffix of -o picks the "
        f"format ({', '.join(FORMATS)}). Exit codes: 0 written, 1 invalid input, 2 usage, "
        "3 infeasible, 4 no solution within the time limit, 5 solver failure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "-o",
        "--output",
        type=output_path,
        required=True,
        metavar="REPORT",
        help="report.html, report.md (charts in report_files/), report.xlsx or report.pdf; "
        "written atomically, left untouched when the run fails",
    )
    parser.add_argument(
        "--survey",
        type=Path,
        action="append",
        default=[],
        metavar="CSV",
        help="survey answers in a CSV file, added to the file's [[response]] tables (repeatable)",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="S",
        help="scenario files to compare against the engagement as given",
    )
    parser.add_argument(
        "--frontier", action="store_true", help="add the efficient frontier (re-plans)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="give each initiative left out its proven reason (re-plans)",
    )
    add_rule_options(parser)
    parser.add_argument(
        "--solver",
        choices=typing.get_args(SolverName),
        help="default: the file's, else auto",
    )
    parser.add_argument(
        "--time-limit", type=seconds, metavar="S", help="seconds per plan (default: file, else 60)"
    )
    add_time_budget(parser, "each of the explanations and the frontier sweep")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="show the solver that answered and the seconds in the appendix (the report "
        "then differs from run to run)",
    )
    parser.set_defaults(run=run)


def _progress(message: str) -> None:
    sys.stderr.write(f"itstrat report: {message}...\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Load, plan, analyse, build and write."""
    try:
        require_extra(report_format(args.output))  # before any slow work
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    scenarios: list[Scenario] = []
    for path in args.scenario:
        try:
            scenarios.append(load_scenario(path))
        except ItstratError as error:
            print_error(error, path)
            return 1
    inputs = [args.file, *args.survey, *args.scenario]
    clash = guard_inputs(args.output, inputs) or guard_inputs(charts_folder(args.output), inputs)
    if clash is not None:
        print_error(clash)
        return 1
    # Progress only for a person watching: a pipe or a log file gets nothing.
    progress = _progress if sys.stderr.isatty() else None
    source = args.file
    try:
        engagement = load(args.file)
        answers: list[Response] = []
        for path in args.survey:
            source = path
            answers += read_survey_csv(path, engagement)
        source = args.file
        packs, params = packs_and_params(args, engagement, chosen)
        if progress is not None:
            progress("planning")
        planned = plan(
            attrs.evolve(engagement, responses=(*engagement.responses, *answers)),
            rules=packs,
            params=params,
            solver=args.solver,
            time_limit=args.time_limit,
        )
        if not planned.status.has_plan:
            for finding in planned.findings:
                sys.stderr.write(f"{args.file}: {finding.message}\n")
            sys.stderr.write(f"{args.output}: left unchanged, the plan is {planned.status.value}\n")
            return EXIT_CODES.get(planned.status, 5)
        built = report(
            planned,
            scenarios=scenarios,
            frontier=args.frontier,
            explain=args.explain,
            time_budget=args.time_budget,
            timings=args.timings,
            progress=progress,
            rules=packs,
            params=params,
            solver=args.solver,
            time_limit=args.time_limit,
        )
    except ItstratError as error:
        print_error(error, source)
        return 1
    try:
        written = write_report(built, args.output)
    except ItstratError as error:
        print_error(error, args.output)
        return 1
    status = "proven optimal" if planned.status == Status.OPTIMAL else "not proven optimal"
    extra = f" and {len(written) - 1} chart files" if len(written) > 1 else ""
    print(f"wrote {args.output}{extra}: {status}")
    return 0
