"""``itstrat group-weights FILE JUDGES.toml``: stakeholders' AHP matrices combined."""

import argparse
from pathlib import Path

from itstrat_engine import formatting
from itstrat_engine.cli._arguments import (
    add_rule_options,
    option_packs,
    packs_and_params,
    positive_int,
)
from itstrat_engine.cli._output import print_error, print_json, print_view
from itstrat_engine.errors import ItstratError
from itstrat_engine.io import load
from itstrat_engine.report.views import Column, Document, Row, Section, Table
from itstrat_engine.research.group_weights import (
    GroupWeights,
    WeightStability,
    group_weights,
    load_judges,
    weight_stability,
)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.1, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "group-weights",
        help="combine stakeholders' pairwise matrices; how far each weight can move",
        description="Combine the [[judge]] pairwise matrices of a judges file by the "
        "geometric mean of their judgments, weigh the business objectives (eigenvector or "
        "row geometric mean), report each stakeholder's consistency ratio against the "
        "threshold, and for each objective the weights at which the top-k of the ranking "
        "changes. Exit 0, or 1 for invalid input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("judges", type=Path, metavar="JUDGES")
    parser.add_argument(
        "--method", choices=("eigenvector", "row-geometric-mean"), default="eigenvector"
    )
    parser.add_argument("--threshold", type=_threshold, default=0.10, metavar="CR")
    parser.add_argument("--top-k", type=positive_int, default=5, metavar="K")
    add_rule_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def _view(result: GroupWeights, stability: tuple[WeightStability, ...], k: int) -> Document:
    judges = Table(
        columns=(
            Column(title="stakeholder", max_width=24),
            Column(title="consistency ratio", align="right", style="decimal", digits=3),
            Column(title="consistent"),
            *(Column(title=o, align="right", style="percent", digits=1) for o in result.objectives),
        ),
        rows=(
            *(
                Row(
                    cells=(
                        j.name,
                        j.consistency_ratio,
                        "yes" if j.consistent else "no",
                        *(j.weights[o] for o in result.objectives),
                    )
                )
                for j in result.judges
            ),
            Row(
                cells=(
                    f"group ({result.method})",
                    result.consistency_ratio,
                    "yes" if result.consistent else "no",
                    *(result.weights[o] for o in result.objectives),
                )
            ),
        ),
        notes=(f"consistent: a consistency ratio of at most {result.threshold:g}",),
    )
    moves = Table(
        columns=(
            Column(title="objective", max_width=28),
            Column(title="weight", align="right", style="percent", digits=1),
            Column(title="top-k changes below", align="right", style="percent", digits=1),
            Column(title="top-k changes above", align="right", style="percent", digits=1),
        ),
        rows=tuple(Row(cells=(s.objective, s.weight, s.down, s.up)) for s in stability),
        notes=(
            f"top {k} now: {formatting.names(list(stability[0].top)) if stability else '-'}",
            "'-': the top-k does not change in that direction; the other weights keep their ratios",
        ),
    )
    return Document(
        title=f"Group weights of {len(result.judges)} stakeholders",
        sections=(
            Section(title="Weights", blocks=(judges,)),
            Section(title="How far each weight can move", blocks=(moves,)),
        ),
    )


def run(args: argparse.Namespace) -> int:
    """Load, combine, test the ranking's stability, print."""
    try:
        chosen = option_packs(args)
    except ItstratError as error:
        print_error(error)
        return 1
    try:
        judges = load_judges(args.judges)
    except ItstratError as error:
        print_error(error, args.judges)
        return 1
    try:
        engagement = load(args.file)
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    try:
        result = group_weights(engagement, judges, method=args.method, threshold=args.threshold)
    except ItstratError as error:
        print_error(error, args.judges)
        return 1
    try:
        packs, params = packs_and_params(args, engagement, chosen)
        stability = weight_stability(
            result.apply(engagement), rules=packs, params=params or None, top_k=args.top_k
        )
    except ItstratError as error:
        print_error(error, args.file)
        return 1
    if args.format == "json":
        print_json(
            {
                "objectives": list(result.objectives),
                "method": result.method,
                "weights": result.weights,
                "consistency_ratio": result.consistency_ratio,
                "consistent": result.consistent,
                "threshold": result.threshold,
                "matrix": [list(row) for row in result.matrix],
                "judges": [
                    {
                        "name": j.name,
                        "weights": j.weights,
                        "consistency_ratio": j.consistency_ratio,
                        "consistent": j.consistent,
                    }
                    for j in result.judges
                ],
                "stability": [
                    {"objective": s.objective, "weight": s.weight, "down": s.down, "up": s.up}
                    for s in stability
                ],
                "top": list(stability[0].top) if stability else [],
            }
        )
    else:
        print_view(_view(result, stability, args.top_k))
    return 0
