"""Fusing a pack into one function, and reading its trace back as an explanation.

When a pack is evaluated its checked expressions (see `itstrat_engine.rules.expressions`)
are fused into one plain function, with the param values written in as constants::

    trace = function(values, score)

`values` maps each name the pack reads to the item's value (a `Missing` marker when it has
none). The trace holds the final score and one slot per rule: None when the rule's ``when``
was false, else what the rule produced (the score after it, its earliest and deadline
values, or True). Decoding the trace gives the explanation — every rule that fired, the
score before and after, its other effects and its ``because`` — and the gates, timing,
tier and flags.

Two functions are generated per pack: a fast one, and a diagnostic twin that also records
which rule and key are running. The twin only runs when the fast one raises (both are pure),
to say where: the failure becomes a `Problem` naming the pack file, ``rule[k].key``, the
item and the cause. A score, earliest or deadline that comes out infinite or NaN is a
failure too.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from itstrat_engine.errors import Problem
from itstrat_engine.rules.expressions import MissingValueError, compile_function
from itstrat_engine.rules.packs import Pack, Rule

__all__ = ["CompiledPack", "Outcome", "RuleFailure", "Step", "compile_pack", "failure_problem"]


class RuleFailure(Exception):  # noqa: N818 - a signal carrying the located cause
    """A rule failed on an item: `marker` encodes rule index and key, `error` the cause."""

    def __init__(self, marker: int, error: Exception) -> None:
        """Keep where (``rule index * 4 + key``) and why."""
        self.marker = marker
        self.error = error
        super().__init__(marker)


class _NonFiniteError(ArithmeticError):
    """A rule produced infinity or NaN."""


@attrs.frozen
class Step:
    """One rule that fired for one item: the score before and after, effects, reason.

    `effects` lists what the rule did: its score action (``score``, ``add``,
    ``multiply``) and e.g. ``require``, ``earliest 2``, ``tier quick-win``, ``flag hipaa``.
    `replaces` names the earlier pack whose score this rule threw away (a ``score = ...``
    that does not read ``score``), so a combination of packs that undoes itself is visible.
    """

    pack: str
    rule: str
    before: float
    after: float
    effects: tuple[str, ...]
    because: str
    replaces: str | None = None

    @property
    def label(self) -> str:
        """``pack/rule``, the way gates and messages name a rule."""
        return f"{self.pack}/{self.rule}"

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``replaces`` only when the rule replaced a pack's score)."""
        data: dict[str, Any] = {
            "pack": self.pack,
            "rule": self.rule,
            "before": self.before,
            "after": self.after,
            "effects": list(self.effects),
            "because": self.because,
        }
        if self.replaces is not None:
            data["replaces"] = self.replaces
        return data


@attrs.frozen(kw_only=True)
class Outcome:
    """What one pack did to one item: final score, explanation, gates, timing, labels.

    `earliest` and `deadline` list ``(value, "pack/rule")`` pairs as the rules computed
    them (combining and rounding them is `prioritize`'s job).
    """

    score: float
    steps: tuple[Step, ...] = ()
    required_by: tuple[str, ...] = ()
    forbidden_by: tuple[str, ...] = ()
    earliest: tuple[tuple[float, str], ...] = ()
    deadline: tuple[tuple[float, str], ...] = ()
    tier: str | None = None
    flags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class _Slot:
    """How to read one rule's trace slot, worked out once per pack."""

    rule: Rule
    label: str
    score: bool
    earliest: bool
    deadline: bool
    effects: tuple[str, ...]  # what the rule does besides timing, in display order
    replaces: bool  # sets the score without reading it: what came before is discarded

    @property
    def width(self) -> int:
        return self.score + self.earliest + self.deadline


def _slot_of(pack: Pack, rule: Rule) -> _Slot:
    effects: list[str] = [rule.action] if rule.action else []
    effects += ["require"] if rule.require else []
    effects += ["forbid"] if rule.forbid else []
    effects += [f"tier {rule.tier}"] if rule.tier is not None else []
    effects += [f"flag {flag}" for flag in rule.flags]
    return _Slot(
        rule=rule,
        label=f"{pack.id}/{rule.id}",
        score=rule.action is not None,
        earliest=rule.earliest is not None,
        deadline=rule.deadline is not None,
        effects=tuple(effects),
        replaces=rule.action == "score"
        and rule.amount is not None
        and "score" not in rule.amount.names,
    )


