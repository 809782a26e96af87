"""Write examples/regional-health.toml and examples/regional-health-survey.csv.

Riverbend Health is a fictional regional health system: three hospitals (Riverbend Medical
Center, St. Anne Community Hospital, Cedar Falls Critical Access Hospital) and eighteen
clinics in six regional groups, about 6,400 staff. Its three-year IT roadmap has about 200
candidate initiatives: enterprise programs (EHR upgrade, enterprise imaging, identity,
cyber, data platform, patient access) and their rollouts to each site. Fiscal years begin
in July; money is in USD, effort in hours.

The catalog below is hand-written; a seeded random generator only jitters the site rollouts
and the survey answers, so the same script writes the same files, byte for byte::

    python examples/make_regional_health.py
"""

import csv
import io
import json
import random
import re
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SEED = 2027
QUARTERS = 12

HEADER = """\
# Riverbend Health: IT strategy engagement (sample, fictional client).
#
# A regional health system: three hospitals and eighteen clinics in six groups, about 6,400
# staff. Three-year roadmap in quarters, fiscal years beginning in July. Money in USD, effort
# in hours. Written by examples/make_regional_health.py (edit the script, not this file).
# The stakeholder survey is in regional-health-survey.csv:
#     itstrat assess examples/regional-health.toml --survey examples/regional-health-survey.csv

"""

HOSPITALS = {  # short names: the roadmap's lines show about 35 characters
    "rmc": "Riverbend MC",
    "stanne": "St. Anne",
    "cedar": "Cedar Falls",
}
CLINIC_GROUPS = {
    "north": "North clinics",
    "south": "South clinics",
    "east": "East clinics",
    "west": "West clinics",
    "valley": "Valley clinics",
    "lakeshore": "Lakeshore clinics",
}
SITES = {**HOSPITALS, **CLINIC_GROUPS}

OBJECTIVES: list[dict[str, Any]] = [
    {
        "id": "patient-safety",
        "name": "Patient safety and quality",
        "description": "Fewer harm events: right patient, right drug, right time, every time.",
        "metric": "Serious safety events per 10,000 adjusted patient days",
        "target": "Down 30% by FY2030",
    },
    {
        "id": "compliance",
        "name": "Regulatory compliance",
        "description": "HIPAA, CMS interoperability and price transparency, DEA EPCS, Joint Commission.",
        "metric": "Open high-risk findings across audits",
        "target": "Zero open high-risk findings by 2028-Q4",
    },
    {
        "id": "access",
        "name": "Patient access and experience",
        "description": "Book, see, message and pay the system as easily as any consumer service.",
        "metric": "Third next available appointment (primary care, days)",
        "target": "Under 10 days by 2029-Q2 (today 24)",
    },
    {
        "id": "workforce",
        "name": "Clinician and staff workforce",
        "description": "Less documentation burden and fewer clicks; keep nurses and doctors.",
        "metric": "Nurse turnover rate",
        "target": "Under 14% a year (today 21%)",
    },
    {
        "id": "financial",
        "name": "Financial sustainability",
        "description": "Protect the operating margin: clean claims, less denials, lower run cost.",
        "metric": "Operating margin",
        "target": "2.5% or better by FY2029",
    },
    {
        "id": "it-secure",
        "name": "Secure and resilient IT",
        "kind": "it",
        "supports": ["patient-safety", "compliance", "financial"],
        "description": "Survive ransomware and outages with clinical care running.",
        "metric": "Hours of EHR downtime per year",
        "target": "Under 4 hours",
    },
    {
        "id": "it-one-record",
        "name": "One patient record and one data platform",
        "kind": "it",
        "supports": ["patient-safety", "access", "workforce", "financial"],
        "description": "One current EHR, one image archive, one governed data platform.",
        "metric": "Sites on the current EHR version and the shared archive",
        "target": "All 21 sites by 2029-Q2",
    },
    {
        "id": "it-modern-workplace",
        "name": "A modern clinical workplace",
        "kind": "it",
        "supports": ["workforce", "access", "patient-safety"],
        "description": "Fast login, reliable wireless, devices that work at the bedside.",
        "metric": "Median clinician login time",
        "target": "Under 10 seconds (today 75)",
    },
]

# Pairwise judgments from the leadership workshop (Saaty scale), in this order.
PAIRWISE_ORDER = ["patient-safety", "compliance", "access", "workforce", "financial"]
PAIRWISE = [
    [1, 2, 3, 3, 4],
    [0.5, 1, 2, 2, 3],
    ["1/3", 0.5, 1, 1, 2],
    ["1/3", 0.5, 1, 1, 2],
    [0.25, "1/3", 0.5, 0.5, 1],
]

SERVICES: list[dict[str, Any]] = [
    {"id": "ehr", "name": "Electronic health record", "owner": "CMIO", "current": 2.5, "target": 4},
    {
        "id": "pacs",
        "name": "Imaging (PACS and viewer)",
        "owner": "Radiology",
        "current": 2,
        "target": 4,
    },
    {
        "id": "lab",
        "name": "Laboratory information system",
        "owner": "Lab",
        "current": 2.5,
        "target": 3.5,
    },
    {
        "id": "pharmacy",
        "name": "Pharmacy and medication administration",
        "owner": "Pharmacy",
        "current": 3,
        "target": 4,
    },
    {
        "id": "nurse-call",
        "name": "Nurse call and clinical communication",
        "owner": "CNO",
        "current": 1.5,
        "target": 3.5,
    },
    {
        "id": "portal",
        "name": "Patient portal and online scheduling",
        "owner": "Patient access",
        "current": 2,
        "target": 4,
    },
    {
        "id": "telehealth",
        "name": "Telehealth",
        "owner": "Ambulatory",
        "current": 1.5,
        "target": 3.5,
    },
    {
        "id": "network",
        "name": "Wired network and WAN",
        "owner": "IT infrastructure",
        "current": 2,
        "target": 4,
    },
    {
        "id": "wifi",
        "name": "Wireless at the bedside",
        "owner": "IT infrastructure",
        "current": 1.5,
        "target": 4,
    },
    {
        "id": "identity",
        "name": "Login, single sign-on and access",
        "owner": "CISO",
        "current": 1.5,
        "target": 4,
    },
    {
        "id": "endpoints",
        "name": "Workstations and mobile devices",
        "owner": "IT service",
        "current": 2,
        "target": 3.5,
    },
    {
        "id": "service-desk",
        "name": "Service desk",
        "owner": "IT service",
        "current": 2.5,
        "target": 3.5,
    },
    {
        "id": "analytics",
        "name": "Reporting and analytics",
        "owner": "CFO",
        "current": 1.5,
        "target": 3.5,
    },
    {
        "id": "interfaces",
        "name": "Interfaces and interoperability",
        "owner": "Integration",
        "current": 2,
        "target": 4,
    },
    {
        "id": "backup",
        "name": "Backup, recovery and downtime",
        "owner": "CISO",
        "current": 1.5,
        "target": 4,
        "kind": "capability",
    },
    {
        "id": "revenue-cycle",
        "name": "Billing and revenue cycle",
        "owner": "CFO",
        "current": 2.5,
        "target": 4,
    },
    {
        "id": "security-ops",
        "name": "Security monitoring and response",
        "owner": "CISO",
        "current": 1.5,
        "target": 4,
        "kind": "capability",
    },
]

