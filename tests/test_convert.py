"""Converting between TOML, JSON, YAML, XLSX and CSV: lossless, deterministic, atomic."""

import itertools
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.model import Pool
from itstrat_engine.workbook import SHEETS, column_note
from tests.strategies import engagements

EXAMPLES = Path(__file__).parent.parent / "examples"
# Each format by the name it is written under (no suffix: a folder of CSV files).
FORMATS = {
    "toml": "e.toml",
    "json": "e.json",
    "yaml": "e.yaml",
    "xlsx": "e.xlsx",
    "zip": "e.zip",
    "csv": "e",
}
PAIRS = list(itertools.product(FORMATS, repeat=2))


def round_trip(engagement: it.Engagement, source: str, target: str) -> it.Engagement:
    """Write in `source`'s format, convert to `target`'s, read the result back."""
    with tempfile.TemporaryDirectory() as folder:
        first = Path(folder) / "in" / FORMATS[source]
        second = Path(folder) / "out" / FORMATS[target]
        first.parent.mkdir()
        second.parent.mkdir()
        it.write_engagement(engagement, first)
        converted = it.convert(first, second)
        assert converted == engagement
        return it.load(second)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements(max_initiatives=6), st.sampled_from(PAIRS))
def test_convert_is_lossless(engagement: it.Engagement, pair: tuple[str, str]) -> None:
    """load(convert(e)) == e for generated engagements and any pair of formats."""
    assert round_trip(engagement, *pair) == engagement


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_generated_engagement_survives_every_pair(source: str, target: str) -> None:
    """A synthetic engagement with a survey, groups and contractors survives every pair."""
    engagement = it.generate(15, seed=11)
    assert round_trip(engagement, source, target) == engagement


