"""Shared helpers for the benchmark scripts: where the data is, and Markdown tables.

The public benchmark data lives outside the repository, in ``../shared/benchdata`` next to
the repo root (set ``ITSTRAT_BENCHDATA`` to use another folder). It is never copied in.
"""

import os
import platform
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def benchdata() -> Path:
    """The benchmark data folder (``ITSTRAT_BENCHDATA`` or ``<repo>/../shared/benchdata``)."""
    override = os.environ.get("ITSTRAT_BENCHDATA")
    return Path(override) if override else REPO.parent / "shared" / "benchdata"


def require_benchdata() -> Path:
    """The data folder, or exit with a message saying how to point at it."""
    folder = benchdata()
    if not (folder / "mkp").is_dir() or not (folder / "rcpsp").is_dir():
        sys.exit(
            f"benchmark data not found in {folder}; set ITSTRAT_BENCHDATA to the folder "
            "holding mkp/ and rcpsp/"
        )
    return folder


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub Markdown table; numbers right-aligned."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    align = [
        "---:" if rows and isinstance(rows[0][k], int | float) else "---"
        for k in range(len(header))
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def cbc_version(path: str) -> str:
    """The version line CBC prints, e.g. ``2.10.3``."""
    import subprocess  # noqa: PLC0415

    try:
        out = subprocess.run(  # noqa: S603 - PuLP's own CBC binary
            [path, "-quit"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        return "unknown"
    for line in out.splitlines():
        if line.strip().startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def environment() -> str:
    """Python, PuLP, highspy and CBC versions and the machine, as one Markdown line."""
    from pulp.apis.coin_api import pulp_cbc_path  # noqa: PLC0415

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    return (
        f"Python {platform.python_version()}, PuLP {version('pulp')}, "
        f"highspy {version('highspy')}, CBC {cbc_version(pulp_cbc_path)} (shipped with PuLP), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
