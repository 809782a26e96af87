"""Step 3, planning: choose the portfolio and its sequence by MILP, verify it, explain failure.

The seam every analysis re-solves through::

    prepare(engagement, ...) -> Prepared        check, score, gate, settle settings, presolve
    formulate(prepared) -> Formulation          the MILP, a handle on every row by RowKey
    solve(formulation, start=...) -> Solution   HiGHS or CBC, plain data, honest status
    decode(prepared, formulation, solution) -> Plan    pure; then verify(plan, engagement)

`plan` is those steps in one call. A budget sweep prepares and formulates once, then
changes right-hand sides and solves from the previous plan:

>>> import itstrat_engine as it
>>> from itstrat_engine.optimize import decode, formulate, prepare, solve
>>> prepared = prepare(it.generate(10, seed=5))
>>> formulation = formulate(prepared)
>>> values, start = [], None
>>> for budget in (40_000.0, 80_000.0, 160_000.0):
...     variant = prepared.with_capacity(budget=budget)
...     formulation.retarget(variant)
...     plan = decode(variant, formulation, solve(formulation, start=start))
...     assert plan.status.value == "optimal" and it.verify(plan, plan.engagement) == ()
...     values.append(plan.objective_value)
...     start = plan.schedule
>>> values == sorted(values)
True

Only this package imports PuLP, and only when a step that needs it is first used:
importing ``itstrat_engine`` stays light (PuLP probes its solvers on import).
"""

import importlib
from typing import TYPE_CHECKING, Any

from itstrat_engine.optimize.plan_file import load_plan, loads_plan
from itstrat_engine.optimize.preparation import Overrides, Prepared, StartOptions, prepare
from itstrat_engine.optimize.result import (
    FORMAT_VERSION,
    Finding,
    PeriodUse,
    Plan,
    ScheduledInitiative,
    SelectedInitiative,
    SkillUse,
    Status,
)
from itstrat_engine.optimize.verify import verify

if TYPE_CHECKING:
    from itstrat_engine.optimize.decoding import decode
    from itstrat_engine.optimize.formulation import Formulation, RowKey, formulate
    from itstrat_engine.optimize.planner import plan, plan_prepared
    from itstrat_engine.optimize.solution import Solution, solve

__all__ = [
    "FORMAT_VERSION",
    "Finding",
    "Formulation",
    "Overrides",
    "PeriodUse",
    "Plan",
    "Prepared",
    "RowKey",
    "ScheduledInitiative",
    "SelectedInitiative",
    "SkillUse",
    "Solution",
    "StartOptions",
    "Status",
    "decode",
    "formulate",
    "load_plan",
    "loads_plan",
    "plan",
    "plan_prepared",
    "prepare",
    "solve",
    "verify",
]

_LAZY = {
    "decode": "decoding",
    "Formulation": "formulation",
    "RowKey": "formulation",
    "formulate": "formulation",
    "plan": "planner",
    "plan_prepared": "planner",
    "Solution": "solution",
    "solve": "solution",
}


def __getattr__(name: str) -> Any:
    # The steps that need PuLP load it on first use, not on import.
    if name in _LAZY:
        module = importlib.import_module(f"itstrat_engine.optimize.{_LAZY[name]}")
        return getattr(module, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
