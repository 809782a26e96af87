"""One error contract: every error a command prints names the file it came from."""

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

[[issue]]
id = "slow"
name = "Slow booking"
objectives = ["grow"]

[[initiative]]
id = "crm"
name = "CRM rollout"
cost = 50
value = 10
addresses = { slow = 1.0 }

[capacity]
budget = 100

[plan]
time_limit = 30
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def engagement(tmp_path: Path) -> Path:
    path = tmp_path / "e.toml"
    path.write_text(BASE)
    return path


@pytest.mark.parametrize("command", ["plan", "prioritize"])
def test_an_unknown_param_names_the_file(
    command: str, engagement: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--param nosuch=1 is reported in the engagement file, on stderr, exit 1."""
    code, out, err = run(capsys, command, str(engagement), "--param", "nosuch=1")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {engagement}: params.nosuch: unknown param: got 'nosuch'")


def test_an_invalid_setting_names_the_file(
    engagement: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--objective cost without a coverage is an error in the engagement file."""
    code, out, err = run(capsys, "plan", str(engagement), "--objective", "cost")
    assert (code, out) == (1, "")
    assert err.startswith(
        f"error: {engagement}: plan.coverage: the cost objective needs a required coverage"
    )


@pytest.mark.parametrize("command", ["plan", "prioritize", "assess"])
def test_an_unknown_reference_names_the_file(
    command: str, engagement: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An initiative that requires an unknown one is located in the file by every command."""
    engagement.write_text(
        BASE.replace("addresses = { slow = 1.0 }", 'addresses = { slow = 1.0 }\nrequires = ["erp"]')
    )
    code, out, err = run(capsys, command, str(engagement))
    assert (code, out) == (1, "")
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors
    assert all(line.startswith(f"error: {engagement}: ") for line in errors)
    assert f"error: {engagement}: initiative[0].requires" in err


@pytest.mark.parametrize("command", ["plan", "prioritize"])
def test_an_unknown_pack_in_the_file_names_the_file(
    command: str, engagement: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pack the file's [plan] rules name but that does not exist is the file's error."""
    engagement.write_text(BASE.replace("[plan]", '[plan]\nrules = ["wsjff"]'))
    code, _, err = run(capsys, command, str(engagement))
    assert code == 1
    assert err.startswith(f"error: {engagement}: unknown built-in pack: got 'wsjff'")


@pytest.mark.parametrize("command", ["plan", "prioritize"])
def test_an_unknown_pack_on_the_command_line_is_not_the_files(
    command: str, engagement: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rules wsjff is a mistake on the command line: the engagement file is not blamed."""
    code, _, err = run(capsys, command, str(engagement), "--rules", "wsjff")
    assert code == 1
    assert err.startswith("error: unknown built-in pack: got 'wsjff'")


def test_a_pack_file_error_names_the_pack(
    engagement: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken pack given with --rules is located in the pack's own file."""
    pack = tmp_path / "broken.toml"
    pack.write_text('[pack]\nid = "broken"\n')
    code, _, err = run(capsys, "plan", str(engagement), "--rules", str(pack))
    assert code == 1
    assert err.startswith(f"error: {pack}: ")


def test_prioritize_warnings_go_to_stderr_with_the_file(
    engagement: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule that leaves an initiative no window is a located warning; the ranking prints."""
    pack = tmp_path / "squeeze.toml"
    pack.write_text(
        '[pack]\nid = "squeeze"\ntitle = "Squeeze"\nsubject = "initiative"\n\n'
        '[[rule]]\nid = "late"\nearliest = "2"\ndeadline = "1"\nbecause = "Too late"\n'
    )
    code, out, err = run(capsys, "prioritize", str(engagement), "--rules", str(pack))
    assert code == 0
    assert out.startswith("Acme Dental: 1 issues, 1 initiatives, scored with squeeze\n")
    assert "warning" not in out
    assert err.startswith(
        f"warning: {engagement}: initiative[0]: rules leave initiative 'crm' no window to run in"
    )


def test_a_long_list_of_errors_stops_after_a_cap_with_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """300 broken initiatives: 50 lines, then how many more; JSON still lists every one."""
    items = "".join(
        f'\n[[initiative]]\nid = "i{n}"\nname = "I{n}"\nduration = 1\nrequires = ["nosuch{n}"]\n'
        for n in range(300)
    )
    path = tmp_path / "big.toml"
    path.write_text('[engagement]\nclient = "c"\nstart = "2027-Q1"\nperiods = 4\n' + items)
    code, out, _ = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert sum(line.startswith("error: ") for line in lines) == 50
    assert "... and 550 more (250 errors, 300 warnings): fix these first" in out
    code, out, _ = run(capsys, "validate", str(path), "--format", "json")
    assert code == 1
    assert out.count("nosuch") >= 300
