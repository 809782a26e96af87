"""The greedy roadmap: rank, then fund in order at the earliest start that keeps every rule.

A heuristic schedule serves twice: the frontier's greedy curve (the rank-and-fund method
portfolio tools use, beside the proven optimum) and a MIP start for engagements too large
for the solver to find a good plan quickly. Ranking is by what an initiative adds to the
objective per unit of its own spend, mandatory work first; an initiative waits until its
prerequisites are funded. Each change is checked against the money and hours limits of the
periods it touches (`Load`), so a schedule of tens of thousands of initiatives takes
seconds, not the hours a full check per candidate would.
"""

import heapq
import math
from collections import defaultdict

from itstrat_engine.optimize.contract import objective_value, usage, window
from itstrat_engine.optimize.load import Load
from itstrat_engine.optimize.preparation import Prepared

__all__ = ["greedy_schedule"]

_MAXIMIZED = frozenset({"value", "coverage", "npv"})
_SPEND_OBJECTIVES = frozenset({"npv", "cost"})  # objectives that need the spend per period


def greedy_schedule(prepared: Prepared) -> dict[str, int]:
    """Rank by objective gained per unit of own spend and fund in order; the schedule.

    Mandatory work first, in the file's order (prerequisites before what needs them), then
    the rest by rank, ties by id. Of the initiatives whose prerequisites are all funded, the best-ranked is
    tried next, at its earliest start that keeps its window, its prerequisites' finishes,
    exclusions, group maximums, skill hours, every period, fiscal-year, capex and opex
    budget and the total budget (with funding pools); one that fits nowhere is left out.
    Group minimums and mandatory work are not guaranteed: `verify` the plan made from it.
    """
    e = prepared.effective
    settings = prepared.settings
    starts = prepared.starts
    by_id = e.initiative_by_id
    sign = 1.0 if settings.objective in _MAXIMIZED else -1.0
    empty = objective_value(e, {}, settings)

    load = Load(e, {})  # empty while ranking: what each would add on its own

    def rank(item_id: str) -> tuple[float, str]:
        alone = {item_id: starts[item_id][0]}
        rows = usage(e, alone) if settings.objective in _SPEND_OBJECTIVES else None
        gain = sign * (objective_value(e, alone, settings, rows) - empty)
        spend = load.added_spend(item_id, starts[item_id][0])
        ratio = gain / spend if spend > 0 else (math.inf if gain > 0 else gain)
        return (-ratio, item_id)

    eligible = [i.id for i in e.initiatives if not i.forbidden and starts[i.id]]
    mandatory = [i for i in eligible if by_id[i].mandatory]  # in the file's order
    others = sorted((i for i in eligible if not by_id[i].mandatory), key=rank)
    rivals: defaultdict[str, set[str]] = defaultdict(set)
    for item in e.initiatives:
        for other in item.excludes:
            rivals[item.id].add(other)
            rivals[other].add(item.id)
    capped = [g for g in e.groups if g.kind in ("at_most", "exactly")]
    groups_of: defaultdict[str, list[int]] = defaultdict(list)
    for g_index, group in enumerate(capped):
        for member in group.members:
            groups_of[member].append(g_index)
    in_group = [0] * len(capped)
    schedule = load.schedule

    def fund(item_id: str) -> None:
        if any(r in schedule for r in rivals[item_id]):
            return
        if any(in_group[g] + 1 > capped[g].count for g in groups_of[item_id]):
            return
        item = by_id[item_id]
        earliest = max((schedule[r] + by_id[r].duration for r in item.requires), default=0)
        first, last = window(e, item)
        for start in starts[item_id]:
            if start < max(earliest, first) or start + item.duration - 1 > last:
                continue
            if load.add(item_id, start):
                for g in groups_of[item_id]:
                    in_group[g] += 1
                return

    for queue in (mandatory, others):
        position = {item_id: n for n, item_id in enumerate(queue)}
        needs = {i: sum(r not in schedule for r in by_id[i].requires) for i in queue}
        waiting_on: defaultdict[str, list[str]] = defaultdict(list)
        for item_id in queue:
            for r in by_id[item_id].requires:
                if r not in schedule:
                    waiting_on[r].append(item_id)
        ready = [position[i] for i in queue if needs[i] == 0]
        heapq.heapify(ready)
        while ready:
            item_id = queue[heapq.heappop(ready)]
            fund(item_id)
            if item_id not in schedule:
                continue
            for dependent in waiting_on[item_id]:
                needs[dependent] -= 1
                if needs[dependent] == 0:
                    heapq.heappush(ready, position[dependent])
    return dict(sorted(schedule.items()))
