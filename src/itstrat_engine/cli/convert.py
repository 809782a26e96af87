"""``itstrat convert IN OUT``: the same engagement in another format (TOML, JSON, YAML, XLSX, CSV)."""

import argparse
from pathlib import Path

from itstrat_engine.cli._output import guard_inputs, print_error
from itstrat_engine.conversion import OUTPUT_SUFFIXES, write_engagement
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "convert",
        help="convert an engagement between TOML, JSON, YAML, an Excel workbook and CSV files",
        description="Read an engagement and write the same engagement in the format OUT's "
        f"suffix names ({', '.join(OUTPUT_SUFFIXES)}: CSV files in a zip; no suffix: CSV files "
        "in a new folder). Lossless: reading OUT gives back the same engagement. The output "
        "is written atomically (an existing file is replaced only by a complete one) and the "
        "same input gives the same bytes. Exit 0, or 1 for invalid input or a failed write.",
    )
    parser.add_argument("source", type=Path, metavar="IN")
    parser.add_argument("target", type=Path, metavar="OUT")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, then write in the other format."""
    clash = guard_inputs(args.target, [args.source])
    if clash is not None:
        print_error(clash)
        return 1
    try:
        engagement = load(args.source)
    except ItstratError as error:
        print_error(error, args.source)
        return 1
    try:
        write_engagement(engagement, args.target)
    except ItstratError as error:
        print_error(error, args.target)
        return 1
    print(f"wrote {args.target} ({len(engagement.initiatives)} initiatives)")
    return 0
