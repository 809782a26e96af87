"""``itstrat validate FILE...``: check engagement files and list every problem.

Every other file the product reads is checked too, told apart by the table only its kind
has: rule packs, scenarios, studies, progress files, estimate ranges, judges and plans.
"""

import argparse
from collections.abc import Callable
from pathlib import Path

from itstrat_engine.assessment import objective_weights
from itstrat_engine.cli._output import print_json, print_problems
from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.execution import load_progress
from itstrat_engine.formatting import plural
from itstrat_engine.graph import validate
from itstrat_engine.io import format_of, load, parse, read_text
from itstrat_engine.model import Engagement
from itstrat_engine.optimize import load_plan, prepare
from itstrat_engine.research import load_judges, load_study, load_uncertainty
from itstrat_engine.rules import load_pack
from itstrat_engine.scenarios import load_scenario
from itstrat_engine.workbook import is_spreadsheet, locate

ENGAGEMENT = "engagement"

# The top-level key that marks each other kind of file, in the order they are tried: a
# study's `[[scenario]]` list comes before a scenario's `[scenario]` table.
_KINDS: tuple[tuple[str, str, Callable[[Path], object]], ...] = (
    ("pack", "rule pack", load_pack),
    ("study", "study", load_study),
    ("progress", "progress file", load_progress),
    ("scenario", "scenario", load_scenario),
    ("sensitivity", "estimate ranges", load_uncertainty),
    ("uncertainty", "estimate ranges", load_uncertainty),
    ("judge", "judges file", load_judges),
    ("format_version", "plan", load_plan),
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "validate",
        help="check engagement files",
        description="Check engagement files: syntax, types, references, cycles, feasibility "
        "windows. Rule packs, scenarios, studies, progress files, estimate ranges, judges "
        "and plans are recognised and checked as what they are. Exit 0 when every file is "
        "valid (warnings are printed), 1 otherwise.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def kind_of(path: Path) -> tuple[str, Callable[[Path], object] | None]:
    """What a file is, by its top-level keys, with its loader (None for an engagement).

    A file that cannot be read or parsed is taken for an engagement: its loader reports why.
    """
    if path.is_dir() or is_spreadsheet(path):
        return ENGAGEMENT, None
    try:
        data = parse(read_text(path), format_of(path), str(path))
    except ItstratError:
        return ENGAGEMENT, None
    if isinstance(data, dict):
        for key, kind, loader in _KINDS:
            if key in data:
                return kind, loader
    return ENGAGEMENT, None


def problems_of(path: Path, loader: Callable[[Path], object] | None) -> tuple[Problem, ...]:
    """All problems of one file: reading, structure, then cross-references.

    `loader` is the one `kind_of` found (None: an engagement, checked in depth).
    """
    if loader is not None:
        try:
            loader(path)
        except ItstratError as error:
            return error.located(str(path))
        return ()
    try:
        engagement = load(path)
    except ItstratError as error:
        return error.located(str(path))
    problems = validate(engagement, str(path))
    if engagement.pairwise is not None and not any(p.severity == "error" for p in problems):
        try:
            objective_weights(engagement)
        except ItstratError as error:
            problems += error.located(str(path))
    if is_spreadsheet(path):  # cross-references found after loading: back to their cells
        problems = locate(problems, path)
    if any(p.severity == "error" for p in problems):
        return problems
    return problems + _planning_warnings(engagement, path)


def _planning_warnings(engagement: Engagement, path: Path) -> tuple[Problem, ...]:
    """What scoring warns of, and every initiative no plan can hold (windows are `validate`'s)."""
    try:
        prepared = prepare(engagement)
    except ItstratError:
        return ()  # rule packs that fail are `plan`'s and `rules check`'s to report
    scoring = tuple(p.in_file(str(path)) for p in prepared.prioritization.warnings)
    index = {item.id: n for n, item in enumerate(engagement.initiatives)}
    # A window or chain that cannot hold it is already `validate`'s error or warning.
    window = {i for i, why in prepared.options.reasons.items() if not why.startswith("requires")}
    return scoring + tuple(
        Problem(
            code="never-schedulable",
            path=f"initiative[{index[item_id]}]",
            message=f"{item_id!r} can never be scheduled: {why}",
            severity="warning",
            file=str(path),
            suggestion="raise the capacity or budget, split it, or drop it",
        )
        for item_id, why in prepared.never_schedulable().items()
        if item_id not in window and item_id in index
    )


def run(args: argparse.Namespace) -> int:
    """Validate each file; exit 1 if any has an error."""
    found = [kind_of(path) for path in args.files]
    kinds = [kind for kind, _ in found]
    results = [
        (path, problems_of(path, loader))
        for path, (_, loader) in zip(args.files, found, strict=True)
    ]
    valid = [not any(p.severity == "error" for p in problems) for _, problems in results]
    if args.format == "json":
        print_json(
            {
                "valid": all(valid),
                "files": [
                    {
                        "file": str(path),
                        "kind": kind,
                        "valid": ok,
                        "problems": [p.as_dict() for p in problems],
                    }
                    for (path, problems), ok, kind in zip(results, valid, kinds, strict=True)
                ],
            }
        )
    else:
        for (path, problems), ok, kind in zip(results, valid, kinds, strict=True):
            print_problems(problems)
            errors = sum(p.severity == "error" for p in problems)
            warnings = len(problems) - errors
            verdict = "valid" if ok else f"invalid ({plural(errors, 'error')})"
            note = f", {plural(warnings, 'warning')}" if warnings else ""
            what = "" if kind == ENGAGEMENT else f"{kind}, "
            print(f"{path}: {what}{verdict}{note}")
    return 0 if all(valid) else 1
