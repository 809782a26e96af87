"""Exceptions and problem records.

Every exception the library raises for a user mistake derives from `ItstratError`; each leaf
also inherits the matching built-in (`ValueError`, `OSError`, ...) so callers can catch either.
Errors carry their data as attributes, and input errors carry `Problem` records that locate
the mistake (file, path in the file), show the bad value, say what was expected and suggest
a fix.
"""

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

__all__ = [
    "DependencyCycleError",
    "GateConflictError",
    "InvalidEngagementError",
    "InvalidPlanError",
    "InvalidValueError",
    "ItstratError",
    "MissingExtraError",
    "Problem",
    "RuleError",
    "RuleEvaluationError",
    "UnreadableFileError",
    "UnwritableFileError",
    "did_you_mean",
]

Severity = Literal["error", "warning"]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return a suggestion like ``"did you mean 'cost'?"`` for a misspelt name, or None.

    >>> did_you_mean("cots", ["cost", "run_cost", "name"])
    "did you mean 'cost'?"
    """
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


@attrs.frozen(kw_only=True)
class Problem:
    """One located problem in an input: an error, or a warning that does not block use.

    `path` uses the file's own key names (``initiative[3].cost``); `value` is the offending
    value as written (a repr), `expected` what would be valid, `suggestion` how to fix it.
    """

    code: str
    path: str
    message: str
    value: str | None = None
    expected: str | None = None
    suggestion: str | None = None
    severity: Severity = "error"
    file: str | None = None

    @property
    def text(self) -> str:
        """The problem without its location: message, value, expectation and suggestion."""
        text = self.message
        if self.value is not None:
            text += f": got {self.value}"
        if self.expected is not None:
            text += f", expected {self.expected}"
        if self.suggestion is not None:
            text += f"; {self.suggestion}"
        return text

    def __str__(self) -> str:
        """Render as ``file: path: text`` (the file part only when known)."""
        return ": ".join(part for part in (self.file, self.path, self.text) if part)

    def in_file(self, file: str | None) -> "Problem":
        """The problem located in `file` when it names no file itself."""
        return self if self.file or file is None else attrs.evolve(self, file=file)

    def as_dict(self) -> dict[str, str]:
        """The problem as plain JSON-ready data, without empty fields."""
        data = {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "path": self.path,
            "message": self.message,
            "value": self.value,
            "expected": self.expected,
            "suggestion": self.suggestion,
            "text": str(self),
        }
        return {key: value for key, value in data.items() if value is not None}


class ProblemLog:
    """Collects located problems in the order they are found, so a check reports all at once."""

    def __init__(self, file: str | None = None) -> None:
        """Problems added here carry `file` (None when the input is not a file)."""
        self.file = file
        self.problems: list[Problem] = []

    def error(
        self,
        code: str,
        path: str,
        message: str,
        *,
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
        severity: Severity = "error",
    ) -> None:
        """Record a problem (an error unless `severity` says otherwise)."""
        self.problems.append(
            Problem(
                code=code,
                path=path,
                message=message,
                value=value,
                expected=expected,
                suggestion=suggestion,
                severity=severity,
                file=self.file,
            )
        )

    def warn(
        self,
        code: str,
        path: str,
        message: str,
        *,
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        """Record a warning: worth saying, not blocking."""
        self.error(
            code,
            path,
            message,
            value=value,
            expected=expected,
            suggestion=suggestion,
            severity="warning",
        )


class ItstratError(Exception):
    """Root of every exception raised by itstrat_engine for a user mistake or solver failure.

    `problems` holds the located problems (empty for an error that has none);
    `located(file)` gives them with `file` filled in where they do not name one, so every
    error can be shown as ``file: path: message`` however deep it was raised.
    """

    problems: tuple[Problem, ...] = ()

    def located(self, file: str | None = None) -> tuple[Problem, ...]:
        """The problems with `file` where they name none; one problem from the message if empty."""
        problems = self.problems or (
            Problem(code=_code_of(self), path="", message=str(self) or type(self).__name__),
        )
        return tuple(p.in_file(file) for p in problems)


def _code_of(error: Exception) -> str:
    """A kebab-case code from the exception's class name: ``RuleError`` -> ``rule``."""
    name = type(error).__name__.removesuffix("Error") or "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class InvalidValueError(ItstratError, ValueError):
    """A model field holds a value outside its domain (raised by the model's validators)."""

    def __init__(
        self,
        field: str,
        value: object,
        expected: str,
        *,
        message: str | None = None,
        suggestion: str | None = None,
        key: str | None = None,
    ) -> None:
        """Record which field (and key inside it, for mappings) was bad, the value, the need."""
        self.field = field
        self.key = key
        self.value = value
        self.expected = expected
        self.message = message or f"invalid {field}"
        self.suggestion = suggestion
        super().__init__(str(self.problem()))
        self.problems = (self.problem(),)

    def problem(self, path: str | None = None, file: str | None = None) -> Problem:
        """The error as a `Problem` located at `path` (default: the field name)."""
        return Problem(
            code="invalid-value",
            path=path if path is not None else ".".join(filter(None, (self.field, self.key))),
            message=self.message,
            value=repr(self.value),
            expected=self.expected,
            suggestion=self.suggestion,
            file=file,
        )


