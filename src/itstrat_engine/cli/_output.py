"""Small printing helpers shared by the commands."""

import json
import sys
from collections.abc import Iterable
from typing import Any

from itstrat_engine.errors import Problem


def print_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def print_problems(problems: Iterable[Problem], *, stream: Any = None) -> None:
    """Print problems one per line as ``severity: file: path: message``."""
    out = stream or sys.stdout
    for problem in problems:
        out.write(f"{problem.severity}: {problem}\n")
