"""``solver = "auto"``: choose a backend by the evidence, or race two on separate cores.

The evidence is `benchmarks/optima_bench.py` and `benchmarks/plan_bench.py`
(docs/performance.md): CP-SAT's native intervals and cumulative constraints prove
scheduling (makespan, skill capacity binding over time) far faster than the time-indexed
MILP, while HiGHS's LP bound is what closes value-selection problems with many budget rows.
Neither dominates, so on a machine with two or more cores and more than one thread allowed,
HiGHS and CP-SAT run at once, each in its own thread (both release the GIL while they
search); CP-SAT starts from the greedy roadmap unless the caller gives a start; the first
proof (optimal, or infeasible) stops the other, and without one the best incumbent wins
with the tightest bound either proved. Pure selection (no start period to
choose) goes to CBC alone, the fastest on the knapsack benchmarks. With one core,
``threads = 1`` (as each task of a batch study runs) or without the ``cpsat`` extra, one
backend is chosen: CP-SAT for makespan, HiGHS otherwise. When CP-SAT could only round the data (magnitudes
beyond 64-bit integers at full precision), its bound proves nothing and HiGHS runs alone.

Which backend wins may differ from run to run; a proven plan does not: `plan` settles it
by a deterministic second solve (`itstrat_engine.optimize.cpsat.settle`).
"""

import os
import threading
import time

import attrs

from itstrat_engine.model import PlanSettings
from itstrat_engine.optimize.contract import Schedule
from itstrat_engine.optimize.cpsat import available, build, solve_built
from itstrat_engine.optimize.formulation import Formulation
from itstrat_engine.optimize.heuristic import greedy_schedule
from itstrat_engine.optimize.result import Status
from itstrat_engine.optimize.solution import Solution, run

__all__ = ["RACE_MAX_STARTS", "candidates", "solve_auto"]

RACE_MAX_STARTS = 5000
"""Above this many start variables ``auto`` runs HiGHS alone with every core.

Measured on generated engagements: at 1000 initiatives (9,722 start variables) CP-SAT
alone is still 12.8% from its bound after 60 s while HiGHS reaches 1% in about 14 s, so
racing only takes a core and the model build away from HiGHS (14.5-21.7 s raced)."""


def candidates(formulation: Formulation, settings: PlanSettings) -> tuple[str, ...]:
    """The backends ``auto`` runs for this formulation on this machine.

    Makespan goes to CP-SAT alone when it is installed: it proves the scheduling
    benchmarks in a fraction of HiGHS's time and needs every core for its portfolio. Pure
    selection (no initiative has a choice of start: a one-period engagement, a knapsack)
    goes to CBC alone, which proved the multidimensional knapsack benchmarks 4-7 times
    faster than HiGHS or CP-SAT. Otherwise HiGHS and CP-SAT race when two cores and two
    threads are available and the model has at most `RACE_MAX_STARTS` start variables;
    larger models go to HiGHS alone.
    """
    has_cpsat = available()
    if has_cpsat and formulation.makespan is not None:
        return ("cpsat",)
    if all(len(options) <= 1 for options in formulation.starts.values()):
        return ("cbc",)  # pure selection: no start to choose
    small = len(formulation.x) <= RACE_MAX_STARTS
    if has_cpsat and small and (os.cpu_count() or 1) >= 2 and settings.threads != 1:
        return ("highs", "cpsat")
    return ("highs",)


def _proven(solution: Solution) -> bool:
    return solution.status in {Status.OPTIMAL, Status.INFEASIBLE}


def solve_auto(
    formulation: Formulation, settings: PlanSettings, start: Schedule | None = None
) -> Solution:
    """Run the `candidates`, racing them when there are two; the first proof wins."""
    names = candidates(formulation, settings)
    started = time.perf_counter()
    hint = start
    if hint is None and len(names) > 1:
        # In a race CP-SAT starts from the greedy roadmap (30 ms at 5000 start variables):
        # the dental example's median call fell from 1.56 to 1.10 s. HiGHS gets no start:
        # with one it missed 1% in 30 s on a generated engagement it proves in 22 s without.
        hint = greedy_schedule(formulation.prepared)
    built = build(formulation, hint) if "cpsat" in names else None  # PuLP is not threadsafe
    if built is not None and not built.model.exact:
        # Data CP-SAT could only round (extreme magnitudes): its bound would prove nothing.
        names = ("highs",)
    if names == ("cpsat",) and built is not None:
        return solve_built(built, settings)
    if len(names) == 1:
        return run(names[0], formulation, settings, start)
    threads = settings.threads or os.cpu_count() or 2
    cpsat_settings = attrs.evolve(settings, threads=max(1, threads - 1))
    stop = threading.Event()
    finished: dict[str, Solution] = {}
    lock = threading.Lock()

    def race(name: str) -> None:
        try:
            if name == "cpsat" and built is not None:
                solution = solve_built(built, cpsat_settings, stop)
            else:
                solution = run(name, formulation, attrs.evolve(settings, threads=1), start, stop)
        except Exception as error:  # noqa: BLE001 - a crashed racer must not lose the race
            solution = Solution(status=Status.ERROR, solver=name, message=f"{name} failed: {error}")
        with lock:
            finished[name] = solution
            if _proven(solution):
                stop.set()

    runners = [threading.Thread(target=race, args=(name,), daemon=True) for name in names]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    chosen = _pick(list(finished.values()), formulation.maximize)
    return attrs.evolve(chosen, seconds=time.perf_counter() - started)


def _pick(finished: list[Solution], maximize: bool) -> Solution:
    """The first proof, else the best incumbent; the tightest bound of all in either case.

    `finished` is in finishing order.
    """
    names = ", ".join(s.solver for s in finished)
    proofs = [s for s in finished if _proven(s)]
    if proofs:
        return attrs.evolve(proofs[0], message=f"{proofs[0].message}; raced {names}")
    with_plan = [s for s in finished if s.has_solution and s.incumbent is not None]
    if not with_plan:
        return attrs.evolve(finished[0], message="; ".join(s.message for s in finished))
    sign = 1.0 if maximize else -1.0
    winner = max(with_plan, key=lambda s: (sign * (s.incumbent or 0.0), s.solver))
    bounds = [s.bound for s in finished if s.bound is not None]
    bound = (min(bounds) if maximize else max(bounds)) if bounds else None
    return attrs.evolve(winner, bound=bound, message=f"{winner.message}; best of {names}")
