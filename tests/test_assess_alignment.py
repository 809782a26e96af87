"""Alignment: coverage matrix, scores, unserved objectives, cost shares, unaddressed services."""

from typing import Any

import pytest

import itstrat_engine as it
from itstrat_engine.assessment import UnaddressedService, aggregate_survey, alignment


def data(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "engagement": {"client": "c", "start": "2027-Q1", "periods": 8},
        "objective": [
            {"id": "grow", "name": "Grow", "weight": 5},
            {"id": "save", "name": "Save", "weight": 3},
            {"id": "comply", "name": "Comply", "weight": 2},
            {"id": "platform", "name": "Platform", "kind": "it", "supports": ["grow", "save"]},
            {"id": "lab", "name": "Lab", "kind": "it"},
        ],
        "service": [{"id": s, "name": s.title()} for s in ("crm", "wifi", "mail", "print", "fax")],
        "issue": [
            {
                "id": "slow-quotes",
                "name": "Slow quotes",
                "objectives": ["grow"],
                "services": ["crm"],
            },
            {"id": "outages", "name": "Outages", "objectives": ["platform"], "services": ["wifi"]},
            {"id": "paper-jams", "name": "Paper jams", "services": ["print"]},
        ],
        "initiative": [
            {
                "id": "crm",
                "name": "CRM",
                "cost": 100,
                "run_cost": 10,
                "addresses": {"slow-quotes": 0.5},
                "objectives": {"grow": 0.8},
            },
            {
                "id": "network",
                "name": "Network",
                "cost": 200,
                "run_cost": 20,
                "addresses": {"outages": 0.9},
            },
            {
                "id": "cloud",
                "name": "Cloud",
                "cost": 300,
                "objectives": {"platform": 0.6},
                "excludes": ["onprem"],
            },
            {
                "id": "onprem",
                "name": "On-prem",
                "cost": 250,
                "objectives": {"platform": 0.4},
                "excludes": ["cloud"],
            },
            {"id": "patch", "name": "Patching", "cost": 50, "run_cost": 5},
            {
                "id": "banned",
                "name": "Banned",
                "cost": 1000,
                "forbidden": True,
                "objectives": {"comply": 1.0},
            },
            {"id": "lab-work", "name": "Lab work", "cost": 30, "objectives": {"lab": 0.7}},
        ],
        "response": [
            {
                "stakeholder": s,
                "importance": {"crm": 9, "wifi": 9, "mail": 9, "print": 9, "fax": 2},
                "satisfaction": {"crm": 3, "wifi": 3, "mail": 3, "print": 3, "fax": 9},
            }
            for s in ("Ann", "Bob", "Cat")
        ],
    }
    return base | extra


def engagement(**extra: Any) -> it.Engagement:
    return it.from_dict(data(**extra))


