"""The whole assessment in one call, and its plain-data form."""

import json
from pathlib import Path
from typing import Any

import pytest

import itstrat_engine as it
from itstrat_engine.assessment import assess

EXAMPLES = Path(__file__).parent.parent / "examples"


def engagement(**extra: Any) -> it.Engagement:
    data: dict[str, Any] = {
        "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
        "objective": [{"id": "grow", "name": "Grow"}],
        "service": [
            {"id": "crm", "name": "CRM", "current": 1, "target": 4},
            {"id": "mail", "name": "Mail"},
        ],
        "survey": {"min_responses": 2},
        "response": [
            {"stakeholder": "Ann", "importance": {"crm": 9, "mail": 5}, "satisfaction": {"crm": 3}},
            {"stakeholder": "Bob", "importance": {"crm": 8}, "satisfaction": {"crm": 4}},
        ],
    }
    return it.from_dict(data | extra)


def test_assess_bundles_every_step() -> None:
    """One call gives weights, survey, maturity, derived issues and alignment."""
    result = assess(engagement())
    assert result.client == "Acme"
    assert result.weights.weights == {"grow": 1.0}
    assert result.survey is not None
    assert result.survey.score("crm").importance_answers == 2
    assert result.maturity.unrated == ("mail",)
    assert [i.id for i in result.derived_issues.issues] == ["svc-crm"]
    assert result.alignment.unserved == ("grow",)


def test_warnings_name_thin_services_and_repeated_stakeholders() -> None:
    """Too few answers and a stakeholder answering twice are warnings, located."""
    e = engagement()
    result = assess(e, (*e.responses, e.responses[0]))
    assert [str(w) for w in result.warnings] == [
        "service[1]: too few answers for 'mail' to trust its figures: got 0 answers, "
        "expected at least 2 ([survey].min_responses); ask more stakeholders who use it",
        "response: Ann answered the survey 2 times; every answer counts; keep one response per "
        "stakeholder (check the CSV against the file)",
    ]
    assert {w.severity for w in result.warnings} == {"warning"}


def test_no_responses_is_a_warning_not_an_error() -> None:
    """Without responses the survey is None and maturity still drives the issues."""
    result = assess(engagement(response=[]))
    assert result.survey is None
    assert [w.code for w in result.warnings] == ["no-survey"]
    assert [i.id for i in result.derived_issues.issues] == ["svc-crm"]


def test_inconsistent_pairwise_judgments_warn() -> None:
    """The weights' consistency warning is part of the assessment's warnings."""
    objectives = [{"id": k, "name": k} for k in "abc"]
    pairwise = {"objectives": list("abc"), "matrix": [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]]}
    result = assess(engagement(objective=objectives, pairwise=pairwise))
    assert result.warnings[0].code == "inconsistent-judgments"


def test_thresholds_reach_derived_issues_and_alignment() -> None:
    """min_priority and min_maturity_gap are passed through."""
    result = assess(engagement(), min_priority=0.99, min_maturity_gap=4)
    assert result.derived_issues.provenance == ()
    assert result.alignment.high_priority == ()  # crm is in the keep quadrant
    assert assess(engagement(), min_priority=0.0).alignment.high_priority == ("crm",)


def test_as_dict_is_plain_json_with_a_fixed_key_order() -> None:
    """as_dict gives JSON-ready data, the same on every call, keys in a fixed order."""
    data = assess(engagement()).as_dict()
    assert list(data) == [
        "client",
        "weights",
        "survey",
        "maturity",
        "derived_issues",
        "alignment",
        "warnings",
    ]
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert json.dumps(assess(engagement()).as_dict()) == text
    assert "merged" not in data["derived_issues"]
    assert data["derived_issues"]["provenance"][0]["new"] is True
    assert data["derived_issues"]["issues"][0]["id"] == "svc-crm"
    assert data["alignment"]["aligned_share"] is None
    assert data["survey"]["services"][0]["service"] == "crm"
    assert data["warnings"][0]["code"] == "few-answers"


def test_invalid_survey_raises_the_located_error() -> None:
    """Bad answers stop the assessment with the survey's own problems."""
    e = engagement()
    with pytest.raises(it.InvalidEngagementError, match="outside the scale"):
        assess(e, [it.Response(stakeholder="Ann", importance={"crm": 42})])


def test_dental_example_tells_its_story() -> None:
    """On the sample client: urgent services are in the fix quadrant and all are addressed."""
    e = it.load(EXAMPLES / "dental-group.toml")
    result = assess(e)
    assert result.survey is not None
    assert result.survey.responses >= 15
    assert len(result.survey.department_summary) >= 4
    top = [s.service for s in result.survey.services[:3]]
    assert {s.quadrant for s in result.survey.services[:3]} == {"fix"}
    assert "email" not in top
    assert result.maturity.gaps[0].gap >= 2
    assert result.alignment.unserved == ()
    assert result.alignment.aligned_share is not None
    assert result.alignment.aligned_share > 0.8
    json.dumps(result.as_dict(), allow_nan=False)


def test_assess_imports_only_earlier_layers() -> None:
    """The assess package imports the model, errors, io and graph layers and nothing later."""
    import ast

    import itstrat_engine.assessment as package

    allowed = ("itstrat_engine.assessment", "itstrat_engine.model", "itstrat_engine.errors")
    allowed += ("itstrat_engine.io", "itstrat_engine.graph")
    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if name.startswith("itstrat_engine"):
                    assert name.startswith(allowed), f"{path.name} imports {name}"
                assert not name.startswith(("pulp", "highspy", "networkx")), f"{path.name}: {name}"
