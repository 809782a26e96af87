"""itstrat_engine: turn an IT strategy engagement into a defensible, optimal roadmap.

The public API, in the order of the method:

- read an engagement: `load`, `loads`, `from_dict` (and `dump`, `dumps`, `to_dict` back);
- check it and trace it to the business: `validate`, `check`, `StrategyGraph`;
- make test data: `generate`; check the optimizer against public benchmarks with proven
  optima: `read_mknap` and `knapsack_engagement` (OR-Library knapsack), `read_psplib` and
  `rcpsp_engagement` (PSPLIB project scheduling), `load_optima`;
- plan (step 3): `plan` chooses and sequences the initiatives by MILP and returns a `Plan`
  with an honest `Status`; `verify` rechecks any plan against the engagement;
- prioritize with declarative rule packs: `prioritize` (with `load_pack`, `builtin_packs`),
  which returns a `Prioritization` whose `apply` feeds the optimizer;
- assess the current state (steps 1 and 2): `objective_weights`, `aggregate_survey`
  (`read_survey_csv` for CSV answers), `maturity_gaps`, `derive_issues`, `alignment`, or
  all at once with ``itstrat_engine.assess.assess``, which returns an `Assessment`.

>>> import itstrat_engine as it
>>> engagement = it.generate(12, seed=1)
>>> [p for p in it.validate(engagement) if p.severity == "error"]
[]
>>> it.loads(it.dumps(engagement)) == engagement
True
"""

from importlib import metadata as _metadata
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from itstrat_engine.assess import (
    Alignment,
    Assessment,
    DerivedIssues,
    MaturityResult,
    ServiceScore,
    SurveyResult,
    Weights,
    aggregate_survey,
    alignment,
    derive_issues,
    maturity_gaps,
    objective_weights,
    read_survey_csv,
)
from itstrat_engine.errors import (
    DependencyCycleError,
    GateConflictError,
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    Problem,
    RuleError,
    RuleEvaluationError,
    UnreadableFileError,
)
from itstrat_engine.graph import StrategyGraph, check, validate
from itstrat_engine.instances import (
    InstanceError,
    KnapsackInstance,
    RcpspInstance,
    RcpspJob,
    knapsack_engagement,
    load_optima,
    rcpsp_engagement,
    read_mknap,
    read_psplib,
)
from itstrat_engine.io import dump, dumps, from_dict, load, loads, to_dict
from itstrat_engine.model import (
    Capacity,
    Contractor,
    Engagement,
    Group,
    Initiative,
    Issue,
    Objective,
    Pairwise,
    PlanSettings,
    Response,
    Scope,
    Service,
    Survey,
)
from itstrat_engine.optimize import (
    Finding,
    PeriodUse,
    Plan,
    ScheduledInitiative,
    SkillUse,
    Status,
    verify,
)
from itstrat_engine.rules import Pack, Prioritization, builtin_packs, load_pack, prioritize
from itstrat_engine.synthetic import generate

if _TYPE_CHECKING:
    from itstrat_engine.optimize.planner import plan


def __getattr__(name: str) -> _Any:
    # `plan` loads PuLP (which probes its solvers on import) on first use, not on import.
    if name == "plan":
        from itstrat_engine.optimize.planner import plan  # noqa: PLC0415

        return plan
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


try:
    __version__ = _metadata.version("itstrat-engine")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Alignment",
    "Assessment",
    "Capacity",
    "Contractor",
    "DependencyCycleError",
    "DerivedIssues",
    "Engagement",
    "Finding",
    "GateConflictError",
    "Group",
    "Initiative",
    "InstanceError",
    "InvalidEngagementError",
    "InvalidValueError",
    "Issue",
    "ItstratError",
    "KnapsackInstance",
    "MaturityResult",
    "Objective",
    "Pack",
    "Pairwise",
    "PeriodUse",
    "Plan",
    "PlanSettings",
    "Prioritization",
    "Problem",
    "RcpspInstance",
    "RcpspJob",
    "Response",
    "RuleError",
    "RuleEvaluationError",
    "ScheduledInitiative",
    "Scope",
    "Service",
    "ServiceScore",
    "SkillUse",
    "Status",
    "StrategyGraph",
    "Survey",
    "SurveyResult",
    "UnreadableFileError",
    "Weights",
    "__version__",
    "aggregate_survey",
    "alignment",
    "builtin_packs",
    "check",
    "derive_issues",
    "dump",
    "dumps",
    "from_dict",
    "generate",
    "knapsack_engagement",
    "load",
    "load_optima",
    "load_pack",
    "loads",
    "maturity_gaps",
    "objective_weights",
    "plan",
    "prioritize",
    "rcpsp_engagement",
    "read_mknap",
    "read_psplib",
    "read_survey_csv",
    "to_dict",
    "validate",
    "verify",
]
