"""itstrat_engine: turn an IT strategy engagement into a defensible, optimal roadmap.

The public API, in the order of the method:

- read an engagement: `load`, `loads`, `from_dict` (and `dump`, `dumps`, `to_dict` back);
  `load` also reads Excel workbooks and CSV files; `write_engagement` writes any format,
  `convert` converts between them, `to_xlsx` makes a workbook and `template` is an example
  engagement to start from;
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
- hand it to the client: `client_report` plans, assesses and (when asked) explains,
  sweeps the frontier and compares scenarios, returning a `ClientReport` (`build_report`
  makes one from results you already have); `write_report` writes it as HTML, Markdown,
  Excel or PDF by the file's suffix (the ``report``, ``excel`` and ``pdf`` extras);
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
from itstrat_engine.conversion import convert, template, write_engagement
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
from itstrat_engine.execution import (
    Progress,
    Replan,
    load_progress,
    loads_progress,
    replan,
    stability_curve,
    status,
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
from itstrat_engine.report.client import build_report
from itstrat_engine.report.client import report as client_report
from itstrat_engine.report.document import ClientReport
from itstrat_engine.report.output import write_report
from itstrat_engine.research import (
    RuleSet,
    Study,
    Uncertainty,
    compare_rules,
    load_study,
    run_study,
    sensitivity,
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
from itstrat_engine.workbook import to_xlsx

if _TYPE_CHECKING:
    from itstrat_engine.explanations import explain
    from itstrat_engine.optimize.planner import plan
    from itstrat_engine.unlocks import cheapest_mix, limits

# These load PuLP (which probes its solvers on import) on first use, not on import.
_LAZY = {
    "plan": "itstrat_engine.optimize.planner",
    "explain": "itstrat_engine.explanations",
    "limits": "itstrat_engine.unlocks",
    "cheapest_mix": "itstrat_engine.unlocks",
}


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        import importlib  # noqa: PLC0415

        return getattr(importlib.import_module(_LAZY[name]), name)
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
    "ClientReport",
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
    "Progress",
    "Replan",
    "Response",
    "RuleError",
    "RuleEvaluationError",
    "RuleSet",
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
    "Study",
    "Survey",
    "SurveyResult",
    "Timing",
    "Uncertainty",
    "UnreadableFileError",
    "UnwritableFileError",
    "Weights",
    "WhatIf",
    "__version__",
    "aggregate_survey",
    "alignment",
    "apply_scenario",
    "assess",
    "build_report",
    "builtin_packs",
    "cheapest_mix",
    "check",
    "client_report",
    "compare",
    "compare_rules",
    "convert",
    "derive_issues",
    "dump",
    "dumps",
    "explain",
    "from_dict",
    "frontier",
    "generate",
    "limits",
    "load",
    "load_pack",
    "load_plan",
    "load_progress",
    "load_scenario",
    "load_study",
    "loads",
    "loads_pack",
    "loads_plan",
    "loads_progress",
    "loads_scenario",
    "maturity_gaps",
    "objective_weights",
    "pack_from_dict",
    "pareto",
    "plan",
    "prioritize",
    "read_survey_csv",
    "replan",
    "run_study",
    "scenario_from_dict",
    "sensitivity",
    "stability_curve",
    "status",
    "template",
    "to_dict",
    "to_xlsx",
    "validate",
    "verify",
    "what_if",
    "write_engagement",
    "write_report",
]
