"""Studies: a two-worker dask LocalCluster gives the serial run's bytes, a broken scenario
is an error row while the rest complete, resume skips finished ids (and replans a cut-off
line), sweeps expand as documented, study files have located errors."""

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main
from itstrat_engine.research import done_ids, row_line, run_study, study_from_dict

ENGAGEMENT = it.generate(8, seed=3)
STUDY_DATA = {
    "study": {"id": "small", "seed": 1, "time_limit": 5},
    "scenario": [
        {"id": "lean", "change": {"budget_factor": 0.8}},
        {"id": "broken", "change": {"force_in": ["no-such-initiative"]}},
    ],
    "sweep": [{"id": "budget", "budget_factor": [0.7, 1.0], "rules": [["wsjf"], ["rice"]]}],
}
STUDY_TOML = """\
[study]
id = "small"
seed = 1
time_limit = 5
[[scenario]]
id = "lean"
change = { budget_factor = 0.8 }
[[scenario]]
id = "broken"
change = { force_in = ["no-such-initiative"] }
[[sweep]]
id = "budget"
budget_factor = [0.7, 1.0]
rules = [["wsjf"], ["rice"]]
"""


def _bytes(rows: tuple[dict, ...]) -> str:
    return "".join(row_line(r) for r in rows)


@pytest.fixture(scope="module")
def serial() -> tuple[dict, ...]:
    return run_study(ENGAGEMENT, study_from_dict(STUDY_DATA), timings=False).rows


def test_sweep_expansion_and_rows(serial) -> None:
    """Listed scenarios first, then the sweep crossed (rules fastest); each row as planned."""
    assert [r["scenario"] for r in serial] == [
        "lean",
        "broken",
        "budget-001",
        "budget-002",
        "budget-003",
        "budget-004",
    ]
    assert [r["values"] for r in serial[2:]] == [
        {"budget_factor": 0.7, "rules": ["wsjf"]},
        {"budget_factor": 0.7, "rules": ["rice"]},
        {"budget_factor": 1.0, "rules": ["wsjf"]},
        {"budget_factor": 1.0, "rules": ["rice"]},
    ]
    # A row is the plan of the patched engagement, made directly here.
    patched = it.apply_scenario(
        ENGAGEMENT,
        it.scenario_from_dict({"scenario": {"id": "x"}, "change": {"budget_factor": 0.7}}),
    )
    direct = it.plan(patched, rules=["rice"], time_limit=5, threads=1)
    row = serial[3]
    assert row["status"] == direct.status.value == "optimal"
    assert row["objective_value"] == pytest.approx(direct.objective_value)
    assert {s["id"]: s["start"] for s in row["selected"]} == dict(direct.schedule)
    assert len({r["seed"] for r in serial}) == len(serial)  # each its own seed


def test_broken_scenario_is_an_error_row(serial) -> None:
    """The broken scenario is an error row naming the unknown id; every other one planned."""
    broken = serial[1]
    assert broken["status"] == "error"
    assert "no-such-initiative" in broken["message"]
    assert all(r["status"] == "optimal" for i, r in enumerate(serial) if i != 1)


def test_dask_local_cluster_gives_the_same_bytes(serial) -> None:
    """Two worker processes, one thread each, no dashboard: byte for byte the serial rows."""
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        rows = run_study(
            ENGAGEMENT, study_from_dict(STUDY_DATA), executor=client.get_executor(), timings=False
        ).rows
    assert _bytes(rows) == _bytes(serial)


def test_process_pool_streams_in_scenario_order(serial) -> None:
    """Rows reach on_row in scenario order through a process pool, and equal the serial ones."""
    seen: list[str] = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = run_study(
            ENGAGEMENT,
            study_from_dict(STUDY_DATA),
            executor=pool,
            timings=False,
            on_row=lambda r: seen.append(r["scenario"]),
        ).rows
    assert seen == [r["scenario"] for r in serial]
    assert _bytes(rows) == _bytes(serial)


