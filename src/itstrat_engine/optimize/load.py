"""Per-period money and skill hours of a schedule, kept up to date one change at a time.

Compaction moves initiatives earlier and the greedy heuristic adds them one by one; both
ask whether a change keeps every money and hours limit, and checking a whole schedule again
for each would make them quadratic in its size. `Load` checks only the periods a change
touches: skill hours (in house plus the contractors' maximum), the period budgets with the
contractor spend the change brings, the total budget (funding pools asked only when it is
exceeded without them) and the fiscal-year, capex and opex budgets. Rules about who may be
in the plan (prerequisites, exclusions, groups, windows) are the caller's.
"""

import math

from itstrat_engine.model import Engagement
from itstrat_engine.optimize.contract import (
    Schedule,
    money_flows,
    money_rows,
    pool_funding,
    skill_limits,
)

__all__ = ["Load"]

_TOLERANCE = 1e-9

_Changes = dict[int, tuple[float, float, dict[str, float]]]
"""Per period: the change in money, in its capex part, and in hours by skill."""


def _over(amount: float, limit: float) -> bool:
    return amount > limit + _TOLERANCE * max(1.0, abs(limit))


class Load:
    """Per-period money and hours of a schedule, updated move by move and item by item."""

    def __init__(self, engagement: Engagement, schedule: Schedule) -> None:
        """The load of `schedule` (assumed to keep every limit) in `engagement`."""
        self.e = engagement
        capacity = engagement.capacity
        periods = engagement.periods
        limits = skill_limits(engagement)
        self.skills = list(limits)
        self.own = {k: limit.in_house for k, limit in limits.items()}
        self.hire_max = {k: limit.hire_max for k, limit in limits.items()}
        self.rate = {k: limit.rate for k, limit in limits.items()}
        self.budgets = engagement.per_period(capacity.budget_per_period)
        self.rows = money_rows(engagement)
        self.schedule = dict(schedule)
        self.base = [0.0] * periods  # spend without contractors
        self.capex = [0.0] * periods
        self.hours = {k: [0.0] * periods for k in self.skills}
        for item_id, start in schedule.items():
            for t, (money, capex, hours) in self.footprint(item_id, start).items():
                self.base[t] += money
                self.capex[t] += capex
                for skill, amount in hours.items():
                    self.hours[skill][t] += amount
        self.spend = [self.base[t] + self._hired(t, {}) for t in range(periods)]
        self.total = math.fsum(self.spend)

    def footprint(self, item_id: str, start: int) -> _Changes:
        """Money, its capex part and hours by skill per period of an initiative at `start`."""
        item = self.e.initiative_by_id[item_id]
        shares = item.shares()
        return {
            t: (
                money,
                capital,
                {k: h * shares[t - start] for k, h in item.effort.items()}
                if t < start + item.duration
                else {},
            )
            for t, money, capital, _ in money_flows(self.e, item, start)
        }

    def _hired(self, t: int, extra: dict[str, float]) -> float:
        """Contractor spend in period `t` with `extra` hours added per skill."""
        return sum(
            min(
                self.hire_max[k][t], max(0.0, self.hours[k][t] + extra.get(k, 0.0) - self.own[k][t])
            )
            * self.rate[k]
            for k in self.skills
        )

    def added_spend(self, item_id: str, start: int) -> float:
        """What adding an initiative at `start` would add to the spend, contractors included."""
        return math.fsum(
            money + (self._hired(t, hours) - self.spend[t] + self.base[t] if hours else 0.0)
            for t, (money, _, hours) in self.footprint(item_id, start).items()
        )

    def _moved(self, item_id: str, old: int, new: int) -> _Changes:
        """Money, capex and hours that change per period when an initiative moves.

        Only periods before the later of the two finishes change: after it both positions
        pay the same run cost.
        """
        end = min(self.e.periods, max(old, new) + self.e.initiative_by_id[item_id].duration)
        before, after = self.footprint(item_id, old), self.footprint(item_id, new)
        nothing: tuple[float, float, dict[str, float]] = (0.0, 0.0, {})
        changes: _Changes = {}
        for t in range(min(old, new), end):
            money, capex, hours = after.get(t, nothing)
            gone_money, gone_capex, gone_hours = before.get(t, nothing)
            changed = {k: hours.get(k, 0.0) - gone_hours.get(k, 0.0) for k in hours | gone_hours}
            changes[t] = (money - gone_money, capex - gone_capex, changed)
        return changes

    def move(self, item_id: str, old: int, new: int) -> bool:
        """Move an initiative if every limit holds and the total spend does not rise.

        Says whether it moved (compaction: least spend comes before earliest starts).
        """
        return self._apply(item_id, new, self._moved(item_id, old, new), may_raise_total=False)

    def add(self, item_id: str, start: int) -> bool:
        """Add an initiative at `start` if every limit still holds; say whether it was added."""
        return self._apply(item_id, start, self.footprint(item_id, start), may_raise_total=True)

    def _apply(self, item_id: str, start: int, changes: _Changes, *, may_raise_total: bool) -> bool:
        spend: dict[int, float] = {}
        capex = {t: self.capex[t] + change[1] for t, change in changes.items()}
        for t, (money, _, hours) in changes.items():
            for skill, h in hours.items():
                if (
                    self.hours[skill][t] + h
                    > self.own[skill][t] + self.hire_max[skill][t] + _TOLERANCE
                ):
                    return False
            hired = self._hired(t, hours) if hours else self.spend[t] - self.base[t]
            spend[t] = self.base[t] + money + hired
            if _over(spend[t], self.budgets[t]):
                return False
        total = self.total + sum(spend[t] - self.spend[t] for t in spend)
        if not may_raise_total and _over(total, self.total):
            return False
        budget = self.e.capacity.budget
        if budget is not None and _over(total, budget):
            # Funding pools may pay the difference: ask them for the changed schedule.
            changed = {**self.schedule, item_id: start}
            pooled = math.fsum(pool_funding(self.e, changed).values())
            if _over(total - pooled, budget):
                return False
        if not self._rows_fit(spend, capex):
            return False
        self.schedule[item_id] = start
        for t, (money, _, hours) in changes.items():
            self.base[t] += money
            self.capex[t] = capex[t]
            for skill, h in hours.items():
                self.hours[skill][t] += h
            self.spend[t] = spend[t]
        self.total = total
        return True

    def _rows_fit(self, spend: dict[int, float], capex: dict[int, float]) -> bool:
        """Every fiscal-year, capex and opex budget touched by the changed periods holds."""
        for row in self.rows:
            if not any(t in spend for t in row.periods):
                continue
            amount = 0.0
            for t in row.periods:
                total = spend.get(t, self.spend[t])
                capital = capex.get(t, self.capex[t])
                amount += (capital if "capex" in row.kinds else 0.0) + (
                    total - capital if "opex" in row.kinds else 0.0
                )
            if _over(amount, row.limit):
                return False
        return True