@attrs.frozen(kw_only=True)
class CompiledPack:
    """A pack fused into one function, with its params fixed.

    `function(values, score)` returns the trace ``(final score, slot per rule...)``;
    `names` are the item values it reads from `values` (not params or ``score``); `code`
    is the generated source, for the curious.
    """

    pack: Pack
    params: Mapping[str, float]
    names: tuple[str, ...]
    free: frozenset[str]
    code: str = attrs.field(repr=False)
    function: Callable[[Mapping[str, object], float], tuple[Any, ...]] = attrs.field(
        repr=False, eq=False
    )
    diagnostic: Callable[[Mapping[str, object], float], tuple[Any, ...]] = attrs.field(
        repr=False, eq=False
    )
    slots: tuple[_Slot, ...] = attrs.field(repr=False, eq=False)
    timed: bool = attrs.field(repr=False, eq=False)  # any rule sets earliest or deadline
    labelled: tuple[int, ...] = attrs.field(repr=False, eq=False)  # gates, tier or flags

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the pack and its params; the functions are fused again on load."""
        return (compile_pack, (self.pack, dict(self.params)))

    def trace(self, values: Mapping[str, object], start: float) -> tuple[Any, ...]:
        """Run the pack on one item's values from a starting score; raises `RuleFailure`."""
        try:
            trace = self.function(values, start)
        except Exception:  # noqa: BLE001 - the pure twin re-runs it to locate the failure
            failed = True
        else:
            self.check(trace)
            return trace
        if failed:
            self.diagnostic(values, start)  # raises RuleFailure naming rule and key
        raise RuleFailure(-1, RuntimeError("a failure that did not repeat"))  # pragma: no cover

    def check(self, trace: tuple[Any, ...]) -> None:
        """Raise `RuleFailure` for the first rule that produced infinity or NaN."""
        final = trace[0]
        if final - final == 0 and not self.timed:
            # A finite final score: only an intermediate inf/nan could hide, so look closer.
            for slot in trace[1:]:
                if slot is not None and slot is not True and slot - slot != 0:
                    break
            else:
                return
        for k, (info, slot) in enumerate(zip(self.slots, trace[1:], strict=True)):
            if slot is None or slot is True:
                continue
            values = slot if info.width > 1 else (slot,)
            for part, value in zip(
                (p for p, on in ((1, info.score), (2, info.earliest), (3, info.deadline)) if on),
                values,
                strict=True,
            ):
                if not math.isfinite(value):
                    what = {1: "the score", 2: "earliest", 3: "deadline"}[part]
                    raise RuleFailure(k * 4 + part, _NonFiniteError(f"{what} became {value}"))

    def steps(
        self, trace: tuple[Any, ...], start: float, scored_by: str | None = None
    ) -> tuple[Step, ...]:
        """The explanation of a trace: one `Step` per rule that fired.

        `scored_by` is the earlier pack that last changed the score this pack starts from.
        """
        pack_id = self.pack.id
        steps = []
        score = float(start)
        for info, slot in zip(self.slots, trace[1:], strict=True):
            if slot is None:
                continue
            before = score
            values: tuple[Any, ...] = slot if info.width > 1 else (slot,)
            replaces = None
            if info.score:
                score = float(values[0])
                replaces = scored_by if info.replaces else None
                scored_by = None  # the score is now this pack's own
            effects = info.effects
            if info.earliest or info.deadline:
                timing = values[1:] if info.score else values
                extra = []
                if info.earliest:
                    extra.append(f"earliest {float(timing[0]):g}")
                if info.deadline:
                    extra.append(f"deadline {float(timing[-1]):g}")
                effects = (*effects, *extra)
            # Positional: this runs once per fired rule per item, and keywords cost more.
            steps.append(
                Step(pack_id, info.rule.id, before, score, effects, info.rule.because, replaces)
            )
        return tuple(steps)

    def effects(self, trace: tuple[Any, ...]) -> Outcome:
        """Gates, timing, tier and flags of a trace, without the steps (the fast path)."""
        required: list[str] = []
        forbidden: list[str] = []
        earliest: list[tuple[float, str]] = []
        deadline: list[tuple[float, str]] = []
        tier = None
        flags: list[str] = []
        for k in self.labelled:
            slot = trace[k + 1]
            if slot is None:
                continue
            info = self.slots[k]
            rule = info.rule
            if rule.require:
                required.append(info.label)
            if rule.forbid:
                forbidden.append(info.label)
            if rule.tier is not None:
                tier = rule.tier
            flags += [flag for flag in rule.flags if flag not in flags]
            if info.earliest or info.deadline:
                values: tuple[Any, ...] = slot if info.width > 1 else (slot,)
                timing = values[1:] if info.score else values
                if info.earliest:
                    earliest.append((float(timing[0]), info.label))
                if info.deadline:
                    deadline.append((float(timing[-1]), info.label))
        return Outcome(
            score=float(trace[0]),
            required_by=tuple(required),
            forbidden_by=tuple(forbidden),
            earliest=tuple(earliest),
            deadline=tuple(deadline),
            tier=tier,
            flags=tuple(flags),
        )

    def evaluate(self, values: Mapping[str, object], start: float) -> Outcome:
        """Run the pack on one item and explain it; raises `RuleFailure`."""
        trace = self.trace(values, start)
        return attrs.evolve(self.effects(trace), steps=self.steps(trace, start))


