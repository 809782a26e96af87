"""``itstrat plan FILE``: choose and sequence the initiatives; print the roadmap.

Exit codes: 0 a plan (optimal, or feasible with its gap), 1 invalid input, 2 usage error,
3 infeasible (with a diagnosis), 4 no solution within the time limit, 5 solver failure.
"""

import argparse
import sys
from pathlib import Path

from itstrat_engine.cli._arguments import add_rule_options, packs_and_params
from itstrat_engine.cli._output import print_problems
from itstrat_engine.errors import ItstratError
from itstrat_engine.graph import StrategyGraph
from itstrat_engine.io import load
from itstrat_engine.optimize import Plan, Status, plan

EXIT_CODES = {
    Status.OPTIMAL: 0,
    Status.FEASIBLE: 0,
    Status.INFEASIBLE: 3,
    Status.UNBOUNDED: 3,
    Status.NO_SOLUTION: 4,
    Status.ERROR: 5,
}


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "plan",
        help="choose and sequence initiatives into a roadmap",
        description="Choose the initiative portfolio and its sequence by period under budget, "
        "skill capacity, dependencies and exclusions. Exit codes: 0 plan, 1 invalid input, "
        "2 usage, 3 infeasible (diagnosed), 4 no solution within the time limit, 5 solver failure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    add_rule_options(parser)
    parser.add_argument("--objective", choices=("value", "coverage", "makespan", "cost"))
    parser.add_argument("--timing", choices=("once", "after-finish", "discounted"))
    parser.add_argument("--coverage", type=float, help="required coverage for --objective cost")
    parser.add_argument("--solver", choices=("highs", "cbc"))
    parser.add_argument(
        "--time-limit", type=float, metavar="S", help="seconds (default: file, else 60)"
    )
    parser.add_argument("--gap", type=float, metavar="G", help="relative gap to stop at, e.g. 0.01")
    parser.add_argument("--threads", type=int, metavar="N")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the output to a file"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, plan and print."""
    try:
        engagement = load(args.file)
        packs, params = packs_and_params(args, engagement, args.file)
        result = plan(
            engagement,
            rules=packs,
            params=params,
            objective=args.objective,
            timing=args.timing,
            coverage=args.coverage,
            solver=args.solver,
            time_limit=args.time_limit,
            gap=args.gap,
            threads=args.threads,
        )
    except ItstratError as error:
        problems = getattr(error, "problems", ())
        print_problems(problems, stream=sys.stderr)
        if not problems:
            print(f"error: {error}", file=sys.stderr)
        return 1
    text = result.to_json() if args.format == "json" else render(result)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: {result.status.value}")
    return EXIT_CODES[result.status]


def _money(amount: float) -> str:
    return f"{amount:,.0f}"


def render(result: Plan) -> str:
    """The plan as text a consultant can read: status, roadmap, money and people per period."""
    engagement = result.engagement
    lines: list[str] = []
    if engagement is not None:
        scope = engagement.scope
        lines.append(
            f"{scope.client}: IT roadmap {result.periods[0]}..{result.periods[-1]} ({len(result.periods)} {scope.period}s)"
        )
    lines.append(_status_line(result))
    if not result.status.has_plan:
        if result.findings:
            lines.append("")
            lines.append("What must give:")
            lines.extend(f"  - {finding.message}" for finding in result.findings)
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.extend(_roadmap(result))
    lines.extend(_objectives(result))
    lines.append("")
    lines.extend(_money_table(result))
    skills = sorted({k for row in result.usage for k in row.skills})
    if skills:
        lines.append("")
        lines.extend(_skills_table(result, skills))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _status_line(result: Plan) -> str:
    if result.status == Status.OPTIMAL:
        head = "Status: optimal (proven)"
    elif result.status == Status.FEASIBLE:
        gap = f"{result.gap:.2%}" if result.gap is not None else "unknown"
        head = f"Status: feasible, not proven optimal (gap {gap})"
    else:
        head = f"Status: {result.status.value.replace('_', ' ')}"
    parts = [head]
    if result.objective_value is not None:
        parts.append(f"{result.objective} {result.objective_value:,.6g}")
    parts.append(f"{result.solver}, {result.seconds:.2f} s")
    return " | ".join(parts)


