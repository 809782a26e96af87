"""The CP-SAT backend, its integer scaling, and ``solver = "auto"`` (choice and race)."""

import itertools
import json
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine import instances
from itstrat_engine.errors import MissingExtraError
from itstrat_engine.optimize import Status, cpsat, decode, formulate, portfolio, prepare, solve
from itstrat_engine.optimize.heuristic import greedy_schedule
from itstrat_engine.optimize.scaling import rational, scale_objective, scale_row
from itstrat_engine.optimize.solution import Solution, run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# --------------------------------------------------------------------------- scaling

decimals = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False).map(float)
floats = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(st.one_of(decimals, floats), st.integers(1, 12))
def test_rational_stands_for_the_float(value: float, duration: int) -> None:
    """The fraction read back is the float to within a few ulps, also after a division."""
    for x in (value, value / duration):
        assert abs(float(rational(x)) - x) <= 4 * abs(x) * 2.3e-16 + 5e-324


def test_rational_reads_shares_of_decimals_exactly() -> None:
    assert rational(12345.67 / 3) == Fraction(1234567, 300)
    assert rational(0.3) == Fraction(3, 10)


def _points(n: int) -> list[tuple[int, ...]]:
    return list(itertools.product((0, 1), repeat=n))


@settings(max_examples=300)
@given(
    st.lists(st.one_of(decimals, floats), min_size=1, max_size=5),
    st.one_of(decimals, floats),
    st.booleans(),
)
def test_integer_rows_never_admit_what_the_real_row_refuses(
    coefficients: list[float], rhs: float, upper: bool
) -> None:
    """Exact rows keep exactly the 0/1 points of the real row; rounded ones only fewer."""
    real = [rational(c) for c in coefficients]
    limit = rational(rhs)
    row = scale_row(real, limit, [1] * len(real), upper=upper)

    def real_ok(point: tuple[int, ...]) -> bool:
        total = sum((c * x for c, x in zip(real, point, strict=True)), Fraction(0))
        return total <= limit if upper else total >= limit

    def integer_ok(point: tuple[int, ...]) -> bool:
        total = sum(c * x for c, x in zip(row.coefficients, point, strict=True))
        return total <= row.rhs if upper else total >= row.rhs

    for point in _points(len(real)):
        if row.exact:
            assert integer_ok(point) == real_ok(point)
        elif integer_ok(point):
            assert real_ok(point)
    assert row.error <= 1e-9


@given(st.lists(st.one_of(decimals, floats), min_size=1, max_size=5))
def test_objective_scaling_error_bounds_every_point(coefficients: list[float]) -> None:
    real = [rational(c) for c in coefficients]
    objective = scale_objective(real, [1] * len(real))
    for point in _points(len(real)):
        exact = sum((c * x for c, x in zip(real, point, strict=True)), Fraction(0))
        scaled = sum(c * x for c, x in zip(objective.coefficients, point, strict=True))
        assert abs(exact * objective.scale - scaled) <= objective.error


# --------------------------------------------------------------------------- CP-SAT


def test_cpsat_proves_the_dental_example_like_highs() -> None:
    engagement = it.load(EXAMPLES / "dental-group.toml")
    by = {s: it.plan(engagement, solver=s, time_limit=30) for s in ("highs", "cpsat")}
    for result in by.values():
        assert result.status == Status.OPTIMAL, result.message
        assert it.verify(result, result.engagement) == ()
    assert by["cpsat"].objective_value == by["highs"].objective_value
    assert by["cpsat"].solver == "cpsat"


def test_cpsat_buys_contractor_hours_exactly() -> None:
    """Fractional hours (a third per period) are bought to the hour's fraction, no more."""
    engagement = it.generate(12, seed=5)
    engagement = attrs.evolve(
        engagement,
        capacity=attrs.evolve(
            engagement.capacity,
            skills=dict.fromkeys(engagement.capacity.skills, 10.0),
            contractors={
                k: it.Contractor(rate=90.0, max=1000.0) for k in engagement.capacity.skills
            },
        ),
    )
    result = it.plan(engagement, solver="cpsat", time_limit=30)
    assert result.status == Status.OPTIMAL, result.message
    assert it.verify(result, result.engagement) == ()
    highs = it.plan(engagement, solver="highs", time_limit=30)
    assert result.objective_value == pytest.approx(highs.objective_value, rel=1e-9)


