"""Writing a client report: the file's suffix picks the format; every write is atomic.

``.html`` (one self-contained page), ``.md`` (Markdown, its charts as SVG files in a folder
``<name>_files`` beside it), ``.xlsx`` (an Excel workbook) and ``.pdf``. A failed write
leaves what was there untouched: single files are written beside the target and renamed
over it; a Markdown report and its charts are all replaced, or none.
"""

import importlib
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from itstrat_engine.errors import (
    InvalidEngagementError,
    MissingExtraError,
    Problem,
    UnwritableFileError,
    did_you_mean,
)
from itstrat_engine.io import unwritable, write_atomic
from itstrat_engine.report.document import ClientReport

__all__ = [
    "FORMATS",
    "ReportFormat",
    "charts_folder",
    "render_report",
    "report_format",
    "require_extra",
    "write_report",
]

ReportFormat = Literal["html", "markdown", "excel", "pdf"]

FORMATS: dict[str, ReportFormat] = {
    ".html": "html",
    ".md": "markdown",
    ".xlsx": "excel",
    ".pdf": "pdf",
}
"""Output suffixes and the format each one means."""


def report_format(path: str | Path) -> ReportFormat:
    """The format a file name asks for; `InvalidEngagementError` for any other suffix.

    >>> report_format("board/report.xlsx")
    'excel'
    """
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    known = ", ".join(FORMATS)
    hint = did_you_mean(suffix, FORMATS) if suffix else None
    aliases = {".htm": ".html", ".markdown": ".md", ".xls": ".xlsx", ".xlsm": ".xlsx"}
    if suffix in aliases:
        hint = f"did you mean {aliases[suffix]!r}?"
    raise InvalidEngagementError(
        [
            Problem(
                code="report-format",
                path="",
                message="the output's suffix names no report format",
                value=repr(suffix or Path(path).name),
                expected=f"a file name ending in one of {known}",
                suggestion=hint or f"name the output e.g. report.html (one of {known})",
                file=str(path),
            )
        ]
    )


_NEEDS: dict[ReportFormat, tuple[tuple[str, str], ...]] = {
    "html": (("jinja2", "report"), ("matplotlib", "report")),
    "markdown": (("matplotlib", "report"),),
    "excel": (("xlsxwriter", "excel"),),
    "pdf": (("jinja2", "pdf"), ("matplotlib", "pdf"), ("weasyprint", "pdf")),
}


def require_extra(format_: ReportFormat) -> None:
    """Raise `MissingExtraError` now if the format's extra is missing (before slow work)."""
    for module, extra in _NEEDS[format_]:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(f"the {format_} report", extra) from None


def charts_folder(path: str | Path) -> Path:
    """The folder a Markdown report's chart files go in: ``report_files`` for ``report.md``."""
    path = Path(path)
    return path.with_name(f"{path.stem}_files")


def render_report(
    report: ClientReport, format_: ReportFormat, *, folder: str = "report_files"
) -> bytes | str:
    """The report in one format (text for HTML and Markdown, bytes for the others).

    For Markdown, the text alone (its charts are written by `write_report`).
    """
    if format_ == "html":
        from itstrat_engine.report.html import render_html  # noqa: PLC0415 - report extra

        return render_html(report)
    if format_ == "markdown":
        from itstrat_engine.report.markdown import render_markdown  # noqa: PLC0415

        return render_markdown(report, folder)[0]
    if format_ == "excel":
        from itstrat_engine.report.workbook import render_workbook  # noqa: PLC0415 - excel

        return render_workbook(report)
    from itstrat_engine.report.pdf import render_pdf  # noqa: PLC0415 - pdf extra

    return render_pdf(report)


def write_report(report: ClientReport, path: str | Path) -> list[Path]:
    """Render the report in the format the suffix names and write it; the files written.

    Everything is rendered before anything is written, so a missing extra or a failed
    render changes nothing on disk. Raises `InvalidEngagementError` for an unknown suffix,
    `MissingExtraError` when the format's extra is not installed and
    `UnwritableFileError` when the file cannot be written.
    """
    path = Path(path)
    format_ = report_format(path)
    if format_ == "markdown":
        from itstrat_engine.report.markdown import render_markdown  # noqa: PLC0415

        folder = charts_folder(path)
        text, files = render_markdown(report, folder.name)
        _write_markdown(path, text, folder, files)
        return [path, *(path.parent / name for name in sorted(files))]
    write_atomic(path, render_report(report, format_))
    return [path]


def _write_markdown(path: Path, text: str, folder: Path, files: dict[str, str]) -> None:
    """Write the Markdown and its chart folder, all or nothing.

    The charts go into a fresh folder beside the target; then the old folder steps aside,
    the new one takes its name and the Markdown is renamed into place. If any step fails
    the old folder comes back and the new one is removed.
    """
    parent = path.parent if str(path.parent) else Path()
    staging: Path | None = None
    aside: Path | None = None
    placed = False
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".tmp"))
        staging.chmod(0o755)  # mkdtemp makes it private; a report folder is not
        for name, content in sorted(files.items()):
            target = staging / Path(name).name
            target.write_text(content, encoding="utf-8")
        if folder.exists():
            aside = parent / f".{folder.name}.old-{staging.name.split('.')[-2]}"
            folder.rename(aside)
        staging.rename(folder)
        placed = True
        write_atomic(path, text)
    except (OSError, UnwritableFileError) as error:
        if placed:
            shutil.rmtree(folder, ignore_errors=True)
        elif staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if aside is not None:
            aside.rename(folder)
        if isinstance(error, UnwritableFileError):
            raise
        raise unwritable(path, error) from None
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
