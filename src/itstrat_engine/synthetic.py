"""Seeded synthetic engagements of any size, for benchmarks, studies and tests.

`generate` builds a valid engagement: objectives with a business/IT cascade, services, a
stakeholder survey, issues, and initiatives whose `requires` form a random DAG that fits the
horizon, with some exclusions, groups, time windows, mandatory items and rule-pack fields.
Capacity is set so that roughly `budget_share` of the proposed one-off cost can be funded and
skills bind, yet every initiative fits on its own. The same arguments give the same
engagement, byte for byte.

>>> e = generate(30, seed=7)
>>> len(e.initiatives), e.periods
(30, 12)
"""

import random
from collections.abc import Sequence

from itstrat_engine.model import (
    Capacity,
    Contractor,
    Engagement,
    Group,
    Initiative,
    Issue,
    Objective,
    PlanSettings,
    Response,
    Scope,
    Service,
    Survey,
)

__all__ = ["generate"]

_DEPARTMENTS = ("finance", "operations", "sales", "management", "service")
_MOSCOW = ("must", "should", "could", "wont")
_DURATIONS = (1, 1, 2, 2, 2, 3, 3, 4)
_FIBONACCI = (1, 2, 3, 5, 8, 13, 20)


MAX_INITIATIVES = 100_000
"""The most `generate` makes: about 52 MB of TOML, under the loader's 64 MiB limit."""
MAX_SKILLS = 100


def _pick(rng: random.Random, items: Sequence[str], low: int, high: int) -> list[str]:
    count = min(len(items), rng.randint(low, high))
    return sorted(rng.sample(list(items), count))


