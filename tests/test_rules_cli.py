"""The prioritize and rules commands: output, formats, exit codes, no tracebacks."""

import json
from pathlib import Path

import pytest

from itstrat_engine.cli import main

DENTAL = "examples/dental-group.toml"

SMALL = """\
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
value = 10
objectives = { grow = 1.0 }
tags = ["must"]
fields = { size = 2 }

[[initiative]]
id = "erp"
name = "ERP"
value = 30
objectives = { grow = 0.5 }
tags = ["could"]
fields = { size = 0 }
"""

PACK = """\
[pack]
id = "per-size"
title = "Per size"
subject = "initiative"
fields = ["size"]

[params]
floor = 1

[[rule]]
id = "divide"
multiply = "1 / max(size, floor)"
because = "Smaller is sooner"

[[example]]
id = "half"
given = { size = 2, score = 10 }
expect = { score = 5.0 }
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


@pytest.fixture
def own_pack(tmp_path: Path) -> Path:
    path = tmp_path / "per-size.toml"
    path.write_text(PACK)
    return path


def test_prioritize_text_shows_ranking_and_breakdown(
    capsys: pytest.CaptureFixture[str], small: Path, own_pack: Path
) -> None:
    """The text output ranks initiatives and explains each score rule by rule."""
    code, out, err = run(capsys, "prioritize", str(small), "--rules", str(own_pack), "moscow")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Acme: 0 issues, 2 initiatives, scored with per-size, moscow",
        "",
        "Initiatives, highest score first",
        "  #  initiative  score  gate      timing  tier",
        "  1  erp            15                    could",
        "      start 30 (value)",
        "      per-size/divide  30                 Smaller is sooner",
        "      moscow/could     30 -> 15           Could-haves are done only when they fit [tier could]",
        "  2  crm             5  required          must",
        "      start 10 (value)",
        "      per-size/divide  10 -> 5            Smaller is sooner",
        "      moscow/must      5                  Must-haves are non-negotiable for this roadmap [require, tier must]",
        "      required by moscow/must",
    ]


def test_prioritize_json_is_stable(
    capsys: pytest.CaptureFixture[str], small: Path, own_pack: Path
) -> None:
    """--format json prints the Prioritization data, the same every time."""
    argv = ("prioritize", str(small), "--rules", str(own_pack), "--param", "floor=4")
    code, out, _ = run(capsys, *argv, "--format", "json")
    again = run(capsys, *argv, "--format", "json")[1]
    assert code == 0
    assert out == again
    data = json.loads(out)
    assert data["params"] == {"per-size.floor": 4.0}
    assert [(i["id"], i["score"]) for i in data["initiatives"]] == [("erp", 7.5), ("crm", 2.5)]
    assert data["initiatives"][0]["steps"] == [
        {
            "pack": "per-size",
            "rule": "divide",
            "before": 30.0,
            "after": 7.5,
            "effects": ["multiply"],
            "because": "Smaller is sooner",
        }
    ]


def test_prioritize_uses_the_plan_rules_relative_to_the_file(
    capsys: pytest.CaptureFixture[str], small: Path, own_pack: Path
) -> None:
    """Without --rules the [plan] rules are used; pack paths are relative to the file."""
    small.write_text(SMALL + '\n[plan]\nrules = ["per-size.toml"]\nparams = { floor = 10 }\n')
    code, out, _ = run(capsys, "prioritize", str(small), "--format", "json", "--top", "1")
    assert code == 0
    data = json.loads(out)
    assert [(i["id"], i["score"]) for i in data["initiatives"]] == [("erp", 3.0)]


def test_prioritize_brief_and_top_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    """--brief drops the breakdown, --top cuts the lists."""
    code, out, _ = run(
        capsys, "prioritize", DENTAL, "--rules", "risk", "wsjf", "--brief", "--top", "2"
    )
    assert code == 0
    assert out.splitlines() == [
        "Brightsmile Dental Group: 12 issues, 20 initiatives, scored with risk, wsjf",
        "",
        "Issues, highest priority first",
        "  #  issue             priority  tier",
        "  1  no-risk-analysis        20  high",
        "  2  scheduling-gaps         20  high",
        "",
        "Initiatives, highest score first",
        "  #  initiative           score  gate      timing      tier",
        "  1  online-booking        14.5",
        "  2  hipaa-risk-analysis  11.33  required  by 2027-Q4",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--rules", "wsjff"), "error: unknown built-in pack: got 'wsjff'"),
        (
            ("--rules", "wsjf"),
            "error: wsjf.toml: pack.fields: pack 'wsjf' reads business_value, which no initiative has",
        ),
        (("--rules", "moscow", "--param", "could_wieght=1"), "did you mean 'could_weight'?"),
        (("--rules", "missing.toml"), "missing.toml: no such file"),
    ],
)
def test_prioritize_errors_exit_1_without_traceback(
    capsys: pytest.CaptureFixture[str], small: Path, argv: tuple[str, ...], message: str
) -> None:
    """Bad packs, params and rule failures are messages on stderr and exit 1."""
    code, out, err = run(capsys, "prioritize", str(small), *argv)
    assert (code, out) == (1, "")
    assert message in err
    assert "Traceback" not in err


def test_prioritize_rule_failure_names_rule_and_item(
    capsys: pytest.CaptureFixture[str], small: Path, own_pack: Path
) -> None:
    """A division by zero is reported with pack file, rule and item."""
    own_pack.write_text(PACK.replace("max(size, floor)", "size"))
    code, _, err = run(capsys, "prioritize", str(small), "--rules", str(own_pack))
    assert code == 1
    assert err == (
        f"error: {own_pack}: rule[0].multiply: division by zero in rule 'divide' on initiative "
        "'erp': got '1 / size'; guard the divisor, e.g. max(x, 1), or add a when condition\n"
    )


def test_prioritize_invalid_engagement(capsys: pytest.CaptureFixture[str], small: Path) -> None:
    """An engagement with errors is reported, not prioritized."""
    small.write_text(SMALL.replace('id = "erp"', 'id = "crm"'))
    code, out, err = run(capsys, "prioritize", str(small), "--rules", "moscow")
    assert (code, out) == (1, "")
    assert "duplicate initiative id" in err
    assert err.endswith("invalid engagement, nothing prioritized\n")


@pytest.mark.parametrize("param", ["floor", "floor=", "=3", "floor=nan", "floor=ten"])
def test_bad_param_syntax_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], small: Path, param: str
) -> None:
    """A --param that is not NAME=NUMBER is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as raised:
        main(["prioritize", str(small), "--param", param])
    assert raised.value.code == 2
    assert "--param" in capsys.readouterr().err


