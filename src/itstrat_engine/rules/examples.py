"""Running a pack's ``[[example]]`` cases: rule packs are tested like code.

An example gives one item's values (names it leaves out are missing; lists are empty and
booleans false), optionally the starting ``score`` and param overrides, and what it
expects: the score (compared with a relative and absolute tolerance of 1e-9), gates,
earliest and deadline (as `prioritize` rounds them: earliest up, deadline down), the tier
(``""`` for none) and flags. Examples run through the same fused function as `prioritize`.
"""

import math

import attrs

from itstrat_engine.errors import Problem
from itstrat_engine.rules.compiled import Outcome, RuleFailure, compile_pack, failure_problem
from itstrat_engine.rules.expressions import Missing
from itstrat_engine.rules.packs import Example, Pack

__all__ = ["ExampleResult", "run_examples"]


@attrs.frozen(kw_only=True)
class ExampleResult:
    """The result of one pack example: passed or not, and each mismatch as text."""

    pack: str
    example: str
    passed: bool
    mismatches: tuple[str, ...] = ()
    outcome: Outcome | None = None
    error: Problem | None = None


def _example_values(pack: Pack, example: Example) -> tuple[dict[str, object], float]:
    given = dict(example.given)
    values: dict[str, object] = {}
    for name, type_ in pack.names.items():
        if name in given:
            values[name] = given[name]
        elif type_ == "strings":
            values[name] = ()
        elif type_ == "bool":
            values[name] = False
        elif type_ == "string":
            values[name] = example.id if name == "id" else ""
        else:
            values[name] = Missing(name)
    issue = pack.subject == "issue"
    start = given.get("score")
    if start is None:
        start = given.get("severity" if issue else "value")
    if start is None and not issue:
        start = given.get("alignment")
    if not isinstance(start, float):  # numbers in `given` were made floats on load
        start = 1.0 if issue else 0.0
    return values, start


def run_examples(pack: Pack) -> tuple[ExampleResult, ...]:
    """Run every ``[[example]]`` of a pack; see the module docstring for the rules.

    The starting score is ``score`` from `given`, else ``value`` (then ``alignment``) for
    initiatives or ``severity`` for issues, else 0 for initiatives and 1 for issues. A
    runtime failure fails the example with the same message `prioritize` would give.

    >>> from itstrat_engine.rules.packs import load_pack
    >>> [result.passed for result in run_examples(load_pack("wsjf"))]
    [True, True, True]
    """
    results = []
    for example in pack.examples:
        compiled = compile_pack(pack, example.params)
        values, start = _example_values(pack, example)
        try:
            outcome = compiled.evaluate(values, start)
        except RuleFailure as failure:
            problem = failure_problem(compiled, failure, pack.subject, example.id)
            results.append(
                ExampleResult(
                    pack=pack.id,
                    example=example.id,
                    passed=False,
                    mismatches=(problem.text,),
                    error=problem,
                )
            )
            continue
        mismatches = _mismatches(example, outcome)
        results.append(
            ExampleResult(
                pack=pack.id,
                example=example.id,
                passed=not mismatches,
                mismatches=tuple(mismatches),
                outcome=outcome,
            )
        )
    return tuple(results)


def _mismatches(example: Example, outcome: Outcome) -> list[str]:
    expect = example.expect
    found = []
    if expect.score is not None and not math.isclose(
        outcome.score, expect.score, rel_tol=1e-9, abs_tol=1e-9
    ):
        found.append(f"score: expected {expect.score:g}, got {outcome.score:.12g}")
    for key, actual_gate in (
        ("require", bool(outcome.required_by)),
        ("forbid", bool(outcome.forbidden_by)),
    ):
        wanted = getattr(expect, key)
        if wanted is not None and wanted != actual_gate:
            found.append(f"{key}: expected {str(wanted).lower()}, got {str(actual_gate).lower()}")
    for key, pairs in (("earliest", outcome.earliest), ("deadline", outcome.deadline)):
        wanted = getattr(expect, key)
        if wanted is None:
            continue
        actual = None
        if pairs:
            if key == "earliest":
                actual = math.ceil(max(value for value, _ in pairs))
            else:
                actual = math.floor(min(value for value, _ in pairs))
        if actual != wanted:
            found.append(f"{key}: expected {wanted}, got {actual}")
    if expect.tier is not None and expect.tier != (outcome.tier or ""):
        found.append(f"tier: expected {expect.tier!r}, got {outcome.tier!r}")
    if expect.flags is not None and tuple(expect.flags) != outcome.flags:
        found.append(f"flags: expected {list(expect.flags)}, got {list(outcome.flags)}")
    return found
