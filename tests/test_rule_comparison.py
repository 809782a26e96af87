"""compare_rules: regret checked by summing the other pack's scores by hand, the metrics
against rank_metrics, portfolios against set arithmetic, the CLI's output and errors."""

import json
import math
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.optimize import Status
from itstrat_engine.research import RuleSet, compare_rules, kendall_tau_b

ENGAGEMENT = it.generate(8, seed=3)  # timing "once": a plan's value is the sum of its scores


@pytest.fixture(scope="module")
def comparison() -> it.research.RuleComparison:
    sets = ["wsjf", "rice", RuleSet(name="wsjf-big", rules=("wsjf",), params={"min_size": 4})]
    return compare_rules(ENGAGEMENT, sets, time_limit=10)


def test_regret_is_the_other_scores_summed_over_the_plan(comparison) -> None:
    """Each cell: the row plan's selected ids summed with the column's scores, vs its optimum."""
    for a, plan_a in enumerate(comparison.plans):
        assert plan_a.status == Status.OPTIMAL
        assert it.verify(plan_a, plan_a.engagement) == ()
        for b, plan_b in enumerate(comparison.plans):
            cell = comparison.regret[a][b]
            by_hand = math.fsum(comparison.scores[b][i] for i in plan_a.schedule)
            assert cell.value == pytest.approx(by_hand)
            assert cell.optimum == pytest.approx(plan_b.objective_value)
            assert cell.regret == pytest.approx(plan_b.objective_value - by_hand)
            assert cell.regret >= -1e-9  # the column's plan is proven optimal under its scores
        assert comparison.regret[a][a].regret == pytest.approx(0.0, abs=1e-9)


def test_rankings_and_portfolios_agree_with_direct_computation(comparison) -> None:
    """Kendall tau-b from the scores, Jaccard from the schedules, shifts from the starts."""
    ids = [i.id for i in ENGAGEMENT.initiatives]
    first = comparison.ranks[0]
    assert (first.first, first.second) == ("wsjf", "rice")
    x = [comparison.scores[0][i] for i in ids]
    y = [comparison.scores[1][i] for i in ids]
    assert first.kendall_tau_b == pytest.approx(kendall_tau_b(x, y))
    a, b = comparison.plans[0].schedule, comparison.plans[1].schedule
    shared = set(a) & set(b)
    assert comparison.portfolios[0].jaccard == pytest.approx(len(shared) / len(set(a) | set(b)))
    assert {s[0] for s in comparison.portfolios[0].shifts} == {i for i in shared if a[i] != b[i]}
    # The parameter variant ranks by the same pack: its scores are wsjf's cost of delay
    # over max(job_size, 4), so the ids agree with a ranking computed here.
    scored = it.prioritize(ENGAGEMENT, ["wsjf"], params={"min_size": 4})
    assert comparison.rankings[2] == tuple(s.id for s in scored.initiatives)


def test_same_input_same_data(comparison) -> None:
    """The comparison's data has no run times: a second run gives the same JSON."""
    again = compare_rules(
        ENGAGEMENT,
        ["wsjf", "rice", RuleSet(name="wsjf-big", rules=("wsjf",), params={"min_size": 4})],
        time_limit=10,
    )
    assert json.dumps(again.as_dict()) == json.dumps(comparison.as_dict())


def test_too_few_and_duplicate_sets_are_located_errors() -> None:
    """One rule set, or two with one name, is an InvalidEngagementError naming packs."""
    with pytest.raises(it.InvalidEngagementError, match="at least two"):
        compare_rules(ENGAGEMENT, ["wsjf"])
    with pytest.raises(it.InvalidEngagementError, match="same name"):
        compare_rules(ENGAGEMENT, ["wsjf", "wsjf"])


def test_cli_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints the comparison; mistakes exit 1 or 2 with a message, no traceback."""
    file = tmp_path / "e.toml"
    it.dump(ENGAGEMENT, file)
    code = main(
        [
            "compare-rules",
            str(file),
            "--packs",
            "wsjf",
            "risk+moscow",
            "wsjf:min_size=3",
            "--format",
            "json",
            "--time-limit",
            "10",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert [s["name"] for s in data["rule_sets"]] == ["wsjf", "risk+moscow", "wsjf:min_size=3"]
    assert data["rule_sets"][2]["params"] == {"min_size": 3.0}
    assert len(data["regret"]) == 3
    assert len(data["rankings"]) == 3
    assert main(["compare-rules", str(file), "--packs", "wsjf", "rice", "--time-limit", "10"]) == 0
    assert "Regret" in capsys.readouterr().out

    assert main(["compare-rules", str(file), "--packs", "wsjf", "wsjff"]) == 1
    err = capsys.readouterr().err
    assert "wsjff" in err
    assert "did you mean 'wsjf'" in err
    assert "Traceback" not in err
    assert main(["compare-rules", str(file), "--packs", "wsjf", "rice:min_size=2"]) == 1
    assert "unknown param" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["compare-rules", str(file), "--packs", "wsjf", "rice:size"])
    assert exit_.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err
