"""Printing shared by the commands: JSON, views, and the one way problems are shown."""

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from itstrat_engine.errors import ItstratError, Problem
from itstrat_engine.report import Document, render_text


def print_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def print_view(document: Document) -> None:
    """Print a report view as text."""
    sys.stdout.write(render_text(document))


def print_problems(
    problems: Iterable[Problem],
    *,
    file: str | Path | None = None,
    stream: TextIO | None = None,
) -> None:
    """Print problems one per line as ``severity: file: path: message`` (default: stdout).

    A problem that names no file is shown in `file`. For the problems a command reports
    as its output (``validate``, ``rules check``) or alongside it (warnings); an error that
    stops a command goes through `print_error`.
    """
    out = stream or sys.stdout
    for problem in problems:
        shown = problem.in_file(None if file is None else str(file))
        out.write(f"{problem.severity}: {shown}\n")


def print_error(error: ItstratError, file: str | Path | None = None) -> None:
    """Print an error's problems on stderr, each naming `file` when it names no file itself.

    `file` is the file being processed (None for a mistake on the command line itself).
    """
    print_problems(error.located(None if file is None else str(file)), stream=sys.stderr)