def test_rules_list(capsys: pytest.CaptureFixture[str]) -> None:
    """rules list shows each built-in pack with its subject and title."""
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
    assert out.splitlines() == [
        "business-vision   issue       Importance x satisfaction gap (CIO business vision)",
        "compliance-first  initiative  Compliance first",
        "maturity-gap      issue       Maturity gap",
        "moscow            initiative  MoSCoW gates",
        "rice              initiative  RICE (reach, impact, confidence, effort)",
        "risk              issue       Risk (likelihood x impact)",
        "value-for-money   initiative  Value for money",
        "wsjf              initiative  Weighted Shortest Job First",
    ]
    code, out, _ = run(capsys, "rules", "list", "--format", "json")
    packs = json.loads(out)["packs"]
    assert [p["id"] for p in packs][-1] == "wsjf"
    assert packs[-1]["params"] == {"min_size": 1.0}
    assert packs[-1]["rules"] == ["cost-of-delay", "per-size"]


def test_rules_check(capsys: pytest.CaptureFixture[str], own_pack: Path, tmp_path: Path) -> None:
    """rules check lints packs: ok lines, or the problems and exit 1."""
    bad = tmp_path / "bad.toml"
    bad.write_text(PACK.replace('multiply = "1 / max(size, floor)"', 'multiply = "1 / sise"'))
    code, out, _ = run(capsys, "rules", "check", "wsjf", str(own_pack))
    assert (code, out.splitlines()) == (
        0,
        [
            "wsjf: ok (initiative pack, 2 rules, 1 param, 3 examples)",
            f"{own_pack}: ok (initiative pack, 1 rule, 1 param, 1 example)",
        ],
    )
    code, out, _ = run(capsys, "rules", "check", str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"error: {bad}: rule[0].multiply: unknown name in rule 'divide': got 'sise', expected a "
        "field of the initiative, a param of the pack or score; did you mean 'size'?",
        "    1 / sise",
        "        ^^^^",
        f"{bad}: invalid (1 error)",
    ]
    code, out, _ = run(capsys, "rules", "check", str(bad), "--format", "json")
    assert code == 1
    problem = json.loads(out)["packs"][0]["problems"][0]
    assert problem["excerpt"] == "    1 / sise\n        ^^^^"


