"""Assessment views: the numbers for the dental example, and the text `itstrat assess` printed."""

from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.assessment import Assessment, assess, read_survey_csv
from itstrat_engine.cli import main
from itstrat_engine.model import Engagement
from itstrat_engine.report import (
    Bar,
    Gauge,
    Marked,
    alignment_table,
    assessment_view,
    departments_table,
    maturity_table,
    render_text,
    services_table,
    weights_table,
)

EXAMPLES = Path(__file__).parents[1] / "examples"
DENTAL = EXAMPLES / "dental-group.toml"
SURVEY = EXAMPLES / "dental-survey.csv"

# `itstrat assess examples/dental-group.toml --survey examples/dental-survey.csv` before the
# views moved out of the CLI.
DENTAL_ASSESSMENT = """\
Brightsmile Dental Group: current-state assessment
Survey: 24 responses (7 from CSV) from 5 departments, scale 1-10; overall satisfaction 4.6

At a glance
-----------
  Fix first (important, unsatisfying): backup, voip, scheduling, imaging, security
  Largest maturity gap: backup 3, scheduling 3
  Key issues from the data: 9 (1 new, 8 covered by the file's issues)
  98% of proposed one-off cost serves business objectives; unserved objectives: none
  High-priority services nothing addresses: printing

Services by priority (most important, least satisfying first)
-------------------------------------------------------------
   #  service       name                            imp  sat   sd   gap  prio  quadrant  answers
   1  backup        Backup & disaster recovery      9.1  2.5  0.5   6.6  0.75  fix       4
   2  voip          Phones & VoIP                   8.6  2.7  0.7   5.9  0.69  fix       11
   3  scheduling    Patient scheduling & online b~  9.1  3.3  0.8   5.8  0.67  fix       17
   4  imaging       Imaging & PACS                  8.5  3.7  0.7   4.9  0.59  fix       14
   5  printing      Printing & scanning             7.5  2.8  0.7   4.7  0.58  watch     6
   6  network       Network & Wi-Fi                 7.8  3.7  0.8   4.1  0.53  watch     15
   7  security      Security & identity             8.1  4.1  0.7   4.0  0.52  fix       6
   8  pms           Practice management system      8.8  4.9  0.7   3.9  0.49  keep      23
   9  endpoints     Endpoint & device management    6.8  4.8  1.0   2.1  0.38  trim      11
  10  service-desk  Service desk                    6.8  6.0  0.7   0.8  0.28  trim      19
  11  email         Email & collaboration           6.0  7.9  0.7  -1.9  0.13  trim      18
  quadrants split at mean importance 7.9 and mean satisfaction 4.2; sd: spread of satisfaction

Departments
-----------
  department  people  imp  sat  biggest gap
  Billing          3  7.1  5.2  printing (5.0)
  Clinical         6  7.8  4.5  imaging (6.5)
  Front desk       6  7.9  4.6  scheduling (7.0)
  Hygiene          3  7.4  4.8  scheduling (6.3)
  Management       6  8.2  4.5  backup (6.6)

Maturity gaps (0-5; # current, - gap to target)
-----------------------------------------------
  service       kind        current  target  gap
  backup        capability        1       4    3  [##------  ]
  scheduling    service           1       4    3  [##------  ]
  endpoints     capability      1.5       4  2.5  [###-----  ]
  imaging       service         1.5       4  2.5  [###-----  ]
  network       service         1.5       4  2.5  [###-----  ]
  security      capability      1.5       4  2.5  [###-----  ]
  voip          service           1     3.5  2.5  [##-----   ]
  pms           service           2       4    2  [####----  ]
  printing      service         1.5     3.5    2  [###----   ]
  email         service           3     3.5  0.5  [######-   ]
  service-desk  service           3     3.5  0.5  [######-   ]

Key issues from the data (priority >= 0.40 or maturity gap >= 2)
----------------------------------------------------------------
  NEW svc-printing  severity 3.8
      priority 0.58 >= 0.40: importance 7.5, satisfaction 2.8 of 10 from 6 answers, quadrant
        watch
      maturity gap 2 >= 2: current 1.5, target 3.5
      least satisfied: Connor Walsh (Front desk) 2; Beatriz Santos (Billing) 2; Aisha Patel
        (Front desk) 3

  Already covered by the file's issues (severity from the data; file's):
  svc-backup      4.3  priority 0.75 (fix), maturity gap 3
      covered by backup-untested (5)
  svc-scheduling  4.1  priority 0.67 (fix), maturity gap 3
      covered by scheduling-gaps (5)
  svc-voip        4.1  priority 0.69 (fix), maturity gap 2.5
      covered by missed-calls (4)
  svc-imaging     3.8  priority 0.59 (fix), maturity gap 2.5
      covered by imaging-slow (4), backup-untested (5)
  svc-network     3.6  priority 0.53 (watch), maturity gap 2.5
      covered by imaging-slow (4), wifi-dropouts (3), slow-site-setup (3)
  svc-security    3.6  priority 0.52 (fix), maturity gap 2.5
      covered by no-risk-analysis (5), shared-logins (4), unmanaged-devices (3)
  svc-pms         3.5  priority 0.49 (keep), maturity gap 2
      covered by scheduling-gaps (5), backup-untested (5), pms-per-site (4), no-reporting (3)
  svc-endpoints   2.5  maturity gap 2.5
      covered by unmanaged-devices (3), slow-site-setup (3)
  1 new issue, 8 already covered; details and answers in --format json

Objective weights (direct)
--------------------------
  objective           kind      weight
  patient-experience  business   0.300  ############
  growth              business   0.200  ########
  compliance          business   0.200  ########
  productivity        business   0.200  ########
  cost-control        business   0.100  ####
  it-foundation       it         0.417  #################
  it-one-platform     it         0.467  ###################
  it-insight          it         0.117  #####
  IT objectives carry the weight of the business objectives they support

Alignment: strength of each initiative on each objective (. none)
-----------------------------------------------------------------
  initiative             O1   O2   O3   O4   O5   O6   O7   O8  score
  hipaa-risk-analysis     .    .  0.9    .    .    .    .    .   0.18
  backup-dr             0.7    .  0.9  0.9    .  0.7    .    .   0.57
  mfa-sso               0.5    .  0.8  0.5    .  0.5    .    .   0.41
  endpoint-management   0.6  0.2  0.7  0.7    .  0.6    .    .   0.50
  edr-mdr                 .    .  0.4  0.3    .    .    .    .   0.14
  security-awareness      .    .  0.3    .    .    .    .    .   0.06
  email-security          .    .  0.3    .    .    .    .    .   0.06
  network-refresh       0.8  0.3  0.8  0.9    .  0.8    .    .   0.64
  cloud-voip            0.8  0.8    .    .    .    .    .    .   0.40
  pms-cloud-suite       0.9  0.9    .  0.9  0.9    .  0.9    .   0.72
  pms-hosted-upgrade    0.8  0.8    .  0.8  0.7    .  0.7    .   0.63
  online-booking        0.8  0.2    .  0.6    .    .    .    .   0.40
  central-imaging       0.8  0.5  0.1  0.8  0.5    .  0.5    .   0.57
  kpi-dashboards          .    .    .  0.9  0.9    .    .  0.9   0.27
  new-clinic-blueprint    .  0.7    .    .    .    .    .    .   0.14
  digital-intake        0.5    .    .  0.2    .    .    .    .   0.19
  server-replacement      .    .    .    .    .    .    .    .   0.00
  service-portal          .    .    .  0.6    .    .    .    .   0.12
  guest-wifi-kiosks     0.2    .    .    .    .    .    .    .   0.06
  ai-clinical-notes       .    .    .  0.4    .    .    .    .   0.08
  O1 patient-experience (business, weight 0.300)
  O2 growth (business, weight 0.200)
  O3 compliance (business, weight 0.200)
  O4 productivity (business, weight 0.200)
  O5 cost-control (business, weight 0.100)
  O6 it-foundation (it, weight 0.417)
  O7 it-one-platform (it, weight 0.467)
  O8 it-insight (it, weight 0.117)
  score: sum of business weight x strength

  Business objectives no initiative serves: none
  One-off cost 821,000 USD: 98% serves business objectives, 2% (16,000) keeps the lights on
  Run cost per period 46,600 USD: 100% serves business objectives, 0% (0) keeps the lights on
  Keep-the-lights-on initiatives: server-replacement
  Totals count both of each exclusive alternative: pms-cloud-suite / pms-hosted-upgrade
  High-priority services nothing addresses:
    printing (priority 0.58, watch): no issue names this service
"""


