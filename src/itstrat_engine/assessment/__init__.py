"""Steps 1 and 2 of the method: objective weights and the current state.

One function per step, each returning frozen results, and `assess` for all of them:

- `objective_weights`: direct, equal or AHP pairwise weights, cascaded to IT objectives;
- `aggregate_survey` (with `read_survey_csv` / `parse_survey_csv` for CSV answers):
  importance, satisfaction, gap, priority and quadrant per service, departments, overall;
- `maturity_gaps`: target - current maturity per service or capability;
- `derive_issues`: the worst survey results and maturity gaps as issues, with provenance,
  merged with the hand-written ones;
- `alignment`: objectives x initiatives coverage, unserved objectives, cost shares,
  high-priority services nothing addresses.

This package imports only the model, errors, io and graph layers.
"""

from itstrat_engine.assessment.coverage import (
    Alignment,
    Contribution,
    InitiativeAlignment,
    ObjectiveCoverage,
    UnaddressedService,
    alignment,
)
from itstrat_engine.assessment.issues import (
    MIN_MATURITY_GAP,
    MIN_PRIORITY,
    Answer,
    DerivedIssues,
    Provenance,
    derive_issues,
)
from itstrat_engine.assessment.maturity import MaturityGap, MaturityResult, maturity_gaps
from itstrat_engine.assessment.overall import Assessment, assess
from itstrat_engine.assessment.survey import (
    DepartmentScore,
    DepartmentSummary,
    ServiceScore,
    SurveyResult,
    aggregate_survey,
)
from itstrat_engine.assessment.survey_csv import parse_survey_csv, read_survey_csv
from itstrat_engine.assessment.weights import (
    EIGEN_TOLERANCE,
    RANDOM_INDEX,
    Weights,
    objective_weights,
)

__all__ = [
    "EIGEN_TOLERANCE",
    "MIN_MATURITY_GAP",
    "MIN_PRIORITY",
    "RANDOM_INDEX",
    "Alignment",
    "Answer",
    "Assessment",
    "Contribution",
    "DepartmentScore",
    "DepartmentSummary",
    "DerivedIssues",
    "InitiativeAlignment",
    "MaturityGap",
    "MaturityResult",
    "ObjectiveCoverage",
    "Provenance",
    "ServiceScore",
    "SurveyResult",
    "UnaddressedService",
    "Weights",
    "aggregate_survey",
    "alignment",
    "assess",
    "derive_issues",
    "maturity_gaps",
    "objective_weights",
    "parse_survey_csv",
    "read_survey_csv",
]
