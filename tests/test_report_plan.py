"""Plan views: the numbers for the dental example, and the text `itstrat plan` printed before."""

import re
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine import formatting
from itstrat_engine.cli import main
from itstrat_engine.optimize import Plan
from itstrat_engine.optimize.result import SkillUse
from itstrat_engine.report import (
    Paragraph,
    Roadmap,
    not_selected_line,
    objective_initiatives,
    plan_view,
    render_text,
    roadmap,
    skill_table,
    spend_table,
    status_line,
)
from itstrat_engine.report.roadmap import OBJECTIVE_IDS

DENTAL = Path(__file__).parents[1] / "examples" / "dental-group.toml"

# `itstrat plan examples/dental-group.toml` (as before the views moved out of the CLI, with
# the lists of what each objective gets wrapped to the text width).
DENTAL_PLAN = """\
Brightsmile Dental Group: IT roadmap 2027-Q1..2029-Q4 (12 quarters)
Status: optimal (proven) | value 6,040 | {solver}, {seconds} s
Business case: NPV -316 k USD at 2.0% per quarter, ROI -50%, payback none within the horizon

Roadmap (16 of 20 initiatives)
                                       27-Q1 27-Q2 27-Q3 27-Q4 28-Q1 28-Q2 28-Q3 28-Q4 29-Q1 29-Q2 29-Q3 29-Q4
  Cloud backup and disaster recovery   ##### #####     .     .     .     .     .     .     .     .     .     . *
  HIPAA security risk analysis         #####     .     .     .     .     .     .     .     .     .     .     . *
  Group-wide KPI dashboards            ##### #####     .     .     .     .     .     .     .     .     .     .
  Online booking and automated remind~ #####     .     .     .     .     .     .     .     .     .     .     .
  Replace end-of-life clinic server    #####     .     .     .     .     .     .     .     .     .     .     .
  Digital intake forms and teledentis~     . ##### #####     .     .     .     .     .     .     .     .     .
  Email security and encrypted mail        . #####     .     .     .     .     .     .     .     .     .     .
  Endpoint management and patching         . ##### #####     .     .     .     .     .     .     .     .     .
  Network and Wi-Fi refresh                .     . ##### ##### #####     .     .     .     .     .     .     .
  Phishing simulation and HIPAA train~     .     . #####     .     .     .     .     .     .     .     .     .
  MFA and single sign-on                   .     .     . ##### #####     .     .     .     .     .     .     .
  Self-service portal and knowledge b~     .     .     . #####     .     .     .     .     .     .     .     .
  Cloud phone system with call queues      .     .     .     .     . ##### #####     .     .     .     .     .
  Endpoint detection and response (ma~     .     .     .     .     . #####     .     .     .     .     .     .
  New-clinic IT blueprint                  .     .     .     .     . #####     .     .     .     .     .     .
  AI clinical notes pilot                  .     .     .     .     .     . ##### #####     .     .     .     .
  (* mandatory)
Not selected: pms-cloud-suite, pms-hosted-upgrade, central-imaging, guest-wifi-kiosks

What each business objective gets
  Patient experience: 7 initiatives (backup-dr, cloud-voip, digital-intake, endpoint-management,
    mfa-sso, network-refresh, online-booking)
  Grow to new sites: 5 initiatives (cloud-voip, endpoint-management, network-refresh,
    new-clinic-blueprint, online-booking)
  Regulatory compliance (HIPAA): 8 initiatives (backup-dr, edr-mdr, email-security,
    endpoint-management, hipaa-risk-analysis, mfa-sso, network-refresh, security-awareness)
  Clinician productivity: 10 initiatives (ai-clinical-notes, backup-dr, digital-intake, edr-mdr,
    endpoint-management, kpi-dashboards, mfa-sso, network-refresh, online-booking,
    service-portal)
  Cost control: 1 initiative (kpi-dashboards)

Spend per period (USD)
  period          spend       budget    use
  2027-Q1        84,350       85,000    99%
  2027-Q2        75,850       85,000    89%
  2027-Q3        83,800       85,000    99%
  2027-Q4        72,300       85,000    85%
  2028-Q1        63,900       85,000    75%
  2028-Q2        63,900       85,000    75%
  2028-Q3        61,900       85,000    73%
  2028-Q4        42,100       85,000    50%
  2029-Q1        25,100       85,000    30%
  2029-Q2        25,100       85,000    30%
  2029-Q3        25,100       85,000    30%
  2029-Q4        25,100       85,000    30%
  total         648,500      650,000   100%

Cash flow per period (USD)
  period          spend      benefit          net   cumulative
  2027-Q1        84,350            0      -84,350      -84,350
  2027-Q2        75,850        2,250      -73,600     -157,950
  2027-Q3        83,800       14,000      -69,800     -227,750
  2027-Q4        72,300       20,500      -51,800     -279,550
  2028-Q1        63,900       22,000      -41,900     -321,450
  2028-Q2        63,900       30,000      -33,900     -355,350
  2028-Q3        61,900       36,000      -25,900     -381,250
  2028-Q4        42,100       36,000       -6,100     -387,350
  2029-Q1        25,100       38,000       12,900     -374,450
  2029-Q2        25,100       40,000       14,900     -359,550
  2029-Q3        25,100       44,000       18,900     -340,650
  2029-Q4        25,100       44,000       18,900     -321,750
  total         648,500      326,750     -321,750

Budgets by year, kind and pool (USD)
  budget               spent        limit    use
  FY2027 budget      316,300      320,000    99%
  FY2028 budget      231,800      320,000    72%
  FY2029 budget      100,400      320,000    31%

Skill hours per period (used/capacity+contractors)
  period      apps    infra       pm    security
  2027-Q1  220/220  180/320  110/120  110/100+10
  2027-Q2  170/220  210/320   75/120  130/100+30
  2027-Q3   70/220  250/320   85/120  120/100+20
  2027-Q4   60/220  190/200   75/120     100/100
  2028-Q1    0/220  190/320   45/120     100/100
  2028-Q2   20/220  210/320   65/120      80/100
  2028-Q3   80/220   80/320   45/120      20/100
  2028-Q4   60/220    0/200   20/120      20/100
  2029-Q1    0/220    0/320    0/120       0/100
  2029-Q2    0/220    0/320    0/120       0/100
  2029-Q3    0/220    0/320    0/120       0/100
  2029-Q4    0/220    0/200    0/120       0/100
"""


