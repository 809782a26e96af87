"""``itstrat assess FILE``: the current-state assessment, readable in a terminal or as JSON."""

import argparse
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from itstrat_engine.assess import (
    MIN_MATURITY_GAP,
    MIN_PRIORITY,
    Assessment,
    assess,
    read_survey_csv,
)
from itstrat_engine.cli._output import print_json
from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.graph import check
from itstrat_engine.io import load
from itstrat_engine.model import Engagement, Response

_WIDTH = 96


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command."""
    parser = commands.add_parser(
        "assess",
        help="assess the current state: survey, maturity, key issues, alignment",
        description="Weigh the objectives, aggregate the stakeholder survey, measure maturity "
        "gaps, derive key issues and show how the initiatives line up with the business. "
        "Exit 0 on success (warnings are printed), 1 when the input is invalid, 2 on a "
        "usage error.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the engagement file")
    parser.add_argument(
        "--survey",
        type=Path,
        action="append",
        default=[],
        metavar="CSV",
        help="survey answers in a CSV file (one row per stakeholder and service), added to "
        "the file's [[response]] tables; repeat for several files",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--min-priority",
        type=_fraction,
        default=MIN_PRIORITY,
        metavar="P",
        help=f"survey priority (0-1) from which a service is a key issue (default {MIN_PRIORITY})",
    )
    parser.add_argument(
        "--min-maturity-gap",
        type=_gap,
        default=MIN_MATURITY_GAP,
        metavar="G",
        help="maturity gap (levels, 0-5) from which a service is a key issue "
        f"(default {MIN_MATURITY_GAP:g})",
    )
    parser.add_argument(
        "--include-flagged",
        action="store_true",
        help="let services with too few answers become key issues too",
    )
    parser.set_defaults(run=run)


def _number(text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"expected a number from {low:g} to {high:g}, got {text}")
    return value


def _fraction(text: str) -> float:
    return _number(text, 0, 1)


def _gap(text: str) -> float:
    return _number(text, 0, 5)


def _fail(problems: Iterable[Problem], source: str) -> int:
    for problem in problems:
        if problem.severity == "error":
            located = problem if problem.file else attrs.evolve(problem, file=source)
            sys.stderr.write(f"error: {located}\n")
    return 1


def run(args: argparse.Namespace) -> int:
    """Load, check, read the CSV answers, assess and print."""
    source = str(args.file)
    try:
        engagement = load(args.file)
        check(engagement, source)
        extra: list[Response] = []
        for path in args.survey:
            extra.extend(read_survey_csv(path, engagement))
        responses = (*engagement.responses, *extra)
        result = assess(
            engagement,
            responses,
            min_priority=args.min_priority,
            min_maturity_gap=args.min_maturity_gap,
            include_flagged=args.include_flagged,
        )
    except ItstratError as error:
        return _fail(getattr(error, "problems", ()), source)
    if args.format == "json":
        print_json({"file": source, "surveys": [str(p) for p in args.survey], **result.as_dict()})
        return 0
    sys.stdout.write(render(result, engagement, csv_responses=len(extra)))
    for warning in result.warnings:
        located = warning if warning.file else attrs.evolve(warning, file=source)
        sys.stderr.write(f"warning: {located}\n")
    return 0


# --------------------------------------------------------------------------- text rendering


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: str = "") -> list[str]:
    """Rows under headers, two spaces apart; columns whose letter is in `right` align right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in (headers, *rows):
        cells = [
            cell.rjust(width) if index < len(right) and right[index] == "r" else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def _gauge(current: float, target: float) -> str:
    """Ten half-level cells: ``#`` up to the current level, ``-`` on to the target."""
    have, want = round(current * 2), round(target * 2)
    return "[" + "".join("#" if k < have else "-" if k < want else " " for k in range(10)) + "]"


def _wrap(text: str, indent: int = 2) -> list[str]:
    return textwrap.wrap(
        text, width=_WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2)
    )


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def render(result: Assessment, engagement: Engagement, *, csv_responses: int = 0) -> str:
    """The assessment as plain text for a terminal (ASCII only, under 100 columns)."""
    lines = [f"{result.client}: current-state assessment"]
    lines += _headline(result, csv_responses)
    lines += _glance(result)
    lines += _survey(result)
    lines += _maturity(result)
    lines += _issues(result, engagement)
    lines += _weights(result, engagement)
    lines += _alignment(result, engagement)
    return "\n".join(lines) + "\n"


def _headline(result: Assessment, csv_responses: int) -> list[str]:
    survey = result.survey
    if survey is None:
        return ["No survey responses: add [[response]] tables or pass --survey FILE.csv."]
    departments = len(survey.department_summary)
    from_csv = f" ({csv_responses} from CSV)" if csv_responses else ""
    plural = "s" if departments != 1 else ""
    return _wrap(
        f"Survey: {survey.responses} response{'s' if survey.responses != 1 else ''}{from_csv} from {departments} department{plural}, "
        f"scale {survey.scale_min:g}-{survey.scale_max:g}; overall satisfaction "
        f"{_num(survey.overall_satisfaction)}",
        indent=0,
    )


