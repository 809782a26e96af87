"""``itstrat plan``: exit codes, text and JSON output, output file."""

import json
from pathlib import Path

import pytest

from itstrat_engine.cli import main

BASE = """\
[engagement]
client = "Acme Dental"
start = "2027-Q1"
periods = 4

[[objective]]
id = "grow"
name = "Grow"

[[initiative]]
id = "crm"
name = "CRM rollout"
cost = 50
duration = 2
value = 10
objectives = { grow = 1.0 }
effort = { apps = 40 }

[[initiative]]
id = "wifi"
name = "Wi-Fi"
cost = 30
value = 4
objectives = { grow = 0.5 }

[capacity]
budget = 100
skills = { apps = 30 }

[plan]
time_limit = 30
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e.toml"
    path.write_text(text)
    return path


def test_plan_prints_a_roadmap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A feasible engagement exits 0 with status, roadmap, spend and skills."""
    code, out = run(capsys, "plan", str(write(tmp_path, BASE)))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Acme Dental: IT roadmap 2027-Q1..2027-Q4 (4 quarters)"
    assert lines[1].startswith("Status: optimal (proven) | value 14 | highs, ")
    assert "Roadmap (2 of 2 initiatives)" in out
    assert "  CRM rollout ##### #####     .     ." in out
    assert "Spend per period (USD)" in out
    assert "  total              80          100" in out
    assert "Skill hours per period (used/capacity+contractors)" in out


def test_plan_json_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json -o writes the plan's JSON."""
    target = tmp_path / "plan.json"
    code, out = run(
        capsys,
        "plan",
        str(write(tmp_path, BASE)),
        "--format",
        "json",
        "-o",
        str(target),
        "--solver",
        "cbc",
    )
    assert code == 0
    assert out == f"wrote {target}: optimal\n"
    data = json.loads(target.read_text())
    assert data["status"] == "optimal"
    assert data["solver"] == "cbc"
    assert [i["id"] for i in data["initiatives"] if i["selected"]] == ["crm", "wifi"]


def test_plan_invalid_input_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid input lists the problems and exits 1."""
    code, out = run(capsys, "plan", str(write(tmp_path, BASE.replace("value = 4", "value = -4"))))
    assert code == 1
    assert "initiative[1].value: value is negative: got -4.0, expected a number >= 0" in out


def test_plan_infeasible_exits_3_with_diagnosis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Infeasible input exits 3 and says what must give."""
    text = (
        BASE.replace("value = 4", "value = 4\nmandatory = true\ndeadline = 0")
        .replace("value = 10", "value = 10\nmandatory = true\ndeadline = 1")
        .replace("budget = 100", "budget = 100\nbudget_per_period = 40")
    )
    code, out = run(capsys, "plan", str(write(tmp_path, text)))
    assert code == 3
    assert "Status: infeasible" in out
    assert "What must give:" in out
    assert "  - 2027-Q1 budget short by 15 USD while crm and wifi run" in out


def test_plan_no_solution_in_time_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A time limit too short to find any plan exits 4 (or 0 if a plan was found anyway)."""
    path = tmp_path / "big.toml"
    assert main(["generate", "--initiatives", "1500", "--seed", "3", "-o", str(path)]) == 0
    capsys.readouterr()
    code, out = run(capsys, "plan", str(path), "--time-limit", "0.01", "--format", "json")
    data = json.loads(out)
    assert (code, data["status"]) in {(4, "no_solution"), (0, "feasible")}
    assert data["status"] != "optimal"


def test_plan_overrides_objective_and_bad_param(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--objective overrides the file; a malformed --param is a usage error."""
    code, out = run(capsys, "plan", str(write(tmp_path, BASE)), "--objective", "makespan")
    assert code == 0
    assert "| makespan 2 |" in out
    with pytest.raises(SystemExit) as error:
        main(["plan", str(tmp_path / "e.toml"), "--param", "oops"])
    assert error.value.code == 2
