"""Hypothesis strategies for the domain: valid engagements and malformed documents.

`engagements()` draws engagements that pass `validate` with no errors: requires form a DAG
whose chains fit their windows, exclusions and groups never contradict the gates, every
effort names a declared skill. Mandatory items have no prerequisites and no window, and are
few and small, so they can usually be funded. `documents()` draws arbitrary JSON-like data
and `mutated_documents()` valid documents with one value replaced by junk, for fuzzing.
"""

from typing import Any

from hypothesis import strategies as st

from itstrat_engine import (
    Capacity,
    Contractor,
    Engagement,
    Group,
    Initiative,
    Issue,
    Objective,
    PlanSettings,
    Scope,
    Service,
    to_dict,
)

money = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
hours = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
fractions = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1)
texts = st.text(max_size=20)


@st.composite
def engagements(
    draw: st.DrawFn,
    *,
    max_initiatives: int = 8,
    max_periods: int = 8,
    mandatory: bool = True,
) -> Engagement:
    """A valid engagement with up to `max_initiatives` initiatives."""
    periods = draw(st.integers(1, max_periods))
    year = draw(st.integers(2020, 2040))
    quarter = draw(st.integers(1, 4))
    skills = [f"s{k}" for k in range(draw(st.integers(0, 3)))]
    weighted = draw(st.booleans())  # every business objective weighted, or none (equal)
    business = [
        Objective(
            id=f"b{k}", name=draw(texts), weight=draw(st.floats(0.1, 10)) if weighted else None
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    it = [
        Objective(
            id=f"t{k}",
            name=draw(texts),
            kind="it",
            supports=tuple(draw(st.lists(st.sampled_from([b.id for b in business]), unique=True)))
            if business
            else (),
        )
        for k in range(draw(st.integers(0, 2)))
    ]
    objective_ids = [o.id for o in business + it]
    services = [Service(id=f"v{k}", name=draw(texts)) for k in range(draw(st.integers(0, 3)))]
    issues = [
        Issue(
            id=f"q{k}",
            name=draw(texts),
            severity=draw(st.none() | st.floats(0, 5)),
            objectives=tuple(draw(st.lists(st.sampled_from(objective_ids), unique=True)))
            if objective_ids
            else (),
            services=tuple(draw(st.lists(st.sampled_from([s.id for s in services]), unique=True)))
            if services
            else (),
        )
        for k in range(draw(st.integers(0, 4)))
    ]
    issue_ids = [i.id for i in issues]

    count = draw(st.integers(0, max_initiatives))
    ids = [f"i{k}" for k in range(count)]
    items: list[Initiative] = []
    first_start: dict[str, int] = {}
    for k, id_ in enumerate(ids):
        duration = draw(st.integers(1, periods))
        is_mandatory = mandatory and draw(st.booleans()) and draw(st.booleans())
        earliest = deadline = None
        requires: list[str] = []
        if not is_mandatory:
            if draw(st.booleans()):
                earliest = draw(st.integers(0, periods - duration))
            if draw(st.booleans()):
                deadline = draw(st.integers((earliest or 0) + duration - 1, periods - 1))
            last = periods - 1 if deadline is None else deadline
            start = earliest or 0
            for j in draw(st.lists(st.integers(0, k - 1), unique=True, max_size=2)) if k else []:
                prior = items[j]
                after = max(start, first_start[prior.id] + prior.duration)
                if after + duration - 1 <= last and not prior.forbidden:
                    requires.append(prior.id)
                    start = after
            first_start[id_] = start
        else:
            first_start[id_] = 0
        excludes = []
        if not is_mandatory and k and draw(st.booleans()):
            other = items[draw(st.integers(0, k - 1))]
            if other.id not in requires and not other.mandatory:
                excludes.append(other.id)
        forbidden = not is_mandatory and draw(st.integers(0, 9)) == 0
        items.append(
            Initiative(
                id=id_,
                name=draw(texts),
                duration=duration,
                cost=draw(st.floats(0, 1e5) if is_mandatory else money),
                run_cost=draw(st.just(0.0) if is_mandatory else st.floats(0, 1e4)),
                effort={
                    s: draw(st.floats(0, 100) if is_mandatory else hours)
                    for s in draw(st.lists(st.sampled_from(skills), unique=True))
                }
                if skills
                else {},
                addresses={
                    q: draw(fractions)
                    for q in draw(st.lists(st.sampled_from(issue_ids), unique=True))
                }
                if issue_ids
                else {},
                objectives={
                    o: draw(fractions)
                    for o in draw(st.lists(st.sampled_from(objective_ids), unique=True))
                }
                if objective_ids
                else {},
                requires=tuple(requires),
                excludes=tuple(excludes),
                earliest=earliest,
                deadline=deadline,
                mandatory=is_mandatory,
                forbidden=forbidden,
                value=draw(st.none() | st.floats(0, 1000)),
                risk=draw(st.floats(0, 1)),
                tags=tuple(
                    draw(
                        st.lists(st.sampled_from(["must", "should", "could", "wont"]), unique=True)
                    )
                ),
                fields=draw(
                    st.dictionaries(
                        st.sampled_from(["reach", "impact", "job_size"]), st.floats(0, 100)
                    )
                ),
            )
        )
    groups = []
    free = [i.id for i in items if not i.mandatory and not i.forbidden]
    if len(free) >= 2 and draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(free), min_size=2, unique=True))
        kind = draw(st.sampled_from(["at_most", "at_least", "exactly"]))
        groups.append(
            Group(
                id="g0", kind=kind, count=draw(st.integers(0, len(members))), members=tuple(members)
            )
        )

    def per_period(
        values: st.SearchStrategy[float],
    ) -> st.SearchStrategy[float | tuple[float, ...]]:
        return values | st.lists(values, min_size=periods, max_size=periods).map(tuple)

    capacity = Capacity(
        budget=draw(st.none() | st.floats(1e5, 1e8)),
        budget_per_period=draw(st.none() | per_period(st.floats(1e5, 1e7))),
        skills={s: draw(per_period(st.floats(100, 1e4))) for s in skills},
        contractors={
            s: Contractor(rate=draw(st.floats(0, 300)), max=draw(per_period(hours)))
            for s in skills[:1]
        },
    )
    return Engagement(
        scope=Scope(
            client=draw(texts), start=f"{year}-Q{quarter}", periods=periods, mission=draw(texts)
        ),
        objectives=tuple(business + it),
        services=tuple(services),
        issues=tuple(issues),
        initiatives=tuple(items),
        groups=tuple(groups),
        capacity=capacity,
        plan=draw(
            st.builds(PlanSettings, objective=st.sampled_from(["value", "coverage", "makespan"]))
        ),
    )


json_scalars = (
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=12)
)
documents = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += _paths(value, (*prefix, index))
    return paths


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replace(data[head], tuple(rest), value)
    return copy


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    """A valid engagement's data with one value (or key) swapped for junk."""
    data = to_dict(draw(engagements(max_initiatives=4)))
    path = draw(st.sampled_from(_paths(data)))
    if draw(st.booleans()) or not path:
        return _replace(data, path, draw(documents))
    *head, last = path
    container = data
    for key in head:
        container = container[key]
    if isinstance(container, dict):
        junk_key = draw(st.text(max_size=8))
        return _replace(data, tuple(head), {**container, junk_key: container[last]})
    return _replace(data, tuple(head), [*container, draw(documents)])