def _glance(result: Assessment) -> list[str]:
    """A few lines a client reads first: what hurts, what is missing, where money goes."""
    lines = _heading("At a glance")
    if result.survey is not None:
        fix = [s.service for s in result.survey.services if s.quadrant == "fix"]
        lines += _wrap("Fix first (important, unsatisfying): " + (", ".join(fix) or "none"))
    gaps = result.maturity.gaps
    if gaps:
        widest = [g for g in gaps if g.gap == gaps[0].gap]
        lines += _wrap(
            "Largest maturity gap: " + ", ".join(f"{g.service} {g.gap:g}" for g in widest)
        )
    derived = result.derived_issues
    count, new = len(derived.provenance), len(derived.issues)
    lines += _wrap(
        f"Key issues from the data: {count} ({new} new, {count - new} covered by the file's issues)"
    )
    aligned = result.alignment
    share = aligned.aligned_share
    lines += _wrap(
        (f"{share:.0%} of proposed one-off cost serves business objectives; " if share else "")
        + "unserved objectives: "
        + (", ".join(aligned.unserved) or "none")
    )
    if result.survey is not None:
        lines += _wrap(
            "High-priority services nothing addresses: "
            + (", ".join(u.service for u in aligned.unaddressed) or "none")
        )
    return lines


def _survey(result: Assessment) -> list[str]:
    survey = result.survey
    if survey is None:
        return []
    lines = _heading("Services by priority (most important, least satisfying first)")
    rows = [
        [
            str(rank),
            s.service,
            _cut(s.name, 30),
            _num(s.importance),
            _num(s.satisfaction),
            _num(s.satisfaction_spread),
            _num(s.gap),
            _num(s.priority, 2),
            s.quadrant or "-",
            str(min(s.importance_answers, s.satisfaction_answers)) + (" !" if s.flagged else ""),
        ]
        for rank, s in enumerate(survey.services, 1)
    ]
    lines += _table(
        ["#", "service", "name", "imp", "sat", "sd", "gap", "prio", "quadrant", "answers"],
        rows,
        "r  rrrrr",
    )
    lines.append(
        f"  quadrants split at mean importance {_num(survey.mean_importance)} and mean "
        f"satisfaction {_num(survey.mean_satisfaction)}; sd: spread of satisfaction"
    )
    if survey.flagged:
        lines.append(f"  ! fewer than {survey.min_responses} answers: treat with care")
    lines += _heading("Departments")
    lines += _table(
        ["department", "people", "imp", "sat", "biggest gap"],
        [
            [
                d.department or "(none)",
                str(d.respondents),
                _num(d.importance),
                _num(d.satisfaction),
                f"{d.worst_service} ({_num(d.worst_gap)})" if d.worst_service else "-",
            ]
            for d in survey.department_summary
        ],
        " rrr",
    )
    return lines


def _maturity(result: Assessment) -> list[str]:
    maturity = result.maturity
    lines = _heading("Maturity gaps (0-5; # current, - gap to target)")
    if not maturity.gaps:
        return [*lines, "  no service has both a current and a target maturity"]
    lines += _table(
        ["service", "kind", "current", "target", "gap", ""],
        [
            [
                row.service,
                row.kind,
                f"{row.current:g}",
                f"{row.target:g}",
                f"{row.gap:g}",
                _gauge(row.current, row.target),
            ]
            for row in maturity.gaps
        ],
        "  rrr",
    )
    if maturity.unrated:
        lines.append("  not rated: " + ", ".join(maturity.unrated))
    return lines


