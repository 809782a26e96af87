"""Writing an engagement in any format, converting between formats, and the blank template.

The formats: TOML, JSON, YAML (`itstrat_engine.io`), an Excel workbook and CSV files in a
``.zip`` or a new folder (`itstrat_engine.workbook`). `convert` reads one and writes
another; ``load(convert(...))`` gives back the same engagement. `template` is a small valid
engagement with one example row for every table, which ``itstrat template`` writes as a
workbook with a note on every column.
"""

from pathlib import Path

from itstrat_engine.errors import Problem, UnwritableFileError
from itstrat_engine.io import Format, dumps, load, write_atomic
from itstrat_engine.model import (
    Capacity,
    Contractor,
    Engagement,
    Group,
    Initiative,
    Issue,
    Objective,
    Pairwise,
    PlanSettings,
    Pool,
    Response,
    Scope,
    Service,
    Survey,
)
from itstrat_engine.workbook import to_csv_zip, to_xlsx, write_csv_folder

__all__ = ["OUTPUT_SUFFIXES", "convert", "template", "write_engagement"]

_TEXT_FORMATS: dict[str, Format] = {
    ".toml": "toml",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}
OUTPUT_SUFFIXES = (*_TEXT_FORMATS, ".xlsx", ".zip")
"""The suffixes `write_engagement` writes; a path without a suffix is a new folder of CSVs."""


def write_engagement(engagement: Engagement, path: str | Path) -> None:
    """Write an engagement in the format the path names, atomically.

    ``.toml``, ``.json``, ``.yaml``/``.yml``, ``.xlsx`` (a workbook), ``.zip`` (CSV files in
    an archive), or no suffix (CSV files in a new folder). A failed write leaves any existing
    file as it was. Raises `UnwritableFileError` for an unknown suffix or a failed write, and
    `MissingExtraError` when the format needs an extra that is not installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _TEXT_FORMATS:
        write_atomic(path, dumps(engagement, _TEXT_FORMATS[suffix]))
    elif suffix == ".xlsx":
        write_atomic(path, to_xlsx(engagement))
    elif suffix == ".zip":
        write_atomic(path, to_csv_zip(engagement))
    elif not suffix:
        write_csv_folder(engagement, path)
    else:
        raise UnwritableFileError(
            Problem(
                code="unknown-format",
                path="",
                message="unknown file type",
                value=repr(path.suffix),
                expected="one of " + ", ".join(OUTPUT_SUFFIXES) + ", or a folder (no suffix)",
                suggestion="rename the output with one of those suffixes",
                file=str(path),
            )
        )


def convert(source: str | Path, target: str | Path) -> Engagement:
    """Read the engagement in `source` and write it to `target`; returns the engagement.

    Both formats follow the suffixes (see `write_engagement`); nothing is written when the
    source has a problem. ``load(target) == load(source)``.
    """
    engagement = load(source)
    write_engagement(engagement, target)
    return engagement


def template() -> Engagement:
    """A small valid engagement with one example row in every table of a workbook.

    >>> template().initiatives[0].id
    'ehr-upgrade'
    """
    return Engagement(
        scope=Scope(
            client="Example Clinic Group",
            mission="Calm, on-time care close to home.",
            vision="IT that disappears into the background.",
            start="2027-Q1",
            period="quarter",
            periods=8,
            currency="USD",
        ),
        objectives=(
            Objective(
                id="patient-experience",
                name="Patient experience",
                description="Make booking, waiting and follow-up effortless.",
                metric="Net Promoter Score",
                target="70 by 2028-Q4",
            ),
        ),
        pairwise=Pairwise(objectives=("patient-experience",), matrix=((1,),)),
        services=(
            Service(
                id="ehr",
                name="Electronic health record",
                owner="Medical director",
                current=2,
                target=4,
            ),
        ),
        survey=Survey(scale_min=1, scale_max=10, min_responses=1),
        responses=(
            Response(
                stakeholder="Dr. Ann Lee",
                department="Clinics",
                role="Medical director",
                weight=2,
                importance={"ehr": 9},
                satisfaction={"ehr": 4},
                comment="The chart is slow at every visit.",
            ),
        ),
        issues=(
            Issue(
                id="slow-ehr",
                name="The EHR is slow and out of support",
                severity=4,
                objectives=("patient-experience",),
                services=("ehr",),
            ),
        ),
        initiatives=(
            Initiative(
                id="ehr-upgrade",
                name="EHR upgrade",
                description="Upgrade to the current release and train every user.",
                duration=2,
                cost=120000,
                run_cost=2000,
                effort={"infra": 160},
                addresses={"slow-ehr": 0.8},
                objectives={"patient-experience": 0.6},
                deadline="2028-Q2",
                value=50,
                risk=0.2,
                tags=("must", "grant"),
                fields={"business_value": 8},
            ),
        ),
        groups=(
            Group(
                id="one-ehr-path",
                kind="at_most",
                count=1,
                members=("ehr-upgrade",),
                name="At most one EHR path",
            ),
        ),
        capacity=Capacity(
            budget=400000,
            budget_per_period=80000,
            skills={"infra": 200},
            contractors={"infra": Contractor(rate=150, max=40)},
            pools=(Pool(id="grant", name="State health IT grant", amount=30000, tags=("grant",)),),
        ),
        plan=PlanSettings(objective="value", time_limit=30),
    )