ISSUES: list[dict[str, Any]] = [
    (
        "ehr-unsupported",
        "EHR version leaves vendor support in mid-2028",
        5,
        ["compliance", "patient-safety"],
        ["ehr"],
    ),
    (
        "ransomware-exposure",
        "Flat network and no immutable backups: a ransomware attack would stop care",
        5,
        ["it-secure", "patient-safety"],
        ["backup", "security-ops", "network"],
    ),
    ("no-mfa", "No MFA on remote access and email", 5, ["it-secure", "compliance"], ["identity"]),
    (
        "slow-login",
        "Clinicians log in 70 times a shift, 75 seconds each",
        4,
        ["workforce", "it-modern-workplace"],
        ["identity", "endpoints"],
    ),
    (
        "wifi-dead-zones",
        "Wireless drops in patient rooms; scanners and phones fail",
        4,
        ["patient-safety", "it-modern-workplace"],
        ["wifi"],
    ),
    (
        "nurse-call-eol",
        "Nurse call at St. Anne and Cedar Falls is end of life; parts from eBay",
        5,
        ["patient-safety"],
        ["nurse-call"],
    ),
    (
        "pacs-silos",
        "Three image archives; outside images arrive on CDs",
        4,
        ["patient-safety", "it-one-record"],
        ["pacs"],
    ),
    (
        "interop-rules",
        "CMS interoperability and prior authorization APIs not in place",
        5,
        ["compliance", "access"],
        ["interfaces"],
    ),
    (
        "price-transparency",
        "Price transparency files incomplete; CMS warning letter",
        4,
        ["compliance", "financial"],
        ["revenue-cycle"],
    ),
    (
        "epcs-gap",
        "Controlled substances still on paper at two hospitals",
        4,
        ["compliance", "patient-safety"],
        ["pharmacy", "ehr"],
    ),
    (
        "hipaa-sra",
        "Annual HIPAA security risk analysis overdue",
        4,
        ["compliance"],
        ["security-ops"],
    ),
    ("denials", "Claim denial rate 11%; manual rework", 4, ["financial"], ["revenue-cycle"]),
    (
        "no-analytics",
        "No trusted numbers: twelve spreadsheet versions of length of stay",
        3,
        ["financial", "it-one-record"],
        ["analytics"],
    ),
    (
        "portal-adoption",
        "Only 22% of patients use the portal; no online booking",
        3,
        ["access"],
        ["portal"],
    ),
    (
        "telehealth-adhoc",
        "Telehealth on consumer video apps, not in the EHR",
        3,
        ["access", "compliance"],
        ["telehealth"],
    ),
    (
        "documentation-burden",
        "Doctors finish notes at home; burnout scores rising",
        4,
        ["workforce"],
        ["ehr"],
    ),
    (
        "device-sprawl",
        "2,300 medical devices unmanaged on the clinical network",
        4,
        ["it-secure", "patient-safety"],
        ["network", "security-ops"],
    ),
    (
        "old-workstations",
        "Half of workstations on unsupported Windows",
        3,
        ["it-secure", "it-modern-workplace"],
        ["endpoints"],
    ),
    (
        "wan-outages",
        "Clinic WAN outages stop check-in twice a month",
        3,
        ["access", "it-modern-workplace"],
        ["network"],
    ),
    (
        "no-dr",
        "No tested disaster recovery for the EHR",
        5,
        ["it-secure", "patient-safety"],
        ["backup", "ehr"],
    ),
    (
        "interface-backlog",
        "Interface requests wait six months",
        3,
        ["it-one-record"],
        ["interfaces"],
    ),
    ("lab-lis-eol", "Lab system at Cedar Falls unsupported", 3, ["patient-safety"], ["lab"]),
    (
        "service-desk-wait",
        "Service desk answers in 9 minutes; no 24x7 for clinical issues",
        3,
        ["workforce"],
        ["service-desk"],
    ),
    (
        "supply-waste",
        "Expired supplies and stock-outs; no barcode inventory",
        2,
        ["financial"],
        ["analytics"],
    ),
    (
        "secure-messaging",
        "Clinicians text patient details on personal phones",
        4,
        ["compliance", "patient-safety"],
        ["nurse-call", "identity"],
    ),
]

# Initiative -> (benefit per quarter once live, ramp over the first quarters), from the CFO.
BENEFITS: dict[str, tuple[float, list[float]]] = {
    "claims-scrubber": (240000, [0.25, 0.5, 0.75]),
    "prior-auth-automation": (90000, [0.5]),
    "coding-assist": (110000, [0.25, 0.5]),
    "online-scheduling": (70000, [0.25, 0.5, 0.75]),
    "digital-front-door": (50000, [0.5]),
    "supply-chain-barcode": (85000, [0.25, 0.5]),
    "capacity-command-center": (120000, [0.25, 0.5, 0.75]),
    "workforce-scheduling": (95000, [0.5]),
    "patient-estimates": (40000, [0.5]),
    "remote-monitoring": (45000, [0.25, 0.5]),
    "service-desk-24x7": (20000, []),
}

SKILLS = ["infra", "network", "security", "clinical-apps", "integration", "data", "pm"]


