"""``itstrat rules list|check|test``: browse, lint and test rule packs."""

import argparse
import sys
from typing import NamedTuple

from itstrat_engine.cli._output import print_error, print_json, print_problems, print_view
from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.formatting import plural
from itstrat_engine.report import packs_view
from itstrat_engine.rules import ExampleResult, Pack, builtin_packs, load_pack, run_examples


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-command and its own sub-commands."""
    parser = commands.add_parser(
        "rules",
        help="list, check and test rule packs",
        description="Work with rule packs: list the built-in ones, check a pack without "
        "running it, run a pack's examples. PACK is a built-in name or a .toml path.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list", help="list the built-in packs", description="List the built-in rule packs."
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=run_list)

    check = actions.add_parser(
        "check",
        help="check packs without running them",
        description="Load and check packs: keys, types, params, defaults and every "
        "expression. Exit 0 when all are valid, 1 otherwise.",
    )
    check.add_argument("packs", nargs="+", metavar="PACK")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=run_check)

    test = actions.add_parser(
        "test",
        help="run the examples of packs",
        description="Run every [[example]] of the packs. Exit 0 when all pass, 1 when a "
        "pack is invalid or an example fails.",
    )
    test.add_argument("packs", nargs="+", metavar="PACK")
    test.add_argument("--format", choices=("text", "json"), default="text")
    test.set_defaults(run=run_test)


def _load(reference: str) -> tuple[Pack | None, tuple[Problem, ...]]:
    try:
        return load_pack(reference), ()
    except ItstratError as error:
        return None, error.located()


def _summary(pack: Pack) -> dict[str, object]:
    return {
        "id": pack.id,
        "title": pack.title,
        "subject": pack.subject,
        "version": pack.version,
        "description": pack.description.strip(),
        "references": list(pack.references),
        "fields": list(pack.fields),
        "params": dict(pack.params),
        "rules": [rule.id for rule in pack.rules],
        "examples": len(pack.examples),
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the built-in packs."""
    try:
        packs = builtin_packs()
    except ItstratError as error:  # pragma: no cover - the built-ins are tested
        print_error(error)
        return 1
    if args.format == "json":
        print_json({"packs": [_summary(pack) for pack in packs]})
        return 0
    if not packs:  # pragma: no cover - only a broken installation has none
        print("no built-in packs found", file=sys.stderr)
        return 1
    print_view(packs_view(packs))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check each pack; exit 1 if any is invalid."""
    results = [(reference, *_load(reference)) for reference in args.packs]
    valid = all(pack is not None for _, pack, _ in results)
    if args.format == "json":
        print_json(
            {
                "valid": valid,
                "packs": [
                    {
                        "pack": reference,
                        "valid": pack is not None,
                        "problems": [p.as_dict() for p in problems],
                    }
                    for reference, pack, problems in results
                ],
            }
        )
        return 0 if valid else 1
    for reference, pack, problems in results:
        if pack is None:
            print_problems(problems)
            print(f"{reference}: invalid ({plural(len(problems), 'error')})")
        else:
            print(
                f"{reference}: ok ({pack.subject} pack, {plural(len(pack.rules), 'rule')}, "
                f"{plural(len(pack.params), 'param')}, "
                f"{plural(len(pack.examples), 'example')})"
            )
    return 0 if valid else 1


class _PackTest(NamedTuple):
    reference: str
    pack: Pack | None
    problems: tuple[Problem, ...]
    results: tuple[ExampleResult, ...]

    @property
    def passed(self) -> bool:
        return self.pack is not None and all(result.passed for result in self.results)


def run_test(args: argparse.Namespace) -> int:
    """Run each pack's examples; exit 1 on an invalid pack or a failing example."""
    tests = []
    for reference in args.packs:
        pack, problems = _load(reference)
        results = run_examples(pack) if pack is not None else ()
        tests.append(_PackTest(reference, pack, problems, results))
    ok = all(test.passed for test in tests)
    if args.format == "json":
        print_json(
            {
                "passed": ok,
                "packs": [
                    {
                        "pack": test.reference,
                        "valid": test.pack is not None,
                        "passed": test.passed,
                        "problems": [p.as_dict() for p in test.problems],
                        "examples": [
                            {
                                "id": result.example,
                                "passed": result.passed,
                                "mismatches": list(result.mismatches),
                            }
                            for result in test.results
                        ],
                    }
                    for test in tests
                ],
            }
        )
        return 0 if ok else 1
    for test in tests:
        if test.pack is None:
            print_problems(test.problems)
            print(f"{test.reference}: invalid pack, no examples run")
            continue
        for result in test.results:
            if result.passed:
                print(f"PASS {result.pack}/{result.example}")
            else:
                print(f"FAIL {result.pack}/{result.example}: {'; '.join(result.mismatches)}")
        passed = sum(result.passed for result in test.results)
        failed = len(test.results) - passed
        note = " (the pack has no examples)" if not test.results else ""
        print(f"{test.reference}: {passed} passed, {failed} failed{note}")
    return 0 if ok else 1
