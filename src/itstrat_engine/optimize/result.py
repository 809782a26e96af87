"""The plan: which initiatives run when, what it costs per period, and how sure we are.

`Plan` is the frozen result of `itstrat_engine.plan`; `Plan.to_dict` gives the JSON of the
contract (DESIGN section 4): ``status``, ``objective_value``, ``best_bound``, ``gap``,
``solver``, ``seconds``, ``periods``, ``initiatives`` and ``usage``. Every number in it is
computed from the decoded integer schedule, never copied from the solver's float objective.
"""

import enum
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from itstrat_engine.model import Engagement, PlanObjective, PlanSettings, Timing

if TYPE_CHECKING:
    from itstrat_engine.optimize.preparation import Prepared
    from itstrat_engine.rules import Prioritization

FORMAT_VERSION = 1
"""Version of the plan JSON; `load_plan` reads this version."""

__all__ = [
    "FORMAT_VERSION",
    "Finding",
    "PeriodUse",
    "Plan",
    "ScheduledInitiative",
    "SelectedInitiative",
    "SkillUse",
    "Status",
]


class Status(enum.Enum):
    """How the solve ended. Only `OPTIMAL` means the solver proved the plan is the best."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no_solution"
    ERROR = "error"

    @property
    def has_plan(self) -> bool:
        """True when the result carries a schedule (optimal or feasible)."""
        return self in {Status.OPTIMAL, Status.FEASIBLE}


@attrs.frozen(kw_only=True)
class ScheduledInitiative:
    """One initiative's place in the plan; `start`/`finish` are None when not selected.

    `finish` is exclusive: the initiative runs in periods ``start .. finish - 1``.
    """

    id: str
    name: str
    selected: bool
    start: int | None = None
    finish: int | None = None
    start_label: str | None = None
    end_label: str | None = None
    value: float = 0.0
    cost: float = 0.0
    mandatory: bool = False


@attrs.frozen(kw_only=True)
class SkillUse:
    """Hours of one skill in one period: used, in-house capacity, contractor hours bought."""

    used: float
    capacity: float | None
    contractor: float = 0.0


@attrs.frozen(kw_only=True)
class PeriodUse:
    """Spend and skill hours in one period; `budget` is None when unlimited.

    `spend` is all money out (negative run costs, savings, lower it); `capex` is its capital
    part (one-off costs marked capex), the rest is operating spend. `benefit` is the money
    the live initiatives earn in the period.
    """

    period: int
    label: str
    spend: float
    budget: float | None
    skills: dict[str, SkillUse]
    running: tuple[str, ...] = ()
    capex: float = 0.0
    benefit: float = 0.0

    @property
    def opex(self) -> float:
        """Operating spend: one-off opex costs, run costs and savings, contractors."""
        return self.spend - self.capex

    @property
    def net(self) -> float:
        """Cash flow: benefit minus spend."""
        return self.benefit - self.spend


@attrs.frozen(kw_only=True)
class Finding:
    """One reason a plan is infeasible, in the user's terms (from `diagnose`)."""

    kind: str
    message: str
    shortfall: float | None = None
    period: str | None = None
    items: tuple[str, ...] = ()


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _run_free(plan: "Plan") -> str:
    """The plan's message without what depends on the run (the backend, a gap at a limit)."""
    if plan.status == Status.OPTIMAL:
        return "optimal (proven)"
    if plan.status == Status.FEASIBLE:
        return "feasible, not proven optimal"
    return str(plan.status.value)


@attrs.frozen(kw_only=True)
class SelectedInitiative(ScheduledInitiative):
    """An initiative the plan selected: `start` and `finish` are always set."""

    start: int
    finish: int
    start_label: str
    end_label: str