def _slot_code(info: _Slot, k: int) -> str:
    parts = ["v_score"] if info.score else []
    parts += [f"_e{k}"] if info.earliest else []
    parts += [f"_d{k}"] if info.deadline else []
    if not parts:
        return "True"
    return parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"


def _source(
    pack: Pack, values: Mapping[str, float], *, markers: bool
) -> tuple[str, tuple[str, ...]]:
    """Python source of the fused function; with `markers` it records the running rule."""
    used: dict[str, None] = {}
    for rule in pack.rules:
        for _, expression in rule.expressions:
            used.update(dict.fromkeys(expression.names))
    reads = tuple(n for n in used if n != "score" and n not in pack.params)
    pad = "        " if markers else "    "
    lines = ["def _pack(values, v_score):"]
    if markers:
        lines += ["    _r = -1", "    try:"]
    lines += [f"{pad}v_{name} = values[{name!r}]" for name in reads]
    lines += [f"{pad}v_{name} = {values[name]!r}" for name in used if name in pack.params]
    for name, default in pack.defaults.items():
        if name in used:
            lines += [f"{pad}if _type(v_{name}) is _Missing:", f"{pad}    v_{name} = {default!r}"]

    def marker(value: int) -> list[str]:
        return [f"_r = {value}"] if markers else []

    for k, rule in enumerate(pack.rules):
        body = []
        if rule.amount is not None:
            body += marker(k * 4 + 1)
            code = rule.amount.code
            if rule.action == "score":
                body.append(f"v_score = {code}")
            elif rule.action == "add":
                body.append(f"v_score = v_score + ({code})")
            else:
                body.append(f"v_score = v_score * ({code})")
        if rule.earliest is not None:
            body += [*marker(k * 4 + 2), f"_e{k} = {rule.earliest.code}"]
        if rule.deadline is not None:
            body += [*marker(k * 4 + 3), f"_d{k} = {rule.deadline.code}"]
        body.append(f"_s{k} = {_slot_code(_slot_of(pack, rule), k)}")
        if rule.when is None:
            lines += [f"{pad}{line}" for line in body]
        else:
            lines += [f"{pad}{line}" for line in marker(k * 4)]
            lines += [f"{pad}if {rule.when.code}:"]
            lines += [f"{pad}    {line}" for line in body]
            lines += [f"{pad}else:", f"{pad}    _s{k} = None"]
    slots = "".join(f", _s{k}" for k in range(len(pack.rules)))
    lines.append(f"{pad}return (v_score{slots})")
    if markers:
        lines += [
            "    except _Exception as _error:",
            "        raise _RuleFailure(_r, _error) from None",
        ]
    return "\n".join(lines) + "\n", reads


