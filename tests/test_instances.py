"""Benchmark instance readers and their engagements: counts, known numbers, located errors."""

import os
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine import instances
from itstrat_engine.instances import serial_schedule
from itstrat_engine.model import ID_PATTERN

BENCHDATA = Path(
    os.environ.get("ITSTRAT_BENCHDATA")
    or Path(__file__).resolve().parents[2] / "shared" / "benchdata"
)
needs_data = pytest.mark.skipif(
    not BENCHDATA.is_dir(), reason=f"benchmark data not found in {BENCHDATA}"
)
MKNAP1 = BENCHDATA / "mkp" / "mknap1.txt"
MKNAPCB1 = BENCHDATA / "mkp" / "mknapcb1.txt"
J30 = BENCHDATA / "rcpsp" / "j30"

TINY_MKNAP = """2
3 2 7
 4 3 0.5
 1 2 3
 2 2 2
 4 5
2 1 0
 1 1
 1 1
 1
"""

TINY_SM = """************************************************************************
file with basedata            : tiny.bas
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  6
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     2       2    1
  3      1     3       2    0
  4      1     1       1    1
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    3    1
************************************************************************
"""


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(engagement: it.Engagement) -> list[it.Problem]:
    return [p for p in it.validate(engagement) if p.severity == "error"]


def instance_error(call: object, *args: object) -> str:
    with pytest.raises(instances.InstanceError) as caught:
        call(*args)  # type: ignore[operator]
    assert isinstance(caught.value, it.ItstratError)
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


# --------------------------------------------------------------------------- knapsack


def test_read_mknap_tokens_ignore_line_breaks(tmp_path: Path) -> None:
    """Problems are read from the token stream, named by file stem and 1-based index."""
    first, second = instances.read_mknap(write(tmp_path, TINY_MKNAP, "tiny.txt"))
    assert (first.name, first.n, first.m, first.optimum) == ("tiny-1", 3, 2, 7.0)
    assert first.profits == (4.0, 3.0, 0.5)
    assert first.weights == ((1.0, 2.0, 3.0), (2.0, 2.0, 2.0))
    assert first.capacities == (4.0, 5.0)
    assert (first.source, first.index) == ("tiny.txt", 1)
    assert (second.name, second.n, second.m, second.optimum) == ("tiny-2", 2, 1, None)


def test_knapsack_engagement_maps_budget_and_skills(tmp_path: Path) -> None:
    """Constraint 1 is the money, the others skill pools; each item a one-period initiative."""
    first, _ = instances.read_mknap(write(tmp_path, TINY_MKNAP, "tiny.txt"))
    e = instances.knapsack_engagement(first)
    assert e.periods == 1
    assert e.plan.objective == "value"
    assert e.plan.gap == 0.0
    assert e.capacity.budget == 4.0
    assert e.capacity.budget_per_period is None
    assert e.capacity.skills == {"constraint-2": 5.0}
    assert [(i.id, i.duration, i.cost, i.value) for i in e.initiatives] == [
        ("item-1", 1, 1.0, 4.0),
        ("item-2", 1, 2.0, 3.0),
        ("item-3", 1, 3.0, 0.5),
    ]
    assert e.initiatives[0].effort == {"constraint-2": 2.0}
    assert errors(e) == []


def test_knapsack_engagement_leaves_out_zero_effort() -> None:
    """A zero weight in a skill row is no effort on that skill."""
    instance = instances.KnapsackInstance(
        name="z", profits=(1.0, 2.0), weights=((1.0, 1.0), (0.0, 3.0)), capacities=(2.0, 3.0)
    )
    e = instances.knapsack_engagement(instance)
    assert [i.effort for i in e.initiatives] == [{}, {"constraint-2": 3.0}]


def test_knapsack_engagement_rejects_ragged_weights() -> None:
    """Weight rows must have one number per item."""
    instance = instances.KnapsackInstance(
        name="bad", profits=(1.0, 2.0), weights=((1.0,),), capacities=(2.0,)
    )
    assert "weight row 1 has 1 numbers" in instance_error(instances.knapsack_engagement, instance)