def test_rules_test_passes_every_builtin_pack(capsys: pytest.CaptureFixture[str]) -> None:
    """Every built-in pack passes its own examples."""
    names = [line.split()[0] for line in run(capsys, "rules", "list")[1].splitlines()]
    code, out, _ = run(capsys, "rules", "test", *names)
    assert code == 0
    assert "FAIL" not in out
    assert out.splitlines()[-1] == "wsjf: 3 passed, 0 failed"


def test_rules_test_fails_on_a_wrong_example(
    capsys: pytest.CaptureFixture[str], own_pack: Path
) -> None:
    """A failing example exits 1 and says what differs."""
    own_pack.write_text(PACK.replace("score = 5.0", "score = 6.0"))
    code, out, _ = run(capsys, "rules", "test", str(own_pack))
    assert code == 1
    assert out.splitlines() == [
        "FAIL per-size/half: score: expected 6, got 5",
        f"{own_pack}: 0 passed, 1 failed",
    ]
    code, out, _ = run(capsys, "rules", "test", str(own_pack), "--format", "json")
    assert code == 1
    assert json.loads(out)["packs"][0]["examples"] == [
        {"id": "half", "passed": False, "mismatches": ["score: expected 6, got 5"]}
    ]


def test_rules_test_invalid_pack(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An invalid pack cannot be tested: its problems and exit 1."""
    code, out, _ = run(capsys, "rules", "test", "wsjff")
    assert code == 1
    assert out.splitlines()[-1] == "wsjff: invalid pack, no examples run"


def test_pack_paths_in_a_file_resolve_relative_to_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prioritize(load("x/e.toml")) finds x/packs/custom.toml and agrees with the CLI."""
    from itstrat_engine import load
    from itstrat_engine.rules import file_packs, prioritize

    (tmp_path / "x" / "packs").mkdir(parents=True)
    (tmp_path / "x" / "packs" / "custom.toml").write_text(PACK)
    (tmp_path / "x" / "e.toml").write_text(
        SMALL + '\n[plan]\nrules = ["packs/custom.toml", "moscow"]\n'
    )
    monkeypatch.chdir(tmp_path)  # not the file's folder: packs/custom.toml is not here
    engagement = load("x/e.toml")
    assert file_packs(engagement) == [Path("x/packs/custom.toml"), "moscow"]
    library = prioritize(engagement)
    assert [p.source for p in library.packs] == [str(Path("x/packs/custom.toml")), "moscow.toml"]
    code, out, err = run(capsys, "prioritize", "x/e.toml", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(json.dumps(library.as_dict()))
    explicit = run(capsys, "prioritize", "x/e.toml", "--rules", "packs/custom.toml")
    assert explicit[0] == 1
    assert "packs/custom.toml: no such file" in explicit[2]  # --rules: the working directory
