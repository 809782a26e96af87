"""The research toolkit: compare rule packs, test a roadmap's robustness, run batch studies.

- `compare_rules`: rankings (Kendall tau-b, weighted tau, Spearman rho, top-k overlap) and
  plans (portfolio Jaccard, start shifts, a regret matrix) of several rule sets;
- `sensitivity`: seeded Monte Carlo over estimate ranges, pack params and objective
  weights: inclusion probabilities with Wilson intervals, core / borderline / exterior,
  start distributions, value quantiles, a one-at-a-time tornado;
- `run_study`: scenarios as plain data through any `concurrent.futures.Executor`, error
  rows, JSON lines in scenario order, resume;
- `group_weights`: several stakeholders' AHP matrices combined by the geometric mean of
  judgments (eigenvector or row geometric mean, each one's consistency against a settable
  threshold); `weight_stability`: how far each weight moves before the top-k changes;
- `rank_metrics`: the rank correlations on their own (numpy only).

The how-to is ``docs/research.md``.
"""

from itstrat_engine.research.group_weights import (
    GroupWeights,
    Judge,
    JudgeConsistency,
    WeightStability,
    group_weights,
    load_judges,
    weight_stability,
    with_weights,
)
from itstrat_engine.research.rank_metrics import (
    kendall_tau_b,
    spearman_rho,
    top_k_overlap,
    weighted_tau,
)
from itstrat_engine.research.rule_comparison import (
    PlanAgreement,
    RankAgreement,
    Regret,
    RuleComparison,
    RuleSet,
    compare_rules,
    rule_set,
)
from itstrat_engine.research.sensitivity import (
    Inclusion,
    Range,
    Sensitivity,
    TornadoBar,
    Uncertainty,
    load_uncertainty,
    sensitivity,
    uncertainty_from_dict,
    wilson_interval,
)
from itstrat_engine.research.studies import (
    Study,
    StudyResults,
    StudyScenario,
    done_ids,
    load_study,
    row_line,
    run_scenario,
    run_study,
    study_from_dict,
)

__all__ = [
    "GroupWeights",
    "Inclusion",
    "Judge",
    "JudgeConsistency",
    "PlanAgreement",
    "Range",
    "RankAgreement",
    "Regret",
    "RuleComparison",
    "RuleSet",
    "Sensitivity",
    "Study",
    "StudyResults",
    "StudyScenario",
    "TornadoBar",
    "Uncertainty",
    "WeightStability",
    "compare_rules",
    "done_ids",
    "group_weights",
    "kendall_tau_b",
    "load_judges",
    "load_study",
    "load_uncertainty",
    "row_line",
    "rule_set",
    "run_scenario",
    "run_study",
    "sensitivity",
    "spearman_rho",
    "study_from_dict",
    "top_k_overlap",
    "uncertainty_from_dict",
    "weight_stability",
    "weighted_tau",
    "wilson_interval",
    "with_weights",
]
