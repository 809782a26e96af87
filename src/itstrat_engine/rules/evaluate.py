"""`prioritize`: score every issue and initiative with rule packs, with explanations.

Packs apply in the order given, issue packs first: an issue's final score is its priority
``p_q``, which flows into the initiatives' alignment (see `itstrat_engine.rules.fields`),
then the initiative packs run, each from the score the previous one left. Each pack is
fused into one function (`itstrat_engine.rules.compiled`) with its params inlined.

**Runtime failures never pass silently.** If an expression raises — a missing value without
a ``[defaults]`` entry or a ``has()`` guard, division by zero, a math domain error, an
overflow — or a rule produces infinity or NaN, `prioritize` raises `RuleEvaluationError`
with one problem per failing item (the first 20, then a count) naming the pack file,
``rule[k].key``, the rule, the item and the cause. A final score below zero, an
``earliest`` after the horizon and a ``deadline`` before it are errors too, and an
initiative both required and forbidden raises `GateConflictError` naming both rules (the
engagement file's own gate counts as the rule ``engagement file``). Nothing is skipped.

Explanations are decoded lazily: `Scored.steps` is computed from the recorded trace the
first time it is read, so ranking 100,000 initiatives does not build a million records
nobody looks at.
"""

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from itstrat_engine.errors import (
    GateConflictError,
    InvalidEngagementError,
    Problem,
    RuleError,
    RuleEvaluationError,
    did_you_mean,
)
from itstrat_engine.model import MAX_AMOUNT, Engagement, Initiative, Issue
from itstrat_engine.rules.compiled import (
    CompiledPack,
    Outcome,
    RuleFailure,
    Step,
    compile_pack,
    failure_problem,
)
from itstrat_engine.rules.fields import Subject, SubjectData
from itstrat_engine.rules.packs import Pack, file_packs, limit_problems, load_pack
from itstrat_engine.rules.packs import show_value as _show

__all__ = ["FILE_GATE", "Prioritization", "Scored", "prioritize", "resolve_params"]