@pytest.fixture(scope="module")
def dental() -> tuple[Assessment, Engagement, int]:
    engagement = it.load(DENTAL)
    extra = read_survey_csv(SURVEY, engagement)
    return assess(engagement, (*engagement.responses, *extra)), engagement, len(extra)


def test_text_is_what_itstrat_assess_printed(dental: tuple[Assessment, Engagement, int]) -> None:
    """The rendered assessment view is byte for byte the earlier terminal output."""
    result, engagement, csv_responses = dental
    assert render_text(assessment_view(result, engagement, csv_responses=csv_responses)) == (
        DENTAL_ASSESSMENT
    )


def test_the_command_prints_the_view(capsys: pytest.CaptureFixture[str]) -> None:
    """`itstrat assess` prints the rendered view."""
    assert main(["assess", str(DENTAL), "--survey", str(SURVEY)]) == 0
    assert capsys.readouterr().out == DENTAL_ASSESSMENT


def test_services_table_holds_the_survey_numbers(
    dental: tuple[Assessment, Engagement, int],
) -> None:
    """Each row carries the service's own figures, unrounded, in priority order."""
    result, _, _ = dental
    assert result.survey is not None
    table = services_table(result.survey)
    first = result.survey.services[0]
    assert table.rows[0].cells == (
        1,
        "backup",
        "Backup & disaster recovery",
        first.importance,
        first.satisfaction,
        first.satisfaction_spread,
        first.gap,
        first.priority,
        "fix",
        Marked(value=4, mark=""),
    )
    assert round(first.priority or 0, 2) == 0.75
    assert [row.cells[1] for row in table.rows] == [s.service for s in result.survey.services]
    departments = departments_table(result.survey)
    assert departments.rows[0].cells[:2] == ("Billing", 3)


def test_maturity_weights_and_alignment_tables(
    dental: tuple[Assessment, Engagement, int],
) -> None:
    """Maturity levels, weights and alignment strengths are numbers in their tables."""
    result, engagement, _ = dental
    assert maturity_table(result).rows[0].cells == (
        "backup",
        "capability",
        1.0,
        4.0,
        3.0,
        Gauge(current=1.0, target=4.0),
    )
    weights = weights_table(result, engagement)
    assert weights.rows[0].cells == ("patient-experience", "business", 0.3, Bar(share=0.3))
    alignment = alignment_table(result)
    assert [column.title for column in alignment.columns][:3] == ["initiative", "O1", "O2"]
    first = alignment.rows[0]
    assert first.cells[0] == "hipaa-risk-analysis"
    assert first.cells[1:4] == (None, None, result.alignment.matrix[2][0])
    assert first.cells[-1] == result.alignment.by_initiative[0].score
