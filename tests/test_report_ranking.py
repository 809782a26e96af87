"""Ranking views: the dental example scored with moscow, and the text `itstrat prioritize` printed."""

from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.report import (
    Line,
    Table,
    breakdown,
    initiative_table,
    issue_table,
    prioritization_view,
    render_text,
)
from itstrat_engine.rules import Prioritization

DENTAL = Path(__file__).parents[1] / "examples" / "dental-group.toml"

# `itstrat prioritize examples/dental-group.toml --rules moscow` before the views moved out
# of the CLI.
DENTAL_MOSCOW = """\
Brightsmile Dental Group: 12 issues, 20 initiatives, scored with moscow

Issues, highest priority first
   #  issue              priority  tier
   1  backup-untested           5
      start 5 (severity)
   2  no-risk-analysis          5
      start 5 (severity)
   3  scheduling-gaps           5
      start 5 (severity)
   4  imaging-slow              4
      start 4 (severity)
   5  missed-calls              4
      start 4 (severity)
   6  pms-per-site              4
      start 4 (severity)
   7  shared-logins             4
      start 4 (severity)
   8  no-reporting              3
      start 3 (severity)
   9  slow-site-setup           3
      start 3 (severity)
  10  unmanaged-devices         3
      start 3 (severity)
  11  wifi-dropouts             3
      start 3 (severity)
  12  ticket-backlog            2
      start 2 (severity)

Initiatives, highest score first
   #  initiative            score  gate       timing        tier
   1  pms-cloud-suite          95             from 2027-Q3  should
      start 95 (value)
      moscow/should  95                 Should-haves are important but not vital [tier should]
   2  online-booking           85  required                 must
      start 85 (value)
      moscow/must  85                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by moscow/must
   3  backup-dr                80  required                 must
      start 80 (value)
      moscow/must  80                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by engagement file, moscow/must
   4  pms-hosted-upgrade       75             from 2027-Q3  should
      start 75 (value)
      moscow/should  75                 Should-haves are important but not vital [tier should]
   5  central-imaging          70                           should
      start 70 (value)
      moscow/should  70                 Should-haves are important but not vital [tier should]
   6  hipaa-risk-analysis      70  required   by 2027-Q4    must
      start 70 (value)
      moscow/must  70                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by engagement file, moscow/must
   7  network-refresh          65  required                 must
      start 65 (value)
      moscow/must  65                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by moscow/must
   8  mfa-sso                  60  required                 must
      start 60 (value)
      moscow/must  60                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by moscow/must
   9  cloud-voip               55                           should
      start 55 (value)
      moscow/should  55                 Should-haves are important but not vital [tier should]
  10  endpoint-management      45                           should
      start 45 (value)
      moscow/should  45                 Should-haves are important but not vital [tier should]
  11  new-clinic-blueprint     45                           should
      start 45 (value)
      moscow/should  45                 Should-haves are important but not vital [tier should]
  12  edr-mdr                  35                           should
      start 35 (value)
      moscow/should  35                 Should-haves are important but not vital [tier should]
  13  ai-clinical-notes        30  forbidden                wont
      start 30 (value)
      moscow/wont  30                 Won't-haves are out of scope for this roadmap [forbid, tier wont]
      forbidden by moscow/wont
  14  email-security           20                           should
      start 20 (value)
      moscow/should  20                 Should-haves are important but not vital [tier should]
  15  kpi-dashboards           20                           could
      start 40 (value)
      moscow/could  40 -> 20           Could-haves are done only when they fit [tier could]
  16  security-awareness       20                           should
      start 20 (value)
      moscow/should  20                 Should-haves are important but not vital [tier should]
  17  digital-intake         17.5                           could
      start 35 (value)
      moscow/could  35 -> 17.5         Could-haves are done only when they fit [tier could]
  18  server-replacement       15  required   by 2027-Q2    must
      start 15 (value)
      moscow/must  15                 Must-haves are non-negotiable for this roadmap [require, tier must]
      required by moscow/must
  19  service-portal          7.5                           could
      start 15 (value)
      moscow/could  15 -> 7.5          Could-haves are done only when they fit [tier could]
  20  guest-wifi-kiosks         5                           could
      start 10 (value)
      moscow/could  10 -> 5            Could-haves are done only when they fit [tier could]
"""


@pytest.fixture(scope="module")
def dental() -> tuple[it.Engagement, Prioritization]:
    engagement = it.load(DENTAL)
    return engagement, it.prioritize(engagement, ["moscow"])


def test_text_is_what_itstrat_prioritize_printed(
    dental: tuple[it.Engagement, Prioritization],
) -> None:
    """The rendered rankings are byte for byte the earlier terminal output."""
    engagement, result = dental
    assert render_text(prioritization_view(engagement, result)) == DENTAL_MOSCOW


def test_the_command_prints_the_view(capsys: pytest.CaptureFixture[str]) -> None:
    """`itstrat prioritize` prints the rendered view, nothing on stderr."""
    assert main(["prioritize", str(DENTAL), "--rules", "moscow"]) == 0
    assert capsys.readouterr() == (DENTAL_MOSCOW, "")


def test_tables_hold_ranks_and_scores(dental: tuple[it.Engagement, Prioritization]) -> None:
    """Ranks and scores are numbers; gates, timing and tiers are text."""
    engagement, result = dental
    initiatives = initiative_table(result.initiatives, engagement.scope.labels)
    assert initiatives.rows[0].cells == (1, "pms-cloud-suite", 95.0, "", "from 2027-Q3", "should")
    assert initiatives.rows[1].cells == (2, "online-booking", 85.0, "required", "", "must")
    assert [row.cells[2] for row in initiatives.rows] == [s.score for s in result.initiatives]
    issues = issue_table(result.issues, brief=True)
    assert issues.rows[0].cells == (1, "backup-untested", 5.0, "")
    assert all(not row.details for row in issues.rows)


def test_breakdown_explains_the_score(dental: tuple[it.Engagement, Prioritization]) -> None:
    """The start, one row per rule that fired, and who gates the item."""
    _, result = dental
    start, steps, gate = breakdown(result.initiative("backup-dr"))
    assert start == Line(text="start 80 (value)", indent=6)
    assert isinstance(steps, Table)
    assert [row.cells for row in steps.rows] == [
        (
            "moscow/must",
            "80",
            "Must-haves are non-negotiable for this roadmap [require, tier must]",
        )
    ]
    assert gate == Line(text="required by engagement file, moscow/must", indent=6)


def test_top_keeps_the_first_of_each_list(dental: tuple[it.Engagement, Prioritization]) -> None:
    """top=N keeps N issues and N initiatives."""
    engagement, result = dental
    view = prioritization_view(engagement, result, top=2, brief=True)
    tables = [block for section in view.sections for block in section.blocks]
    assert [len(table.rows) for table in tables if isinstance(table, Table)] == [2, 2]
