"""itstrat_engine: turn an IT strategy engagement into a defensible, optimal roadmap.

The public API, in the order of the method:

- read an engagement: `load`, `loads`, `from_dict` (and `dump`, `dumps`, `to_dict` back);
- check it and trace it to the business: `validate`, `check`, `StrategyGraph`;
- make test data: `generate` (public benchmarks with proven optima are read by
  ``itstrat_engine.instances``);
- plan (step 3): `plan` chooses and sequences the initiatives by MILP and returns a `Plan`
  with an honest `Status`; `verify` rechecks any plan against the engagement; `load_plan`
  and `loads_plan` read a plan file back, verified. The steps of `plan` (`prepare`,
  `formulate`, `solve`, `decode`) are in ``itstrat_engine.optimize``;
- prioritize with declarative rule packs: `prioritize` (with `load_pack`, `builtin_packs`),
  which returns a `Prioritization` whose `apply` feeds the optimizer;
- ask what if: `load_scenario` reads a scenario (a patch over an engagement),
  `apply_scenario` applies it, `what_if` plans the base and each scenario and attributes
  every difference to a change; `compare` sets any plans side by side; `explain` says why
  each initiative is in the roadmap or out of it, with proven costs of forcing; `frontier`
  gives every step of value against budget, proven, with the greedy ranking curve beside it;
- assess the current state (steps 1 and 2): `objective_weights`, `aggregate_survey`
  (`read_survey_csv` for CSV answers), `maturity_gaps`, `derive_issues`, `alignment`, or
  all at once with `assess`, which returns an `Assessment`.

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

from itstrat_engine.assessment import (
    Alignment,
    Assessment,
    DerivedIssues,
    MaturityResult,
    ServiceScore,
    SurveyResult,
    Weights,
    aggregate_survey,
    alignment,
    assess,
    derive_issues,
    maturity_gaps,
    objective_weights,
    read_survey_csv,
)
from itstrat_engine.comparison import Comparison, compare
from itstrat_engine.errors import (
    DependencyCycleError,
    GateConflictError,
    InvalidEngagementError,
    InvalidPlanError,
    InvalidValueError,
    ItstratError,
    Problem,
    RuleError,
    RuleEvaluationError,
    UnreadableFileError,
    UnwritableFileError,
)
from itstrat_engine.frontiers import Frontier, frontier
from itstrat_engine.graph import StrategyGraph, check, validate
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
    PlanObjective,
    PlanSettings,
    Response,
    Scope,
    Service,
    SolverName,
    Survey,
    Timing,
)
from itstrat_engine.optimize import (
    Finding,
    PeriodUse,
    Plan,
    ScheduledInitiative,
    SelectedInitiative,
    SkillUse,
    Status,
    load_plan,
    loads_plan,
    verify,
)
from itstrat_engine.rules import (
    Pack,
    Prioritization,
    builtin_packs,
    load_pack,
    loads_pack,
    pack_from_dict,
    prioritize,
)
from itstrat_engine.scenarios import (
    Scenario,
    WhatIf,
    apply_scenario,
    load_scenario,
    loads_scenario,
    scenario_from_dict,
    what_if,
)
from itstrat_engine.synthetic import generate

if _TYPE_CHECKING:
    from itstrat_engine.explanations import explain
    from itstrat_engine.optimize.planner import plan


def __getattr__(name: str) -> _Any:
    # `plan` loads PuLP (which probes its solvers on import) on first use, not on import.
    if name == "plan":
        from itstrat_engine.optimize.planner import plan  # noqa: PLC0415

        return plan
    if name == "explain":
        from itstrat_engine.explanations import explain  # noqa: PLC0415

        return explain
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
    "Comparison",
    "Contractor",
    "DependencyCycleError",
    "DerivedIssues",
    "Engagement",
    "Finding",
    "Frontier",
    "GateConflictError",
    "Group",
    "Initiative",
    "InvalidEngagementError",
    "InvalidPlanError",
    "InvalidValueError",
    "Issue",
    "ItstratError",
    "MaturityResult",
    "Objective",
    "Pack",
    "Pairwise",
    "PeriodUse",
    "Plan",
    "PlanObjective",
    "PlanSettings",
    "Prioritization",
    "Problem",
    "Response",
    "RuleError",
    "RuleEvaluationError",
    "Scenario",
    "ScheduledInitiative",
    "Scope",
    "SelectedInitiative",
    "Service",
    "ServiceScore",
    "SkillUse",
    "SolverName",
    "Status",
    "StrategyGraph",
    "Survey",
    "SurveyResult",
    "Timing",
    "UnreadableFileError",
    "UnwritableFileError",
    "Weights",
    "WhatIf",
    "__version__",
    "aggregate_survey",
    "alignment",
    "apply_scenario",
    "assess",
    "builtin_packs",
    "check",
    "compare",
    "derive_issues",
    "dump",
    "dumps",
    "explain",
    "from_dict",
    "frontier",
    "generate",
    "load",
    "load_pack",
    "load_plan",
    "load_scenario",
    "loads",
    "loads_pack",
    "loads_plan",
    "loads_scenario",
    "maturity_gaps",
    "objective_weights",
    "pack_from_dict",
    "plan",
    "prioritize",
    "read_survey_csv",
    "scenario_from_dict",
    "to_dict",
    "validate",
    "verify",
    "what_if",
]