def generate(
    initiatives: int,
    *,
    seed: int = 0,
    periods: int = 12,
    skills: int = 4,
    dependency_share: float = 0.2,
    exclusion_share: float = 0.05,
    group_share: float = 0.02,
    mandatory_share: float = 0.02,
    window_share: float = 0.1,
    budget_share: float = 0.5,
    start: str = "2027-Q1",
) -> Engagement:
    """A valid synthetic engagement with `initiatives` candidate initiatives.

    Shares are fractions of the initiatives: `dependency_share` get 1-2 prerequisites,
    `exclusion_share` an exclusion pair, `window_share` an earliest/deadline window,
    `mandatory_share` are mandatory; `group_share` is the number of count groups per
    initiative. `budget_share` of the total one-off cost is the total budget.
    """
    if not 1 <= initiatives <= MAX_INITIATIVES:
        msg = f"initiatives must be from 1 to {MAX_INITIATIVES}, got {initiatives}"
        raise ValueError(msg)
    if not 1 <= skills <= MAX_SKILLS:
        msg = f"skills must be from 1 to {MAX_SKILLS}, got {skills}"
        raise ValueError(msg)
    rng = random.Random(seed)
    skill_ids = [f"skill-{k + 1}" for k in range(skills)]

    business = [
        Objective(
            id=f"b{k + 1}", name=f"Business objective {k + 1}", weight=float(rng.randint(1, 5))
        )
        for k in range(5)
    ]
    it = [
        Objective(
            id=f"it{k + 1}",
            name=f"IT objective {k + 1}",
            kind="it",
            supports=tuple(_pick(rng, [o.id for o in business], 1, 2)),
        )
        for k in range(2)
    ]
    objective_ids = [o.id for o in business + it]
    services = [
        Service(
            id=f"svc-{k + 1:02d}",
            name=f"Service {k + 1}",
            current=float(rng.randint(0, 3)),
            target=float(rng.randint(3, 5)),
        )
        for k in range(max(5, min(30, initiatives // 10)))
    ]
    service_ids = [s.id for s in services]
    responses = []
    for k in range(12):
        answered = _pick(rng, service_ids, max(1, len(service_ids) * 3 // 4), len(service_ids))
        responses.append(
            Response(
                stakeholder=f"Stakeholder {k + 1}",
                department=_DEPARTMENTS[k % len(_DEPARTMENTS)],
                importance={s: float(rng.randint(3, 10)) for s in answered},
                satisfaction={s: float(rng.randint(1, 10)) for s in answered},
            )
        )
    issues = [
        Issue(
            id=f"iss-{k + 1:04d}",
            name=f"Issue {k + 1}",
            severity=float(rng.randint(1, 5)),
            objectives=tuple(_pick(rng, objective_ids, 1, 2)),
            services=tuple(_pick(rng, service_ids, 1, 2)),
            fields={"likelihood": float(rng.randint(1, 5)), "impact": float(rng.randint(1, 5))},
        )
        for k in range(max(5, initiatives // 3))
    ]
    issue_ids = [i.id for i in issues]

    ids = [f"init-{k + 1:04d}" for k in range(initiatives)]
    durations = [min(rng.choice(_DURATIONS), periods) for _ in ids]
    costs = [float(round(rng.lognormvariate(10.8, 0.7), -3)) for _ in ids]
    efforts = [
        {skill: float(round(cost / rng.uniform(90, 220))) for skill in _pick(rng, skill_ids, 1, 3)}
        for cost in costs
    ]
    mandatory = {k for k in range(initiatives) if rng.random() < mandatory_share}

    # Windows first, then prerequisites that keep every chain inside its window.
    earliest: list[int] = [0] * initiatives
    deadline: list[int | None] = [None] * initiatives
    for k in range(initiatives):
        if k not in mandatory and rng.random() < window_share:
            earliest[k] = rng.randint(0, max(0, periods - durations[k]) // 2)
            if rng.random() < 0.5:
                deadline[k] = rng.randint(earliest[k] + durations[k] - 1, periods - 1)
    first_start = list(earliest)
    requires: list[list[str]] = [[] for _ in ids]
    for k in range(1, initiatives):
        if k in mandatory or rng.random() >= dependency_share:
            continue
        last = periods - 1 if (due := deadline[k]) is None else due
        for j in sorted(rng.sample(range(max(0, k - 50), k), min(k, rng.randint(1, 2)))):
            start_after = max(first_start[k], first_start[j] + durations[j])
            if start_after + durations[k] - 1 <= last and j not in mandatory:
                requires[k].append(ids[j])
                first_start[k] = start_after
    ancestors: list[set[int]] = [set() for _ in ids]
    index_of = {id_: k for k, id_ in enumerate(ids)}
    for k in range(initiatives):
        for required in requires[k]:
            j = index_of[required]
            ancestors[k] |= ancestors[j] | {j}

    excludes: list[list[str]] = [[] for _ in ids]
    free = [k for k in range(initiatives) if k not in mandatory]
    for _ in range(int(exclusion_share * initiatives)):
        if len(free) < 2:
            break
        a, b = sorted(rng.sample(free, 2))
        if a not in ancestors[b] and ids[a] not in excludes[b] and ids[b] not in excludes[a]:
            excludes[b].append(ids[a])

    items = []
    for k, id_ in enumerate(ids):
        items.append(
            Initiative(
                id=id_,
                name=f"Initiative {k + 1}",
                duration=durations[k],
                cost=costs[k],
                run_cost=float(round(costs[k] * rng.choice((0.0, 0.0, 0.01, 0.02)), -2)),
                effort=efforts[k],
                addresses={
                    i: rng.choice((0.25, 0.5, 0.75, 1.0)) for i in _pick(rng, issue_ids, 1, 3)
                },
                objectives={
                    o: rng.choice((0.25, 0.5, 1.0)) for o in _pick(rng, objective_ids, 0, 2)
                },
                requires=tuple(requires[k]),
                excludes=tuple(sorted(excludes[k])),
                earliest=earliest[k] or None,
                deadline=deadline[k],
                mandatory=k in mandatory,
                value=float(rng.randint(10, 100)),
                risk=round(rng.uniform(0, 0.5), 2),
                tags=("must",) if k in mandatory else (rng.choice(_MOSCOW),),
                fields={
                    "business_value": float(rng.choice(_FIBONACCI)),
                    "time_criticality": float(rng.choice(_FIBONACCI)),
                    "risk_reduction": float(rng.choice(_FIBONACCI)),
                    "job_size": float(rng.choice(_FIBONACCI)),
                    "reach": float(rng.randint(5, 500)),
                    "impact": rng.choice((0.25, 0.5, 1.0, 2.0, 3.0)),
                    "confidence": rng.choice((0.5, 0.8, 1.0)),
                    "person_months": round(sum(efforts[k].values()) / 160, 1),
                },
            )
        )

    groups = []
    for g in range(int(group_share * initiatives)):
        members = sorted(rng.sample(free, min(len(free), rng.randint(3, 6))))
        if len(members) >= 2:
            groups.append(
                Group(
                    id=f"group-{g + 1}",
                    kind="at_most",
                    count=rng.randint(1, len(members) - 1),
                    members=tuple(ids[m] for m in members),
                )
            )

    total_cost = sum(costs)
    budget = round(budget_share * total_cost, -3)
    per_period = max(
        round(2.0 * budget / periods, -3),
        max(c / d for c, d in zip(costs, durations, strict=True)) + sum(i.run_cost for i in items),
    )
    skill_hours: dict[str, float] = {}
    for skill in skill_ids:
        total = sum(e.get(skill, 0.0) for e in efforts)
        largest = max(
            (e.get(skill, 0.0) / d for e, d in zip(efforts, durations, strict=True)), default=0.0
        )
        skill_hours[skill] = float(round(max(1.2 * budget_share * total / periods, largest) + 0.5))
    first_skill_hours = skill_hours[skill_ids[0]]
    capacity = Capacity(
        budget=budget,
        budget_per_period=float(round(per_period, -3) + 1000),
        skills=dict(skill_hours),
        contractors={
            skill_ids[0]: Contractor(rate=150.0, max=float(round(0.2 * first_skill_hours)))
        },
    )
    return Engagement(
        scope=Scope(
            client=f"Synthetic client {seed}",
            mission="A generated engagement for benchmarks and tests.",
            start=start,
            period="quarter",
            periods=periods,
        ),
        objectives=tuple(business + it),
        services=tuple(services),
        survey=Survey(),
        responses=tuple(responses),
        issues=tuple(issues),
        initiatives=tuple(items),
        groups=tuple(groups),
        capacity=capacity,
        plan=PlanSettings(),
    )
