"""The itstrat command line: exit codes, output formats, no tracebacks on bad input."""

import json
from pathlib import Path

import pytest

from itstrat_engine.cli import main

GOOD = """\
[engagement]
client = "Acme"
start = "2027-Q1"
periods = 4

[[objective]]
id = "grow"
name = "Grow"

[[initiative]]
id = "crm"
name = "CRM"
objectives = { grow = 1.0 }
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file exits 0 and says so."""
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    assert run(capsys, "validate", str(path)) == (0, f"{path}: valid\n", "")


def test_validate_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid file exits 1 with every problem as file: path: message."""
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("grow = 1.0", "grwo = 1.0") + 'requires = ["crm"]\n')
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"error: {path}: initiative[0].objectives.grwo: unknown objective: got 'grwo', expected the id of a declared objective; did you mean 'grow'?",
        f"error: {path}: initiative[0].requires: initiative 'crm' requires itself: got 'crm'; remove 'crm' from requires",
        f"warning: {path}: initiative[0]: initiative 'crm' traces to no business objective (keep-the-lights-on work); link it to an issue or objective if it serves the business",
        f"warning: {path}: objective[0]: business objective 'grow' is served by no initiative; propose an initiative for it or confirm it needs none",
        f"{path}: invalid (2 errors), 2 warnings",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "the file is empty"),
        ("[engagement\n", "line 1, column 12: TOML syntax error"),
        (b"\xff\xfe", "not UTF-8 text"),
        (
            GOOD.replace('id = "crm"', 'id = "crm"\ncost = nan'),
            "initiative[0].cost: not a finite number",
        ),
        (
            GOOD.replace('id = "crm"', 'id = "crm"\ncost = -5'),
            "initiative[0].cost: cost is negative",
        ),
    ],
)
def test_validate_bad_inputs_exit_1_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None, expected: str
) -> None:
    """Each kind of unreadable or invalid file is a clear message and exit 1."""
    path = tmp_path / "e.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert expected in out
    assert "Traceback" not in out + err


def test_validate_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory is a clear error."""
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert "is a directory, not a file" in out


def test_validate_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the problems as data."""
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("grow = 1.0", "grow = 2.0"))
    code, out, _ = run(capsys, "validate", "--format", "json", str(good), str(bad))
    data = json.loads(out)
    assert code == 1
    assert data["valid"] is False
    assert [f["valid"] for f in data["files"]] == [True, False]
    (problem,) = data["files"][1]["problems"]
    assert problem["path"] == "initiative[0].objectives.grow"
    assert problem["severity"] == "error"
    assert problem["value"] == "2.0"


SHIPPED = sorted(
    str(path)
    for pattern in ("examples/*.toml", "examples/*/*.toml", "rules/*.toml")
    for path in Path(__file__).parent.parent.glob(pattern)
)


def test_every_shipped_file_validates_as_what_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate examples/*.toml rules/*.toml` passes: each kind of file is checked by its loader."""
    code, out, _ = run(capsys, "validate", "--format", "json", *SHIPPED)
    data = json.loads(out)
    assert code == 0, [f for f in data["files"] if not f["valid"]]
    kinds = {f["kind"] for f in data["files"]}
    assert {"engagement", "rule pack", "scenario", "study", "progress file"} <= kinds
    assert {"estimate ranges", "judges file"} <= kinds


@pytest.mark.parametrize(
    ("text", "kind", "where"),
    [
        (
            '[progress]\nas_of = "2027-Q3"\n[[initiative]]\nid = "a"\nstatus = "finished"\n',
            "progress file",
            "initiative[0].status",
        ),
        ('[scenario]\nid = "x"\n[change]\nbudget_factr = 0.8\n', "scenario", "change.budget_factr"),
        ('[study]\nid = "s"\nsed = 1\n', "study", "study.sed"),
        ('[pack]\nid = "p"\ntitle = "P"\nsubject = "item"\n', "rule pack", "pack.subject"),
        ("[[judge]]\nname = 3\n", "judges file", "judge[0].name"),
        ('{"format_version": 99}', "plan", "format_version"),
    ],
)
def test_validate_checks_other_kinds_with_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, kind: str, where: str
) -> None:
    """A broken progress file, scenario, study, pack, judges file or plan: its own errors, located."""
    path = tmp_path / ("bad.json" if text.startswith("{") else "bad.toml")
    path.write_text(text)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert err == ""
    assert f"error: {path}: {where}" in out
    assert out.splitlines()[-1].startswith(f"{path}: {kind}, invalid (")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing argument is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as error:
        main(["validate"])
    assert error.value.code == 2


def test_generate_writes_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """generate writes a file that validates; same seed, same bytes."""
    a, b = tmp_path / "a.toml", tmp_path / "b.json"
    assert run(capsys, "generate", "--initiatives", "25", "--seed", "4", "-o", str(a))[0] == 0
    assert run(capsys, "generate", "--initiatives", "25", "--seed", "4", "-o", str(b))[0] == 0
    code, out, _ = run(capsys, "validate", str(a), str(b))
    assert code == 0, out
    code, first, _ = run(capsys, "generate", "--initiatives", "5", "--seed", "1")
    _, second, _ = run(capsys, "generate", "--initiatives", "5", "--seed", "1")
    assert first == second


def test_generate_rejects_bad_size(capsys: pytest.CaptureFixture[str]) -> None:
    """A non-positive size is a usage error."""
    with pytest.raises(SystemExit) as error:
        main(["generate", "--initiatives", "0"])
    assert error.value.code == 2
    assert "expected a number >= 1" in capsys.readouterr().err
