"""Steps 1 and 2 of the method: objective weights and the current state."""

from itstrat_engine.assess.survey import (
    DepartmentScore,
    ServiceScore,
    SurveyResult,
    aggregate_survey,
)
from itstrat_engine.assess.weights import RANDOM_INDEX, Weights, objective_weights

__all__ = [
    "RANDOM_INDEX",
    "DepartmentScore",
    "ServiceScore",
    "SurveyResult",
    "Weights",
    "aggregate_survey",
    "objective_weights",
]
