"""The ``itstrat`` command line: a thin layer that reads arguments, calls the library, prints.

This package is the only place that prints or reads arguments; nothing imports it. Every
command returns an exit code instead of exiting, so `main` can be called from tests.

Exit codes: 0 success, 1 invalid input, 2 usage error (from argparse); commands that plan
add their own (documented in their help).
"""

import argparse
import sys
from collections.abc import Sequence

from itstrat_engine import __version__
from itstrat_engine.cli import (
    assess,
    compare,
    compare_rules,
    convert,
    explain,
    frontier,
    generate,
    group_weights,
    limits,
    plan,
    prioritize,
    replan,
    report,
    rules,
    scenario,
    sensitivity,
    status,
    study,
    template,
    validate,
)

__all__ = ["main"]

_COMMANDS = (
    validate,
    assess,
    prioritize,
    plan,
    explain,
    limits,
    scenario,
    compare,
    frontier,
    compare_rules,
    sensitivity,
    study,
    group_weights,
    replan,
    status,
    report,
    rules,
    generate,
    template,
    convert,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per command module."""
    parser = argparse.ArgumentParser(
        prog="itstrat",
        description="Turn an IT strategy engagement into a defensible, optimal roadmap.",
    )
    parser.add_argument("--version", action="version", version=f"itstrat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `itstrat ... | head`
        return 0
    return code
