"""Argument types and options shared by several commands."""

import argparse
import math
from collections.abc import Callable
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


def bounded_int(most: int) -> Callable[[str], int]:
    """A whole number from 1 to `most` (an argparse type)."""

    def parse(text: str) -> int:
        value = positive_int(text)
        if value > most:
            raise argparse.ArgumentTypeError(f"expected a number <= {most:,}, got {value:,}")
        return value

    return parse


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


DEFAULT_TIME_BUDGET = 900.0
"""Seconds a command of many re-plans (explain, limits, frontier) runs when not told.

A safety net, not a tuning knob: without it the midsize example's frontier or explanations
would run for hours (each of hundreds of solves may use the file's whole time limit). The
longest bundled run that completes, the dental example's full frontier, takes about 5
minutes on two cores (9 serially)."""


def time_budget(text: str) -> float | None:
    """Seconds > 0, or ``none`` for no budget (an argparse type)."""
    if text.strip().lower() == "none":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected seconds > 0 or 'none', got {text!r}")
    return value


def add_time_budget(parser: argparse.ArgumentParser, what: str) -> None:
    """The ``--time-budget S`` option of a command of many re-plans."""
    parser.add_argument(
        "--time-budget",
        type=time_budget,
        default=DEFAULT_TIME_BUDGET,
        metavar="S",
        help=f"seconds for {what}; what a share of it cannot prove is given as an interval, "
        f"marked unproven (default {DEFAULT_TIME_BUDGET:g}: 15 minutes; 'none': no limit)",
    )


def budget_hint(file: Path, budget: float | None) -> str:
    """What to tell on stderr when a time budget left answers unproven."""
    return (
        f"{file}: not everything was proven within the {budget:g} s time budget; "
        "give --time-budget S for more time, or --time-budget none"
    )


def finite(text: str) -> float:
    """A finite number (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def seconds(text: str) -> float:
    """A number of seconds > 0 (an argparse type): ``--time-limit``."""
    value = finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected seconds > 0, got {text!r}")
    return value


def fraction(text: str) -> float:
    """A number from 0 to 1 (an argparse type): ``--gap``, ``--coverage``, a rate."""
    value = finite(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def amount(text: str) -> float:
    """A finite number >= 0 (an argparse type): a budget or a resolution."""
    value = finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def add_no_timings(parser: argparse.ArgumentParser) -> None:
    """``--no-timings``: output that depends on the input alone, byte for byte."""
    parser.add_argument(
        "--no-timings",
        action="store_true",
        help="leave out what depends on the run (seconds, which solver won a race) so equal "
        "input gives byte-identical output",
    )