@pytest.mark.parametrize(
    ("text", "located", "message"),
    [
        ("", "line 1", "the file holds no numbers"),
        ("1\n2 1 0\n 3 x\n", "line 3", "not a number in the profits of problem 1: got 'x'"),
        (
            "1\n2 1 0\n 3 4\n 1 -2\n 5\n",
            "line 4",
            "invalid value in row 1 of the weights of problem 1",
        ),
        ("1\n2 1 0\n 3 4\n 1 2\n", "line 4", "the file ends while reading the capacities"),
        ("1\n2 1 0\n 3 4\n 1 2\n 5\n9\n", "line 6", "data after the 1 problems"),
        ("1.5\n", "line 1", "invalid value in the number of problems"),
        ("1\n2 1 0\n nan 4\n 1 2\n 5\n", "line 3", "invalid value in the profits of problem 1"),
    ],
)
def test_read_mknap_locates_malformed_files(
    tmp_path: Path, text: str, located: str, message: str
) -> None:
    """Every malformed file names the file, the line and what was wrong."""
    path = write(tmp_path, text, "bad.txt")
    shown = instance_error(instances.read_mknap, path)
    assert shown.startswith(f"{path}: {located}: ")
    assert message in shown


def test_read_mknap_missing_file(tmp_path: Path) -> None:
    """A missing file is an UnreadableFileError, an OSError too."""
    with pytest.raises(it.UnreadableFileError) as caught:
        instances.read_mknap(tmp_path / "nope.txt")
    assert isinstance(caught.value, OSError)


@needs_data
def test_mknap1_reads_seven_problems() -> None:
    """mknap1 holds 7 problems of the published sizes, with their optima in the file."""
    problems = instances.read_mknap(MKNAP1)
    assert [(p.n, p.m) for p in problems] == [
        (6, 10),
        (10, 10),
        (15, 10),
        (20, 10),
        (28, 10),
        (39, 5),
        (50, 5),
    ]
    assert [p.optimum for p in problems] == [3800, 8706.1, 4015, 6120, 12400, 10618, 16537]
    assert problems[0].profits == (100, 600, 1200, 2400, 500, 2000)
    assert problems[0].capacities == (80, 96, 20, 36, 44, 48, 10, 18, 22, 24)
    assert problems[1].profits[:2] == (600.1, 310.5)


@needs_data
def test_mknapcb1_reads_thirty_problems() -> None:
    """mknapcb1 holds 30 problems of 100 items and 5 constraints, optima not in the file."""
    problems = instances.read_mknap(MKNAPCB1)
    assert len(problems) == 30
    assert {(p.n, p.m, p.optimum) for p in problems} == {(100, 5, None)}
    assert [p.name for p in problems[:2]] == ["mknapcb1-1", "mknapcb1-2"]


@needs_data
def test_mkp_optima_are_keyed_by_instance_and_reader_name() -> None:
    """The OR-Library optima answer to both the published and the reader's names."""
    optima = instances.load_optima(BENCHDATA / "mkp" / "optima.csv")
    assert optima["mknap1-2"] == 8706.1
    assert optima["5.100-00"] == optima["mknapcb1-1"] == 24381
    assert optima["5.100-29"] == optima["mknapcb1-30"] == 59965
    problems = (*instances.read_mknap(MKNAP1), *instances.read_mknap(MKNAPCB1))
    assert all(p.name in optima for p in problems)


@needs_data
@pytest.mark.parametrize("path", [MKNAP1, MKNAPCB1], ids=lambda p: p.stem)
def test_knapsack_engagements_validate(path: Path) -> None:
    """Every knapsack engagement has valid ids and no validation errors."""
    for problem in instances.read_mknap(path):
        e = instances.knapsack_engagement(problem)
        assert errors(e) == []
        assert len(e.initiatives) == problem.n
        assert len(e.capacity.skills) == problem.m - 1
        ids = [i.id for i in e.initiatives] + list(e.capacity.skills)
        assert all(ID_PATTERN.fullmatch(i) for i in ids)
        assert sum(i.cost for i in e.initiatives) == pytest.approx(sum(problem.weights[0]))


# --------------------------------------------------------------------------- RCPSP


def test_read_psplib_tiny(tmp_path: Path) -> None:
    """Jobs, durations, demands, successors, capacities and the horizon are read."""
    instance = instances.read_psplib(write(tmp_path, TINY_SM, "tiny.sm"))
    assert instance.name == "tiny"
    assert instance.capacities == (3, 1)
    assert instance.horizon == 6
    assert instance.resources == 2
    assert instance.jobs[1] == instances.RcpspJob(
        number=2, duration=2, demands=(2, 1), successors=(4,)
    )
    assert [j.duration for j in instance.jobs] == [0, 2, 3, 1, 0]