def _issues(result: Assessment, engagement: Engagement) -> list[str]:
    derived = result.derived_issues
    lines = _heading(
        f"Key issues from the data (priority >= {derived.min_priority:.2f} "
        f"or maturity gap >= {derived.min_maturity_gap:g})"
    )
    if not derived.provenance:
        return [*lines, "  none: no service passes either threshold"]
    new = [r for r in derived.provenance if r.new]
    covered = [r for r in derived.provenance if not r.new]
    for record in new:
        lines.append(f"  NEW {record.issue}  severity {record.severity:.1f}")
        for reason in record.reasons:
            lines.extend(_wrap(reason, indent=6))
        low = sorted(
            (a for a in record.answers if a.satisfaction is not None),
            key=lambda a: (a.satisfaction or 0.0, a.response),
        )[:3]
        if low:
            lines.extend(
                _wrap(
                    "least satisfied: "
                    + "; ".join(
                        f"{a.stakeholder} ({a.department or 'no department'}) {a.satisfaction:g}"
                        for a in low
                    ),
                    indent=6,
                )
            )
    if covered:
        if new:
            lines.append("")
        lines.append("  Already covered by the file's issues (severity from the data; file's):")
        severity = {i.id: i.severity for i in engagement.issues}
        width = max(len(record.issue) for record in covered)
        for record in covered:
            why = []
            if record.score is not None and record.score.priority is not None:
                why.append(f"priority {record.score.priority:.2f} ({record.score.quadrant})")
            if record.maturity is not None:
                why.append(f"maturity gap {record.maturity.gap:g}")
            lines.append(f"  {record.issue:<{width}}  {record.severity:.1f}  " + ", ".join(why))
            by = ", ".join(
                f"{issue} ({_num(severity.get(issue), 0)})" if severity.get(issue) else issue
                for issue in record.absorbed_by
            )
            lines.extend(_wrap(f"covered by {by}", indent=6))
    lines.append(
        f"  {len(new)} new issue{'s' if len(new) != 1 else ''}, {len(covered)} already covered; "
        "details and answers in --format json"
    )
    if derived.skipped:
        lines.append("  not raised (too few answers): " + ", ".join(derived.skipped))
    return lines


def _weights(result: Assessment, engagement: Engagement) -> list[str]:
    weights = result.weights
    lines = _heading(f"Objective weights ({weights.method})")
    kinds = {o.id: o.kind for o in engagement.objectives}
    lines += _table(
        ["objective", "kind", "weight", ""],
        [
            [objective, kinds.get(objective, "?"), f"{weight:.3f}", "#" * round(weight * 40)]
            for objective, weight in weights.weights.items()
        ],
        "  r",
    )
    if weights.consistency_ratio is not None:
        verdict = "consistent" if weights.consistent else "INCONSISTENT"
        lines.append(
            f"  lambda_max {weights.lambda_max:.3f}, CI {weights.consistency_index:.3f}, "
            f"CR {weights.consistency_ratio:.3f} ({verdict}: limit 0.10)"
        )
    if any(o.kind == "it" for o in engagement.objectives):
        lines.append("  IT objectives carry the weight of the business objectives they support")
    return lines


def _alignment(result: Assessment, engagement: Engagement) -> list[str]:
    aligned = result.alignment
    lines = _heading("Alignment: strength of each initiative on each objective (. none)")
    codes = [f"O{k}" for k in range(1, len(aligned.objectives) + 1)]
    rows = []
    for column, row in enumerate(aligned.by_initiative):
        cells = [
            "." if not aligned.matrix[r][column] else f"{aligned.matrix[r][column]:.1f}"
            for r in range(len(aligned.objectives))
        ]
        marker = "" if row.proposed else " (forbidden)"
        rows.append([_cut(row.initiative, 24) + marker, *cells, f"{row.score:.2f}"])
    lines += _table(["initiative", *codes, "score"], rows, "l" + "r" * (len(codes) + 1))
    for code, coverage in zip(codes, aligned.coverage, strict=True):
        weight = "" if coverage.weight is None else f", weight {coverage.weight:.3f}"
        lines.append(f"  {code} {coverage.objective} ({coverage.kind}{weight})")
    lines.append("  score: sum of business weight x strength")
    lines.append("")
    lines.append(
        "  Business objectives no initiative serves: " + (", ".join(aligned.unserved) or "none")
    )
    currency = engagement.scope.currency
    ktlo = [r.initiative for r in aligned.by_initiative if r.proposed and not r.aligned]
    for label, total, share, rest in (
        ("One-off cost", aligned.cost, aligned.aligned_share, aligned.ktlo_cost),
        ("Run cost per period", aligned.run_cost, aligned.aligned_run_share, aligned.ktlo_run_cost),
    ):
        if share is None:
            lines.append(f"  {label}: none proposed")
            continue
        lines.extend(
            _wrap(
                f"{label} {_money(total)} {currency}: {share:.0%} serves business objectives, "
                f"{1 - share:.0%} ({_money(rest)}) keeps the lights on"
            )
        )
    if ktlo:
        lines.append("  Keep-the-lights-on initiatives: " + ", ".join(ktlo))
    if aligned.alternatives:
        pairs = ", ".join(f"{a} / {b}" for a, b in aligned.alternatives)
        lines.extend(_wrap(f"Totals count both of each exclusive alternative: {pairs}"))
    if result.survey is not None:
        if aligned.unaddressed:
            lines.append("  High-priority services nothing addresses:")
            lines.extend(
                f"    {u.service} (priority {_num(u.priority, 2)}, {u.quadrant}): {u.reason}"
                for u in aligned.unaddressed
            )
        else:
            count = len(aligned.high_priority)
            lines.append(
                f"  High-priority services nothing addresses: none (all {count} have an "
                "issue and an initiative)"
            )
    return lines
