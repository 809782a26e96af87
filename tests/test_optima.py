"""External truth: the planner reaches proven optima of public benchmarks through its API.

OR-Library multidimensional knapsacks (portfolio selection) and PSPLIB j30 project
scheduling (sequencing under skill capacity), both with proven optima listed in the shared
``optima.csv`` files. Every plan must be proven optimal, equal to the published optimum and
pass `verify`. The data is read from ``../shared/benchdata`` (or ``ITSTRAT_BENCHDATA``);
without it these tests skip. The mknapcb1 and j30 instances here are ones that solve in a
few seconds; ``benchmarks/optima_bench.py`` runs all of them.
"""

import os
from functools import cache
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine import instances

BENCHDATA = Path(
    os.environ.get("ITSTRAT_BENCHDATA")
    or Path(__file__).resolve().parents[2] / "shared" / "benchdata"
)
needs_data = pytest.mark.skipif(
    not BENCHDATA.is_dir(), reason=f"benchmark data not found in {BENCHDATA}"
)
SOLVERS = ["highs", "cbc", "cpsat", "auto"]
TIME_LIMIT = 120.0
# Quick to prove with both solvers (a few seconds each), across the three tightness classes.
MKNAPCB1 = [2, 11, 16, 17, 19, 20, 21, 22, 27, 28]
# Two where the serial heuristic already hits the optimum (a pure proof) and three where
# the solver must improve on it.
J30 = ["j3010_1", "j3040_1", "j301_1", "j3022_1", "j3027_1"]


@cache
def knapsacks(file: str) -> tuple[instances.KnapsackInstance, ...]:
    return instances.read_mknap(BENCHDATA / "mkp" / file)


@cache
def optima(family: str) -> dict[str, float]:
    return instances.load_optima(BENCHDATA / family / "optima.csv")


def assert_proven(engagement: it.Engagement, solver: str, optimum: float) -> it.Plan:
    plan = it.plan(engagement, solver=solver, gap=0.0, time_limit=TIME_LIMIT)
    assert plan.status == it.Status.OPTIMAL, plan.message
    assert plan.objective_value == pytest.approx(optimum, rel=1e-12, abs=1e-9)
    assert plan.gap == 0.0
    assert plan.engagement is not None
    assert it.verify(plan, plan.engagement) == ()
    return plan


@needs_data
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("index", range(1, 8))
def test_mknap1_optimum(index: int, solver: str) -> None:
    """All 7 Petersen problems reach their optimum, 8706.1 (non-integer) for problem 2."""
    instance = knapsacks("mknap1.txt")[index - 1]
    optimum = optima("mkp")[instance.name]
    assert optimum == instance.optimum
    plan = assert_proven(instances.knapsack_engagement(instance), solver, optimum)
    chosen = [int(item.id.removeprefix("item-")) - 1 for item in plan.selected]
    for row, capacity in zip(instance.weights, instance.capacities, strict=True):
        assert sum(row[j] for j in chosen) <= capacity
    assert sum(instance.profits[j] for j in chosen) == pytest.approx(optimum)


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("index", MKNAPCB1)
def test_mknapcb1_optimum(index: int, solver: str) -> None:
    """Chu-Beasley 100-item, 5-constraint problems reach the proven optimum."""
    instance = knapsacks("mknapcb1.txt")[index - 1]
    assert_proven(instances.knapsack_engagement(instance), solver, optima("mkp")[instance.name])


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("name", J30)
def test_j30_optimal_makespan(name: str, solver: str) -> None:
    """PSPLIB j30 instances reach the proven optimal makespan."""
    instance = instances.read_psplib(BENCHDATA / "rcpsp" / "j30" / f"{name}.sm")
    engagement = instances.rcpsp_engagement(instance)
    plan = assert_proven(engagement, solver, optima("rcpsp")[name])
    assert all(item.selected for item in plan.initiatives)


def test_tiny_rcpsp_by_hand() -> None:
    """A three-job project whose optimum is worked out by hand (no benchmark data needed)."""
    jobs = (
        instances.RcpspJob(number=1, duration=3, demands=(2,), successors=(3,)),
        instances.RcpspJob(number=2, duration=2, demands=(2,)),
        instances.RcpspJob(number=3, duration=1, demands=(1,)),
    )
    engagement = instances.rcpsp_engagement(
        instances.RcpspInstance(name="tiny", jobs=jobs, capacities=(3,))
    )
    # 1 and 2 cannot overlap; 1 first lets 3 run beside 2: makespan 5.
    for solver in SOLVERS:
        plan = assert_proven(engagement, solver, 5.0)
        assert plan.initiative("job-1").start == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_horizon_below_the_optimum_is_infeasible(solver: str) -> None:
    """One period less than the optimal makespan: infeasible, and the diagnosis names r1."""
    jobs = (
        instances.RcpspJob(number=1, duration=3, demands=(2,), successors=(3,)),
        instances.RcpspJob(number=2, duration=2, demands=(2,)),
        instances.RcpspJob(number=3, duration=1, demands=(1,)),
    )
    instance = instances.RcpspInstance(name="tiny", jobs=jobs, capacities=(3,))
    plan = it.plan(
        instances.rcpsp_engagement(instance, horizon=4), solver=solver, time_limit=TIME_LIMIT
    )
    assert plan.status == it.Status.INFEASIBLE
    assert any("r1" in finding.message for finding in plan.findings)
