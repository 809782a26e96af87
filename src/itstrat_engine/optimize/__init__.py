"""Step 3, planning: choose the portfolio and its sequence by MILP, verify it, explain failure.

Only this package imports PuLP, and only when `plan` is first used: importing
``itstrat_engine`` stays light (PuLP probes its solvers on import).
"""

from typing import TYPE_CHECKING, Any

from itstrat_engine.optimize.result import (
    Finding,
    PeriodUse,
    Plan,
    ScheduledInitiative,
    SkillUse,
    Status,
)
from itstrat_engine.optimize.verify import verify

if TYPE_CHECKING:
    from itstrat_engine.optimize.planner import plan

__all__ = [
    "Finding",
    "PeriodUse",
    "Plan",
    "ScheduledInitiative",
    "SkillUse",
    "Status",
    "plan",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name == "plan":
        from itstrat_engine.optimize.planner import plan  # noqa: PLC0415 - loads PuLP on first use

        return plan
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
