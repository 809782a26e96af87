"""Rule packs: the format, pinned messages for bad packs, and the built-in packs."""

from pathlib import Path

import pytest

from itstrat_engine.errors import RuleError, UnreadableFileError
from itstrat_engine.rules import (
    builtin_names,
    builtin_packs,
    file_packs,
    load_pack,
    loads_pack,
    pack_from_dict,
    pack_to_dict,
    run_examples,
)

HEAD = '[pack]\nid = "p"\ntitle = "P"\nsubject = "initiative"\n'
RULE = '[[rule]]\nid = "r"\nscore = "1"\nbecause = "b"\n'
BUILTINS = (
    "business-vision",
    "compliance-first",
    "maturity-gap",
    "moscow",
    "rice",
    "risk",
    "value-for-money",
    "wsjf",
)


def problems(text: str) -> list[str]:
    with pytest.raises(RuleError) as raised:
        loads_pack(text, "p.toml")
    return [str(problem) for problem in raised.value.problems]


def test_a_full_pack_loads() -> None:
    """Every part of the format is read: metadata, params, defaults, rules, examples."""
    pack = loads_pack(
        HEAD
        + 'description = "Demo"\nversion = "2.1"\nreferences = ["A book"]\n'
        + 'fields = ["size"]\n[params]\nfactor = 2\n[defaults]\nsize = 1\n'
        + '[[rule]]\nid = "base"\nscore = "size * factor"\nbecause = "Size counts"\n'
        + '[[rule]]\nid = "gate"\nwhen = "\'must\' in tags"\nrequire = true\ntier = "must"\n'
        + 'flag = ["a", "b"]\nearliest = 1\ndeadline = "periods - 1"\nbecause = "Musts"\n'
        + '[[example]]\nid = "e"\ngiven = { size = 3, tags = ["must"], periods = 4 }\nparams = { factor = 3 }\n'
        + 'expect = { score = 9.0, require = true, earliest = 1, deadline = 3, tier = "must", flags = ["a", "b"] }\n',
        "p.toml",
    )
    assert (pack.id, pack.title, pack.subject, pack.version) == ("p", "P", "initiative", "2.1")
    assert (pack.description, pack.references, pack.fields) == ("Demo", ("A book",), ("size",))
    assert (dict(pack.params), dict(pack.defaults)) == ({"factor": 2.0}, {"size": 1.0})
    assert [rule.id for rule in pack.rules] == ["base", "gate"]
    gate = pack.rule("gate")
    assert (gate.require, gate.forbid, gate.tier, gate.flags) == (True, False, "must", ("a", "b"))
    assert gate.earliest is not None
    assert gate.earliest.source == "1"
    assert pack.source == "p.toml"
    assert [r.passed for r in run_examples(pack)] == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + "[param]\nx = 1\n" + RULE,
            [
                "p.toml: param: unknown key: got 'param', expected one of pack, params, defaults, rule, example; did you mean 'params'?"
            ],
        ),
        (
            HEAD.replace("title", "titel") + RULE,
            [
                "p.toml: pack.titel: unknown key: got 'titel', expected one of id, title, subject, description, version, references, fields; did you mean 'title'?",
                "p.toml: pack.title: missing required key 'title'; add title = ... here",
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nscroe = "1"\nbecause = "b"\n',
            [
                "p.toml: rule[0].scroe: unknown key: got 'scroe', expected one of id, when, score, add, multiply, require, forbid, earliest, deadline, tier, flag, because; did you mean 'score'?"
            ],
        ),
        (
            RULE,
            [
                'p.toml: pack: missing the [pack] table, expected [pack] with id, title and subject; start the file with [pack] id = "...", title = "...", subject = "initiative"'
            ],
        ),
        (
            HEAD.replace('"initiative"', '"initiatives"') + RULE,
            [
                "p.toml: pack.subject: unknown choice: got 'initiatives', expected one of 'issue', 'initiative'; did you mean 'initiative'?"
            ],
        ),
        (
            HEAD + '[params]\ncost = 1\n"bad name" = 2\nflag = true\n' + RULE,
            [
                "p.toml: params.cost: param name already in use: got 'cost', expected a name that is not a built-in initiative field; rename it",
                "p.toml: params.\"bad name\": invalid param name: got 'bad name', expected lowercase letters, digits and '_', not starting with a digit (a name expressions can use); try 'bad_name'",
                "p.toml: params.flag: wrong type: got True, expected a number",
            ],
        ),
        (
            HEAD + 'fields = ["size"]\n[defaults]\ncost = 1\nsise = 2\n' + RULE,
            [
                "p.toml: defaults.cost: default for a name that is never missing: got 'cost', expected a declared free field or an optional number (deadline, earliest, size, value); remove it",
                "p.toml: defaults.sise: default for an unknown name: got 'sise', expected a declared free field or an optional number (deadline, earliest, size, value); did you mean 'size'?",
            ],
        ),
        (
            HEAD + 'fields = ["cost", "Job-Size"]\n' + RULE,
            [
                "p.toml: pack.fields[0]: field name already in use: got 'cost', expected a name that is not a built-in initiative field; rename it",
                "p.toml: pack.fields[1]: invalid field name: got 'Job-Size', expected lowercase letters, digits and '_', not starting with a digit (a name expressions can use); try 'job_size'",
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nscore = "1"\nmultiply = "2"\nbecause = "b"\n',
            [
                "p.toml: rule[0].multiply: rule 'r' changes the score twice: got score and multiply, expected one of score, add or multiply per rule; split it into two rules, which run in file order"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nrequire = false\nbecause = "b"\n',
            [
                "p.toml: rule[0].require: require must be true: got False, expected true; make the rule conditional with when = ..."
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "both"\nrequire = true\nforbid = true\nbecause = "b"\n',
            [
                "p.toml: rule[0].forbid: rule 'both' both requires and forbids, expected require or forbid, not both; split it into two rules with opposite conditions"
            ],
        ),
        (
            HEAD.replace('"initiative"', '"issue"')
            + '[[rule]]\nid = "r"\nrequire = true\nbecause = "b"\n',
            [
                "p.toml: rule[0].require: require applies to initiatives only, expected score, add, multiply, tier or flag in an issue pack; move the rule to an initiative pack"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nwhen = "cost > 1"\nbecause = "b"\n',
            [
                "p.toml: rule[0]: rule 'r' does nothing, expected at least one of score, add, multiply, require, forbid, earliest, deadline, tier, flag"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nscore = "1"\n',
            ["p.toml: rule[0].because: missing required key 'because'; add because = ... here"],
        ),
        (
            HEAD + RULE + '[[rule]]\nid = "r"\nadd = 1\nbecause = "b"\n',
            [
                "p.toml: rule[1].id: duplicate rule id: got 'r', expected ids unique within the pack; rename it; rule[0] already uses it"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "R 1"\nscore = "1"\nbecause = "b"\n',
            [
                "p.toml: rule[0].id: invalid id: got 'R 1', expected 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit; try 'r-1'"
            ],
        ),
        (HEAD, ["p.toml: rule: the pack has no rules, expected at least one [[rule]] table"]),
        (
            HEAD + '[[rule]]\nid = "r"\nscore = true\nbecause = "b"\n',
            [
                "p.toml: rule[0].score: wrong type: got True, expected an expression (a string) or a number"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nscore = "1"\nbecause = "b"\n[[example]]\ngiven = {}\n',
            [
                "p.toml: example[0].expect: missing required key 'expect'; add expect = { score = ... }"
            ],
        ),
        (
            HEAD + "[[rule]\n",
            [
                "p.toml: line 5, column 7: TOML syntax error: Expected ']]' at the end of an array declaration; check the TOML syntax around that spot"
            ],
        ),
        (
            HEAD + "version = 1\n" + RULE,
            ["p.toml: pack.version: wrong type: got 1, expected a string"],
        ),
    ],
    ids=[
        "unknown-top-key",
        "unknown-pack-key",
        "unknown-rule-key",
        "missing-pack",
        "unknown-subject",
        "bad-params",
        "bad-defaults",
        "bad-fields",
        "two-score-actions",
        "require-false",
        "require-and-forbid",
        "issue-gate",
        "no-action",
        "missing-because",
        "duplicate-rule",
        "bad-rule-id",
        "no-rules",
        "score-boolean",
        "example-without-expect",
        "toml-syntax",
        "version-number",
    ],
)
def test_bad_pack_messages_are_pinned(text: str, expected: list[str]) -> None:
    """Each mistake in a pack gives a located message that says what to do."""
    assert problems(text) == expected


def test_bad_examples_report_every_problem() -> None:
    """An example's unknown names, wrong types and unknown keys are all reported."""
    text = (
        HEAD
        + 'fields = ["size"]\n[params]\nk = 1\n[[rule]]\nid = "r"\nscore = "size * k"\nbecause = "b"\n'
        + '[[example]]\ngiven = { sise = 1, tags = "must", cost = "x" }\nparams = { kk = 2 }\n'
        + "expect = { scor = 1, earliest = -1 }\n"
    )
    found = problems(text)
    assert [line.split(": ")[1] for line in found] == [
        "example[0].given.sise",
        "example[0].given.tags",
        "example[0].given.cost",
        "example[0].params.kk",
        "example[0].expect.scor",
        "example[0].expect.earliest",
    ]
    assert found[0].endswith("did you mean 'size'?")
    assert found[1] == (
        "p.toml: example[0].given.tags: wrong type: got 'must', expected a list of strings"
    )
    assert found[5] == (
        "p.toml: example[0].expect.earliest: earliest before the first period: got -1, expected a period index (a whole number >= 0)"
    )


def test_an_unknown_name_in_a_pack_names_file_rule_and_caret() -> None:
    """An unknown name is reported with the file, the rule id, a caret and a suggestion."""
    text = (
        HEAD
        + 'fields = ["job_size"]\n[[rule]]\nid = "per-size"\nmultiply = "1 / job_sise"\nbecause = "b"\n'
    )
    assert problems(text) == [
        "p.toml: rule[0].multiply: unknown name in rule 'per-size': got 'job_sise', expected a field of the initiative, a param of the pack or score; did you mean 'job_size'?\n"
        "    1 / job_sise\n"
        "        ^^^^^^^^"
    ]


def test_all_problems_are_reported_at_once() -> None:
    """A pack with several mistakes lists them all, in file order."""
    text = (
        HEAD
        + '[[rule]]\nid = "a"\nscore = "cots"\nbecause = "b"\n'
        + '[[rule]]\nid = "b"\nwhen = "tags > 1"\nadd = 1\nbecause = "b"\n'
    )
    with pytest.raises(RuleError) as raised:
        loads_pack(text, "p.toml")
    assert [p.path for p in raised.value.problems] == ["rule[0].score", "rule[1].when"]
    assert str(raised.value).startswith("2 errors in the rule pack\n")


def test_pack_from_dict_accepts_numbers_as_expressions() -> None:
    """A number where an expression goes is the constant expression."""
    pack = pack_from_dict(
        {
            "pack": {"id": "p", "title": "P", "subject": "initiative"},
            "rule": [{"id": "r", "multiply": 2.5, "because": "b"}],
        }
    )
    assert pack.rules[0].amount is not None
    assert pack.rules[0].amount.source == "2.5"


def test_the_document_must_be_a_table() -> None:
    """Data that is not a table is refused."""
    with pytest.raises(RuleError, match="wrong type: got a list"):
        pack_from_dict(["not", "a", "pack"])


# --------------------------------------------------------------------------- built-ins


def test_builtin_names() -> None:
    """The built-in packs are the documented eight."""
    assert builtin_names() == BUILTINS


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_pack_is_documented_and_tested(name: str) -> None:
    """Each built-in pack has a description, references, params and examples that pass."""
    pack = load_pack(name)
    assert pack.id == name
    assert pack.description.strip()
    assert pack.title
    assert pack.version
    assert pack.references
    assert pack.params
    assert len(pack.examples) >= 3
    results = run_examples(pack)
    assert [r.mismatches for r in results if not r.passed] == []


def test_builtin_packs_loads_all() -> None:
    """builtin_packs returns every built-in pack, sorted by id."""
    assert tuple(pack.id for pack in builtin_packs()) == BUILTINS


def test_load_pack_by_path(tmp_path: Path) -> None:
    """A .toml path (or any path with a separator) loads that file."""
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + RULE)
    assert load_pack(path).source == str(path)
    assert load_pack(str(path)).id == "p"


def test_unknown_builtin_name_suggests() -> None:
    """An unknown built-in name says which exist and suggests the closest."""
    with pytest.raises(RuleError) as raised:
        load_pack("wsjff")
    assert str(raised.value.problems[0]) == (
        "unknown built-in pack: got 'wsjff', expected one of business-vision, compliance-first, "
        "maturity-gap, moscow, rice, risk, value-for-money, wsjf; did you mean 'wsjf'?"
    )


def test_missing_pack_file_is_unreadable(tmp_path: Path) -> None:
    """A pack path that does not exist is an UnreadableFileError."""
    with pytest.raises(UnreadableFileError, match="no such file"):
        load_pack(tmp_path / "nope.toml")


def test_failing_example_reports_the_mismatch() -> None:
    """An example whose expectation is wrong fails with what was expected and got."""
    pack = loads_pack(
        HEAD
        + 'fields = ["size"]\n[[rule]]\nid = "r"\nscore = "size * 2"\ntier = "big"\nbecause = "b"\n'
        + '[[example]]\nid = "wrong"\ngiven = { size = 2 }\n'
        + 'expect = { score = 5, tier = "small", require = true, flags = ["x"] }\n'
        + '[[example]]\nid = "missing"\ngiven = {}\nexpect = { score = 0 }\n'
    )
    wrong, missing = run_examples(pack)
    assert not wrong.passed
    assert wrong.mismatches == (
        "score: expected 5, got 4",
        "require: expected true, got false",
        "tier: expected 'small', got 'big'",
        "flags: expected ['x'], got []",
    )
    assert not missing.passed
    assert missing.mismatches == (
        "rule 'r' reads size, which initiative 'missing' does not have: got 'size * 2'; give "
        "initiative 'missing' fields.size = ..., add size = ... to [defaults], or guard the "
        "rule with has(size)",
    )


def test_the_guide_documents_every_name_and_builtin_pack() -> None:
    """docs/rules.md mentions every built-in name, function and built-in pack."""
    from itstrat_engine.rules import FIELDS, FUNCTIONS

    guide = Path("docs/rules.md").read_text("utf-8")
    names = {name for specs in FIELDS.values() for name in specs}
    assert [name for name in sorted(names) if f"`{name}" not in guide] == []
    assert [name for name in sorted(FUNCTIONS) if f"`{name}(" not in guide] == []
    assert [name for name in BUILTINS if f"| `{name}` |" not in guide] == []


# --------------------------------------------------------------------------- the converter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD.replace('id = "p"', 'id = "wsjf pack!"') + RULE,
            [
                "p.toml: pack.id: invalid id: got 'wsjf pack!', expected 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit; try 'wsjf-pack'"
            ],
        ),
        (
            HEAD + RULE.replace('id = "r"', 'id = "a b c"'),
            [
                "p.toml: rule[0].id: invalid id: got 'a b c', expected 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit; try 'a-b-c'"
            ],
        ),
        (
            HEAD + RULE + '[[example]]\nid = "Big Job"\ngiven = {}\nexpect = { score = 1 }\n',
            [
                "p.toml: example[0].id: invalid id: got 'Big Job', expected 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit; try 'big-job'"
            ],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nmultipy = "2"\nbecause = "b"\n',
            [
                "p.toml: rule[0].multipy: unknown key: got 'multipy', expected one of id, when, score, add, multiply, require, forbid, earliest, deadline, tier, flag, because; did you mean 'multiply'?"
            ],
        ),
        (
            HEAD + '[params]\nmin_size = "1"\n' + RULE,
            ["p.toml: params.min_size: wrong type: got '1', expected a number"],
        ),
        (
            HEAD + "[params]\nmin_size = nan\n" + RULE,
            ["p.toml: params.min_size: not a finite number: got nan, expected a finite number"],
        ),
        (
            HEAD + '[defaults]\nvalue = "1"\n' + RULE,
            ["p.toml: defaults.value: wrong type: got '1', expected a number"],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\nwhen = 1\nscore = "1"\nbecause = "b"\n',
            ["p.toml: rule[0].when: wrong type: got 1, expected an expression (a string)"],
        ),
        (
            HEAD + '[[rule]]\nid = "r"\ntier = "t"\nflag = ["a", 1]\nbecause = "b"\n',
            [
                "p.toml: rule[0].flag: wrong type: got a list ['a', 1], expected a string or a list of strings"
            ],
        ),
        (
            HEAD + RULE + '[[example]]\ngiven = { tags = [["x"]] }\nexpect = { score = 1 }\n',
            [
                "p.toml: example[0].given.tags: wrong type: got a list [['x']], expected a number, a string, true or false, or a list of numbers or strings"
            ],
        ),
        (
            HEAD + RULE + "[[example]]\ngiven = { cost = [1, 2] }\nexpect = { score = 1 }\n",
            ["p.toml: example[0].given.cost: wrong type: got a list [1.0, 2.0], expected a number"],
        ),
        (
            HEAD + RULE + "[[example]]\ngiven = {}\nexpect = {}\n",
            [
                "p.toml: example[0].expect: the example expects nothing, expected at least one of score, require, forbid, earliest, deadline, tier, flags"
            ],
        ),
        (
            HEAD + 'fields = ["if"]\n' + RULE,
            [
                "p.toml: pack.fields[0]: invalid field name: got 'if', expected lowercase letters, digits and '_', not starting with a digit (a name expressions can use)"
            ],
        ),
    ],
    ids=[
        "pack-id",
        "rule-id",
        "example-id",
        "unknown-rule-key",
        "param-string",
        "param-nan",
        "default-string",
        "when-number",
        "flag-list",
        "given-nested",
        "given-type",
        "empty-expect",
        "keyword-field",
    ],
)
def test_packs_are_read_by_the_engagement_converter(text: str, expected: list[str]) -> None:
    """Ids, numbers and keys are checked exactly as in an engagement file."""
    assert problems(text) == expected


def test_converter_and_compile_problems_come_together_in_file_order() -> None:
    """A wrong type in one rule does not hide an unknown name in the next, nor a bad param."""
    text = (
        HEAD
        + '[params]\ncost = 1\nk = "2"\n'
        + '[[rule]]\nid = "r"\nscore = "1"\nscroe = "2"\nbecause = "b"\n'
        + '[[rule]]\nid = "s"\nadd = "cots"\nbecause = "b"\n'
        + '[[rule]]\nid = "t"\nrequire = "yes"\nbecause = "b"\n'
    )
    assert [line.split(": ")[1] for line in problems(text)] == [
        "params.cost",
        "params.k",
        "rule[0].scroe",
        "rule[1].add",
        "rule[2].require",
    ]


def test_a_missing_required_key_stops_at_the_converter() -> None:
    """Without a rule id the pack cannot be compiled: only the converter's problems."""
    text = HEAD + '[[rule]]\nscore = "cots"\nbecause = "b"\n'
    assert problems(text) == ["p.toml: rule[0].id: missing required key 'id'; add id = ... here"]


def test_single_labels_need_no_list() -> None:
    """references, fields and flag take one string or a list of strings."""
    pack = loads_pack(
        HEAD.replace('subject = "initiative"\n', 'subject = "initiative"\nreferences = "A book"\n')
        + 'fields = "size"\n[[rule]]\nid = "r"\nadd = "size"\nflag = "big"\nbecause = "b"\n'
    )
    assert (pack.references, pack.fields, pack.rules[0].flags) == (("A book",), ("size",), ("big",))


def test_whole_numbers_stay_as_written_in_expressions() -> None:
    """A number where an expression goes reads back as written: 1 stays '1', 2.5 '2.5'."""
    pack = loads_pack(HEAD + '[[rule]]\nid = "r"\nmultiply = 2\nearliest = 1.5\nbecause = "b"\n')
    rule = pack.rules[0]
    assert rule.amount is not None
    assert rule.earliest is not None
    assert (rule.amount.source, rule.earliest.source) == ("2", "1.5")


@pytest.mark.parametrize("name", BUILTINS)
def test_pack_to_dict_reads_back_to_the_same_pack(name: str) -> None:
    """pack_from_dict(pack_to_dict(p)) is p again: same rules, examples and params."""
    pack = load_pack(name)
    again = pack_from_dict(pack_to_dict(pack), pack.source)
    assert pack_to_dict(again) == pack_to_dict(pack)
    assert (again.id, again.params, again.defaults, again.examples) == (
        pack.id,
        pack.params,
        pack.defaults,
        pack.examples,
    )
    assert [rule.because for rule in again.rules] == [rule.because for rule in pack.rules]
    assert [r.passed for r in run_examples(again)] == [True] * len(pack.examples)


def test_file_packs_resolve_only_relative_paths_of_a_known_file(tmp_path: Path) -> None:
    """Names and absolute paths stay; relative paths follow the file; no file, no change."""
    from itstrat_engine.io import from_dict

    absolute = str(tmp_path / "abs.toml")
    data = {
        "engagement": {"client": "Acme", "start": "2027-Q1", "periods": 4},
        "plan": {"rules": ["wsjf", "mine.toml", "sub/other.toml", absolute]},
    }
    assert file_packs(from_dict(data, "clients/acme/e.toml")) == [
        "wsjf",
        Path("clients/acme/mine.toml"),
        Path("clients/acme/sub/other.toml"),
        absolute,
    ]
    assert file_packs(from_dict(data)) == ["wsjf", "mine.toml", "sub/other.toml", absolute]


def test_many_converter_problems_are_capped_once() -> None:
    """Dozens of wrong types are cut to the first 20 and one count line, after compiling."""
    rules = "".join(f'[[rule]]\nid = "r{k}"\nscore = true\nbecause = "b"\n' for k in range(30))
    found = problems(HEAD + "[params]\ncost = 1\n" + rules)
    assert len(found) == 21
    assert found[0].startswith("p.toml: params.cost: param name already in use")
    assert (
        found[-1] == "and 11 more like these; fix the first ones; the rest usually share the cause"
    )
