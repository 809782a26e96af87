"""Argument types and options shared by several commands."""

import argparse
import math
from pathlib import Path

from itstrat_engine.model import Engagement
from itstrat_engine.rules import Pack, file_packs, load_pack


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


def option_packs(args: argparse.Namespace) -> list[Pack] | None:
    """The packs named with ``--rules``, loaded in order; None without the option.

    They are loaded before the engagement is processed so that their problems stay where
    they are: in the pack's own file, or on the command line for an unknown built-in name,
    never in the engagement file.
    """
    if args.rules is None:
        return None
    return [load_pack(reference) for reference in args.rules]


def packs_and_params(
    args: argparse.Namespace, engagement: Engagement, chosen: list[Pack] | None
) -> tuple[list[Pack | str | Path], dict[str, float]]:
    """The packs and params to use, with ``--param`` on top.

    The packs are `chosen` (the ``--rules`` packs, from `option_packs`), else the file's
    [plan] table, resolved relative to the file as the library resolves them (`file_packs`).
    """
    params = dict(args.param)
    if chosen is not None:
        return list(chosen), params
    return list(file_packs(engagement)), {**engagement.plan.params, **params}