FILE_GATE = "engagement file"
"""How the engagement file's own mandatory/forbidden flags are named in gates."""


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class Scored:
    """The outcome for one issue or initiative, with its explanation.

    `score` is the final score (an issue's priority or an initiative's value); `start` is
    where it began and `start_from` says from what (``value``, ``alignment``,
    ``severity`` or ``default``); `steps` are the rules that fired, in order (decoded
    from `traces`, the raw output of each pack's `compiled` function). Gates,
    timing (0-based period indexes) and the tier combine the file's own settings with
    every pack's: `required_by` / `forbidden_by` name the rules (``pack/rule`` or
    ``engagement file``), `earliest` is the latest of the earliest periods, `deadline` the
    earliest of the deadlines.
    """

    subject: Subject
    id: str
    name: str
    rank: int
    score: float
    start: float
    start_from: str
    required_by: tuple[str, ...] = ()
    forbidden_by: tuple[str, ...] = ()
    earliest: int | None = None
    deadline: int | None = None
    tier: str | None = None
    flags: tuple[str, ...] = ()
    traces: tuple[tuple[Any, ...], ...] = attrs.field(default=(), repr=False)
    compiled: tuple[CompiledPack, ...] = attrs.field(default=(), repr=False, eq=False)

    @functools.cached_property
    def steps(self) -> tuple[Step, ...]:
        """The rules that fired, in order, with the score before and after each."""
        steps: list[Step] = []
        score = self.start
        scored_by = None  # the last pack that changed the score
        for compiled, trace in zip(self.compiled, self.traces, strict=True):
            own = compiled.steps(trace, score, scored_by)
            if any(compiled.slots[k].score for k, slot in enumerate(trace[1:]) if slot is not None):
                scored_by = compiled.pack.id
            steps += own
            score = float(trace[0])
        return tuple(steps)

    @property
    def mandatory(self) -> bool:
        """Required by the file or a rule."""
        return bool(self.required_by)

    @property
    def forbidden(self) -> bool:
        """Forbidden by the file or a rule."""
        return bool(self.forbidden_by)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (gates and timing only for initiatives)."""
        data: dict[str, Any] = {
            "rank": self.rank,
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "start": self.start,
            "start_from": self.start_from,
            "tier": self.tier,
            "flags": list(self.flags),
        }
        if self.subject == "initiative":
            data |= {
                "mandatory": self.mandatory,
                "forbidden": self.forbidden,
                "required_by": list(self.required_by),
                "forbidden_by": list(self.forbidden_by),
                "earliest": self.earliest,
                "deadline": self.deadline,
            }
        data["steps"] = [step.as_dict() for step in self.steps]
        return data


@attrs.frozen(kw_only=True)
class Prioritization:
    """Scores, gates, timing, tiers and explanations for every issue and initiative.

    `issues` and `initiatives` are ranked: highest score first, ties by id. `packs` are
    the packs applied, in order, and `params` the values used (``pack.param`` keys).
    `warnings` report rule timing that leaves an initiative no room to run.
    """

    packs: tuple[Pack, ...]
    params: Mapping[str, float]
    issues: tuple[Scored, ...]
    initiatives: tuple[Scored, ...]
    warnings: tuple[Problem, ...] = ()

    def issue(self, issue_id: str) -> Scored:
        """The result of one issue (KeyError when unknown)."""
        return _find(self.issues, issue_id)

    def initiative(self, initiative_id: str) -> Scored:
        """The result of one initiative (KeyError when unknown)."""
        return _find(self.initiatives, initiative_id)

    def apply(self, engagement: Engagement) -> Engagement:
        """The engagement with the results written in, for the optimizer.

        Each initiative's `value` becomes its score; `mandatory` and `forbidden` are OR-ed
        with the rule gates; `earliest` and `deadline` become the tightened 0-based indexes;
        each issue's `severity` becomes its priority. The rules' effect is then in those
        values, so the result carries no rules (``[plan] rules = []``, ``params = {}``):
        prioritizing it again without packs gives the same scores, gates and windows, and
        applying that changes nothing (a ``multiply`` rule does not compound). Raises
        `RuleError` when the engagement has items this prioritization did not score.
        """
        initiatives = {s.id: s for s in self.initiatives}
        issues = {s.id: s for s in self.issues}
        unknown = [i.id for i in engagement.initiatives if i.id not in initiatives] + [
            q.id for q in engagement.issues if q.id not in issues
        ]
        if unknown:
            raise RuleError(
                [
                    Problem(
                        code="different-engagement",
                        path="",
                        message="the engagement has items this prioritization did not score",
                        value=", ".join(repr(u) for u in unknown[:5]),
                        suggestion="prioritize this engagement first",
                    )
                ]
            )
        return attrs.evolve(
            engagement,
            initiatives=tuple(_applied(i, initiatives[i.id]) for i in engagement.initiatives),
            issues=tuple(attrs.evolve(q, severity=issues[q.id].score) for q in engagement.issues),
            plan=attrs.evolve(engagement.plan, rules=(), params={}),
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, in a stable order."""
        return {
            "packs": [
                {
                    "id": pack.id,
                    "title": pack.title,
                    "subject": pack.subject,
                    "version": pack.version,
                    "source": pack.source,
                }
                for pack in self.packs
            ],
            "params": dict(sorted(self.params.items())),
            "issues": [scored.as_dict() for scored in self.issues],
            "initiatives": [scored.as_dict() for scored in self.initiatives],
            "warnings": [problem.as_dict() for problem in self.warnings],
        }


def _find(items: Sequence[Scored], item_id: str) -> Scored:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


def _applied(initiative: Initiative, scored: Scored) -> Initiative:
    return attrs.evolve(
        initiative,
        value=scored.score,
        mandatory=scored.mandatory,
        forbidden=scored.forbidden,
        earliest=scored.earliest if scored.earliest is not None else initiative.earliest,
        deadline=scored.deadline if scored.deadline is not None else initiative.deadline,
    )


# --------------------------------------------------------------------------- params