def initiative(
    id_: str,
    name: str,
    *,
    duration: int,
    cost: float,
    effort: dict[str, float],
    value: float,
    addresses: dict[str, float] | None = None,
    objectives: dict[str, float] | None = None,
    description: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """One initiative's table, keys in the order the reference lists them."""
    item: dict[str, Any] = {"id": id_, "name": name}
    if description:
        item["description"] = description
    item.update(duration=duration, cost=int(round(cost, -2)))
    item.update({k: v for k, v in extra.items() if k in {"cost_kind", "run_cost"}})
    item["effort"] = {k: int(round(v, -1)) for k, v in effort.items()}
    if addresses:
        item["addresses"] = addresses
    if objectives:
        item["objectives"] = objectives
    item.update({k: v for k, v in extra.items() if k not in {"cost_kind", "run_cost"}})
    item["value"] = value
    return item


def enterprise() -> list[dict[str, Any]]:
    """The enterprise programs: one initiative each."""
    i = initiative
    return [
        # --- regulatory and mandatory
        i(
            "hipaa-sra-2027",
            "HIPAA security risk analysis FY2027",
            duration=1,
            cost=60000,
            cost_kind="opex",
            effort={"security": 240, "pm": 40},
            value=40,
            addresses={"hipaa-sra": 0.6},
            objectives={"compliance": 0.6},
            deadline="2027-Q2",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "hipaa-sra-2028",
            "HIPAA security risk analysis FY2028",
            duration=1,
            cost=60000,
            cost_kind="opex",
            effort={"security": 200, "pm": 40},
            value=25,
            addresses={"hipaa-sra": 0.3},
            objectives={"compliance": 0.4},
            earliest="2028-Q1",
            deadline="2028-Q2",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "hipaa-sra-2029",
            "HIPAA security risk analysis FY2029",
            duration=1,
            cost=60000,
            cost_kind="opex",
            effort={"security": 200, "pm": 40},
            value=15,
            addresses={"hipaa-sra": 0.1},
            objectives={"compliance": 0.3},
            earliest="2029-Q1",
            deadline="2029-Q2",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "ehr-upgrade",
            "EHR upgrade to the vendor's current release",
            duration=3,
            cost=1850000,
            description="Upgrade, regression testing and training for 6,400 users before support ends.",
            effort={"clinical-apps": 2400, "integration": 500, "infra": 400, "pm": 500},
            run_cost=15000,
            value=120,
            addresses={"ehr-unsupported": 1.0, "documentation-burden": 0.15},
            objectives={"it-one-record": 0.8, "compliance": 0.5},
            deadline="2028-Q2",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "cms-interop-apis",
            "CMS patient access, provider directory and prior authorization APIs",
            duration=3,
            cost=420000,
            run_cost=12000,
            effort={"integration": 900, "clinical-apps": 300, "security": 120, "pm": 200},
            value=70,
            addresses={"interop-rules": 0.9},
            objectives={"compliance": 0.8, "access": 0.3},
            requires=["fhir-gateway"],
            deadline="2028-Q3",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "price-transparency",
            "Price transparency machine-readable files and shoppable services tool",
            duration=2,
            cost=140000,
            run_cost=4000,
            effort={"data": 260, "clinical-apps": 80, "pm": 60},
            value=35,
            addresses={"price-transparency": 1.0},
            objectives={"compliance": 0.6, "access": 0.2},
            deadline="2027-Q4",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        i(
            "epcs",
            "Electronic prescribing of controlled substances (DEA EPCS)",
            duration=2,
            cost=160000,
            run_cost=3000,
            effort={"clinical-apps": 360, "security": 120, "pm": 60},
            value=45,
            addresses={"epcs-gap": 1.0},
            objectives={"compliance": 0.6, "patient-safety": 0.3},
            requires=["mfa-workforce"],
            deadline="2028-Q2",
            mandatory=True,
            tags=["must", "compliance"],
        ),
        # --- identity and cyber
        i(
            "mfa-workforce",
            "MFA for remote access, email and EHR",
            duration=2,
            cost=240000,
            run_cost=9000,
            effort={"security": 420, "infra": 160, "pm": 80},
            value=85,
            addresses={"no-mfa": 0.9, "ransomware-exposure": 0.1},
            objectives={"it-secure": 0.8, "compliance": 0.4},
            tags=["must", "compliance"],
        ),
        i(
            "sso-platform",
            "Single sign-on platform with badge tap",
            duration=2,
            cost=520000,
            run_cost=14000,
            effort={"security": 300, "infra": 300, "clinical-apps": 200, "pm": 120},
            value=60,
            addresses={"slow-login": 0.4},
            objectives={"it-modern-workplace": 0.7, "workforce": 0.4},
            requires=["mfa-workforce"],
            tags=["should"],
        ),
        i(
            "privileged-access",
            "Privileged access management for admins and vendors",
            duration=2,
            cost=280000,
            run_cost=8000,
            effort={"security": 380, "infra": 120, "pm": 60},
            value=50,
            addresses={"ransomware-exposure": 0.15},
            objectives={"it-secure": 0.6},
            requires=["mfa-workforce"],
            tags=["should", "compliance"],
        ),
        i(
            "identity-governance",
            "Identity governance: joiner-mover-leaver and access reviews",
            duration=3,
            cost=460000,
            run_cost=10000,
            effort={"security": 420, "clinical-apps": 160, "integration": 200, "pm": 140},
            value=40,
            addresses={"no-mfa": 0.1},
            objectives={"it-secure": 0.4, "compliance": 0.5},
            requires=["mfa-workforce"],
            tags=["could"],
        ),
        i(
            "edr-mdr",
            "Endpoint detection and 24x7 managed detection and response",
            duration=1,
            cost=180000,
            run_cost=36000,
            cost_kind="opex",
            effort={"security": 260, "infra": 160, "pm": 40},
            value=80,
            addresses={"ransomware-exposure": 0.25},
            objectives={"it-secure": 0.8},
            tags=["must"],
        ),
        i(
            "siem",
            "Security information and event management",
            duration=2,
            cost=320000,
            run_cost=16000,
            effort={"security": 380, "infra": 120, "pm": 60},
            value=45,
            addresses={"ransomware-exposure": 0.1, "hipaa-sra": 0.1},
            objectives={"it-secure": 0.6, "compliance": 0.3},
            tags=["should"],
        ),
        i(
            "immutable-backup",
            "Immutable backups and an isolated recovery vault",
            duration=2,
            cost=610000,
            run_cost=12000,
            effort={"infra": 420, "security": 160, "pm": 80},
            value=95,
            addresses={"ransomware-exposure": 0.3, "no-dr": 0.3},
            objectives={"it-secure": 0.9, "patient-safety": 0.3},
            tags=["must"],
        ),
        i(
            "ehr-dr-site",
            "EHR disaster recovery in a second data center",
            duration=3,
            cost=1150000,
            run_cost=30000,
            effort={"infra": 700, "clinical-apps": 300, "network": 200, "pm": 160},
            value=75,
            addresses={"no-dr": 0.6},
            objectives={"it-secure": 0.8, "patient-safety": 0.4},
            requires=["immutable-backup"],
            excludes=["ehr-dr-cloud"],
            tags=["should"],
        ),
        i(
            "ehr-dr-cloud",
            "EHR disaster recovery in the vendor's cloud",
            duration=2,
            cost=520000,
            run_cost=52000,
            cost_kind="opex",
            effort={"infra": 360, "clinical-apps": 240, "network": 120, "pm": 120},
            value=68,
            addresses={"no-dr": 0.55},
            objectives={"it-secure": 0.7, "patient-safety": 0.3},
            requires=["immutable-backup"],
            tags=["should"],
        ),
        i(
            "downtime-readiness",
            "Downtime procedures, read-only EHR copies and tabletop exercises",
            duration=1,
            cost=90000,
            cost_kind="opex",
            effort={"clinical-apps": 160, "security": 100, "pm": 80},
            value=40,
            addresses={"no-dr": 0.1, "ransomware-exposure": 0.05},
            objectives={"patient-safety": 0.5, "it-secure": 0.4},
            tags=["should"],
        ),
        i(
            "nac-platform",
            "Network access control and medical device profiling",
            duration=2,
            cost=380000,
            run_cost=11000,
            effort={"network": 420, "security": 260, "pm": 80},
            value=50,
            addresses={"device-sprawl": 0.3},
            objectives={"it-secure": 0.7},
            requires=["network-core"],
            tags=["should"],
        ),
        i(
            "vuln-mgmt",
            "Vulnerability management program and patch SLAs",
            duration=2,
            cost=150000,
            run_cost=8000,
            effort={"security": 260, "infra": 200, "pm": 40},
            value=40,
            addresses={"ransomware-exposure": 0.05, "old-workstations": 0.1},
            objectives={"it-secure": 0.5, "compliance": 0.2},
            tags=["should"],
        ),
        i(
            "email-security",
            "Email security, DMARC and phishing training",
            duration=1,
            cost=95000,
            run_cost=6000,
            cost_kind="opex",
            effort={"security": 140, "infra": 60},
            value=35,
            addresses={"ransomware-exposure": 0.05},
            objectives={"it-secure": 0.5},
            tags=["should"],
        ),
        i(
            "secure-messaging",
            "Secure clinical messaging on hospital phones",
            duration=2,
            cost=260000,
            run_cost=9000,
            effort={"clinical-apps": 240, "integration": 160, "security": 80, "pm": 80},
            value=50,
            addresses={"secure-messaging": 0.8},
            objectives={"patient-safety": 0.4, "compliance": 0.3, "workforce": 0.3},
            requires=["mfa-workforce"],
            tags=["should"],
        ),
        # --- network and platform
        i(
            "network-core",
            "Data center core network and firewalls refresh",
            duration=2,
            cost=980000,
            run_cost=9000,
            effort={"network": 700, "security": 160, "pm": 100},
            value=60,
            addresses={"ransomware-exposure": 0.05, "wan-outages": 0.1},
            objectives={"it-secure": 0.5, "it-modern-workplace": 0.3},
            tags=["must"],
        ),
        i(
            "sd-wan",
            "SD-WAN with dual carriers for every clinic",
            duration=2,
            cost=420000,
            run_cost=18000,
            effort={"network": 520, "pm": 80},
            value=55,
            addresses={"wan-outages": 0.7},
            objectives={"access": 0.3, "it-modern-workplace": 0.4},
            requires=["network-core"],
            tags=["should"],
        ),
        i(
            "fhir-gateway",
            "FHIR API gateway and interface engine upgrade",
            duration=2,
            cost=360000,
            run_cost=10000,
            effort={"integration": 700, "security": 80, "pm": 100},
            value=45,
            addresses={"interface-backlog": 0.4, "interop-rules": 0.1},
            objectives={"it-one-record": 0.6},
            tags=["must"],
        ),
        i(
            "vna-core",
            "Enterprise imaging: vendor-neutral archive and universal viewer",
            duration=3,
            cost=1400000,
            run_cost=25000,
            effort={"infra": 500, "integration": 500, "clinical-apps": 300, "pm": 200},
            value=85,
            addresses={"pacs-silos": 0.5},
            objectives={"it-one-record": 0.7, "patient-safety": 0.3},
            tags=["should"],
        ),
        i(
            "image-exchange",
            "Cloud image exchange with referring hospitals",
            duration=1,
            cost=120000,
            run_cost=6000,
            cost_kind="opex",
            effort={"integration": 160, "clinical-apps": 60},
            value=25,
            addresses={"pacs-silos": 0.2},
            objectives={"access": 0.3, "it-one-record": 0.3},
            requires=["vna-core"],
            tags=["could"],
        ),
        i(
            "win11-platform",
            "Windows 11 image, packaging and device management",
            duration=1,
            cost=140000,
            effort={"infra": 400, "security": 60, "pm": 60},
            value=30,
            addresses={"old-workstations": 0.2},
            objectives={"it-secure": 0.3, "it-modern-workplace": 0.3},
            tags=["must"],
        ),
        i(
            "vdi-clinical",
            "Virtual desktops for shared clinical workstations",
            duration=2,
            cost=690000,
            run_cost=20000,
            effort={"infra": 600, "clinical-apps": 120, "pm": 100},
            value=45,
            addresses={"slow-login": 0.25},
            objectives={"it-modern-workplace": 0.6, "workforce": 0.3},
            requires=["win11-platform"],
            tags=["could"],
        ),
        i(
            "service-desk-24x7",
            "24x7 clinical service desk with a managed partner",
            duration=1,
            cost=80000,
            run_cost=42000,
            cost_kind="opex",
            effort={"pm": 80, "infra": 60},
            value=40,
            addresses={"service-desk-wait": 0.7},
            objectives={"workforce": 0.4, "it-modern-workplace": 0.3},
            tags=["should"],
        ),
        i(
            "itsm-upgrade",
            "Service management platform with self-service portal",
            duration=2,
            cost=210000,
            run_cost=7000,
            effort={"infra": 120, "integration": 120, "pm": 100},
            value=25,
            addresses={"service-desk-wait": 0.2},
            objectives={"it-modern-workplace": 0.3},
            tags=["could"],
        ),
        # --- clinical systems
        i(
            "bcma-upgrade",
            "Barcode medication administration on new scanners",
            duration=2,
            cost=330000,
            effort={"clinical-apps": 300, "infra": 160, "pm": 80},
            value=60,
            addresses={"wifi-dead-zones": 0.05},
            objectives={"patient-safety": 0.8},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "smart-pump-integration",
            "Smart infusion pump integration with the EHR",
            duration=2,
            cost=540000,
            run_cost=9000,
            effort={"clinical-apps": 320, "integration": 300, "network": 120, "pm": 100},
            value=65,
            objectives={"patient-safety": 0.9},
            requires=["ehr-upgrade", "wifi-rmc"],
            tags=["should"],
        ),
        i(
            "lis-consolidation",
            "One laboratory system for all three hospitals",
            duration=3,
            cost=880000,
            run_cost=14000,
            effort={"clinical-apps": 600, "integration": 400, "pm": 200},
            value=50,
            addresses={"lab-lis-eol": 1.0},
            objectives={"patient-safety": 0.4, "it-one-record": 0.5},
            excludes=["lis-cedar-replace"],
            tags=["could"],
        ),
        i(
            "lis-cedar-replace",
            "Replace the Cedar Falls lab system only",
            duration=2,
            cost=260000,
            run_cost=5000,
            effort={"clinical-apps": 220, "integration": 160, "pm": 80},
            value=28,
            addresses={"lab-lis-eol": 1.0},
            objectives={"patient-safety": 0.3},
            tags=["could"],
        ),
        i(
            "pharmacy-carousel",
            "Pharmacy automation: carousel and dispensing cabinets upgrade",
            duration=2,
            cost=720000,
            run_cost=12000,
            effort={"clinical-apps": 200, "integration": 160, "infra": 80, "pm": 100},
            value=40,
            objectives={"patient-safety": 0.5, "financial": 0.2},
            tags=["could"],
        ),
        i(
            "ambient-scribe-pilot",
            "Ambient AI documentation pilot in primary care",
            duration=1,
            cost=150000,
            run_cost=15000,
            cost_kind="opex",
            effort={"clinical-apps": 160, "security": 60, "pm": 60},
            value=35,
            addresses={"documentation-burden": 0.15},
            objectives={"workforce": 0.6},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "speech-recognition",
            "Cloud speech recognition for physicians",
            duration=1,
            cost=180000,
            run_cost=12000,
            cost_kind="opex",
            effort={"clinical-apps": 120, "infra": 60},
            value=25,
            addresses={"documentation-burden": 0.1},
            objectives={"workforce": 0.4},
            tags=["could"],
        ),
        i(
            "sepsis-alerts",
            "Sepsis early warning in the EHR",
            duration=1,
            cost=90000,
            effort={"clinical-apps": 200, "data": 80},
            value=45,
            objectives={"patient-safety": 0.7},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "order-sets",
            "Evidence-based order sets refresh",
            duration=2,
            cost=120000,
            cost_kind="opex",
            effort={"clinical-apps": 360, "pm": 60},
            value=30,
            addresses={"documentation-burden": 0.05},
            objectives={"patient-safety": 0.5, "workforce": 0.2},
            requires=["ehr-upgrade"],
            tags=["could"],
        ),
        # --- patient access
        i(
            "portal-relaunch",
            "Patient portal relaunch with mobile app",
            duration=2,
            cost=260000,
            run_cost=8000,
            effort={"clinical-apps": 240, "integration": 120, "pm": 80},
            value=55,
            addresses={"portal-adoption": 0.5},
            objectives={"access": 0.8},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "online-scheduling",
            "Online self-scheduling and waitlist",
            duration=2,
            cost=190000,
            run_cost=6000,
            effort={"clinical-apps": 280, "integration": 80, "pm": 60},
            value=55,
            addresses={"portal-adoption": 0.3},
            objectives={"access": 0.9},
            requires=["portal-relaunch"],
            tags=["should"],
        ),
        i(
            "digital-front-door",
            "Digital front door: chat, e-check-in and reminders",
            duration=2,
            cost=340000,
            run_cost=15000,
            effort={"clinical-apps": 200, "integration": 200, "pm": 80},
            value=40,
            addresses={"portal-adoption": 0.2},
            objectives={"access": 0.7},
            requires=["online-scheduling"],
            tags=["could"],
        ),
        i(
            "telehealth-platform",
            "EHR-integrated telehealth platform",
            duration=2,
            cost=280000,
            run_cost=10000,
            effort={"clinical-apps": 220, "integration": 160, "security": 60, "pm": 80},
            value=45,
            addresses={"telehealth-adhoc": 0.7},
            objectives={"access": 0.7, "compliance": 0.2},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "remote-monitoring",
            "Remote patient monitoring for heart failure and COPD",
            duration=2,
            cost=310000,
            run_cost=14000,
            effort={"clinical-apps": 200, "integration": 200, "pm": 80},
            value=35,
            objectives={"access": 0.4, "patient-safety": 0.4},
            requires=["telehealth-platform"],
            tags=["could"],
        ),
        i(
            "e-consent",
            "Electronic consent and patient forms",
            duration=1,
            cost=90000,
            run_cost=3000,
            effort={"clinical-apps": 140, "integration": 60},
            value=20,
            objectives={"access": 0.3, "compliance": 0.2},
            tags=["could"],
        ),
        # --- revenue cycle
        i(
            "claims-scrubber",
            "Claims scrubber and denial management",
            duration=2,
            cost=310000,
            run_cost=11000,
            effort={"clinical-apps": 240, "integration": 160, "data": 80, "pm": 80},
            value=60,
            addresses={"denials": 0.5},
            objectives={"financial": 0.8},
            tags=["should"],
        ),
        i(
            "prior-auth-automation",
            "Electronic prior authorization in the EHR",
            duration=2,
            cost=220000,
            run_cost=8000,
            effort={"clinical-apps": 200, "integration": 200, "pm": 60},
            value=45,
            addresses={"denials": 0.2},
            objectives={"financial": 0.5, "access": 0.3},
            requires=["cms-interop-apis"],
            tags=["should"],
        ),
        i(
            "patient-estimates",
            "Patient cost estimates and online payments",
            duration=1,
            cost=120000,
            run_cost=5000,
            effort={"clinical-apps": 120, "integration": 80},
            value=30,
            addresses={"price-transparency": 0.2, "denials": 0.05},
            objectives={"financial": 0.4, "access": 0.3},
            requires=["price-transparency"],
            tags=["could"],
        ),
        i(
            "coding-assist",
            "Computer-assisted coding",
            duration=2,
            cost=260000,
            run_cost=12000,
            effort={"clinical-apps": 180, "data": 120, "pm": 60},
            value=35,
            addresses={"denials": 0.15},
            objectives={"financial": 0.6},
            tags=["could"],
        ),
        # --- data
        i(
            "cloud-data-platform",
            "Cloud data platform with governed clinical and financial models",
            duration=3,
            cost=780000,
            run_cost=22000,
            effort={"data": 900, "integration": 300, "security": 80, "pm": 160},
            value=60,
            addresses={"no-analytics": 0.6},
            objectives={"it-one-record": 0.6, "financial": 0.3},
            excludes=["on-prem-warehouse"],
            tags=["should"],
        ),
        i(
            "on-prem-warehouse",
            "On-premises data warehouse refresh",
            duration=3,
            cost=560000,
            run_cost=9000,
            effort={"data": 800, "infra": 200, "pm": 140},
            value=42,
            addresses={"no-analytics": 0.45},
            objectives={"it-one-record": 0.4, "financial": 0.2},
            tags=["could"],
        ),
        i(
            "quality-dashboards",
            "Quality and safety dashboards for the board",
            duration=1,
            cost=90000,
            effort={"data": 260, "clinical-apps": 40},
            value=30,
            addresses={"no-analytics": 0.15},
            objectives={"patient-safety": 0.4, "financial": 0.2},
            tags=["should"],
        ),
        i(
            "capacity-command-center",
            "Capacity command center: beds, transfers and staffing",
            duration=2,
            cost=480000,
            run_cost=16000,
            effort={"data": 300, "integration": 200, "clinical-apps": 120, "pm": 100},
            value=45,
            objectives={"access": 0.5, "financial": 0.4},
            tags=["could"],
        ),
        i(
            "population-health",
            "Population health registries and care gaps",
            duration=2,
            cost=350000,
            run_cost=14000,
            effort={"data": 360, "clinical-apps": 160, "pm": 80},
            value=35,
            objectives={"access": 0.4, "financial": 0.3},
            tags=["could"],
        ),
        i(
            "supply-chain-barcode",
            "Barcode supply chain and par-level replenishment",
            duration=2,
            cost=420000,
            run_cost=9000,
            effort={"integration": 160, "data": 120, "infra": 80, "pm": 100},
            value=30,
            addresses={"supply-waste": 0.7},
            objectives={"financial": 0.6},
            tags=["could"],
        ),
        i(
            "erp-cloud",
            "Cloud ERP for finance, HR and supply chain",
            duration=4,
            cost=2600000,
            run_cost=60000,
            effort={"integration": 600, "data": 300, "pm": 400, "security": 80},
            value=55,
            addresses={"supply-waste": 0.2},
            objectives={"financial": 0.7, "workforce": 0.3},
            tags=["could"],
        ),
        i(
            "mdm-mobile",
            "Mobile device management for clinical and personal phones",
            duration=1,
            cost=90000,
            run_cost=5000,
            effort={"infra": 120, "security": 80},
            value=25,
            addresses={"secure-messaging": 0.05},
            objectives={"it-secure": 0.4, "it-modern-workplace": 0.2},
            tags=["should"],
        ),
        i(
            "third-party-risk",
            "Vendor and third-party security risk program",
            duration=2,
            cost=110000,
            cost_kind="opex",
            effort={"security": 200, "pm": 60},
            value=25,
            objectives={"compliance": 0.4, "it-secure": 0.3},
            tags=["could"],
        ),
        i(
            "legacy-ehr-archive",
            "Archive the legacy clinic EHR and retire its servers",
            duration=2,
            cost=280000,
            run_cost=-9000,
            effort={"clinical-apps": 160, "data": 160, "infra": 80, "pm": 60},
            value=30,
            objectives={"financial": 0.4, "it-one-record": 0.3},
            requires=["ehr-upgrade"],
            tags=["should"],
        ),
        i(
            "zero-trust-access",
            "Zero-trust remote access for staff and vendors",
            duration=2,
            cost=240000,
            run_cost=10000,
            effort={"security": 260, "network": 120, "pm": 60},
            value=35,
            addresses={"no-mfa": 0.05},
            objectives={"it-secure": 0.5},
            requires=["mfa-workforce"],
            excludes=["vpn-refresh"],
            tags=["could"],
        ),
        i(
            "vpn-refresh",
            "Replace the remote access VPN appliances",
            duration=1,
            cost=110000,
            effort={"network": 120, "security": 60},
            value=18,
            objectives={"it-secure": 0.3},
            tags=["could"],
        ),
        i(
            "workforce-scheduling",
            "Nurse staffing and scheduling system",
            duration=2,
            cost=300000,
            run_cost=11000,
            effort={"integration": 160, "clinical-apps": 80, "pm": 80},
            value=40,
            objectives={"workforce": 0.7, "financial": 0.2},
            tags=["should"],
        ),
    ]


def rollouts(rng: random.Random) -> list[dict[str, Any]]:
    """Programs rolled out site by site: one initiative per site, jittered by site size."""
    items: list[dict[str, Any]] = []

    def size(site: str) -> float:
        base = {"rmc": 2.0, "stanne": 1.2, "cedar": 0.6}.get(site, 0.5)
        return base * rng.uniform(0.9, 1.1)

    def add(id_: str, name: str, **kw: Any) -> None:
        items.append(initiative(id_, name, **kw))

    for site, label in SITES.items():
        k = size(site)
        hospital = site in HOSPITALS
        add(
            f"net-refresh-{site}",
            f"{label}: network refresh",
            duration=2,
            cost=420000 * k,
            effort={"network": 380 * k, "pm": 40 * k},
            value=round(20 * k + 5),
            addresses={"wan-outages": 0.05, "wifi-dead-zones": 0.02},
            objectives={"it-modern-workplace": 0.3},
            requires=["network-core"],
            tags=["should"],
        )
        add(
            f"wifi-{site}",
            f"{label}: clinical-grade Wi-Fi 6E",
            duration=1,
            cost=260000 * k,
            effort={"network": 260 * k, "pm": 30 * k},
            value=round(22 * k + 6),
            addresses={"wifi-dead-zones": 0.12 if hospital else 0.05},
            objectives={"it-modern-workplace": 0.4, "patient-safety": 0.2},
            requires=[f"net-refresh-{site}"],
            tags=["should"],
        )
        add(
            f"win11-{site}",
            f"{label}: Windows 11 devices",
            duration=1,
            cost=300000 * k,
            effort={"infra": 300 * k, "pm": 30 * k},
            value=round(12 * k + 4),
            addresses={"old-workstations": 0.09},
            objectives={"it-secure": 0.3, "it-modern-workplace": 0.3},
            requires=["win11-platform"],
            tags=["must"],
        )
        add(
            f"badge-tap-{site}",
            f"{label}: badge-tap login",
            duration=1,
            cost=110000 * k,
            effort={"security": 60 * k, "infra": 120 * k, "clinical-apps": 40 * k},
            value=round(18 * k + 4),
            addresses={"slow-login": 0.06},
            objectives={"workforce": 0.4, "it-modern-workplace": 0.4},
            requires=["sso-platform", f"win11-{site}"],
            tags=["should"],
        )
        add(
            f"device-segmentation-{site}",
            f"{label}: medical device segmentation",
            duration=1,
            cost=150000 * k,
            effort={"network": 180 * k, "security": 100 * k},
            value=round(16 * k + 4),
            addresses={"device-sprawl": 0.07},
            objectives={"it-secure": 0.6, "patient-safety": 0.2},
            requires=["nac-platform", f"net-refresh-{site}"],
            tags=["should"],
        )
        add(
            f"ups-closets-{site}",
            f"{label}: UPS and network closets",
            duration=1,
            cost=90000 * k,
            effort={"network": 80 * k, "infra": 60 * k},
            value=round(6 * k + 2),
            addresses={"wan-outages": 0.03},
            objectives={"it-secure": 0.2},
            tags=["could"],
        )
        add(
            f"downtime-pcs-{site}",
            f"{label}: downtime workstations",
            duration=1,
            cost=40000 * k,
            effort={"infra": 60 * k, "clinical-apps": 30 * k},
            value=round(8 * k + 3),
            addresses={"no-dr": 0.02},
            objectives={"patient-safety": 0.3, "it-secure": 0.2},
            requires=["downtime-readiness"],
            tags=["should"],
        )
        add(
            f"physical-security-{site}",
            f"{label}: door access and cameras",
            duration=1,
            cost=120000 * k,
            effort={"network": 60 * k, "security": 40 * k, "infra": 40 * k},
            value=round(7 * k + 3),
            objectives={"patient-safety": 0.3, "it-secure": 0.2},
            requires=[f"net-refresh-{site}"],
            tags=["could"],
        )
    for site, label in HOSPITALS.items():
        k = size(site)
        add(
            f"guest-wifi-{site}",
            f"{label}: patient and guest Wi-Fi",
            duration=1,
            cost=50000 * k,
            effort={"network": 60 * k},
            value=round(5 * k + 2),
            objectives={"access": 0.3},
            requires=[f"wifi-{site}"],
            tags=["could"],
        )
        add(
            f"nurse-call-{site}",
            f"{label}: nurse call replacement",
            duration=2,
            cost=520000 * k,
            effort={
                "network": 120 * k,
                "integration": 160 * k,
                "clinical-apps": 80 * k,
                "pm": 80 * k,
            },
            value=round(30 * k + 15),
            addresses={"nurse-call-eol": 0.5 if site != "rmc" else 0.1, "secure-messaging": 0.05},
            objectives={"patient-safety": 0.8, "workforce": 0.3},
            requires=[f"wifi-{site}"],
            **({"deadline": "2028-Q4"} if site == "stanne" else {}),
            tags=["must" if site != "rmc" else "should"],
        )
        add(
            f"rtls-{site}",
            f"{label}: real-time location",
            duration=1,
            cost=260000 * k,
            effort={"network": 100 * k, "integration": 100 * k},
            value=round(10 * k + 5),
            objectives={"patient-safety": 0.3, "financial": 0.2},
            requires=[f"wifi-{site}"],
            tags=["could"],
        )
        add(
            f"pacs-migrate-{site}",
            f"{label}: imaging to the archive",
            duration=1,
            cost=240000 * k,
            effort={"integration": 160 * k, "infra": 120 * k, "clinical-apps": 60 * k},
            value=round(18 * k + 6),
            addresses={"pacs-silos": 0.1},
            objectives={"it-one-record": 0.5, "patient-safety": 0.3},
            requires=["vna-core"],
            tags=["should"],
        )
        add(
            f"bedside-devices-{site}",
            f"{label}: bedside vitals integration",
            duration=1,
            cost=200000 * k,
            effort={"integration": 200 * k, "clinical-apps": 60 * k},
            value=round(14 * k + 4),
            addresses={"documentation-burden": 0.04},
            objectives={"patient-safety": 0.4, "workforce": 0.4},
            requires=[f"wifi-{site}", "ehr-upgrade"],
            tags=["could"],
        )
        add(
            f"mobile-phones-{site}",
            f"{label}: nurse smartphones",
            duration=1,
            cost=180000 * k,
            effort={"infra": 120 * k, "security": 40 * k, "clinical-apps": 40 * k},
            value=round(12 * k + 4),
            addresses={"secure-messaging": 0.1},
            objectives={"workforce": 0.4, "patient-safety": 0.2},
            requires=["secure-messaging", f"wifi-{site}"],
            tags=["should"],
        )
        add(
            f"ed-tracking-{site}",
            f"{label}: ED tracking board",
            duration=1,
            cost=70000 * k,
            effort={"clinical-apps": 100 * k},
            value=round(8 * k + 3),
            objectives={"access": 0.3, "patient-safety": 0.3},
            requires=["ehr-upgrade"],
            tags=["could"],
        )
    for site, label in CLINIC_GROUPS.items():
        k = size(site)
        add(
            f"telehealth-rooms-{site}",
            f"{label}: telehealth rooms",
            duration=1,
            cost=90000 * k * 2,
            effort={"infra": 60 * k * 2, "clinical-apps": 30 * k * 2},
            value=round(10 * k * 2 + 3),
            addresses={"telehealth-adhoc": 0.05},
            objectives={"access": 0.5},
            requires=["telehealth-platform", f"wifi-{site}"],
            tags=["should"],
        )
        add(
            f"kiosks-{site}",
            f"{label}: check-in kiosks",
            duration=1,
            cost=80000 * k * 2,
            effort={"infra": 40 * k * 2, "clinical-apps": 40 * k * 2},
            value=round(8 * k * 2 + 3),
            addresses={"portal-adoption": 0.03},
            objectives={"access": 0.5, "financial": 0.1},
            requires=["digital-front-door"],
            tags=["could"],
        )
        add(
            f"clinic-phones-{site}",
            f"{label}: cloud contact center",
            duration=1,
            cost=70000 * k * 2,
            run_cost=2000,
            effort={"network": 40 * k * 2, "infra": 40 * k * 2},
            value=round(10 * k * 2 + 3),
            objectives={"access": 0.6},
            tags=["should"],
        )
    departments = {
        "ed": "Emergency department",
        "icu": "Intensive care",
        "periop": "Operating rooms",
        "oncology": "Oncology",
        "peds": "Pediatrics",
        "primary-care": "Primary care",
        "cardiology": "Cardiology",
        "womens": "Women's health",
        "behavioral": "Behavioral health",
        "ortho": "Orthopedics",
    }
    for dept, label in departments.items():
        k = rng.uniform(0.8, 1.2)
        add(
            f"ehr-optimize-{dept}",
            f"EHR optimization: {label}",
            duration=1,
            cost=70000 * k,
            cost_kind="opex",
            effort={"clinical-apps": 220 * k, "pm": 30 * k},
            value=round(12 * k + 6),
            addresses={"documentation-burden": 0.04, "slow-login": 0.01},
            objectives={"workforce": 0.6, "patient-safety": 0.2},
            requires=["ehr-upgrade"],
            tags=["should"],
        )
        add(
            f"ambient-scribe-{dept}",
            f"Ambient AI notes: {label}",
            duration=1,
            cost=60000 * k,
            run_cost=6000,
            cost_kind="opex",
            effort={"clinical-apps": 80 * k, "pm": 20 * k},
            value=round(9 * k + 4),
            addresses={"documentation-burden": 0.03},
            objectives={"workforce": 0.7},
            requires=["ambient-scribe-pilot"],
            tags=["could"],
        )
    for dept in ("ed", "icu", "periop", "oncology"):
        k = rng.uniform(0.9, 1.1)
        add(
            f"clinical-dashboard-{dept}",
            f"Dashboard: {departments[dept]}",
            duration=1,
            cost=50000 * k,
            effort={"data": 140 * k},
            value=round(6 * k + 3),
            addresses={"no-analytics": 0.03},
            objectives={"financial": 0.3, "patient-safety": 0.2},
            requires=["quality-dashboards"],
            tags=["could"],
        )
    for site, label in HOSPITALS.items():
        k = size(site)
        add(
            f"interface-modernize-{site}",
            f"{label}: interface clean-up",
            duration=1,
            cost=60000 * k,
            effort={"integration": 180 * k},
            value=round(7 * k + 3),
            addresses={"interface-backlog": 0.1},
            objectives={"it-one-record": 0.4},
            requires=["fhir-gateway"],
            tags=["could"],
        )
    return items


def groups() -> list[dict[str, Any]]:
    """Count rules: Windows 10 exit, the cyber insurer's controls, alternative paths."""
    win11 = [f"win11-{site}" for site in SITES]
    cyber = [
        "edr-mdr",
        "immutable-backup",
        "siem",
        "privileged-access",
        "vuln-mgmt",
        "email-security",
    ]
    return [
        {
            "id": "windows-10-exit",
            "name": "Extended security updates end: at least seven sites on Windows 11",
            "kind": "at_least",
            "count": 7,
            "members": win11,
        },
        {
            "id": "cyber-insurance",
            "name": "The cyber insurer requires at least four of its six controls",
            "kind": "at_least",
            "count": 4,
            "members": cyber,
        },
        {
            "id": "ehr-dr-path",
            "name": "One EHR disaster recovery path",
            "kind": "at_most",
            "count": 1,
            "members": ["ehr-dr-site", "ehr-dr-cloud"],
        },
        {
            "id": "lab-path",
            "name": "Exactly one lab system path before Cedar Falls loses support",
            "kind": "exactly",
            "count": 1,
            "members": ["lis-consolidation", "lis-cedar-replace"],
        },
        {
            "id": "scribe-vendors",
            "name": "Ambient documentation: at most two tools",
            "kind": "at_most",
            "count": 1,
            "members": ["ambient-scribe-pilot", "speech-recognition"],
        },
    ]


def responses(rng: random.Random) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """A few leadership answers in the file, and the wider survey as CSV rows."""
    # Service -> (importance, satisfaction) centres; answers scatter around them.
    centres = {
        "ehr": (10, 4),
        "pacs": (8, 4),
        "lab": (7, 6),
        "pharmacy": (8, 6),
        "nurse-call": (9, 3),
        "portal": (7, 4),
        "telehealth": (6, 4),
        "network": (8, 4),
        "wifi": (9, 3),
        "identity": (8, 3),
        "endpoints": (7, 5),
        "service-desk": (7, 5),
        "analytics": (7, 3),
        "interfaces": (6, 4),
        "backup": (9, 3),
        "revenue-cycle": (8, 5),
        "security-ops": (8, 4),
    }
    people = [
        (
            "Dr. Helen Okafor",
            "Executive",
            "Chief executive officer",
            2.0,
            ["ehr", "analytics", "portal", "backup", "revenue-cycle", "security-ops"],
            "I need one set of numbers and I need to know we survive a ransomware attack.",
        ),
        (
            "Marcus Bell",
            "Executive",
            "Chief financial officer",
            2.0,
            ["revenue-cycle", "analytics", "ehr", "service-desk"],
            "Denials cost us four million last year.",
        ),
        (
            "Dr. Ana Ruiz",
            "Executive",
            "Chief medical information officer",
            2.0,
            ["ehr", "pacs", "interfaces", "identity", "telehealth"],
            "Our doctors spend two hours a night in the chart.",
        ),
        (
            "Grace Liu",
            "Executive",
            "Chief nursing officer",
            2.0,
            ["nurse-call", "wifi", "ehr", "identity", "pharmacy"],
            "Nurse call at St. Anne fails weekly; that is a safety event waiting to happen.",
        ),
        (
            "Tom Haverford",
            "IT",
            "Chief information security officer",
            1.5,
            ["identity", "backup", "security-ops", "network", "endpoints"],
            "We have no immutable backup and no MFA on the VPN.",
        ),
        (
            "Priya Shah",
            "Nursing",
            "Nurse manager, ICU (RMC)",
            1.0,
            ["nurse-call", "wifi", "ehr", "pharmacy", "endpoints", "identity"],
            "Scanners drop off Wi-Fi in half the rooms.",
        ),
        (
            "Jorge Alvarez",
            "Nursing",
            "Charge nurse, St. Anne med-surg",
            1.0,
            ["nurse-call", "wifi", "identity", "endpoints", "service-desk"],
            "",
        ),
        (
            "Dr. Samuel Price",
            "Medical staff",
            "Emergency physician",
            1.0,
            ["ehr", "pacs", "identity", "endpoints", "lab"],
            "Outside images still come on CDs.",
        ),
        (
            "Dr. Mei Tanaka",
            "Medical staff",
            "Radiologist",
            1.0,
            ["pacs", "network", "interfaces", "ehr"],
            "Three archives, three logins.",
        ),
        (
            "Linda Brooks",
            "Patient access",
            "Director of patient access",
            1.5,
            ["portal", "telehealth", "network", "revenue-cycle", "ehr"],
            "Patients want to book online like everywhere else.",
        ),
        (
            "Kevin O'Neil",
            "Revenue cycle",
            "Billing manager",
            1.0,
            ["revenue-cycle", "ehr", "analytics", "service-desk"],
            "",
        ),
        (
            "Rosa Martinez",
            "Clinics",
            "Practice manager, Valley clinics",
            1.0,
            ["network", "portal", "telehealth", "ehr", "service-desk", "endpoints"],
            "When the WAN drops we check patients in on paper.",
        ),
        (
            "Dr. Aaron Feld",
            "Medical staff",
            "Family physician, North clinics",
            1.0,
            ["ehr", "telehealth", "portal", "identity", "endpoints"],
            "",
        ),
        (
            "Nina Petrov",
            "Pharmacy",
            "Director of pharmacy",
            1.0,
            ["pharmacy", "ehr", "interfaces", "identity"],
            "Controlled substances are still on paper at Cedar Falls.",
        ),
        (
            "Omar Haddad",
            "Lab",
            "Laboratory director",
            1.0,
            ["lab", "interfaces", "ehr", "backup"],
            "",
        ),
        (
            "Beth Carter",
            "Quality",
            "VP quality and patient safety",
            1.5,
            ["analytics", "ehr", "nurse-call", "pharmacy"],
            "We report quality measures by hand.",
        ),
        (
            "Chris Young",
            "Operations",
            "Director of facilities",
            1.0,
            ["network", "wifi", "nurse-call", "service-desk"],
            "",
        ),
        (
            "Dr. Fatima Noor",
            "Medical staff",
            "Hospitalist, Cedar Falls",
            1.0,
            ["ehr", "lab", "telehealth", "wifi", "identity"],
            "",
        ),
        (
            "Sarah Kim",
            "Nursing",
            "Nurse educator",
            1.0,
            ["ehr", "identity", "endpoints", "service-desk", "wifi"],
            "Seventy logins a shift.",
        ),
        (
            "Victor Nguyen",
            "Supply chain",
            "Supply chain manager",
            1.0,
            ["analytics", "service-desk", "endpoints"],
            "",
        ),
        (
            "Hannah Scott",
            "Human resources",
            "VP human resources",
            1.0,
            ["service-desk", "identity", "analytics"],
            "",
        ),
        (
            "Dr. Paul Mensah",
            "Medical staff",
            "Cardiologist",
            1.0,
            ["ehr", "pacs", "telehealth", "interfaces"],
            "",
        ),
        (
            "Julia Brandt",
            "Clinics",
            "Practice manager, Lakeshore clinics",
            1.0,
            ["network", "portal", "endpoints", "service-desk", "telehealth"],
            "",
        ),
        (
            "Daniel Ortiz",
            "Patient access",
            "Scheduling supervisor",
            1.0,
            ["portal", "ehr", "network", "service-desk"],
            "Half our calls are people trying to reschedule.",
        ),
        (
            "Megan Ross",
            "Nursing",
            "Nurse manager, labor and delivery",
            1.0,
            ["nurse-call", "wifi", "ehr", "identity"],
            "",
        ),
        (
            "Ethan Walsh",
            "IT",
            "Service desk lead",
            1.0,
            ["service-desk", "endpoints", "identity", "network"],
            "",
        ),
        (
            "Dr. Lucia Romano",
            "Medical staff",
            "Oncologist",
            1.0,
            ["ehr", "portal", "analytics", "pharmacy"],
            "",
        ),
        (
            "Ibrahim Diallo",
            "Finance",
            "Controller",
            1.0,
            ["analytics", "revenue-cycle", "service-desk"],
            "",
        ),
        (
            "Karen Whitfield",
            "Board",
            "Board quality committee chair",
            1.5,
            ["analytics", "security-ops", "backup", "ehr"],
            "The board wants a credible cyber plan.",
        ),
        (
            "Leo Fischer",
            "Clinics",
            "Medical assistant, East clinics",
            1.0,
            ["ehr", "network", "endpoints", "portal"],
            "",
        ),
    ]
    in_file: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    day, minute = 3, 0
    for n, (who, dept, role, weight, services, comment) in enumerate(people):
        answers = {}
        for service in services:
            imp, sat = centres[service]
            importance = max(1, min(10, imp + rng.choice([-1, 0, 0, 1])))
            satisfaction = max(1, min(10, sat + rng.choice([-2, -1, 0, 0, 1, 2])))
            skipped = rng.random() < 0.08
            answers[service] = (importance, None if skipped else satisfaction)
        if n < 5:  # the executives answered in the workshop: they are in the file
            record: dict[str, Any] = {
                "stakeholder": who,
                "department": dept,
                "role": role,
                "weight": weight,
            }
            record["importance"] = {s: a[0] for s, a in answers.items()}
            record["satisfaction"] = {s: a[1] for s, a in answers.items() if a[1] is not None}
            if comment:
                record["comment"] = comment
            in_file.append(record)
            continue
        minute += rng.randint(7, 95)
        day += minute // 600
        minute %= 600
        stamp = f"2026-11-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}"
        for k, (service, (importance, satisfaction)) in enumerate(answers.items()):
            first = k == 0
            rows.append(
                [
                    stamp,
                    who,
                    dept if first else "",
                    role if first else "",
                    str(weight) if first else "",
                    service,
                    str(importance),
                    "" if satisfaction is None else str(satisfaction),
                    comment if first else "",
                ]
            )
    return in_file, rows


def budgets() -> dict[str, Any]:
    """Capacity: fiscal-year envelopes that fund roughly half of what is proposed."""
    return {
        # Fiscal years begin in July: FY2027 = 2027-Q1..Q2, FY2028, FY2029, FY2030 = 2029-Q3..Q4.
        "budget": 19_500_000,
        "fiscal_year_start": 7,
        "budget_per_year": [3_200_000, 6_800_000, 6_600_000, 3_400_000],
        "capex_per_year": [2_700_000, 5_400_000, 5_200_000, 2_600_000],
        "opex_per_period": 500_000,
        "budget_per_period": [
            1_700_000,
            1_700_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
            1_800_000,
        ],
        "skills": {
            "infra": 1100,
            "network": [700, 700, 700, 520, 700, 700, 700, 520, 700, 700, 700, 520],
            "security": 520,
            "clinical-apps": [
                1500,
                1500,
                1500,
                1100,
                1500,
                1500,
                1500,
                1100,
                1500,
                1500,
                1500,
                1100,
            ],
            "integration": 650,
            "data": 420,
            "pm": 560,
        },
        "contractors": {
            "clinical-apps": {"rate": 165, "max": 600},
            "security": {"rate": 195, "max": 200},
            "integration": {"rate": 150, "max": 240},
        },
        "pools": [
            {
                "id": "cyber-grant",
                "name": "State rural hospital cybersecurity grant",
                "amount": 450000,
                "tags": ["cyber-grant"],
            },
        ],
    }


def engagement() -> dict[str, Any]:
    """The whole engagement as plain data, in the order of the reference."""
    rng = random.Random(SEED)  # noqa: S311 - seeded jitter of sample data, not cryptography
    items = enterprise() + rollouts(rng)
    for item in items:  # benefits per quarter after go-live, reached over the first quarters
        if item["id"] in BENEFITS:
            amount, ramp = BENEFITS[item["id"]]
            item["benefit"] = amount
            item["benefit_ramp"] = ramp
    for item in items:  # the grant pays for cyber work at the critical access hospital
        if item["id"] in {"device-segmentation-cedar", "downtime-pcs-cedar", "ups-closets-cedar"}:
            item["tags"] = [*item.get("tags", []), "cyber-grant"]
    in_file, _ = responses(random.Random(SEED + 1))  # noqa: S311
    return {
        "engagement": {
            "client": "Riverbend Health",
            "mission": "Exceptional care, close to home, for every person in the Riverbend valley.",
            "vision": "Secure, always-on technology that gives clinicians time back, patients easy access, and leaders one trusted view of the system.",
            "start": "2027-Q1",
            "period": "quarter",
            "periods": QUARTERS,
            "currency": "USD",
        },
        "objective": OBJECTIVES,
        "pairwise": {"objectives": PAIRWISE_ORDER, "matrix": PAIRWISE},
        "service": SERVICES,
        "survey": {"scale_min": 1, "scale_max": 10, "min_responses": 3},
        "response": in_file,
        "issue": [
            {"id": id_, "name": name, "severity": sev, "objectives": objs, "services": svcs}
            for id_, name, sev, objs, svcs in ISSUES
        ],
        "initiative": items,
        "group": groups(),
        "capacity": budgets(),
        "plan": {
            "objective": "value",
            "timing": "once",
            "discount_rate": 0.02,
            "solver": "auto",
            "time_limit": 60,
            "gap": 0.0,
        },
    }


SECTIONS = {
    "objective": "objectives (weights from the pairwise judgments below)",
    "pairwise": "AHP judgments of the leadership workshop",
    "service": "IT services and capabilities, maturity 0-5",
    "survey": "stakeholder survey (more answers in regional-health-survey.csv)",
    "issue": "key issues",
    "initiative": "candidate initiatives",
    "group": "count rules",
    "capacity": "money and people",
    "plan": "plan",
}


def _value(value: object) -> str:
    """A TOML value on one line: inline tables and arrays, as the other examples write them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _table(lines: list[str], header: str, table: dict[str, Any]) -> None:
    lines.append(header)
    nested = {k: v for k, v in table.items() if isinstance(v, dict) and header == "[capacity]"}
    lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items() if k not in nested]
    pools = table.get("pools")
    if header == "[capacity]":
        lines.remove(f"pools = {_value(pools)}")
        lines.append("")
        lines.append("[capacity.skills]  # in-house hours per quarter (Q4: holidays)")
        lines += [f"{_key(k)} = {_value(v)}" for k, v in table["skills"].items()]
        for skill, contractor in table["contractors"].items():
            lines += ["", f"[capacity.contractors.{skill}]"]
            lines += [f"{k} = {_value(v)}" for k, v in contractor.items()]
        for pool in pools or []:
            lines += ["", "[[capacity.pools]]"]
            lines += [f"{k} = {_value(v)}" for k, v in pool.items()]
    lines.append("")


def toml_text(data: dict[str, Any]) -> str:
    """The engagement as TOML with a comment per section; tomllib reads back the same data."""
    lines = [HEADER.rstrip("\n"), ""]
    for name, content in data.items():
        if name in SECTIONS:
            lines += [f"# {'-' * 75} {SECTIONS[name]}", ""]
        if isinstance(content, list):
            for item in content:
                _table(lines, f"[[{name}]]", item)
        else:
            _table(lines, f"[{name}]", content)
    text = "\n".join(lines).rstrip("\n") + "\n"
    if tomllib.loads(text) != data:
        raise AssertionError("the TOML does not read back as the data")
    return text


def main() -> None:
    """Write the engagement and the survey beside this script."""
    data = engagement()
    (HERE / "regional-health.toml").write_text(toml_text(data), encoding="utf-8")
    _, rows = responses(random.Random(SEED + 1))  # noqa: S311
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "timestamp",
            "stakeholder",
            "department",
            "role",
            "weight",
            "service",
            "importance",
            "satisfaction",
            "comment",
        ]
    )
    writer.writerows(rows)
    (HERE / "regional-health-survey.csv").write_text(out.getvalue(), encoding="utf-8")
    print(f"wrote {len(data['initiative'])} initiatives, {len(rows)} survey rows")


if __name__ == "__main__":
    main()
