"""Start each selected initiative as early as the plan allows, without changing its value.

When the objective does not depend on start periods (value counted once, coverage,
makespan), a solver returns any of many equally good schedules, some with work pushed late
for no reason. Rather than a tie-break term in the objective (measured here to make proofs
2-5 times slower, and to make an exact proof impossible when values are fractional), the
planner proves the objective first and then moves each initiative to its earliest start that
keeps every rule: window and prerequisites, period budget, total budget, fiscal-year, capex
and opex budgets, funding pools, skill hours with contractors. A move never raises the total
spend (earlier go-live means more run cost, more overlap may mean contractor hours): the
canonical plan is the least spend first, then the earliest starts, so the settled plan's
least spend is kept, and its spend is the least budget that buys its value (the frontier
relies on it). Moves are tried in start order, then id, until nothing moves:
deterministic, and the objective value is unchanged.
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

__all__ = ["compact"]

_TOLERANCE = 1e-9


class _Load:
    """Per-period money and hours of a schedule, updated move by move."""

    def __init__(self, engagement: Engagement, schedule: Schedule) -> None:
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
            for t, money, capex, hours in self._footprint(item_id, start):
                self.base[t] += money
                self.capex[t] += capex
                for skill, amount in hours.items():
                    self.hours[skill][t] += amount
        self.spend = [self.base[t] + self._hired(t, {}) for t in range(periods)]
        self.total = math.fsum(self.spend)

    def _footprint(
        self, item_id: str, start: int
    ) -> list[tuple[int, float, float, dict[str, float]]]:
        """(period, money, its capex part, hours by skill) of an initiative started at `start`."""
        item = self.e.initiative_by_id[item_id]
        shares = item.shares()
        return [
            (
                t,
                money,
                capital,
                {k: h * shares[t - start] for k, h in item.effort.items()}
                if t < start + item.duration
                else {},
            )
            for t, money, capital, _ in money_flows(self.e, item, start)
        ]

    def _hired(self, t: int, extra: dict[str, float]) -> float:
        """Contractor spend in period `t` with `extra` hours added per skill."""
        return sum(
            max(0.0, self.hours[k][t] + extra.get(k, 0.0) - self.own[k][t]) * self.rate[k]
            for k in self.skills
        )

    def _delta(
        self, item_id: str, old: int, new: int
    ) -> dict[int, tuple[float, float, dict[str, float]]]:
        """Money, capex and hours that change per period when an initiative moves.

        Only periods before the later of the two finishes change: after it both positions
        pay the same run cost.
        """
        item = self.e.initiative_by_id[item_id]
        shares = item.shares()
        capital = item.cost_kind == "capex"
        end = min(self.e.periods, max(old, new) + item.duration)
        changes: dict[int, tuple[float, float, dict[str, float]]] = {}
        for t in range(min(old, new), end):
            money = capex = 0.0
            hours: dict[str, float] = {}
            for sign, start in ((1.0, new), (-1.0, old)):
                if start <= t < start + item.duration:
                    share = shares[t - start]
                    money += sign * item.cost * share
                    capex += sign * item.cost * share if capital else 0.0
                    for skill, total in item.effort.items():
                        hours[skill] = hours.get(skill, 0.0) + sign * total * share
                elif t >= start + item.duration:
                    money += sign * item.run_cost
            changes[t] = (money, capex, hours)
        return changes

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
            if amount > row.limit + _TOLERANCE * max(1.0, abs(row.limit)):
                return False
        return True

    def move(self, item_id: str, old: int, new: int) -> bool:
        """Move an initiative if every changed period and the total still fit; say if it moved."""
        changes = self._delta(item_id, old, new)
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
            if spend[t] > self.budgets[t] + _TOLERANCE * max(1.0, abs(self.budgets[t])):
                return False
        total = self.total + sum(spend[t] - self.spend[t] for t in spend)
        if total > self.total + _TOLERANCE * max(1.0, abs(self.total)):
            return False  # least spend comes before earliest starts
        budget = self.e.capacity.budget
        if budget is not None and total > budget + _TOLERANCE * max(1.0, budget):
            # Funding pools may pay the difference: ask them for the moved schedule.
            moved = {**self.schedule, item_id: new}
            pooled = math.fsum(pool_funding(self.e, moved).values())
            if total - pooled > budget + _TOLERANCE * max(1.0, budget):
                return False
        if not self._rows_fit(spend, capex):
            return False
        self.schedule[item_id] = new
        for t, (money, _, hours) in changes.items():
            self.base[t] += money
            self.capex[t] = capex[t]
            for skill, h in hours.items():
                self.hours[skill][t] += h
            self.spend[t] = spend[t]
        self.total = total
        return True


def compact(
    engagement: Engagement, schedule: Schedule, first_start: dict[str, int]
) -> dict[str, int]:
    """The schedule with every initiative moved as early as the rules allow.

    `first_start` gives each initiative's earliest allowed start (its window and the
    earliest finish of its prerequisites); a move must also wait for the prerequisites'
    current finishes. The input must be feasible; the output is, with the same selection.
    """
    result = dict(schedule)
    load = _Load(engagement, result)
    by_id = engagement.initiative_by_id
    moved = True
    while moved:
        moved = False
        for item_id in sorted(result, key=lambda i: (result[i], i)):
            item = by_id[item_id]
            ready = max(
                [first_start[item_id]]
                + [result[r] + by_id[r].duration for r in item.requires if r in result]
            )
            for start in range(ready, result[item_id]):
                if load.move(item_id, result[item_id], start):
                    result[item_id] = start
                    moved = True
                    break
    return result