class InvalidEngagementError(ItstratError, ValueError):
    """An engagement (or another input) has one or more errors; all are in `problems`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Keep every problem; the message lists them one per line."""
        self.problems = tuple(problems)
        self.errors = tuple(p for p in self.problems if p.severity == "error")
        lines = [str(p) for p in self.errors] or [str(p) for p in self.problems]
        count = len(self.errors)
        head = f"{count} error{'s' if count != 1 else ''} in the input"
        super().__init__("\n".join([head, *lines]))


class DependencyCycleError(InvalidEngagementError):
    """Initiatives require each other in a cycle; `cycle` lists it, first id repeated last."""

    def __init__(self, cycle: Sequence[str], problems: Sequence[Problem]) -> None:
        """Keep the cycle (``a, b, a``) and the located problems."""
        self.cycle = tuple(cycle)
        super().__init__(problems)


class InvalidPlanError(InvalidEngagementError):
    """A plan file is not a valid plan, or its plan breaks its own engagement's rules.

    `problems` locate each mistake in the file; a plan that fails `verify` lists the
    violations (code ``violation``).
    """


class UnreadableFileError(ItstratError, OSError):
    """A file could not be read at all: missing, a directory, not UTF-8, or empty."""

    def __init__(self, problem: Problem) -> None:
        """Keep the located problem; `problems` is a one-element tuple for uniform handling."""
        self.problem = problem
        self.problems = (problem,)
        super().__init__(str(problem))


class UnwritableFileError(UnreadableFileError):
    """A file could not be written; nothing was changed on disk.

    Causes: a missing or read-only folder, a full disk, a path through a file, or an output
    that names a file the same command reads.
    """


class RuleError(ItstratError, ValueError):
    """A rule pack, an expression or a parameter override is invalid; all are in `problems`.

    Raised when a pack is loaded or checked, before anything is evaluated.
    """

    _heading = ("error in the rule pack", "errors in the rule pack")

    def __init__(self, problems: Sequence[Problem]) -> None:
        """Keep every problem; the message lists them one per line (with their excerpts)."""
        self.problems = tuple(problems)
        self.errors = tuple(p for p in self.problems if p.severity == "error")
        shown = self.errors or self.problems
        count = len(shown)
        head = f"{count} {self._heading[count != 1]}"
        super().__init__("\n".join([head, *(str(p) for p in shown)]))


class RuleEvaluationError(RuleError):
    """Evaluating a rule failed for an item; every problem names the pack, rule and item.

    Causes: a missing field, division by zero, a math domain error or overflow, a
    non-finite or negative result.
    """

    _heading = ("rule evaluation error", "rule evaluation errors")


class GateConflictError(RuleEvaluationError):
    """Rules (or the engagement file) both require and forbid an item.

    `conflicts` holds ``(item id, required by, forbidden by)`` triples, where a rule is
    written ``pack/rule`` and the file's own gate is ``engagement file``.
    """

    _heading = ("gate conflict", "gate conflicts")

    def __init__(
        self, conflicts: Sequence[tuple[str, str, str]], problems: Sequence[Problem]
    ) -> None:
        """Keep the conflicting triples and the located problems."""
        self.conflicts = tuple(conflicts)
        super().__init__(problems)


class MissingExtraError(ItstratError, ImportError):
    """An optional feature was asked for but its extra is not installed.

    `extra` names the extra; the message carries the pip command that installs it.
    """

    def __init__(self, feature: str, extra: str) -> None:
        """Say what needs the extra and how to install it."""
        self.extra = extra
        command = f"pip install 'itstrat-engine[{extra}]'"
        self.problems = (
            Problem(
                code="missing-extra",
                path="",
                message=f"{feature} needs the optional extra {extra!r}, which is not installed",
                suggestion=f"install it with: {command}",
            ),
        )
        super().__init__(f"{feature} needs the optional extra {extra!r}: {command}")