def _short(label: str) -> str:
    return label[2:] if len(label) == 7 and label[4] == "-" else label  # 2027-Q1 -> 27-Q1


def _roadmap(result: Plan) -> list[str]:
    labels = [_short(label) for label in result.periods]
    width = max(len(label) for label in labels)
    selected = result.selected
    name_width = min(36, max((len(i.name) for i in selected), default=10))
    header = " " * (name_width + 3) + " ".join(label.rjust(width) for label in labels)
    lines = [f"Roadmap ({len(selected)} of {len(result.initiatives)} initiatives)", header]
    for item in selected:
        start, finish = item.start or 0, item.finish or 0
        cells = [
            "#" * width if start <= t < finish else "." * min(width, 1) for t in range(len(labels))
        ]
        name = item.name if len(item.name) <= name_width else item.name[: name_width - 1] + "~"
        flag = " *" if item.mandatory else ""
        lines.append(
            f"  {name.ljust(name_width)} " + " ".join(c.rjust(width) for c in cells) + flag
        )
    left_out = [i for i in result.initiatives if not i.selected]
    if any(i.mandatory for i in selected):
        lines.append("  (* mandatory)")
    if left_out:
        lines.append("Not selected: " + ", ".join(i.id for i in left_out))
    return lines


def _objectives(result: Plan) -> list[str]:
    """What each business objective gets: the selected initiatives that trace to it."""
    engagement = result.engagement
    if engagement is None:
        return []
    business = [o for o in engagement.objectives if o.kind == "business"]
    if not business:
        return []
    graph = StrategyGraph(engagement)
    chosen = {i.id for i in result.selected}
    lines = ["", "What each business objective gets"]
    for objective in business:
        serving = [i for i in graph.served_by(objective.id) if i in chosen]
        names = ", ".join(serving) if serving else "nothing in this plan"
        lines.append(
            f"  {objective.name}: {len(serving)} initiative{'s' if len(serving) != 1 else ''} ({names})"
        )
    return lines


def _money_table(result: Plan) -> list[str]:
    currency = result.engagement.scope.currency if result.engagement is not None else ""
    lines = [
        f"Spend per period ({currency})",
        f"  {'period':<8} {'spend':>12} {'budget':>12} {'use':>6}",
    ]
    for row in result.usage:
        budget = "-" if row.budget is None else _money(row.budget)
        use = "" if not row.budget else f"{row.spend / row.budget:.0%}"
        lines.append(f"  {row.label:<8} {_money(row.spend):>12} {budget:>12} {use:>6}")
    total_budget = "-" if result.budget is None else _money(result.budget)
    lines.append(f"  {'total':<8} {_money(result.total_spend):>12} {total_budget:>12}")
    return lines


def _skills_table(result: Plan, skills: list[str]) -> list[str]:
    cells: list[list[str]] = []
    for row in result.usage:
        line = [row.label]
        for skill in skills:
            use = row.skills[skill]
            capacity = "-" if use.capacity is None else f"{use.capacity:,.0f}"
            extra = f"+{use.contractor:,.0f}" if use.contractor > 0 else ""
            line.append(f"{use.used:,.0f}/{capacity}{extra}")
        cells.append(line)
    widths = [max(len(c[n]) for c in [["period", *skills], *cells]) for n in range(len(skills) + 1)]
    header = ["period", *skills]
    lines = ["Skill hours per period (used/capacity+contractors)"]
    lines.append(
        "  "
        + "  ".join(
            h.ljust(w) if n == 0 else h.rjust(w)
            for n, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    lines.extend(
        "  "
        + "  ".join(
            c.ljust(w) if n == 0 else c.rjust(w)
            for n, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in cells
    )
    return lines