def test_coverage_matrix_takes_the_strongest_path() -> None:
    """Cells: direct links, links through issues, and the IT-objective cascade, max per cell."""
    a = alignment(engagement())
    assert a.objectives == ("grow", "save", "comply", "platform", "lab")
    assert a.initiatives == ("crm", "network", "cloud", "onprem", "patch", "banned", "lab-work")
    assert a.matrix == (
        (0.8, 0.9, 0.6, 0.4, 0.0, 0.0, 0.0),
        (0.0, 0.9, 0.6, 0.4, 0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
        (0.0, 0.9, 0.6, 0.4, 0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.7),
    )
    assert a.cell("grow", "crm") == 0.8
    with pytest.raises(KeyError):
        a.cell("grow", "nothing")


def test_contribution_paths_explain_each_cell() -> None:
    """Each non-empty cell keeps the paths that make it."""
    a = alignment(engagement())
    grow_crm = next(c for c in a.contributions if (c.objective, c.initiative) == ("grow", "crm"))
    assert grow_crm.paths == (
        ("initiative:crm", "issue:slow-quotes", "objective:grow"),
        ("initiative:crm", "objective:grow"),
    )
    lab = next(c for c in a.contributions if c.objective == "lab")
    assert (lab.initiative, lab.strength, lab.paths) == (
        "lab-work",
        0.7,
        (("initiative:lab-work", "objective:lab"),),
    )


def test_alignment_scores_weigh_business_objectives() -> None:
    """Score = sum of normalized business weight x strength."""
    scores = {r.initiative: r.score for r in alignment(engagement()).by_initiative}
    assert scores == pytest.approx(
        {
            "crm": 0.5 * 0.8,
            "network": 0.5 * 0.9 + 0.3 * 0.9,
            "cloud": 0.8 * 0.6,
            "onprem": 0.8 * 0.4,
            "patch": 0.0,
            "banned": 0.2,
            "lab-work": 0.0,
        }
    )


def test_unserved_objectives_ignore_forbidden_initiatives() -> None:
    """Comply is served only by a forbidden initiative, so it counts as unserved."""
    a = alignment(engagement())
    assert a.unserved == ("comply",)
    coverage = {c.objective: c for c in a.coverage}
    assert coverage["grow"].initiatives == ("network", "crm", "cloud", "onprem")
    assert coverage["grow"].strength == 0.9
    assert coverage["grow"].weight == 0.5
    assert coverage["comply"].initiatives == ()


def test_cost_shares_split_aligned_and_keep_the_lights_on() -> None:
    """Aligned vs keep-the-lights-on one-off and run cost; forbidden work is not proposed."""
    a = alignment(engagement())
    assert (a.cost, a.aligned_cost, a.ktlo_cost) == (930, 850, 80)
    assert a.aligned_share == pytest.approx(850 / 930)
    assert (a.run_cost, a.aligned_run_cost, a.ktlo_run_cost) == (35, 30, 5)
    assert a.aligned_run_share == pytest.approx(30 / 35)
    ktlo = [r.initiative for r in a.by_initiative if r.proposed and not r.aligned]
    assert ktlo == ["patch", "lab-work"]
    assert a.alternatives == (("cloud", "onprem"),)


def test_no_cost_means_no_share() -> None:
    """Without any proposed cost the shares are None, not a division by zero."""
    a = alignment(engagement(initiative=[{"id": "x", "name": "X"}]))
    assert (a.cost, a.aligned_share, a.aligned_run_share) == (0, None, None)


def test_high_priority_services_nothing_addresses() -> None:
    """Mail has no issue; print's issue has no initiative; crm and wifi are addressed."""
    a = alignment(engagement())
    assert a.high_priority == ("crm", "mail", "print", "wifi")
    priority = aggregate_survey(engagement()).score("mail").priority
    assert a.unaddressed == (
        UnaddressedService(
            service="mail",
            name="Mail",
            priority=priority,
            quadrant="fix",
            issues=(),
            reason="no issue names this service",
        ),
        UnaddressedService(
            service="print",
            name="Print",
            priority=priority,
            quadrant="fix",
            issues=("paper-jams",),
            reason="no initiative addresses paper-jams",
        ),
    )


def test_without_survey_no_service_is_high_priority() -> None:
    """No responses: the service check is empty rather than an error."""
    a = alignment(engagement(response=[]))
    assert (a.high_priority, a.unaddressed) == ((), ())


def test_survey_passed_in_is_used() -> None:
    """A survey from other answers replaces the file's for the service check."""
    e = engagement()
    others = [
        it.Response(
            stakeholder="Zed", importance={"fax": 10, "crm": 1}, satisfaction={"fax": 1, "crm": 10}
        )
    ]
    a = alignment(e, aggregate_survey(e, others))
    assert [u.service for u in a.unaddressed] == ["fax"]


def test_invalid_weights_raise() -> None:
    """Alignment needs the weights; a mixed weighting is the usual located error."""
    objectives = data()["objective"]
    objectives[1] = {"id": "save", "name": "Save"}
    with pytest.raises(it.InvalidEngagementError, match=r"objective\[1\].weight"):
        alignment(engagement(objective=objectives))