@pytest.fixture(scope="module")
def dental() -> Plan:
    return it.plan(it.load(DENTAL))


def test_text_is_what_itstrat_plan_printed(dental: Plan) -> None:
    """The rendered plan view is byte for byte the earlier terminal output."""
    expected = DENTAL_PLAN.format(
        solver=dental.solver, seconds=formatting.decimal(dental.seconds, 2)
    )
    assert render_text(plan_view(dental)) == expected


def test_the_command_prints_the_view(capsys: pytest.CaptureFixture[str]) -> None:
    """`itstrat plan` prints the rendered view (only the solve time and race winner may differ)."""
    assert main(["plan", str(DENTAL)]) == 0
    out = capsys.readouterr().out
    shown = re.sub(r"(highs|cpsat), \d+\.\d\d s\n", "{solver}, {seconds} s\n", out, count=1)
    assert shown == DENTAL_PLAN


def test_spend_table_holds_the_plan_numbers(dental: Plan) -> None:
    """Spend, budget and share per period are the plan's own numbers, totals last."""
    table = spend_table(dental)
    assert [column.title for column in table.columns] == ["period", "spend", "budget", "use"]
    first, *_, total = table.rows
    assert first.cells == ("2027-Q1", 84350.0, 85000.0, 84350.0 / 85000.0)
    assert total.cells == ("total", 648500.0, 650000.0, 648500.0 / 650000.0)
    assert [row.cells[1] for row in table.rows[:-1]] == [use.spend for use in dental.usage]


def test_skill_table_holds_hours_per_skill(dental: Plan) -> None:
    """One column per skill, sorted; cells are the plan's SkillUse records."""
    table = skill_table(dental)
    assert table is not None
    assert [column.title for column in table.columns] == [
        "period",
        "apps",
        "infra",
        "pm",
        "security",
    ]
    assert table.rows[0].cells == (
        "2027-Q1",
        SkillUse(used=220.0, capacity=220.0, contractor=0.0),
        SkillUse(used=180.0, capacity=320.0, contractor=0.0),
        SkillUse(used=110.0, capacity=120.0, contractor=0.0),
        SkillUse(used=110.0, capacity=100.0, contractor=10.0),
    )


