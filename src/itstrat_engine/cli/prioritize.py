"""``itstrat prioritize FILE --rules PACK...``: rank issues and initiatives, explained."""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import add_rule_options, packs_and_params, positive_int
from itstrat_engine.cli._output import print_json, print_problems
from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.graph import validate
from itstrat_engine.io import load
from itstrat_engine.model import Engagement
from itstrat_engine.rules import Prioritization, Scored, prioritize


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "prioritize",
        help="score and rank issues and initiatives with rule packs",
        description="Score every issue and initiative with rule packs (built-in names or "
        ".toml paths, applied in order) and print the ranking with each item's score "
        "breakdown. Without --rules the engagement's [plan] rules are used. Exit 0 on "
        "success, 1 for an invalid engagement, pack or param, or a rule that fails.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--top", type=positive_int, metavar="N", help="show only the first N of each list"
    )
    parser.add_argument(
        "--brief", action="store_true", help="leave out the score breakdown (text format)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, validate, prioritize and print."""
    try:
        engagement = load(args.file)
    except ItstratError as error:
        print_problems(getattr(error, "problems", ()), stream=sys.stderr)
        return 1
    errors = [p for p in validate(engagement, str(args.file)) if p.severity == "error"]
    if errors:
        print_problems(errors, stream=sys.stderr)
        print(f"{args.file}: invalid engagement, nothing prioritized", file=sys.stderr)
        return 1
    packs, params = packs_and_params(args, engagement, args.file)
    try:
        result = prioritize(engagement, packs, params)
    except ItstratError as error:
        print_problems(getattr(error, "problems", ()) or [_plain(error)], stream=sys.stderr)
        return 1
    if args.format == "json":
        data = result.as_dict()
        if args.top:
            data["issues"] = data["issues"][: args.top]
            data["initiatives"] = data["initiatives"][: args.top]
        print_json(data)
    else:
        print_text(engagement, result, top=args.top, brief=args.brief)
    return 0


def _plain(error: Exception) -> Problem:
    return Problem(code="error", path="", message=str(error))


# --------------------------------------------------------------------------- text


def number(value: float) -> str:
    """A score for people: 4 significant digits, thousands separated when large."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _gates(item: Scored) -> str:
    if item.mandatory:
        return "required"
    if item.forbidden:
        return "forbidden"
    return ""


def _timing(item: Scored, labels: tuple[str, ...]) -> str:
    parts = []
    if item.earliest is not None:
        parts.append(f"from {labels[item.earliest]}")
    if item.deadline is not None:
        parts.append(f"by {labels[item.deadline]}")
    return " ".join(parts)


def _steps(item: Scored) -> list[str]:
    lines = [f"      start {number(item.start)} ({item.start_from})"]
    width = max((len(step.label) for step in item.steps), default=0)
    for step in item.steps:
        change = (
            f"{number(step.before)} -> {number(step.after)}"
            if step.after != step.before
            else f"{number(step.after)}"
        )
        effects = [e for e in step.effects if e not in {"score", "add", "multiply"}]
        extra = f" [{', '.join(effects)}]" if effects else ""
        lines.append(f"      {step.label:<{width}}  {change:<18} {step.because}{extra}")
    if item.subject == "initiative" and len(item.required_by) + len(item.forbidden_by):
        gate = "required by" if item.mandatory else "forbidden by"
        names = item.required_by or item.forbidden_by
        lines.append(f"      {gate} {', '.join(names)}")
    return lines


def _table(
    title: str,
    items: tuple[Scored, ...],
    columns: list[str],
    cells: list[list[str]],
    *,
    brief: bool,
) -> list[str]:
    widths = [max(len(c), *(len(row[k]) for row in cells)) for k, c in enumerate(columns)]
    right = {0, 2}  # rank and score read best right-aligned
    out = [title]

    def line(row: list[str]) -> str:
        return (
            "  "
            + "  ".join(
                cell.rjust(widths[k]) if k in right else cell.ljust(widths[k])
                for k, cell in enumerate(row)
            ).rstrip()
        )

    out.append(line(columns))
    for item, row in zip(items, cells, strict=True):
        out.append(line(row))
        if not brief:
            out += _steps(item)
    return out


def print_text(
    engagement: Engagement, result: Prioritization, *, top: int | None, brief: bool
) -> None:
    """Print the ranked issues and initiatives with their score breakdown."""
    packs = ", ".join(pack.id for pack in result.packs) or "no packs (starting scores)"
    issues = result.issues[:top] if top else result.issues
    initiatives = result.initiatives[:top] if top else result.initiatives
    counts = f"{len(result.issues)} issues, {len(result.initiatives)} initiatives"
    lines = [f"{engagement.scope.client}: {counts}, scored with {packs}", ""]
    if issues:
        cells = [[str(s.rank), s.id, number(s.score), s.tier or ""] for s in issues]
        lines += _table(
            "Issues, highest priority first",
            issues,
            ["#", "issue", "priority", "tier"],
            cells,
            brief=brief,
        )
        lines.append("")
    if initiatives:
        labels = engagement.scope.labels
        cells = [
            [str(s.rank), s.id, number(s.score), _gates(s), _timing(s, labels), s.tier or ""]
            for s in initiatives
        ]
        lines += _table(
            "Initiatives, highest score first",
            initiatives,
            ["#", "initiative", "score", "gate", "timing", "tier"],
            cells,
            brief=brief,
        )
        lines.append("")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    sys.stdout.write("\n".join(lines).rstrip("\n") + "\n")
