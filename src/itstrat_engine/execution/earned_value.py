"""Status: earned value per initiative and for the portfolio, RAG, benefits per objective.

Definitions (money of one-off costs only; run costs are operations, not project work):

- BAC, budget at completion: the initiative's one-off cost in the baseline.
- PV, planned value: the baseline's cost spread of it over the periods before the status
  date (the contract's even spread, or its profile).
- EV, earned value: percent complete x BAC. Done work is 100% complete; work in progress
  takes `percent_complete` from the file, else spent / (spent + remaining cost); not
  started and cancelled work has earned nothing.
- AC, actual cost: `actual_cost` from the file; when it is missing, the planned spend to
  date (done work: its BAC) and the figure is marked ``assumed``.
- SV = EV - PV, CV = EV - AC, SPI = EV / PV, CPI = EV / AC (None when dividing by 0).
- EAC, estimate at completion: done work its AC; work in progress AC + remaining cost
  when the file gives it, else AC + (BAC - EV) / CPI; other work BAC (cancelled: AC).
  VAC = BAC - EAC.

RAG: red when SPI or CPI is below `RED_BELOW` (0.85), amber below `AMBER_BELOW` (0.95),
green otherwise; an index that cannot be computed does not count. A re-plan is recommended
when the portfolio or any mandatory initiative is red, when work planned to have started
has not, when work was cancelled or added, or when the engagement's budgets changed.

Benefits: for each objective with measured values (``[[benefit]]`` in the progress file),
the planned value in each measured period runs linearly from the objective's
`baseline_value` at the horizon's start to its `target_value` at `target_period` (flat
after); an objective without those numbers shows its measurements alone.
"""

import math
from typing import Any

import attrs

from itstrat_engine.execution.progress import Progress, UnplannableRemainderError, check_progress
from itstrat_engine.execution.replanning import remainder, with_new
from itstrat_engine.model import Engagement
from itstrat_engine.optimize.result import Plan

__all__ = [
    "AMBER_BELOW",
    "RED_BELOW",
    "BenefitRow",
    "EarnedValue",
    "StatusReport",
    "status",
]

RED_BELOW = 0.85
"""An SPI or CPI below this is red."""
AMBER_BELOW = 0.95
"""An SPI or CPI below this (and not red) is amber."""


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 1e-9 else None


def rag(spi: float | None, cpi: float | None) -> str:
    """``red``, ``amber`` or ``green`` from the two indexes (None does not count).

    >>> rag(0.9, 1.0), rag(1.0, 0.8), rag(None, 1.2)
    ('amber', 'red', 'green')
    """
    known = [x for x in (spi, cpi) if x is not None]
    if any(x < RED_BELOW for x in known):
        return "red"
    if any(x < AMBER_BELOW for x in known):
        return "amber"
    return "green"


@attrs.frozen(kw_only=True)
class EarnedValue:
    """Earned value of one initiative, or of the portfolio (`id` None), at the status date."""

    id: str | None
    name: str
    status: str
    bac: float
    pv: float
    ev: float
    ac: float
    eac: float
    percent_complete: float
    assumed: bool = False
    mandatory: bool = False

    @property
    def sv(self) -> float:
        """Schedule variance, EV - PV."""
        return self.ev - self.pv

    @property
    def cv(self) -> float:
        """Cost variance, EV - AC."""
        return self.ev - self.ac

    @property
    def spi(self) -> float | None:
        """Schedule performance index, EV / PV (None when PV is 0)."""
        return _ratio(self.ev, self.pv)

    @property
    def cpi(self) -> float | None:
        """Cost performance index, EV / AC (None when AC is 0)."""
        return _ratio(self.ev, self.ac)

    @property
    def vac(self) -> float:
        """Variance at completion, BAC - EAC."""
        return self.bac - self.eac

    @property
    def rag(self) -> str:
        """Red, amber or green by the documented thresholds."""
        return rag(self.spi, self.cpi)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "bac": self.bac,
            "pv": self.pv,
            "ev": self.ev,
            "ac": self.ac,
            "sv": self.sv,
            "cv": self.cv,
            "spi": self.spi,
            "cpi": self.cpi,
            "eac": self.eac,
            "vac": self.vac,
            "percent_complete": self.percent_complete,
            "rag": self.rag,
            "assumed": self.assumed,
        }


@attrs.frozen(kw_only=True)
class BenefitRow:
    """One measurement of a business objective's metric against its planned trajectory."""

    objective: str
    name: str
    metric: str
    period: str
    actual: float
    planned: float | None
    target: float | None

    @property
    def on_track(self) -> bool | None:
        """Whether the measurement is at least as far from the baseline as planned."""
        return None if self.planned is None else _ahead(self)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "objective": self.objective,
            "metric": self.metric,
            "period": self.period,
            "actual": self.actual,
            "planned": self.planned,
            "target": self.target,
            "on_track": self.on_track,
        }


def _ahead(row: BenefitRow) -> bool:
    assert row.planned is not None  # noqa: S101 - on_track checks it
    rising = row.target is None or row.target >= row.planned
    return row.actual >= row.planned - 1e-9 if rising else row.actual <= row.planned + 1e-9