@attrs.frozen(kw_only=True)
class Plan:
    """A roadmap, its proof status, and everything it was made from.

    `objective_value` is recomputed from the schedule; `best_bound` is the solver's bound on
    the objective (None when unknown) and `gap` the relative distance between them.
    `prepared` is what the plan was made from: `engagement` (the engagement as optimized,
    after rule packs set values and gates, with the final settings), `settings` and
    `prioritization` (every initiative's score breakdown) read through to it.
    `schedule` maps each selected initiative to its start period.
    `verify(plan, plan.engagement)` rechecks every constraint; `to_json` writes one
    self-verifying record that `load_plan` reads back equal. Plans compare equal when their
    roadmap, figures and proof agree: `solver`, `message`, `seconds` and `timings` describe
    the run (which backend won a race) and are not compared.
    """

    status: Status
    objective: PlanObjective
    objective_value: float | None
    best_bound: float | None
    gap: float | None
    # Which backend won a race, and its own words, depend on the run, not the input:
    # like the seconds they are left out of equality (and of ``to_json(timings=False)``).
    solver: str = attrs.field(eq=False)
    periods: tuple[str, ...]
    initiatives: tuple[ScheduledInitiative, ...]
    usage: tuple[PeriodUse, ...]
    prepared: "Prepared" = attrs.field(repr=False)
    schedule: Mapping[str, int] = attrs.field(factory=dict)
    total_spend: float = 0.0
    budget: float | None = None
    message: str = attrs.field(default="", eq=False)
    findings: tuple[Finding, ...] = ()
    timing: Timing = "once"
    time_limit: float | None = None
    requested_gap: float | None = None
    seconds: float = attrs.field(default=0.0, eq=False)
    timings: dict[str, float] = attrs.field(factory=dict, eq=False)

    @property
    def engagement(self) -> Engagement:
        """The engagement as optimized: the one to verify the plan against."""
        return self.prepared.effective

    @property
    def settings(self) -> PlanSettings:
        """The settings the plan was made with."""
        return self.prepared.settings

    @property
    def prioritization(self) -> "Prioritization":
        """The rule packs' scores, gates and explanations behind the initiatives' values."""
        return self.prepared.prioritization

    @property
    def selected(self) -> tuple[SelectedInitiative, ...]:
        """The selected initiatives, by start period then id."""
        chosen = [i for i in self.initiatives if isinstance(i, SelectedInitiative)]
        return tuple(sorted(chosen, key=lambda i: (i.start, i.id)))

    def initiative(self, initiative_id: str) -> ScheduledInitiative:
        """One initiative's entry (KeyError if unknown)."""
        for item in self.initiatives:
            if item.id == initiative_id:
                return item
        raise KeyError(initiative_id)

    def to_dict(self, *, timings: bool = True) -> dict[str, Any]:
        """The plan as JSON-ready data.

        `timings=False` leaves out what depends on the run rather than the input: `seconds`
        and `timings` are zeroed, `solver` is the one the settings asked for (``auto``, not
        the backend that won its race) and `message` is the status alone, so equal input
        gives equal data.

        Beside the contract fields it carries `format_version`, the `schedule`, the
        `settings`, the engagement as given and the rule packs with their params, so the
        record is complete: `loads_plan` reads it back equal and verified.
        """
        from itstrat_engine.io import to_dict, unstructure  # noqa: PLC0415 - the I/O edge
        from itstrat_engine.optimize.business_case import (  # noqa: PLC0415 - built on Plan
            business_case,
            business_case_dict,
        )
        from itstrat_engine.rules import pack_to_dict  # noqa: PLC0415

        prioritization = self.prioritization
        return {
            "format_version": FORMAT_VERSION,
            "status": self.status.value,
            "message": self.message if timings else _run_free(self),
            "objective": self.objective,
            "timing": self.timing,
            "objective_value": self.objective_value,
            "best_bound": _finite(self.best_bound),
            "gap": self.gap,
            "solver": self.solver if timings else self.settings.solver,
            "seconds": round(self.seconds, 3) if timings else 0.0,
            "timings": {k: round(v, 3) for k, v in sorted(self.timings.items())} if timings else {},
            "time_limit": self.time_limit,
            "requested_gap": self.requested_gap,
            "periods": list(self.periods),
            "total_spend": self.total_spend,
            "budget": _finite(self.budget),
            "initiatives": [
                {
                    "id": i.id,
                    "name": i.name,
                    "selected": i.selected,
                    "start": i.start,
                    "finish": i.finish,
                    "start_label": i.start_label,
                    "end_label": i.end_label,
                    "value": i.value,
                    "cost": i.cost,
                    "mandatory": i.mandatory,
                }
                for i in self.initiatives
            ],
            "usage": [
                {
                    "period": u.period,
                    "label": u.label,
                    "spend": u.spend,
                    "capex": u.capex,
                    "benefit": u.benefit,
                    "budget": _finite(u.budget),
                    "running": list(u.running),
                    "skills": {
                        name: {
                            "used": s.used,
                            "capacity": _finite(s.capacity),
                            "contractor": s.contractor,
                        }
                        for name, s in u.skills.items()
                    },
                }
                for u in self.usage
            ],
            "findings": [
                {
                    "kind": f.kind,
                    "message": f.message,
                    "shortfall": f.shortfall,
                    "period": f.period,
                    "items": list(f.items),
                }
                for f in self.findings
            ],
            "schedule": dict(self.schedule),
            "business_case": business_case_dict(business_case(self), self.periods)
            if self.status.has_plan
            else None,
            "unschedulable": self.prepared.never_schedulable(),
            "settings": unstructure(self.settings),
            "rules": {
                "packs": [
                    {"source": pack.source, "pack": pack_to_dict(pack)}
                    for pack in prioritization.packs
                ],
                "params": dict(sorted(prioritization.params.items())),
            },
            "engagement": to_dict(self.prepared.engagement),
        }

    def to_json(self, *, timings: bool = True) -> str:
        """The plan as indented JSON text (stable key order, no NaN)."""
        return (
            json.dumps(self.to_dict(timings=timings), indent=2, ensure_ascii=False, allow_nan=False)
            + "\n"
        )
