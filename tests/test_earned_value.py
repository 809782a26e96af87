"""Earned value: figures equal a hand-computed example; RAG thresholds; benefits; the CLI."""

import math
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.execution import progress_from_dict, rag, status
from itstrat_engine.optimize import prepare
from itstrat_engine.optimize.decoding import from_schedule

DENTAL = "examples/dental-group.toml"
PROGRESS = "examples/dental-progress.toml"


def _tiny() -> tuple[it.Engagement, it.Plan]:
    """Two initiatives: a (2 quarters, 1,000) from Q1, b (1 quarter, 500) in Q2."""
    engagement = it.from_dict(
        {
            "engagement": {"client": "Tiny", "start": "2027-Q1", "periods": 4},
            "objective": [
                {
                    "id": "growth",
                    "name": "Growth",
                    "weight": 1,
                    "metric": "customers",
                    "baseline_value": 100,
                    "target_value": 160,
                    "target_period": "2027-Q4",
                }
            ],
            "initiative": [
                {"id": "a", "name": "A", "duration": 2, "cost": 1000, "value": 10},
                {"id": "b", "name": "B", "duration": 1, "cost": 500, "value": 5},
                {"id": "c", "name": "C", "duration": 1, "cost": 800, "value": 1},
            ],
        }
    )
    baseline = from_schedule(prepare(engagement), {"a": 0, "b": 1, "c": 3}, solver="hand")
    return engagement, baseline


def test_earned_value_equals_the_hand_computed_example() -> None:
    """PV, EV, AC, SV, CV, SPI, CPI and EAC of a done and a late item, worked by hand."""
    engagement, baseline = _tiny()
    progress = progress_from_dict(
        {
            "progress": {"as_of": "2027-Q3"},
            "initiative": [
                {"id": "a", "status": "done", "finished": "2027-Q2", "actual_cost": 1200},
                {
                    "id": "b",
                    "status": "in-progress",
                    "actual_cost": 300,
                    "remaining_cost": 400,
                    "remaining_periods": 1,
                },
            ],
            "benefit": [{"objective": "growth", "period": "2027-Q2", "value": 150}],
        }
    )
    report = status(engagement, baseline, progress)
    a, b, c = report.initiatives
    # a: planned 500 in Q1 and Q2, all before the status date; done; cost 1,200.
    assert (a.bac, a.pv, a.ev, a.ac, a.eac) == (1000, 1000, 1000, 1200, 1200)
    assert a.spi == 1.0
    assert math.isclose(a.cpi or 0, 1000 / 1200)
    assert a.rag == "red"  # CPI 0.83 < 0.85
    # b: planned all in Q2; 300 spent, 400 to go: 3/7 complete, EV = 500 x 3/7.
    assert (b.bac, b.pv, b.ac, b.eac) == (500, 500, 300, 700)
    assert math.isclose(b.ev, 500 * 3 / 7)
    assert math.isclose(b.sv, 500 * 3 / 7 - 500)
    assert math.isclose(b.spi or 0, 3 / 7)
    assert b.rag == "red"
    # c: planned for Q4, not due: nothing planned, earned or spent yet.
    assert (c.pv, c.ev, c.ac, c.eac, c.spi, c.cpi, c.rag) == (0, 0, 0, 800, None, None, "green")
    p = report.portfolio
    assert (p.bac, p.pv, p.ac, p.eac) == (2300, 1500, 1500, 2700)
    assert math.isclose(p.ev, 1000 + 500 * 3 / 7)
    assert math.isclose(p.cv, 1000 + 500 * 3 / 7 - 1500)
    assert math.isclose(p.cpi or 0, (1000 + 500 * 3 / 7) / 1500)
    assert p.vac == -400
    assert report.replan
    assert "the portfolio is red" in report.reasons
    # Benefits: 100 at 2027-Q1 to 160 at 2027-Q4: 2027-Q2 is a third of the way, 120.
    (row,) = report.benefits
    assert math.isclose(row.planned or 0, 120)
    assert row.on_track is True


def test_on_plan_is_green_and_needs_no_replan() -> None:
    """Work exactly as planned: every index 1, green, no re-plan."""
    engagement, baseline = _tiny()
    progress = progress_from_dict(
        {
            "progress": {"as_of": "2027-Q3"},
            "initiative": [
                {"id": "a", "status": "done", "finished": "2027-Q2", "actual_cost": 1000},
                {"id": "b", "status": "done", "finished": "2027-Q2", "actual_cost": 500},
            ],
        }
    )
    report = status(engagement, baseline, progress)
    assert report.portfolio.rag == "green"
    assert (report.portfolio.spi, report.portfolio.cpi) == (1.0, 1.0)
    assert not report.replan


@pytest.mark.parametrize(
    ("spi", "cpi", "expected"),
    [
        (1.0, 1.0, "green"),
        (0.95, 0.95, "green"),
        (0.949, 1.0, "amber"),
        (0.85, 2.0, "amber"),
        (1.0, 0.849, "red"),
        (None, None, "green"),
    ],
)
def test_rag_thresholds(spi: float | None, cpi: float | None, expected: str) -> None:
    """Red below 0.85, amber below 0.95, green otherwise."""
    assert rag(spi, cpi) == expected


def test_dental_status_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """itstrat status on the example: portfolio red, a re-plan recommended, JSON too."""
    plan = tmp_path / "b.json"
    assert main(["plan", DENTAL, "--time-limit", "20", "--format", "json", "-o", str(plan)]) == 0
    capsys.readouterr()
    assert main(["status", DENTAL, "--baseline", str(plan), "--progress", PROGRESS]) == 0
    out = capsys.readouterr().out
    assert "Portfolio red: SPI 0.83, CPI 0.90" in out
    assert "Re-plan recommended" in out
    assert "new mandatory item epcs" in out
    args = ["status", DENTAL, "--baseline", str(plan), "--progress", PROGRESS, "--format", "json"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert '"replan": true' in first
