"""``itstrat compare-rules FILE --packs wsjf rice risk+moscow``: rule sets side by side."""

import argparse
from pathlib import Path

import attrs

from itstrat_engine.cli._arguments import positive_int, rule_param, seconds
from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.report.research import rule_comparison_view
from itstrat_engine.research.rule_comparison import RuleSet, compare_rules
from itstrat_engine.rules import load_pack


def rule_set_spec(text: str) -> RuleSet:
    """``wsjf``, ``risk+moscow`` or ``wsjf:min_size=2,other=1`` (an argparse type)."""
    packs, colon, settings = text.partition(":")
    names = [p.strip() for p in packs.split("+")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected PACK[+PACK...][:NAME=VALUE,...], got {text!r}")
    params = dict(rule_param(s) for s in settings.split(",")) if colon else {}
    return RuleSet(name=text, rules=tuple(names), params=params)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "compare-rules",
        help="compare rule packs: rank correlations, portfolios and a regret matrix",
        description="Prioritize and plan the engagement with each rule set, then compare "
        "every pair: on the rankings (Kendall tau-b, weighted tau, Spearman rho, top-k "
        "overlap) and on the plans (portfolio Jaccard, start shifts, and the regret of "
        "each set's plan valued with every other set's scores). A rule set is a pack "
        "(wsjf), packs stacked in order (risk+moscow), or either with params "
        "(wsjf:min_size=2). Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--packs",
        nargs="+",
        required=True,
        type=rule_set_spec,
        metavar="SET",
        help="two or more rule sets: PACK[+PACK...][:NAME=VALUE,...]",
    )
    parser.add_argument(
        "--top-k", type=positive_int, default=5, metavar="K", help="top-k overlap (default 5)"
    )
    parser.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per plan")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, plan with each rule set, compare and print."""
    try:  # packs first: their problems stay in the pack (or on the command line)
        sets = [attrs.evolve(s, rules=tuple(load_pack(r) for r in s.rules)) for s in args.packs]
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        engagement = load(args.file)
        result = compare_rules(engagement, sets, top_k=args.top_k, time_limit=args.time_limit)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(result.as_dict())
    else:
        print_view(rule_comparison_view(result))
    return 0
