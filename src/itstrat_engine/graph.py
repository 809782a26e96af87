"""The strategy graph: how initiatives, issues, services and objectives connect.

This is the only module that imports networkx. It holds two directed graphs built from an
`Engagement`:

- the *alignment* graph, whose edges point from what serves to what is served
  (initiative -> issue, initiative -> objective, issue -> objective, IT objective ->
  business objective, issue -> service);
- the *dependency* graph over initiatives, with an edge ``b -> a`` when ``a`` requires ``b``.

Nodes are strings ``"kind:id"`` (``"initiative:erp"``); ids cannot contain ``:``.

`validate` reports every problem at once, each located by the file path of the offending
key; it never raises. `check` raises when there are errors. All orders are deterministic:
file order for problems, `lexicographical_topological_sort` and sorted ids for graph walks.
The dependency walks (`waves`, `StrategyGraph.order`) require an acyclic dependency graph,
which `validate` guarantees or reports.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs
import networkx as nx

from itstrat_engine.errors import (
    DependencyCycleError,
    InvalidEngagementError,
    Problem,
    ProblemLog,
    did_you_mean,
)
from itstrat_engine.model import Engagement, Initiative, PerPeriod

__all__ = ["StrategyGraph", "check", "node", "validate"]


def node(kind: str, id_: str) -> str:
    """The graph key of an item: ``node("initiative", "erp") == "initiative:erp"``."""
    return f"{kind}:{id_}"


def _id(key: str) -> str:
    return key.split(":", 1)[1]


class StrategyGraph:
    """Alignment and dependency graphs of an engagement, with tracing and ordering.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({
    ...     "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
    ...     "objective": [{"id": "grow", "name": "Grow"}],
    ...     "issue": [{"id": "slow", "name": "Slow quoting", "objectives": ["grow"]}],
    ...     "initiative": [{"id": "crm", "name": "CRM", "addresses": {"slow": 1.0}}],
    ... })
    >>> StrategyGraph(e).trace("crm")
    (('initiative:crm', 'issue:slow', 'objective:grow'),)
    """

    def __init__(self, engagement: Engagement) -> None:
        """Build both graphs; unknown references are skipped (`validate` reports them)."""
        self.engagement = engagement
        alignment = nx.DiGraph()
        objectives = engagement.objective_by_id
        for objective in engagement.objectives:
            alignment.add_node(node("objective", objective.id), kind=objective.kind)
            for target in objective.supports:
                if target in objectives:
                    alignment.add_edge(node("objective", objective.id), node("objective", target))
        for service in engagement.services:
            alignment.add_node(node("service", service.id))
        for issue in engagement.issues:
            alignment.add_node(node("issue", issue.id))
            for objective_id in issue.objectives:
                if objective_id in objectives:
                    alignment.add_edge(node("issue", issue.id), node("objective", objective_id))
            for service_id in issue.services:
                if service_id in engagement.service_by_id:
                    alignment.add_edge(node("issue", issue.id), node("service", service_id))
        dependencies = nx.DiGraph()
        initiatives = engagement.initiative_by_id
        for initiative in engagement.initiatives:
            key = node("initiative", initiative.id)
            alignment.add_node(key)
            dependencies.add_node(initiative.id)
            for issue_id in initiative.addresses:
                if issue_id in engagement.issue_by_id:
                    alignment.add_edge(key, node("issue", issue_id))
            for objective_id in initiative.objectives:
                if objective_id in objectives:
                    alignment.add_edge(key, node("objective", objective_id))
            for required in initiative.requires:
                if required in initiatives and required != initiative.id:
                    dependencies.add_edge(required, initiative.id)
        self.alignment = alignment
        self.dependencies = dependencies

    def _business(self, key: str) -> bool:
        objective = self.engagement.objective_by_id.get(_id(key))
        return (
            key.startswith("objective:") and objective is not None and objective.kind == "business"
        )

    def trace(self, initiative_id: str) -> tuple[tuple[str, ...], ...]:
        """Every path from an initiative to a business objective it serves, sorted.

        Paths run initiative -> (issue) -> (IT objective) -> business objective; an initiative
        that reaches no business objective (keep-the-lights-on work) has no paths.
        """
        start = node("initiative", initiative_id)
        if start not in self.alignment:
            raise KeyError(initiative_id)
        paths: list[tuple[str, ...]] = []
        stack: list[tuple[str, ...]] = [(start,)]
        while stack:
            path = stack.pop()
            last = path[-1]
            if self._business(last):
                paths.append(path)
                continue
            stack.extend((*path, nxt) for nxt in self.alignment.successors(last) if nxt not in path)
        return tuple(sorted(paths))

    def serves(self, initiative_id: str) -> tuple[str, ...]:
        """Ids of the business objectives an initiative serves, sorted."""
        return tuple(sorted({_id(path[-1]) for path in self.trace(initiative_id)}))

    def served_by(self, objective_id: str) -> tuple[str, ...]:
        """Ids of the initiatives that serve an objective (directly or through issues), sorted."""
        key = node("objective", objective_id)
        if key not in self.alignment:
            raise KeyError(objective_id)
        return tuple(
            sorted(_id(k) for k in nx.ancestors(self.alignment, key) if k.startswith("initiative:"))
        )

    def cycles(self) -> tuple[tuple[str, ...], ...]:
        """One cycle per strongly connected group of `requires`, as ``(a, b, ..., a)``, sorted."""
        found = []
        for component in nx.strongly_connected_components(self.dependencies):
            if len(component) < 2:
                continue
            start = min(component)
            sub = self.dependencies.subgraph(component)
            # Walk from the smallest id along smallest successors until a node repeats.
            path = [start]
            while True:
                nxt = min(sub.successors(path[-1]))
                if nxt in path:
                    path = path[path.index(nxt) :]
                    break
                path.append(nxt)
            # Edges point prerequisite -> dependent; present the cycle in `requires` order,
            # starting from its smallest id.
            path.reverse()
            smallest = path.index(min(path))
            path = path[smallest:] + path[:smallest]
            found.append((*path, path[0]))
        return tuple(sorted(found))

    def order(self) -> tuple[str, ...]:
        """Initiative ids, every prerequisite before what requires it, ties broken by id."""
        try:
            return tuple(nx.lexicographical_topological_sort(self.dependencies))
        except nx.NetworkXUnfeasible:
            raise self._cycle_error() from None

    def waves(self) -> tuple[tuple[str, ...], ...]:
        """Dependency levels: wave 0 requires nothing, wave k only what earlier waves hold."""
        try:
            return tuple(
                tuple(sorted(level)) for level in nx.topological_generations(self.dependencies)
            )
        except nx.NetworkXUnfeasible:
            raise self._cycle_error() from None

    def prerequisites(self, initiative_id: str) -> tuple[str, ...]:
        """Every initiative that must be done before this one, directly or transitively."""
        return tuple(sorted(nx.ancestors(self.dependencies, initiative_id)))

    def _cycle_error(self) -> DependencyCycleError:
        cycles = self.cycles()
        problems = [_cycle_problem(self.engagement, cycle) for cycle in cycles]
        return DependencyCycleError(cycles[0], problems)


# --------------------------------------------------------------------------- validation


def _where(kind: str, items: Sequence[object], id_: str) -> str:
    """Path of the first item with this id: ``initiative[3]``."""
    for index, item in enumerate(items):
        if getattr(item, "id", None) == id_:
            return f"{kind}[{index}]"
    return kind


_CYCLE_SHOWN = 6  # ids shown at each end of a long cycle


def _cycle_problem(engagement: Engagement, cycle: tuple[str, ...]) -> Problem:
    # A cycle of thousands of ids stays one readable line; the error's `cycle` has them all.
    shown = " -> ".join(cycle)
    if len(cycle) > 2 * _CYCLE_SHOWN + 1:
        hidden = len(cycle) - 2 * _CYCLE_SHOWN
        shown = (
            " -> ".join(cycle[:_CYCLE_SHOWN])
            + f" -> ... ({hidden} more) -> "
            + " -> ".join(cycle[-_CYCLE_SHOWN:])
        )
    return Problem(
        code="cycle",
        path=_where("initiative", engagement.initiatives, cycle[0]) + ".requires",
        message="requires forms a cycle",
        value=shown,
        expected="no initiative to require itself through others",
        suggestion="remove one of these requirements",
    )


class _Checker(ProblemLog):
    """Collects problems in file order, with the engagement at hand."""

    def __init__(self, engagement: Engagement) -> None:
        super().__init__()
        self.e = engagement

    def refs(self, path: str, ids: Iterable[str], known: Mapping[str, object], what: str) -> None:
        for index, ref in enumerate(ids):
            if ref not in known:
                self.error(
                    "unknown-reference",
                    f"{path}[{index}]" if not isinstance(ids, Mapping) else f"{path}.{ref}",
                    f"unknown {what}",
                    value=repr(ref),
                    expected=f"the id of a declared {what}",
                    suggestion=did_you_mean(ref, known)
                    or f"declare it or remove the reference to {ref!r}",
                )

    def duplicates(self, kind: str, items: Sequence[object]) -> None:
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            id_ = str(getattr(item, "id", ""))
            if id_ in first:
                self.error(
                    "duplicate-id",
                    f"{kind}[{index}].id",
                    f"duplicate {kind} id",
                    value=repr(id_),
                    expected="ids unique within their kind",
                    suggestion=f"rename it; {kind}[{first[id_]}] already uses it",
                )
            else:
                first[id_] = index

    def per_period(self, path: str, value: PerPeriod | None) -> None:
        if isinstance(value, tuple) and len(value) != self.e.periods:
            self.error(
                "period-count",
                path,
                "wrong number of per-period values",
                value=f"{len(value)} values",
                expected=f"one number, or exactly {self.e.periods} (one per period)",
                suggestion="give a single number to use it in every period",
            )

    def per_year(self, path: str, value: PerPeriod | None) -> None:
        years = list(dict.fromkeys(self.e.fiscal_years))
        if isinstance(value, tuple) and len(value) != len(years):
            self.error(
                "year-count",
                path,
                "wrong number of per-year values",
                value=f"{len(value)} values",
                expected=f"one number, or exactly {len(years)} (one per fiscal year: "
                f"{', '.join(years)})",
                suggestion="give a single number to use it in every fiscal year",
            )

    def period(self, path: str, ref: int | str | None) -> int | None:
        if ref is None:
            return None
        index = self.e.scope.index(ref)
        if index is None:
            labels = self.e.scope.labels
            hint = did_you_mean(ref, labels) if isinstance(ref, str) else None
            self.error(
                "unknown-period",
                path,
                "period outside the horizon",
                value=repr(ref),
                expected=f"a label {labels[0]}..{labels[-1]} or an index 0..{len(labels) - 1}",
                suggestion=hint or "extend [engagement].periods or move the date",
            )
        return index


def validate(engagement: Engagement, source: str | None = None) -> tuple[Problem, ...]:
    """Every cross-reference problem (errors and warnings) of an engagement, in file order.

    `source` is put in each problem's `file`. Never raises for a bad engagement.
    """
    c = _Checker(engagement)
    e = engagement
    for kind, items in (
        ("objective", e.objectives),
        ("service", e.services),
        ("issue", e.issues),
        ("initiative", e.initiatives),
        ("group", e.groups),
    ):
        c.duplicates(kind, items)
    _check_objectives(c)
    _check_survey(c)
    for index, issue in enumerate(e.issues):
        c.refs(f"issue[{index}].objectives", issue.objectives, e.objective_by_id, "objective")
        c.refs(f"issue[{index}].services", issue.services, e.service_by_id, "service")
    _check_capacity(c)
    graph = StrategyGraph(e)
    windows = _check_initiatives(c)
    cycles = graph.cycles()
    for cycle in cycles:
        c.problems.append(_cycle_problem(e, cycle))
    if not cycles:
        _check_chains(c, graph, windows)
    _check_groups(c)
    _check_alignment(c, graph)
    return tuple(p if source is None else attrs.evolve(p, file=source) for p in c.problems)


def check(engagement: Engagement, source: str | None = None) -> tuple[Problem, ...]:
    """Raise `InvalidEngagementError` (or `DependencyCycleError`) if `validate` finds errors.

    Returns the warnings when there are no errors.
    """
    problems = validate(engagement, source)
    if any(p.severity == "error" for p in problems):
        if any(p.code == "cycle" for p in problems):
            # The graph, not the (possibly shortened) message, gives the whole cycle.
            raise DependencyCycleError(StrategyGraph(engagement).cycles()[0], problems)
        raise InvalidEngagementError(problems)
    return problems


def _check_objectives(c: _Checker) -> None:
    e = c.e
    for index, objective in enumerate(e.objectives):
        path = f"objective[{index}].supports"
        c.refs(path, objective.supports, e.objective_by_id, "objective")
        if objective.kind == "business" and objective.supports:
            c.error(
                "business-supports",
                path,
                "a business objective cannot support other objectives",
                value=repr(list(objective.supports)),
                expected="supports only on IT objectives (kind = 'it')",
                suggestion="set kind = 'it' or remove supports",
            )
        for position, target in enumerate(objective.supports):
            supported = e.objective_by_id.get(target)
            if supported is not None and supported.kind != "business":
                c.error(
                    "supports-it",
                    f"{path}[{position}]",
                    "an IT objective supports business objectives, not other IT objectives",
                    value=repr(target),
                    expected="the id of a business objective",
                )
        if objective.kind == "it" and not objective.supports:
            c.warn(
                "unsupported-it-objective",
                f"objective[{index}]",
                f"IT objective {objective.id!r} supports no business objective",
                suggestion="list the business objectives it serves in supports",
            )
    if e.pairwise is not None:
        c.refs("pairwise.objectives", e.pairwise.objectives, e.objective_by_id, "objective")
        size = len(e.pairwise.objectives)
        rows = e.pairwise.matrix
        if len(rows) != size or any(len(row) != size for row in rows):
            c.error(
                "matrix-shape",
                "pairwise.matrix",
                "the comparison matrix is not square over the listed objectives",
                value=f"{len(rows)} rows of lengths {[len(r) for r in rows]}",
                expected=f"{size} rows of {size} entries",
            )


def _check_survey(c: _Checker) -> None:
    e = c.e
    low, high = e.survey.scale_min, e.survey.scale_max
    if e.responses and not any(response.weight for response in e.responses):
        c.warn(
            "zero-weights",
            "response",
            "every response has weight 0: the survey counts for nothing",
            value=f"{len(e.responses)} responses",
            expected="at least one response with a weight > 0",
            suggestion="leave weight out (1 by default) or give the stakeholders their weights",
        )
    for index, response in enumerate(e.responses):
        for field in ("importance", "satisfaction"):
            answers: dict[str, float] = getattr(response, field)
            c.refs(f"response[{index}].{field}", answers, e.service_by_id, "service")
            for service, score in answers.items():
                if not low <= score <= high:
                    c.error(
                        "out-of-scale",
                        f"response[{index}].{field}.{service}",
                        f"{response.stakeholder}'s {field} for {service!r} is outside the scale",
                        value=repr(score),
                        expected=f"a score from {low:g} to {high:g}",
                        suggestion="fix the answer or declare the scale in [survey]",
                    )


_MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


def _check_capacity(c: _Checker) -> None:
    capacity = c.e.capacity
    for name in ("budget_per_period", "capex_per_period", "opex_per_period"):
        c.per_period(f"capacity.{name}", getattr(capacity, name))
    for name in ("budget_per_year", "capex_per_year", "opex_per_year"):
        c.per_year(f"capacity.{name}", getattr(capacity, name))
    c.duplicates("capacity.pools", capacity.pools)
    tags = sorted({tag for item in c.e.initiatives for tag in item.tags})
    for index, pool in enumerate(capacity.pools):
        for n, tag in enumerate(pool.tags):
            if tag not in tags:
                c.warn(
                    "unused-pool-tag",
                    f"capacity.pools[{index}].tags[{n}]",
                    f"funding pool {pool.id!r} may pay for tag {tag!r}, which no initiative has",
                    value=repr(tag),
                    expected="a tag some initiative carries",
                    suggestion=did_you_mean(tag, tags) or "tag the initiatives it funds",
                )
    step = _MONTHS_PER_PERIOD[c.e.scope.period]
    if (capacity.fiscal_year_start - 1) % step:
        starts = ", ".join(str(m) for m in range(1, 13, step))
        c.error(
            "fiscal-year-start",
            "capacity.fiscal_year_start",
            f"a fiscal year starting in month {capacity.fiscal_year_start} splits a "
            f"{c.e.scope.period}",
            value=repr(capacity.fiscal_year_start),
            expected=f"a month that begins a {c.e.scope.period}: {starts}",
            suggestion="plan in months, or move the fiscal year start to a period boundary",
        )
    settings = c.e.plan
    if settings.coverage is not None and settings.objective != "cost":
        c.warn(
            "unused-coverage",
            "plan.coverage",
            f"coverage is what the cost objective must reach: with objective "
            f"{settings.objective!r} it is not used",
            value=repr(settings.coverage),
            expected='objective = "cost" beside it',
            suggestion='set objective = "cost", or remove coverage',
        )
    for skill, hours in capacity.skills.items():
        c.per_period(f"capacity.skills.{skill}", hours)
    used = sorted({skill for item in c.e.initiatives for skill in item.effort})
    for skill, contractor in capacity.contractors.items():
        c.per_period(f"capacity.contractors.{skill}.max", contractor.max)
        if skill not in used:
            c.warn(
                "unused-contractor",
                f"capacity.contractors.{skill}",
                f"contractors for {skill!r}, a skill no initiative needs: they are never hired",
                value=repr(skill),
                expected="a skill some initiative's effort names"
                + (f" ({', '.join(used)})" if used else ""),
                suggestion=did_you_mean(skill, used) or "remove it or add effort on it",
            )


def _check_initiatives(c: _Checker) -> dict[str, tuple[int, int]]:
    """Check each initiative; return its allowed run window (first, last period)."""
    e = c.e
    skills = set(e.capacity.skills) | set(e.capacity.contractors)
    initiatives = e.initiative_by_id
    windows: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(e.initiatives):
        path = f"initiative[{index}]"
        c.refs(f"{path}.addresses", item.addresses, e.issue_by_id, "issue")
        c.refs(f"{path}.objectives", item.objectives, e.objective_by_id, "objective")
        c.refs(f"{path}.requires", item.requires, initiatives, "initiative")
        c.refs(f"{path}.excludes", item.excludes, initiatives, "initiative")
        c.per_period(f"{path}.benefit", item.benefit)
        for skill in item.effort:
            if skill not in skills:
                c.error(
                    "unknown-skill",
                    f"{path}.effort.{skill}",
                    "effort on a skill with no capacity",
                    value=repr(skill),
                    expected="a skill listed in [capacity.skills] or [capacity.contractors]",
                    suggestion=did_you_mean(skill, skills)
                    or f"add {skill} = <hours per period> to [capacity.skills]",
                )
        for field in ("requires", "excludes"):
            if item.id in getattr(item, field):
                c.error(
                    "self-reference",
                    f"{path}.{field}",
                    f"initiative {item.id!r} {field} itself",
                    value=repr(item.id),
                    suggestion=f"remove {item.id!r} from {field}",
                )
        for both in sorted(set(item.requires) & set(item.excludes)):
            c.error(
                "requires-excludes",
                f"{path}.excludes",
                f"initiative {item.id!r} both requires and excludes {both!r}",
                value=repr(both),
                expected="requires or excludes, not both",
                suggestion="decide which one is true",
            )
        _check_gates(c, path, item)
        _check_tags(c, path, item)
        windows[item.id] = _window(c, path, item)
    return windows


MOSCOW_TAGS = ("must", "should", "could", "wont")
"""The tags the built-in `moscow` pack reads; tags are matched exactly (case counts)."""


def _check_tags(c: _Checker, path: str, item: Initiative) -> None:
    """Warn about a tag that differs from a MoSCoW tag only by case or an apostrophe."""
    for n, tag in enumerate(item.tags):
        plain = tag.casefold().replace("'", "").replace("\u2019", "")
        if plain in MOSCOW_TAGS and tag != plain:
            c.warn(
                "tag-case",
                f"{path}.tags[{n}]",
                f"tag {tag!r} is not the MoSCoW tag {plain!r}: tags match exactly",
                value=repr(tag),
                expected=repr(plain),
                suggestion=f"write {plain!r} if the moscow pack should read it",
            )


def _check_gates(c: _Checker, path: str, item: Initiative) -> None:
    initiatives = c.e.initiative_by_id
    if not item.mandatory:
        return
    for field, flag, why in (
        ("requires", "forbidden", "is forbidden"),
        ("excludes", "mandatory", "is mandatory too"),
    ):
        for other_id in getattr(item, field):
            other = initiatives.get(other_id)
            if other is not None and getattr(other, flag):
                c.error(
                    "gate-conflict",
                    f"{path}.{field}",
                    f"mandatory {item.id!r} {field} {other_id!r}, which {why}",
                    suggestion="drop one of the gates or the link",
                )


def _window(c: _Checker, path: str, item: Initiative) -> tuple[int, int]:
    first = c.period(f"{path}.earliest", item.earliest)
    last = c.period(f"{path}.deadline", item.deadline)
    first = 0 if first is None else first
    last = c.e.periods - 1 if last is None else last
    if first > last:
        c.error(
            "empty-window",
            f"{path}.deadline",
            f"deadline of {item.id!r} is before its earliest period",
            value=repr(item.deadline),
            expected=f"a period at or after earliest ({item.earliest!r})",
        )
    elif item.duration > last - first + 1:
        c.error(
            "does-not-fit",
            f"{path}.duration",
            f"{item.id!r} cannot fit its duration between earliest and deadline (or the horizon)",
            value=repr(item.duration),
            expected=f"at most {last - first + 1} periods "
            f"(from {c.e.scope.labels[first]} to {c.e.scope.labels[last]})",
            suggestion="shorten it, widen its window, or extend the horizon",
        )
    return first, last


def _check_chains(c: _Checker, graph: StrategyGraph, windows: dict[str, tuple[int, int]]) -> None:
    """Find initiatives whose `requires` chain cannot finish before their own window closes."""
    e = c.e
    initiatives = e.initiative_by_id
    start: dict[str, int] = {}
    via: dict[str, str] = {}
    for id_ in graph.order():
        item = initiatives[id_]
        earliest = windows[id_][0]
        for required in item.requires:
            if required in start:
                finish = start[required] + initiatives[required].duration
                if finish > earliest:
                    earliest, via[id_] = finish, required
        start[id_] = earliest
    for index, item in enumerate(e.initiatives):
        last = windows[item.id][1]
        if item.id not in via or start[item.id] + item.duration - 1 <= last:
            continue
        chain = [item.id]
        while chain[-1] in via:
            chain.append(via[chain[-1]])
        needed = start[item.id] + item.duration
        report = c.error if item.mandatory else c.warn
        report(
            "chain-too-long",
            f"initiative[{index}].requires",
            f"{item.id!r} cannot finish in time after what it requires",
            value=" -> ".join(reversed(chain)) + f" (needs {needed} periods)",
            expected=f"finishing by {e.scope.labels[last]} (period {last})",
            suggestion=(
                "mandatory work that cannot fit" if item.mandatory else "it can never be selected"
            )
            + ": shorten the chain, move the deadline or extend the horizon",
        )


def _check_groups(c: _Checker) -> None:
    e = c.e
    initiatives = e.initiative_by_id
    for index, group in enumerate(e.groups):
        path = f"group[{index}]"
        c.refs(f"{path}.members", group.members, initiatives, "initiative")
        size = len(group.members)
        if group.kind in {"at_least", "exactly"} and group.count > size:
            c.error(
                "impossible-group",
                f"{path}.count",
                f"group {group.id!r} asks for more members than it has",
                value=repr(group.count),
                expected=f"at most {size} (the number of members)",
            )
        mandatory = sum(1 for m in group.members if m in initiatives and initiatives[m].mandatory)
        forbidden = sum(1 for m in group.members if m in initiatives and initiatives[m].forbidden)
        if group.kind in {"at_most", "exactly"} and mandatory > group.count:
            c.error(
                "impossible-group",
                f"{path}.count",
                f"group {group.id!r} allows {group.count} but {mandatory} members are mandatory",
                value=repr(group.count),
                expected=f"at least {mandatory}",
            )
        if group.kind in {"at_least", "exactly"} and size - forbidden < group.count <= size:
            c.error(
                "impossible-group",
                f"{path}.count",
                f"group {group.id!r} needs {group.count}, only {size - forbidden} are allowed",
                value=repr(group.count),
                expected=f"at most {size - forbidden}",
            )


def _check_alignment(c: _Checker, graph: StrategyGraph) -> None:
    e = c.e
    serving: Counter[str] = Counter()
    for index, item in enumerate(e.initiatives):
        served = graph.serves(item.id)
        serving.update(served)
        if not served:
            c.warn(
                "no-business-objective",
                f"initiative[{index}]",
                f"initiative {item.id!r} traces to no business objective (keep-the-lights-on work)",
                suggestion="link it to an issue or objective if it serves the business",
            )
    for index, objective in enumerate(e.objectives):
        if objective.kind == "business" and serving[objective.id] == 0:
            c.warn(
                "unserved-objective",
                f"objective[{index}]",
                f"business objective {objective.id!r} is served by no initiative",
                suggestion="propose an initiative for it or confirm it needs none",
            )
