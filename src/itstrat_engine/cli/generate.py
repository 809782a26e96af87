"""``itstrat generate``: write a seeded synthetic engagement of any size."""

import argparse
from pathlib import Path

from itstrat_engine.cli._arguments import bounded_int
from itstrat_engine.cli._output import print_error, write_output
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import Format, dumps, format_of
from itstrat_engine.model import MAX_PERIODS
from itstrat_engine.synthetic import MAX_INITIATIVES, MAX_SKILLS, generate


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "generate",
        help="write a synthetic engagement",
        description="Write a valid synthetic engagement (random dependency DAG, exclusions, "
        "groups, skills, budgets) for benchmarks and experiments. Same seed, same file.",
    )
    parser.add_argument(
        "--initiatives",
        type=bounded_int(MAX_INITIATIVES),
        default=50,
        metavar="N",
        help=f"how many (default 50, at most {MAX_INITIATIVES:,}: a larger file would be "
        "too big to read back)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--periods", type=bounded_int(MAX_PERIODS), default=12)
    parser.add_argument("--skills", type=bounded_int(MAX_SKILLS), default=4)
    parser.add_argument(
        "--format", choices=("toml", "json"), help="default: the suffix of -o, else toml"
    )
    parser.add_argument("-o", "--output", type=Path, help="file to write (format from its suffix)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Generate and write the engagement."""
    engagement = generate(
        args.initiatives, seed=args.seed, periods=args.periods, skills=args.skills
    )
    try:
        chosen: Format = args.format or (
            format_of(args.output) if args.output is not None else "toml"
        )
        text = dumps(engagement, chosen)
    except ItstratError as error:
        print_error(error)
        return 1
    if write_output(text, args.output):
        return 1
    if args.output is not None:
        print(f"wrote {args.output} ({args.initiatives} initiatives, seed {args.seed})")
    return 0