@pytest.mark.parametrize("suffix", [".xlsx", ".zip", ".toml", ".json", ".yaml"])
def test_convert_output_is_byte_identical(tmp_path: Path, suffix: str) -> None:
    """Converting the same input twice gives the same bytes."""
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    source = EXAMPLES / "dental-group.toml"
    assert main(["convert", str(source), str(first)]) == 0
    assert main(["convert", str(source), str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_failed_convert_leaves_the_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid input or an unwritable output changes nothing on disk."""
    output = tmp_path / "out.xlsx"
    output.write_bytes(b"the previous workbook")
    bad = tmp_path / "bad.toml"
    bad.write_text('[engagement]\nclient = "Acme"\nstart = "2027-Q1"\nperiods = "ten"\n')
    assert main(["convert", str(bad), str(output)]) == 1
    err = capsys.readouterr().err
    assert "engagement.periods: wrong type: got 'ten', expected a whole number" in err
    assert output.read_bytes() == b"the previous workbook"
    # A text Excel cannot hold fails the workbook write: the old file stays, no stray files.
    too_long = it.from_dict(
        {"engagement": {"client": "x" * 40000, "start": "2027-Q1", "periods": 2}}
    )
    it.dump(too_long, tmp_path / "long.toml")
    assert main(["convert", str(tmp_path / "long.toml"), str(output)]) == 1
    assert (
        "sheet engagement, row 2, column client: more than 32,767 characters"
        in capsys.readouterr().err
    )
    assert output.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "long.toml", "out.xlsx"]


def test_convert_refuses_to_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert IN IN is refused before anything is written."""
    source = tmp_path / "e.toml"
    it.dump(it.generate(3, seed=1), source)
    before = source.read_bytes()
    assert main(["convert", str(source), str(source)]) == 1
    assert "refusing to write the output over a file this command reads" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_convert_unknown_suffix_and_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown output suffix or an existing CSV folder is a located error, exit 1."""
    source = tmp_path / "e.toml"
    it.dump(it.generate(3, seed=1), source)
    assert main(["convert", str(source), str(tmp_path / "e.docx")]) == 1
    assert "unknown file type: got '.docx'" in capsys.readouterr().err
    (tmp_path / "folder").mkdir()
    assert main(["convert", str(source), str(tmp_path / "folder")]) == 1
    assert "the folder exists already" in capsys.readouterr().err
    assert main(["convert", str(source), str(tmp_path / "no" / "such" / "folder")]) == 1
    assert "cannot write the folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.toml", "folder"]


def test_convert_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing workbook is one line naming it, exit 1, no traceback."""
    assert main(["convert", str(tmp_path / "nope.xlsx"), str(tmp_path / "e.toml")]) == 1
    err = capsys.readouterr().err
    assert "nope.xlsx: no such file" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- template


def test_template_workbook_has_every_sheet_note_and_example_row(tmp_path: Path) -> None:
    """Every sheet, a note on every header, and one example row under it."""
    path = tmp_path / "engagement.xlsx"
    assert main(["template", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet.name for sheet in SHEETS]
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 2, sheet.title  # the header and one example row
        assert any(value is not None for value in rows[1]), sheet.title
        for cell in sheet[1]:
            assert cell.comment is not None, (sheet.title, cell.value)
            assert cell.comment.text == column_note(sheet.title, str(cell.value))


def test_template_notes_come_from_the_reference() -> None:
    """A note says what docs/engagement-file.md says about the key."""
    assert column_note("initiatives", "cost").startswith(
        "One-off cost, spread over the running periods."
    )
    assert column_note("initiatives", "effort.infra").endswith("This column: infra.")
    assert column_note("contractors", "rate").startswith("Price per hour")


def test_template_loads_and_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The template as written is a valid engagement with no warnings, equal to `template()`."""
    path = tmp_path / "engagement.xlsx"
    assert main(["template", "-o", str(path)]) == 0
    assert it.load(path) == it.template()
    capsys.readouterr()
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: valid"
    assert it.plan(it.load(path), time_limit=10).status.value == "optimal"


def test_template_in_other_formats_and_overwrites(tmp_path: Path) -> None:
    """-o with another suffix writes that format; an existing file is replaced whole."""
    path = tmp_path / "engagement.toml"
    path.write_text("old")
    assert main(["template", "-o", str(path)]) == 0
    assert it.load(path) == it.template()
    assert main(["template", "-o", str(tmp_path / "engagement.xlsx")]) == 0
    assert (tmp_path / "engagement.xlsx").read_bytes() == it.to_xlsx(it.template())


# --------------------------------------------------------------------------- every table

ids = st.from_regex(r"[a-z][a-z0-9.-]{0,6}", fullmatch=True)
words = st.text(max_size=12)
numbers = st.floats(0, 1e6, allow_nan=False) | st.integers(0, 10**6).map(float)
shares = st.sampled_from([(1.0,), (0.5, 0.5), (0.25, 0.75), (0.2, 0.3, 0.5)])


@st.composite
def rich_engagements(draw: st.DrawFn) -> it.Engagement:
    """Engagements that fill every table and every kind of cell the strategies leave out.

    Only the model's own checks hold (a converter does not cross-check references), so ids
    and lists can be anything a file could hold: labels that look like numbers, fraction
    strings, one-item per-period lists, text with commas and quotes.
    """
    kind = draw(st.sampled_from(["quarter", "month", "year"]))
    start = {"quarter": "2027-Q3", "month": "2027-11", "year": "2027"}[kind]
    periods = draw(st.integers(1, 4))
    scope = it.Scope(
        client=draw(words), start=start, period=kind, periods=periods, vision=draw(words)
    )
    per_period = numbers | st.lists(numbers, min_size=1, max_size=4).map(tuple)
    period_ref = st.none() | st.integers(0, 5) | st.sampled_from([start, "2028", "2028-Q1", "7"])
    keyed = st.dictionaries(ids, numbers, max_size=3)
    fractions = st.dictionaries(ids, st.floats(0, 1), max_size=3)
    texts = st.lists(words, max_size=3).map(tuple)

    def initiative(n: int) -> it.Initiative:
        profile = draw(st.none() | shares)
        gate = draw(st.sampled_from(["mandatory", "forbidden", None]))
        return it.Initiative(
            id=f"i{n}",
            name=draw(words),
            duration=len(profile) if profile else draw(st.integers(1, 3)),
            profile=profile,
            cost=draw(numbers),
            cost_kind=draw(st.sampled_from(["capex", "opex"])),
            run_cost=draw(st.floats(-1e5, 1e5)),
            benefit=draw(per_period),
            benefit_ramp=tuple(draw(st.lists(st.floats(0, 1), max_size=3))),
            effort=draw(keyed),
            addresses=draw(fractions),
            objectives=draw(fractions),
            requires=tuple(draw(st.lists(ids, unique=True, max_size=2))),
            excludes=tuple(draw(st.lists(ids, unique=True, max_size=2))),
            earliest=draw(period_ref),
            deadline=draw(period_ref),
            mandatory=gate == "mandatory",
            forbidden=gate == "forbidden",
            value=draw(st.none() | numbers),
            risk=draw(st.floats(0, 1)),
            tags=draw(texts),
            fields=draw(st.dictionaries(st.sampled_from(["reach", "impact", "job_size"]), numbers)),
        )

    objectives = tuple(
        it.Objective(
            id=f"o{n}",
            name=draw(words),
            kind=draw(st.sampled_from(["business", "it"])),
            weight=draw(st.none() | numbers),
            supports=tuple(draw(st.lists(ids, unique=True, max_size=2))),
            target=draw(words),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    size = draw(st.integers(1, 3))
    entry = st.floats(0.1, 9) | st.sampled_from(["1/3", "1/9", "3", "0.5"])
    pairwise = draw(
        st.none()
        | st.just(
            it.Pairwise(
                objectives=tuple(f"o{n}" for n in range(size)),
                matrix=tuple(tuple(draw(entry) for _ in range(size)) for _ in range(size)),
            )
        )
    )
    services = tuple(
        it.Service(
            id=f"v{n}",
            name=draw(words),
            kind=draw(st.sampled_from(["service", "capability"])),
            current=draw(st.none() | st.floats(0, 5)),
            target=draw(st.none() | st.floats(0, 5)),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    responses = tuple(
        it.Response(
            stakeholder=draw(words),
            department=draw(words),
            weight=draw(st.floats(0, 5)),
            importance=draw(st.dictionaries(ids, st.floats(1, 10), max_size=3)),
            satisfaction=draw(st.dictionaries(ids, st.floats(1, 10), max_size=3)),
            comment=draw(words),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    issues = tuple(
        it.Issue(
            id=f"q{n}",
            name=draw(words),
            severity=draw(st.none() | st.floats(0, 5)),
            objectives=tuple(draw(st.lists(ids, unique=True, max_size=2))),
            tags=draw(texts),
            fields=draw(st.dictionaries(st.sampled_from(["likelihood", "impact"]), numbers)),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    groups = tuple(
        it.Group(
            id=f"g{n}",
            kind=draw(st.sampled_from(["at_most", "at_least", "exactly"])),
            count=draw(st.integers(0, 3)),
            members=tuple(draw(st.lists(ids, unique=True, min_size=1, max_size=3))),
            name=draw(words),
        )
        for n in range(draw(st.integers(0, 2)))
    )
    capacity = it.Capacity(
        budget=draw(st.none() | numbers),
        budget_per_period=draw(st.none() | per_period),
        budget_per_year=draw(st.none() | per_period),
        fiscal_year_start=draw(st.integers(1, 12)),
        capex_per_period=draw(st.none() | per_period),
        opex_per_year=draw(st.none() | per_period),
        skills=draw(st.dictionaries(ids, per_period, max_size=3)),
        contractors=draw(
            st.dictionaries(ids, st.builds(it.Contractor, rate=numbers, max=per_period), max_size=2)
        ),
        pools=tuple(
            Pool(
                id=f"p{n}",
                name=draw(words),
                amount=draw(numbers),
                tags=draw(st.lists(words, min_size=1, max_size=2).map(tuple)),
            )
            for n in range(draw(st.integers(0, 2)))
        ),
    )
    settings_ = it.PlanSettings(
        objective=draw(st.sampled_from(["value", "coverage", "makespan", "cost", "npv"])),
        timing=draw(st.sampled_from(["once", "after-finish", "discounted"])),
        coverage=draw(st.none() | st.floats(0, 1)),
        rules=draw(texts),
        params=draw(st.dictionaries(st.sampled_from(["wsjf.min_size", "weight", "a b"]), numbers)),
        solver=draw(st.sampled_from(["auto", "highs", "cbc", "cpsat"])),
        time_limit=draw(st.floats(0.5, 600)),
        threads=draw(st.none() | st.integers(1, 8)),
    )
    return it.Engagement(
        scope=scope,
        objectives=objectives,
        pairwise=pairwise,
        services=services,
        survey=it.Survey(
            scale_min=0, scale_max=draw(st.floats(1, 100)), min_responses=draw(st.integers(1, 5))
        ),
        responses=responses,
        issues=issues,
        initiatives=tuple(initiative(n) for n in range(draw(st.integers(0, 4)))),
        groups=groups,
        capacity=capacity,
        plan=settings_,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_engagements(), st.sampled_from(["xlsx", "zip", "csv"]))
def test_every_table_and_cell_kind_round_trips(engagement: it.Engagement, target: str) -> None:
    """Pairwise, responses, pools, profiles, labels and all keyed tables survive a workbook."""
    assert round_trip(engagement, "toml", target) == engagement