def test_cli_resume_skips_done_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serial
) -> None:
    """A resumed study plans only what is missing; a cut-off last line is planned again."""
    file, study = tmp_path / "e.toml", tmp_path / "s.toml"
    it.dump(ENGAGEMENT, file)
    study.write_text(STUDY_TOML, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    lines = _bytes(serial).splitlines(keepends=True)
    out.write_text("".join(lines[:2]) + lines[2][:25], encoding="utf-8")  # stopped mid-line
    assert done_ids(out)[0] == {"lean", "broken"}
    assert main(["study", str(file), str(study), "-o", str(out), "--no-timings"]) == 0
    assert "4 scenario(s) run, 0 error row(s), 2 already done" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == _bytes(serial)
    assert main(["study", str(file), str(study), "-o", str(out)]) == 0
    assert "0 scenario(s) run" in capsys.readouterr().err
    assert main(["study", str(file), str(study), "-o", str(out), "--restart"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6
    assert all("seconds" in r for r in rows)


def test_study_file_errors_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown keys, bad changes, duplicate ids and an empty sweep name the study file."""
    file, study = tmp_path / "e.toml", tmp_path / "s.toml"
    it.dump(ENGAGEMENT, file)
    study.write_text(
        '[study]\nid = "s"\n[[scenario]]\nid = "a"\nchange = { budget_factr = 0.8 }\n'
        '[[scenario]]\nid = "a"\n[[sweep]]\nid = "b"\n',
        encoding="utf-8",
    )
    assert main(["study", str(file), str(study)]) == 1
    err = capsys.readouterr().err
    assert f"{study}: scenario[0].change.budget_factr" in err
    assert "did you mean 'budget_factor'?" in err
    assert "two scenarios of the study share an id" in err
    assert "a sweep needs at least one list" in err
    assert "Traceback" not in err
    out = tmp_path / "o.jsonl"
    out.write_text("not json\n", encoding="utf-8")
    study.write_text(STUDY_TOML, encoding="utf-8")
    assert main(["study", str(file), str(study), "-o", str(out)]) == 1
    assert "line 1: this line is not a study result row" in capsys.readouterr().err
    out.write_text(row_line({"study": "another", "scenario": "lean"}), encoding="utf-8")
    assert main(["study", str(file), str(study), "-o", str(out)]) == 1
    assert "this output holds rows of another study: got 'another'" in capsys.readouterr().err
    assert main(["study", str(file), str(study), "-o", str(study)]) == 1
    assert "refusing to write the output over a file this command reads" in capsys.readouterr().err


def test_to_frame(serial) -> None:
    """to_frame gives one row per scenario with the sweep values as columns."""
    pytest.importorskip("pandas")
    frame = run_study(ENGAGEMENT, study_from_dict(STUDY_DATA), timings=False).to_frame()
    assert list(frame["scenario"]) == [r["scenario"] for r in serial]
    assert list(frame["value.rules"][2:]) == ["wsjf", "rice", "wsjf", "rice"]


def test_cluster_option_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No dask, an unreachable scheduler, both options: a message on the command line."""
    file, study = tmp_path / "e.toml", tmp_path / "s.toml"
    it.dump(ENGAGEMENT, file)
    study.write_text(STUDY_TOML, encoding="utf-8")
    assert main(["study", str(file), str(study), "--scheduler", "tcp://127.0.0.1:1"]) == 1
    err = capsys.readouterr().err
    assert "error: --scheduler: cannot reach the dask scheduler tcp://127.0.0.1:1" in err
    assert str(file) not in err
    assert "Traceback" not in err
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if dask were absent
    assert main(["study", str(file), str(study), "--workers", "2"]) == 1
    assert "pip install 'itstrat-engine[dask]'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["study", str(file), str(study), "--workers", "2", "--scheduler", "tcp://x:1"])
    assert exit_.value.code == 2


def test_param_sets_sweep_plans_with_those_params() -> None:
    """A param_sets axis plans each scenario with its params: equal to a direct plan."""
    study = study_from_dict(
        {
            "study": {"id": "p", "time_limit": 5},
            "sweep": [{"id": "size", "rules": [["wsjf"]], "param_sets": [{}, {"min_size": 4}]}],
        }
    )
    rows = run_study(ENGAGEMENT, study, timings=False).rows
    assert [r["values"]["param_sets"] for r in rows] == [{}, {"min_size": 4.0}]
    direct = it.plan(ENGAGEMENT, rules=["wsjf"], params={"min_size": 4}, time_limit=5, threads=1)
    assert rows[1]["objective_value"] == pytest.approx(direct.objective_value)
    assert rows[0]["objective_value"] != pytest.approx(rows[1]["objective_value"])
