r"""Step 4, execution: progress files, re-planning from where things stand, earned value.

>>> from itstrat_engine.execution import loads_progress
>>> loads_progress('[progress]\nas_of = "2027-Q2"\n').as_of
'2027-Q2'
"""

from itstrat_engine.execution.earned_value import (
    AMBER_BELOW,
    RED_BELOW,
    BenefitRow,
    EarnedValue,
    StatusReport,
    rag,
    status,
)
from itstrat_engine.execution.progress import (
    STATUSES,
    BenefitActual,
    InitiativeProgress,
    InvalidProgressError,
    Progress,
    Spend,
    check_progress,
    load_progress,
    loads_progress,
    progress_from_dict,
)
from itstrat_engine.execution.replanning import (
    Reason,
    Remainder,
    Replan,
    StabilityCurve,
    StabilityPoint,
    disruption,
    remainder,
    replan,
    stability_curve,
)

__all__ = [
    "AMBER_BELOW",
    "RED_BELOW",
    "STATUSES",
    "BenefitActual",
    "BenefitRow",
    "EarnedValue",
    "InitiativeProgress",
    "InvalidProgressError",
    "Progress",
    "Reason",
    "Remainder",
    "Replan",
    "Spend",
    "StabilityCurve",
    "StabilityPoint",
    "StatusReport",
    "check_progress",
    "disruption",
    "load_progress",
    "loads_progress",
    "progress_from_dict",
    "rag",
    "remainder",
    "replan",
    "stability_curve",
    "status",
]
