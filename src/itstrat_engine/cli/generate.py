"""``itstrat generate``: write a seeded synthetic engagement of any size."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import positive_int
from itstrat_engine.io import dump, dumps
from itstrat_engine.synthetic import generate


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "generate",
        help="write a synthetic engagement",
        description="Write a valid synthetic engagement (random dependency DAG, exclusions, "
        "groups, skills, budgets) for benchmarks and experiments. Same seed, same file.",
    )
    parser.add_argument("--initiatives", type=positive_int, default=50, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--periods", type=positive_int, default=12)
    parser.add_argument("--skills", type=positive_int, default=4)
    parser.add_argument(
        "--format", choices=("toml", "json"), default="toml", help="when writing to stdout"
    )
    parser.add_argument("-o", "--output", type=Path, help="file to write (format from its suffix)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Generate and write the engagement."""
    engagement = generate(
        args.initiatives, seed=args.seed, periods=args.periods, skills=args.skills
    )
    if args.output is None:
        sys.stdout.write(dumps(engagement, args.format))
    else:
        dump(engagement, args.output)
        print(f"wrote {args.output} ({args.initiatives} initiatives, seed {args.seed})")
    return 0