def test_rcpsp_engagement_tiny(tmp_path: Path) -> None:
    """Dummies drop out, demand x duration is the effort, the horizon is a feasible makespan."""
    instance = instances.read_psplib(write(tmp_path, TINY_SM, "tiny.sm"))
    e = instances.rcpsp_engagement(instance)
    assert [(i.id, i.duration, i.requires) for i in e.initiatives] == [
        ("job-2", 2, ()),
        ("job-3", 3, ()),
        ("job-4", 1, ("job-2",)),
    ]
    assert e.initiatives[0].effort == {"r1": 4.0, "r2": 2.0}
    assert e.initiatives[1].effort == {"r1": 6.0}
    assert e.capacity.skills == {"r1": 3.0, "r2": 1.0}
    assert e.plan.objective == "makespan"
    # jobs 2 and 3 cannot overlap (r1: 2 + 2 > 3): 3, then 2 and 4 beside it -> 5 or 6.
    assert e.periods == max(
        s + instance.jobs[n - 1].duration for n, s in serial_schedule(instance).items()
    )
    assert e.periods <= 6
    assert e.scope.period == "year"
    assert errors(e) == []
    assert instances.rcpsp_engagement(instance, horizon=9).periods == 9


def test_zero_duration_jobs_pass_precedence_through() -> None:
    """A zero-duration job in the middle links its predecessors to its successors."""
    jobs = (
        instances.RcpspJob(number=1, duration=2, demands=(1,), successors=(2,)),
        instances.RcpspJob(number=2, duration=0, demands=(0,), successors=(3, 4)),
        instances.RcpspJob(number=3, duration=1, demands=(1,)),
        instances.RcpspJob(number=4, duration=1, demands=(1,)),
    )
    e = instances.rcpsp_engagement(instances.RcpspInstance(name="mid", jobs=jobs, capacities=(1,)))
    assert {i.id: i.requires for i in e.initiatives} == {
        "job-1": (),
        "job-3": ("job-1",),
        "job-4": ("job-1",),
    }
    assert e.periods == 4


def test_serial_schedule_is_resource_feasible() -> None:
    """The heuristic schedule respects precedence and capacity in every period."""
    jobs = (
        instances.RcpspJob(number=1, duration=3, demands=(2,), successors=(3,)),
        instances.RcpspJob(number=2, duration=2, demands=(2,)),
        instances.RcpspJob(number=3, duration=1, demands=(1,)),
    )
    instance = instances.RcpspInstance(name="x", jobs=jobs, capacities=(3,))
    assert serial_schedule(instance) in ({1: 0, 2: 3, 3: 3}, {1: 2, 2: 0, 3: 5})
    assert_feasible(instance, serial_schedule(instance))


@pytest.mark.parametrize(
    ("jobs", "message"),
    [
        (
            (
                instances.RcpspJob(number=1, duration=1, demands=(1,), successors=(2,)),
                instances.RcpspJob(number=2, duration=1, demands=(1,), successors=(1,)),
            ),
            "the precedence relations have a cycle",
        ),
        ((instances.RcpspJob(number=1, duration=1, demands=(5,)),), "needs 5 of resource 1"),
        (
            (instances.RcpspJob(number=1, duration=1, demands=(1,), successors=(7,)),),
            "unknown successor 7",
        ),
        ((instances.RcpspJob(number=1, duration=1, demands=(1, 1)),), "has 2 demands"),
        ((instances.RcpspJob(number=1, duration=0, demands=(0,)),), "no job has a duration"),
        ((instances.RcpspJob(number=2, duration=1, demands=(1,)),), "job 1 is numbered 2"),
    ],
)
def test_rcpsp_engagement_refuses_impossible_instances(
    jobs: tuple[instances.RcpspJob, ...], message: str
) -> None:
    """Cycles, demands above capacity, unknown successors and empty projects are named."""
    instance = instances.RcpspInstance(name="bad", jobs=jobs, capacities=(2,))
    assert message in instance_error(instances.rcpsp_engagement, instance)


def test_rcpsp_engagement_refuses_too_long_horizons(tmp_path: Path) -> None:
    """The horizon must fit the engine's limit of periods."""
    instance = instances.read_psplib(write(tmp_path, TINY_SM, "tiny.sm"))
    assert "horizon of 601 periods" in instance_error(instances.rcpsp_engagement, instance, 601)