def resolve_params(
    packs: Sequence[Pack], overrides: Mapping[str, object] | None
) -> list[dict[str, float]]:
    """Each pack's params with the overrides applied.

    An override key is ``pack.param`` (that pack only) or ``param`` (every pack that
    declares it); a qualified key wins over a bare one. Unknown keys and values that are
    not finite numbers raise `RuleError` with a did-you-mean.
    """
    resolved = [dict(pack.params) for pack in packs]
    problems: list[Problem] = []
    qualified_names = [f"{pack.id}.{name}" for pack in packs for name in pack.params]
    bare_names = sorted({name for pack in packs for name in pack.params})
    items = sorted((overrides or {}).items(), key=lambda kv: "." in kv[0])  # bare first
    for key, raw in items:
        path = f"params.{key}"
        number = None if isinstance(raw, bool) or not isinstance(raw, int | float) else raw
        value = _finite(number) if number is not None else None
        if value is None:
            problems.append(
                Problem(
                    code="wrong-type",
                    path=path,
                    message="a param must be a finite number",
                    value=_show(raw),
                    expected="a number",
                )
            )
            continue
        pack_id, _, name = key.rpartition(".")
        targets = [
            k
            for k, pack in enumerate(packs)
            if name in pack.params and (not pack_id or pack.id == pack_id)
        ]
        if not targets:
            known_pack = not pack_id or any(pack.id == pack_id for pack in packs)
            problems.append(
                Problem(
                    code="unknown-param",
                    path=path,
                    message="unknown param" if known_pack else "param of a pack not in use",
                    value=repr(key),
                    expected="one of " + ", ".join(qualified_names + bare_names)
                    if qualified_names
                    else "no params: the packs in use declare none",
                    suggestion=did_you_mean(key, qualified_names + bare_names),
                )
            )
            continue
        for k in targets:
            resolved[k][name] = value
    if problems:
        raise RuleError(limit_problems(problems))
    return resolved


# --------------------------------------------------------------------------- prioritize

PackReference = Pack | str | Path


def _finite(value: float) -> float | None:
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _load(references: Iterable[PackReference]) -> tuple[Pack, ...]:
    packs = tuple(r if isinstance(r, Pack) else load_pack(r) for r in references)
    seen: set[str] = set()
    for pack in packs:
        if pack.id in seen:
            raise RuleError(
                [
                    Problem(
                        code="duplicate-pack",
                        path="",
                        message="the same pack is given twice",
                        value=repr(pack.id),
                        expected="each pack once",
                        suggestion="stack different packs; change params with overrides",
                    )
                ]
            )
        seen.add(pack.id)
    return packs


def _check_free_fields(
    compiled: Sequence[CompiledPack], items: Sequence[Issue | Initiative], subject: Subject
) -> None:
    """A declared field that no item has at all is probably a typo: say so up front.

    Fields read only through ``has()`` or ``default()``, or with a ``[defaults]`` value,
    may legitimately be absent everywhere.
    """
    problems: list[Problem] = []
    present: set[str] = set()
    for item in items:
        present.update(item.fields)
    if not items:
        return
    for pack in compiled:
        unguarded = {
            name
            for rule in pack.pack.rules
            for _, expression in rule.expressions
            for name in expression.unguarded
        }
        absent = [
            name
            for name in pack.names
            if name in pack.free
            and name in unguarded
            and name not in present
            and name not in pack.pack.defaults
        ]
        problems.extend(
            Problem(
                code="unknown-field",
                path="pack.fields",
                message=f"pack {pack.pack.id!r} reads {name}, which no {subject} has",
                value=repr(name),
                expected=f"a key of the {subject}s' fields"
                + (f" ({', '.join(sorted(present))})" if present else ""),
                suggestion=did_you_mean(name, present)
                or f"add {name} to the {subject}s' fields or a [defaults] value",
                file=pack.pack.source,
            )
            for name in absent
        )
    if problems:
        raise RuleEvaluationError(limit_problems(problems))


class _Evaluated(NamedTuple):
    """One item after its subject's packs: where it started, the traces, their effects."""

    start: float
    start_from: str
    traces: tuple[tuple[Any, ...], ...]
    effects: tuple[Outcome, ...]  # only for packs with gates, timing, tiers or flags

    @property
    def score(self) -> float:
        return float(self.traces[-1][0]) if self.traces else self.start


def _score_subject(
    subject: Subject,
    items: Sequence[Issue | Initiative],
    compiled: Sequence[CompiledPack],
    data: SubjectData,
) -> list[_Evaluated]:
    """Run the packs of one subject over its items; collect every failure."""
    _check_free_fields(compiled, items, subject)
    names: dict[str, None] = {}
    free: set[str] = set()
    for pack in compiled:
        names.update(dict.fromkeys(pack.names))
        free |= pack.free
    records = data.records(subject, items, tuple(names), frozenset(free))
    results = []
    problems: list[Problem] = []
    for item, values in zip(items, records, strict=True):
        start, start_from = data.start(item)
        score = start
        traces = []
        effects = []
        for pack in compiled:
            try:
                trace = pack.trace(values, score)
            except RuleFailure as failure:
                problems.append(failure_problem(pack, failure, subject, item.id))
                break
            traces.append(trace)
            if pack.labelled:
                effects.append(pack.effects(trace))
            score = trace[0]
        results.append(_Evaluated(float(start), start_from, tuple(traces), tuple(effects)))
    if problems:
        raise RuleEvaluationError(limit_problems(problems))
    return results