def test_cpsat_hint_is_used() -> None:
    engagement = it.generate(10, seed=3)
    first = it.plan(engagement, solver="cpsat")
    again = it.plan(engagement, solver="cpsat", start=first.schedule)
    assert again.objective_value == first.objective_value
    prepared = prepare(engagement, solver="cpsat")
    solution = solve(formulate(prepared), start=first.schedule)
    assert solution.start


def test_cpsat_is_deterministic_with_one_worker() -> None:
    engagement = it.generate(40, seed=8)
    runs = [
        it.plan(engagement, solver="cpsat", threads=1, time_limit=2).to_json(timings=False)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_missing_cpsat_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise MissingExtraError("the CP-SAT solver", "cpsat")

    monkeypatch.setattr(cpsat, "_cp_model", missing)
    with pytest.raises(MissingExtraError, match=r"pip install 'itstrat-engine\[cpsat\]'"):
        it.plan(it.generate(5, seed=1), solver="cpsat")


def test_auto_works_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio, "available", lambda: False)
    result = it.plan(it.generate(8, seed=2))
    assert result.status == Status.OPTIMAL
    assert result.solver == "highs"


@pytest.mark.parametrize(
    ("objective", "threads", "expected"),
    [
        ("makespan", None, ("cpsat",)),
        ("value", 1, ("highs",)),
        ("value", None, ("highs", "cpsat")),
    ],
)
def test_auto_candidates(
    objective: str, threads: int | None, expected: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portfolio.os, "cpu_count", lambda: 2)
    prepared = prepare(it.generate(6, seed=1), objective=objective, threads=threads)  # type: ignore[arg-type]
    assert portfolio.candidates(formulate(prepared), prepared.settings) == expected


def test_auto_gives_pure_selection_to_cbc() -> None:
    knapsack = instances.KnapsackInstance(
        name="k", profits=(10.0, 7.0, 4.0), weights=((3.0, 2.0, 2.0),), capacities=(4.0,)
    )
    engagement = instances.knapsack_engagement(knapsack)
    prepared = prepare(engagement)
    assert portfolio.candidates(formulate(prepared), prepared.settings) == ("cbc",)
    result = it.plan(engagement)
    assert (result.status, result.solver, result.objective_value) == (Status.OPTIMAL, "cbc", 11.0)


def test_race_stops_the_loser_and_keeps_the_tightest_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hard engagement at a short limit: both racers return by the limit, the plan verifies."""
    monkeypatch.setattr(portfolio.os, "cpu_count", lambda: 2)
    engagement = it.generate(200, seed=1, skills=8)
    result = it.plan(engagement, time_limit=3)
    assert result.status.has_plan
    assert it.verify(result, result.engagement) == ()
    assert result.seconds < 3 + 10  # the limit plus the build, never both solvers in turn
    assert "best of" in result.message or "raced" in result.message


@pytest.mark.parametrize("given", [False, True])
def test_in_a_race_cpsat_starts_from_the_greedy_roadmap_and_highs_from_nothing(
    given: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a start CP-SAT gets the greedy roadmap as its hint and HiGHS no start; a
    start the caller gives goes to both. The proof and the settled plan do not change."""
    monkeypatch.setattr(portfolio.os, "cpu_count", lambda: 2)
    hints: list[object] = []
    starts: list[object] = []
    real_build, real_run = portfolio.build, portfolio.run

    def build(formulation: Any, start: Any = None) -> Any:
        hints.append(start)
        return real_build(formulation, start)

    def run(name: str, formulation: Any, settings: Any, start: Any = None, stop: Any = None) -> Any:
        starts.append(start)
        return real_run(name, formulation, settings, start, stop)

    monkeypatch.setattr(portfolio, "build", build)
    monkeypatch.setattr(portfolio, "run", run)
    engagement = it.generate(12, seed=2)
    reference = it.plan(engagement, solver="highs")
    prepared = prepare(engagement)
    formulation = formulate(prepared)
    assert portfolio.candidates(formulation, prepared.settings) == ("highs", "cpsat")
    given_start = dict(reference.schedule) if given else None
    solved = portfolio.solve_auto(formulation, prepared.settings, given_start)
    assert hints == [given_start if given else greedy_schedule(prepared)]
    assert starts == [given_start]
    assert solved.status == Status.OPTIMAL
    assert solved.incumbent == pytest.approx(reference.objective_value)
    assert it.plan(engagement).schedule == reference.schedule


