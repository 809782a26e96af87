"""``itstrat plan FILE``: choose and sequence the initiatives; print the roadmap.

Exit codes: 0 a plan (optimal, or feasible with its gap), 1 invalid input, 2 usage error,
3 infeasible (with a diagnosis), 4 no solution within the time limit, 5 solver failure.
"""

import argparse
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

from itstrat_engine.cli._arguments import (
    add_no_timings,
    add_rule_options,
    fraction,
    option_packs,
    packs_and_params,
    positive_int,
    seconds,
)
from itstrat_engine.cli._output import (
    guard_inputs,
    output_format,
    print_error,
    print_problems,
    write_output,
)
from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.explanations import explain
from itstrat_engine.io import load
from itstrat_engine.model import PlanObjective, SolverName, Timing
from itstrat_engine.optimize import Plan, Status, plan
from itstrat_engine.report import plan_view, render_text
from itstrat_engine.report.explanations import why_not_view
from itstrat_engine.rules import Pack

TEXT_ROWS = 100
"""Initiatives the text output lists in the roadmap and the not-selected list (--all: all)."""

EXIT_CODES = {
    Status.OPTIMAL: 0,
    Status.FEASIBLE: 0,
    Status.INFEASIBLE: 3,
    Status.UNBOUNDED: 3,
    Status.NO_SOLUTION: 4,
    Status.ERROR: 5,
}


PLAN_WARNINGS = 10


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
    parser.add_argument(
        "--objective",
        choices=typing.get_args(PlanObjective),
        help="npv: benefits and savings minus spend, discounted by the file's discount_rate",
    )
    parser.add_argument("--timing", choices=typing.get_args(Timing))
    parser.add_argument(
        "--discount-rate", type=fraction, metavar="R", help="per period, e.g. 0.02 (for npv)"
    )
    parser.add_argument("--coverage", type=fraction, help="required coverage for --objective cost")
    parser.add_argument(
        "--solver",
        choices=typing.get_args(SolverName),
        help="default: the file's, else auto (cpsat needs the 'cpsat' extra)",
    )
    parser.add_argument(
        "--time-limit", type=seconds, metavar="S", help="seconds (default: file, else 60)"
    )
    parser.add_argument(
        "--gap", type=fraction, metavar="G", help="relative gap to stop at, e.g. 0.01"
    )
    parser.add_argument("--threads", type=positive_int, metavar="N")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="say why each initiative is left out: its structural reason, the proven cost of "
        "forcing it in and the constraints that block it (re-plans; see itstrat explain)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), help="default: json for a -o FILE.json, else text"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"text: show every initiative (default: the first {TEXT_ROWS} of each list)",
    )
    add_no_timings(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the output to a file (atomically; left untouched when the run fails)",
    )
    parser.set_defaults(run=run)


_OTHER_FORMATS = frozenset({".yaml", ".yml", ".toml", ".xlsx", ".html", ".htm", ".pdf", ".md"})


def _foreign_suffix(output: Path | None) -> Problem | None:
    """An output file named for a format `plan` does not write (it writes text or JSON)."""
    if output is None or output.suffix.lower() not in _OTHER_FORMATS:
        return None
    return Problem(
        code="output-format",
        path="--output",
        message="plan writes the roadmap as text or as a JSON plan file, not this format",
        value=str(output),
        expected="a .json file (a plan file), or any other name for text (.txt)",
        suggestion="for a client document use itstrat report FILE -o report.html "
        "(or .md, .xlsx, .pdf)",
    )


def run(args: argparse.Namespace) -> int:
    """Load, plan and print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
        objective = args.objective or engagement.plan.objective
        if args.coverage is not None and objective != "cost":
            unused = Problem(
                code="unused-option",
                path="--coverage",
                message=f"the coverage the cost objective must reach; the objective is "
                f"{objective!r}, which does not use it",
                value=str(args.coverage),
                suggestion="add --objective cost, or leave --coverage out",
            )
            print_problems([unused], stream=sys.stderr)
            return 2
        used, params = packs_and_params(args, engagement, chosen)
        clash = guard_inputs(args.output, [args.file, *_pack_files(used)])
        if clash is not None:
            print_error(clash)
            return 1
        foreign = _foreign_suffix(args.output)
        if foreign is not None:
            print_problems([foreign], stream=sys.stderr)
            return 2
        result = plan(
            engagement,
            rules=used,
            params=params,
            objective=args.objective,
            timing=args.timing,
            coverage=args.coverage,
            discount_rate=args.discount_rate,
            solver=args.solver,
            time_limit=args.time_limit,
            gap=args.gap,
            threads=args.threads,
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    json_out = output_format(args.format, args.output) == "json"
    rows = None if args.all else TEXT_ROWS
    if json_out:
        text = result.to_json(timings=not args.no_timings)
    else:
        text = render_text(plan_view(result, rows=rows, timings=not args.no_timings))
        if args.explain and result.status.has_plan:
            text += render_text(why_not_view(explain(result, _left_out(result))))
    code = EXIT_CODES[result.status]
    if args.output is not None and code != 0:
        # A failed run never touches the output file: show what it found instead.
        if write_output(text, None):
            return 1
        _warn(result, args.file)
        print(
            f"{args.output}: left unchanged, the plan is {result.status.value} (exit {code})",
            file=sys.stderr,
        )
        return code
    if write_output(text, args.output):
        return 1
    _warn(result, args.file)
    if args.output is not None:
        print(f"wrote {args.output}: {result.status.value}")
    return code


def _left_out(result: Plan) -> list[str]:
    return [i.id for i in result.initiatives if not i.selected]


def _warn(result: Plan, file: Path) -> None:
    """A few warnings after the roadmap (`validate` lists them all)."""
    print_problems(result.prepared.warnings, file=file, stream=sys.stderr, limit=PLAN_WARNINGS)


def _pack_files(packs: Sequence[Pack | str | Path]) -> list[Path]:
    """The files the packs were (or will be) read from; built-in names have none here."""
    found = []
    for pack in packs:
        source = pack.source if isinstance(pack, Pack) else str(pack)
        if source is not None and Path(source).is_file():
            found.append(Path(source))
    return found
