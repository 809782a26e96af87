"""itstrat_engine: turn an IT strategy engagement into a defensible, optimal roadmap.

The public API, in the order of the method:

- read an engagement: `load`, `loads`, `from_dict` (and `dump`, `dumps`, `to_dict` back);
- check it and trace it to the business: `validate`, `check`, `StrategyGraph`;
- make test data: `generate`.

>>> import itstrat_engine as it
>>> engagement = it.generate(12, seed=1)
>>> [p for p in it.validate(engagement) if p.severity == "error"]
[]
>>> it.loads(it.dumps(engagement)) == engagement
True
"""

from importlib import metadata as _metadata

from itstrat_engine.errors import (
    DependencyCycleError,
    InvalidEngagementError,
    InvalidValueError,
    ItstratError,
    Problem,
    UnreadableFileError,
)
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
    PlanSettings,
    Response,
    Scope,
    Service,
    Survey,
)
from itstrat_engine.synthetic import generate

try:
    __version__ = _metadata.version("itstrat-engine")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Capacity",
    "Contractor",
    "DependencyCycleError",
    "Engagement",
    "Group",
    "Initiative",
    "InvalidEngagementError",
    "InvalidValueError",
    "Issue",
    "ItstratError",
    "Objective",
    "Pairwise",
    "PlanSettings",
    "Problem",
    "Response",
    "Scope",
    "Service",
    "StrategyGraph",
    "Survey",
    "UnreadableFileError",
    "__version__",
    "check",
    "dump",
    "dumps",
    "from_dict",
    "generate",
    "load",
    "loads",
    "to_dict",
    "validate",
]