def test_pick_prefers_a_proof_then_the_best_incumbent() -> None:
    proof = Solution(status=Status.OPTIMAL, solver="cpsat", incumbent=5.0, bound=5.0)
    better = Solution(status=Status.FEASIBLE, solver="highs", incumbent=6.0, bound=9.0)
    worse = Solution(status=Status.FEASIBLE, solver="cpsat", incumbent=4.0, bound=7.0)
    assert portfolio._pick([better, proof], maximize=True).solver == "cpsat"
    chosen = portfolio._pick([worse, better], maximize=True)
    assert (chosen.solver, chosen.incumbent, chosen.bound) == ("highs", 6.0, 7.0)


def test_a_bound_that_meets_the_value_is_a_proof() -> None:
    """The solver said feasible (it stopped at a limit), but its bound equals the value."""
    prepared = prepare(it.generate(6, seed=4), solver="highs")
    formulation = formulate(prepared)
    solved = solve(formulation)
    assert solved.status == Status.OPTIMAL
    stopped = attrs.evolve(solved, status=Status.FEASIBLE, bound=solved.incumbent)
    assert decode(prepared, formulation, stopped).status == Status.OPTIMAL
    loose = attrs.evolve(stopped, bound=(solved.incumbent or 0.0) + 10.0)
    assert decode(prepared, formulation, loose).status == Status.FEASIBLE


def test_cli_json_without_timings_is_byte_identical() -> None:
    command = [
        sys.executable,
        "-c",
        "import sys; from itstrat_engine.cli import main; sys.exit(main())",
        "plan",
        str(EXAMPLES / "dental-group.toml"),
        "--format",
        "json",
        "--no-timings",
    ]
    outputs = [subprocess.run(command, capture_output=True, check=True).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["seconds"] == 0.0
    assert data["timings"] == {}
    assert data["message"] == "optimal (proven)"


@pytest.mark.parametrize("backend", ["highs", "cpsat"])
def test_a_racer_stops_when_told(backend: str) -> None:
    """The stop event of a race ends a long solve within moments, keeping its incumbent."""
    prepared = prepare(it.generate(300, seed=1, skills=8), time_limit=120, solver=backend)  # type: ignore[arg-type]
    formulation = formulate(prepared)
    if backend == "cpsat":
        formulation_solver = cpsat.build(formulation)
    stop = threading.Event()
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    started = time.perf_counter()
    if backend == "cpsat":
        solution = cpsat.solve_built(formulation_solver, prepared.settings, stop)
    else:
        solution = run(backend, formulation, prepared.settings, stop=stop)
    timer.cancel()
    assert time.perf_counter() - started < 30  # far below the 120 s limit
    assert solution.status in {Status.FEASIBLE, Status.NO_SOLUTION, Status.OPTIMAL}


def test_auto_gives_large_models_to_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(portfolio, "RACE_MAX_STARTS", 10)
    prepared = prepare(it.generate(6, seed=1))
    assert portfolio.candidates(formulate(prepared), prepared.settings) == ("highs",)


def test_highs_runs_whatever_thread_count_came_before() -> None:
    """HiGHS sizes one scheduler per process: a later solve with another thread count used
    to fail without running (kNotset, reported as no solution)."""
    e = it.generate(8, seed=3)
    for threads in (2, 1, None, 3, 1):
        result = it.plan(e, threads=threads, solver="highs")
        assert result.status == it.Status.OPTIMAL, (threads, result.message)
