"""Files the CLI writes: never over an input, untouched by a failed run, atomic, errors in one line."""

import io
import json
from pathlib import Path

import pytest

import itstrat_engine as it
from itstrat_engine.cli import main

ENGAGEMENT = """\
[engagement]
client = "Acme"
start = "2027-Q1"
periods = 4

[[initiative]]
id = "crm"
name = "CRM"
cost = 50
value = 10

[capacity]
budget = 100

[plan]
time_limit = 20
"""

INFEASIBLE = ENGAGEMENT.replace("value = 10", "value = 10\nmandatory = true").replace(
    "budget = 100", "budget = 10"
)

PACK = """\
[pack]
id = "flat"
title = "Flat"
subject = "initiative"

[[rule]]
id = "one"
score = "1"
because = "every initiative is worth one"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_output_never_overwrites_the_engagement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o naming the engagement file is refused before planning; the file is unchanged."""
    file = write(tmp_path, "e.toml", ENGAGEMENT)
    assert main(["plan", str(file), "-o", str(file)]) == 1
    assert file.read_text(encoding="utf-8") == ENGAGEMENT
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {file}: refusing to write the output over a file this command reads"
    )
    assert err.count("\n") == 1


def test_output_never_overwrites_a_pack(tmp_path: Path) -> None:
    """-o naming a pack the run reads (also by another spelling of its path) is refused."""
    file = write(tmp_path, "e.toml", ENGAGEMENT)
    pack = write(tmp_path, "flat.toml", PACK)
    other = tmp_path / "." / "flat.toml"
    assert main(["plan", str(file), "--rules", str(pack), "-o", str(other)]) == 1
    assert pack.read_text(encoding="utf-8") == PACK


def test_failed_run_leaves_the_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An infeasible plan (exit 3) does not replace an existing output; it is shown instead."""
    file = write(tmp_path, "e.toml", INFEASIBLE)
    out = write(tmp_path, "plan.json", "previous plan\n")
    assert main(["plan", str(file), "-o", str(out)]) == 3
    assert out.read_text(encoding="utf-8") == "previous plan\n"
    captured = capsys.readouterr()
    assert json.loads(captured.out)["status"] == "infeasible"
    assert f"{out}: left unchanged, the plan is infeasible (exit 3)" in captured.err
    assert leftovers(tmp_path) == []


def test_invalid_input_leaves_the_output_untouched(tmp_path: Path) -> None:
    """An invalid engagement (exit 1) leaves the output as it was."""
    file = write(tmp_path, "e.toml", ENGAGEMENT.replace("cost = 50", "cost = -5"))
    out = write(tmp_path, "plan.txt", "keep\n")
    assert main(["plan", str(file), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("target", ["missing/plan.json", "e.toml/plan.json"])
def test_unwritable_output_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """A missing folder or a path through a file: one line naming the path, exit 1."""
    file = write(tmp_path, "e.toml", ENGAGEMENT)
    out = tmp_path / target
    assert main(["plan", str(file), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: cannot write the file (")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_stdout_write_error_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk behind standard output is a message and exit 1, not a traceback."""

    class Full(io.StringIO):
        def write(self, _text: str) -> int:
            raise OSError(28, "No space left on device")

    file = write(tmp_path, "e.toml", ENGAGEMENT)
    monkeypatch.setattr("sys.stdout", Full())
    assert main(["plan", str(file)]) == 1
    assert main(["generate", "--initiatives", "2"]) == 1
    err = capsys.readouterr().err
    assert err == "error: <stdout>: cannot write the output (No space left on device)\n" * 2


@pytest.mark.parametrize(
    ("name", "options", "is_json"),
    [
        ("plan.json", [], True),
        ("plan.txt", [], False),
        ("plan.json", ["--format", "text"], False),
        ("plan.out", ["--format", "json"], True),
    ],
)
def test_output_format_follows_the_suffix(
    tmp_path: Path, name: str, options: list[str], is_json: bool
) -> None:
    """`-o x.json` writes JSON unless --format says otherwise."""
    file = write(tmp_path, "e.toml", ENGAGEMENT)
    out = tmp_path / name
    assert main(["plan", str(file), "-o", str(out), *options]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("{") == is_json
    if is_json:
        assert it.loads_plan(text).status == it.Status.OPTIMAL
    assert leftovers(tmp_path) == []


def test_generate_writes_the_format_of_the_suffix(tmp_path: Path) -> None:
    """generate -o follows the suffix (TOML, JSON, YAML) and the file loads back equal."""
    for name in ("g.toml", "g.json", "g.yaml"):
        out = tmp_path / name
        assert main(["generate", "--initiatives", "4", "--seed", "2", "-o", str(out)]) == 0
        assert it.load(out) == it.generate(4, seed=2)
    assert main(["generate", "-o", str(tmp_path / "g.txt")]) == 1


def test_dump_is_atomic(tmp_path: Path) -> None:
    """A dump that cannot be written leaves no temporary file and raises a located error."""
    e = it.generate(3, seed=1)
    target = tmp_path / "e.toml"
    it.dump(e, target)
    before = target.read_text(encoding="utf-8")
    with pytest.raises(it.UnwritableFileError, match="cannot write the file"):
        it.dump(e, tmp_path / "missing" / "e.toml")
    it.dump(it.generate(4, seed=1), target)
    assert target.read_text(encoding="utf-8") != before
    assert leftovers(tmp_path) == []
