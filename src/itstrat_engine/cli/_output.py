"""Printing shared by the commands: JSON, views, and the one way problems are shown."""

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from itstrat_engine.errors import ItstratError, Problem, UnwritableFileError
from itstrat_engine.io import write_atomic
from itstrat_engine.report import Document, render_text
from itstrat_engine.workbook import is_spreadsheet, locate


def print_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def print_view(document: Document) -> None:
    """Print a report view as text."""
    sys.stdout.write(render_text(document))


MAX_SHOWN_PROBLEMS = 50
"""Problems printed as text before the rest are counted (JSON output lists them all)."""


def print_problems(
    problems: Iterable[Problem],
    *,
    file: str | Path | None = None,
    stream: TextIO | None = None,
    limit: int = MAX_SHOWN_PROBLEMS,
) -> None:
    """Print problems one per line as ``severity: file: path: message`` (default: stdout).

    A problem that names no file is shown in `file`. For the problems a command reports
    as its output (``validate``, ``rules check``) or alongside it (warnings, at most
    `limit` of them); an error that stops a command goes through `print_error`.
    """
    out = stream or sys.stdout
    listed = list(problems)
    for problem in listed[:limit]:
        shown = problem.in_file(None if file is None else str(file))
        out.write(f"{problem.severity}: {shown}\n")
    rest = listed[limit:]
    if rest:
        errors = sum(p.severity == "error" for p in rest)
        if errors:
            tail = f"({errors} errors, {len(rest) - errors} warnings): fix these first"
        else:
            tail = "warnings"
        out.write(f"... and {len(rest)} more {tail} (validate --format json lists every one)\n")


def print_error(error: ItstratError, file: str | Path | None = None) -> None:
    """Print an error's problems on stderr, each naming `file` when it names no file itself.

    `file` is the file being processed (None for a mistake on the command line itself).
    """
    problems = error.located(None if file is None else str(file))
    if file is not None and is_spreadsheet(Path(file)):
        problems = locate(problems, file)  # what checking found, back to its cell
    print_problems(problems, stream=sys.stderr)


def output_format(choice: str | None, output: Path | None, default: str = "text") -> str:
    """The format asked for, else the one the output file's suffix names, else `default`."""
    if choice is not None:
        return choice
    if output is not None and output.suffix.lower() == ".json":
        return "json"
    return default


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return a.resolve() == b.resolve()


def guard_inputs(output: Path | None, inputs: Iterable[Path]) -> UnwritableFileError | None:
    """The error to report when `-o` names a file the command reads, else None."""
    if output is None:
        return None
    for path in inputs:
        if _same(output, path):
            return UnwritableFileError(
                Problem(
                    code="output-is-input",
                    path="",
                    message="refusing to write the output over a file this command reads",
                    value=str(path),
                    expected="an output file that is not an input",
                    suggestion="choose another name for -o",
                    file=str(output),
                )
            )
    return None


def write_output(text: str, output: Path | None) -> int:
    """Write the text to standard output or, atomically, to `output`; 1 on a write error.

    A write error is one line naming the path and the reason, never a traceback.
    """
    if output is not None:
        try:
            write_atomic(output, text)
        except UnwritableFileError as error:
            print_error(error)
            return 1
        return 0
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        sys.stderr.write(f"error: <stdout>: cannot write the output ({error.strerror or error})\n")
        return 1
    return 0


def progress_printer(stream: Any, noun: str) -> Any:
    """A progress callback writing ``done/total`` on `stream` when it is a terminal, else None."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None

    def show(done: int, total: int) -> None:
        stream.write(f"\r{done}/{total} {noun}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


class StatusLine:
    """One line of progress on a terminal, rewritten in place; nothing on a pipe or a file.

    `told` is the callback to hand a long analysis (None when `stream` is not a terminal);
    `end()` finishes the line once the analysis is done.
    """

    def __init__(self, stream: Any, prefix: str) -> None:
        self._stream = stream
        self._prefix = prefix
        self._width = 0
        terminal = hasattr(stream, "isatty") and stream.isatty()
        self.told = self._show if terminal else None

    def _show(self, message: str) -> None:
        text = f"{self._prefix}: {message}"
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(text))

    def end(self) -> None:
        if self._width:
            self._stream.write("\n")
            self._stream.flush()
