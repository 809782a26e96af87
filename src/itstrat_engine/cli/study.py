"""``itstrat study FILE STUDY.toml [--workers N | --scheduler ADDRESS] -o results.jsonl``."""

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from itstrat_engine.cli._cluster import (
    ClusterError,
    add_cluster_options,
    executor_for,
)
from itstrat_engine.cli._output import guard_inputs, print_error, progress_printer
from itstrat_engine.errors import ItstratError, MissingExtraError, Problem, UnwritableFileError
from itstrat_engine.io import load, write_atomic
from itstrat_engine.research.studies import done_ids, load_study, row_line, run_study


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "study",
        help="run a batch study of scenarios and sweeps, serially or on a dask cluster",
        description="Plan every scenario of a study file ([[scenario]] patches in the "
        "scenario format, [[sweep]] lists crossed into scenarios) as its own task with "
        "the study's time limit and one thread, and write one JSON line per scenario "
        "(id, status, objective value, selected initiatives and their starts, seconds) in "
        "scenario order. A failing scenario is an error row; the rest go on. With -o an "
        "existing output is resumed: the scenarios already in it are skipped. Exit 0 "
        "(error rows included; a count goes to standard error), or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("study", type=Path, metavar="STUDY")
    add_cluster_options(parser)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="JSON lines file (resumed if it exists)"
    )
    parser.add_argument(
        "--restart", action="store_true", help="start over: replace OUT instead of resuming it"
    )
    parser.add_argument(
        "--no-timings",
        action="store_true",
        help="leave each row's seconds out (equal input, equal bytes: serial or on a cluster)",
    )
    parser.set_defaults(run=run)


def _unwritable(path: Path, error: OSError) -> UnwritableFileError:
    return UnwritableFileError(
        Problem(
            code="unwritable",
            path="",
            message=f"cannot write the results ({error.strerror or error})",
            file=str(path),
        )
    )


def run(args: argparse.Namespace) -> int:
    """Load, resume, run, stream the rows."""
    clash = guard_inputs(args.output, [args.file, args.study])
    if clash is not None:
        print_error(clash)
        return 1
    try:
        study = load_study(args.study)
    except ItstratError as error:
        print_error(error, args.study)
        return 1
    try:
        engagement = load(args.file)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    done: set[str] = set()
    if args.output is not None:
        try:
            if args.restart:
                write_atomic(args.output, "")
            else:
                done, kept = done_ids(args.output, study.id)
                if args.output.exists() and "".join(kept) != args.output.read_text("utf-8"):
                    write_atomic(args.output, "".join(kept))  # drop a cut-off last line
        except ItstratError as error:
            print_error(error, args.output)
            return 1
    try:
        stream: TextIO = (
            args.output.open("a", encoding="utf-8") if args.output is not None else sys.stdout
        )
    except OSError as error:
        print_error(_unwritable(args.output, error))
        return 1
    counts = {"rows": 0, "errors": 0}

    def write(row: dict[str, Any]) -> None:
        stream.write(row_line(row))
        stream.flush()  # a stopped run keeps every finished row
        counts["rows"] += 1
        counts["errors"] += row["status"] == "error"

    try:
        with executor_for(args) as executor:
            result = run_study(
                engagement,
                study,
                executor=executor,
                progress=progress_printer(sys.stderr, "scenarios"),
                skip=done,
                on_row=write,
                timings=not args.no_timings,
            )
    except (ClusterError, MissingExtraError) as error:  # the command line's, not the file's
        print_error(error)
        return 1
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    except OSError as error:
        print_error(_unwritable(args.output or Path("<stdout>"), error))
        return 1
    finally:
        if stream is not sys.stdout:
            stream.close()
    skipped = f", {len(result.skipped)} already done" if result.skipped else ""
    sys.stderr.write(
        f"study {study.id}: {counts['rows']} scenario(s) run, {counts['errors']} error row(s)"
        f"{skipped}\n"
    )
    return 0