def compile_pack(pack: Pack, params: Mapping[str, float] | None = None) -> CompiledPack:
    """Fuse a pack's rules into one function, with `params` (default: the pack's) inlined.

    >>> from itstrat_engine.rules.packs import load_pack
    >>> wsjf = compile_pack(load_pack("wsjf"))
    >>> values = {"business_value": 8.0, "time_criticality": 5.0, "risk_reduction": 3.0,
    ...           "job_size": 4.0}
    >>> outcome = wsjf.evaluate(values, 0.0)
    >>> outcome.score, [(step.rule, step.after) for step in outcome.steps]
    (4.0, [('cost-of-delay', 16.0), ('per-size', 4.0)])
    """
    values = {**pack.params, **(params or {})}
    code, reads = _source(pack, values, markers=False)
    diagnostic_code, _ = _source(pack, values, markers=True)
    extra = {"_RuleFailure": RuleFailure, "_Exception": Exception}
    slots = tuple(_slot_of(pack, rule) for rule in pack.rules)
    return CompiledPack(
        pack=pack,
        params=values,
        names=reads,
        free=frozenset(pack.fields),
        code=code,
        function=compile_function(code, f"<pack {pack.id}>", extra),
        diagnostic=compile_function(diagnostic_code, f"<pack {pack.id} diagnostic>", extra),
        slots=slots,
        timed=any(s.earliest or s.deadline for s in slots),
        labelled=tuple(
            k
            for k, s in enumerate(slots)
            if s.earliest
            or s.deadline
            or s.rule.require
            or s.rule.forbid
            or s.rule.tier is not None
            or s.rule.flags
        ),
    )


def failure_problem(
    compiled: CompiledPack, failure: RuleFailure, subject: str, item_id: str
) -> Problem:
    """A located problem for a rule that failed on one item."""
    pack = compiled.pack
    index, part = divmod(max(failure.marker, 0), 4)
    if index >= len(pack.rules):  # pragma: no cover - every marker names a rule
        return Problem(code="rule-failed", path="", message=str(failure.error), file=pack.source)
    rule = pack.rules[index]
    key = {0: "when", 1: rule.action or "score", 2: "earliest", 3: "deadline"}[part]
    expression = {0: rule.when, 1: rule.amount, 2: rule.earliest, 3: rule.deadline}[part]
    source = expression.source if expression is not None else ""
    where = f"rule[{index}].{key}"
    error = failure.error
    who = f"{subject} {item_id!r}"
    if isinstance(error, MissingValueError):
        name = error.name
        hint = f"add {name} = ... to [defaults] or guard the rule with has({name})"
        if name in compiled.free:
            hint = f"give {who} fields.{name} = ..., {hint.replace(' or ', ', or ')}"
        return Problem(
            code="missing-value",
            path=where,
            message=f"rule {rule.id!r} reads {name}, which {who} does not have",
            value=repr(source),
            suggestion=hint,
            file=pack.source,
        )
    causes: Sequence[tuple[type[BaseException], str, str, str]] = (
        (
            ZeroDivisionError,
            "division-by-zero",
            "division by zero",
            "guard the divisor, e.g. max(x, 1), or add a when condition",
        ),
        (OverflowError, "overflow", "number too large", "keep values within about 1e308"),
        (
            _NonFiniteError,
            "not-finite",
            str(error),
            "keep values finite (infinity or NaN cannot be ranked)",
        ),
        (
            ValueError,
            "math-domain",
            f"math error ({error})",
            "check the arguments, e.g. sqrt and log of positive numbers only",
        ),
    )
    for kind, code, cause, hint in causes:
        if isinstance(error, kind):
            return Problem(
                code=code,
                path=where,
                message=f"{cause} in rule {rule.id!r} on {who}",
                value=repr(source),
                suggestion=hint,
                file=pack.source,
            )
    return Problem(
        code="rule-failed",
        path=where,
        message=f"{type(error).__name__} in rule {rule.id!r} on {who}: {error}",
        value=repr(source),
        file=pack.source,
    )