@attrs.frozen(kw_only=True)
class StatusReport:
    """Earned value per initiative and for the portfolio, benefits, and the recommendation.

    `initiatives` holds every initiative of the baseline plan and every one the progress
    file reports as started; `portfolio` their sums. `replan` says whether to re-plan and
    `reasons` why.
    """

    as_of: str
    initiatives: tuple[EarnedValue, ...]
    portfolio: EarnedValue
    benefits: tuple[BenefitRow, ...]
    replan: bool
    reasons: tuple[str, ...]
    currency: str

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the keys of ``itstrat status --format json``)."""
        return {
            "as_of": self.as_of,
            "currency": self.currency,
            "thresholds": {"red_below": RED_BELOW, "amber_below": AMBER_BELOW},
            "portfolio": self.portfolio.as_dict(),
            "initiatives": [row.as_dict() for row in self.initiatives],
            "benefits": [row.as_dict() for row in self.benefits],
            "replan": self.replan,
            "reasons": list(self.reasons),
        }


def status(engagement: Engagement, baseline: Plan, progress: Progress) -> StatusReport:
    """Earned value, RAG, benefits and a re-plan recommendation (see the module docstring).

    Raises `InvalidProgressError` (located in the progress file) when it does not fit.
    """
    current = with_new(engagement, progress)  # refuses new ids the engagement has
    check_progress(progress, current, baseline)
    scope = baseline.engagement.scope
    as_of = scope.index(progress.as_of)
    assert as_of is not None  # noqa: S101 - check_progress refuses it
    planned = baseline.engagement.initiative_by_id
    rows = []
    reasons: list[str] = []
    ids = list(baseline.schedule) + [
        s.id
        for s in progress.initiatives
        if s.id not in baseline.schedule and s.status in {"done", "in-progress"}
    ]
    by_id = current.initiative_by_id
    for item_id in sorted(ids, key=lambda i: (baseline.schedule.get(i, as_of), i)):
        item = planned.get(item_id) or by_id[item_id]
        stand = progress.of(item_id)
        start = baseline.schedule.get(item_id)
        bac = item.cost if start is not None else 0.0
        pv = 0.0
        if start is not None:
            pv = bac * math.fsum(s for k, s in enumerate(item.shares()) if start + k < as_of)
        assumed = False
        if stand.status == "done":
            done = 1.0
            ac = stand.actual_cost if stand.actual_cost is not None else bac
            assumed = stand.actual_cost is None
            eac = ac
        elif stand.status == "in-progress":
            began = (scope.index(stand.started) if stand.started is not None else start) or 0
            to_date = item.cost * math.fsum(
                s for k, s in enumerate(item.shares()) if began + k < as_of
            )
            ac = stand.actual_cost if stand.actual_cost is not None else to_date
            assumed = stand.actual_cost is None
            if stand.percent_complete is not None:
                done = stand.percent_complete
            elif stand.remaining_cost is not None and ac + stand.remaining_cost > 0:
                done = ac / (ac + stand.remaining_cost)
            else:
                done = _ratio(to_date, item.cost) or 0.0
            if stand.remaining_cost is not None:
                eac = ac + stand.remaining_cost
            else:
                cpi = _ratio(done * bac, ac)
                eac = ac + (bac - done * bac) / cpi if cpi else bac
        else:
            done = 0.0
            ac = stand.actual_cost or 0.0
            eac = ac if stand.status == "cancelled" else bac
        rows.append(
            EarnedValue(
                id=item_id,
                name=item.name,
                status=stand.status,
                bac=bac,
                pv=pv,
                ev=done * bac,
                ac=ac,
                eac=eac,
                percent_complete=done,
                assumed=assumed,
                mandatory=item.mandatory,
            )
        )
    portfolio = EarnedValue(
        id=None,
        name="portfolio",
        status="",
        bac=math.fsum(r.bac for r in rows),
        pv=math.fsum(r.pv for r in rows),
        ev=math.fsum(r.ev for r in rows),
        ac=math.fsum(r.ac for r in rows),
        eac=math.fsum(r.eac for r in rows),
        percent_complete=_ratio(math.fsum(r.ev for r in rows), math.fsum(r.bac for r in rows))
        or 0.0,
        assumed=any(r.assumed for r in rows),
    )
    if portfolio.rag == "red":
        reasons.append("the portfolio is red")
    reasons += [f"mandatory {r.id} is red" for r in rows if r.mandatory and r.rag == "red"]
    try:
        rest = remainder(engagement, baseline, progress)
    except UnplannableRemainderError as error:  # a mistake in the file is raised, not advice
        reasons.append(f"the remainder cannot be planned as it stands: {error.located()[0].text}")
    else:
        kinds = {"slip", "cancelled", "new", "removed", "capacity", "window-closed"}
        reasons += [r.message for r in rest.reasons if r.kind in kinds]
    return StatusReport(
        as_of=scope.labels[as_of],
        initiatives=tuple(rows),
        portfolio=portfolio,
        benefits=_benefits(engagement, progress),
        replan=bool(reasons),
        reasons=tuple(reasons),
        currency=scope.currency,
    )


def _benefits(engagement: Engagement, progress: Progress) -> tuple[BenefitRow, ...]:
    scope = engagement.scope
    rows = []
    for measured in sorted(
        progress.benefits,
        key=lambda b: (b.objective, scope.index(b.period) or 0),
    ):
        objective = engagement.objective_by_id[measured.objective]
        t = scope.index(measured.period) or 0
        planned = None
        if objective.baseline_value is not None and objective.target_value is not None:
            end = scope.index(objective.target_period) if objective.target_period else None
            end = scope.periods - 1 if end is None else end
            reach = min(1.0, t / end) if end > 0 else 1.0
            planned = objective.baseline_value + reach * (
                objective.target_value - objective.baseline_value
            )
        rows.append(
            BenefitRow(
                objective=objective.id,
                name=objective.name,
                metric=objective.metric,
                period=scope.labels[t],
                actual=measured.value,
                planned=planned,
                target=objective.target_value,
            )
        )
    return tuple(rows)
