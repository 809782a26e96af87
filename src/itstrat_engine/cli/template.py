"""``itstrat template -o engagement.xlsx``: a workbook to fill in, with a note on every column."""

import argparse
from pathlib import Path

from itstrat_engine.cli._output import print_error
from itstrat_engine.conversion import OUTPUT_SUFFIXES, template, write_engagement
from itstrat_engine.errors import ItstratError


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "template",
        help="write a blank engagement workbook: every sheet, its columns and an example row",
        description="Write an engagement to fill in: an Excel workbook with one sheet per "
        "table, every column with a note that explains its key, and one example row per "
        "sheet; it loads and validates as it is. Another suffix of -o writes the same "
        f"example in that format ({', '.join(OUTPUT_SUFFIXES)}). Like every command that "
        "writes a file, an existing file is replaced atomically. Exit 0, or 1 when the file "
        "cannot be written.",
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="e.g. engagement.xlsx"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the template."""
    try:
        write_engagement(template(), args.output)
    except ItstratError as error:
        print_error(error, args.output)
        return 1
    print(f"wrote {args.output}: fill in each sheet, then run itstrat validate {args.output}")
    return 0