def _final_checks(
    subject: Subject,
    items: Sequence[Issue | Initiative],
    results: Sequence[_Evaluated],
    compiled: Sequence[CompiledPack],
) -> None:
    """Final scores must be in 0..MAX_AMOUNT (they become values and severities)."""
    problems = []
    for index, (item, result) in enumerate(zip(items, results, strict=True)):
        score = result.score
        if 0 <= score <= MAX_AMOUNT:
            continue
        negative = score < 0
        steps = Scored(
            subject=subject,
            id=item.id,
            name=item.name,
            rank=0,
            score=score,
            start=result.start,
            start_from=result.start_from,
            traces=result.traces,
            compiled=tuple(compiled[: len(result.traces)]),
        ).steps
        last = next((s for s in reversed(steps) if s.after != s.before), None)
        source = next((c.pack.source for c in compiled if last and c.pack.id == last.pack), None)
        problems.append(
            Problem(
                code="negative-score" if negative else "score-too-large",
                path=f"{subject}[{index}]",
                message=f"{subject} {item.id!r} ends with a "
                + ("negative score" if negative else "score beyond the supported range")
                + (f" after rule {last.label!r}" if last else ""),
                value=_number(score),
                expected="a score >= 0" if negative else f"a score up to {MAX_AMOUNT:.0e}",
                suggestion="clamp it in the rule, e.g. score = max(0, ...)"
                if negative
                else f"clamp it in the rule, e.g. score = min({MAX_AMOUNT:.0e}, ...)",
                file=source,
            )
        )
    if problems:
        raise RuleEvaluationError(limit_problems(problems))


def _weight_warnings(data: SubjectData) -> tuple[Problem, ...]:
    """Inconsistent AHP judgments, wherever the weights are used (errors are `assess`'s)."""
    if data.engagement.pairwise is None:
        return ()
    try:
        return data.assessed_weights.warnings
    except InvalidEngagementError:
        return ()


_EXAMPLES = 3  # item ids named in a warning that covers many


def _replacements(
    subject: Subject,
    items: Sequence[Issue | Initiative],
    results: Sequence[_Evaluated],
    compiled: Sequence[CompiledPack],
) -> list[Problem]:
    """A warning per rule that threw away the score an earlier pack set, with the items."""
    if not any(slot.replaces for pack in compiled[1:] for slot in pack.slots):
        return []
    found: dict[tuple[int, int, str], list[str]] = {}
    for item, result in zip(items, results, strict=True):
        scored_by = None  # the same walk as `Scored.steps`, on the raw traces
        for p, (pack, trace) in enumerate(zip(compiled, result.traces, strict=False)):
            fired = False
            for k, slot in enumerate(trace[1:]):
                info = pack.slots[k]
                if slot is None or not info.score:
                    continue
                if info.replaces and scored_by is not None and not fired:
                    found.setdefault((p, k, scored_by), []).append(item.id)
                fired = True
            if fired:
                scored_by = pack.pack.id
    problems = []
    for (p, k, earlier), ids in found.items():
        source = compiled[p].pack
        rule = source.rules[k]
        shown = ", ".join(repr(i) for i in ids[:_EXAMPLES]) + (
            ", ..." if len(ids) > _EXAMPLES else ""
        )
        problems.append(
            Problem(
                code="replaced-score",
                path=f"rule[{k}].score",
                message=f"rule {source.id}/{rule.id} replaces the score of pack "
                f"{earlier!r} for {len(ids)} {subject}{'s' if len(ids) != 1 else ''} ({shown})",
                value=repr(rule.amount.source if rule.amount is not None else ""),
                expected="a rule that builds on the score it is given (reads score)",
                suggestion=f"apply one of {earlier!r} and {source.id!r}, "
                "or build on score (add, multiply)",
                severity="warning",
                file=source.source,
            )
        )
    return problems


def _number(value: float) -> str:
    return f"{value:g}"