@pytest.mark.parametrize(
    ("old", "new", "located", "message"),
    [
        (
            "   2        1          1           4",
            "   2        2          1           4",
            "line 15",
            "multi-mode jobs are not supported",
        ),
        (
            "   2        1          1           4",
            "   2        1          2           4",
            "line 15",
            "job 2 declares 2 successors, lists 1",
        ),
        (
            "   2        1          1           4",
            "   2        1          1           9",
            "line 15",
            "job 2 has an unknown successor: got 9",
        ),
        (
            "   3        1          1           5",
            "   4        1          1           5",
            "line 16",
            "jobs out of order",
        ),
        (
            "  3      1     3       2    0",
            "  3      1     3       2",
            "line 25",
            "wrong number of columns",
        ),
        (
            "  4      1     1       1    1",
            "  4      1     x       1    1",
            "line 26",
            "not a whole number in a duration",
        ),
        ("    3    1\n", "    3\n", "line 31", "malformed resource availabilities"),
        (
            "  - nonrenewable              :  0   N",
            "  - nonrenewable              :  1   N",
            "line 9",
            "nonrenewable resources are not supported",
        ),
        ("   5        1          0\n", "", "line 17", "PRECEDENCE RELATIONS lists 4 jobs"),
    ],
)
def test_read_psplib_locates_malformed_files(
    tmp_path: Path, old: str, new: str, located: str, message: str
) -> None:
    """Every malformed .sm file names the file, the line and what was wrong."""
    assert old in TINY_SM
    path = write(tmp_path, TINY_SM.replace(old, new, 1), "bad.sm")
    shown = instance_error(instances.read_psplib, path)
    assert f"{path}: {located}: " in shown
    assert message in shown


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        ("RESOURCEAVAILABILITIES:", "no RESOURCEAVAILABILITIES: section"),
        ("jobs (incl. supersource/sink ):  5", "no 'jobs (incl. supersource/sink ): N' line"),
    ],
)
def test_read_psplib_names_missing_parts(tmp_path: Path, cut: str, message: str) -> None:
    """A missing section or header line is named."""
    path = write(tmp_path, TINY_SM.replace(cut, "", 1), "cut.sm")
    assert message in instance_error(instances.read_psplib, path)


@needs_data
def test_read_psplib_j301_1() -> None:
    """j301_1 has 32 jobs with dummies, 4 resources and the published numbers."""
    instance = instances.read_psplib(J30 / "j301_1.sm")
    assert len(instance.jobs) == 32
    assert instance.resources == 4
    assert instance.horizon == sum(j.duration for j in instance.jobs)
    assert instance.jobs[0].duration == instance.jobs[-1].duration == 0
    assert instance.jobs[-1].successors == ()


@needs_data
def test_j30_engagements_validate_and_fit_the_optimum() -> None:
    """All 48 j30 files give valid engagements whose horizon is a feasible upper bound."""
    optima = instances.load_optima(BENCHDATA / "rcpsp" / "optima.csv")
    files = sorted(J30.glob("*.sm"))
    assert len(files) == 48
    for path in files:
        instance = instances.read_psplib(path)
        schedule = serial_schedule(instance)
        assert_feasible(instance, schedule)
        e = instances.rcpsp_engagement(instance)
        assert errors(e) == []
        assert len(e.initiatives) == 30
        assert optima[instance.name] <= e.periods < instance.horizon  # type: ignore[operator]
        for item, job in zip(e.initiatives, instance.jobs[1:-1], strict=True):
            for k, skill in enumerate(("r1", "r2", "r3", "r4")):
                assert item.effort.get(skill, 0.0) / item.duration == job.demands[k]


@needs_data
def test_rcpsp_optima_cover_the_files() -> None:
    """The PSPLIB optima list names every j30 instance, j301_1 with makespan 43."""
    optima = instances.load_optima(BENCHDATA / "rcpsp" / "optima.csv")
    assert len(optima) == 480
    assert optima["j301_1"] == 43
    assert all(path.stem in optima for path in J30.glob("*.sm"))


def test_load_optima_errors(tmp_path: Path) -> None:
    """A missing column or a non-number optimum is located."""
    path = write(tmp_path, "name,value\na,1\n", "no-columns.csv")
    assert "no instance or optimum column" in instance_error(instances.load_optima, path)
    path = write(tmp_path, "instance,optimum\na,1\nb,lots\n", "bad.csv")
    assert f"{path}: line 3: the optimum is not a number: got 'lots'" in instance_error(
        instances.load_optima, path
    )
    path = write(tmp_path, "instance,optimum_makespan\na,12\nb,\n", "blank.csv")
    assert instances.load_optima(path) == {"a": 12.0}


# --------------------------------------------------------------------------- helpers


def assert_feasible(instance: instances.RcpspInstance, schedule: dict[int, int]) -> None:
    """Check a schedule by hand: every real job once, precedence, capacity per period."""
    jobs = {job.number: job for job in instance.jobs}
    assert set(schedule) == {n for n, job in jobs.items() if job.duration > 0}
    finish = {n: s + jobs[n].duration for n, s in schedule.items()}
    for n, job in jobs.items():
        for successor in job.successors:
            if n in schedule and successor in schedule:
                assert finish[n] <= schedule[successor]
    for t in range(max(finish.values())):
        for k, capacity in enumerate(instance.capacities):
            used = sum(jobs[n].demands[k] for n, s in schedule.items() if s <= t < finish[n])
            assert used <= capacity
