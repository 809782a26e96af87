"""Argument types and options shared by several commands."""

import argparse
import math
from pathlib import Path

from itstrat_engine.model import Engagement


def positive_int(text: str) -> int:
    """A whole number >= 1 (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def rule_param(text: str) -> tuple[str, float]:
    """Parse ``name=value`` with a finite number value (an argparse type)."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number after '=', got {value!r} in {text!r}"
        ) from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {value!r}")
    return name.strip(), number


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """The ``--rules PACK...`` and ``--param NAME=VALUE`` options."""
    parser.add_argument(
        "--rules",
        nargs="+",
        action="extend",
        metavar="PACK",
        help="built-in pack name or path to a .toml pack, applied in order (repeatable); "
        "default: the file's [plan] rules",
    )
    parser.add_argument(
        "--param",
        action="append",
        type=rule_param,
        default=[],
        metavar="NAME=VALUE",
        help="override a pack param: pack.name=value or name=value (repeatable)",
    )


def packs_and_params(
    args: argparse.Namespace, engagement: Engagement, file: Path
) -> tuple[list[str | Path], dict[str, float]]:
    """The packs and params to use: the options, else the file's [plan] table.

    Pack paths in the file are relative to the file's folder, not to the working directory.
    """
    params = dict(args.param)
    if args.rules is not None:
        return list(args.rules), params
    packs: list[str | Path] = []
    for reference in engagement.plan.rules:
        if reference.endswith(".toml") or "/" in reference or "\\" in reference:
            path = Path(reference)
            packs.append(path if path.is_absolute() else file.parent / path)
        else:
            packs.append(reference)
    return packs, {**engagement.plan.params, **params}