def _gates(
    initiatives: Sequence[Initiative], results: Sequence[_Evaluated]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    gates = []
    conflicts: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    for index, (item, result) in enumerate(zip(initiatives, results, strict=True)):
        required = ([FILE_GATE] if item.mandatory else []) + [
            label for o in result.effects for label in o.required_by
        ]
        forbidden = ([FILE_GATE] if item.forbidden else []) + [
            label for o in result.effects for label in o.forbidden_by
        ]
        if required and forbidden:
            conflicts.append((item.id, required[0], forbidden[0]))
            problems.append(
                Problem(
                    code="gate-conflict",
                    path=f"initiative[{index}]",
                    message=f"initiative {item.id!r} is both required and forbidden",
                    value=f"required by {required[0]}, forbidden by {forbidden[0]}",
                    expected="at most one gate per initiative",
                    suggestion="add a when condition so that only one of the rules applies",
                )
            )
        gates.append((tuple(required), tuple(forbidden)))
    if conflicts:
        raise GateConflictError(conflicts, limit_problems(problems))
    return gates


def _timing(
    engagement: Engagement,
    index: int,
    item: Initiative,
    effects: Sequence[Outcome],
    problems: list[Problem],
    warnings: list[Problem],
) -> tuple[int | None, int | None]:
    periods = engagement.periods
    last = periods - 1
    scope = engagement.scope
    file_earliest = None if item.earliest is None else scope.index(item.earliest)
    file_deadline = None if item.deadline is None else scope.index(item.deadline)
    earliest = file_earliest
    deadline = file_deadline
    for outcome in effects:
        for value, label in outcome.earliest:
            period = max(0, math.ceil(value))
            if period > last:
                problems.append(
                    Problem(
                        code="earliest-after-horizon",
                        path=f"initiative[{index}]",
                        message=f"rule {label!r} sets initiative {item.id!r} to start after "
                        "the horizon",
                        value=f"earliest {_number(value)}",
                        expected=f"a period index 0..{last}",
                        suggestion="use forbid to rule an initiative out",
                    )
                )
                continue
            if period > 0 and (earliest is None or period > earliest):
                earliest = period
        for value, label in outcome.deadline:
            period = math.floor(value)
            if period < 0:
                problems.append(
                    Problem(
                        code="deadline-before-horizon",
                        path=f"initiative[{index}]",
                        message=f"rule {label!r} gives initiative {item.id!r} a deadline "
                        "before the first period",
                        value=f"deadline {_number(value)}",
                        expected=f"a period index 0..{last}",
                        suggestion="use forbid to rule an initiative out",
                    )
                )
                continue
            if period < last and (deadline is None or period < deadline):
                deadline = period
    if (earliest is not None and earliest != file_earliest) or (
        deadline is not None and deadline != file_deadline
    ):
        first = earliest or 0
        end = last if deadline is None else deadline
        if first + item.duration - 1 > end:
            warnings.append(
                Problem(
                    code="empty-window",
                    path=f"initiative[{index}]",
                    message=f"rules leave initiative {item.id!r} no window to run in",
                    value=f"earliest {first}, deadline {end}, duration {item.duration}",
                    expected="earliest + duration - 1 <= deadline",
                    suggestion="relax the timing rules or the initiative's window",
                    severity="warning",
                )
            )
    return earliest, deadline


def _labels(effects: Sequence[Outcome]) -> tuple[str | None, tuple[str, ...]]:
    """The tier the last pack set, and every flag in order of first appearance."""
    tier = None
    flags: dict[str, None] = {}
    for outcome in effects:
        tier = outcome.tier if outcome.tier is not None else tier
        flags.update(dict.fromkeys(outcome.flags))
    return tier, tuple(flags)


def _ranked(rows: list[dict[str, Any]]) -> tuple[Scored, ...]:
    """Build the results, highest score first, ties by id."""
    rows.sort(key=lambda row: (-row["score"], row["id"]))
    return tuple(Scored(rank=rank, **row) for rank, row in enumerate(rows, start=1))


def prioritize(
    engagement: Engagement,
    packs: PackReference | Iterable[PackReference] | None = None,
    params: Mapping[str, object] | None = None,
) -> Prioritization:
    """Score every issue and initiative of an engagement with rule packs, explained.

    `packs` are `Pack` objects, built-in names (``"wsjf"``) or ``.toml`` paths, applied in
    order (a single one may be given alone): issue packs first (their final scores are the issue priorities), then
    initiative packs, each starting from the score the previous one left. Without packs
    (None) the engagement's ``[plan] rules`` and ``params`` are used, pack paths there
    relative to the engagement's file (see `file_packs`); paths given here are relative to
    the working directory. `params` overrides
    pack params as ``{"wsjf.min_size": 2}`` or ``{"min_size": 2}``.

    Issues start from their severity (1 when not given); initiatives from their plain
    value, else their alignment (see `itstrat_engine.rules.fields`). The result is pure:
    the same inputs give the same result, and the engagement is not changed.

    Raises `RuleError` for unknown packs or params, `RuleEvaluationError` naming rule and
    item when a rule fails at run time, `GateConflictError` when an initiative is both
    required and forbidden, and `InvalidEngagementError` when figures the packs need
    cannot be computed (objective weights, survey answers out of scale).

    >>> import itstrat_engine as it
    >>> engagement = it.generate(20, seed=1)
    >>> result = it.prioritize(engagement, ["risk", "wsjf", "moscow"], params={"min_size": 2})
    >>> result.issues[0].tier
    'high'
    >>> top = result.initiatives[0]
    >>> top.rank, top.id, top.score, top.tier
    (1, 'init-0013', 14.5, 'should')
    >>> for step in top.steps:
    ...     print(f"{step.label}: {step.before:g} -> {step.after:g} ({step.because})")
    wsjf/cost-of-delay: 40 -> 29 (Cost of delay is business value plus time criticality plus risk reduction)
    wsjf/per-size: 29 -> 14.5 (Dividing by job size puts short, valuable jobs first)
    moscow/should: 14.5 -> 14.5 (Should-haves are important but not vital)
    >>> result.initiative("init-0014").forbidden_by
    ('moscow/wont',)
    >>> engagement = result.apply(engagement)
    >>> engagement.initiative_by_id["init-0014"].forbidden
    True
    """
    if packs is None:
        packs = file_packs(engagement)
        params = {**engagement.plan.params, **(params or {})}
    elif isinstance(packs, Pack | str | Path):
        packs = [packs]  # one pack, not the letters of its name
    loaded = _load(packs)
    values = resolve_params(loaded, params)
    compiled = [compile_pack(p, v) for p, v in zip(loaded, values, strict=True)]
    data = SubjectData(engagement)
    issue_packs = tuple(c for c in compiled if c.pack.subject == "issue")
    initiative_packs = tuple(c for c in compiled if c.pack.subject == "initiative")

    issue_results = _score_subject("issue", engagement.issues, issue_packs, data)
    _final_checks("issue", engagement.issues, issue_results, issue_packs)
    data.set_issue_priorities(
        {q.id: r.score for q, r in zip(engagement.issues, issue_results, strict=True)}
    )
    initiative_results = _score_subject(
        "initiative", engagement.initiatives, initiative_packs, data
    )
    _final_checks("initiative", engagement.initiatives, initiative_results, initiative_packs)
    gates = _gates(engagement.initiatives, initiative_results)
    warnings: list[Problem] = [
        *_weight_warnings(data),
        *_replacements("issue", engagement.issues, issue_results, issue_packs),
        *_replacements("initiative", engagement.initiatives, initiative_results, initiative_packs),
    ]

    issues = []
    for issue, result in zip(engagement.issues, issue_results, strict=True):
        tier, flags = _labels(result.effects)
        issues.append(
            {
                "subject": "issue",
                "id": issue.id,
                "name": issue.name,
                "score": result.score,
                "start": result.start,
                "start_from": result.start_from,
                "tier": tier,
                "flags": flags,
                "traces": result.traces,
                "compiled": issue_packs,
            }
        )
    problems: list[Problem] = []
    initiatives = []
    for index, (item, result, (required, forbidden)) in enumerate(
        zip(engagement.initiatives, initiative_results, gates, strict=True)
    ):
        earliest, deadline = _timing(engagement, index, item, result.effects, problems, warnings)
        tier, flags = _labels(result.effects)
        initiatives.append(
            {
                "subject": "initiative",
                "id": item.id,
                "name": item.name,
                "score": result.score,
                "start": result.start,
                "start_from": result.start_from,
                "required_by": required,
                "forbidden_by": forbidden,
                "earliest": earliest,
                "deadline": deadline,
                "tier": tier,
                "flags": flags,
                "traces": result.traces,
                "compiled": initiative_packs,
            }
        )
    if problems:
        raise RuleEvaluationError(limit_problems(problems))
    flat_params = {
        f"{pack.id}.{name}": value
        for pack, resolved in zip(loaded, values, strict=True)
        for name, value in resolved.items()
    }
    return Prioritization(
        packs=loaded,
        params=flat_params,
        issues=_ranked(issues),
        initiatives=_ranked(initiatives),
        warnings=tuple(warnings),
    )