def test_roadmap_and_what_is_left_out(dental: Plan) -> None:
    """The grid has the selected initiatives by start; the rest are named."""
    grid = roadmap(dental)
    assert isinstance(grid, Roadmap)
    assert len(grid.spans) == 16
    assert grid.periods == dental.periods
    first = grid.spans[0]
    assert (first.id, first.start, first.finish, first.mandatory) == ("backup-dr", 0, 2, True)
    assert not_selected_line(dental) == Paragraph(
        text="Not selected: pms-cloud-suite, pms-hosted-upgrade, central-imaging, guest-wifi-kiosks",
        indent=0,
    )


def test_what_each_business_objective_gets(dental: Plan) -> None:
    """Each business objective, in file order, with the selected initiatives serving it."""
    rows = objective_initiatives(dental)
    assert [(row.objective, len(row.initiatives)) for row in rows] == [
        ("patient-experience", 7),
        ("growth", 5),
        ("compliance", 8),
        ("productivity", 10),
        ("cost-control", 1),
    ]
    assert rows[-1].initiatives == ("kpi-dashboards",)


def test_status_line(dental: Plan) -> None:
    """Proof status, objective value and solver."""
    assert status_line(dental).startswith(
        f"Status: optimal (proven) | value 6,040 | {dental.solver}, "
    )
    assert dental.solver in {"highs", "cpsat"}


def test_an_infeasible_plan_says_what_must_give() -> None:
    """Without a schedule the view is the status and the findings, nothing else.

    Makespan makes the dental group's two exclusive practice-management options both
    required: the finding names the exclusion, not a generic "cannot fit".
    """
    result = it.plan(it.load(DENTAL), objective="makespan")
    assert render_text(plan_view(result)) == (
        "Brightsmile Dental Group: IT roadmap 2027-Q1..2029-Q4 (12 quarters)\n"
        f"Status: infeasible | auto, {formatting.decimal(result.seconds, 2)} s\n"
        "Makespan: every initiative not forbidden is required, finished as early as possible\n"
        "\n"
        "What must give:\n"
        "  - makespan requires every initiative not forbidden, but pms-cloud-suite excludes "
        "pms-hosted-upgrade\n"
        "  - mandatory work costs 821,000 USD before run costs (savings and funding pools give "
        "back at most 8,000 USD), the total budget is 650,000 USD\n"
    )


def test_rows_cap_the_roadmap_and_the_lists() -> None:
    """A large plan's text keeps the first rows and counts the rest; rows=None shows all."""
    result = it.plan(it.generate(60, seed=4), time_limit=20, gap=0.05)
    selected = len(result.selected)
    left_out = len(result.initiatives) - selected
    capped = render_text(plan_view(result, rows=5))
    assert f"... and {selected - 5} more initiatives in the plan" in capped
    flat = " ".join(capped.split())  # long lines wrap
    assert f" and {left_out - 5} more (--all lists them) " in flat
    served = max(len(row.initiatives) for row in objective_initiatives(result))
    if served > 5:
        assert f" and {served - 5} more (--all lists them))" in flat
    # However many rows, an objective lists at most OBJECTIVE_IDS ids: then a count.
    wide = " ".join(render_text(plan_view(result, rows=100)).split())
    assert served > OBJECTIVE_IDS  # the cap bites here
    assert f" and {served - OBJECTIVE_IDS} more (--all lists them))" in wide
    full = render_text(plan_view(result))
    assert "more initiatives in the plan" not in full
    assert all(item.id in full for item in result.initiatives if not item.selected)


def test_the_command_caps_text_unless_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.toml"
    assert main(["generate", "--initiatives", "300", "--seed", "2", "-o", str(path)]) == 0
    capsys.readouterr()
    main(["plan", str(path), "--time-limit", "5", "--gap", "0.05"])
    assert "more initiatives in the plan" in capsys.readouterr().out
    main(["plan", str(path), "--time-limit", "5", "--gap", "0.05", "--all"])
    assert "more initiatives in the plan" not in capsys.readouterr().out
