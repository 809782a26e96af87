"""``itstrat sensitivity FILE --samples N --seed S``: how robust the roadmap is."""

import argparse
import json
import sys
from pathlib import Path

import attrs

from itstrat_engine.cli._arguments import (
    add_rule_options,
    option_packs,
    packs_and_params,
    positive_int,
    seconds,
)
from itstrat_engine.cli._cluster import (
    ClusterError,
    add_cluster_options,
    executor_for,
)
from itstrat_engine.cli._output import guard_inputs, print_error, progress_printer, write_output
from itstrat_engine.errors import ItstratError, MissingExtraError
from itstrat_engine.io import load
from itstrat_engine.report import render_text
from itstrat_engine.report.research import sensitivity_view
from itstrat_engine.research.sensitivity import (
    Uncertainty,
    load_uncertainty,
    sensitivity,
)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share such as 0.2, got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a share from 0 to below 1, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a seed >= 0, got {value}")
    return value


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "sensitivity",
        help="Monte Carlo robustness: inclusion probabilities, core/borderline/exterior",
        description="Draw the uncertain estimates (ranges from a sensitivity file, or a "
        "global plus/minus share), pack params and objective weights, plan each sample "
        "with a short time limit, and report for every initiative the probability it is "
        "in the plan (95%% Wilson interval), its class (core, borderline, exterior), its "
        "start distribution; the plan value's quantiles; and a one-at-a-time tornado of "
        "params and weights. The same seed gives the same output, serially or on a "
        "cluster. Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--samples", type=positive_int, default=100, metavar="N")
    parser.add_argument("--seed", type=_seed, default=0, metavar="S")
    parser.add_argument(
        "--ranges",
        type=Path,
        metavar="RANGES",
        help="a sensitivity file: [sensitivity] shares, [uncertainty.ID] ranges "
        "{low, mode, high}; the options below override its shares",
    )
    parser.add_argument("--share", type=_share, metavar="X", help="global plus/minus share")
    parser.add_argument(
        "--on",
        nargs="+",
        choices=("cost", "run_cost", "value", "effort", "fields"),
        metavar="ESTIMATE",
        help="what the global share applies to (default: cost effort)",
    )
    parser.add_argument("--distribution", choices=("triangular", "pert"))
    parser.add_argument("--params-share", type=_share, metavar="X", help="pack params +/- X")
    parser.add_argument("--weights-share", type=_share, metavar="X", help="objective weights +/- X")
    parser.add_argument("--no-tornado", action="store_true", help="skip the one-at-a-time plans")
    add_rule_options(parser)
    parser.add_argument(
        "--time-limit", type=seconds, metavar="S", help="seconds per sample (default 5)"
    )
    add_cluster_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("-o", "--output", type=Path, metavar="OUT", help="write here (atomically)")
    parser.set_defaults(run=run)


def _uncertainty(args: argparse.Namespace) -> Uncertainty:
    base = load_uncertainty(args.ranges) if args.ranges is not None else Uncertainty()
    changes = {
        "share": args.share,
        "on": tuple(args.on) if args.on else None,
        "distribution": args.distribution,
        "params": args.params_share,
        "weights": args.weights_share,
    }
    return attrs.evolve(base, **{k: v for k, v in changes.items() if v is not None})


def run(args: argparse.Namespace) -> int:
    """Load, sample, summarize and print."""
    clash = guard_inputs(args.output, [args.file, *([args.ranges] if args.ranges else [])])
    if clash is not None:
        print_error(clash)
        return 1
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        uncertainty = _uncertainty(args)
    except ItstratError as error:
        print_error(error, args.ranges)
        return 1
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, chosen)
        with executor_for(args) as executor:
            result = sensitivity(
                engagement,
                samples=args.samples,
                seed=args.seed,
                uncertainty=uncertainty,
                rules=packs if chosen is not None else None,
                params=params or None,
                tornado=not args.no_tornado,
                executor=executor,
                progress=progress_printer(sys.stderr, "plans"),
                time_limit=args.time_limit,
            )
    except (ClusterError, MissingExtraError) as error:  # the command line's, not the file's
        print_error(error)
        return 1
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        text = render_text(sensitivity_view(result))
    return write_output(text, args.output)
